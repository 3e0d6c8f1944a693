"""The one path every article takes: ingest -> nlp -> store -> stories, and compare on demand.

The CLI and the HTTP API both call these functions, so an article added through the
browser ends up exactly like one added from a folder. Stages are reached only through
their public entry points (docs/architecture.md).
"""
from __future__ import annotations

import threading
from typing import Callable, Iterable

from crosswire.config import Settings
from crosswire.model import AnalyzedArticle, Article, Comparison, IngestReport
from crosswire.store import Store

Progress = Callable[[int], None] | None
BATCH = 64  # articles analysed per NLP call: large enough for batching, small enough to show progress

_near_dup_indexes: dict[str, object] = {}  # _database_key -> MinHash index
# (_database_key, [stories] settings) -> (StoryAssigner, the store's counts when it was put back)
_assigners: dict[tuple[str, str], tuple[object, dict[str, int]]] = {}
KEPT_ASSIGNERS = 4  # stores whose story index a process keeps between ingest calls
_assigners_lock = threading.Lock()


def _database_key(store: Store) -> str | None:
    """Which database an index kept in this process belongs to; None: keep none.

    Not the raw ``store.url``: every ``:memory:`` store has the same one, a relative path names
    another file from another directory, and a file deleted and created again is another database.
    So a SQLite file is named by its resolved path, device and inode, and in-memory stores keep nothing."""
    import os
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


def _near_duplicates(store: Store, settings: Settings):
    """The MinHash index of everything stored, built once per database and kept up to date."""
    from crosswire.ingest.dedup import NearDuplicateIndex
    key = _database_key(store)
    index = _near_dup_indexes.get(key) if key is not None else None
    if index is None:
        index = NearDuplicateIndex(float(settings.get("ingest", "near_duplicate_threshold", 0.8)))
        for article_id, signature in store.signatures():
            index.add(article_id, signature)
        if key is not None:
            _near_dup_indexes[key] = index
    return index


def _assigner_key(store: Store, settings: Settings) -> tuple[str, str] | None:
    """The database and the [stories] settings a kept story index belongs to; None: keep none."""
    import json

    from crosswire.stories.stream import stories_settings
    database = _database_key(store)
    return None if database is None else (database, json.dumps(stories_settings(settings), sort_keys=True))


def _checkout_assigner(store: Store, settings: Settings):
    """The store's StoryAssigner from the last ingest call in this process, or a new one.

    Why keep it: a new assigner rebuilds its index from every stored analysis (~0.4 ms per stored
    article, measured), so a feed or API client sending a few articles per call would pay O(store)
    each time: a stream in small batches would cost quadratic time. The kept one is handed out only
    if the store's article and story counts are still what it left (another process or thread that
    wrote in between changes them, and then the index is rebuilt); checked out means no other call
    uses it. Returns (assigner, its key for ``_checkin_assigner``, article count now)."""
    from crosswire.stories import StoryAssigner
    counts = store.counts()
    key = _assigner_key(store, settings)
    with _assigners_lock:
        kept = _assigners.pop(key, None) if key is not None else None
    if kept is not None and kept[1] == counts:
        assigner = kept[0]
        assigner.store = store  # the same database, perhaps through a newly opened Store
        return assigner, key, counts["articles"]
    return StoryAssigner(store, settings), key, counts["articles"]


def _checkin_assigner(store: Store, key: tuple[str, str] | None, assigner, articles_before: int, added: int) -> None:
    """Keep ``assigner`` for the next call, unless someone else added articles meanwhile."""
    counts = store.counts()
    if key is None or counts["articles"] != articles_before + added:
        return
    with _assigners_lock:
        while len(_assigners) >= KEPT_ASSIGNERS:
            _assigners.pop(next(iter(_assigners)))
        _assigners[key] = (assigner, counts)


