"""Schema migrations per backend, in order. Never edit a released step: append a new one.

Each step is a list of statements run in one transaction with its version number, so a store
created by an older Crosswire is brought forward on open, and a failed step changes nothing.
The two backends keep the same tables and columns; only types and full-text search differ.
"""
from __future__ import annotations


def _core(serial: str, blob: str) -> list[str]:
    return [
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY, url TEXT, outlet TEXT, title TEXT, text TEXT NOT NULL,
            published TEXT, published_key TEXT, language TEXT, author TEXT, content_hash TEXT,
            origin TEXT, duplicate_of TEXT, added_at TEXT NOT NULL)""",
        "CREATE INDEX articles_hash ON articles (content_hash)",
        "CREATE INDEX articles_published ON articles (published_key)",
        """CREATE TABLE sentences (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE, idx INTEGER NOT NULL,
            text TEXT NOT NULL, start INTEGER, end_ INTEGER, PRIMARY KEY (article_id, idx))""",
        """CREATE TABLE mentions (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE, idx INTEGER NOT NULL,
            sentence INTEGER, kind TEXT NOT NULL, start INTEGER, end_ INTEGER, text TEXT, label TEXT,
            value TEXT, extra TEXT, PRIMARY KEY (article_id, idx))""",
        "CREATE INDEX mentions_kind_value ON mentions (kind, value)",
        f"""CREATE TABLE embeddings (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            dim INTEGER, doc {blob}, sentences {blob})""",
        f"""CREATE TABLE signatures (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE, signature {blob} NOT NULL)""",
        f"""CREATE TABLE stories (
            id {serial}, headline TEXT, created_at TEXT, first_published TEXT,
            last_updated TEXT, conflict_count INTEGER DEFAULT 0, comparison TEXT,
            merged_into INTEGER REFERENCES stories (id))""",
        "CREATE INDEX stories_updated ON stories (last_updated, id)",
        """CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories (id))""",
        "CREATE INDEX story_articles_story ON story_articles (story_id)",
        f"""CREATE TABLE story_events (
            id {serial}, kind TEXT NOT NULL, story_id INTEGER, article_id TEXT,
            other_story_id INTEGER, at TEXT, reason TEXT)""",
        "CREATE INDEX story_events_story ON story_events (story_id)",
    ]


def _versions() -> list[str]:
    """Step 2: earlier texts of updated reports (same URL, new text), and the merge and split events of a story
    found by either side (``story_events`` was read by ``other_story_id`` without an index)."""
    return [
        """CREATE TABLE article_versions (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE, version INTEGER NOT NULL,
            title TEXT, text TEXT NOT NULL, content_hash TEXT, published TEXT, replaced_at TEXT NOT NULL,
            changes TEXT, PRIMARY KEY (article_id, version))""",
        "CREATE INDEX story_events_other ON story_events (other_story_id)",
    ]


# step 3: reprints of a replaced text are found by its hash (``articles_with_hash``; IF NOT EXISTS, since a store
# made while this index was still part of step 2 has it), and an updated report's copies by their mark
VERSION_HASHES = ["CREATE INDEX IF NOT EXISTS article_versions_hash ON article_versions (content_hash)",
                  "CREATE INDEX articles_copies ON articles (duplicate_of)"]


SQLITE_MIGRATIONS: list[list[str]] = [
    _core("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB")
    + ["CREATE VIRTUAL TABLE articles_fts USING fts5 (article_id UNINDEXED, title, text)"],
    _versions(),
    VERSION_HASHES,
]

POSTGRES_MIGRATIONS: list[list[str]] = [
    _core("SERIAL PRIMARY KEY", "BYTEA")
    + ["ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
       "(to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED",
       "CREATE INDEX articles_search ON articles USING GIN (search)"],
    _versions(),
    VERSION_HASHES,
]
