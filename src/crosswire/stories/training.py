"""Fitting the streaming clusterer's join model: ``crosswire train clustering``.

Why gold streams: the scorer decides "does this article join that story?" for the candidates the
stream actually proposes, against stories as they stand when the article arrives (one member,
then two, ...). So the training examples are made the same way: articles are streamed in the
eval's order and placed by their gold label; every candidate story the index proposes before the
placement is one example (1 if it is the article's gold story). A logistic regression on those
examples gives ``weights`` and ``bias`` for ``[stories]``. Each input file gets the same total
weight, so a corpus with many small stories does not drown one with a few large ones.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from crosswire.stories.stream import FEATURES, StreamClusterer, arrival_order, stories_settings

REGULARISATION_C = 1.0  # sklearn's inverse L2 strength; 10 fitted the same dev scores ±0.005


def gold_stream_examples(docs: list[dict[str, Any]], features: list[dict[str, Any]],
                         settings: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """(X, y): scorer features of each proposed (article, story) pair and whether it is the gold story."""
    # the weights being fitted play no part in proposing candidates or computing features
    clusterer = StreamClusterer({**stories_settings(settings), "weights": [0.0] * len(FEATURES), "bias": 0.0})
    rows: list[list[float]] = []
    labels: list[int] = []
    story_of: dict[Any, int] = {}
    for i in arrival_order(docs):
        doc, gold = features[i], docs[i]["cluster"]
        prepared = clusterer._prepare(doc)
        for label in clusterer._candidates(doc):
            rows.append(clusterer.features(doc, clusterer.stories[label], prepared))
            labels.append(int(story_of.get(gold) == label))
        story_of[gold] = clusterer.place(doc, story_of.get(gold, -len(story_of) - 1))
    return np.asarray(rows, dtype=float).reshape(-1, len(FEATURES)), np.asarray(labels, dtype=int)


def fit_join_model(example_sets: list[tuple[np.ndarray, np.ndarray]],
                   c: float = REGULARISATION_C) -> dict[str, Any]:
    """Logistic regression over all sets, each set weighted to the same total."""
    from sklearn.linear_model import LogisticRegression
    usable = [(X, y) for X, y in example_sets if len(y)]
    if not usable or not any(y.any() for _, y in usable) or all(y.all() for _, y in usable):
        from crosswire.errors import InputError
        raise InputError("training data", "needs stories with at least two articles and some other story to tell apart")
    X = np.vstack([X for X, _ in usable])
    y = np.concatenate([y for _, y in usable])
    weight = np.concatenate([np.full(len(y_), len(y) / (len(usable) * len(y_))) for _, y_ in usable])
    model = LogisticRegression(C=c, max_iter=5000).fit(X, y, sample_weight=weight)
    return {"weights": [round(float(w), 2) for w in model.coef_[0]],
            "bias": round(float(model.intercept_[0]), 2),
            "examples": int(len(y)), "positives": int(y.sum())}

