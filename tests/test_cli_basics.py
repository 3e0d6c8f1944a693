"""The command answers fast and speaks plainly when something is wrong."""
from __future__ import annotations

import time


def test_help_is_fast_because_heavy_libraries_load_lazily(cli):
    start = time.perf_counter()
    out = cli.run("--help").stdout
    assert time.perf_counter() - start < 2.0  # measured ~0.2 s; margin for a loaded CI machine
    for command in ("ingest", "brief", "compare", "stories", "stats", "eval"):
        assert command in out


def test_stats_on_an_empty_store_is_json(cli):
    stats = cli.json("stats", "--json")
    assert stats["articles"] == 0 and stats["stories"] == 0


def test_missing_path_is_one_line_not_a_traceback(cli, tmp_path):
    proc = cli.run("ingest", str(tmp_path / "nope.txt"), check=False)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "nope.txt" in proc.stderr


def test_serve_on_port_0_prints_the_port_it_listens_on_and_a_busy_port_is_one_error(cli):
    import os
    import re
    import signal
    import socket
    import subprocess
    import sys
    from pathlib import Path

    import httpx
    exe = Path(sys.executable).with_name("crosswire")
    env = dict(os.environ, CROSSWIRE_DB=str(cli.db))
    proc = subprocess.Popen([str(exe), "serve", "--port", "0"], cwd=cli.cwd, env=env, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if "serving" in line:
                break
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
        assert port != 0
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=30).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        used = taken.getsockname()[1]
        busy = cli.run("serve", "--port", str(used), check=False, timeout=60)
    assert busy.returncode == 1 and "serving" not in busy.stderr and "Traceback" not in busy.stderr
    assert f"error: cannot listen on 127.0.0.1:{used}: Address already in use" in busy.stderr


def test_the_story_list_counts_conflicts_as_the_current_code_finds_them(cli):
    # after an upgrade, the list showed the conflict count an older version had stored (a fixed false conflict
    # still counted) until each story was opened; now a listed story with an older comparison is compared again
    import json
    from conftest import EXAMPLES
    from crosswire.store import open_store
    cli.run("ingest", str(EXAMPLES / "burkina-faso"))
    [listed] = cli.json("stories", "--json")
    with open_store(str(cli.db)) as store:
        [story_id] = store.story_ids()
        store.update_story(story_id, conflict_count=97, headline="old headline",
                           comparison={"sources": [], "facts": []})  # as an older version left it: no stamp
    [relisted] = cli.json("stories", "--json")
    assert relisted["conflict_count"] == listed["conflict_count"] != 97
    assert relisted["headline"] == listed["headline"] != "old headline"
    with open_store(str(cli.db)) as store:
        assert json.loads(store.comparison_text(story_id))["made_by"]
        assert store.stories_compared_otherwise([story_id], "0" * 16) == [story_id]


def test_a_briefing_cached_by_older_comparison_code_is_made_again(cli):
    # after an upgrade a store kept serving the old code's conflicts (a fixed false conflict included) for every
    # story nothing new had joined: the cache now says what made it
    import json
    from conftest import EXAMPLES
    from crosswire.store import open_store
    cli.run("ingest", str(EXAMPLES / "burkina-faso"))
    with open_store(str(cli.db)) as store:
        [story_id] = store.story_ids()
        fresh = json.loads(store.comparison_text(story_id) or "null")
        stale = {"sources": [], "facts": [{"status": "conflict", "statements": [{"source": 1, "text": "old code"}],
                                           "conflicts": [{"kind": "number", "values": {"1": "1", "2": "2"}}]}]}
        store.update_story(story_id, comparison=stale)  # as an older version left it: no stamp
    briefing = cli.json("brief", str(story_id), "--format", "json")
    assert "old code" not in json.dumps(briefing) and briefing["sources"]
    with open_store(str(cli.db)) as store:
        assert json.loads(store.comparison_text(story_id))["made_by"]
    assert fresh is None or fresh.get("made_by")


