"""Problems users reported with the API and the pages, each replayed over real HTTP (LiveServer)."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from crosswire.api import create_app
from crosswire.api import docs as api_docs
from crosswire.api.live import LiveServer
from crosswire.config import load_settings
from crosswire.model import AnalyzedArticle, Article
from crosswire.store import open_store
from test_api_http import TOKEN

ROOT = Path(__file__).resolve().parents[1]
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BURKINA = ("France is withdrawing its troops from Burkina Faso within a month, the government in "
           "Ouagadougou said on Wednesday.")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One story last updated on 2023-01-25 at 16:05 UTC, like the Burkina Faso example."""
    db = tmp_path_factory.mktemp("reported") / "crosswire.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN})
    store = open_store(str(db))
    ids = []
    for outlet, hour in (("Wire", 12), ("Daily", 16)):
        article = Article.create(BURKINA, title="France pulls troops from Burkina Faso", outlet=outlet,
                                 published=datetime(2023, 1, 25, hour, 5, tzinfo=timezone.utc), language="en")
        store.add_article(AnalyzedArticle(article))
        ids.append(article.id)
    story_id = store.create_story(ids, headline="France pulls troops from Burkina Faso")
    with LiveServer(create_app(settings, store=store)) as url:
        with httpx.Client(base_url=url, timeout=120) as client:
            yield client, story_id
    store.close()


def listed(client: httpx.Client, **params: str) -> list[int]:
    response = client.get("/api/v1/stories", params=params)
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["items"]]


def on_page(client: httpx.Client, story_id: int, **params: str) -> bool:
    page = client.get("/", params=params)
    assert page.status_code == 200, page.text
    return f'href="/stories/{story_id}"' in page.text


@pytest.mark.parametrize("bound", ["since", "until"])
def test_a_bare_number_is_not_a_date_on_the_api_or_the_form(server, bound):
    """pydantic reads "2023" as a Unix timestamp (33 minutes past 1970): a 422 naming it instead, as on the form."""
    client, _ = server
    response = client.get("/api/v1/stories", params={bound: "2023"})
    assert response.status_code == 422 and "not a date" in response.json()["error"]["message"]
    assert client.get("/", params={bound: "20240105"}).status_code == 422


def test_picking_a_single_day_finds_the_stories_of_that_day(server):
    """since=until=2023-01-25 returned [] (until read as midnight); a date alone now means that whole day."""
    client, story_id = server
    day = {"since": "2023-01-25", "until": "2023-01-25"}
    assert story_id in listed(client, **day)
    assert on_page(client, story_id, **day)  # the stories form, same rule
    for before in ({"until": "2023-01-24"}, {"until": "2023-01-25T16:00:00"}, {"until": "2023-01-25T16:00:00Z"},
                   {"until": "2023-01-25T00:00:00"}):  # a date-time keeps its exact meaning
        assert story_id not in listed(client, **before), before
        assert not on_page(client, story_id, **before), before
    assert story_id in listed(client, until="2023-01-25T16:05:00")
    assert story_id in listed(client, until="2023-01-25T17:05:00+01:00")
    assert story_id in listed(client, until="9999-12-31")  # the last day of the calendar is no overflow
    assert on_page(client, story_id, until="9999-12-31")
    page = client.get("/", params={"until": "25/01/2023"})
    assert page.status_code == 422 and "until" in page.text


def test_a_misspelt_store_field_in_compare_is_refused_not_ignored(server):
    """{"stor": true} compared without storing and said nothing; every unknown envelope key is now a 422."""
    client, _ = server
    before = client.get("/healthz").json()["articles"]
    articles = [{"text": "At least 12 people died in the quake on Friday."},
                {"text": "At least 15 people died in the quake on Friday."}]
    for body, field in (({"articles": articles, "stor": True}, "stor"),
                        ({"articles": articles, "store": False, "Store": True}, "Store")):
        response = client.post("/api/v1/compare", headers=AUTH, json=body)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid_request" and f"{field}: unknown field" in error["message"]
    assert client.get("/healthz").json()["articles"] == before


