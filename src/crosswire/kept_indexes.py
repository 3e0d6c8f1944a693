"""The two in-memory indexes an ingest call needs, kept between calls and saved between processes.

Ingest needs the near-duplicate MinHash index of every stored article and the story index (the
``StoryAssigner``). Both are built from the store, at a cost that grows with it (measured per stored
article: ~0.4 ms for the story index, ~0.03 ms for the MinHash index). Built per call, a feed or API
client sending a few articles at a time would pay O(store) each time, i.e. quadratic time over a stream.
So a process keeps both, per database, and a process that is done saves the story index
(``save_story_index``) for the next one to load (stories/saved_index.py).

Consistency rules, the same for both indexes:
- A call keeps its indexes only if its own writes explain every change to the store while it ran (its
  articles, its placements, its assigner's story events), stamped with the store's revision (article
  and placement counts, last story event id). Another writer's change inside the call means the index may lack it: dropped.
- At the next checkout, a kept or saved index whose stamp is not the store's revision is brought up to
  date from the story-event log when all that happened since is other writers' story events: new stories,
  joins and copies placing one new article each, merges and splits (so writers taking turns, a cron job and
  a server, keep their indexes); anything else since (an article placed with no event, an article stored
  and left without a story) means a rebuild.
The pipeline checks indexes out and in once per batch, inside the store's writer turn, so no other writer's
change falls between the two. Checked out, an index belongs to one call; a concurrent call builds its own.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from typing import Any

from crosswire.config import Settings
from crosswire.store import Store

KEPT = 4  # databases (x settings) whose indexes one process keeps between ingest calls


def database_key(store: Store) -> str | None:
    """Which database an index kept in this process belongs to; None: keep none.

    Not the raw ``store.url``: every ``:memory:`` store has the same one, a relative path names
    another file from another directory, and a file deleted and created again is another database.
    So a SQLite file is named by its resolved path, device and inode, and in-memory stores keep nothing."""
    url = store.url
    if url.startswith(("postgresql://", "postgres://")):
        return url
    if url == ":memory:" or "mode=memory" in url:
        return None
    try:
        path = os.path.realpath(os.path.expanduser(url))
        stat = os.stat(path)
    except OSError:
        return None
    return f"{path}#{stat.st_dev}:{stat.st_ino}"


def assigner_key(store: Store, settings: Settings) -> tuple[str, str] | None:
    """The database and the [stories] settings a story index belongs to; None: keep none."""
    from crosswire.stories.stream import stories_settings
    database = database_key(store)
    return None if database is None else (database, json.dumps(stories_settings(settings), sort_keys=True))


def near_duplicate_key(store: Store, threshold: float) -> tuple[str, float] | None:
    database = database_key(store)
    return None if database is None else (database, threshold)


class _Shelf:
    """Indexes by key, each with the store revision it is current at; at most ``KEPT`` of them."""

    def __init__(self) -> None:
        self._items: dict[Any, tuple[Any, dict[str, int]]] = {}
        self._lock = threading.Lock()

    def take(self, key: Any) -> tuple[Any, dict[str, int]] | None:
        """(the index kept under ``key``, the revision it is current at); it is then checked out."""
        with self._lock:
            return self._items.pop(key, None) if key is not None else None

    def put(self, key: Any, index: Any, revision: dict[str, int]) -> None:
        if key is None:
            return
        with self._lock:
            while len(self._items) >= KEPT:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (index, revision)

    def peek(self, key: Any) -> tuple[Any, dict[str, int]] | None:
        with self._lock:
            return self._items.get(key)

    def clear(self) -> None:
        """Forget every kept index: what a new process starts with (tests, benchmarks)."""
        with self._lock:
            self._items.clear()


near_duplicate_indexes = _Shelf()
story_indexes = _Shelf()


@dataclass
class Lease:
    """The indexes one ingest call works with; hand them back with ``checkin``."""

    near: Any  # crosswire.ingest.dedup.NearDuplicateIndex
    assigner: Any  # crosswire.stories.StoryAssigner
    origin: str  # where the story index came from: "kept", "saved" or "built" (lazily, on first use)
    revision: dict[str, int]
    near_key: Any
    story_key: Any
    events_before: int  # the assigner's events_written at checkout
    current_at: dict[str, int] | None = None  # set by checkin: the revision its indexes are current at, if they are


def checkout(store: Store, settings: Settings, previous: Lease | None = None) -> Lease:
    """This process's indexes of ``store``, else the saved story index, else new ones; a kept or saved
    index is brought up to date with other writers' story events (``_caught_up``) or not used. ``previous``: the same
    call's lease for its last batch, reused for a store no process keeps indexes of (in memory) if its checkin
    found it current and nothing (another thread) has written since."""
    from crosswire.ingest.dedup import NearDuplicateIndex
    from crosswire.stories import StoryAssigner
    revision = store.revision()
    threshold = float(settings.get("ingest", "near_duplicate_threshold", 0.8))
    near_key, story_key = near_duplicate_key(store, threshold), assigner_key(store, settings)
    if previous is not None and story_key is None and previous.current_at == revision:
        return Lease(previous.near, previous.assigner, previous.origin, revision, near_key, story_key,
                     previous.assigner.events_written)
    near = _caught_up(store, near_duplicate_indexes.take(near_key), revision, _add_signatures)
    if near is None:
        near = NearDuplicateIndex(threshold)
        for article_id, signature in store.signatures():
            near.add(article_id, signature)
    kept = story_indexes.take(story_key)
    if kept is not None and kept[0].built:
        kept[0].store = store  # the same database, perhaps through a newly opened Store
        assigner = _caught_up(store, kept, revision, _place_foreign)
        if assigner is not None:
            return Lease(near, assigner, "kept", revision, near_key, story_key, assigner.events_written)
    saved = _saved_assigner(store, settings, story_key, revision)
    assigner = _caught_up(store, saved, revision, _place_foreign)
    if assigner is not None:
        return Lease(near, assigner, "saved", revision, near_key, story_key, assigner.events_written)
    return Lease(near, StoryAssigner(store, settings), "built", revision, near_key, story_key, 0)


def _foreign_events(store: Store, since: dict[str, int], now: dict[str, int]):
    """The story events other writers wrote between two revisions, if they are all an index can catch up
    on: creates and joins (copies included) each placing one new article, merges, splits and updated texts
    (``update``: a stored report's outlet sent a new text). None otherwise
    (rebuild): an article placed without an event (an older version's copy), or more articles stored than
    placed. (An article stored and left without a story, plus an old one placed late, balance these counts;
    the near-duplicate catch-up, which knows which articles it holds, tells them apart.)"""
    if since == now:
        return []
    if set(since) != set(now):  # saved by a version whose revision counted other things
        return None
    added = now["articles"] - since["articles"]
    if added < 0 or now["placed"] - since["placed"] != added:  # every new article placed, nothing else
        return None
    events = store.story_events_since(since["events"])
    placing = [e for e in events if e.kind in ("create", "join")]
    if (len(placing) != added or len({e.article_id for e in placing}) != added or not all(e.article_id for e in placing)
            or any(e.kind not in ("create", "join", "merge", "split", "update") for e in events)):
        return None
    return events


def _caught_up(store: Store, kept, revision: dict[str, int], apply):
    """``kept`` = (index, the revision it is current at), brought up to ``revision`` by ``apply(index,
    events)``; None if it cannot be (then the caller builds a new one)."""
    if kept is None:
        return None
    index, since = kept
    events = _foreign_events(store, since, revision)
    if events is None or (events and not apply(store, index, events, revision["articles"] - since["articles"])):
        return None
    return index


def _add_signatures(store: Store, near, events, added: int) -> bool:
    """False unless the placed articles new to ``near`` are all the articles stored since: an article another
    writer stored and could not place, plus an old one it placed late, balance the counts (rebuild then)."""
    new = [e.article_id for e in events if e.article_id and e.kind in ("create", "join") and not near.holds(e.article_id)]
    if len(new) != added:
        return False
    for article_id, signature in store.signatures(new):
        near.add(article_id, signature)
    for article_id, signature in store.signatures(sorted({e.article_id for e in events if e.kind == "update"})):
        near.replace(article_id, signature)  # its new text: a later copy of that is a copy of it
    return True


def _place_foreign(store: Store, assigner, events, added: int) -> bool:
    return assigner.catch_up(events)


def _saved_assigner(store: Store, settings: Settings, key: Any, revision: dict[str, int]):
    """(the saved assigner, its revision) if one was saved that can be brought up to ``revision``."""
    directory = settings.story_index_dir
    if key is None or directory is None:
        return None
    from crosswire.stories import saved_index
    usable = lambda since: _foreign_events(store, since, revision) is not None  # noqa: E731
    return saved_index.load(saved_index.index_path(directory, key), key, store, settings, usable)


def checkin(store: Store, lease: Lease, added: int, placed: int) -> None:
    """Keep the lease's indexes for the next call if this call's own writes explain every change to the
    store since checkout: its articles, its placements (``placed``: articles it put into stories) and the
    story events its assigner wrote. Another writer's article
    or story event in between means an index may lack it (the story index is built lazily, at the first
    article placed, so even a story another writer created while this call ran may be missing): drop both,
    and the next call rebuilds."""
    revision = store.revision()
    own_events = lease.assigner.events_written - lease.events_before
    if (revision["articles"] != lease.revision["articles"] + added
            or revision["placed"] != lease.revision["placed"] + placed
            or revision["events"] != lease.revision["events"] + own_events):
        return
    lease.current_at = revision
    near_duplicate_indexes.put(lease.near_key, lease.near, revision)
    story_indexes.put(lease.story_key, lease.assigner, revision)


def save_story_index(store: Store, settings: Settings) -> bool:
    """Save this process's story index of ``store`` for the next process (``[store] story_index_dir``).

    Called when a process is done with a store: the CLI when a command ends, the server at shutdown.
    Saves only an index that was built and is still current; True if one was written."""
    from crosswire.stories import saved_index
    key = assigner_key(store, settings)
    directory = settings.story_index_dir
    kept = story_indexes.peek(key) if key is not None and directory is not None else None
    if kept is None or not kept[0].built:
        return False
    try:
        current = store.revision()
    except Exception:  # a store failing now (a lost connection) must not hide the error that ended the command
        return False
    return current == kept[1] and saved_index.save(kept[0], saved_index.index_path(directory, key), key, kept[1])
