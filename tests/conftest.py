"""Fixtures every test area shares: where things are, and how to run the real CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The dev datasets beside the repo (../shared/data); tests that need them skip without."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test may touch the user's real store or config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("CROSSWIRE_DB", raising=False)
    monkeypatch.delenv("CROSSWIRE_CONFIG", raising=False)
    monkeypatch.delenv("CROSSWIRE_TOKEN", raising=False)


class CLI:
    """Runs the installed `crosswire` console script as a user would, against one store."""

    def __init__(self, db: Path, cwd: Path):
        self.db = db
        self.cwd = cwd

    def run(self, *args: str, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
        exe = Path(sys.executable).with_name("crosswire")
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "crosswire"]
        env = dict(os.environ, CROSSWIRE_DB=str(self.db), COLUMNS="120")
        proc = subprocess.run(cmd + list(args), cwd=self.cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"crosswire {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
        return proc

    def json(self, *args: str) -> object:
        return json.loads(self.run(*args).stdout)


@contextmanager
def serving_feed(rounds: list[str], channel: str = "Quake wire"):
    """A real RSS feed on a loopback port whose n-th request gets the items of ``rounds[n]`` (the last round
    again after that): a feed that grows or changes between polls. Yields its URL; refused once the block ends."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Feed(BaseHTTPRequestHandler):
        served = 0

        def do_GET(self):  # noqa: N802 (http.server's name)
            items = rounds[min(Feed.served, len(rounds) - 1)]
            Feed.served += 1
            body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{channel}</title>'
                    + items + "</channel></rss>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()  # connections are refused from now on


@pytest.fixture
def cli(tmp_path: Path) -> CLI:
    return CLI(tmp_path / "crosswire.db", tmp_path)


@pytest.fixture(scope="module")
def analyze():
    """``analyze(text, ...)``: English reports from "Outlet 0", "Outlet 1"..., published 2023-01-25, through the
    real nlp stage (the compare tests' reports)."""
    from datetime import datetime

    from crosswire import nlp
    from crosswire.config import load_settings
    from crosswire.model import Article

    def run(*texts):
        articles = [Article.create(t, outlet=f"Outlet {n}", language="en", published=datetime(2023, 1, 25))
                    for n, t in enumerate(texts)]
        return nlp.analyze(articles, load_settings(env={}))
    return run
