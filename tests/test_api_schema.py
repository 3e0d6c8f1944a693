"""The published OpenAPI schema matches what the server does (schemathesis, small bounded run)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from crosswire.api import create_app
from crosswire.api.live import LiveServer
from crosswire.config import load_settings
from crosswire.store import open_store
from test_api_http import TOKEN, seed_story


def test_openapi_lists_every_endpoint(tmp_path):
    settings = load_settings(env={"CROSSWIRE_DB": str(tmp_path / "c.db"), "CROSSWIRE_TOKEN": TOKEN})
    with LiveServer(create_app(settings)) as url:
        schema = httpx.get(f"{url}/openapi.json").json()
        assert httpx.get(f"{url}/docs").status_code == 200
    paths = set(schema["paths"])
    assert {"/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/stories", "/api/v1/stories/{story_id}",
            "/api/v1/stories/{story_id}/brief.md", "/api/v1/stories/{story_id}/brief.html", "/api/v1/compare",
            "/api/v1/entities/{name}/stories", "/healthz"} <= paths
    assert not any(p.startswith("/add") or p == "/" for p in paths)  # pages are not API


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors(tmp_path):
    st = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    if not Path(st).exists():
        pytest.skip("schemathesis is not installed")
    db = tmp_path / "c.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN})
    store = open_store(str(db))
    seed_story(store, [("Wire", "Quake hits coast", "A quake hit."), ("Daily", "Coast quake", "The coast shook.")],
               conflict=("12", "15"))
    with LiveServer(create_app(settings, store=store)) as url:
        # Reads with generated parameters, and unauthenticated writes (must be clean 401/413/422s).
        result = subprocess.run(
            [st, "run", f"{url}/openapi.json", "--max-examples", "15", "--seed", "7",
             "--phases", "examples,coverage,fuzzing", "--checks", "all",
             "--exclude-checks", "positive_data_acceptance,negative_data_rejection,ignored_auth,missing_required_header,unsupported_method",
             "--exclude-path", "/api/v1/compare", "--request-timeout", "10"],
            capture_output=True, text=True, timeout=120, cwd=tmp_path)  # its example db stays out of the repo
    store.close()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
