"""An editor corrects the stories: splits off reports about another event, merges stories that are one event,
reads each story's history, and the stream keeps the corrections as new reports arrive."""
from __future__ import annotations

import json

import numpy as np
import pytest

from test_stories_clustering import CHURCH, CHURCH_2, EN

# join everything, merge on any evidence, never split: what the stream would do unless an editor's correction holds
LUMPING = "[stories]\njoin_threshold = -100.0\nmerge_threshold = -100.0\nsplit_checks = []\n"


def _write(folder, reports):
    folder.mkdir(exist_ok=True)
    for n, (title, body) in enumerate(reports):
        (folder / f"{title[:12]}-{n}.md").write_text(f"---\ntitle: {title}\n---\n{title}\n{body}\n", encoding="utf-8")
    return str(folder)


def test_an_editor_splits_off_a_report_and_the_next_lookalike_does_not_merge_the_halves_back(cli, tmp_path):
    (tmp_path / "crosswire.toml").write_text(LUMPING, encoding="utf-8")
    cli.run("ingest", _write(tmp_path / "first", [EN, CHURCH]))
    [lumped] = cli.json("stories", "--json")
    assert len(lumped["article_ids"]) == 2  # a quake and a church fire in one story
    briefing = cli.json("brief", str(lumped["id"]), "--format", "json")
    church = next(s["id"] for s in briefing["sources"] if s["title"] == CHURCH[0])

    done = cli.json("split", str(lumped["id"]), f"[{church}]", "--why", "the fire is another event", "--json")
    kept, new = done["stories"]
    assert (kept["id"], kept["article_count"], new["article_count"]) == (lumped["id"], 1, 1)
    assert new["headline"] == CHURCH[0]

    cli.run("ingest", _write(tmp_path / "second", [CHURCH_2]))  # resembles both halves enough to merge them
    stories = cli.json("stories", "--json")
    assert sorted(len(s["article_ids"]) for s in stories) == [1, 2]
    history = cli.json("history", str(new["id"]), "--json")
    assert [e["reason"] for e in history if e["kind"] == "split"] == ["by hand: the fire is another event"]
    assert not [e for e in history if e["kind"] == "merge"]
    assert "moved into new story" in cli.run("history", str(lumped["id"])).stdout


def test_an_editor_merges_two_stories_and_old_links_open_the_merged_one(cli, tmp_path):
    (tmp_path / "crosswire.toml").write_text("[stories]\njoin_threshold = 100.0\n", encoding="utf-8")  # nothing joins
    cli.run("ingest", _write(tmp_path / "reports", [EN, CHURCH]))
    first, second = sorted(s["id"] for s in cli.json("stories", "--json"))
    done = cli.json("merge", str(first), str(second), "--json")
    assert [s["article_count"] for s in done["stories"]] == [2]
    assert cli.json("brief", str(second), "--format", "json")["story_id"] == first
    assert [e["reason"] for e in cli.json("history", str(second), "--json") if e["kind"] == "merge"] == ["by hand"]


def test_corrections_that_cannot_be_made_say_why_and_change_nothing(cli, tmp_path):
    (tmp_path / "crosswire.toml").write_text("[stories]\njoin_threshold = 100.0\n", encoding="utf-8")
    cli.run("ingest", _write(tmp_path / "reports", [EN, CHURCH]))
    first, second = sorted(s["id"] for s in cli.json("stories", "--json"))
    before = cli.json("stories", "--json")
    for args, message in [
            (["merge", str(first), str(first)], f"story {first}: that is the story to merge into"),
            (["merge", str(first), "x"], "'x': not a story id"),
            (["merge", str(first), "99"], "no story with id 99"),
            (["split", str(first), "1"], f"story {first}: that is every report it holds"),
            (["split", str(first), "[7]"], f"story {first}: has no source [7]"),
            (["split", str(first), "0123456789abcdef"], f"story {first}: does not hold 0123456789abcdef"),
            (["split", str(first), "the-church"], "'the-church': neither an article id"),
            (["history", "12345678901234567890123"], "no story with id")]:
        out = cli.run(*args, check=False)
        assert out.returncode != 0 and message in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)
    assert cli.json("stories", "--json") == before


@pytest.fixture(scope="module")
def vectors():
    rng = np.random.default_rng(3)
    head = rng.normal(size=512).astype(np.float32)
    return head / np.linalg.norm(head)


def _doc(name, head):
    return {"id": name, "head": head, "body": head, "names": {"quake", "mamuju"}, "numbers": {"34"},
            "words": {"earthquake", "sulawesi"}, "day": None}


def test_the_stream_does_not_merge_stories_an_editor_kept_apart(vectors):
    from crosswire.stories.stream import StreamClusterer
    for apart in (False, True):
        c = StreamClusterer({"merge_threshold": -100.0})
        a = c.add(_doc("a", vectors))
        b = c.place(_doc("b", vectors), 1000)  # an editor's split: the same event's look-alike in its own story
        if apart:
            c.keep_apart(a, b)
        c.add(_doc("c", vectors))
        assert (len(c.stories) == 2) is apart


