"""Clustering quality: BCubed and pairwise F1, the streaming clusterer vs a TF-IDF baseline.

Gold labels (``cluster``) are read only by the scorer, after every prediction is made.
Docs are streamed in date order (file order where a doc has no date), as a live feed would be.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from crosswire.errors import InputError
from crosswire.eval import check_type, check_writable, read_jsonl


def load_docs(path: str | Path) -> list[dict[str, Any]]:
    """The docs of a JSONL file, every field the evals read checked here: a bad line is one error naming
    it, before minutes of encoding, not a TypeError from the scorer at the end."""
    docs = []
    for n, doc in read_jsonl(path):
        where = f"{path}: line {n}"
        if "id" not in doc or "text" not in doc:
            raise InputError(where, "each line needs at least 'id' and 'text'")
        check_type(where, doc, "id", (str, int, float), "a string or a number", required=True)
        check_type(where, doc, "text", (str,), "a string", required=True)
        for key in ("title", "lang", "date"):
            check_type(where, doc, key, (str,), "a string")
        if "cluster" in doc:  # a gold label is compared and counted: a list or object cannot be
            check_type(where, doc, "cluster", (str, int, float), "a string or a number", required=True)
        docs.append(doc)
    if not docs:
        raise InputError(str(path), "holds no docs (one JSON object per line, with 'id' and 'text')")
    return docs


def bcubed(pred: list[Any], gold: list[Any]) -> dict[str, float]:
    """BCubed precision/recall/F1 (Bagga & Baldwin 1998) and pairwise P/R/F1."""
    n = len(gold)
    joint = Counter(zip(pred, gold))
    psize, gsize = Counter(pred), Counter(gold)
    p = sum(joint[(a, b)] / psize[a] for a, b in zip(pred, gold)) / n
    r = sum(joint[(a, b)] / gsize[b] for a, b in zip(pred, gold)) / n
    pairs = lambda c: sum(v * (v - 1) / 2 for v in c.values())  # noqa: E731
    tp, pp, gp = pairs(joint), pairs(psize), pairs(gsize)
    pp_ = tp / pp if pp else 1.0
    pr_ = tp / gp if gp else 1.0
    return {"bcubed_p": p, "bcubed_r": r, "bcubed_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "pairwise_p": pp_, "pairwise_r": pr_,
            "pairwise_f1": 2 * pp_ * pr_ / (pp_ + pr_) if pp_ + pr_ else 0.0,
            "clusters": len(psize), "docs": n}


def stream_labels(docs: list[dict[str, Any]], features: list[dict[str, Any]], settings: Any,
                  shuffle_seed: int | None = None) -> list[int]:
    """Each doc's final story label (after late merges and splits)."""
    from crosswire.stories.stream import StreamClusterer, arrival_order
    by_id = {f["id"]: f for f in features}
    story_of: dict[str, int] = {}

    def retired(label: int, members: list[str]) -> None:  # a story gone cold keeps its final label
        story_of.update(dict.fromkeys(members, label))

    clusterer = StreamClusterer(settings, member_docs=lambda ids: [by_id[i] for i in ids], on_retire=retired)
    for i in arrival_order(docs, shuffle_seed):
        clusterer.add(features[i])
    story_of.update({member: label for label, story in clusterer.stories.items() for member in story.members})
    return [story_of[f["id"]] for f in features]


BATCH = 200  # docs per ingest call in the pipeline mode: a feed's poll, not one call for the whole file