def test_the_story_list_filters_like_the_api_and_says_when_nothing_matches(cli):
    from conftest import EXAMPLES
    assert "No stories yet" in cli.run("stories").stdout
    cli.run("ingest", str(EXAMPLES / "burkina-faso"), str(EXAMPLES / "iran-earthquake"))
    german = cli.json("stories", "--lang", "DE", "--json")  # codes are stored in lower case
    assert [s["languages"] for s in german] == [["de", "en"]] and german[0]["article_count"] == len(german[0]["article_ids"])
    assert german[0]["last_updated"].startswith("2023-01-2") and "T" in german[0]["last_updated"]  # as the API writes it
    assert german[0]["last_updated"].endswith("+00:00") and german[0]["first_published"].endswith("+00:00")  # UTC, said
    assert [s["id"] for s in cli.json("stories", "--since", "2023-01-01", "--until", "2023-12-31", "--json")] == [german[0]["id"]]
    assert len(cli.json("stories", "--entity", "Ibrahim Traoré", "--json")) == 1
    assert cli.run("stories", "--lang", "xx").stdout.strip() == "No stories match."
    for args, message in [(["--since", "2024"], "--since: not a date: '2024'"),
                          (["--since", "2024-01-02", "--until", "2024-01-01"], "is after until")]:
        out = cli.run("stories", *args, check=False)
        assert out.returncode != 0 and message in out.stderr and "Traceback" not in out.stderr


def test_inputs_that_cannot_be_read_are_named_for_what_they_are(cli, tmp_path):
    # found by a fresh user: a folder or a missing file was an "unsupported file type '(none)'", a URL was mangled
    # into "http:/host", a Markdown file without a body was "field 'text' missing", and `brief abc` said it twice
    from conftest import EXAMPLES
    one = str(next((EXAMPLES / "burkina-faso").glob("*.md")))
    (tmp_path / "empty.md").write_text("---\ntitle: Only a title\n---\n", encoding="utf-8")
    (tmp_path / "typo.jsonl").write_text('{"title": "x", "txt": "A body long enough to be a report."}\n', encoding="utf-8")
    (tmp_path / "unlabelled.jsonl").write_text('{"id": "a", "title": "x", "text": "Some report text here.", "story": "s"}\n',
                                               encoding="utf-8")
    for args, message in [(["similarity", str(tmp_path), one], "is a folder, not a file"),
                          (["similarity", str(tmp_path / "nope.md"), one], "nope.md: no such file"),
                          (["similarity", "http://127.0.0.1:9/a.html", one], "http://127.0.0.1:9/a.html: similarity reads two files, not URLs"),
                          (["ingest", str(tmp_path / "empty.md")], "no article text (the text is empty or under 20 characters)"),
                          (["ingest", str(tmp_path / "typo.jsonl")], "no 'text' field; did you mean 'txt'?"),
                          (["eval", "clustering", str(tmp_path)], "is a folder: give the dataset's JSONL file")]:
        out = cli.run(*args, check=False)
        assert message in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)
    brief = cli.run("brief", "abc", check=False)
    assert brief.returncode == 1 and brief.stderr.strip() == "error: abc: no such file or folder"
    unscored = cli.json("eval", "clustering", str(tmp_path / "unlabelled.jsonl"), "--json")
    assert "no 'cluster' field" in unscored["note"]


def test_brief_takes_story_ids_and_paths_together(cli):
    from conftest import EXAMPLES
    cli.run("ingest", str(EXAMPLES / "burkina-faso"))
    [story] = cli.json("stories", "--json")
    out = cli.run("brief", str(story["id"]), str(EXAMPLES / "iran-earthquake"))
    assert [line for line in out.stdout.splitlines() if line.startswith("# ")] == [f"# {story['headline']}",
                                                                                   "# Earthquake of magnitude 5.9 hits southern Iran"]
