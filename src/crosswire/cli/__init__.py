"""The `crosswire` command. This module only wires commands together; each lives in the
module named for its domain. Heavy libraries (spaCy, numpy models) are imported inside the
commands that need them, so `crosswire --help` answers in well under a second.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import click

from crosswire import __version__
from crosswire.errors import CrosswireError


@dataclass
class AppContext:
    """What every command gets: settings and a lazily opened store."""

    db_option: str | None = None
    config_path: str | None = None
    _settings: Any = None
    _store: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self):
        if self._settings is None:
            from crosswire.config import load_settings
            self._settings = load_settings(self.config_path)
            if self.db_option:
                self._settings.data.setdefault("store", {})["db"] = self.db_option
        return self._settings

    def store(self):
        if self._store is None:
            from crosswire.store import open_store
            self._store = open_store(self.settings.db, self.settings.busy_timeout, self.settings.db_is_default)
        return self._store

    def close(self) -> None:
        """Done with the store: save the story index this command built (ingest, brief PATH), so the
        next command loads it instead of rebuilding it from every stored analysis."""
        if self._store is not None:
            from crosswire.kept_indexes import save_story_index
            save_story_index(self._store, self.settings)
            self._store.close()
            self._store = None


class CrosswireGroup(click.Group):
    """Turns user-facing errors into one readable line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrosswireError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(cls=CrosswireGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", envvar="CROSSWIRE_DB", metavar="PATH|URL",
              help="SQLite file or postgresql:// URL (default: XDG data dir; env CROSSWIRE_DB).")
@click.option("--config", "config_path", envvar="CROSSWIRE_CONFIG", metavar="FILE",
              help="TOML settings file (default ./crosswire.toml if present).")
@click.version_option(__version__, prog_name="crosswire")
@click.pass_context
def main(ctx: click.Context, db: str | None, config_path: str | None) -> None:
    """Group news reports into stories, align what sources say, flag where they disagree."""
    app = AppContext(db_option=db, config_path=config_path)
    ctx.obj = app
    ctx.call_on_close(app.close)


@main.group(name="eval")
def eval_group() -> None:
    """Measure quality on a dataset (never reads gold labels to predict)."""


@main.group(name="train")
def train_group() -> None:
    """Fit the small models shipped in the package."""


def _register() -> None:
    # Each module adds its commands to `main`, `eval_group` or `train_group` on import.
    import importlib
    for name in ("corpus", "briefing", "story_edits", "eval_conflicts", "story_detection", "serve"):
        try:
            importlib.import_module(f"crosswire.cli.{name}")
        except ModuleNotFoundError as exc:  # a domain not built yet must not break the rest
            if exc.name != f"crosswire.cli.{name}":
                raise


_register()
