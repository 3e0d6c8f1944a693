"""An outlet updates a report it already published: the toll rises, a paragraph is added. Its feed (or the API) sends
the same URL with the new text. Before, Crosswire answered "already stored" and dropped the new text; now the new
text takes the old one's place in its story, the old one is kept, and the briefing says what the outlet changed."""
from __future__ import annotations

import json

import httpx
import pytest

from crosswire.model import Article

QUAKE = ("An earthquake of magnitude 6.1 struck northern Peru on Thursday, killing {toll} people, officials said. "
         "Rescue teams from Lima arrived in the town of Jaén in the afternoon. "
         "The mayor said {houses} houses were destroyed.{extra}")
FIRST = dict(toll=12, houses=40, extra="")
UPDATED = dict(toll=15, houses=55, extra=" Police arrested two looters in Jaén on Friday.")
OTHER = ("A magnitude 6.1 earthquake hit northern Peru on Thursday and killed 12 people, according to officials. "
         "Rescue teams from Lima reached Jaén in the afternoon.")
ITEM = """<item><title>{title}</title><link>https://example.org/news/{slug}</link>
<pubDate>Fri, 20 Nov 2026 0{hour}:00:00 GMT</pubDate><description>{body}</description></item>"""


def test_changes_between_two_texts_name_values_rewordings_additions_and_removals(analyze):
    from crosswire.compare import changes_between
    before, after = analyze(
        "At least 12 people died in the fire on Monday. The mayor visited the site. Firefighters came from Lyon.",
        "At least 15 people died in the fire on Monday. The mayor visited the burnt site at night. "
        "Two suspects were arrested on Tuesday.")
    changes = {(c.kind, c.before, c.after) for c in changes_between(before, after)}
    assert ("number", "12", "15") in changes
    kinds = [c.kind for c in changes_between(before, after)]
    assert kinds.count("reworded") == 1 and kinds.count("added") == 1 and kinds.count("removed") == 1
    assert changes_between(before, before) == []


def test_a_report_updated_at_its_url_keeps_its_story_and_its_earlier_text(tmp_path):
    from crosswire import kept_indexes, pipeline
    from crosswire.config import load_settings
    from crosswire.stories import StoryAssigner
    from crosswire.stories.edits import story_history
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})

    def report(version, title="Earthquake kills {toll} in northern Peru"):
        return Article.create(QUAKE.format(**version), title=title.format(**version), outlet="Example News",
                              url="https://example.org/news/quake", language="en")
    other = Article.create(OTHER, title="Peru quake kills 12", outlet="Other Wire", url="https://other.example.com/q")
    with open_store(str(tmp_path / "s.db")) as store:
        first = pipeline.ingest_articles(store, [report(FIRST), other], settings)
        [story] = set(first.stories.values())
        update = pipeline.ingest_articles(store, [report(UPDATED)], settings)
        assert update.updated == [report(FIRST).id] and update.added == [] and update.stories == {report(FIRST).id: story}
        assert store.counts() == {"articles": 2, "stories": 1}
        assert store.get_article(report(FIRST).id).text == report(UPDATED).text
        # the same new text again, or the old text from a stale cache: nothing changes
        for again in (report(UPDATED), report(FIRST)):
            repeat = pipeline.ingest_articles(store, [again], settings)
            assert repeat.already_stored == [again.id] and repeat.updated == []
        [kept] = store.article_versions([report(FIRST).id])
        assert kept.version == 1 and kept.text == report(FIRST).text and kept.title == "Earthquake kills 12 in northern Peru"
        changes = {(c.kind, c.before, c.after) for c in kept.changes}
        assert {("headline", "Earthquake kills 12 in northern Peru", "Earthquake kills 15 in northern Peru"),
                ("number", "12", "15"), ("number", "40", "55")} <= changes
        assert any(c.kind == "added" and "looters" in c.after_sentence for c in kept.changes)

        comparison = pipeline.story_comparison(store, story, settings)
        [update_note] = comparison.updates
        assert update_note.source == next(s.id for s in comparison.sources if s.article_id == report(FIRST).id)
        from crosswire.brief import render
        brief = render(comparison)
        assert "## Updated by their outlets" in brief and "Number changed: “12” → “15”" in brief
        assert "Added: “Police arrested two looters in Jaén on Friday.”" in brief
        assert any(e["kind"] == "update" for e in story_history(store, story))
        # the kept index holds the new text, as a rebuild from the store would
        mine = kept_indexes.story_indexes.peek(kept_indexes.assigner_key(store, settings))[0]._clusterer
        rebuilt = StoryAssigner(store, settings)._ensure()
        assert mine.n_docs == rebuilt.n_docs == 2
        assert mine.name_df == rebuilt.name_df and mine.word_df == rebuilt.word_df


