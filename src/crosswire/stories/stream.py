"""Streaming story clustering: each article joins the best candidate story or starts one.

Why average-link against story *sums*: the mean cosine of a new article to every member of a
story equals ``doc · sum(members) / n``, so average-link (what makes the TF-IDF baseline
strong) costs one dot product per candidate, and a story cannot drift the way a greedy
centroid stream does (a centroid that is re-normalised after each join slowly walks towards
whatever joined last; the average keeps every member's vote). The same trick gives average
coverage of the article's names and numbers by the story's members.

Candidates come from an approximate nearest-neighbour index over article head embeddings
(usearch HNSW; a story's first ``ann_per_story`` members, then every so many: a big story needs only a
few entries to be found) plus an inverted index from folded names to recent stories; never all pairs.

Stories go cold: once a story has had no article for ``retire_days`` of publication time (against
the median date of the latest articles, so one mis-dated item cannot age every story), it leaves
the index (its sums, its ANN entries), so memory follows the stories of the last weeks, not the
whole stream. The store keeps it; an article that would have joined it that late starts a new story,
which the learned time-gap penalty would have decided anyway.

Late evidence changes stories in two recorded ways: an article that scores high with two open
stories merges them (``merges``), and a story re-examined at a few sizes splits when part of it
would no longer be let in (``splits``). Labels stay stable: a merged story keeps the lower label,
a split keeps the label with the story's first article.
"""
from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict, deque
from typing import Any, Callable

import numpy as np

FEATURES = ["head_cos", "body_cos", "name_coverage", "number_coverage", "time_gap", "nearest_cos",
            "log_size", "word_coverage", "head_body_cos"]
RECENT = 32  # members kept per story for the nearest-member cosine (bounds memory and time)
CLOCK = 101  # the stream's "now" for cold stories: the median date of this many latest dated articles
HNSW = {"connectivity": 16, "expansion_add": 32, "expansion_search": 32}  # usearch graph and search breadth


class _Story:
    """Running sums of one story's members (kept internal: never leaves this module)."""

    __slots__ = ("label", "head", "body", "names", "numbers", "words", "n", "last_day", "members", "recent", "keys")

    def __init__(self, label: int, dim: int) -> None:
        self.label = label
        self.head = np.zeros(dim, dtype=np.float32)
        self.body = np.zeros(dim, dtype=np.float32)
        self.names: Counter[str] = Counter()
        self.numbers: Counter[str] = Counter()
        self.words: Counter[str] = Counter()
        self.n = 0
        self.last_day: float | None = None
        self.members: list[str] = []
        # last RECENT head vectors, for the nearest-member signal: one array, not a list of the
        # articles' own vectors plus a stacked copy, which held every head twice
        self.recent = np.empty((0, dim), dtype=np.float32)
        self.keys: list[int] = []  # the members' ANN keys, to take them out of the index when the story goes cold

    def add(self, doc: dict[str, Any]) -> None:
        self.head += doc["head"]
        self.body += doc["body"]
        self.names.update(doc["names"])
        self.numbers.update(doc["numbers"])
        self.words.update(doc["words"])
        self.n += 1
        self.members.append(doc["id"])
        self.recent = np.vstack((self.recent[1 - RECENT:], doc["head"][None, :]))
        if doc.get("day") is not None:
            self.last_day = doc["day"] if self.last_day is None else max(self.last_day, doc["day"])

    def absorb(self, other: "_Story") -> None:
        self.head += other.head
        self.body += other.body
        self.names.update(other.names)
        self.numbers.update(other.numbers)
        self.words.update(other.words)
        self.n += other.n
        self.members.extend(other.members)
        self.keys.extend(other.keys)
        self.recent = np.vstack((self.recent, other.recent))[-RECENT:]
        if other.last_day is not None:
            self.last_day = other.last_day if self.last_day is None else max(self.last_day, other.last_day)


