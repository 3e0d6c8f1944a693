"""The embedded default store: one SQLite file, WAL mode, schema versioned by migrations.

Why SQLite: it needs no server, many processes can read while one writes (DuckDB locks its
file to one process), and FTS5 gives full-text story search for free. Vectors are stored as
float32 blobs beside the article (this sqlite3 cannot load sqlite-vec); similarity search runs
in the stories stage's own in-memory index, rebuilt from these blobs.

One connection guarded by a lock serves every thread: the web server's reads are short
indexed lookups, and a single writer is what SQLite wants anyway.
"""
from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from crosswire.errors import StoreError
from crosswire.model import Article
from crosswire.store.relational import RelationalStore, Run
from crosswire.store.schema import SQLITE_MIGRATIONS


class SQLiteStore(RelationalStore):
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: str):
        self.url = str(path)
        target = self.url if self.url == ":memory:" else str(Path(self.url).expanduser())
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.url}: not a usable SQLite database ({exc})") from exc

    def _migrate(self) -> None:
        with self._transaction() as run:
            run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = run("SELECT MAX(version) FROM schema_version")[0][0] or 0
        if current > len(SQLITE_MIGRATIONS):
            raise StoreError(f"{self.url}: schema version {current} is newer than this Crosswire "
                             f"understands ({len(SQLITE_MIGRATIONS)}); upgrade crosswire")
        for version, script in enumerate(SQLITE_MIGRATIONS[current:], start=current + 1):
            with self._transaction() as run:
                for statement in script:
                    run(statement)
                run("INSERT INTO schema_version (version) VALUES (?)", (version,))

    @contextmanager
    def _transaction(self) -> Iterator[Run]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield lambda sql, params=(): self._db.execute(sql, params).fetchall()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: tuple | list = ()) -> list:
        # Reads need no write lock: in WAL mode they see the last commit and never block writers.
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _fulltext_statements(self, article: Article) -> list[tuple[str, tuple]]:
        return [("INSERT INTO articles_fts (article_id, title, text) VALUES (?,?,?)",
                 (article.id, article.title, article.text))]

    def _fulltext_filter(self, q: str) -> tuple[str, str]:
        terms = " ".join('"' + t.replace('"', '""') + '"' for t in q.split())
        return ("SELECT sa.story_id FROM articles_fts f JOIN story_articles sa "
                "ON sa.article_id = f.article_id WHERE articles_fts MATCH ?", terms)

    def close(self) -> None:
        with self._lock:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