def _publication_order(articles: Iterable[Article]) -> list[Article]:
    """Streaming clustering expects time order; undated articles go last, in the order given."""
    indexed = list(enumerate(articles))
    indexed.sort(key=lambda p: (p[1].published is None,
                                p[1].published.replace(tzinfo=None) if p[1].published else None, p[0]))
    return [a for _, a in indexed]


def ingest_articles(store: Store, articles: list[Article], settings: Settings,
                    progress: Progress = None) -> IngestReport:
    """Analyse and store new articles and put each into a story. Idempotent.

    An article already stored (same id) is reported and left alone. A copy of a stored or
    earlier article (same body, or MinHash-similar above the threshold) is stored, marked
    `duplicate_of`, and joins its original's story without counting as independent evidence.
    """
    from crosswire import nlp

    report = IngestReport()
    fresh: list[Article] = []
    seen: set[str] = set()
    for article in _publication_order(articles):
        if article.id in seen or store.has_article(article.id):
            report.already_stored.append(article.id)
            if progress:
                progress(1)
            continue
        seen.add(article.id)
        fresh.append(article)

    near = _near_duplicates(store, settings)
    assigner, assigner_key, articles_before = _checkout_assigner(store, settings)
    touched: set[int] = set()
    batch_hashes: dict[str, str] = {}
    for start in range(0, len(fresh), BATCH):
        batch = fresh[start:start + BATCH]
        signatures = {}
        for article in batch:
            signatures[article.id] = near.signature(article.text)
            exact = store.articles_with_hash(article.content_hash) or [batch_hashes.get(article.content_hash)]
            original = exact[0] or near.query(signatures[article.id])
            if original and original != article.id:
                article.duplicate_of = original
                report.duplicates[article.id] = original
            batch_hashes.setdefault(article.content_hash, article.id)
            near.add(article.id, signatures[article.id])  # later copies in this same batch find it
        for analyzed in nlp.analyze(batch, settings):
            article = analyzed.article
            if not store.add_article(analyzed):
                report.already_stored.append(article.id)
                continue
            store.save_signature(article.id, signatures[article.id])
            report.added.append(article.id)
            story_id = _place_in_story(store, assigner, analyzed)
            report.stories[article.id] = story_id
            touched.add(story_id)
            if progress:
                progress(1)
    _checkin_assigner(store, assigner_key, assigner, articles_before, len(report.added))
    for story_id in sorted(touched):
        story_comparison(store, story_id, settings)  # refresh headline, conflict count and cache
    return report


def _place_in_story(store: Store, assigner, analyzed: AnalyzedArticle) -> int:
    original = analyzed.article.duplicate_of
    story_id = store.story_of(original) if original else None
    if story_id is None:
        return assigner.assign(analyzed)
    assigner.add_copy(analyzed, story_id)
    return story_id


def story_comparison(store: Store, story_id: int, settings: Settings) -> Comparison:
    """The story's comparison, from the store's cache unless the story changed since."""
    cached = store.cached_comparison(story_id)
    if cached is not None:
        return Comparison.from_record(cached)
    from crosswire.compare import compare
    story = store.get_story(story_id)
    comparison = compare(store.get_analyzed(story.article_ids), settings)
    comparison.story_id = story_id
    comparison.headline = comparison.headline or _headline(comparison)
    store.update_story(story_id, headline=comparison.headline, conflict_count=comparison.conflict_count(),
                       comparison=comparison.to_record())
    return comparison


def _headline(comparison: Comparison) -> str:
    """The earliest independent source's title names the story."""
    titled = [s for s in comparison.sources if s.title and not s.duplicate_of]
    titled.sort(key=lambda s: s.published or "9999")
    return titled[0].title if titled else ""


def compare_articles(articles: list[Article], settings: Settings) -> Comparison:
    """Ad-hoc comparison of a few texts; nothing is stored."""
    from crosswire import nlp
    from crosswire.compare import compare
    comparison = compare(nlp.analyze(articles, settings), settings)
    comparison.headline = comparison.headline or _headline(comparison)
    return comparison
