"""Story-detection commands: pair similarity, its training, and the clustering/similarity evals."""
from __future__ import annotations

import json
from pathlib import Path

import click

from crosswire.cli import eval_group, main, train_group
from crosswire.errors import InputError


def _read_article(arg: str) -> dict:
    """One article from a file, read as `ingest` reads it (text/Markdown with front matter, HTML,
    JSON): so an empty, binary or unreadable file gets the same clear error as when ingesting."""
    from crosswire.ingest import read_file
    if "://" in arg:  # Path() would fold "http://host" into "http:/host" and call it a missing file
        raise InputError(arg, "similarity reads two files, not URLs: save the pages (or `crosswire ingest` them and "
                              "compare stored stories with `crosswire brief`)")
    batch = read_file(Path(arg), click.get_current_context().obj.settings)
    if batch.errors:
        raise batch.errors[0]
    if len(batch.articles) != 1:
        raise InputError(arg, f"holds {len(batch.articles)} articles; similarity compares one article per file")
    from crosswire.ingest.timestamps import date_in_url
    article = batch.articles[0]
    return {"id": arg, "title": article.title, "text": article.text, "lang": article.language,
            "url": article.url, "outlet": article.outlet, "date": article.published or date_in_url(article.url)}


@main.command(name="similarity")
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def similarity_cmd(a: str, b: str, as_json: bool) -> None:
    """SemEval-2022 Task 8 similarity of two article files (1 = most similar ... 4)."""
    import numpy as np

    from crosswire.stories import similarity as S
    model = S.load_model()
    records = [_read_article(a), _read_article(b)]
    if S.same_text(*records):
        scores = np.ones(len(model["dimensions"]))
    else:
        left, right = S.article_bundles(records, cache=_embedding_cache())
        scores = S.predict(model, S.feature_matrix([left], [right]))[0]
    result = {d: round(float(v), 3) for d, v in zip(model["dimensions"], scores)}
    if as_json:
        click.echo(json.dumps(result))
    else:
        for d, v in result.items():
            click.echo(f"{d:10s} {v:.2f}")


def _load_pairs(path: str, need_gold: bool = False) -> list[dict]:
    """SemEval pairs, every field the features and the scorer read checked here, so a bad line is one error
    naming it before minutes of embedding. A null text counts as empty, as a null title does (the SemEval
    files hold null titles). Gold scores are all there or, for an unscored file, none: the first pair says
    which, and ``need_gold`` (training) demands them."""
    from crosswire.eval import check_type
    from crosswire.stories.similarity import DIMENSIONS
    numbered = _jsonl(path)
    if not numbered or "text1" not in numbered[0][1]:
        raise InputError(path, "expected SemEval pairs with text1/text2 (train_pairs_with_text.jsonl)")
    gold = need_gold or all(d in numbered[0][1] for d in DIMENSIONS)
    for n, pair in numbered:
        where = f"{path}: line {n}"
        for key in ("text1", "text2", "title1", "title2", "lang1", "lang2", "url1", "url2"):
            check_type(where, pair, key, (str,), "a string")
        for d in DIMENSIONS:
            if gold and pair.get(d) is None:
                raise InputError(where, f"no gold score {d!r}: "
                                 + ("training needs all of " if need_gold else "the first pair has them, so every "
                                    "pair needs ") + ", ".join(DIMENSIONS))
            check_type(where, pair, d, (int, float), "a number (1 = most similar ... 4)")
    return [pair for _, pair in numbered]


def _pair_records(pairs: list[dict]) -> tuple[list, list]:
    """Both sides' feature bundles, with a progress bar: the second encoder takes minutes here."""
    from crosswire.cli.output import progress_bar
    from crosswire.stories import similarity as S
    with progress_bar(f"embedding {2 * len(pairs)} articles (multilingual-e5-small)", 2 * len(pairs)) as advance:
        return S.pair_records(pairs, progress=advance, cache=_embedding_cache())


