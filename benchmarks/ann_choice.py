"""Which approximate nearest-neighbour library for the story index: usearch, hnswlib or faiss, measured on
the clusterer's own workload.

The workload is a stream: every article first searches the 16 nearest earlier articles (its candidate
stories), then is added, one vector at a time, single-threaded (the clusterer's shape; a batch build would
measure something else). Vectors are the ECB+ train+dev head embeddings (USE, 512-d) replicated with noise,
as in ``stream_clustering.py``. Per library and size, in a fresh process each (so peak memory is its own):
microseconds per search + add, the time ratio for 10x the articles, recall@16 against exact search over
the same earlier articles (1,000 sampled queries), story recall (of the gold ECB+ stories among the exact 16,
the share the approximate 16 also reach: what the clusterer needs, since it looks for candidate stories, and
the replicas make many articles near-equal, so which 16 of them come back matters less), the index's memory
(resident memory added while it was built), and whether it can remove a vector (cold stories leave the index).

    python benchmarks/ann_choice.py [--sizes 10000,100000]

usearch is installed with Crosswire; hnswlib and faiss-cpu are not (the benchmark skips a library it
cannot import): ``pip install hnswlib==0.8.0 faiss-cpu==1.15.1`` to compare. All use the clusterer's
settings: graph degree 16, construction breadth 32, search breadth 32, cosine on unit vectors.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stream_clustering import base_features, replicate  # noqa: E402

K, DEGREE, BUILD, SEARCH = 16, 16, 32, 32
LIBRARIES = ["usearch-f16", "usearch-f32", "hnswlib", "faiss-hnsw"]


class Usearch:
    removes = True

    def __init__(self, dim: int, dtype: str):
        from usearch.index import Index
        self.index = Index(ndim=dim, metric="cos", dtype=dtype, connectivity=DEGREE, expansion_add=BUILD,
                           expansion_search=SEARCH)

    def search(self, vector, k):
        return self.index.search(vector, k, threads=1).keys

    def add(self, key, vector):
        self.index.add(key, vector, threads=1)


class Hnswlib:
    removes = True  # mark_deleted

    def __init__(self, dim: int):
        import hnswlib
        self.index = hnswlib.Index(space="cosine", dim=dim)
        self.capacity = 1024
        self.index.init_index(max_elements=self.capacity, M=DEGREE, ef_construction=BUILD)
        self.index.set_ef(SEARCH)
        self.index.set_num_threads(1)

    def search(self, vector, k):
        return self.index.knn_query(vector, k=k)[0][0]

    def add(self, key, vector):
        if key >= self.capacity:  # a stream does not know its size: grow by doubling
            self.capacity *= 2
            self.index.resize_index(self.capacity)
        self.index.add_items(vector[None, :], [key])


class FaissHnsw:
    removes = False  # IndexHNSW cannot remove ids

    def __init__(self, dim: int):
        import faiss
        faiss.omp_set_num_threads(1)
        self.index = faiss.IndexHNSWFlat(dim, DEGREE, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = BUILD
        self.index.hnsw.efSearch = SEARCH

    def search(self, vector, k):
        return self.index.search(vector[None, :], k)[1][0]

    def add(self, key, vector):  # ids are insertion order, which is what the clusterer uses as keys
        self.index.add(vector[None, :])


def make(library: str, dim: int):
    if library.startswith("usearch"):
        return Usearch(dim, library.split("-")[1])
    return {"hnswlib": Hnswlib, "faiss-hnsw": FaissHnsw}[library](dim)


def _rss_mb() -> float:
    """Resident memory now (not the peak: encoding the base articles peaks higher than any index here)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stories() -> list[str]:
    """Each base article's gold story (ECB+ ``cluster``): read only to score the search, never to build it."""
    from stream_clustering import DATA
    return [json.loads(line).get("cluster", "") for line in DATA.open(encoding="utf-8")]


def measure(library: str, n: int) -> dict:
    """One library at one size (run in its own process)."""
    base = base_features()
    heads = np.vstack([doc["head"] for doc in replicate(base, n)]).astype(np.float32)
    story = np.array(_stories())[np.arange(n) % len(base)]
    try:
        index = make(library, heads.shape[1])
    except ImportError as exc:
        return {"library": library, "articles": n, "skipped": f"not installed ({exc.name})"}
    before = _rss_mb()
    sampled = set(range(K, n, max(1, n // 1000)))
    found: dict[int, np.ndarray] = {}
    began = time.perf_counter()
    for i in range(n):
        if i:
            keys = index.search(heads[i], min(K, i))
            if i in sampled:
                found[i] = np.asarray(keys)
        index.add(i, heads[i])
    spent = time.perf_counter() - began
    memory = _rss_mb() - before
    recall, story_recall = [], []
    for i in sorted(found):
        exact = np.argsort(-(heads[:i] @ heads[i]))[:K]
        recall.append(len(set(found[i].tolist()) & set(exact.tolist())) / K)
        wanted = set(story[exact])
        story_recall.append(len(set(story[found[i].astype(int)]) & wanted) / len(wanted))
    return {"library": library, "articles": n, "seconds": round(spent, 2), "us_per_article": round(spent / n * 1e6),
            "recall_at_16": round(float(np.mean(recall)), 3), "story_recall": round(float(np.mean(story_recall)), 3),
            "removes": index.removes, "index_mb": round(memory)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--one", nargs=2, metavar=("LIBRARY", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]))))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    for library in LIBRARIES:
        rows = []
        for n in sizes:
            out = subprocess.run([sys.executable, __file__, "--one", library, str(n)], capture_output=True, text=True)
            row = json.loads(out.stdout) if out.returncode == 0 else {"library": library, "articles": n,
                                                                       "failed": out.stderr.strip()[-300:]}
            rows.append(row)
            print(json.dumps(row), flush=True)
        timed = [r for r in rows if "seconds" in r]
        for small, big in zip(timed, timed[1:]):
            print(f"{library}: {big['articles']}/{small['articles']} articles: time x{big['seconds'] / small['seconds']:.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