def test_another_writers_update_is_caught_up_not_rebuilt(tmp_path):
    from crosswire import kept_indexes, pipeline
    from crosswire.config import load_settings
    from crosswire.stories import StoryAssigner
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    url = "https://example.org/news/quake"
    first = Article.create(QUAKE.format(**FIRST), title="Quake", outlet="Example News", url=url)
    with open_store(str(tmp_path / "s.db")) as store:
        pipeline.ingest_articles(store, [first], settings)
        held = kept_indexes.story_indexes.peek(kept_indexes.assigner_key(store, settings))
        kept_indexes.story_indexes.clear()  # the other process: no index in memory, so it builds its own
        pipeline.ingest_articles(store, [Article.create(QUAKE.format(**UPDATED), title="Quake", outlet="Example News",
                                                        url=url)], settings)
        kept_indexes.story_indexes.clear()
        kept_indexes.story_indexes.put(*[kept_indexes.assigner_key(store, settings), *held])  # back to the first
        later = pipeline.ingest_articles(store, [Article.create(OTHER, title="Peru quake", outlet="Other Wire")], settings)
        assert later.story_index == "kept"  # caught up on the update event, no rebuild
        mine = kept_indexes.story_indexes.peek(kept_indexes.assigner_key(store, settings))[0]._clusterer
        rebuilt = StoryAssigner(store, settings)._ensure()
        assert mine.n_docs == rebuilt.n_docs and mine.name_df == rebuilt.name_df and mine.word_df == rebuilt.word_df


@pytest.mark.slow
def test_a_polling_feed_that_updates_an_item_updates_the_briefing(cli, tmp_path):
    from conftest import serving_feed
    rounds = [ITEM.format(title=f"Earthquake kills {version['toll']} in northern Peru", slug="quake", hour=8,
                          body=QUAKE.format(**version))
              for version in (FIRST, UPDATED, UPDATED, FIRST)]  # the last: an old cached copy of the feed
    with serving_feed(rounds, channel="Example News") as url:
        proc = cli.run("ingest", url, "--every", "0.2", "--rounds", "4", "--json")
    first, second, third, fourth = (json.loads(line) for line in proc.stdout.splitlines())
    assert len(first["added"]) == 1 and second["updated"] == first["added"] and second["added"] == []
    assert third["already_stored"] == fourth["already_stored"] == first["added"] and not third["updated"]
    assert second["story_index"] == "kept"  # the polling process kept its index through the update
    assert cli.json("stats", "--json")["articles"] == 1
    [story] = set(first["stories"].values())
    brief = cli.run("brief", str(story)).stdout
    assert "Updated by their outlets" in brief and "“12” → “15”" in brief and "Earthquake kills 15" in brief
    assert "updated by its outlet" in cli.run("history", str(story)).stdout
    line = cli.run("ingest", url, check=False)  # the server is gone: an error, not a traceback
    assert "Traceback" not in line.stderr


def test_the_api_says_updated_and_shows_the_earlier_text(tmp_path):
    from crosswire.api import create_app
    from crosswire.api.live import LiveServer
    from crosswire.config import load_settings
    from crosswire.store import open_store
    db = tmp_path / "api.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": "t0ken",
                                  "XDG_CACHE_HOME": str(tmp_path / "cache")})
    auth = {"Authorization": "Bearer t0ken"}
    body = {"title": "Peru quake", "outlet": "Example News", "url": "https://example.org/news/quake", "lang": "en"}
    with open_store(str(db)) as store, LiveServer(create_app(settings, store=store)) as base, \
            httpx.Client(base_url=base, timeout=120) as client:
        added = client.post("/api/v1/articles", headers=auth, json={**body, "text": QUAKE.format(**FIRST)})
        assert added.status_code == 201 and added.json()["articles"][0]["status"] == "added"
        updated = client.post("/api/v1/articles", headers=auth, json={**body, "text": QUAKE.format(**UPDATED)})
        assert updated.status_code == 201 and updated.json()["articles"][0]["status"] == "updated"
        again = client.post("/api/v1/articles", headers=auth, json={**body, "text": QUAKE.format(**UPDATED)})
        assert again.status_code == 200 and again.json()["articles"][0]["status"] == "already_stored"
        article_id, story_id = updated.json()["articles"][0]["id"], updated.json()["articles"][0]["story_id"]
        article = client.get(f"/api/v1/articles/{article_id}").json()
        assert "killing 15" in article["text"]
        [earlier] = article["earlier_versions"]
        assert "killing 12" in earlier["text"] and earlier["replaced_at"].endswith("+00:00")
        story = client.get(f"/api/v1/stories/{story_id}").json()
        assert story["updates"][0]["changes"][0] == {"kind": "number", "before": "12", "after": "15",
                                                     "before_sentence": QUAKE.format(**FIRST).split(". ")[0] + ".",
                                                     "after_sentence": QUAKE.format(**UPDATED).split(". ")[0] + "."}
        page = client.get(f"/stories/{story_id}").text
        assert "Updated by their outlets" in page and "Number changed: “12” → “15”" in page


