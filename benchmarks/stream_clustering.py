"""Throughput of streaming story clustering at 1k / 10k / 100k articles, next to a naive
all-pairs baseline (same scorer, candidates from exact search over every earlier article).

Features are precomputed (as in the pipeline): real dev-corpus articles (ECB+ train/dev) are
encoded once, then replicated with perturbation to reach the target size: each replica gets
Gaussian noise on its embeddings (so ANN search is not trivially exact) and replica-specific
names/words/numbers (so each replica is a distinct set of stories, as a real feed would be).

    python benchmarks/stream_clustering.py [--sizes 1000,10000,100000] [--naive-max 10000] [--repeat 3]
                                           [--per-day N]

Reports articles/s, the time ratio for 10x more articles and peak RSS (ru_maxrss). With --repeat N
each size is streamed N times and the median time is used: a single 10k run (~5.5 s) varies by up
to 20 % between runs here, which alone moves the 10k -> 100k ratio by more than one.

The dev articles are undated, so by default no story ever goes cold. ``--per-day N`` dates the stream
at N articles per day, so stories silent for ``[stories] retire_days`` leave the index, as in a feed
that runs for months: the live stories, and the memory, then follow the last weeks.
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "train_dev_docs.jsonl"


def base_features(limit: int | None = None) -> list[dict]:
    from crosswire.stories.features import encode_docs
    docs = [json.loads(line) for line in DATA.open(encoding="utf-8")][:limit]
    return encode_docs(docs)


def replicate(base: list[dict], n: int, seed: int = 0, per_day: float | None = None):
    """The n articles, made one at a time: holding 100k feature dicts (~2.5 GB) would measure the
    benchmark's memory, not the clusterer's."""
    rng = np.random.default_rng(seed)
    for i in range(n):
        copy, src = divmod(i, len(base))
        doc = base[src] if per_day is None else {**base[src], "day": 738000.0 + i / per_day}
        if copy == 0:
            yield doc
            continue
        noise = rng.normal(0, 0.02, size=(2, doc["head"].shape[0])).astype(np.float32)
        head, body = doc["head"] + noise[0], doc["body"] + noise[1]
        tag = f"~{copy}"
        yield {**doc, "id": f"{doc['id']}{tag}", "head": head / np.linalg.norm(head),
               "body": body / np.linalg.norm(body),
               "names": {m + tag for m in doc["names"]},
               "words": {w + tag if k % 2 else w for k, w in enumerate(sorted(doc["words"]))},
               "numbers": {x + tag for x in doc["numbers"]}}


def run(features, use_ann: bool, stats: dict | None = None) -> float:
    """Seconds spent in `StreamClusterer.add` (making the replicas is not timed)."""
    from crosswire.stories.stream import StreamClusterer
    clusterer = StreamClusterer(None, use_ann=use_ann)
    spent = 0.0
    for doc in features:
        start = time.perf_counter()
        clusterer.add(doc)
        spent += time.perf_counter() - start
    if stats is not None:
        stats.update(live_stories=len(clusterer.stories), retired_stories=clusterer.retired)
    return spent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--naive-max", type=int, default=10000, help="largest size for the all-pairs baseline")
    ap.add_argument("--repeat", type=int, default=1, help="stream each size this many times; report the median")
    ap.add_argument("--per-day", type=float, default=None, help="date the stream at this many articles per day")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base = base_features()
    rows = []
    for n in sizes:
        stats: dict = {}
        times = sorted(run(replicate(base, n, per_day=args.per_day), use_ann=True, stats=stats)
                       for _ in range(max(1, args.repeat)))
        t = times[len(times) // 2]
        row = {"articles": n, "stream_s": round(t, 2), "stream_per_s": round(n / t), **stats,
               **({"stream_runs_s": [round(x, 2) for x in times]} if len(times) > 1 else {}),
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
        if n <= args.naive_max:
            tn = run(replicate(base, n, per_day=args.per_day), use_ann=False)
            row.update(naive_s=round(tn, 2), naive_per_s=round(n / tn))
        rows.append(row)
        print(json.dumps(row), flush=True)
    for small, big in zip(rows, rows[1:]):
        print(f"{big['articles']}/{small['articles']} articles: stream time x{big['stream_s'] / small['stream_s']:.2f}"
              + (f", naive x{big['naive_s'] / small['naive_s']:.1f}" if "naive_s" in big and "naive_s" in small else ""))


if __name__ == "__main__":
    main()
