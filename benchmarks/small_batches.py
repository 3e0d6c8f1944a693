"""A feed in small batches: the cost of one ingest call that brings one new article, into a store
that already holds many.

    python benchmarks/small_batches.py [--stored 3000] [--calls 5]

Seeds a temporary SQLite store with analysed articles in stories (synthetic text and embeddings,
through the Store API), then runs ``pipeline.ingest_articles`` with one fresh article per call, the
whole pipeline (NLP included), three ways, in the same run:

- kept index: one process making every call (a server, a long-running feed reader);
- saved index: a new process per call, as from cron: the last call's index is saved
  (``kept_indexes.save_story_index``, what the CLI does when it exits), the process's memory dropped (the
  near-duplicate index too, which a new process rebuilds from the stored signatures), and the call loads
  the file; the time shown is save + load + call;
- rebuilt each call (the baseline): a new process per call without a saved index (saving off), i.e. a
  rebuild of both indexes from every stored analysis and signature, which is what a new process did before.

Prints milliseconds per call (medians) and the ratios against the baseline. Model loading, which a new
process also pays, is left out of all three.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from crosswire import kept_indexes, pipeline
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
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "feed.db")) as store:
        settings = load_settings(env={"XDG_CACHE_HOME": tmp})  # a saved index goes to the temporary dir
        no_saving = load_settings(env={"XDG_CACHE_HOME": tmp, "CROSSWIRE_STORE_STORY_INDEX_DIR": "off"})
        seed(store, args.stored, np.random.default_rng(0))
        pipeline.ingest_articles(store, [article(args.stored)], settings)  # warm: models loaded, index built
        timings = {"kept index": [], "saved index": [], "rebuilt each call": []}
        serial = args.stored + 1
        for _ in range(args.calls):
            for mode, spent in timings.items():
                if mode == "rebuilt each call":  # a new process without a saved index
                    kept_indexes.story_indexes.clear()
                    kept_indexes.near_duplicate_indexes.clear()
                began = time.perf_counter()
                if mode == "saved index":  # the last process saved its index; this new one has neither in memory
                    kept_indexes.save_story_index(store, settings)
                    kept_indexes.story_indexes.clear()
                    kept_indexes.near_duplicate_indexes.clear()
                report = pipeline.ingest_articles(store, [article(serial)],
                                                  no_saving if mode == "rebuilt each call" else settings)
                spent.append(time.perf_counter() - began)
                assert report.story_index == mode.split()[0].replace("rebuilt", "built"), report.story_index
                serial += 1
    kept, saved, rebuilt = (statistics.median(timings[m]) * 1000 for m in timings)
    print(f"stored={args.stored} calls={args.calls} one article per call: kept index {kept:.0f} ms, "
          f"saved index {saved:.0f} ms (save + load + call), rebuilt each call {rebuilt:.0f} ms "
          f"(kept x{rebuilt / kept:.1f}, saved x{rebuilt / saved:.1f} faster than rebuilding)")


if __name__ == "__main__":
    main()
