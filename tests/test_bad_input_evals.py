"""A user points the evals at a file that is not quite right, or ingests a text with no sentence ends.

Each bad file gets one line naming the file, the line and what is wrong, before any of the minutes of
work an eval does; a text that is one enormous "sentence" is ingested in bounded pieces, not with a
23 GiB allocation.
"""
from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

GOOD_DOC = {"id": "d1", "text": "Rescuers pulled 33 miners from a collapsed mine on Wednesday.", "cluster": "mine"}
GOOD_PAIR = {"pair_id": "p1", "text1": "Rescuers pulled 33 miners out.", "text2": "Thirty-three miners were freed.",
             "lang1": "en", "lang2": "en", **{d: 1.0 for d in ("geography", "entities", "time", "narrative",
                                                                "overall", "style", "tone")}}
GOOD_CONFLICT_PAIR = {"pair_id": "c1", "a": {"text": "The minister said 400 soldiers would leave."},
                      "b": {"text": "The minister said 500 soldiers would leave."},
                      "conflicts": [{"kind": "number", "a": "400", "b": "500"}]}


def _lines(path, *items) -> str:
    """A JSONL file: dicts are dumped, bytes and strings written as they are."""
    with path.open("wb") as fh:
        for item in items:
            fh.write(item if isinstance(item, bytes) else
                     (item if isinstance(item, str) else json.dumps(item)).encode("utf-8") + b"\n")
    return str(path)


def _refused(cli, *args) -> str:
    """The command fails with exactly one `error:` line and no traceback; that line is returned."""
    proc = cli.run(*args, check=False)
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


# ---- eval clustering -------------------------------------------------------------------------------

