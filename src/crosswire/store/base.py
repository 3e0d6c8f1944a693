"""The store's contract. SQLite (default) and PostgreSQL implement it; nothing else touches SQL.

Why one abstract class: the CLI, the API and the story clusterer all read and write
through these methods only, so a backend can change without them noticing.
All writes are idempotent: adding an article that is already stored returns False
and changes nothing.
"""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Iterator

from crosswire.model import AnalyzedArticle, Article, ArticleVersion, Change, Story, StoryEvent


# The largest id either backend can hold (SQLite's INTEGER, PostgreSQL's bigint). A larger number asked of the
# database overflows its driver instead of finding nothing, so callers holding a user's number check it first.
MAX_STORY_ID = 2**63 - 1
# how a merge or split an editor made starts its recorded reason (stories/edits.py writes it, ``hand_edits`` finds it);
# the clusterer's own reasons start with what it measured ("article ... scored", "3 of 9 articles scored")
HAND = "by hand"
TURN_WAIT = 600.0  # seconds a writer waits for its turn: longer than a full index rebuild (~40 s at 100k articles)


class Store(ABC):
    url: str

    # ---- articles -------------------------------------------------------------------
    @abstractmethod
    def add_article(self, analyzed: AnalyzedArticle, signature: bytes | None = None) -> bool:
        """Persist an article with sentences, mentions, embeddings and its near-duplicate signature, in one
        transaction (so no reader sees the article without the signature). False if already there."""

    @abstractmethod
    def has_article(self, article_id: str) -> bool: ...

    @abstractmethod
    def replace_article(self, analyzed: AnalyzedArticle, changes: list[Change],
                        signature: bytes | None = None) -> int:
        """Its outlet updated a stored report (same id, new text): keep the stored text as an ``ArticleVersion``
        (with ``changes``, what the new text states otherwise), put the new text and its analysis in its place,
        drop its story's cached comparison and record an ``update`` event, in one transaction. The article keeps
        its story, copy mark and first-stored time; a new text without a publication date keeps the old date.
        Returns the number of the version kept (1 for the first text). Raises NotFound."""

    @abstractmethod
    def copies_of(self, article_id: str) -> list[str]:
        """Ids of the stored articles marked as copies of this one."""

    @abstractmethod
    def known_texts(self, article_id: str) -> list[tuple[str, str]]:
        """(title, content hash) of the article's current text, then of each earlier one; empty if not stored."""

    @abstractmethod
    def article_versions(self, article_ids: list[str]) -> list[ArticleVersion]:
        """The earlier texts of these articles, in the order they were replaced."""

    @abstractmethod
    def articles_with_hash(self, content_hash: str) -> list[str]:
        """Ids of stored articles with this content hash (exact copies)."""

    @abstractmethod
    def get_article(self, article_id: str) -> Article:
        """Raises crosswire.errors.NotFound."""

    @abstractmethod
    def get_analyzed(self, article_ids: list[str]) -> list[AnalyzedArticle]:
        """Articles with sentences, mentions and embeddings, in the order asked."""

    @abstractmethod
    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        """All articles, oldest publication first (undated last)."""

    @abstractmethod
    def signatures(self, article_ids: list[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """Stored near-duplicate signatures: of these articles, or of all."""

    # ---- stories ----------------------------------------------------------------------
    @abstractmethod
    def create_story(self, article_ids: list[str], headline: str = "") -> int:
        """A new story holding these articles; returns its stable id."""

    @abstractmethod
    def add_to_story(self, story_id: int, article_id: str) -> None: ...

    @abstractmethod
    def story_of(self, article_id: str) -> int | None: ...

    @abstractmethod
    def unplaced_articles(self) -> list[str]:
        """Ids of stored articles in no story, in publication order (undated last): what a call that failed
        or was killed between storing an article and placing it left behind (``pipeline`` places them)."""

    @abstractmethod
    def get_story(self, story_id: int) -> Story:
        """Raises crosswire.errors.NotFound."""

    @abstractmethod
    def list_stories(self, *, q: str | None = None, entity: str | None = None,
                     lang: str | None = None, since: datetime | None = None,
                     until: datetime | None = None, cursor: str | None = None,
                     limit: int = 20) -> tuple[list[Story], str | None]:
        """Newest first (by last update), filtered; returns (page, next_cursor)."""

    @abstractmethod
    def story_ids(self) -> list[int]: ...

    @abstractmethod
    def merge_stories(self, keep: int, absorb: int, reason: str) -> None:
        """Move every article of `absorb` into `keep`; `absorb` stays as a recorded redirect."""

    @abstractmethod
    def split_story(self, story_id: int, article_ids: list[str], reason: str, headline: str = "") -> int:
        """Move `article_ids` out of `story_id` into a new story (returned); recorded as a 'split' event
        on both stories, so a reader can see why a story lost articles."""

    @abstractmethod
    def record_event(self, event: StoryEvent) -> None: ...

    @abstractmethod
    def story_events(self, story_id: int) -> list[StoryEvent]: ...

    @abstractmethod
    def story_events_since(self, event_id: int) -> list[StoryEvent]:
        """Every story event after ``event_id`` (see ``revision``), oldest first: what other writers did
        since an index was current, so it can catch up instead of being rebuilt."""

    @abstractmethod
    def hand_edits(self) -> list[StoryEvent]:
        """The merges and splits an editor made (reason ``by hand``), oldest first: constraints the story index
        keeps when it is built or catches up (``StoryAssigner``)."""

    @abstractmethod
    def update_story(self, story_id: int, *, members: list[str] | None = None, texts: list[str] | None = None,
                     **fields: Any) -> None:
        """Set headline / conflict_count / cached comparison JSON (key `comparison`); with ``members``, only if the
        story holds exactly those articles when the write happens (a comparison of the members it was made from);
        with ``texts`` ("id|content hash|title" per member), only if none of them has had its text replaced since."""

    @abstractmethod
    def comparison_text(self, story_id: int) -> str | None:
        """The stored comparison as its JSON text, or None when the story changed since it was made.

        Raw text so that readers can tell "unchanged" by comparing strings, without parsing."""

    @abstractmethod
    def stories_compared_otherwise(self, story_ids: list[int], stamp: str) -> list[int]:
        """Of these stories, the ones whose stored comparison is missing (changed since) or was not made by
        ``stamp`` (``pipeline.comparison_stamp``): one query for a listed page, so lists can refresh the
        conflict counts they show instead of the counts an older version of the code stored."""

    def cached_comparison(self, story_id: int) -> dict[str, Any] | None:
        """The stored comparison JSON, or None when the story changed since it was made."""
        text = self.comparison_text(story_id)
        return json.loads(text) if text else None

    @abstractmethod
    def stories_with_entity(self, name: str) -> list[int]:
        """Stories whose articles mention an entity with this (folded) name."""

    # ---- misc ---------------------------------------------------------------------------
    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts: articles, stories, sources (outlets), languages {lang: n}, duplicates, mentions."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Just `articles` and `stories`: cheap enough for a health check on a large store."""

    @abstractmethod
    def revision(self) -> dict[str, int]:
        """`articles` and `placed` (how many articles, how many of them in a story) and `events` (the last
        story event's id): two equal revisions of one database hold the same stories, because every story
        change either places an article (a copy joins its original's story with no event) or records an event
        (create, join, merge, split). An index built from the store is current while its revision is, and
        the three counts together tell whether the changes since are ones it can replay (kept_indexes.py).
        No story count: counting live stories took 35 ms at 100k stories, twice per ingest call; these take
        a few ms."""

    @abstractmethod
    def languages(self) -> list[str]:
        """The languages of stored articles, sorted (for filters)."""

    @abstractmethod
    def writer_turn(self) -> AbstractContextManager[None]:
        """Hold the database's one writing turn: another process's (or thread's) ``writer_turn`` on the same
        database waits until this one ends. The pipeline stores and places each batch inside a turn, so two
        writers never interleave story decisions: each sees the other's stories whole (its index replays
        them from the story-event log) instead of both starting a story for one event, and neither has to
        rebuild its index because the other wrote in the middle of its call. Raises StoreError after waiting
        ``TURN_WAIT`` seconds."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
