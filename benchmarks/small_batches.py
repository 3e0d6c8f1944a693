"""A feed in small batches: the cost of one ingest call that brings one new article, into a store
that already holds many.

    python benchmarks/small_batches.py [--stored 3000] [--calls 5]

Seeds a temporary SQLite store with analysed articles in stories (synthetic text and embeddings,
through the Store API), then runs ``pipeline.ingest_articles`` with one fresh article per call, the
whole pipeline (NLP included). Baseline in the same run: the same calls with the kept story index
dropped before each call, i.e. a rebuild from every stored analysis per call (what each call did before
the pipeline kept the index). Prints milliseconds per call and the ratio.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from crosswire import pipeline
from crosswire.config import load_settings
from crosswire.model import AnalyzedArticle, Article
from crosswire.store import open_store

TEXT = ("Rescuers pulled more bodies from collapsed buildings on Saturday, officials said, as the death toll "
        "rose to {n}. The quake struck district {d} shortly after dawn. ") * 4
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def article(i: int) -> Article:
    return Article.create(TEXT.format(n=10 + i % 50, d=i % 977) + f" Report {i}.", title=f"Quake in district {i % 977}",
                          outlet=f"Outlet {i % 20}", url=f"https://example.org/{i}",
                          published=START + timedelta(minutes=i))


def seed(store, n: int, rng) -> None:
    for first in range(0, n, 3):
        ids = []
        for i in range(first, min(n, first + 3)):
            head = rng.normal(size=512).astype(np.float32)
            head /= np.linalg.norm(head)
            store.add_article(AnalyzedArticle(article(i), embedding=head, sentence_embeddings=np.vstack([head] * 6)))
            ids.append(article(i).id)
        store.create_story(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=3000)
    parser.add_argument("--calls", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings(env={})
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "feed.db")) as store:
        seed(store, args.stored, np.random.default_rng(0))
        pipeline.ingest_articles(store, [article(args.stored)], settings)  # warm: models loaded, index built
        timings = {"kept index": [], "rebuilt each call": []}
        serial = args.stored + 1
        for _ in range(args.calls):
            for mode, spent in timings.items():
                if mode == "rebuilt each call":
                    pipeline._assigners.clear()
                began = time.perf_counter()
                pipeline.ingest_articles(store, [article(serial)], settings)
                spent.append(time.perf_counter() - began)
                serial += 1
    kept, rebuilt = (statistics.median(timings[m]) * 1000 for m in ("kept index", "rebuilt each call"))
    print(f"stored={args.stored} calls={args.calls} one article per call: kept index {kept:.0f} ms, "
          f"rebuilt each call {rebuilt:.0f} ms (x{rebuilt / kept:.1f})")


if __name__ == "__main__":
    main()
