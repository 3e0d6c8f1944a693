"""The JSON API as a client sees it: a real server on a loopback port, a temporary SQLite store."""
from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from crosswire.api import create_app
from crosswire.api.live import LiveServer
from crosswire.config import load_settings
from crosswire.model import (AnalyzedArticle, Article, Comparison, Conflict, Fact, ResolvedEntity, SourceRef,
                             Statement, TimelineEntry)
from crosswire.store import open_store

TOKEN = "test-token-123"
XSS = "<script>alert(1)</script> and <img src=x onerror=alert(2)>"


def seed_story(store, texts: list[tuple[str, str, str]], conflict: tuple[str, str] | None = None) -> int:
    """A story straight through the store API, with a precomputed comparison (no NLP needed)."""
    ids = []
    for i, (outlet, title, text) in enumerate(texts):
        article = Article.create(text, title=title, outlet=outlet, url=f"https://example.org/{outlet}/{i}",
                                 published=datetime(2024, 3, 1 + i, tzinfo=timezone.utc), language="en")
        store.add_article(AnalyzedArticle(article))
        ids.append(article.id)
    story_id = store.create_story(ids, headline=texts[0][1])
    sources = [SourceRef(id=i + 1, article_id=a, outlet=t[0], title=t[1], published=f"2024-03-0{i + 1}",
                         lang="en", url=f"https://example.org/{t[0]}/{i}") for i, (a, t) in enumerate(zip(ids, texts))]
    facts = [Fact("agree", [Statement(s.id, texts[s.id - 1][2]) for s in sources])]
    if conflict:
        facts.append(Fact("conflict", [Statement(1, f"At least {conflict[0]} people died."),
                                       Statement(2, f"At least {conflict[1]} people died.")],
                          [Conflict("number", {1: conflict[0], 2: conflict[1]})]))
    facts.append(Fact("single", [Statement(1, texts[0][2])]))
    comparison = Comparison(sources=sources, facts=facts, headline=texts[0][1], story_id=story_id,
                            entities=[ResolvedEntity("Ibrahim Traoré", "PERSON", ["Ibrahim Traoré", "Ibrahim Traore"], [1, 2])],
                            timeline=[TimelineEntry("2024-03-01", "The quake struck.", [1, 2]),
                                      TimelineEntry("2024-03-04", "Rescue ended.", [2])])
    store.update_story(story_id, headline=comparison.headline, conflict_count=comparison.conflict_count(),
                       comparison=stamped(comparison.to_record()))
    return story_id


def stamped(record: dict) -> dict:
    """A seeded comparison as the current comparison code and default settings would have cached it (an
    unstamped one is made again from the analyses, pipeline.story_comparison)."""
    from crosswire.config import load_settings
    from crosswire.pipeline import comparison_stamp
    return {**record, "made_by": comparison_stamp(load_settings(env={}))}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "crosswire.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN,
                                  "CROSSWIRE_SERVER_MAX_BODY_BYTES": "100000"})
    store = open_store(str(db))
    story_id = seed_story(store, [("Wire", "Quake hits coast", "A quake hit the coast on Friday."),
                                  ("Daily", XSS, "The coast was hit by a quake. " + XSS)], conflict=("12", "15"))
    app = create_app(settings, store=store)
    with LiveServer(app) as url:
        with httpx.Client(base_url=url, timeout=30) as client:
            yield client, story_id
    store.close()


def test_health_and_story_reads(server):
    client, story_id = server
    assert client.get("/healthz").json()["status"] == "ok"
    listing = client.get("/api/v1/stories").json()
    assert listing["next_cursor"] is None
    assert [s["id"] for s in listing["items"]] == [story_id]
    item = listing["items"][0]
    assert item["article_count"] == 2 and item["conflict_count"] == 1 and set(item["outlets"]) == {"Wire", "Daily"}
    story = client.get(f"/api/v1/stories/{story_id}").json()
    assert set(story) >= {"story_id", "headline", "sources", "entities", "facts", "timeline"}
    conflict = next(f for f in story["facts"] if f["status"] == "conflict")
    assert conflict["conflicts"][0]["values"] == {"1": "12", "2": "15"}
    assert client.get(f"/api/v1/stories/{story_id}/brief.md").headers["content-type"].startswith("text/markdown")
    html = client.get(f"/api/v1/stories/{story_id}/brief.html").text
    assert "<script>alert(1)</script>" not in html


def test_article_and_entity_lookups(server):
    client, story_id = server
    first = client.get(f"/api/v1/stories/{story_id}").json()["sources"][0]["article_id"]
    article = client.get(f"/api/v1/articles/{first}").json()
    assert article["story_id"] == story_id and article["outlet"] == "Wire"
    assert client.get("/api/v1/entities/Nobody%20Known/stories").json()["items"] == []