def _store(tmp_path):
    from crosswire.config import load_settings
    from crosswire.store import open_store
    return open_store(str(tmp_path / "s.db")), load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})


def _quake(version, outlet="Example News", url="https://example.org/news/quake", **fields):
    return Article.create(QUAKE.format(**version), title=f"Earthquake kills {version['toll']} in northern Peru",
                          outlet=outlet, url=url, language="en", **fields)


def test_two_versions_in_one_input_keep_the_newer_text_and_the_older_as_its_earlier_version(tmp_path):
    from datetime import datetime, timezone

    from crosswire import pipeline
    store, settings = _store(tmp_path)
    with store:
        newer = _quake(UPDATED, published=datetime(2026, 11, 20, 10, tzinfo=timezone.utc))
        older = _quake(FIRST, published=datetime(2026, 11, 20, 8, tzinfo=timezone.utc))
        report = pipeline.ingest_articles(store, [newer, older], settings)  # a folder or export holding both
        assert report.added == report.updated == [older.id]
        assert "killing 15" in store.get_article(older.id).text
        assert [v.version for v in store.article_versions([older.id])] == [1]
        again = pipeline.ingest_articles(store, [newer, older], settings)
        assert again.already_stored == [older.id, older.id] and not again.updated


def test_a_reprint_of_the_earlier_text_is_a_copy_and_the_briefing_says_it_predates_the_update(tmp_path):
    from crosswire import pipeline
    from crosswire.brief import render
    store, settings = _store(tmp_path)
    with store:
        first = pipeline.ingest_articles(store, [_quake(FIRST)], settings)
        reprint_before = _quake(FIRST, outlet="Copy Daily", url="https://copy.example/q")
        pipeline.ingest_articles(store, [reprint_before], settings)
        pipeline.ingest_articles(store, [_quake(UPDATED)], settings)
        reprint_after = _quake(FIRST, outlet="Late Reprint", url="https://late.example/q")  # the old text, reprinted late
        late = pipeline.ingest_articles(store, [reprint_after], settings)
        assert late.duplicates == {reprint_after.id: _quake(FIRST).id}
        [story] = set(first.stories.values())
        brief = render(pipeline.story_comparison(store, story, settings))
        assert "the earlier text is still carried by a copy made before the update: [2][3]" in brief


def test_a_stub_alone_in_its_story_finds_the_others_when_its_outlet_sends_the_full_report(tmp_path):
    from crosswire import pipeline
    store, settings = _store(tmp_path)
    stub = Article.create("Breaking: a strong earthquake has hit northern Peru. More to follow.", title="Breaking: quake",
                          outlet="Example News", url="https://example.org/news/quake", language="en")
    with store:
        first = pipeline.ingest_articles(store, [Article.create(OTHER, title="Peru quake kills 12", outlet="Other Wire",
                                                                url="https://other.example.com/q", language="en"), stub],
                                         settings)
        assert len(set(first.stories.values())) == 2
        full = pipeline.ingest_articles(store, [_quake(FIRST)], settings)
        assert full.updated == [stub.id] and full.stories[stub.id] == first.stories[_other_id()]
        assert any("merged into" in line for line in full.story_changes)
        assert store.get_story(first.stories[stub.id]).id == full.stories[stub.id]  # the stub's old id leads there
        assert store.counts() == {"articles": 2, "stories": 1}


def _other_id():
    return Article.create(OTHER, title="Peru quake kills 12", outlet="Other Wire", url="https://other.example.com/q").id