def _embedding_cache() -> Path | None:
    """``nlp.embedding_cache`` as this invocation's settings (``--config``, env) give it."""
    return click.get_current_context().obj.settings.embedding_cache


def _jsonl(path: str) -> list[tuple[int, dict]]:
    """(line number, object) per line: undecodable, non-JSON and non-object lines are refused by line."""
    from crosswire.eval import read_jsonl
    return list(read_jsonl(path))


@train_group.command(name="similarity")
@click.argument("data")
@click.option("--out", type=click.Path(), default=None, help="Where to write (default: the package artefact).")
def train_similarity_cmd(data: str, out: str | None) -> None:
    """Fit the pair-similarity model on SemEval pairs and write the shipped JSON artefact."""
    from crosswire.stories import similarity as S
    pairs = _load_pairs(data, need_gold=True)
    X = S.feature_matrix(*_pair_records(pairs))
    model = S.make_model(X, S.gold_matrix(pairs))
    model["trained_on"] = f"{Path(data).name} ({len(pairs)} pairs)"
    target = Path(out) if out else S.MODEL_PATH
    target.write_text(S.model_json(model), encoding="utf-8")
    click.echo(f"wrote {target} ({len(pairs)} pairs)")


@eval_group.command(name="similarity")
@click.argument("pairs_path", metavar="PAIRS.jsonl")
@click.option("--predictions", type=click.Path(), default=None)
@click.option("--json", "as_json", is_flag=True)
@click.option("--folds", default=5, show_default=True, help="K-fold CV (0 = use the shipped model).")
@click.option("--seed", default=7, show_default=True, help="Seed of the CV's random fold assignment.")
def eval_similarity_cmd(pairs_path: str, predictions: str | None, as_json: bool, folds: int, seed: int) -> None:
    """Pearson r per dimension and language pair; K-fold CV so no pair is scored by a model fit on it."""
    import numpy as np

    from crosswire.eval import check_writable
    from crosswire.stories import similarity as S
    if folds < 0 or folds == 1:  # one fold trains on nothing (a singular matrix); fewer scores nothing
        raise click.BadParameter(f"{folds}: give 0 (the shipped model) or 2 or more folds", param_hint="'--folds'")
    pairs = _load_pairs(pairs_path)
    dims = S.DIMENSIONS
    has_gold = all(d in pairs[0] for d in dims)
    if has_gold and folds > len(pairs):  # a fold with no pair in it is an empty test set
        raise click.BadParameter(f"{folds} folds for {len(pairs)} pairs: give at most {len(pairs)}",
                                 param_hint="'--folds'")
    check_writable(predictions)  # before the minutes of embedding, not after
    X = S.feature_matrix(*_pair_records(pairs))
    if folds and has_gold:
        pred = S.cross_validated(X, S.gold_matrix(pairs), folds=folds, seed=seed)
    else:
        pred = S.predict(S.load_model(), X)
    if predictions:
        with open(predictions, "w", encoding="utf-8") as fh:
            for p, row in zip(pairs, pred):
                fh.write(json.dumps({"pair_id": p.get("pair_id"), **{d: round(float(v), 4) for d, v in zip(dims, row)}}) + "\n")
    result: dict = {"pairs": len(pairs),
                    "mode": f"{folds}-fold CV (seed {seed})" if folds and has_gold else "shipped model"}
    if has_gold:
        gold = S.gold_matrix(pairs)
        result["pearson"] = {d: round(S.pearson(pred[:, j], gold[:, j]), 4) for j, d in enumerate(dims)}
        langs = np.array([f"{p.get('lang1')}-{p.get('lang2')}" for p in pairs])
        result["by_language_pair"] = {
            lp: {"pairs": int((langs == lp).sum()),
                 **{d: round(S.pearson(pred[langs == lp, j], gold[langs == lp, j]), 4) for j, d in enumerate(dims)}}
            for lp in sorted(set(langs))}
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"{pairs_path}: {len(pairs)} pairs ({result['mode']})")
    if has_gold:
        click.echo("  all      " + " ".join(f"{d} {v:.3f}" for d, v in result["pearson"].items()))
        for lp, row in result["by_language_pair"].items():
            click.echo(f"  {lp:8s} n={row['pairs']:4d} " + " ".join(f"{d} {row[d]:.3f}" for d in dims))


