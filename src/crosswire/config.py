"""Configuration in one place: packaged defaults < TOML file < environment.

Each stage reads its own section (``settings.section("stories")``), so adding a knob
never means threading a parameter through the pipeline.

Order of precedence (last wins):
1. ``defaults.toml`` shipped in the package (every value documented there);
2. a TOML file: ``$CROSSWIRE_CONFIG``, else ``./crosswire.toml`` if present;
3. environment: ``CROSSWIRE_<SECTION>_<KEY>`` (e.g. ``CROSSWIRE_STORIES_THRESHOLD=0.6``),
   plus the short forms ``CROSSWIRE_DB`` and ``CROSSWIRE_TOKEN``.
"""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

SHORT_ENV = {"CROSSWIRE_DB": ("store", "db"), "CROSSWIRE_TOKEN": ("server", "token")}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _coerce(raw: str, like: Any) -> Any:
    """Read an env string as the type of the default it overrides."""
    if isinstance(like, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(raw)
    if isinstance(like, float):
        return float(raw)
    if isinstance(like, (list, dict)):
        return json.loads(raw)
    return raw


@dataclass
class Settings:
    data: dict[str, Any] = field(default_factory=dict)
    source: str | None = None  # the TOML file read, if any
    data_home: str | None = None  # $XDG_DATA_HOME as seen when loaded
    cache_home: str | None = None  # $XDG_CACHE_HOME as seen when loaded

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.data.get(name, {}))

    def overridden(self, **sections: dict[str, Any]) -> "Settings":
        """A copy with some keys replaced, e.g. ``overridden(store={"db": path})`` (an eval's own store)."""
        import dataclasses
        return dataclasses.replace(self, data=_merge(self.data, sections))

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self.data.get(section, {}).get(key, default)

    @property
    def db(self) -> str:
        """The store location: an explicit setting, else the XDG data dir."""
        configured = self.get("store", "db")
        if configured:
            return str(configured)
        base = Path(self.data_home or Path.home() / ".local" / "share")
        return str(base / "crosswire" / "crosswire.db")

    @property
    def busy_timeout(self) -> float:
        """Seconds a SQLite write waits for another process's write (``[store] busy_timeout``)."""
        value = self.get("store", "busy_timeout", 30.0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            from crosswire.errors import ConfigError
            raise ConfigError(f"store.busy_timeout must be a number of seconds above 0, got {value!r}")
        return float(value)

    @property
    def embedding_cache(self) -> Path | None:
        """Where slow-encoder vectors are cached: the setting, else the XDG cache dir; None = "off"."""
        return self._cache_location("nlp", "embedding_cache", "embeddings.sqlite")

    @property
    def story_index_dir(self) -> Path | None:
        """Where a process saves the story index for the next one: the setting, else the XDG cache
        dir; None = "off"."""
        return self._cache_location("store", "story_index_dir", "story-index")

    def _cache_location(self, section: str, key: str, default_name: str) -> Path | None:
        configured = str(self.get(section, key, "") or "")
        if configured.lower() == "off":
            return None
        try:
            if configured:
                return Path(configured).expanduser()
            return Path(self.cache_home or Path.home() / ".cache") / "crosswire" / default_name
        except RuntimeError:  # no home directory to expand (a container's uid without a passwd entry): no cache
            return None


def packaged_defaults() -> dict[str, Any]:
    """``defaults.toml`` alone: what a component uses when it is built without settings."""
    return tomllib.loads(resources.files("crosswire").joinpath("defaults.toml").read_text("utf-8"))


def load_settings(path: str | Path | None = None, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    data = packaged_defaults()
    path = path or env.get("CROSSWIRE_CONFIG") or ("crosswire.toml" if Path("crosswire.toml").exists() else None)
    if path:
        try:
            with open(path, "rb") as fh:
                data = _merge(data, tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            from crosswire.errors import ConfigError
            raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    for name, (section, key) in SHORT_ENV.items():
        if env.get(name):
            data.setdefault(section, {})[key] = env[name]
    for section, values in data.items():
        if not isinstance(values, dict):
            continue
        for key, default in values.items():
            raw = env.get(f"CROSSWIRE_{section}_{key}".upper())
            if raw is not None:
                try:
                    values[key] = _coerce(raw, default)
                except ValueError as exc:  # json's decode error is a ValueError too
                    from crosswire.errors import ConfigError
                    raise ConfigError(f"CROSSWIRE_{section}_{key}".upper() + f"={raw!r}: expected "
                                      f"{type(default).__name__} like the default {default!r}") from exc
    return Settings(data=data, source=str(path) if path else None, data_home=env.get("XDG_DATA_HOME"),
                    cache_home=env.get("XDG_CACHE_HOME"))
