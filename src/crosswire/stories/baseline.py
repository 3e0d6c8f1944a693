"""The reference baseline: TF-IDF vectors + average-link agglomerative clustering.

Kept in the package so every clustering eval reports it in the same process, on the same
docs, next to the streaming clusterer (it sees all docs at once, which a stream cannot).
"""
from __future__ import annotations

from typing import Any


def tfidf_agglomerative(docs: list[dict[str, Any]], settings: Any = None) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    threshold = 0.8
    if settings is not None and hasattr(settings, "get"):
        threshold = float(settings.get("stories", "baseline_distance", threshold))
    texts = [(d.get("title") or "") + "\n" + (d.get("text") or "") for d in docs]
    if len(texts) < 2:
        return list(range(len(texts)))
    matrix = TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform(texts)  # rows L2-normalised
    distances = 1.0 - (matrix @ matrix.T).toarray()  # n x n, far smaller than a dense vocabulary
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=threshold)
    return [int(x) for x in model.fit_predict(distances)]