def test_writes_need_the_token(server):
    client, _ = server
    body = {"title": "x", "text": "Some text.", "outlet": "X"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        response = client.post("/api/v1/articles", json=body, headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
    response = client.post("/api/v1/compare", json={"articles": [body, body], "store": True})
    assert response.status_code == 401


def test_errors_are_json_with_the_right_status(server):
    client, _ = server
    cases = [
        (client.get("/api/v1/stories/999999"), 404),
        (client.get("/api/v1/articles/nope"), 404),
        (client.get("/api/v1/no/such/path"), 404),
        (client.get("/api/v1/stories?limit=101"), 422),
        (client.get("/api/v1/stories?since=yesterday"), 422),
        (client.get("/api/v1/stories/abc"), 422),
        (client.delete("/api/v1/stories"), 405),
        (client.post("/api/v1/compare", json={"articles": [{"text": "only one"}]}), 422),
        (client.post("/api/v1/compare", content=b"{not json", headers={"content-type": "application/json"}), 422),
        (client.post("/api/v1/articles", content=b"x" * 200_000,
                     headers={"Authorization": f"Bearer {TOKEN}", "content-type": "text/plain"}), 413),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["code"] and error["message"]
        assert "Traceback" not in response.text


def test_oversize_chunked_body_is_cut_off(server):
    client, _ = server

    def chunks():
        for _ in range(50):
            yield b"y" * 10_000

    response = client.post("/api/v1/articles", content=chunks(),
                           headers={"Authorization": f"Bearer {TOKEN}", "content-type": "text/plain"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_authorised_write_reaches_the_pipeline(server):
    """With the token the request gets past auth; without the NLP stages installed it must still answer JSON."""
    client, _ = server
    response = client.post("/api/v1/articles", headers={"Authorization": f"Bearer {TOKEN}"},
                           json={"title": "Bridge closed", "outlet": "Metro", "text": "The bridge closed on Monday."})
    assert response.status_code != 401
    assert response.headers["content-type"].startswith("application/json")
    if response.status_code in (200, 201):
        data = response.json()
        assert data["articles"][0]["story_id"] is not None
        assert str(data["articles"][0]["story_id"]) in data["joined"]


def test_story_reads_follow_the_store_not_a_stale_render(tmp_path):
    """Rendered story responses are reused for speed, but a changed comparison shows at once."""
    db = tmp_path / "crosswire.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN})
    store = open_store(str(db))
    story_id = seed_story(store, [("Wire", "Dam breaks", "A dam broke."), ("Daily", "Dam bursts", "The dam burst.")],
                          conflict=("3", "4"))
    app = create_app(settings, store=store)
    with LiveServer(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        paths = [f"/api/v1/stories/{story_id}", f"/api/v1/stories/{story_id}/brief.md", f"/stories/{story_id}"]
        first = [client.get(p).text for p in paths]
        assert [client.get(p).text for p in paths] == first
        changed = Comparison.from_record(store.cached_comparison(story_id))
        changed.facts[1].conflicts[0].values[2] = "40"
        store.update_story(story_id, conflict_count=1, comparison=stamped(changed.to_record()))
        story = client.get(paths[0]).json()
        conflict = next(f for f in story["facts"] if f["status"] == "conflict")
        assert conflict["conflicts"][0]["values"] == {"1": "3", "2": "40"}
        assert "40" in client.get(paths[1]).text and "40" in client.get(paths[2]).text
    store.close()


def test_story_lists_show_the_conflicts_the_running_code_finds(tmp_path):
    """After an upgrade a story's stored count came from the old code; every list (API, entity, web page) now
    compares such a story again before showing it, as opening the story already did."""
    db = tmp_path / "crosswire.db"
    store = open_store(str(db))
    story_id = seed_story(store, [("Wire", "Dam breaks", "A dam broke."), ("Daily", "Dam bursts", "The dam burst.")])
    store.update_story(story_id, conflict_count=9, comparison={"sources": [], "facts": []})  # no stamp: older code
    app = create_app(load_settings(env={"CROSSWIRE_DB": str(db)}), store=store)
    with LiveServer(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        [item] = client.get("/api/v1/stories").json()["items"]
        assert item["conflict_count"] == 0
        store.update_story(story_id, conflict_count=9, comparison={"sources": [], "facts": []})
        assert '<span class="badge conflict">9</span>' not in client.get("/").text
        assert store.stories_compared_otherwise([story_id], "0" * 16) == [story_id]
        assert store.stories_compared_otherwise([story_id], stamped({})["made_by"]) == []
    store.close()


def test_story_list_pages_with_a_cursor_and_filters(tmp_path):
    """A developer walks the newest-first list page by page and narrows it by text and entity."""
    db = tmp_path / "crosswire.db"
    store = open_store(str(db))
    ids = [seed_story(store, [(f"Wire {n}", f"Flood number {n}", f"River {n} flooded the valley town on Friday."),
                              (f"Daily {n}", f"Valley flood {n}", f"The valley town was flooded by river {n}.")])
           for n in range(5)]
    app = create_app(load_settings(env={"CROSSWIRE_DB": str(db)}), store=store)
    with LiveServer(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        first = client.get("/api/v1/stories", params={"limit": 2}).json()
        second = client.get("/api/v1/stories", params={"limit": 2, "cursor": first["next_cursor"]}).json()
        third = client.get("/api/v1/stories", params={"limit": 2, "cursor": second["next_cursor"]}).json()
        seen = [s["id"] for page in (first, second, third) for s in page["items"]]
        assert sorted(seen) == sorted(ids) and len(set(seen)) == 5 and third["next_cursor"] is None
        assert [s["id"] for s in client.get("/api/v1/stories", params={"q": "Flood number 3"}).json()["items"]] == [ids[3]]
        assert len(client.get("/api/v1/stories", params={"lang": "en", "limit": 10}).json()["items"]) == 5
        assert client.get("/api/v1/stories", params={"lang": "fr"}).json()["items"] == []
        assert client.get("/api/v1/stories", params={"limit": 101}).status_code == 422
    store.close()


def test_a_write_while_another_process_holds_the_database_is_a_503_and_the_retry_stores_it_once(tmp_path):
    """A newsroom script posts while a cron ingest holds SQLite's write lock: a clear 503, then a clean retry."""
    import sqlite3
    db = tmp_path / "crosswire.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN,
                                  "CROSSWIRE_STORE_BUSY_TIMEOUT": "0.3"})
    app = create_app(settings)  # opens the store itself, with the configured busy timeout
    body = {"title": "Bridge closed", "outlet": "Metro", "text": "The river bridge closed on Monday after a crack was found."}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with LiveServer(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        refused = client.post("/api/v1/articles", headers=auth, json=body)
        other.execute("COMMIT")
        assert refused.status_code == 503
        assert "database is locked" in refused.json()["error"]["message"]
        stored = client.post("/api/v1/articles", headers=auth, json=body)
        assert stored.status_code in (200, 201) and len(stored.json()["articles"]) == 1
        again = client.post("/api/v1/articles", headers=auth, json=body).json()
        assert again["articles"][0]["id"] == stored.json()["articles"][0]["id"]
        assert client.get("/api/v1/stories").json()["items"][0]["article_count"] == 1


def test_an_editor_corrects_stories_over_http_and_reads_their_history(tmp_path):
    db = tmp_path / "crosswire.db"
    store = open_store(str(db))
    quake = seed_story(store, [("Wire", "Quake hits coast", "A quake hit the coast."),
                               ("Daily", "Church burns", "A church burned down.")])
    other = seed_story(store, [("Post", "Coast quake toll rises", "The quake toll rose.")])
    church = next(a for a in store.get_story(quake).article_ids if store.get_article(a).title == "Church burns")
    app = create_app(load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN}), store=store)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with LiveServer(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        assert client.post(f"/api/v1/stories/{quake}/split", json={"articles": [church]}).status_code == 401
        bad = client.post(f"/api/v1/stories/{quake}/split", json={"articles": ["nope"]}, headers=auth)
        assert bad.status_code == 422 and "does not hold nope" in bad.json()["error"]["message"]
        assert client.post(f"/api/v1/stories/{quake}/split", json={"article": [church]}, headers=auth).status_code == 422
        split = client.post(f"/api/v1/stories/{quake}/split", json={"articles": [church], "why": "a fire"}, headers=auth)
        assert split.status_code == 200
        kept, new = split.json()["stories"]
        assert (kept["article_count"], new["headline"]) == (1, "Church burns")
        for not_an_id in (True, str(other)):  # pydantic would read true as 1 and "2" as 2: a merge nobody asked for
            assert client.post(f"/api/v1/stories/{quake}/merge", json={"stories": [not_an_id]}, headers=auth).status_code == 422
        merged = client.post(f"/api/v1/stories/{quake}/merge", json={"stories": [other]}, headers=auth).json()
        assert merged["stories"][0]["article_count"] == 2
        history = client.get(f"/api/v1/stories/{other}/history").json()
        assert history["story"] == quake
        edits = [(e["kind"], e["reason"]) for e in history["events"] if e["kind"] in ("merge", "split")]
        assert edits == [("split", "by hand: a fire"), ("merge", "by hand")]
        assert client.get("/api/v1/stories/999/history").status_code == 404
    store.close()


def test_a_language_filter_in_capitals_finds_the_stories_and_a_backwards_range_is_refused(tmp_path):
    db = tmp_path / "crosswire.db"
    store = open_store(str(db))
    seed_story(store, [("Wire", "Quake hits coast", "A quake hit the coast.")])
    app = create_app(load_settings(env={"CROSSWIRE_DB": str(db)}), store=store)
    with LiveServer(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        assert len(client.get("/api/v1/stories", params={"lang": "EN"}).json()["items"]) == 1
        backwards = client.get("/api/v1/stories", params={"since": "2024-03-05", "until": "2024-03-01"})
        assert backwards.status_code == 422 and "is after until" in backwards.json()["error"]["message"]
        backwards_page = client.get("/", params={"since": "2024-03-05", "until": "2024-03-01"}).text
        assert "is after until" in backwards_page and "Add articles</a> to start" not in backwards_page
        assert "No stories match these filters." in client.get("/", params={"lang": "xx"}).text
    store.close()
