"""Cost of one late-split check on a big story, as the pipeline pays it.

    python benchmarks/split_check.py [--members 512]

A story is re-examined when it reaches a size in ``[stories] split_checks`` (4, 8, ... 512): its
members' analyses are read back from the store (SQLite, in a temporary file), turned into
clustering features, and cut in two by average-link. This seeds one story's worth of analysed
articles (synthetic text, embeddings near one direction, as one event's reports are) and times
the two parts of a check. The store read dominates; each doubling is paid once per story.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from crosswire.model import AnalyzedArticle, Article
from crosswire.store import open_store
from crosswire.stories import analyzed_features
from crosswire.stories.stream import StreamClusterer

TEXT = ("Rescuers in Mamuju on Indonesia's Sulawesi island pulled more bodies from collapsed buildings on Saturday, "
        "officials said, as the death toll from the 6.2 magnitude quake rose to 34. ") * 12


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=512)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    event = rng.normal(size=512).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "split.db")) as store:
        ids = []
        for i in range(args.members):
            article = Article.create(f"{TEXT} Report {i}.", title=f"Quake report {i}", outlet=f"Outlet {i % 20}",
                                     url=f"https://example.org/{i}")
            head = event + rng.normal(0, 0.3, 512).astype(np.float32)
            head /= np.linalg.norm(head)
            store.add_article(AnalyzedArticle(article, embedding=head, sentence_embeddings=np.vstack([head] * 12)))
            ids.append(article.id)
        # the member reader StoryAssigner gives the clusterer: analyses read back, features rebuilt
        clusterer = StreamClusterer(None, member_docs=lambda ids: [analyzed_features(a) for a in store.get_analyzed(ids)])
        began = time.perf_counter()
        docs = clusterer.member_docs(ids)
        read = time.perf_counter() - began
        clusterer.propose_split(docs[:8])  # imports scipy outside the clock
        began = time.perf_counter()
        found = clusterer.propose_split(docs)
        cut = time.perf_counter() - began
    print(f"members={args.members} read back + features {read * 1000:.0f} ms, average-link cut {cut * 1000:.0f} ms, "
          f"split proposed: {found is not None}")


if __name__ == "__main__":
    main()