def test_a_teaser_a_whitespace_headline_or_a_reordering_is_no_new_story_text(tmp_path):
    from crosswire import pipeline
    store, settings = _store(tmp_path)
    with store:
        pipeline.ingest_articles(store, [_quake(FIRST)], settings)
        teaser = Article.create(QUAKE.format(**FIRST).split(". ")[0] + " …", title="Earthquake kills 12 in northern Peru",
                                outlet="Example News", url="https://example.org/news/quake")
        spaced = Article.create(QUAKE.format(**FIRST), title="Earthquake  kills 12 in Northern Peru",
                                outlet="Example News", url="https://example.org/news/quake")
        for same in (teaser, spaced):
            assert pipeline.ingest_articles(store, [same], settings).already_stored == [same.id]
        sentences = QUAKE.format(**FIRST).rstrip(".").split(". ")
        moved = Article.create(". ".join(sentences[1:] + sentences[:1]) + ".", title=spaced.title,
                               outlet="Example News", url="https://example.org/news/quake")
        assert pipeline.ingest_articles(store, [moved], settings).updated == [moved.id]
        assert [c.kind for c in store.article_versions([moved.id])[0].changes] == ["reordered"]


def test_a_comparison_of_the_replaced_text_is_not_stored_over_the_new_one(tmp_path):
    from crosswire import pipeline
    store, settings = _store(tmp_path)
    with store:
        first = pipeline.ingest_articles(store, [_quake(FIRST)], settings)
        [story] = set(first.stories.values())
        [old] = store.get_analyzed([_quake(FIRST).id])
        stale = [f"{old.article.id}|{old.article.content_hash}|{old.article.title}"]  # what a slow reader compared
        pipeline.ingest_articles(store, [_quake(UPDATED)], settings)  # the update, while that reader worked
        fresh = store.comparison_text(story)
        store.update_story(story, members=[old.article.id], texts=stale, comparison={"stale": True})
        assert store.comparison_text(story) == fresh and "stale" not in (fresh or "")


def test_a_correction_that_only_drops_the_last_sentence_is_an_update_not_a_teaser(tmp_path):
    from crosswire import pipeline
    store, settings = _store(tmp_path)
    with store:
        pipeline.ingest_articles(store, [_quake(FIRST)], settings)
        corrected = Article.create(QUAKE.format(**FIRST).rsplit(" The mayor", 1)[0], title=_quake(FIRST).title,
                                   outlet="Example News", url="https://example.org/news/quake")
        assert pipeline.ingest_articles(store, [corrected], settings).updated == [corrected.id]
        assert [c.kind for c in store.article_versions([corrected.id])[0].changes] == ["removed"]


def test_another_outlet_at_the_same_address_is_its_own_report_not_an_update(tmp_path):
    from crosswire import pipeline
    store, settings = _store(tmp_path)
    with store:
        pipeline.ingest_articles(store, [_quake(FIRST)], settings)
        syndicated = _quake(UPDATED, outlet="Harbour News")  # one URL for a syndicated story, another outlet's text
        report = pipeline.ingest_articles(store, [syndicated], settings)
        assert report.added == [syndicated.id] and syndicated.id != _quake(FIRST).id and not report.updated
        assert store.get_article(_quake(FIRST).id).outlet == "Example News" and "killing 12" in store.get_article(
            _quake(FIRST).id).text
        assert pipeline.ingest_articles(store, [_quake(UPDATED, outlet="Harbour News")], settings).already_stored == \
            [syndicated.id]  # idempotent under its own id


def test_an_outlet_going_back_to_its_first_text_with_a_newer_date_is_an_update_a_stale_copy_is_not(tmp_path):
    from datetime import datetime, timezone

    from crosswire import pipeline
    store, settings = _store(tmp_path)
    at = lambda hour: datetime(2026, 11, 20, hour, tzinfo=timezone.utc)  # noqa: E731
    with store:
        pipeline.ingest_articles(store, [_quake(FIRST, published=at(8))], settings)
        pipeline.ingest_articles(store, [_quake(UPDATED, published=at(9))], settings)
        stale = pipeline.ingest_articles(store, [_quake(FIRST, published=at(8))], settings)  # a feed's cached copy
        assert stale.already_stored and not stale.updated
        back = pipeline.ingest_articles(store, [_quake(FIRST, published=at(10))], settings)  # the outlet reverts
        assert back.updated and "killing 12" in store.get_article(_quake(FIRST).id).text
        assert [v.version for v in store.article_versions([_quake(FIRST).id])] == [1, 2]


def test_an_update_keeps_the_editors_split_and_an_original_never_becomes_a_copy_of_its_reprint(tmp_path):
    from crosswire import pipeline
    from crosswire.stories.edits import split_by_hand
    store, settings = _store(tmp_path)
    other = Article.create(OTHER, title="Peru quake kills 12", outlet="Other Wire", url="https://other.example.com/q")
    with store:
        first = pipeline.ingest_articles(store, [other, _quake(FIRST)], settings)
        [story] = set(first.stories.values())
        apart, _ = split_by_hand(store, story, [_quake(FIRST).id], "the editor's call")
        update = pipeline.ingest_articles(store, [_quake(UPDATED)], settings)
        assert update.stories == {_quake(FIRST).id: apart} and not update.story_changes  # not merged back
        reprint = Article.create(QUAKE.format(**UPDATED) + " Our reporter adds: the roads are closed.",
                                 title="Quake", outlet="Reprint Daily", url="https://reprint.example/q")
        assert pipeline.ingest_articles(store, [reprint], settings).duplicates == {reprint.id: _quake(FIRST).id}
        pipeline.ingest_articles(store, [_quake(dict(UPDATED, houses=60))], settings)  # the original corrects a number
        assert store.get_article(_quake(FIRST).id).duplicate_of is None


