"""Configuration in one place: packaged defaults < TOML file < environment.

Each stage reads its own section (``settings.section("stories")``), so adding a knob
never means threading a parameter through the pipeline.

Order of precedence (last wins):
1. ``defaults.toml`` shipped in the package (every value documented there);
2. a TOML file: ``$CROSSWIRE_CONFIG``, else ``./crosswire.toml`` if present;
3. environment: ``CROSSWIRE_<SECTION>_<KEY>`` (e.g. ``CROSSWIRE_STORIES_JOIN_THRESHOLD=0.5``),
   plus the short forms ``CROSSWIRE_DB`` and ``CROSSWIRE_TOKEN``.

Every file and environment value is checked when loaded against the type of its packaged default
(and ``RANGES``), so a wrong one stops any command with one line naming where it came from, before
anything is stored, instead of failing (or quietly meaning something else) deep inside a run.
"""
from __future__ import annotations

import json
import math
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

SHORT_ENV = {"CROSSWIRE_DB": ("store", "db"), "CROSSWIRE_TOKEN": ("server", "token")}
OTHER_ENV = {"CROSSWIRE_CONFIG"}  # read by load_settings itself, not a setting

# Bounds a value's type cannot say (inclusive; None = open). Outside them a setting either crashes
# deep inside a run, after articles were stored (a MinHash threshold above 1), or quietly means
# something else (a port above 65535 wraps around to another port).
RANGES: dict[tuple[str, str], tuple[float | None, float | None]] = {
    ("server", "port"): (0, 65535),
    ("server", "max_body_bytes"): (1, None),
    ("ingest", "max_file_bytes"): (1, None),
    ("ingest", "near_duplicate_threshold"): (0, 1),
    ("ingest", "download_deadline"): (0.1, 86_400),
    ("nlp", "encoder_threads"): (1, None),
    ("nlp", "processes"): (1, None),
    ("nlp", "batch_size"): (1, None),
    ("nlp", "max_analysed_chars"): (1, None),
    ("stories", "neighbours"): (1, None),
    ("stories", "ann_per_story"): (0, None),
    ("stories", "max_candidates"): (1, None),
    ("stories", "score_top"): (1, None),
    ("stories", "name_stories"): (0, None),
    ("stories", "cold_days"): (0.001, None),  # divides the time gap
    ("stories", "retire_days"): (0, None),
    ("stories", "max_name_df"): (0, 1),
}
# Lists whose length is fixed by the default: one weight per clusterer feature, so a short list is
# refused up front rather than by the clusterer after the batch's articles were stored.
FIXED_LENGTH = {("stories", "weights")}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _coerce(raw: str, like: Any) -> Any:
    """Read an env string as the type of the default it overrides. A bool that is neither yes nor no
    is an error, not "no": a typo must not quietly decide who may write."""
    if isinstance(like, bool):
        word = raw.strip().lower()
        if word in {"1", "true", "yes", "on"}:
            return True
        if word in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"not a yes/no value: {raw!r}")
    if isinstance(like, int):
        return int(raw)
    if isinstance(like, float):
        return float(raw)
    if isinstance(like, (list, dict)):
        return json.loads(raw)
    return raw


def _kind(like: Any) -> str:
    """What a setting must be, said in words, judged by its packaged default."""
    if isinstance(like, bool):
        return "true or false"
    if isinstance(like, int):
        return "a whole number"
    if isinstance(like, float):
        return "a number"
    if isinstance(like, str):
        return "a string"
    if isinstance(like, list):
        return "a list" + (f" of {_kind(like[0]).removeprefix('a ')}s" if like else "")
    if isinstance(like, dict):
        return "a table" + (f" of {_kind(next(iter(like.values()))).removeprefix('a ')}s" if like else "")
    return repr(type(like).__name__)


def _fits(value: Any, like: Any) -> bool:
    """Whether ``value`` has the type of the default ``like``: TOML (and JSON in env values) can
    say ``"false"`` or ``"big"`` where a bool or a number belongs, and Python would take a
    non-empty string as true and fail on it only deep in a run."""
    if isinstance(like, bool):
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False  # bool is an int to Python, not to a person writing `port = true`
    if isinstance(like, int):  # 3.0 where 3 belongs is a whole number all the same (it loaded before)
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(like, float):
        return isinstance(value, (int, float)) and math.isfinite(value)
    if isinstance(like, str):
        return isinstance(value, str)
    if isinstance(like, list):
        return isinstance(value, list) and (not like or all(_fits(v, like[0]) for v in value))
    if isinstance(like, dict):  # in a table of names, false switches one entry off ("fr = false"), as "" does
        first = next(iter(like.values()), None)
        return isinstance(value, dict) and (not like or all(_fits(v, first) or (isinstance(first, str) and v is False)
                                                            for v in value.values()))
    return True


