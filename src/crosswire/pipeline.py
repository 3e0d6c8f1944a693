"""The one path every article takes: ingest -> nlp -> store -> stories, and compare on demand.

The CLI and the HTTP API both call these functions, so an article added through the
browser ends up exactly like one added from a folder. Stages are reached only through
their public entry points (docs/architecture.md).
"""
from __future__ import annotations

import threading
from typing import Callable, Iterable

from crosswire import kept_indexes, report_texts
from crosswire.config import Settings
from crosswire.model import AnalyzedArticle, Article, Comparison, IngestReport, SourceUpdate, Story
from crosswire.store import Store

Progress = Callable[[int], None] | None
BATCH = 64  # articles analysed per NLP call: large enough for batching, small enough to show progress


def _publication_order(articles: Iterable[Article]) -> list[Article]:
    """Streaming clustering expects time order; undated articles go last, in the order given."""
    indexed = list(enumerate(articles))
    indexed.sort(key=lambda p: (p[1].published is None,
                                p[1].published.replace(tzinfo=None) if p[1].published else None, p[0]))
    return [a for _, a in indexed]


def ingest_articles(store: Store, articles: list[Article], settings: Settings,
                    progress: Progress = None) -> IngestReport:
    """Analyse and store new articles and put each into a story. Idempotent.

    An article already stored (same id) with the same text (now or earlier) is reported and left alone; one with
    a new text or headline (its outlet updated it at the same URL) replaces the stored text in its story, which
    keeps the earlier text and what changed (``updated``; ``Store.replace_article``). A call stopped between storing an
    article and placing it (killed, Ctrl-C, a database error) leaves it without a story: the next call that
    has anything to place (or the same input again) places every such article first (``placed_late``).
    A copy of a stored or earlier article (same body, or MinHash-similar above the threshold) is stored,
    marked `duplicate_of`, and joins its original's story without counting as independent evidence.
    """
    from crosswire import nlp

    report = IngestReport()
    fresh: list[Article] = []
    left_over = False  # an input article stored earlier without a story: worth a turn even with nothing new
    reports: dict[str, report_texts.Known] = {}  # by id: the texts stored, and those met earlier in this call
    updating: set[int] = set()  # positions in `fresh` of a new text of a report stored or met earlier in this call
    for article in _publication_order(articles):  # two versions in one input: the older first, the newer updates it
        known = report_texts.report_for(store, reports, article)
        key = report_texts.text_key(article.title, article.content_hash)
        if report_texts.nothing_new(article, known):
            report.already_stored.append(article.id)
            left_over = left_over or (known.stored and store.story_of(article.id) is None)
            if progress:
                progress(1)
            continue
        if known.keys:
            updating.add(len(fresh))
        known.keys.add(key)
        known.current, known.published, known.text = key, article.published or known.published, article.text
        fresh.append(article)

    touched: set[int] = set()
    batch_hashes: dict[str, str] = {}
    # nothing new and nothing to place: no turn to wait for, no index to load
    batches = [fresh[start:start + BATCH] for start in range(0, len(fresh), BATCH)] or ([[]] if left_over else [])
    lease = None
    for number, batch in enumerate(batches):
        analysed = nlp.analyze(batch, settings) if batch else []  # the slow part, outside the writing turn
        report.notes += article_notes(batch, settings)
        with store.writer_turn():  # another writer's batch waits, so each sees the other's stories whole
            lease = kept_indexes.checkout(store, settings, previous=lease)
            placed = 0
            if number == 0 and lease.revision["articles"] > lease.revision["placed"]:
                placed = _place_left_over(store, lease.assigner, report, touched)
                if placed is None:  # one of them failed: its index may be half-updated, so start from the store
                    lease, placed = kept_indexes.checkout(store, settings), 0
            near, assigner = lease.near, lease.assigner
            added = 0
            for position, analyzed in enumerate(analysed, start=number * BATCH):
                if position in updating:
                    story_id = _update(store, near, assigner, analyzed, report, settings, batch_hashes)
                    touched.update([story_id] if story_id is not None else [])
                    if progress:
                        progress(1)
                    continue
                story_id = _file(store, near, assigner, analyzed, report, batch_hashes)
                if story_id is not None:
                    added += 1
                    placed += 1
                    touched.add(story_id)
                if progress:
                    progress(1)
            report.story_index = report.story_index or (lease.origin if assigner.built else "")
            report.story_changes += assigner.changes
            assigner.changes.clear()
            kept_indexes.checkin(store, lease, added, placed=placed)
    _final_story_ids(store, report)
    for story_id in sorted({store.get_story(s).id for s in touched}):
        story_comparison(store, story_id, settings)  # refresh headline, conflict count and cache
    return report