def test_a_live_page_that_moves_on_to_another_event_leaves_the_story(tmp_path):
    from crosswire import pipeline
    store, settings = _store(tmp_path)
    other = Article.create(OTHER, title="Peru quake kills 12", outlet="Other Wire", url="https://other.example.com/q")
    football = ("Alianza Lima won the Peruvian football championship on Sunday, beating Universitario 2-0 in the final "
                "at the national stadium. Hernan Barcos scored twice in the second half before 40,000 fans.")
    with store:
        first = pipeline.ingest_articles(store, [other, _quake(FIRST)], settings)
        assert len(set(first.stories.values())) == 1
        moved = Article.create(football, title="Alianza Lima are champions", outlet="Example News",
                               url="https://example.org/news/quake")
        update = pipeline.ingest_articles(store, [moved], settings)
        assert update.updated == [moved.id] and update.stories[moved.id] != first.stories[other.id]
        assert any("no longer belongs" in line for line in update.story_changes)
        assert store.get_story(first.stories[other.id]).article_ids == [other.id]


def test_the_same_page_under_a_tracking_or_http_address_is_the_same_report(tmp_path):
    from crosswire import pipeline
    from crosswire.model import AnalyzedArticle, stored_id
    store, settings = _store(tmp_path)
    with store:
        pipeline.ingest_articles(store, [_quake(FIRST)], settings)
        tracked = _quake(UPDATED, url="http://www.example.org/news/quake/?utm_source=rss&utm_medium=feed#top")
        assert tracked.id == _quake(FIRST).id
        assert pipeline.ingest_articles(store, [tracked], settings).updated == [tracked.id]
        # a store an older version filled, which keyed this address as written, still knows the report
        old_style = "https://example.org/live?utm_source=rss"
        legacy = Article.create("A report stored by an older Crosswire before addresses were made canonical.",
                                title="Old", outlet="Example News", url=old_style)
        legacy.id = stored_id(old_style)
        store.add_article(AnalyzedArticle(legacy))
        again = Article.create(legacy.text, title="Old", outlet="Example News", url=old_style)
        assert pipeline.ingest_articles(store, [again], settings).already_stored == [stored_id(old_style)]
        assert store.counts()["articles"] == 2


def test_a_second_outlet_at_a_tracked_address_and_pages_routed_by_hashbang_stay_apart(tmp_path):
    from crosswire import pipeline
    from crosswire.model import canonical_url
    store, settings = _store(tmp_path)
    with store:
        tracked = "https://news.example.com/quake?utm_source=rss"
        first = _quake(FIRST, url=tracked)
        second = _quake(UPDATED, outlet="Harbour News", url=tracked + "#comments")
        report = pipeline.ingest_articles(store, [first, second], settings)
        assert report.added == [first.id, second.id] and not report.updated  # the outlet is no part of the URL
        assert store.get_article(first.id).outlet == "Example News"
    assert canonical_url("https://spa.example/#!/news/101") != canonical_url("https://spa.example/#!/news/202")


def test_history_names_a_report_by_the_headline_it_had_then_after_it_moved(tmp_path):
    from crosswire import pipeline
    from crosswire.stories.edits import split_by_hand, story_history
    store, settings = _store(tmp_path)
    other = Article.create(OTHER, title="Peru quake kills 12", outlet="Other Wire", url="https://other.example.com/q")
    with store:
        pipeline.ingest_articles(store, [other, _quake(FIRST)], settings)
        pipeline.ingest_articles(store, [_quake(UPDATED)], settings)
        story = store.story_of(_quake(FIRST).id)
        apart, _ = split_by_hand(store, story, [_quake(FIRST).id], "another angle")
        import time
        time.sleep(1.1)  # event times have one-second steps
        pipeline.ingest_articles(store, [_quake(dict(UPDATED, toll=16))], settings)
        [update] = [e["what"] for e in story_history(store, apart) if e["kind"] == "update"]
        assert update.startswith("“Earthquake kills 15 in northern Peru” (Example News), now “Earthquake kills 16")
