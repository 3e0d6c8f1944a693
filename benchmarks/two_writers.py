"""Two writers on one store: what a second ingest process costs the first, and what it does to the stories.

    python benchmarks/two_writers.py [--docs ../shared/data/allsides_roundups/dev_docs.jsonl] [--first 1500]
        [--stores postgresql://…/one postgresql://…/two]

Streams the first N docs of a gold-labelled dev file (in the eval's arrival order) through
``pipeline.ingest_articles`` in calls of 64 articles (a feed poll), two ways, in the same run:

- one writer (the baseline): one process makes every call into its own SQLite store;
- two writers: two processes share one SQLite store; writer A takes the odd calls and writer B the even
  ones, both running at once (so A's third call runs while B's second does), as a server taking uploads
  next to an `ingest --every` poller would.

Reports per writer how each call got its story index (``kept``: replayed the other's changes, ``built``: rebuilt
from every stored analysis), the seconds spent, and BCubed F1 / pairwise F1 of the final stories against the gold
labels (scored after everything is stored; never used to place anything). Story detection in two writers should
score what one writer does, and rebuild no more than once (its first call).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CALL = 64  # articles per ingest call


def _articles(path: str, first: int) -> tuple[list, list]:
    from crosswire.errors import InputError
    from crosswire.eval.clustering import load_docs
    from crosswire.ingest.records import article_from_record
    from crosswire.stories.stream import arrival_order
    docs = load_docs(path)[:first]
    articles, gold = [], []
    for i in arrival_order(docs):
        try:
            articles.append(article_from_record(docs[i], f"{path}:{docs[i]['id']}"))
        except InputError:
            continue
        gold.append(docs[i].get("cluster"))
    return articles, gold


def _writer(db: str, calls: list[list], out) -> None:
    """One process: make its calls one after another; report how each found its index and how long it took."""
    from crosswire import pipeline
    from crosswire.config import load_settings
    from crosswire.store import open_store
    settings = load_settings(env={"CROSSWIRE_DB": db, "CROSSWIRE_STORE_STORY_INDEX_DIR": "off"})
    from crosswire.nlp import analyze
    analyze(calls[0][:1], settings)  # load the models before the clock starts
    origins, began = Counter(), time.perf_counter()
    with open_store(db) as store:
        for batch in calls:
            origins[pipeline.ingest_articles(store, batch, settings).story_index or "none"] += 1
    out.put({"origins": dict(origins), "seconds": round(time.perf_counter() - began, 1)})


def _run(db: str, shares: list[list[list]]) -> list[dict]:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each, as two real processes are
    queue = context.Queue()
    workers = [context.Process(target=_writer, args=(db, share, queue)) for share in shares]
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    return results


def _score(db: str, articles: list, gold: list) -> dict:
    from crosswire.eval.clustering import bcubed
    from crosswire.store import open_store
    with open_store(db) as store:
        pred = [store.story_of(a.id) or f"unplaced:{a.id}" for a in articles]
    result = bcubed(pred, gold)
    return {"bcubed_f1": round(result["bcubed_f1"], 4), "pairwise_f1": round(result["pairwise_f1"], 4),
            "stories": result["clusters"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default=str(HERE.parent.parent / "shared/data/allsides_roundups/dev_docs.jsonl"))
    parser.add_argument("--first", type=int, default=1500)
    parser.add_argument("--stores", nargs=2, metavar=("ONE", "TWO"),
                        help="two new, empty stores (e.g. PostgreSQL databases) instead of temporary SQLite files")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    articles, gold = _articles(args.docs, args.first)
    calls = [articles[i:i + CALL] for i in range(0, len(articles), CALL)]
    with tempfile.TemporaryDirectory(prefix="crosswire-two-writers-") as tmp:
        one_db, two_db = args.stores or (str(Path(tmp) / "one.db"), str(Path(tmp) / "two.db"))
        one = _run(one_db, [calls])
        two = _run(two_db, [calls[0::2], calls[1::2]])
        report = {"docs": args.docs, "articles": len(articles), "calls": len(calls),
                  "one_writer": {**one[0], **_score(one_db, articles, gold)},
                  "two_writers": {"writers": two, **_score(two_db, articles, gold)}}
    if args.json:
        print(json.dumps(report))
        return
    print(f"{report['articles']} articles in {report['calls']} calls of {CALL}")
    print(f"one writer : {one[0]['seconds']} s, index {one[0]['origins']}, BCubed {report['one_writer']['bcubed_f1']}, "
          f"pairwise {report['one_writer']['pairwise_f1']}")
    for name, writer in zip("AB", two):
        print(f"writer {name}   : {writer['seconds']} s, index {writer['origins']}")
    print(f"two writers: BCubed {report['two_writers']['bcubed_f1']}, pairwise {report['two_writers']['pairwise_f1']}")


if __name__ == "__main__":
    sys.exit(main())