def _final_story_ids(store: Store, report: IngestReport) -> None:
    """Each placed article's story as the call leaves it: a later article of the same call may have merged the
    story an earlier one joined, or split it off, and the report then named a story that no longer exists."""
    for article_id in report.stories:  # one indexed lookup each: small beside analysing the article
        story_id = store.story_of(article_id)
        if story_id is not None:
            report.stories[article_id] = story_id


_unplaceable: set[str] = set()  # left-over articles this process failed to place: not tried again by it


def article_notes(articles: list[Article], settings: Settings) -> list[str]:
    """One line per thing a user should hear about how an article was read, for every surface that analyses
    (ingest, brief, compare, the API and the web form): what its reader noticed (``Article.notes``: a misspelt
    field, a date that is not one) and a text analysed only in part (``[nlp] max_analysed_chars``; stored
    whole and searchable, but its later sentences give no facts, quotes or dates to compare)."""
    from collections import Counter

    from crosswire.nlp import analysed_end, analysis_limit
    limit = analysis_limit(settings)
    lines: Counter[str] = Counter()  # a typo in every record of a 10k-line export is one line, with its count
    for article in articles:
        where = article.origin or article.url or article.id
        lines.update(f"{where}: {note}" for note in article.notes)
        if len(article.text) > limit:
            lines[f"{where}: text of {len(article.text):,} characters analysed up to "
                  f"{analysed_end(article.text, limit):,} ([nlp] max_analysed_chars)"] += 1
    return [line if count == 1 else f"{line} ({count} records)" for line, count in lines.items()]


def _place_left_over(store: Store, assigner, report: IngestReport, touched: set[int]) -> int | None:
    """Place the articles an earlier call stored and could not place (it failed or was killed in between),
    oldest first, before this call's own: how many, or None if one failed (then it is reported, this process
    leaves it alone from then on, and the call goes on with its own articles: one bad left-over must not stop a
    feed). Inside the writer turn, so no other writer is between storing and placing one of them (a writer of a
    version without turns could be; see docs/stories.md). A database error is not the article's fault: raised."""
    from crosswire.errors import StoreError
    for article_id in store.unplaced_articles():
        if article_id in _unplaceable:
            continue
        try:
            [analyzed] = store.get_analyzed([article_id])
            story_id = _place_in_story(store, assigner, analyzed)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - stored data this version cannot place: report it, go on
            _unplaceable.add(article_id)
            report.errors.append(f"{article_id}: stored without a story by an earlier run, and placing it failed "
                                 f"({type(exc).__name__}: {exc}); left without a story")
            return None
        report.stories[article_id] = story_id
        report.placed_late.append(article_id)
        touched.add(story_id)
    return len(report.placed_late)


def _file(store: Store, near, assigner, analyzed: AnalyzedArticle, report: IngestReport,
          batch_hashes: dict[str, str]) -> int | None:
    """Mark an analysed article as a copy if it is one, store it and place it: its story id, or None when another
    writer stored it meanwhile. Runs inside the writer turn (the copy check must see every stored article)."""
    article = analyzed.article
    signature = near.signature(article.text)
    original = _copy_of(store, near, article, signature, batch_hashes)
    if original:
        article.duplicate_of = original
        report.duplicates[article.id] = original
    batch_hashes.setdefault(article.content_hash, article.id)
    near.add(article.id, signature)  # later copies in this same call find it
    if not store.add_article(analyzed, signature=signature):
        report.already_stored.append(article.id)
        return None
    report.added.append(article.id)
    report.stories[article.id] = story_id = _place_in_story(store, assigner, analyzed)
    return story_id


