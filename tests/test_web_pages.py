"""The newsroom pages over HTTP: hostile article text renders as text, forms are CSRF-checked."""
from __future__ import annotations

import re

import httpx
import pytest

from crosswire.api import create_app
from crosswire.api.live import LiveServer
from crosswire.config import load_settings
from crosswire.store import open_store
from test_api_http import TOKEN, XSS, seed_story


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "crosswire.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN})
    store = open_store(str(db))
    story_id = seed_story(store, [("Wire <b>", XSS, "A quake hit. " + XSS),
                                  ("Daily", "Quake hits coast", "The coast was hit. <img src=x onerror=alert(3)>")],
                          conflict=("12", "<script>alert(4)</script>"))
    with LiveServer(create_app(settings, store=store)) as url:
        with httpx.Client(base_url=url, timeout=30) as client:
            yield client, story_id
    store.close()


def assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x onerror" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_story_list_shows_counts_and_escapes(site):
    client, story_id = site
    page = client.get("/")
    assert page.status_code == 200
    assert f'href="/stories/{story_id}"' in page.text
    assert_inert(page.text)
    assert 'class="badge conflict">1<' in page.text
    assert client.get("/?since=not-a-date").status_code == 422


def test_story_page_side_by_side_is_escaped(site):
    client, story_id = site
    html = client.get(f"/stories/{story_id}").text
    assert_inert(html)
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html  # a conflict value, shown as text
    row = re.search(r'<tr class="fact conflict".*?</tr>', html, re.S).group(0)
    assert row.count("<td>") == 2 and ">12<" in row
    assert "Ibrahim Traore" in html  # spelling variant on the entity chip
    assert "<svg class=\"timeline\"" in html
    assert "default-src 'self'" in client.get(f"/stories/{story_id}").headers["content-security-policy"]


def test_add_form_needs_csrf_and_token(site):
    client, _ = site
    form = client.get("/add")
    assert 'name="csrf"' in form.text and 'for="text"' in form.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    no_csrf = client.post("/add", data={"text": "Hello.", "token": TOKEN})
    assert no_csrf.status_code == 403
    forged = httpx.post(f"{client.base_url}/add", data={"text": "Hello.", "token": TOKEN, "csrf": csrf})
    assert forged.status_code == 403  # the field alone (no cookie) is not enough
    no_token = client.post("/add", data={"text": "Hello.", "csrf": csrf})
    assert no_token.status_code == 401
    assert "Hello." in no_token.text  # the pasted text is kept for another try


def test_unknown_story_page_is_a_readable_404(site):
    client, _ = site
    response = client.get("/stories/424242")
    assert response.status_code == 404 and "Story not found" in response.text