def stories_settings(settings: Any) -> dict[str, Any]:
    """The ``[stories]`` settings: packaged defaults, overridden by ``settings`` (a Settings or
    a plain dict of the same keys, as the evals and tests pass)."""
    from crosswire.config import packaged_defaults
    defaults = packaged_defaults()["stories"]
    section: dict[str, Any] = {}
    if settings is not None:
        section = settings.section("stories") if hasattr(settings, "section") else dict(settings)
    return {**defaults, **{k: v for k, v in section.items() if k in defaults}}


class StreamClusterer:
    """In-memory streaming clusterer: ``add(features) -> story label`` (labels are stable:
    a story keeps the label of its first article's story; merges are recorded in ``merges``)."""

    def __init__(self, settings: Any = None, dim: int = 512, use_ann: bool = True,
                 member_docs: Callable[[list[str]], list[dict[str, Any]]] | None = None,
                 on_retire: Callable[[int, list[str]], None] | None = None) -> None:
        """``member_docs(ids)`` returns the feature dicts of earlier articles; with it, a story is
        re-examined at the sizes in ``split_checks`` and split when its members fall into two
        groups that the scorer would not join (see ``_check_split``). Without it (the benchmark,
        where keeping every article's features would cost the memory budget) stories never split.
        ``on_retire(label, member_ids)`` hears of each story that goes cold and leaves the index."""
        self.cfg = stories_settings(settings)
        self.weights = [float(w) for w in self.cfg["weights"]]
        if len(self.weights) != len(FEATURES):
            from crosswire.errors import ConfigError
            raise ConfigError(f"stories.weights needs {len(FEATURES)} numbers ({', '.join(FEATURES)}), "
                              f"got {len(self.weights)}; `crosswire train clustering` prints a fitted set")
        self.bias = float(self.cfg["bias"])
        self.dim = dim
        self.use_ann = use_ann
        self.stories: dict[int, _Story] = {}
        self.redirect: dict[int, int] = {}
        self.doc_story: dict[int, int] = {}     # ANN key -> story label at insertion time
        self.name_index: dict[str, list[int]] = defaultdict(list)
        # document frequencies and count of the articles in the index (live stories): what IDF is computed
        # over. A story that goes cold takes its members' counts with it, so an endless stream's vocabulary
        # follows the last weeks, as its memory does, and a revived story does not count twice
        self.name_df: Counter[str] = Counter()
        self.word_df: Counter[str] = Counter()
        self.n_docs = 0
        self.serial = 0  # articles ever indexed: the next ANN key, and the label of the next new story
        self.merges: list[tuple[int, int, str]] = []
        self.splits: list[tuple[int, int, list[str], str]] = []  # (kept label, new label, moved ids, why)
        self.member_docs = member_docs
        self._split_sizes = frozenset(int(n) for n in self.cfg["split_checks"])
        self._key_of: dict[str, int] = {}  # article id -> ANN key, to re-point moved articles
        self._index = None
        self._next_label = -(1 << 40)  # labels for split-off stories: below any label handed out otherwise
        self._matrix: list[np.ndarray] = []   # exact-search fallback (and the naive baseline)
        self.retired = 0  # stories that went cold and left the index
        self.on_retire = on_retire
        self._retire_days = float(self.cfg["retire_days"])
        self._swept: float | None = None  # the stream's "now" at the last cold-story sweep
        self._latest_days: deque[float] = deque(maxlen=CLOCK)
        self._ann_cap = int(self.cfg["ann_per_story"])
        # an editor's corrections (stories/edits.py): pairs of labels no late merge may join again (a split by hand),
        # labels no late split may cut (a merge by hand); labels as given, resolved through merges when checked
        self.apart: set[tuple[int, int]] = set()
        self.whole: set[int] = set()

    # -- candidate generation -------------------------------------------------------------
    def _resolve(self, label: int) -> int:
        while label in self.redirect:
            label = self.redirect[label]
        return label

    def _ann(self):
        if self._index is None and self.use_ann:
            from usearch.index import Index
            self._index = Index(ndim=self.dim, metric="cos", dtype="f16", **HNSW)
        return self._index

    # -- saved between processes (stories/saved_index.py) ---------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        """Everything but the callbacks (the owner attaches its own on load), with the usearch index
        as its serialised bytes."""
        state = dict(self.__dict__)
        state["member_docs"] = state["on_retire"] = None
        state["_index"] = None if self._index is None else bytes(self._index.save())
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        saved = state.pop("_index")
        if saved is not None and not isinstance(saved, bytes):  # restore() would open a str as a path
            raise TypeError("a saved story index holds its ANN graph as bytes")
        self.__dict__.update(state)
        self.__dict__.setdefault("_ann_cap", 0)  # saved before ann_per_story: every member was indexed
        self.__dict__.setdefault("apart", set())  # saved before corrections by hand
        self.__dict__.setdefault("whole", set())
        self._index = None
        if saved is not None:
            from usearch.index import Index
            self._index = Index.restore(saved)
            # restore() keeps the graph (and its connectivity), not the add and search breadths
            self._index.expansion_add = HNSW["expansion_add"]
            self._index.expansion_search = HNSW["expansion_search"]

    def _candidates(self, doc: dict[str, Any]) -> set[int]:
        found: set[int] = set()
        k = int(self.cfg["neighbours"])
        if self.n_docs:
            if self.use_ann:
                matches = self._ann().search(doc["head"], min(k, self.n_docs), threads=1)
                keys = matches.keys
            else:  # naive: score against every earlier article
                sims = np.vstack(self._matrix) @ doc["head"]
                keys = np.argsort(-sims)[:k]
            for key in keys:
                label = self._resolve(self.doc_story[int(key)])
                if label in self.stories:  # the naive baseline's matrix still holds retired stories' articles
                    found.add(label)
        limit = max(5.0, float(self.cfg["max_name_df"]) * self.n_docs)
        per_name = int(self.cfg["name_stories"])
        cap = int(self.cfg["max_candidates"])
        # rarest names first: the cap then drops the stories proposed by the commonest names
        # (ties broken by the name itself: set order changes with each process's hash seed)
        for _, name in sorted((self.name_df[m], m) for m in doc["names"] if 0 < self.name_df[m] <= limit):
            for label in self.name_index.get(name, ())[-per_name:]:
                label = self._resolve(label)
                if label in self.stories:  # not retired
                    found.add(label)
            if len(found) >= cap:
                break
        return found

    # -- scoring ------------------------------------------------------------------------------
    def _idf(self, name: str) -> float:
        return math.log((1.0 + self.n_docs) / (1.0 + self.name_df[name])) + 1.0

    def _prepare(self, doc: dict[str, Any]) -> tuple[dict[str, float], float, dict[str, float], float]:
        """IDF weights of the article's names and words, computed once per article."""
        n1 = 1.0 + self.n_docs
        names = {m: math.log(n1 / (1.0 + self.name_df[m])) + 1.0 for m in doc["names"]}
        words = {w: math.log(n1 / (1.0 + self.word_df[w])) for w in doc["words"]}
        return names, sum(names.values()) or 1.0, words, sum(words.values()) or 1.0

    def features(self, doc: dict[str, Any], story: _Story, prep: tuple | None = None) -> list[float]:
        """Average-link signals of ``doc`` against ``story``, in the order of ``FEATURES``.

        ``head_body_cos`` (the article's head against the members' bodies and the other way round)
        lets the scorer tell a lead that restates the story's body from one that only shares a
        topic; refitting with it raised ECB+ and AllSides BCubed by ~0.01 each (docs/stories.md)."""
        names, name_total, words, word_total = prep or self._prepare(doc)
        n = story.n
        head = float(doc["head"] @ story.head) / n
        body = float(doc["body"] @ story.body) / n
        snames, swords, snums = story.names, story.words, story.numbers
        # intersect first (C speed), then weigh only the shared terms
        name_cov = sum(names[m] * snames[m] for m in names.keys() & snames.keys()) / (name_total * n)
        word_cov = sum(words[w] * swords[w] for w in words.keys() & swords.keys()) / (word_total * n)
        nums = doc["numbers"]
        num_cov = (sum(snums[x] for x in nums) / (len(nums) * n)) if nums else 0.0
        gap = 0.0
        if doc.get("day") is not None and story.last_day is not None:
            gap = min(abs(doc["day"] - story.last_day), 30.0) / float(self.cfg["cold_days"])
        nearest = float(np.max(story.recent @ doc["head"]))
        cross = 0.5 * float(doc["head"] @ story.body + doc["body"] @ story.head) / n
        return [head, body, name_cov, num_cov, gap, nearest, math.log(n), word_cov, cross]

    def score(self, feats: list[float]) -> float:
        # nine products in plain Python: a numpy dot on 9 floats costs more in call overhead
        return sum(w * f for w, f in zip(self.weights, feats)) + self.bias

    # -- the stream -------------------------------------------------------------------------
    def add(self, doc: dict[str, Any]) -> int:
        """Place one article (features from ``features.doc_features``); returns its story label."""
        cands = list(self._candidates(doc))
        limit = int(self.cfg["score_top"])
        if len(cands) > limit:  # cheap pre-ranking by average body cosine before the full scorer
            cands.sort(key=lambda c: -float(doc["body"] @ self.stories[c].body) / self.stories[c].n)
            cands = cands[:limit]
        prep = self._prepare(doc)
        scored = sorted(((self.score(self.features(doc, self.stories[c], prep)), c) for c in cands),
                        reverse=True)
        if scored and scored[0][0] > self.cfg["join_threshold"]:
            label = scored[0][1]
        else:
            label = self.serial  # new story, labelled by its first article's serial
            self.stories[label] = _Story(label, self.dim)
        story = self.stories[label]
        story.add(doc)
        # late merge: strong evidence that two open stories are one event
        for value, other in scored[1:3]:
            if (value > self.cfg["merge_threshold"] and other != label and other in self.stories
                    and not self.kept_apart(label, other)):
                keep, absorb = (label, other) if label < other else (other, label)
                self.stories[keep].absorb(self.stories.pop(absorb))
                self.redirect[absorb] = keep
                self.merges.append((keep, absorb, f"article {doc['id']} scored {value:.2f} with both"))
                label = keep
        self._index_doc(doc, label)
        self._check_split(label)
        self._retire_cold(doc.get("day"))
        return label

    def _retire_cold(self, day: float | None) -> None:
        """Take stories silent for more than ``retire_days`` before the stream's "now" out of the index.

        "Now" is the median date of the latest ``CLOCK`` dated articles, not the newest date seen:
        one item dated a year ahead (a feed's typo) must not retire every story, and one old report
        ingested late must not hold the clock back. Swept at most once per day of that clock (a pass
        over the live stories)."""
        if day is None or self._retire_days <= 0:
            return
        self._latest_days.append(day)
        if self._swept is not None and day - self._swept < 1.0:
            return  # cheap test first: only an article a day past the last sweep can move the clock
        now = statistics.median_low(self._latest_days)  # low: with two dates, the older one
        if self._swept is not None and now - self._swept < 1.0:
            return
        self._swept = now
        cutoff = now - self._retire_days
        cold = [label for label, story in self.stories.items()
                if story.last_day is not None and story.last_day < cutoff]
        for label in cold:
            self._forget(label)
        if cold:
            self._prune_redirects()

    def drop(self, label: int) -> None:
        """Take a live story out of the index without retiring it: another writer merged or split it in the
        store, and the owner places it again as the store now has it."""
        label = self._resolve(label)
        if label in self.stories:
            self._forget(label, retiring=False)
            self._prune_redirects()

    def _prune_redirects(self) -> None:
        """Merges into a story now gone need no redirect: nothing can reach the absorbed label."""
        self.redirect = {a: k for a, k in self.redirect.items() if self._resolve(k) in self.stories}

    def _forget(self, label: int, retiring: bool = True) -> None:
        """Take one cold story out of every in-memory structure: its ANN entries, its articles' share of
        the document frequencies (a name or word no live article has leaves the tables and the name
        index), its members' keys. The store keeps the story; only this index lets go."""
        story = self.stories.pop(label)
        if self._index is not None and story.keys:
            self._index.remove(story.keys)
        for key in story.keys:
            self.doc_story.pop(key, None)
        for member in story.members:
            self._key_of.pop(member, None)
        self.n_docs -= story.n
        for table, counts in ((self.name_df, story.names), (self.word_df, story.words)):
            for term, count in counts.items():
                left = table[term] - count
                if left > 0:
                    table[term] = left
                else:  # pop: a split rebuilds a story's counts from its members read back, which may differ
                    table.pop(term, None)
                    if table is self.name_df:
                        self.name_index.pop(term, None)
        for name in story.names:  # a name's other stories stay; this one (or a label merged into it) goes
            bucket = self.name_index.get(name)
            if bucket:
                bucket[:] = [other for other in bucket if self._resolve(other) != label]
        if retiring:
            self.retired += 1
            if self.on_retire is not None:
                self.on_retire(label, story.members)

    # -- late splits ------------------------------------------------------------------------
    def _check_split(self, label: int) -> None:
        story = self.stories[label]
        if self.member_docs is None or story.n not in self._split_sizes or self._resolved(self.whole) & {label}:
            return
        docs = self.member_docs(list(story.members))
        found = self.propose_split(docs)
        if found is None:
            return
        keep, move, value = found
        if any(d["id"] == story.members[0] for d in move):  # the story's first article keeps its id
            keep, move = move, keep
        new = self._next_label
        self._next_label -= 1
        self.stories[label] = _Story(label, self.dim)
        self.stories[new] = _Story(new, self.dim)
        for doc in keep:
            self.stories[label].add(doc)
            if self._key_of.get(doc["id"]) in self.doc_story:  # in the ANN index (not every member is)
                self.stories[label].keys.append(self._key_of[doc["id"]])
        for doc in move:
            self.stories[new].add(doc)
            if self._key_of.get(doc["id"]) in self.doc_story:
                key = self._key_of[doc["id"]]
                self.stories[new].keys.append(key)
                self.doc_story[key] = new
            for name in doc["names"]:
                bucket = self.name_index[name]
                if not bucket or bucket[-1] != new:  # once per story, as _index_doc does
                    bucket.append(new)
        for side, members in ((self.stories[label], keep), (self.stories[new], move)):
            if self.use_ann and not side.keys:  # its members past ann_per_story were never indexed: a few go in now,
                for doc in members[: max(1, self._ann_cap)]:  # or only a shared name could find the story again
                    self._ann_add(side, self._key_of[doc["id"]], doc["head"])
        # a name only the moved articles carry no longer leads to the story they left (a rebuild's index would not)
        for name in {m for doc in move for m in doc["names"]} - self.stories[label].names.keys():
            bucket = self.name_index[name]
            bucket[:] = [other for other in bucket if self._resolve(other) != label]
        self.splits.append((label, new, [d["id"] for d in move],
                            f"{len(move)} of {len(docs)} articles scored {value:.2f} against the rest"))

    def propose_split(self, docs: list[dict[str, Any]]) -> tuple[list, list, float] | None:
        """Two groups by average-link over the members' head and body cosines; returned when the
        smaller group's articles score below ``split_threshold`` on average against the larger."""
        if len(docs) < 2:
            return None
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import squareform
        heads = np.vstack([d["head"] for d in docs])
        bodies = np.vstack([d["body"] for d in docs])
        distance = 1.0 - (heads @ heads.T + bodies @ bodies.T) / 2.0
        np.fill_diagonal(distance, 0.0)
        groups = fcluster(linkage(squareform(np.clip((distance + distance.T) / 2, 0, None), checks=False),
                                  "average"), 2, "maxclust")
        first = [d for d, g in zip(docs, groups) if g == 1]
        second = [d for d, g in zip(docs, groups) if g != 1]
        if not first or not second:
            return None
        small, big = sorted((first, second), key=len)
        rest = _Story(0, self.dim)
        for doc in big:
            rest.add(doc)
        value = sum(self.score(self.features(doc, rest)) for doc in small) / len(small)
        if value >= float(self.cfg["split_threshold"]):
            return None
        return big, small, value

    # -- an editor's corrections ------------------------------------------------------------------------
    def keep_apart(self, label: int, other: int) -> None:
        """Never merge these two stories again on late evidence (an editor split them)."""
        self.apart.add((label, other))

    def keep_whole(self, label: int) -> None:
        """Never split this story on a late check (an editor merged it)."""
        self.whole.add(label)

    def kept_apart(self, label: int, other: int) -> bool:
        pair = {self._resolve(label), self._resolve(other)}
        return any({self._resolve(a), self._resolve(b)} == pair for a, b in self.apart)

    def _resolved(self, labels: set[int]) -> set[int]:
        return {self._resolve(label) for label in labels}

    def _ann_add(self, story: _Story, key: int, head: np.ndarray) -> None:
        """One member into the ANN index, for its story: ``doc_story`` holds only the ANN's keys (what a
        search can return), and ``story.keys`` what leaves the index with the story."""
        self._ann().add(key, head, threads=1)
        self.doc_story[key] = story.label
        story.keys.append(key)

    def _in_ann(self, n: int) -> bool:
        """Whether a story's n-th member goes into the ANN index (``[stories] ann_per_story``): its first
        members, then every cap-th, so a big story keeps a few, fresh, entries instead of one per article."""
        cap = self._ann_cap
        return cap <= 0 or n <= cap or n % cap == 0

    def holds(self, article_id: str) -> bool:
        """Whether the article is in the index (known only with a ``member_docs`` reader, as the pipeline has)."""
        return article_id in self._key_of

    def is_live(self, label: int) -> bool:
        """Whether the story ``label`` (after merges) is still in the index, i.e. has not gone cold."""
        return self._resolve(label) in self.stories

    def place(self, doc: dict[str, Any], label: int) -> int:
        """Put ``doc`` into story ``label`` without scoring (rebuilding from a store)."""
        label = self._resolve(label)
        if label not in self.stories:
            self.stories[label] = _Story(label, self.dim)
        self.stories[label].add(doc)
        self._index_doc(doc, label)
        return label

    def _index_doc(self, doc: dict[str, Any], label: int) -> None:
        key = self.serial
        if self.member_docs is not None:
            self._key_of[doc["id"]] = key
        story = self.stories[label]
        if not self.use_ann:
            self.doc_story[key] = label
            self._matrix.append(doc["head"])
        elif self._in_ann(story.n):
            self._ann_add(story, key, doc["head"])
        self.word_df.update(doc["words"])
        for name in doc["names"]:
            self.name_df[name] += 1
            bucket = self.name_index[name]
            if not bucket or bucket[-1] != label:
                bucket.append(label)
                if len(bucket) > 4 * int(self.cfg["name_stories"]):
                    del bucket[: len(bucket) - int(self.cfg["name_stories"])]
        self.n_docs += 1
        self.serial += 1


def arrival_order(docs: list[dict[str, Any]], shuffle_seed: int | None = None) -> list[int]:
    """Indices in date order; undated docs keep file order (stable sort, undated keyed by
    the last date seen before them so they stay where the file put them).

    With ``shuffle_seed`` the file order is first shuffled (dated docs still come in date
    order). Why offer it: dataset files list a story's members next to each other, which a
    real feed does not promise; the shuffled order shows how much a score owes to that."""
    from crosswire.stories.features import day_number
    index = list(range(len(docs)))
    if shuffle_seed is not None:
        import random
        random.Random(shuffle_seed).shuffle(index)
    keys, last = [], float("-inf")
    for i in index:
        doc = docs[i]
        day = day_number(doc.get("date"))
        if day is not None:
            last = day
        keys.append((last if day is None else day, len(keys), i))
    return [i for _, _, i in sorted(keys)]