def test_compare_articles_keep_the_extra_keys_file_ingest_reads(server):
    """An article is read like a JSONL line: its aliases (`source`, `date`) count and other keys (`id`) pass."""
    client, _ = server
    response = client.post("/api/v1/compare", json={"articles": [
        {"text": "At least 12 people died in the quake on Friday.", "source": "Wire", "date": "2023-01-27",
         "id": "wire-1"},
        {"text": "At least 15 people died in the quake on Friday.", "outlet": "Daily", "tags": ["quake"]}]})
    assert response.status_code == 200, response.text
    sources = {s["outlet"]: s for s in response.json()["sources"]}
    assert set(sources) == {"Wire", "Daily"}
    assert sources["Wire"]["published"].startswith("2023-01-27")


@pytest.mark.parametrize("path", ["/stories/abc", "/stories/-1", "/stories/1.5", "/stories/99999999999999999999",
                                  "/stories/%C2%B2", "/stories/" + "9" * 5000])
def test_a_story_page_with_a_non_numeric_id_is_an_html_error_page(server, path):
    """/stories/abc answered the API's JSON 422; a page URL gets a page, like /stories/999999 does."""
    client, _ = server
    response = client.get(path)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "Story not found" in response.text and "<h1>" in response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    api = client.get("/api/v1/stories/abc")  # the API keeps its JSON error
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid_request"


def external_references(html: str) -> list[str]:
    return [u for u in re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html)
            if re.match(r"(?:[a-z]+:)?//", u, re.I)]


def test_api_docs_load_nothing_from_another_host(server):
    """/docs loaded Swagger UI from cdn.jsdelivr.net: a blank page offline. Its assets are served here."""
    client, _ = server
    page = client.get("/docs")
    assert page.status_code == 200
    assert external_references(page.text) == [] and "cdn.jsdelivr.net" not in page.text
    redoc = client.get("/redoc")
    assert redoc.status_code == 307 and redoc.headers["location"] == "/docs"
    if api_docs.assets_dir() is None:  # fastapi-offline not installed: the endpoint list (next test)
        assert "/api/v1/stories" in page.text
        return
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    styles = re.findall(r'rel="stylesheet" href="([^"]+)"', page.text)
    assert scripts and styles
    for url in scripts + styles:
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 10_000, url
    assert "SwaggerUIBundle" in client.get(scripts[0]).text
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")  # what Swagger UI 5 renders


def test_api_docs_without_the_swagger_package_list_the_endpoints(tmp_path, monkeypatch):
    """Without fastapi-offline installed /docs is a local page listing every endpoint, still no other host."""
    monkeypatch.setattr(api_docs, "assets_dir", lambda: None)
    settings = load_settings(env={"CROSSWIRE_DB": str(tmp_path / "c.db"), "CROSSWIRE_TOKEN": TOKEN})
    with LiveServer(create_app(settings)) as url:
        page = httpx.get(f"{url}/docs")
        assets = httpx.get(f"{url}/docs-assets/swagger-ui.css")
    assert page.status_code == 200 and external_references(page.text) == []
    for path in ("/api/v1/articles", "/api/v1/stories/{story_id}/brief.md", "/api/v1/compare", "/healthz"):
        assert f"<code>{path}</code>" in page.text
    assert 'href="/openapi.json"' in page.text
    assert assets.status_code == 404


def test_the_curl_example_in_the_web_docs_adds_its_article(server):
    """docs/web.md's POST /api/v1/articles example was refused (its text was under 20 characters)."""
    client, _ = server
    doc = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    example = re.search(r"curl [^`]*?-d '([^']+)'[\s\\]+http://127\.0\.0\.1:8000(/api/v1/articles)", doc)
    assert example, "docs/web.md lost its curl example"
    response = client.post(example.group(2), content=example.group(1).encode(),
                           headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["added"] and body["errors"] == []
    assert body["articles"][0]["title"] == json.loads(example.group(1))["title"]


def test_a_mistyped_page_address_is_an_html_page_for_a_browser_and_json_for_the_api(server):
    client, _ = server
    page = client.get("/storys", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text and "/storys" in page.text
    api = client.get("/api/v1/nope", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    script = client.get("/storys")  # no Accept: text/html, as curl or a script sends
    assert script.status_code == 404 and script.json()["error"]["message"] == "no such path: /storys"