def test_the_stream_does_not_split_a_story_an_editor_merged(vectors):
    from crosswire.stories.stream import StreamClusterer
    far = -vectors
    docs = {d["id"]: d for d in [_doc("a", vectors), _doc("b", vectors), _doc("c", far)]}
    for whole in (False, True):
        c = StreamClusterer({"split_checks": [4], "split_threshold": 100.0, "join_threshold": -100.0},
                            member_docs=lambda ids: [docs.get(i) or _doc(i, far) for i in ids])
        label = c.add(docs["a"])
        if whole:
            c.keep_whole(label)
        for name in ("b", "c", "d"):
            c.add(docs.get(name) or _doc(name, far))
        assert (len(c.stories) == 1) is whole


def test_an_old_link_to_a_merged_story_says_where_it_went(cli, tmp_path):
    import httpx

    from crosswire.api import create_app
    from crosswire.api.live import LiveServer
    from crosswire.config import load_settings
    (tmp_path / "crosswire.toml").write_text("[stories]\njoin_threshold = 100.0\n", encoding="utf-8")
    cli.run("ingest", _write(tmp_path / "reports", [EN, CHURCH]))
    first, second = sorted(s["id"] for s in cli.json("stories", "--json"))
    cli.run("merge", str(first), str(second), "--why", "one weekend's news")
    briefed = cli.run("brief", str(second))
    assert f"note: story {second} was merged into story {first}" in briefed.stderr
    app = create_app(load_settings(env={"CROSSWIRE_DB": str(cli.db)}))
    with LiveServer(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        page = client.get(f"/stories/{second}", follow_redirects=True)
        assert page.url.path == f"/stories/{first}" and page.status_code == 200
        assert "Merges and splits" in page.text and "by hand: one weekend&#39;s news" in page.text


def test_an_ingest_that_merges_stories_reports_the_stories_as_it_leaves_them(cli, tmp_path):
    # a later report of the same call merged the story an earlier one had joined: the report named a story
    # that no longer existed ("2 new articles in 2 stories" on a store of one)
    (tmp_path / "crosswire.toml").write_text("[stories]\nmerge_threshold = -100.0\n", encoding="utf-8")
    cli.run("ingest", _write(tmp_path / "first", [EN]))
    cli.run("ingest", _write(tmp_path / "second", [CHURCH]))
    report = cli.json("ingest", _write(tmp_path / "third", [CHURCH_2]), "--json")
    [merged] = cli.json("stories", "--json")
    assert report["stories"] == {a: merged["id"] for a in report["added"]}
    assert report["story_changes"] == [f"story 2 merged into story 1: article {report['added'][0]} scored "
                                       + report["story_changes"][0].split(" scored ")[1]]


def test_a_split_takes_a_reports_copies_along_and_says_how_many_moved(cli, tmp_path):
    (tmp_path / "crosswire.toml").write_text(LUMPING, encoding="utf-8")
    folder = tmp_path / "reports"
    _write(folder, [EN, CHURCH])
    title, body = EN
    (folder / "reprint.md").write_text(f"---\ntitle: {title}\noutlet: Reprinter\n---\n{title}\n{body}\n", encoding="utf-8")
    cli.run("ingest", str(folder))
    [story] = cli.json("stories", "--json")
    sources = cli.json("brief", str(story["id"]), "--format", "json")["sources"]
    original = next(s for s in sources if s["title"] == EN[0] and not s.get("duplicate_of"))
    done = cli.run("split", str(story["id"]), str(original["id"]))
    assert "moved 2 reports" in done.stdout  # the reprint went with its original
    stories = cli.json("stories", "--json")
    assert sorted(len(s["article_ids"]) for s in stories) == [1, 2]


def test_history_lists_events_in_the_order_they_happened(cli, tmp_path):
    (tmp_path / "crosswire.toml").write_text("[stories]\nmerge_threshold = -100.0\n", encoding="utf-8")
    cli.run("ingest", _write(tmp_path / "one", [EN]))
    cli.run("ingest", _write(tmp_path / "two", [CHURCH]))
    cli.run("ingest", _write(tmp_path / "three", [CHURCH_2]))  # merges 2 into 1 within the same second as its join
    kinds = [e["kind"] for e in cli.json("history", "1", "--json")]
    assert kinds.index("merge") > max(i for i, k in enumerate(kinds) if k == "create")


def test_a_comparison_made_while_the_story_changed_is_not_kept_as_current(tmp_path, monkeypatch):
    # a list refresh compared the story's old members while an editor split one off, then stored its result
    # stamped current, so the story went on citing the report it no longer held
    import crosswire.compare as compare_stage
    from crosswire.config import load_settings
    from crosswire.pipeline import story_comparison
    from crosswire.store import open_store
    from test_api_http import seed_story
    store = open_store(str(tmp_path / "c.db"))
    story_id = seed_story(store, [("Wire", "Quake hits coast", "A quake hit the coast."),
                                  ("Daily", "Church burns", "A church burned down.")])
    store.update_story(story_id, comparison=None)
    real = compare_stage.compare
    church = store.get_story(story_id).article_ids[1]

    def compare_while_an_editor_splits(articles, settings=None):
        result = real(articles, settings)
        store.split_story(story_id, [church], "by hand")
        return result
    monkeypatch.setattr(compare_stage, "compare", compare_while_an_editor_splits)
    stale = story_comparison(store, story_id, load_settings(env={}))
    assert len(stale.sources) == 2 and store.comparison_text(story_id) is None  # shown once, not stored
    monkeypatch.setattr(compare_stage, "compare", real)
    assert len(story_comparison(store, story_id, load_settings(env={})).sources) == 1
    store.close()