def _update(store: Store, near, assigner, analyzed: AnalyzedArticle, report: IngestReport, settings: Settings,
            batch_hashes: dict[str, str]) -> int | None:
    """Store a stored report's new text in place, keeping the one it replaces with what changed (values stated
    otherwise, sentences reworded, added or taken out; a new headline): its story id. Inside the writer turn,
    so the text it replaces is the one stored now (another writer may have updated it meanwhile). A shorter excerpt
    of the stored text (a feed's teaser of a page stored in full) changes nothing. The new text is checked for
    being a copy as a new report is (``_copy_of``), and ``StoryAssigner.replace_text`` places a report that was alone
    in its story again (a "Breaking:" stub updated to the full report finds the story the others are in)."""
    from crosswire.compare import changes_between
    from crosswire.model import Change
    article = analyzed.article
    known = report_texts.read_known(store, article.id)
    if not known.stored:  # the earlier text of this call was not stored (another writer's, or it failed): a new report
        return _file(store, near, assigner, analyzed, report, batch_hashes)
    if report_texts.nothing_new(article, known):
        report.already_stored.append(article.id)
        return None
    [before] = store.get_analyzed([article.id])
    if article.published is None:  # an update without a date is as old as the report (the index's time gap too)
        article.published = before.article.published
    signature = near.signature(article.text)
    article.duplicate_of = _copy_of(store, near, article, signature, batch_hashes,
                                    own={article.id, *store.copies_of(article.id)})
    changes = changes_between(before, analyzed, settings)
    if report_texts.text_key(before.article.title, "") != report_texts.text_key(article.title, ""):
        changes.insert(0, Change(kind="headline", before=before.article.title, after=article.title))
    story_id = assigner.replace_text(analyzed, changes, signature)
    near.replace(article.id, signature)
    batch_hashes.setdefault(article.content_hash, article.id)
    report.updated.append(article.id)
    if article.duplicate_of:
        report.duplicates[article.id] = article.duplicate_of
    if story_id is not None:
        report.stories[article.id] = story_id
    return story_id


def _copy_of(store: Store, near, article: Article, signature: bytes, batch_hashes: dict[str, str],
             own: set[str] | None = None) -> str | None:
    """The stored or earlier article this text copies (same body, now or in an earlier version of it, or
    MinHash-similar above the threshold), never the article itself or one in ``own`` (an updated original is no
    copy of its reprints)."""
    own = own or {article.id}
    exact = [i for i in store.articles_with_hash(article.content_hash) if i not in own]
    earlier = batch_hashes.get(article.content_hash)
    original = (exact[0] if exact else None) or (earlier if earlier not in own else None) \
        or near.query(signature, exclude=own)
    return original if original and original not in own else None


def _place_in_story(store: Store, assigner, analyzed: AnalyzedArticle) -> int:
    original = analyzed.article.duplicate_of
    story_id = store.story_of(original) if original else None
    if story_id is None:
        return assigner.assign(analyzed)
    assigner.add_copy(analyzed, story_id)
    return story_id


def story_comparison(store: Store, story_id: int, settings: Settings) -> Comparison:
    """The story's comparison, from the store's cache unless the story changed since, or the cached one was
    made by other comparison code or ``[compare]`` settings (``comparison_stamp``): after an upgrade, a store
    kept serving the old code's conflicts, a fixed false conflict included, for every story not touched since."""
    import json
    cached = store.comparison_text(story_id)
    if comparison_is_current(cached, settings):
        return Comparison.from_record(json.loads(cached))
    with _COMPARING[story_id % len(_COMPARING)]:  # readers of one stale story wait for one comparison, not make eight
        cached = store.comparison_text(story_id)
        if comparison_is_current(cached, settings):
            return Comparison.from_record(json.loads(cached))
        from crosswire.compare import compare
        story = store.get_story(story_id)
        analysed = store.get_analyzed(story.article_ids)
        comparison = compare(analysed, settings)
        comparison.story_id = story_id
        comparison.headline = comparison.headline or _headline(comparison)
        comparison.updates = _source_updates(store, comparison, {a.article.id: a.article.content_hash for a in analysed})
        # stored only if the story still holds what was compared: if it changed meanwhile, a newer comparison may be
        # stored already, and this one, stamped current, would replace it for good
        texts = [f"{a.article.id}|{a.article.content_hash}|{a.article.title}" for a in analysed]
        store.update_story(story_id, members=story.article_ids, texts=texts, headline=comparison.headline,
                           conflict_count=comparison.conflict_count(),
                           comparison={**comparison.to_record(), "made_by": comparison_stamp(settings)})
        return comparison