def pipeline_labels(docs: list[dict[str, Any]], path: str | Path, settings: Any, shuffle_seed: int | None = None,
                    progress: Any = None) -> list[Any]:
    """Each doc's story id after ingesting the docs, in arrival order, into a new temporary SQLite store
    through the real pipeline: the product's own path (NER names, sentence-mean bodies, near-copies
    joining their original's story), not the evals' lighter features. A doc the pipeline refuses (no
    text) is its own story; docs that make the same article (same id) share its story."""
    import tempfile

    from crosswire import kept_indexes, pipeline
    from crosswire.config import Settings, packaged_defaults
    from crosswire.ingest.records import article_from_record
    from crosswire.stories.stream import arrival_order
    from crosswire.store import open_store
    labels: list[Any] = [f"refused:{doc['id']}" for doc in docs]
    articles: dict[int, Any] = {}
    for i in arrival_order(docs, shuffle_seed):
        try:
            articles[i] = article_from_record(docs[i], f"{path}:{docs[i]['id']}")
        except InputError:
            if progress:
                progress(1)
    with tempfile.TemporaryDirectory(prefix="crosswire-eval-") as tmp:
        base = settings if isinstance(settings, Settings) else \
            Settings(packaged_defaults()).overridden(stories=dict(settings or {}))  # a plain [stories] dict
        own = base.overridden(store={"db": str(Path(tmp) / "eval.db"), "story_index_dir": "off"})
        with open_store(own.db) as store:
            try:
                order = list(articles)
                for start in range(0, len(order), BATCH):
                    pipeline.ingest_articles(store, [articles[i] for i in order[start:start + BATCH]], own, progress)
                for i, article in articles.items():
                    labels[i] = store.story_of(article.id)
            finally:  # this temporary store's kept indexes: nothing else can use them
                threshold = float(own.get("ingest", "near_duplicate_threshold", 0.8))
                kept_indexes.near_duplicate_indexes.take(kept_indexes.near_duplicate_key(store, threshold))
                kept_indexes.story_indexes.take(kept_indexes.assigner_key(store, own))
    return labels


def run(path: str | Path, settings: Any, predictions: str | Path | None = None,
        features: list[dict[str, Any]] | None = None, shuffle_seed: int | None = None,
        through_pipeline: bool = False, progress: Any = None,
        docs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Score the stream (or, ``through_pipeline``, the ingest pipeline) on ``path``'s docs (``docs``: already
    read from it) against the TF-IDF baseline."""
    from crosswire.stories.baseline import tfidf_agglomerative
    from crosswire.stories.features import encode_docs
    docs = load_docs(path) if docs is None else docs
    check_writable(predictions)
    if through_pipeline:
        pred = pipeline_labels(docs, path, settings, shuffle_seed, progress)
    else:
        if features is None:
            features = encode_docs(docs)
        pred = stream_labels(docs, features, settings, shuffle_seed)
    if predictions:
        with open(predictions, "w", encoding="utf-8") as fh:
            for doc, label in zip(docs, pred):
                fh.write(json.dumps({"id": doc["id"], "story": label}) + "\n")
    base = tfidf_agglomerative(docs, settings)
    result: dict[str, Any] = {"file": str(path), "docs": len(docs),
                              "order": "file" if shuffle_seed is None else f"shuffled (seed {shuffle_seed})",
                              "path": "pipeline" if through_pipeline else "features"}
    if all("cluster" in d for d in docs):  # scoring only: predictions above never saw these
        gold = [d["cluster"] for d in docs]
        result["stream"] = bcubed(pred, gold)
        result["baseline_tfidf_agglomerative"] = bcubed(base, gold)
    else:
        result["stream"] = {"clusters": len(set(pred))}
        result["baseline_tfidf_agglomerative"] = {"clusters": len(set(base))}
        unlabelled = sum("cluster" not in d for d in docs)
        result["note"] = (f"{unlabelled} of {len(docs)} docs have no 'cluster' field (the gold story label): "
                          "stories made, nothing scored")
    return result


def format_result(result: dict[str, Any]) -> str:
    through = " through the ingest pipeline" if result.get("path") == "pipeline" else ""
    lines = [f"{result['file']}: {result['docs']} docs, streamed{through} in {result.get('order', 'file')} order"]
    for name in ("stream", "baseline_tfidf_agglomerative"):
        m = result[name]
        if "bcubed_f1" in m:
            lines.append(f"  {name:30s} BCubed P {m['bcubed_p']:.3f} R {m['bcubed_r']:.3f} "
                         f"F1 {m['bcubed_f1']:.3f} | pairwise F1 {m['pairwise_f1']:.3f} | {m['clusters']} stories")
        else:
            lines.append(f"  {name:30s} {m['clusters']} stories (no gold labels)")
    if result.get("note"):
        lines.append(f"note: {result['note']}")
    return "\n".join(lines)


def group_by(labels: list[Any]) -> dict[Any, list[int]]:
    out: dict[Any, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        out[label].append(i)
    return out
