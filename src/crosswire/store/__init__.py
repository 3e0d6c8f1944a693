"""Persistence: SQLite by default, PostgreSQL when the db setting is a postgresql:// URL."""
from __future__ import annotations

from crosswire.store.base import Store


def open_store(db: str, busy_timeout: float = 30.0) -> Store:
    """Open (creating and migrating as needed) the store at a path or URL. ``busy_timeout``: seconds a
    SQLite writer waits for another process's write to finish before the call fails (``[store]``)."""
    if db.startswith(("postgresql://", "postgres://")):
        from crosswire.store.postgres import PostgresStore
        return PostgresStore(db)
    from crosswire.store.sqlite import SQLiteStore
    return SQLiteStore(db, busy_timeout)


__all__ = ["Store", "open_store"]
