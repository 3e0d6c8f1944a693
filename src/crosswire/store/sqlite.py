"""The embedded default store: one SQLite file, WAL mode, schema versioned by migrations.

Why SQLite: it needs no server, many processes can read while one writes (DuckDB locks its
file to one process), and FTS5 gives full-text story search for free. Vectors are stored as
float32 blobs beside the article (this sqlite3 cannot load sqlite-vec); similarity search runs
in the stories stage's own in-memory index, rebuilt from these blobs.

One connection guarded by a lock serves every thread: the web server's reads are short
indexed lookups, and a single writer is what SQLite wants anyway. Another process's writer is
waited for up to ``busy_timeout`` seconds; past that, and on any other database failure (disk
full, read-only file), the call raises a StoreError naming the file and the reason, and the
transaction is rolled back, so nothing is half-stored and the caller may simply try again.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from crosswire.errors import StoreError

try:
    import fcntl
except ImportError:  # not POSIX: writers in one process still take turns; separate processes do not
    fcntl = None
from crosswire.model import Article
from crosswire.store.relational import RelationalStore, Run
from crosswire.store.schema import SQLITE_MIGRATIONS


class SQLiteStore(RelationalStore):
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: str, busy_timeout: float = 30.0, create_folder: bool = False):
        """``create_folder``: make the file's folder if missing (the default location under the XDG data dir).
        A path the user gave must be in an existing folder: a typo in ``--db`` would otherwise make a fresh,
        empty store somewhere unexpected, and every command would answer from it as if nothing was stored."""
        self.url = str(path)
        self.busy_timeout = float(busy_timeout)
        target = self._path = self.url if self.url == ":memory:" else str(Path(self.url).expanduser())
        if target != ":memory:":
            folder = Path(target).parent
            if create_folder:
                folder.mkdir(parents=True, exist_ok=True)
            elif not folder.is_dir():
                from crosswire.errors import ConfigError
                raise ConfigError(f"{self.url}: no such directory {str(folder)!r} for the store; "
                                  "create it first, or check the path")
        self._lock = threading.RLock()
        self._writer_threads = threading.Lock()
        self._turn_file = None
        try:
            self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None,
                                       timeout=self.busy_timeout)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.OperationalError as exc:
            raise self._failure(exc) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.url}: not a usable SQLite database ({exc})") from exc
        self._migrate()

    def _failure(self, exc: sqlite3.Error) -> StoreError:
        """The one-line error a user sees for a database failure (the transaction is already rolled back)."""
        reason = str(exc)
        if reason == "database is locked":  # another connection's write (not a table lock inside this one)
            reason += f": another process held the write lock for more than {self.busy_timeout:g} s"
        return StoreError(f"{self.url}: {reason}")

    def _migrate(self) -> None:
        try:  # a plain read first: opening an up-to-date store never waits for another process's writer
            rows = self._query("SELECT MAX(version) FROM schema_version")
            if (rows[0][0] or 0) == len(SQLITE_MIGRATIONS):
                return
        except StoreError as exc:
            if "no such table" not in str(exc):
                raise
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
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise self._failure(exc) from exc
            try:
                yield lambda sql, params=(): self._db.execute(sql, params).fetchall()
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:  # SQLite may have rolled back already (disk full, I/O error)
                    try:
                        self._db.execute("ROLLBACK")
                    except sqlite3.Error:  # the error that brought us here is the one to report
                        pass
                if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, self.integrity_errors):
                    raise self._failure(exc) from exc
                raise

    def _query(self, sql: str, params: tuple | list = ()) -> list:
        # Reads need no write lock: in WAL mode they see the last commit and never block writers.
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise self._failure(exc) from exc

    def _fulltext_statements(self, article: Article) -> list[tuple[str, tuple]]:
        return [("INSERT INTO articles_fts (article_id, title, text) VALUES (?,?,?)",
                 (article.id, article.title, article.text))]

    def _fulltext_removal(self, article_id: str) -> list[tuple[str, tuple]]:
        return [("DELETE FROM articles_fts WHERE article_id = ?", (article_id,))]

    def _fulltext_filter(self, q: str) -> tuple[str, str]:
        terms = " ".join('"' + t.replace('"', '""') + '"' for t in q.split())
        return ("SELECT sa.story_id FROM articles_fts f JOIN story_articles sa "
                "ON sa.article_id = f.article_id WHERE articles_fts MATCH ?", terms)

    def _take_turn(self) -> bool:
        """An exclusive ``flock`` on ``<database>-turn`` beside the file (the kernel drops it if the process
        dies); the holder writes its pid there for the message of whoever waits too long."""
        if self.url == ":memory:" or fcntl is None:  # one process only: the thread lock is the turn
            return True
        try:
            if self._turn_file is None:  # named after the real file: a symlink or another path to it shares the turn
                self._turn_file = open(self._turn_path(), "a+b")
            fcntl.flock(self._turn_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            raise StoreError(f"{self.url}: cannot take the writing turn ({exc})") from exc
        try:  # the holder's pid, for the message of whoever waits too long; a full disk must not keep the turn
            fd = self._turn_file.fileno()  # written unbuffered: nothing left to fail later, in close()
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        except OSError:
            pass
        return True

    def _turn_path(self) -> str:
        return os.path.realpath(self._path) + "-turn"

    def _end_turn(self) -> None:
        if self._turn_file is not None:
            fcntl.flock(self._turn_file, fcntl.LOCK_UN)

    def _turn_holder(self) -> str:
        try:
            pid = Path(self._turn_path()).read_text(encoding="utf-8").strip()
        except OSError:
            pid = ""
        return f"pid {pid}" if pid else "another process"

    def close(self) -> None:
        if self._turn_file is not None:
            self._turn_file.close()
            self._turn_file = None
        with self._lock:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
