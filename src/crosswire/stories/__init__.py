"""Story detection: which reports describe the same event.

``StreamClusterer`` (stream.py) is the pure in-memory algorithm; ``StoryAssigner`` puts it in
front of a :class:`~crosswire.store.base.Store` so story ids are the store's, stable across runs.
"""
from __future__ import annotations

from typing import Any

from crosswire.errors import NotFound
from crosswire.model import AnalyzedArticle, StoryEvent


def analyzed_features(analyzed: AnalyzedArticle) -> dict[str, Any]:
    """Clustering signals from what the nlp stage already computed (no extra encoder pass
    when embeddings are present)."""
    import numpy as np

    from crosswire.stories.features import doc_features, fold, name_tokens
    art = analyzed.article
    head = analyzed.embedding
    body = None
    if analyzed.sentence_embeddings is not None and len(analyzed.sentence_embeddings):
        body = np.asarray(analyzed.sentence_embeddings, dtype=np.float32)[:12].mean(axis=0)
    if head is None:
        from crosswire.nlp.embeddings import get_encoder
        from crosswire.stories.features import body_text, head_text
        vecs = get_encoder().encode([head_text(art.title, art.text), body_text(art.text)])
        head, body = vecs[0], vecs[1]
    names = name_tokens(art.title + "\n" + art.text[:2400])
    for m in analyzed.mentions:
        if m.kind == "entity" and (m.value or m.text):
            names.add(fold(m.value or m.text))
    return doc_features(art.id, art.title, art.text, art.published, art.language, head, body, names)


