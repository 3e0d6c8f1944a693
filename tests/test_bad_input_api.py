"""Bad and odd input over real HTTP: a clear 4xx in the error shape (never a 500 or a 503 for the client's
mistake), and the same ingest rules whichever way an article arrives (JSON body, /compare, the add form)."""
from __future__ import annotations

import base64
import json
import re

import httpx
import pytest

from crosswire.api import create_app
from crosswire.api.live import LiveServer
from crosswire.config import load_settings
from crosswire.store import open_store
from test_api_http import TOKEN, seed_story

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("bad-input") / "crosswire.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN})
    store = open_store(str(db))
    story_id = seed_story(store, [("Wire", "Quake hits coast", "A quake hit the coast on Friday."),
                                  ("Daily", "Coast shaken", "The coast was hit by a quake on Friday.")])
    with LiveServer(create_app(settings, store=store)) as url:
        with httpx.Client(base_url=url, timeout=120) as client:
            yield client, story_id
    store.close()


def assert_client_error(response: httpx.Response, status: int, mentions: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] and mentions in error["message"]
    assert "Traceback" not in response.text


def articles_stored(client: httpx.Client) -> int:
    return client.get("/healthz").json()["articles"]


def add_form(client: httpx.Client, files=None, **fields: str) -> httpx.Response:
    """Post the /add form as a browser would: with its CSRF field (and cookie) and the write token."""
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/add").text).group(1)
    return client.post("/add", data={"csrf": csrf, "token": TOKEN, **fields}, files=files)


def test_compare_with_store_refuses_texts_the_articles_endpoint_refuses(server):
    """A script stores two one-letter 'articles' through /compare: refused like POST /articles, nothing kept."""
    client, _ = server
    before = articles_stored(client)
    assert_client_error(client.post("/api/v1/articles", headers=AUTH, json={"text": "x"}), 422, "20 characters")
    response = client.post("/api/v1/compare", headers=AUTH,
                           json={"articles": [{"text": "x"}, {"text": "y"}], "store": True})
    assert_client_error(response, 422, "articles[0]")
    assert "20 characters" in response.json()["error"]["message"]
    assert articles_stored(client) == before
    # compared without storing, two headlines are a fair question
    snippets = client.post("/api/v1/compare", json={"articles": [{"text": "12 people died."}, {"text": "15 people died."}]})
    assert snippets.status_code == 200, snippets.text
    assert articles_stored(client) == before


def test_compare_reads_titles_and_dates_like_file_ingest(server):
    """Two wire texts with feed-style dates and no titles: compared, titled by their first line, dated."""
    client, _ = server
    response = client.post("/api/v1/compare", json={"articles": [
        {"text": "Bridge closed after crack\nThe river bridge closed on Monday after a crack was found.",
         "published": "Mon, 18 Oct 2021 10:00:00 +0000", "outlet": "Wire"},
        {"text": "A crack closed the river bridge on Monday, officials said.",
         "published": "18 October 2021", "outlet": "Daily"}]})
    assert response.status_code == 200, response.text
    sources = {s["outlet"]: s for s in response.json()["sources"]}
    assert sources["Wire"]["title"] == "Bridge closed after crack"
    assert sources["Daily"]["title"] == "A crack closed the river bridge on Monday, officials said."
    assert sources["Wire"]["published"].startswith("2021-10-18")
    assert sources["Daily"]["published"].startswith("2021-10-18")


def test_pasting_hi_in_the_add_form_is_refused_and_kept_for_another_try(server):
    client, _ = server
    before = articles_stored(client)
    page = add_form(client, text="hi", title="Greeting")
    assert page.status_code == 422
    assert "20 characters" in page.text and ">hi</textarea>" in page.text
    assert articles_stored(client) == before


def test_a_jsonl_upload_sent_as_octet_stream_is_read_line_by_line(server):
    """curl and browsers declare application/octet-stream for .jsonl; each line is still one article."""
    client, _ = server
    lines = [{"title": "Dam breaks in the north", "outlet": "Wire",
              "text": "A dam broke in the north of the country on Tuesday, flooding three villages."},
             {"title": "Villages flooded", "outlet": "Daily",
              "text": "Three villages were flooded on Tuesday when a dam in the north broke."}]
    body = "\n".join(json.dumps(line) for line in lines).encode()
    before = articles_stored(client)
    page = add_form(client, files={"files": ("export.jsonl", body, "application/octet-stream")})
    assert page.status_code == 200, page.text
    assert "Dam breaks in the north" in page.text and "Villages flooded" in page.text
    assert '{&#34;title&#34;' not in page.text and '{"title"' not in page.text  # no raw JSON line as a title
    assert articles_stored(client) == before + 2


@pytest.mark.parametrize("query", ["since=0001-01-01T00:00:00%2B01:00", "until=9999-12-31T23:59:59-12:00"])
def test_dates_at_the_ends_of_the_calendar_are_unbounded_not_a_500(server, query):
    client, story_id = server
    response = client.get(f"/api/v1/stories?{query}")
    assert response.status_code == 200, response.text
    assert story_id in [s["id"] for s in response.json()["items"]]
    page = client.get(f"/?{query}")
    assert page.status_code == 200 and f'href="/stories/{story_id}"' in page.text


def test_a_since_past_the_end_of_the_calendar_finds_nothing(server):
    client, _ = server
    response = client.get("/api/v1/stories?since=9999-12-31T23:00:00-05:00")
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize("forged", ["x|99999999999999999999999", "2024-03-02T00:00:00|-1", "no bar here",
                                    "2024-03-02T00:00:00|9223372036854775808"])
def test_a_forged_cursor_is_a_422_naming_the_cursor(server, forged):
    client, _ = server
    cursor = base64.urlsafe_b64encode(forged.encode()).decode()
    assert_client_error(client.get("/api/v1/stories", params={"cursor": cursor}), 422, "cursor")
    page = client.get("/", params={"cursor": cursor})
    assert page.status_code == 422 and "cursor" in page.text


def test_a_cursor_the_server_handed_out_still_pages(server):
    client, _ = server
    first = client.get("/api/v1/stories", params={"limit": 1}).json()
    if first["next_cursor"]:  # other tests in this module may have added stories
        assert client.get("/api/v1/stories", params={"cursor": first["next_cursor"]}).status_code == 200


@pytest.mark.parametrize("q, finds", [("\x00", True), ("quake\x00", True), (" ", True), ("\u2028", True),
                                      ('"quake', True), ("quake*", True), ("NEAR(quake", False)])
def test_any_search_text_searches_safely(server, q, finds):
    """Search text is the user's words, never query syntax: NUL, blanks and operators are not an outage."""
    client, story_id = server
    response = client.get("/api/v1/stories", params={"q": q})
    assert response.status_code == 200, response.text
    assert (story_id in [s["id"] for s in response.json()["items"]]) == finds
    assert client.get("/", params={"q": q}).status_code == 200


def test_an_entity_name_with_a_nul_lists_no_stories(server):
    """A NUL in an entity name is refused by PostgreSQL inside a string: it names no entity, so no stories."""
    client, _ = server
    response = client.get("/api/v1/entities/%00/stories")
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []
