"""The quick start, as a new user runs it: brief the bundled examples, in every format, twice."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from conftest import EXAMPLES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def briefed(tmp_path_factory):
    from conftest import CLI
    tmp = tmp_path_factory.mktemp("quickstart")
    cli = CLI(tmp / "crosswire.db", tmp)
    first = cli.run("brief", str(EXAMPLES))
    return cli, first


def test_brief_of_the_examples_has_every_section_with_citations(briefed):
    _, proc = briefed
    md = proc.stdout
    assert md.count("## What the sources agree on") >= 3  # at least three stories in the examples
    for heading in ("## Where they differ", "## Reported by one source only", "## Timeline", "## Sources"):
        assert heading in md
    assert "[1]" in md and "[2]" in md
    assert "Traceback" not in proc.stderr


def test_html_and_json_briefs_open_and_parse(briefed, tmp_path):
    cli, _ = briefed
    out = tmp_path / "brief.html"
    cli.run("brief", str(EXAMPLES), "--format", "html", "-o", str(out))
    page = out.read_text()
    assert page.startswith("<!doctype html>")
    HTMLParser().feed(page)
    data = json.loads(cli.run("brief", str(EXAMPLES), "--format", "json").stdout)
    stories = data if isinstance(data, list) else [data]
    assert len(stories) >= 3
    assert all({"sources", "entities", "facts", "timeline"} <= set(s) for s in stories)


def test_ingesting_the_examples_again_adds_nothing(briefed):
    cli, _ = briefed
    before = cli.json("stats", "--json")
    report = cli.json("ingest", str(EXAMPLES), "--json")
    assert report["added"] == [] and report["already_stored"]
    after = cli.json("stats", "--json")
    assert after["articles"] == before["articles"] and after["stories"] == before["stories"]
    assert before["stories"] >= 3 and before["sources"] >= 3