class StoryAssigner:
    """Assigns each new article to a store story (creating, joining or merging stories).

    The candidate index is rebuilt from the store on first use, so a reopened store keeps
    its story ids and new articles still find the old stories."""

    def __init__(self, store: Any, settings: Any = None) -> None:
        self.store = store
        self.settings = settings
        self._clusterer = None
        # the live labels' store stories, both ways (one label per story: an absorbed label leaves on a merge,
        # a cold story's label when it leaves the index), so neither map grows with the stream
        self._to_store: dict[int, int] = {}
        self._label_of: dict[int, int] = {}
        self._cold: list[int] = []  # labels the clusterer let go during the current add (see _retired)
        # story events this assigner has written: with them the pipeline tells its own writes from another
        # writer's, whose stories this index would lack (kept_indexes.checkin)
        self.events_written = 0
        # the merges and splits it wrote, one line each, for the ingest report; the caller empties it
        self.changes: list[str] = []

    def __getstate__(self) -> dict[str, Any]:
        """A saved index (stories/saved_index.py) holds the clusterer and the label -> story id map;
        the loader attaches the store and settings."""
        return {"_clusterer": self._clusterer, "_to_store": self._to_store, "_label_of": self._label_of}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.store = self.settings = None
        self.events_written = 0
        self.changes = []
        self._cold = []
        self.__dict__.update(state)
        if self._clusterer is not None:
            self._clusterer.member_docs = self._member_docs
            self._clusterer.on_retire = self._retired

    @property
    def built(self) -> bool:
        """Whether the index exists yet (it is built on the first article to place)."""
        return self._clusterer is not None

    def _link(self, label: int, story_id: int) -> None:
        self._to_store[label] = story_id
        self._label_of[story_id] = label

    def _retired(self, label: int, member_ids: list[str]) -> None:
        """The clusterer let a cold story go: so does the label map (a later copy or join revives it whole),
        but only once ``assign`` has written the add's join, merges and splits. The sweep runs inside the add
        that may also split that very story, and the split still needs the label's story id."""
        self._cold.append(label)

    def _forget_cold(self) -> None:
        for label in self._cold:
            story_id = self._to_store.pop(label, None)
            if story_id is not None and self._label_of.get(story_id) == label:
                del self._label_of[story_id]
        self._cold.clear()

    def _member_docs(self, article_ids: list[str]) -> list[dict[str, Any]]:
        """Features of stored articles, for the clusterer's split check (read back, not kept in memory)."""
        return [analyzed_features(a) for a in self.store.get_analyzed(article_ids)]

    def _ensure(self):
        if self._clusterer is None:
            from crosswire.stories.stream import StreamClusterer
            self._clusterer = StreamClusterer(self.settings, member_docs=self._member_docs,
                                              on_retire=self._retired)
            for story_id in self.store.story_ids():
                self._place_story(story_id)
            self._respect_hand_edits()
        return self._clusterer

    def _respect_hand_edits(self) -> None:
        """An editor's merges and splits (``stories/edits.py``), read from the store's story events, as the
        clusterer's constraints on the live stories: a story split by hand is not merged back by the next article
        that resembles both halves, and one merged by hand is not split at its next size check."""
        clusterer = self._clusterer
        clusterer.apart.clear()
        clusterer.whole.clear()
        for event in self.store.hand_edits():
            try:
                ids = [self.store.get_story(sid).id for sid in (event.story_id, event.other_story_id) if sid is not None]
            except NotFound:
                continue
            labels = [self._label_of.get(story_id) for story_id in ids]
            if None in labels:
                continue  # a story that has gone cold (or has no articles left): nothing to hold it to
            if event.kind == "split" and len(labels) == 2 and labels[0] != labels[1]:
                clusterer.keep_apart(labels[0], labels[1])
            elif event.kind == "merge":
                clusterer.keep_whole(labels[0])

    def _place_story(self, story_id: int, skip: str | None = None) -> int | None:
        """Put a stored story's articles (but ``skip``) into the index without scoring, under the label a rebuild
        gives it: that label, or None when no article was placed."""
        placed = None
        for analyzed in self.store.get_analyzed([a for a in self.store.get_story(story_id).article_ids if a != skip]):
            placed = self._clusterer.place(analyzed_features(analyzed), -story_id - 1)
        if placed is not None:
            self._link(placed, story_id)
        return placed

    def _hold_as_stored(self, story_id: int, article_id: str, analyzed: AnalyzedArticle | None = None) -> bool:
        """Put an article the store has in ``story_id`` where a rebuild would hold it: into the story if it
        is live here, else the whole story (new to this index, or gone cold: revived with all its members).
        False when that story holds an article this index has elsewhere (only a rebuild can sort that out)."""
        label = self._label_of.get(story_id)
        if label is not None and self._clusterer.is_live(label):
            analyzed = analyzed or self.store.get_analyzed([article_id])[0]
            self._clusterer.place(analyzed_features(analyzed), label)
            return True
        return self._hold_whole(story_id)

    def _hold_whole(self, story_id: int) -> bool:
        """Place a stored story with all its members, unless this index holds one of them elsewhere."""
        if any(self._clusterer.holds(a) for a in self.store.get_story(story_id).article_ids):
            return False
        self._place_story(story_id)
        self._respect_hand_edits()  # a revived half of a split by hand is held apart again (it was skipped while cold)
        return True

    def add_copy(self, analyzed: AnalyzedArticle, story_id: int) -> None:
        """A marked copy joins its original's story without scoring. A built index learns it too, so
        it matches what a rebuild from the store would hold. The join is recorded like any other, so
        another writer's index can replay it (kept_indexes)."""
        self.store.add_to_story(story_id, analyzed.article.id)
        self.store.record_event(StoryEvent(kind="join", story_id=story_id, article_id=analyzed.article.id,
                                           reason=f"copy of {analyzed.article.duplicate_of}"))
        self.events_written += 1
        if self._clusterer is not None and not self._hold_as_stored(story_id, analyzed.article.id, analyzed):
            self._reset()

    def replace_text(self, analyzed: AnalyzedArticle, changes: list[Any], signature: bytes | None = None) -> int | None:
        """Its outlet updated a stored report (same URL, new text). The store keeps the earlier text and records an
        ``update`` event (counted here with this assigner's own, like a copy's join). Where the report goes:
        - a story an editor split or merged keeps it (the index re-reads that story as stored);
        - a report alone in its story is placed as if new (``_place_again``: a "Breaking:" stub finds the others);
        - in a story with others it stays if the scorer would still let its new text join the rest, else (a live
          page that moved on to another event) it is split out, as a recorded split, and placed again.
        The story id, or None for a report stored without one (placed later with the left-overs)."""
        self.store.replace_article(analyzed, changes, signature)
        art_id = analyzed.article.id
        story_id = self.store.story_of(art_id)
        if story_id is None:
            return None
        self.events_written += 1
        if self._by_hand(story_id):
            if self._clusterer is not None:
                self._let_go(story_id)
                if not self._hold_whole(story_id):
                    self._reset()
            return story_id
        if self.store.get_story(story_id).article_ids == [art_id]:
            return self._place_again(analyzed, story_id)
        clusterer = self._ensure()
        self._let_go(story_id)
        label = self._place_story(story_id, skip=art_id)
        doc = analyzed_features(analyzed)
        if label is not None and clusterer.score(clusterer.features(doc, clusterer.stories[label])) >= \
                float(clusterer.cfg["join_threshold"]):
            clusterer.place(doc, label)
            return story_id
        reason = "its outlet's new text no longer belongs to this story"
        new_id = self._split(story_id, [art_id], reason, analyzed.article.title)
        return self._place_again(analyzed, new_id)

    def _by_hand(self, story_id: int) -> bool:
        """Whether an editor split or merged this story (``stories/edits.py``): its reports stay where they were put."""
        for event in self.store.hand_edits():
            for sid in (event.story_id, event.other_story_id):
                try:
                    if sid is not None and self.store.get_story(sid).id == story_id:
                        return True
                except NotFound:
                    continue
        return False

    def _merge(self, keep: int, absorb: int, reason: str) -> None:
        """Merge two store stories, counted with this assigner's events and told in the ingest report."""
        self.store.merge_stories(keep, absorb, reason)
        self.events_written += 1
        self.changes.append(f"story {absorb} merged into story {keep}: {reason}")

    def _split(self, story_id: int, moved: list[str], reason: str, headline: str) -> int:
        """Move ``moved`` out of a store story into a new one (its id), counted and told as ``_merge`` is."""
        new_id = self.store.split_story(story_id, moved, reason, headline)
        self.events_written += 1
        self.changes.append(f"story {story_id} split: {len(moved)} of its reports now story {new_id}: {reason}")
        return new_id

    def _reset(self) -> None:
        """The index and the store disagree on a story: drop the index, rebuilt on the next article."""
        self._clusterer = None
        self._to_store, self._label_of, self._cold = {}, {}, []

    def _place_again(self, analyzed: AnalyzedArticle, home: int) -> int:
        """A report alone in its story whose outlet sent a new text is placed as if new ("Breaking: quake hits
        Peru", then the full report): a copy joins its original's story and anything else is scored as usual; a
        story it joins absorbs ``home`` (a recorded merge, so the old id leads there, and other writers' indexes catch
        up on it), and without one it stays in ``home``."""
        self._ensure()
        self._let_go(home)
        original = analyzed.article.duplicate_of
        target = self.store.story_of(original) if original else None
        if target is None or target == home:
            return self.assign(analyzed, home=home)
        reason = f"its outlet's new text copies {original}"
        self._merge(target, home, reason)
        if not self._hold_as_stored(target, analyzed.article.id, analyzed):
            self._reset()
        return self.store.get_story(target).id

    def catch_up(self, events: list[StoryEvent]) -> bool:
        """Apply another writer's story events to the built index, instead of a rebuild.

        ``events`` were written by other processes since the index was current: creates and joins of one new
        article each, merges, splits and updated texts (kept_indexes decides when that is all that happened). A
        story a merge or split reshaped, or whose report has a new text, leaves the index first and comes back as the store has it now. Then each new article
        goes where the store has it now, as a rebuild would put it: into its story's label, a new label for a
        story this index has not seen, or its revived story if that one had gone cold. False when an event does
        not fit (the article has no story, or a story holds an article this index has elsewhere): the caller
        then drops this assigner and rebuilds."""
        if self._clusterer is None:
            return False
        reshaped = {sid for e in events if e.kind in ("merge", "split", "update")
                    for sid in (e.story_id, e.other_story_id) if sid is not None}
        for story_id in reshaped:
            self._let_go(story_id)
        for event in events:
            if event.kind not in ("create", "join"):
                continue
            story_id = self.store.story_of(event.article_id) if event.article_id else None
            if story_id is None:
                return False
            if self._clusterer.holds(event.article_id):
                continue  # placed with its whole story just before
            if not self._hold_as_stored(story_id, event.article_id):
                return False
        for story_id in {self.store.get_story(sid).id for sid in reshaped}:  # an absorbed id: its keeper
            label = self._label_of.get(story_id)
            if (label is None or not self._clusterer.is_live(label)) and not self._hold_whole(story_id):
                return False
        if reshaped:  # placed again under new labels: the editor's constraints follow them
            self._respect_hand_edits()
        return True

    def _let_go(self, story_id: int) -> None:
        """Drop a story (by store id) from the index and the label maps, to be placed again as stored."""
        label = self._label_of.pop(story_id, None)
        if label is not None:
            self._to_store.pop(label, None)
            if self._clusterer.is_live(label):
                self._clusterer.drop(label)

    def assign(self, analyzed: AnalyzedArticle, home: int | None = None) -> int:
        """The article's story: the best one that lets it in, else a new one. ``home``: the story an updated report
        was alone in (``_place_again``): joining another story merges ``home`` into it, and a new story is ``home``."""
        clusterer = self._ensure()
        art_id = analyzed.article.id
        label = clusterer.add(analyzed_features(analyzed))
        if label in self._to_store and home is not None:
            story_id = self._to_store[label]
            reason = "its outlet's new text belongs to this story"
            self._merge(story_id, home, reason)  # moves the report; the old id leads here
        elif label in self._to_store:
            story_id = self._to_store[label]
            self.store.add_to_story(story_id, art_id)
            self.store.record_event(StoryEvent(kind="join", story_id=story_id, article_id=art_id,
                                               reason="best candidate story above join threshold"))
            self.events_written += 1
        elif home is not None:
            story_id = home  # still alone: its story goes on, nothing to write
            self._link(label, story_id)
        else:
            story_id = self.store.create_story([art_id], analyzed.article.title)
            self._link(label, story_id)
            self.events_written += 1
        for keep, absorb, reason in clusterer.merges:
            k, a = self._to_store.get(keep), self._to_store.get(absorb)
            if k is not None and a is not None and k != a:
                # the store keeps the lower story id, the clusterer the lower label: the kept label now
                # stands for the kept story id, and the absorbed label leaves (it redirects inside the clusterer)
                keep_id, absorb_id = min(k, a), max(k, a)
                self._merge(keep_id, absorb_id, reason)
                del self._to_store[absorb]
                self._label_of.pop(absorb_id, None)
                self._link(keep, keep_id)
                if story_id == absorb_id:
                    story_id = keep_id
        clusterer.merges.clear()  # handled: kept, they would grow with the stream
        for kept, new, moved, reason in clusterer.splits:
            kept_id = self._to_store.get(kept)
            if kept_id is None:
                continue
            first = self.store.get_analyzed(moved[:1])
            new_id = self._split(kept_id, moved, reason, first[0].article.title if first else "")
            self._link(new, new_id)
            if art_id in moved:
                story_id = new_id
        clusterer.splits.clear()
        self._forget_cold()
        return story_id


def __getattr__(name: str) -> Any:
    if name == "StreamClusterer":
        from crosswire.stories.stream import StreamClusterer
        return StreamClusterer
    raise AttributeError(name)
