"""An editor's corrections to the stories: merge stories the clusterer kept apart, split off reports it put in
the wrong story.

Why by hand at all: the clusterer is right for most reports, but a wrong merge makes a briefing compare two
events, and a wrong split hides a conflict. A correction is written like the clusterer's own late merges and
splits (the same store calls, a story event whose reason starts ``by hand``), so every other writer's story index
catches up on it as it does on those (kept_indexes), and the index then keeps it: stories split by hand are not
merged back on late evidence, and a story merged by hand is not split at its next size check
(``StoryAssigner._respect_hand_edits``). New reports still join whichever story they resemble most.
"""
from __future__ import annotations

from typing import Any

from crosswire.errors import InputError, NotFound
from crosswire.store.base import HAND, Store


def _reason(why: str) -> str:
    why = " ".join(why.split())[:300]
    return f"{HAND}: {why}" if why else HAND


def merge_by_hand(store: Store, keep: int, others: list[int], why: str = "") -> int:
    """Merge ``others`` into story ``keep``; its id, which old links to the others now open. Raises NotFound
    for an unknown story, InputError when there is nothing to merge. Checked inside the writer turn: another
    writer's merge just before must not make this one a silent no-op."""
    with store.writer_turn():  # not between an ingest's storing and placing of a batch
        target = store.get_story(keep).id  # an id merged earlier names the story it became part of
        absorbed = []
        for other in others:
            story_id = store.get_story(other).id
            if story_id == target:
                raise InputError(f"story {other}", "that is the story to merge into" if other == keep
                                 else f"already part of story {target}")
            if story_id not in absorbed:
                absorbed.append(story_id)
        if not absorbed:
            raise InputError(f"story {target}", "name at least one other story to merge into it")
        for story_id in absorbed:
            store.merge_stories(target, story_id, _reason(why))
    return target


def split_by_hand(store: Store, story_id: int, article_ids: list[str], why: str = "") -> tuple[int, list[str]]:
    """Move ``article_ids`` out of story ``story_id`` into a new story: (the new story's id, the articles moved).
    Copies of a moved report go with it (a copy apart from its original would be a source with nothing of its own).
    Raises NotFound for an unknown story, InputError for an article that is not in it or for moving none or all of
    its reports. Checked inside the writer turn, so another writer's split just before cannot leave it moving
    nothing into an empty story."""
    with store.writer_turn():
        story = store.get_story(story_id)
        members = story.article_ids
        moving = list(dict.fromkeys(article_ids))
        strangers = [a for a in moving if a not in members]
        if strangers:
            raise InputError(f"story {story.id}", f"does not hold {', '.join(strangers[:5])}"
                             f"{' …' if len(strangers) > 5 else ''} (its reports: `crosswire brief {story.id} "
                             "--format json`, under sources)")
        if not moving:
            raise InputError(f"story {story.id}", "name the reports to move out (article ids, or source numbers as "
                             "the briefing cites them)")
        originals = set(moving)
        moving += [a for a in members if a not in originals and store.get_article(a).duplicate_of in originals]
        if len(moving) == len(members):
            raise InputError(f"story {story.id}", "that is every report it holds: leave at least one")
        first = store.get_article(moving[0])
        return store.split_story(story.id, moving, _reason(why), first.title), moving


def story_history(store: Store, story_id: int,
                  kinds: tuple[str, ...] = ("create", "join", "merge", "split", "update")) -> list[dict]:
    """The story's recorded events of these ``kinds``, oldest first, each with a sentence saying what happened: the
    record behind "late evidence may merge or split stories, recorded, not silently rewritten". Events of a story
    merged into this one are included (their ids still lead here). The story page asks for merges and splits only:
    a join names its report, read from the store, once per report."""
    from crosswire.model import iso
    story = store.get_story(story_id)
    own = store.story_events(story.id)
    events, seen = [], set()
    merged = [e.other_story_id for e in own if e.kind == "merge" and e.other_story_id]
    for found in [own] + [store.story_events(sid) for sid in merged]:
        for event in found:
            key = (event.kind, event.story_id, event.article_id, event.other_story_id, event.at)
            if key not in seen and event.kind in kinds:
                seen.add(key)
                events.append(event)
    events.sort(key=lambda e: (e.id is None, e.id or 0))  # the store's order: ``at`` ties within a second
    reports: dict[str, tuple[list, Any]] = {}  # by id: the report's replaced texts (oldest first) and the report
    out = []
    for e in events:
        if e.article_id and e.article_id not in reports:
            try:
                reports[e.article_id] = (store.article_versions([e.article_id]), store.get_article(e.article_id))
            except NotFound:  # a report removed since: its id still says which
                reports[e.article_id] = ([], None)
        name = _name_then(e, *reports[e.article_id]) if e.article_id else "a report"
        what = {"create": f"story {e.story_id} started by {name}",
                "join": f"{name} joined story {e.story_id}",
                "merge": f"story {e.other_story_id} merged into story {e.story_id}",
                "split": f"reports of story {e.story_id} moved into new story {e.other_story_id}",
                "update": f"{name}: updated by its outlet"}.get(e.kind, e.kind)
        out.append({"kind": e.kind, "story_id": e.story_id, "other_story_id": e.other_story_id,
                    "article_id": e.article_id, "at": iso(e.at), "what": what, "reason": e.reason})
    return out


def _name_then(event, versions: list, article) -> str:
    """A report as it was named when ``event`` happened. It joins or starts a story when first stored, so with its
    first text; an update names the text it replaced (its version, as the event's reason gives it) and the headline
    it got. Times alone cannot tell: events and versions are stored to the second."""
    import re
    if article is None:
        return event.article_id or "a report"
    outlet = article.outlet or "no outlet"
    heads = [f"“{v.title or v.text[:60]}”" for v in versions] + [f"“{article.title or article.text[:60]}”"]
    if event.kind != "update":
        return f"{heads[0]} ({outlet})"
    found = re.search(r"version (\d+)", event.reason or "")
    k = int(found.group(1)) - 1 if found and 0 < int(found.group(1)) <= len(versions) else len(heads) - 2
    if k < 0:
        return f"{heads[-1]} ({outlet})"
    return f"{heads[k]} ({outlet})" + (f", now {heads[k + 1]}" if heads[k + 1] != heads[k] else "")
