"""Persistence: SQLite by default, PostgreSQL when the db setting is a postgresql:// URL."""
from __future__ import annotations

import re

from crosswire.store.base import MAX_STORY_ID, Store


def open_store(db: str, busy_timeout: float = 30.0, create_folder: bool = False) -> Store:
    """Open (creating and migrating as needed) the store at a path or URL. ``busy_timeout``: seconds a
    SQLite writer waits for another process's write to finish before the call fails (``[store]``);
    ``create_folder``: make a SQLite file's missing folder (only for the default location)."""
    if db.startswith(("postgresql://", "postgres://")):
        from crosswire.store.postgres import PostgresStore
        return PostgresStore(db)
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", db)
    if scheme:  # else SQLite would quietly create a file named "mysql:/host/db" (or "sqlite:/...")
        from crosswire.errors import ConfigError
        raise ConfigError(f"{db}: unsupported database URL scheme {scheme.group(1)!r}: "
                          "give a SQLite file path or a postgresql:// URL")
    from crosswire.store.sqlite import SQLiteStore
    return SQLiteStore(db, busy_timeout, create_folder)


__all__ = ["MAX_STORY_ID", "Store", "open_store"]