@pytest.mark.parametrize("bad_line, problem", [
    ('{"id": 2, "text": "caf\xe9 au lait"}'.encode("latin-1"), "not UTF-8"),
    ({"id": 2, "text": "Another report about the mine.", "cluster": [1]}, "cluster must be a string or a number"),
    ({"id": 2, "text": 5, "cluster": "mine"}, "text must be a string"),
    ([1, 2], "expected a JSON object"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_eval_clustering_names_the_bad_line_of_a_docs_file(cli, tmp_path, bad_line, problem):
    docs = _lines(tmp_path / "docs.jsonl", GOOD_DOC, bad_line)
    message = _refused(cli, "eval", "clustering", docs)
    assert "docs.jsonl: line 2" in message and problem in message


def test_eval_clustering_on_an_empty_file_says_it_holds_no_docs(cli, tmp_path):
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    message = _refused(cli, "eval", "clustering", str(tmp_path / "empty.jsonl"))
    assert "empty.jsonl" in message and "no docs" in message


# ---- eval similarity -------------------------------------------------------------------------------

@pytest.mark.parametrize("bad_line, problem", [
    ('{"pair_id": "p2", "text1": "caf\xe9", "text2": "x"}'.encode("latin-1"), "not UTF-8"),
    ({**GOOD_PAIR, "pair_id": "p2", "text2": 5}, "text2 must be a string"),
    ({**GOOD_PAIR, "pair_id": "p2", "overall": "high"}, "overall must be a number"),
    ({k: v for k, v in GOOD_PAIR.items() if k != "tone"}, "no gold score 'tone'"),
])
def test_eval_similarity_names_the_bad_line_of_a_pairs_file(cli, tmp_path, bad_line, problem):
    pairs = _lines(tmp_path / "pairs.jsonl", GOOD_PAIR, bad_line)
    message = _refused(cli, "eval", "similarity", pairs)
    assert "pairs.jsonl: line 2" in message and problem in message


def test_a_null_text_in_a_similarity_pair_counts_as_empty_like_a_null_title(tmp_path):
    from crosswire.cli.story_detection import _load_pairs
    pairs = _load_pairs(_lines(tmp_path / "pairs.jsonl", {**GOOD_PAIR, "text1": None, "title1": None}))
    assert pairs[0]["text1"] is None  # pair_records reads `text1 or ""`


@pytest.mark.parametrize("folds, problem", [("1", "2 or more"), ("-3", "2 or more"), ("5", "at most 3")])
def test_eval_similarity_refuses_a_fold_count_that_cannot_cross_validate(tmp_path, folds, problem):
    # one fold trained on nothing (singular matrix); a negative count scored nothing (all nan)
    from crosswire.cli import main
    pairs = _lines(tmp_path / "pairs.jsonl", *({**GOOD_PAIR, "pair_id": f"p{n}"} for n in range(3)))
    run = CliRunner().invoke(main, ["eval", "similarity", pairs, "--folds", folds])
    assert run.exit_code == 2, run.output  # a usage error, as click gives for any bad option
    assert "--folds" in run.output and problem in run.output


# ---- eval conflicts --------------------------------------------------------------------------------

@pytest.mark.parametrize("bad_line, problem", [
    ({"pair_id": 2, "a": {"text": "x"}, "b": 5, "conflicts": []}, "b must be an object"),
    ({"pair_id": 2, "a": "x", "b": "y", "conflicts": []}, "a must be an object"),
    ({k: v for k, v in GOOD_CONFLICT_PAIR.items() if k != "conflicts"}, "conflicts is missing"),
    ({**GOOD_CONFLICT_PAIR, "conflicts": [{"kind": "number", "a": "400"}]}, "conflicts #1: b is missing"),
])
def test_eval_conflicts_names_the_bad_line_of_a_benchmark_file(cli, tmp_path, bad_line, problem):
    pairs = _lines(tmp_path / "bench.jsonl", GOOD_CONFLICT_PAIR, bad_line)
    message = _refused(cli, "eval", "conflicts", pairs)
    assert "bench.jsonl: line 2" in message and problem in message


# ---- --predictions into a folder that is not there: refused before the work, not after it ----------

def _must_not_run(*args, **kwargs):
    raise AssertionError("the evaluation ran although its predictions could not be written")


@pytest.mark.parametrize("command", ["clustering", "similarity", "conflicts"])
def test_predictions_into_a_missing_folder_are_refused_before_the_evaluation_runs(tmp_path, monkeypatch, command):
    from crosswire.cli import main
    monkeypatch.setattr("crosswire.stories.features.encode_docs", _must_not_run)
    monkeypatch.setattr("crosswire.cli.story_detection._pair_records", _must_not_run)
    monkeypatch.setattr("crosswire.eval.conflicts.predict", _must_not_run)
    data = {"clustering": GOOD_DOC, "similarity": GOOD_PAIR, "conflicts": GOOD_CONFLICT_PAIR}[command]
    path = _lines(tmp_path / "data.jsonl", data)
    args = ["eval", command, path, "--predictions", str(tmp_path / "nodir" / "p.jsonl")]
    run = CliRunner().invoke(main, args + (["--folds", "0"] if command == "similarity" else []))
    assert run.exit_code == 1 and "Traceback" not in run.output, run.output
    assert "p.jsonl: cannot write: no such directory" in run.output


# ---- one enormous "sentence" ------------------------------------------------------------------------

def test_a_text_without_sentence_ends_is_ingested_in_bounded_pieces_that_still_cite_the_text(cli, tmp_path):
    """A scraped page with no punctuation or line breaks was one sentence; a 15 MB one asked the encoder
    for 23.8 GiB. Now it is stored as pieces of at most MAX_SENTENCE_CHARS whose offsets cut the same
    words out of the article text (the briefing and compare cite sentences by offset)."""
    from crosswire.nlp.sentences import MAX_SENTENCE_CHARS
    from crosswire.store import open_store
    words = "country government soldiers officials capital minister reporters confirmed army march".split()
    text = " ".join(words[(n * 7) % len(words)] for n in range(12_000))  # ~100 KB, one line
    (tmp_path / "nopunct.txt").write_text("---\ntitle: Soldiers march\nlang: en\n---\n" + text + "\n",
                                          encoding="utf-8")
    cli.run("ingest", str(tmp_path / "nopunct.txt"))
    store = open_store(str(cli.db))
    try:
        [story] = store.story_ids()
        [analyzed] = store.get_analyzed(store.get_story(story).article_ids)
    finally:
        store.close()
    body = analyzed.article.text
    assert len(analyzed.sentences) > len(body) // MAX_SENTENCE_CHARS
    for sentence in analyzed.sentences:
        assert len(sentence.text) <= MAX_SENTENCE_CHARS
        assert body[sentence.start:sentence.end] == sentence.text
        assert body[sentence.end:sentence.end + 1] in ("", " ", "\n")  # cut between words, not inside one
    assert len(analyzed.sentence_embeddings) == len(analyzed.sentences)


def test_a_run_of_one_character_is_cut_at_the_bound_for_the_encoder(tmp_path):
    # h/longline.txt: 15 MB of "x", no space to cut at; here 30 KB through the rule-based path
    from crosswire import nlp
    from crosswire.model import Article
    from crosswire.nlp.sentences import MAX_SENTENCE_CHARS
    text = "x" * 30_000
    [analyzed] = nlp.analyze([Article.create(text, title="", outlet="o", language="tr")])
    assert [len(s.text) for s in analyzed.sentences] == [MAX_SENTENCE_CHARS] * (30_000 // MAX_SENTENCE_CHARS)
    assert all(text[s.start:s.end] == s.text for s in analyzed.sentences)
    assert analyzed.sentence_embeddings.shape == (len(analyzed.sentences), 512)


def test_the_rule_based_splitter_stays_linear_on_a_text_of_many_short_sentences():
    # it searched for the word before each period from the start of the text: 20,000 periods took 37 s
    from crosswire.nlp.sentences import split_sentences
    start = time.perf_counter()
    spans = split_sentences("A b. " * 10_000)
    assert len(spans) == 10_000 and time.perf_counter() - start < 1.5  # ~0.05 s now, ~9 s before
