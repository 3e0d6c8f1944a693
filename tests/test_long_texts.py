"""A user feeds a book-length text: it is stored whole, analysed up to [nlp] max_analysed_chars (so one file
cannot hold an ingest for minutes), and every surface that analyses it says so in a note."""
from __future__ import annotations

import json
import re

import httpx
import pytest

from crosswire.api import create_app
from crosswire.api.live import LiveServer
from crosswire.config import load_settings
from crosswire.nlp import analysed_end
from crosswire.store import open_store
from test_api_http import TOKEN

LIMIT = 1000
PARAGRAPH = ("France will withdraw its 400 soldiers from Burkina Faso within a month, the ministry said on "
             "Monday after the government asked for the departure.")
LONG = "\n".join([PARAGRAPH] * 40 + ["The last line names Ouahigouya."])
SHORT = "Burkina Faso asked France to withdraw its 400 soldiers within a month, the spokesman said."


def test_a_headline_above_a_one_line_body_does_not_end_the_analysis():
    # a JSONL text or a feed entry is often a title line and then one long line: cutting at the last line break
    # before the limit would analyse the title alone
    text = "Troops to leave Burkina Faso\n" + (PARAGRAPH + " ") * 30
    end = analysed_end(text, LIMIT)
    assert LIMIT * 0.9 <= end <= LIMIT and text[end] == " "
    assert analysed_end("x" * 2 * LIMIT, LIMIT) == LIMIT  # no break at all: cut at the limit
    assert analysed_end(text, len(text)) == len(text)


def test_ingest_stores_the_text_whole_and_notes_the_cut(cli, tmp_path, monkeypatch):
    report = tmp_path / "long-report.txt"
    report.write_text(LONG, encoding="utf-8")
    monkeypatch.setenv("CROSSWIRE_NLP_MAX_ANALYSED_CHARS", str(LIMIT))
    proc = cli.run("ingest", str(report), "--json")
    [note] = json.loads(proc.stdout)["notes"]
    assert note.startswith(f"{report}: text of {len(LONG):,} characters analysed up to ")
    assert f"note: {note}" in proc.stderr
    with open_store(str(cli.db)) as store:
        [article_id] = json.loads(proc.stdout)["added"]
        assert store.get_article(article_id).text.endswith("Ouahigouya.")  # the text itself is kept whole
        [analysed] = store.get_analyzed([article_id])
        assert max(s.end for s in analysed.sentences) <= LIMIT


def test_brief_and_compare_of_files_note_the_cut_too(cli, tmp_path, monkeypatch):
    (tmp_path / "long.txt").write_text(LONG, encoding="utf-8")
    (tmp_path / "short.txt").write_text(SHORT, encoding="utf-8")
    monkeypatch.setenv("CROSSWIRE_NLP_MAX_ANALYSED_CHARS", str(LIMIT))
    for command in ("compare", "brief"):
        proc = cli.run(command, str(tmp_path / "long.txt"), str(tmp_path / "short.txt"), "--format", "json")
        notes = [line for line in proc.stderr.splitlines() if line.startswith("note:")]
        assert len(notes) == 1 and "long.txt: text of" in notes[0], (command, proc.stderr)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("long-texts") / "crosswire.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN,
                                  "CROSSWIRE_NLP_MAX_ANALYSED_CHARS": str(LIMIT)})
    store = open_store(str(db))
    with LiveServer(create_app(settings, store=store)) as url:
        with httpx.Client(base_url=url, timeout=120) as client:
            yield client
    store.close()


def test_the_api_and_the_add_form_return_the_note(server):
    client = server
    compared = client.post("/api/v1/compare", json={"articles": [{"text": LONG, "title": "Long"},
                                                                 {"text": SHORT, "title": "Short"}]})
    assert compared.status_code == 200, compared.text
    [note] = compared.json()["notes"]
    assert "analysed up to" in note
    stored = client.post("/api/v1/articles", headers={"Authorization": f"Bearer {TOKEN}"},
                         json={"text": LONG, "title": "Long report", "outlet": "Wire"})
    assert stored.status_code == 201 and len(stored.json()["notes"]) == 1
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/add").text).group(1)
    page = client.post("/add", data={"csrf": csrf, "token": TOKEN, "text": LONG + "\nOne more line.",
                                     "title": "Pasted long report"})
    assert page.status_code == 200 and "analysed up to" in page.text
