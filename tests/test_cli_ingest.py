"""A batch with bad files in it: each bad one gets a line, the rest is stored once, re-runs add nothing."""
from __future__ import annotations

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
