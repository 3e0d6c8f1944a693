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
