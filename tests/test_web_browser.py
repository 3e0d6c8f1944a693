"""An editor's session in a real browser (Debian chromium, headless) against a live server.

Opens the story list, adds two reports of one event through the form (they differ on a number),
opens the story and checks the side-by-side rows and the conflict's values; saves screenshots
to docs/screenshots/ and test-artifacts/.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from crosswire.api import create_app
from crosswire.api.live import LiveServer
from crosswire.config import load_settings
from crosswire.store import open_store
from test_api_http import TOKEN, XSS, seed_story

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

REPORT_A = ("Reuters", "Earthquake strikes northern Chile",
            "A magnitude 6.8 earthquake struck northern Chile on Tuesday, killing at least 12 people, "
            "officials said. The quake hit near the port city of Antofagasta at 3:40 a.m. local time. "
            "Interior Minister Carolina Toha said rescue teams were searching collapsed buildings.")
REPORT_B = ("Associated Press", "Deadly quake hits Chile's north",
            "At least 15 people were killed when a magnitude 6.8 earthquake struck northern Chile on Tuesday, "
            "officials said. The quake hit near the port city of Antofagasta early in the morning. "
            "Interior Minister Carolina Toha said rescue teams were searching collapsed buildings.")


def save(page, name: str) -> None:
    target = ROOT / "docs" / "screenshots" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    shutil.copy(target, artifacts / name)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


def test_reading_a_seeded_story_with_hostile_text(browser, tmp_path):
    """No NLP needed: the story and its comparison are put in the store directly."""
    db = tmp_path / "c.db"
    store = open_store(str(db))
    story_id = seed_story(store, [("Wire", "Quake hits coast", "A quake hit the coast. " + XSS),
                                  ("Daily", "Coast quake", "The coast was hit by a quake.")], conflict=("12", "15"))
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN})
    with LiveServer(create_app(settings, store=store)) as url:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url + "/")
        save(page, "list.png")  # replaced by the pipeline test's screenshots when that one runs
        page.get_by_role("link", name="Quake hits coast").click()
        page.wait_for_url(f"**/stories/{story_id}")
        row = page.locator("tr.fact.conflict").first
        assert row.locator(".value").all_inner_texts() == ["12", "15"]
        assert page.locator("table.side-by-side thead th").count() == 3
        assert "<script>alert(1)</script>" in page.locator("table.side-by-side").inner_text()
        save(page, "story.png")
        page.keyboard.press("Tab")  # the skip link is the first stop and visibly focused
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.close()
        assert dialogs == []  # no payload ever ran
    store.close()


def test_editor_adds_two_reports_and_sees_the_conflict(browser, tmp_path):
    try:
        from crosswire.compare import compare  # noqa: F401
        from crosswire.ingest.dedup import NearDuplicateIndex  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"pipeline stages not installed yet: {exc}")
    db = tmp_path / "c.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN})
    with LiveServer(create_app(settings)) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/")
        assert "No stories" in page.content()
        story_href = None
        for outlet, title, text in (REPORT_A, REPORT_B):
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Add articles").click()
            page.get_by_label("Title").fill(title)
            page.get_by_label("Outlet").fill(outlet)
            page.get_by_label("Published").fill("2024-06-04")
            page.get_by_label("Text", exact=True).fill(text)
            page.get_by_label("Write token (CROSSWIRE_TOKEN)").fill(TOKEN)
            page.get_by_role("button", name="Add").click()
            page.wait_for_selector("h1:text('Articles added')")
            href = page.locator("a.joined").first.get_attribute("href")
            story_href = story_href or href
            assert href == story_href  # the second report joined the first one's story
        page.goto(url + "/")
        assert page.locator("table.stories tbody tr").count() == 1
        save(page, "list.png")
        page.goto(url + story_href)
        assert page.locator("table.side-by-side thead th").count() == 3
        conflicts = page.locator("tr.fact.conflict")
        assert conflicts.count() >= 1
        values = " ".join(conflicts.locator(".value").all_inner_texts())
        assert re.search(r"\b12\b", values) and re.search(r"\b15\b", values)
        assert page.locator("tr.fact.agree").count() >= 1
        save(page, "story.png")
        page.close()


def test_an_editor_splits_a_wrongly_grouped_report_off_in_the_browser(browser, tmp_path):
    db = tmp_path / "c.db"
    store = open_store(str(db))
    story_id = seed_story(store, [("Wire", "Quake hits coast", "A quake hit the coast."),
                                  ("Daily", "Church burns in the old town", "A church burned down.")])
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": TOKEN})
    with LiveServer(create_app(settings, store=store)) as url:
        page = browser.new_page()
        page.goto(f"{url}/stories/{story_id}")
        page.get_by_role("link", name="Correct (split or merge)").click()
        page.get_by_label(re.compile(r"\[2\] Daily")).check()
        page.get_by_label("Why").fill("a fire, not the quake")
        page.get_by_label("Write token").fill(TOKEN)
        page.get_by_role("button", name="Split").click()
        page.wait_for_url(f"**/stories/{story_id}")
        history = page.locator("ul.history").inner_text()
        assert "moved into new story" in history and "by hand: a fire, not the quake" in history
        assert page.locator("p.meta").inner_text().startswith("1 article ·")
        page.goto(url + "/")
        assert page.get_by_role("link", name="Church burns in the old town").count() == 1
        page.close()
    store.close()