@eval_group.command(name="clustering")
@click.argument("docs_path", metavar="DOCS.jsonl")
@click.option("--predictions", type=click.Path(), default=None)
@click.option("--shuffle", "shuffle_seed", type=int, default=None, metavar="SEED",
              help="Shuffle the file order first (dated docs still arrive by date): how much does the score owe to it?")
@click.option("--pipeline", "through_pipeline", is_flag=True,
              help="Ingest the docs into a temporary store through the whole pipeline (NER, sentences, near-copies) "
                   "and score the stories it makes: slower, and exactly what `crosswire ingest` would do.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def eval_clustering_cmd(app, docs_path: str, predictions: str | None, shuffle_seed: int | None,
                        through_pipeline: bool, as_json: bool) -> None:
    """Stream docs in date order into stories; BCubed and pairwise F1 vs the TF-IDF baseline."""
    from crosswire.cli.output import progress_bar
    from crosswire.eval import check_writable
    from crosswire.eval.clustering import format_result, load_docs, run
    docs = load_docs(docs_path)
    check_writable(predictions)  # before the bar and the minutes of clustering, not after
    with progress_bar("Ingesting docs", len(docs), enabled=through_pipeline and not as_json) as advance:
        result = run(docs_path, app.settings, predictions, shuffle_seed=shuffle_seed, docs=docs,
                     through_pipeline=through_pipeline, progress=advance if through_pipeline else None)
    click.echo(json.dumps(result) if as_json else format_result(result))


@train_group.command(name="clustering")
@click.argument("docs_paths", metavar="DOCS.jsonl...", nargs=-1, required=True)
@click.option("--split", default=None, help="Use only docs whose 'split' field is this (docs without one are used).")
@click.option("--first", type=int, default=None, help="Use only the first N docs of each file.")
@click.option("--out", type=click.Path(), default=None, help="Write the fitted [stories] section to this new TOML file.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def train_clustering_cmd(app, docs_paths: tuple[str, ...], split: str | None, first: int | None,
                         out: str | None, as_json: bool) -> None:
    """Fit the stream clusterer's join weights on gold-labelled docs (files as for `eval clustering`)."""
    from crosswire.eval.clustering import load_docs
    from crosswire.stories.features import encode_docs
    from crosswire.stories.stream import FEATURES
    from crosswire.stories.training import fit_join_model, gold_stream_examples
    if out and Path(out).exists():
        raise InputError(out, "exists; give a new file name (the fitted section is printed without --out)")
    sets, used = [], []
    for path in docs_paths:
        docs = [d for d in load_docs(path) if split is None or d.get("split") in (None, split)][:first]
        if docs and not all("cluster" in d for d in docs):
            raise InputError(path, "every doc needs a gold 'cluster' label to train on")
        click.echo(f"{path}: encoding {len(docs)} docs ...", err=True)
        sets.append(gold_stream_examples(docs, encode_docs(docs), app.settings))
        used.append(f"{Path(path).name} ({len(docs)} docs)")
    fitted = fit_join_model(sets)
    command = "crosswire train clustering " + " ".join(docs_paths) + \
        (f" --split {split}" if split else "") + (f" --first {first}" if first else "")
    if as_json:
        click.echo(json.dumps({**fitted, "features": FEATURES, "trained_on": used}))
        return
    toml = (f"[stories]\n# {command}\n# {fitted['examples']} candidate pairs, {fitted['positives']} joins; "
            f"features: {', '.join(FEATURES)}\n"
            f"weights = {json.dumps(fitted['weights'])}\nbias = {fitted['bias']}\n")
    if out:
        Path(out).write_text(toml, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    click.echo(toml, nl=False)