def _source_updates(store: Store, comparison: Comparison, hashes: dict[str, str]) -> list[SourceUpdate]:
    """The story's reports their outlets updated, by citation number, oldest update first, with the copies that
    still carry a replaced text (a reprint of the wire's first version: its "12" against the update's "15" is the
    wire's change, not the reprint's): what the briefing's "Updated by their outlets" section says. The compare
    stage sees the current texts only."""
    number = {source.article_id: source.id for source in comparison.sources}
    versions = store.article_versions(list(number))
    if not versions:
        return []
    copies = [s for s in comparison.sources if s.duplicate_of]
    return [SourceUpdate(source=number[v.article_id], version=v.version, replaced_at=v.replaced_at, changes=v.changes,
                         reprinted_by=[s.id for s in copies if s.duplicate_of == number[v.article_id]
                                       and hashes.get(s.article_id) == v.content_hash])
            for v in versions]


_COMPARING = [threading.Lock() for _ in range(64)]  # by story id: one comparison of a story at a time per process
LIST_REFRESH = 20  # stale stories compared again per listed page; the rest show their stored counts until read


def listed_stories(store: Store, stories: list[Story], settings: Settings) -> list[Story]:
    """A page of a story list with the conflict counts and headlines of comparisons made by this code: a story
    whose stored comparison is older (an upgrade, other ``[compare]`` settings) or missing is compared again
    first, as opening it would. Before, every list showed the old count until the story was opened, so a
    fixed false conflict still counted on the list. Costs one query when nothing is stale; at most ``LIST_REFRESH``
    stories are compared per call (a big story takes about a second), so a long list after an upgrade shows the
    rest with their stored counts until a later page view or the story itself is read."""
    stale = set(sorted(store.stories_compared_otherwise([s.id for s in stories], comparison_stamp(settings)))[:LIST_REFRESH])
    for story_id in sorted(stale):
        story_comparison(store, story_id, settings)
    return [store.get_story(s.id) if s.id in stale else s for s in stories]


_code_digest: str | None = None


def comparison_stamp(settings: Settings) -> str:
    """A digest of what a comparison depends on beyond the story's analyses: the compare stage's source files
    and the ``[compare]`` settings. Read once per process (a few files)."""
    import hashlib
    import json
    from importlib import resources
    global _code_digest
    if _code_digest is None:
        code = hashlib.sha256()
        for file in sorted(resources.files("crosswire.compare").iterdir(), key=lambda f: f.name):
            if file.name.endswith(".py"):
                code.update(file.name.encode() + b"\0" + file.read_bytes())
        _code_digest = code.hexdigest()
    section = json.dumps(settings.section("compare") if settings is not None else {}, sort_keys=True, default=str)
    return hashlib.sha256((_code_digest + section).encode()).hexdigest()[:16]


def comparison_is_current(text: str | None, settings: Settings) -> bool:
    """Whether a story's stored comparison JSON (``Store.comparison_text``) was made by this comparison code and
    these ``[compare]`` settings: the one test, for the CLI and for the API's render cache, which holds the text.
    The store writes it with json.dumps' default separators, so the stamp is found as written."""
    return bool(text) and f'"made_by": "{comparison_stamp(settings)}"' in text


def _headline(comparison: Comparison) -> str:
    """The earliest independent source in the story's language (``brief.sections.briefing_language``) names the
    story, so a mostly English story is not headed by its one German report above English facts."""
    from crosswire.brief.sections import briefing_language
    language = briefing_language(comparison)
    titled = [s for s in comparison.sources if s.title and not s.duplicate_of]
    titled = [s for s in titled if s.lang == language] or titled
    titled.sort(key=lambda s: s.published or "9999")
    return titled[0].title if titled else ""


def compare_articles(articles: list[Article], settings: Settings) -> Comparison:
    """Ad-hoc comparison of a few texts; nothing is stored (``article_notes`` says what the reader noticed)."""
    from crosswire import nlp
    from crosswire.compare import compare
    comparison = compare(nlp.analyze(articles, settings), settings)
    comparison.headline = comparison.headline or _headline(comparison)
    return comparison
