"""Gradient-boosted depth-2 regression trees, in numpy, stored as plain arrays.

Why here and not sklearn: pair similarity ships its model as JSON and must load without a
training library; these trees are three small arrays per target, and fitting ~1.3k pairs takes
seconds. Why depth 2: the pair signals interact in pairs (e.g. body cosine matters differently
when the languages differ), and deeper trees overfit ~1.3k pairs in cross-validation.

Fitting is deterministic: exact greedy splits on every distinct value, no subsampling; cuts and
leaf values are rounded to 6 decimals as they are made, so the JSON holds exactly what was fitted.
"""
from __future__ import annotations

from typing import Any

import numpy as np

TREES = 300
LEARNING_RATE = 0.05


def _best_split(x_sorted: np.ndarray, r_sorted: np.ndarray) -> tuple[float, float]:
    """(gain, threshold) of the best least-squares cut of one feature; gain 0 = no cut."""
    n = len(r_sorted)
    if n < 2:
        return 0.0, 0.0
    left_sum = np.cumsum(r_sorted)[:-1]
    left_n = np.arange(1, n)
    total = left_sum[-1] + r_sorted[-1]
    gain = left_sum ** 2 / left_n + (total - left_sum) ** 2 / (n - left_n) - total ** 2 / n
    gain[x_sorted[1:] == x_sorted[:-1]] = -np.inf  # only cut between distinct values
    k = int(np.argmax(gain))
    if not np.isfinite(gain[k]) or gain[k] <= 0:
        return 0.0, 0.0
    return float(gain[k]), round(float(0.5 * (x_sorted[k] + x_sorted[k + 1])), 6)


def _split_node(X: np.ndarray, order: np.ndarray, rows: np.ndarray, r: np.ndarray) -> tuple[int, float]:
    """Best (feature, threshold) for the rows in a node; feature -1 = leave it whole."""
    member = np.zeros(len(X), dtype=bool)
    member[rows] = True
    best = (0.0, -1, 0.0)
    for j in range(X.shape[1]):
        idx = order[:, j][member[order[:, j]]]
        gain, threshold = _best_split(X[idx, j], r[idx])
        if gain > best[0]:
            best = (gain, j, threshold)
    return best[1], best[2]


def fit(X: np.ndarray, y: np.ndarray, trees: int = TREES, rate: float = LEARNING_RATE) -> dict[str, Any]:
    """Boost ``trees`` depth-2 trees on squared error; returns the arrays ``predict`` reads."""
    order = np.argsort(X, axis=0, kind="stable")
    base = float(y.mean())
    pred = np.full(len(y), base)
    features = np.full((trees, 3), -1, dtype=int)
    thresholds = np.zeros((trees, 3))
    leaves = np.zeros((trees, 4))
    everyone = np.arange(len(y))
    for t in range(trees):
        r = y - pred
        j, cut = _split_node(X, order, everyone, r)
        features[t, 0], thresholds[t, 0] = j, cut
        halves = [everyone[X[:, j] <= cut], everyone[X[:, j] > cut]] if j >= 0 else [everyone, everyone[:0]]
        for side, rows in enumerate(halves):
            j2, cut2 = _split_node(X, order, rows, r) if len(rows) else (-1, 0.0)
            features[t, 1 + side], thresholds[t, 1 + side] = j2, cut2
            parts = [rows[X[rows, j2] <= cut2], rows[X[rows, j2] > cut2]] if j2 >= 0 else [rows, rows[:0]]
            for leaf, part in enumerate(parts):
                value = round(rate * float(r[part].mean()), 6) if len(part) else 0.0
                leaves[t, 2 * side + leaf] = value
                pred[part] += value
    return {"base": base, "features": features.tolist(), "thresholds": thresholds.tolist(),
            "leaves": leaves.tolist()}


def predict(model: dict[str, Any], X: np.ndarray) -> np.ndarray:
    """Sum of the trees' leaves for every row of X (vectorised over rows, looped over trees)."""
    features = np.asarray(model["features"])
    thresholds = np.asarray(model["thresholds"])
    leaves = np.asarray(model["leaves"])
    out = np.full(len(X), float(model["base"]))
    rows = np.arange(len(X))
    for f, th, lv in zip(features, thresholds, leaves):
        right = X[:, max(f[0], 0)] > th[0] if f[0] >= 0 else np.zeros(len(X), dtype=bool)
        side = right.astype(int)
        f2, th2 = f[1 + side], th[1 + side]
        go = (f2 >= 0) & (X[rows, np.maximum(f2, 0)] > th2)
        out += lv[2 * side + go.astype(int)]
    return out