def _check_value(section: str, key: str, value: Any, like: Any, where: str) -> None:
    """Raise ConfigError unless ``value`` fits the default ``like`` (type, then range and length)."""
    from crosswire.errors import ConfigError
    name = f"[{section}] {key}"
    if not _fits(value, like):
        raise ConfigError(f"config: {where}: {name} must be {_kind(like)}, got {value!r}")
    low, high = RANGES.get((section, key), (None, None))
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ConfigError(f"config: {where}: {name} must be {bounds}, got {value!r}")
    if (section, key) in FIXED_LENGTH and len(value) != len(like):
        raise ConfigError(f"config: {where}: {name} needs {len(like)} values like the default, got {len(value)}")


def _unknown(what: str, name: str, known: Any, where: str) -> Exception:
    """The error for a name the defaults do not have, with the nearest known one: a misspelled key
    would otherwise be ignored and its default used (``[store] bd = ...`` writes to the default store)."""
    import difflib

    from crosswire.errors import ConfigError
    near = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f"did you mean {near[0]!r}?" if near else "known: " + ", ".join(sorted(known))
    return ConfigError(f"config: {where}: unknown {what} {name!r} ({hint})")


def _check_layer(defaults: dict[str, Any], layer: dict[str, Any], where: str) -> None:
    """Check a config file's values against the packaged defaults before they are merged, so every
    command fails up front with one line naming the file and the key, before anything is stored.
    A section or key the defaults do not have is refused too, naming the nearest known one."""
    from crosswire.errors import ConfigError
    for section, values in layer.items():
        like_section = defaults.get(section)
        if not isinstance(like_section, dict):
            raise _unknown("section", section, defaults, where)
        if not isinstance(values, dict):
            raise ConfigError(f"config: {where}: {section} must be a table ([{section}]), got {values!r}")
        for key, value in values.items():
            if key not in like_section:
                raise _unknown(f"key in [{section}]:", key, like_section, where)
            _check_value(section, key, value, like_section[key], where)
            like = like_section[key]
            if isinstance(like, int) and not isinstance(like, bool) and isinstance(value, float):
                values[key] = int(value)


def _check_environment_names(defaults: dict[str, Any], env: dict[str, str]) -> None:
    """A ``CROSSWIRE_`` variable that names no setting is refused, like an unknown key in the file:
    ``CROSSWIRE_STORIES_THRESHOLD`` would otherwise be ignored without a word."""
    known = set(SHORT_ENV) | OTHER_ENV | {f"CROSSWIRE_{section}_{key}".upper()
                                          for section, values in defaults.items() if isinstance(values, dict)
                                          for key in values}
    for name in sorted(env):
        if name.startswith("CROSSWIRE_") and name not in known:
            raise _unknown("variable", name, known, f"{name}={env[name]!r}")


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
        configured = str(self.get("store", "db") or "")
        if configured.startswith("~") and "://" not in configured:  # a config file's "~/news.db": no shell expanded it
            try:
                return str(Path(configured).expanduser())
            except RuntimeError:  # no home directory to expand: the path as written, as SQLite would take it
                return configured
        if configured:
            return configured
        base = Path(self.data_home or Path.home() / ".local" / "share")
        return str(base / "crosswire" / "crosswire.db")

    @property
    def db_is_default(self) -> bool:
        """Whether ``db`` is the default location (its folder may be created), not a path the user gave."""
        return not self.get("store", "db")

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
    defaults = packaged_defaults()
    if path:
        from crosswire.errors import ConfigError
        try:
            with open(path, "rb") as fh:
                layer = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"config: {path}: cannot read config: {exc}") from exc
        except UnicodeDecodeError as exc:  # TOML is UTF-8; a Latin-1 "café" is not a TOMLDecodeError
            raise ConfigError(f"config: {path}: cannot read config: not UTF-8 text (byte {exc.object[exc.start]:#04x} "
                              f"at offset {exc.start}); save the file as UTF-8") from exc
        _check_layer(defaults, layer, str(path))
        data = _merge(data, layer)
    _check_environment_names(defaults, env)
    for name, (section, key) in SHORT_ENV.items():
        if env.get(name):
            data.setdefault(section, {})[key] = env[name]
    for section, values in data.items():
        if not isinstance(values, dict):
            continue
        for key, default in values.items():
            name = f"CROSSWIRE_{section}_{key}".upper()
            raw = env.get(name)
            if raw is not None:
                try:
                    values[key] = _coerce(raw, default)
                except ValueError as exc:  # json's decode error is a ValueError too
                    from crosswire.errors import ConfigError
                    raise ConfigError(f"config: {name}={raw!r}: expected "
                                      f"{type(default).__name__} like the default {default!r}") from exc
                like = defaults.get(section, {}).get(key, default)
                _check_value(section, key, values[key], like, f"{name}={raw!r}")
    return Settings(data=data, source=str(path) if path else None, data_home=env.get("XDG_DATA_HOME"),
                    cache_home=env.get("XDG_CACHE_HOME"))
