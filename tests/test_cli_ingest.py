"""A batch with bad files in it: each bad one gets a line, the rest is stored once, re-runs add nothing."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import EXAMPLES

pytestmark = pytest.mark.slow


def test_bad_files_are_reported_and_the_rest_is_ingested_once(cli, tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(EXAMPLES / "burkina-faso", batch)
    (batch / "empty.txt").write_text("")
    (batch / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (batch / "broken.md").write_text("---\ntitle: never closed\n")
    (batch / "lines.jsonl").write_text('{"text": "France will withdraw its troops from Burkina Faso within a month."}\n'
                                       "{oops\n")
    first = cli.run("ingest", str(batch))
    assert first.returncode == 0 and "Traceback" not in first.stderr
    errors = [line for line in first.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    for name in ("empty.txt", "binary.txt", "broken.md", "lines.jsonl: line 2"):
        assert any(name in line for line in errors), errors
    stats = cli.json("stats", "--json")
    assert stats["articles"] == 4 and stats["languages"] == {"en": 3, "de": 1}

    again = cli.json("ingest", str(batch), "--json")
    assert again["added"] == [] and len(again["already_stored"]) == 4
    assert cli.json("stats", "--json")["articles"] == 4


def test_nothing_readable_is_a_failure(cli, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    proc = cli.run("ingest", str(tmp_path / "empty.txt"), check=False)
    assert proc.returncode == 1 and "empty.txt: empty file" in proc.stderr


def test_a_polling_run_outlives_a_database_locked_by_another_writer(cli, tmp_path):
    # the web server (or a second poller) holds the SQLite write lock through the first round: that round
    # fails with one readable line, and the next round stores the reports once the lock is free
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path
    batch = tmp_path / "batch"
    shutil.copytree(EXAMPLES / "burkina-faso", batch)
    cli.run("stats")  # creates the store
    other = sqlite3.connect(cli.db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    exe = Path(sys.executable).with_name("crosswire")
    env = dict(os.environ, CROSSWIRE_DB=str(cli.db), CROSSWIRE_STORE_BUSY_TIMEOUT="0.5")
    proc = subprocess.Popen([str(exe), "ingest", str(batch), "--every", "0.5", "--rounds", "2", "--json"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    failed = ""
    for line in proc.stderr:
        if line.startswith("error:"):
            failed = line
            break
    other.execute("COMMIT")  # the other writer is done
    out, rest = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "Traceback" not in failed + rest
    assert failed.startswith("error: round 1: store: ") and "database is locked" in failed
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["added"] == [] and "database is locked" in first["errors"][0]
    assert len(second["added"]) == 3 and second["errors"] == []
    assert cli.json("stats", "--json")["articles"] == 3


def test_an_ingest_waits_for_another_writers_turn_and_then_sees_its_story(cli, tmp_path):
    # another writer (a second worker) is placing its batch: this ingest analyses its reports, waits for the turn
    # instead of deciding stories beside it, then files the German reports under the English report's story
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from crosswire.store import open_store
    german = tmp_path / "de"
    german.mkdir()
    for name in ("wire-de-translated.md", "dpa-style-de.md"):
        shutil.copy(EXAMPLES / "burkina-faso" / name, german)
    first = cli.json("ingest", str(EXAMPLES / "burkina-faso" / "wire-en.md"), "--json")
    exe = Path(sys.executable).with_name("crosswire")
    with open_store(str(cli.db)) as other_writer:
        with other_writer.writer_turn():
            run = subprocess.Popen([str(exe), "ingest", str(german), "--json"], cwd=tmp_path,
                                   env=dict(os.environ, CROSSWIRE_DB=str(cli.db)),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(8)  # loading the models and analysing two reports takes ~4 s here
            assert run.poll() is None and other_writer.counts()["articles"] == 1  # still waiting its turn
        out, err = run.communicate(timeout=300)
    assert run.returncode == 0 and "Traceback" not in err, err
    second = json.loads(out)
    assert len(second["added"]) == 2
    assert set(second["stories"].values()) == set(first["stories"].values())


def test_watching_a_folder_that_is_still_empty_says_so_once_not_every_round(cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    proc = cli.run("ingest", str(inbox), "--every", "0.1", "--rounds", "3", "--json", check=False)
    assert proc.returncode == 1  # nothing was read in any round
    assert proc.stderr.count("no readable article files found") == 1, proc.stderr
    rounds = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rounds) == 3 and all(len(r["errors"]) == 1 for r in rounds)  # the machine-readable lines keep it



def test_a_watched_folder_leaves_a_file_still_being_written_for_the_next_round(cli, tmp_path):
    # read half-written, a report became two "sources" agreeing with each other: the half and the whole
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report = inbox / "quake.txt"
    report.write_text("A magnitude 6.1 earthquake struck the coast on Monday, killing 12 people.\n", encoding="utf-8")
    proc = cli.run("ingest", str(inbox), "--every", "0.1", "--rounds", "3", "--json")
    first, second, third = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["added"] == [] and first["waiting"] == [str(report)]  # changed a moment ago: maybe not finished
    assert len(second["added"]) == 1 and "waiting" not in second  # one round later it is read, whatever its age
    assert third["added"] == []
    # a file that arrives for the last round is read then: no round is left to wait for
    (inbox / "second.txt").write_text("A second report of the coast quake on Monday, from another outlet.\n",
                                      encoding="utf-8")
    last = cli.json("ingest", str(inbox), "--every", "0.1", "--rounds", "1", "--json")
    assert len(last["added"]) == 1
