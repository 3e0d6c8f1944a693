"""PostgreSQL store, for a newsroom sharing one database between several workers and servers.

Same tables and queries as SQLite (see relational.py); full-text search is a generated
tsvector column with a GIN index. Vectors are bytea: Debian has no pgvector package, and the
stories stage keeps its own nearest-neighbour index anyway. Needs `pip install crosswire[postgres]`.

A server restart or a dropped connection fails the call under way with a StoreError (its transaction
never committed, so nothing is half-stored), and the next call connects again: a long-running server
or `ingest --every` outlives a database restart. Messages name the database without its password.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from crosswire.errors import ConfigError, StoreError
from crosswire.model import Article
from crosswire.store.relational import RelationalStore, Run
from crosswire.store.schema import POSTGRES_MIGRATIONS


class Row(tuple):
    """A tuple that also answers row["column"], as sqlite3.Row does."""

    names: dict[str, int]

    def __new__(cls, values: tuple, names: dict[str, int]) -> "Row":
        row = super().__new__(cls, values)
        row.names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        return super().__getitem__(self.names[key] if isinstance(key, str) else key)


def _row_factory(cursor: Any):
    names = {d.name: i for i, d in enumerate(cursor.description or [])}
    return lambda values: Row(tuple(bytes(v) if isinstance(v, memoryview) else v for v in values), names)


TURN_LOCK = 7708  # the writing turn's advisory lock key (7707 guards migrations)


_USERINFO_PASSWORD = re.compile(r"^([a-z]+://[^:/@\[]*):([^@/]*)@", re.IGNORECASE)  # scheme://user:PASSWORD@
_QUERY_PASSWORD = re.compile(r"([?&](?:ssl)?password=)([^&]*)", re.IGNORECASE)  # ...?password=PASSWORD


def without_password(url: str) -> str:
    """``postgresql://user:secret@host/db`` -> ``postgresql://user:***@host/db`` (and ``password=`` in the query
    string): what messages and stats show."""
    return _QUERY_PASSWORD.sub(r"\1***", _USERINFO_PASSWORD.sub(r"\1:***@", url))


def _secrets(url: str) -> list[str]:
    """The password as written in the URL and percent-decoded, to scrub from a driver's message."""
    from urllib.parse import unquote
    found = [m.group(2) for pattern in (_USERINFO_PASSWORD, _QUERY_PASSWORD) for m in pattern.finditer(url)]
    return sorted({form for raw in found if raw for form in (raw, unquote(raw))}, key=len, reverse=True)


def _first_line(exc: BaseException, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """The driver's first line, with the connection URL's password taken out (libpq quotes the URL it could not parse)."""
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if any(len(secret) < 4 for secret in secrets):  # too short to take out without garbling the message
        return type(exc).__name__
    for secret in secrets:
        line = line.replace(secret, "***")
    return line


class PostgresStore(RelationalStore):
    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError as exc:
            raise ConfigError("a postgresql:// store needs psycopg: pip install 'crosswire[postgres]'") from exc
        self._psycopg = psycopg
        self._dsn = url
        self.url = without_password(url)
        self._secrets = _secrets(url)
        self.integrity_errors = (psycopg.errors.UniqueViolation,)
        self._lock = threading.RLock()
        self._writer_threads = threading.Lock()
        self._turn_session: tuple[int, Any] | None = None  # (thread, connection) holding the writing turn
        self._conn = self._connect()
        self._migrate()

    def _connect(self) -> Any:
        try:
            conn = self._psycopg.connect(self._dsn, autocommit=True, row_factory=_row_factory)
        except self._psycopg.Error as exc:
            raise StoreError(f"{self.url}: cannot connect to PostgreSQL ({_first_line(exc, self._secrets)})") from None
        try:
            # the server notices a client gone without a goodbye (a pulled cable, a frozen VM) within ~90 s instead
            # of the kernel's ~2 h, and frees the writing turn that client's session held
            conn.execute("SET tcp_keepalives_idle = 60; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3")
        except self._psycopg.Error:  # a pooler that refuses SET: the kernel's default then
            pass
        return conn

    def _migrate(self) -> None:
        with self._transaction() as run:
            run("SELECT pg_advisory_xact_lock(7707)")  # two workers opening a new database at once
            run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = run("SELECT MAX(version) FROM schema_version")[0][0] or 0
            if current > len(POSTGRES_MIGRATIONS):
                raise StoreError(f"{self.url}: schema version {current} is newer than this Crosswire understands")
            for version, script in enumerate(POSTGRES_MIGRATIONS[current:], start=current + 1):
                for statement in script:
                    run(statement)
                run("INSERT INTO schema_version (version) VALUES (?)", (version,))

    @contextmanager
    def _transaction(self) -> Iterator[Run]:
        def run(sql: str, params: tuple | list = ()) -> list[Any]:
            cur = self._conn.execute(sql.replace("?", "%s"), params)
            return cur.fetchall() if cur.description else []
        lost = (self._psycopg.OperationalError, self._psycopg.InterfaceError)
        with self._lock:
            if self._conn.closed:  # lost in an earlier call: connect again
                self._conn = self._connect()
            if (self._turn_session is not None and self._turn_session[0] == threading.get_ident()
                    and self._turn_session[1] is not self._conn):
                # the writing turn was this session's advisory lock: with the old connection it is gone, and
                # another writer may hold it now, so the writer in the middle of its turn must stop here
                raise StoreError(f"{self.url}: lost the connection to PostgreSQL, and the writing turn with it; "
                                 "nothing more of this batch is stored")
            try:
                with self._conn.transaction():
                    yield run
            except lost as exc:
                if self._conn.closed:
                    raise StoreError(f"{self.url}: lost the connection to PostgreSQL ({_first_line(exc, self._secrets)}); "
                                     "nothing of this call was stored, and the next call connects again") from exc
                raise StoreError(f"{self.url}: {_first_line(exc, self._secrets)}") from exc

    def _fulltext_statements(self, article: Article) -> list[tuple[str, tuple]]:
        return []  # the generated `search` column indexes itself

    def _fulltext_filter(self, q: str) -> tuple[str, str]:
        return ("SELECT sa.story_id FROM articles a JOIN story_articles sa ON sa.article_id = a.id "
                "WHERE a.search @@ plainto_tsquery('simple', ?)", q)

    def _take_turn(self) -> bool:
        """A session-level advisory lock (local to this database; the server drops it with a lost connection)."""
        with self._transaction() as run:
            taken = bool(run("SELECT pg_try_advisory_lock(?)", (TURN_LOCK,))[0][0])
            if taken:  # still under the connection lock: no other thread can have reconnected in between
                self._turn_session = (threading.get_ident(), self._conn)
        return taken

    def _end_turn(self) -> None:
        held, self._turn_session = self._turn_session, None
        if held is None or held[1] is not self._conn or self._conn.closed:
            return  # the lock went with the connection that held it (or the store was closed)
        try:
            with self._transaction() as run:
                run("SELECT pg_advisory_unlock(?)", (TURN_LOCK,))
        except StoreError:  # the connection is gone, and the lock with it
            pass

    def close(self) -> None:
        with self._lock:
            self._conn.close()
