"""Story detection, as a reader of the feed sees it: same event together (across languages),
look-alike events apart, story ids that survive a restart, similarity scores on the 1-4 scale."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

EN = ("Strong earthquake kills 34 in Indonesia's Sulawesi",
      "A magnitude 6.2 earthquake struck Sulawesi island in Indonesia early on Friday, killing at least 34 "
      "people and injuring hundreds near the city of Mamuju, the disaster agency said.")
DE = ("Starkes Erdbeben tötet 34 Menschen auf Sulawesi",
      "Ein Erdbeben der Stärke 6,2 hat am Freitag die indonesische Insel Sulawesi erschüttert. Mindestens 34 "
      "Menschen kamen nahe der Stadt Mamuju ums Leben, Hunderte wurden verletzt, teilte die Behörde mit.")
MEXICO = ("Earthquake of magnitude 7.1 hits Mexico, killing 12 near Acapulco",
          "A powerful 7.1 magnitude earthquake shook southern Mexico on Tuesday, killing 12 people near the "
          "resort of Acapulco, officials in Guerrero state said.")
CHURCH = ("Fire destroys historic church in Quebec",
          "A fire gutted a 19th-century Catholic church in the Quebec town of Saint-Jean on Sunday night; "
          "no one was hurt, firefighters said.")


@pytest.fixture(scope="module")
def feats():
    from crosswire.stories.features import encode_docs
    names = ["en", "mexico", "church", "de"]
    recs = [{"id": n, "title": t, "text": t + "\n" + body, "lang": None}
            for n, (t, body) in zip(names, [EN, MEXICO, CHURCH, DE])]
    return dict(zip(names, encode_docs(recs)))


def test_german_and_english_reports_of_one_quake_share_a_story(feats):
    from crosswire.stories.stream import StreamClusterer
    c = StreamClusterer(None)
    labels = {n: c.add(feats[n]) for n in ["en", "mexico", "church", "de"]}
    assert labels["de"] == labels["en"]


def test_two_lookalike_earthquakes_stay_apart(feats):
    from crosswire.stories.stream import StreamClusterer
    c = StreamClusterer(None)
    assert c.add(feats["en"]) != c.add(feats["mexico"])


def test_a_big_story_keeps_a_few_ann_entries_and_still_draws_its_reports(feats):
    # every report of a story in the ANN graph made each search and insert slower as the stream grew; its first
    # ann_per_story members and then every so many are enough for the next report to find it
    from crosswire.stories.stream import StreamClusterer
    rng = np.random.default_rng(0)

    def report(i: int, base: dict) -> dict:
        noisy = {k: v / np.linalg.norm(v) for k, v in ((k, base[k] + rng.normal(0, 0.01, base[k].shape)) for k in
                                                          ("head", "body"))}
        return {**base, **{k: v.astype(np.float32) for k, v in noisy.items()}, "id": f"{base['id']}-{i}"}
    docs = {}
    c = StreamClusterer({"ann_per_story": 4}, member_docs=lambda ids: [docs[i] for i in ids])
    labels = set()
    for i in range(20):
        doc = docs[f"en-{i}"] = report(i, feats["en"])
        labels.add(c.add(doc))
    [label] = labels
    assert c.stories[label].n == 20 and all(c.holds(f"en-{i}") for i in range(20))
    assert len(c.stories[label].keys) == len(c._index) == 4 + 4  # members 1-4, then 8, 12, 16 and 20
    assert c.add(feats["mexico"]) != label and c.add(report(99, feats["en"])) == label
    every = StreamClusterer({"ann_per_story": 0})
    for i in range(20):
        every.add(report(i, feats["en"]))
    assert len(every._index) == 20  # 0: every member, as before the setting


class _MemoryStore:
    """Just the story part of the Store contract, enough to check id stability."""

    def __init__(self):
        self.stories, self.articles, self.events = {}, {}, []

    def story_ids(self):
        return sorted(self.stories)

    def get_story(self, sid):
        from crosswire.model import Story
        return Story(id=sid, article_ids=list(self.stories[sid]))

    def get_analyzed(self, ids):
        return [self.articles[i] for i in ids]

    def create_story(self, ids, headline=""):
        sid = len(self.stories) + 1
        self.stories[sid] = list(ids)
        return sid

    def add_to_story(self, sid, aid):
        self.stories[sid].append(aid)

    def merge_stories(self, keep, absorb, reason):
        self.stories[keep] += self.stories.pop(absorb)

    def record_event(self, event):
        self.events.append(event)

    def hand_edits(self):
        return []


def _analyzed(name, title, body, feats):
    from crosswire.model import AnalyzedArticle, Article
    art = Article(id=name, text=title + "\n" + body, title=title)
    return AnalyzedArticle(article=art, embedding=feats[name]["head"])


def test_a_story_silent_for_a_month_leaves_the_index_and_a_late_report_starts_a_new_one(feats):
    # an endless stream must not hold every story it ever saw: memory follows the last weeks of news
    from crosswire.stories.stream import StreamClusterer
    day = 738000.0
    gone: list[tuple[int, list[str]]] = []
    clusterer = StreamClusterer({"retire_days": 30.0}, on_retire=lambda label, ids: gone.append((label, ids)))
    quake = clusterer.add({**feats["en"], "day": day})
    for n in range(3):  # forty days on, the news is about other things: the quake story is swept out
        clusterer.add({**feats["church"], "id": f"church{n}", "day": day + 40})
    assert gone == [(quake, ["en"])] and quake not in clusterer.stories and len(clusterer._index) == 3
    assert clusterer.add({**feats["de"], "day": day + 41}) != quake
    keeping = StreamClusterer({"retire_days": 0.0})  # 0: never retire (back-filling an archive out of order)
    quake = keeping.add({**feats["en"], "day": day})
    for n in range(3):
        keeping.add({**feats["church"], "id": f"church{n}", "day": day + 40})
    assert quake in keeping.stories and keeping.retired == 0


def test_a_month_long_stream_forgets_the_words_and_names_of_stories_gone_cold(feats):
    # a feed running for months: the document frequencies, name index and key maps follow the live
    # stories, as an index built from those stories alone would hold them, instead of growing forever
    from crosswire.stories.stream import StreamClusterer
    day = 738000.0
    clusterer = StreamClusterer({"retire_days": 30.0})
    clusterer.add({**feats["en"], "day": day})
    clusterer.add({**feats["de"], "day": day + 1})
    clusterer.add({**feats["mexico"], "day": day + 2})
    fires = [{**feats["church"], "id": f"church{n}", "day": day + 40 + n} for n in range(4)]
    for fire in fires:
        clusterer.add(fire)
    assert clusterer.retired >= 2
    fresh = StreamClusterer({"retire_days": 30.0})
    for fire in fires:
        fresh.add(fire)
    assert clusterer.n_docs == fresh.n_docs == 4
    assert clusterer.name_df == fresh.name_df and clusterer.word_df == fresh.word_df
    assert set(clusterer.name_index) == set(fresh.name_index) and "sulawesi" not in clusterer.name_index
    assert len(clusterer.doc_story) == len(clusterer._index) == 4 and not clusterer.redirect
    assert clusterer._idf("saint") == fresh._idf("saint")  # IDF over the live window, the same either way


def test_a_story_split_in_the_add_that_retires_its_old_half_keeps_store_and_index_agreeing(tmp_path):
    # natural drift: a story's first reports are a month old when a later group of it is split off; the
    # same article moves the clock, so the old half goes cold in that add. The store must still get the
    # split (not a duplicate story), and the label map must end with the live stories only
    from datetime import datetime, timedelta, timezone

    from crosswire.model import AnalyzedArticle, Article
    from crosswire.stories import StoryAssigner
    from crosswire.store import open_store
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)

    def report(name, axis, days, words):
        vector = np.zeros(512, np.float32)
        vector[axis] = 1.0
        article = Article.create(f"Report {name}: {words}.", title=f"Report {name}", outlet="Wire",
                                 published=start + timedelta(days=days))
        return AnalyzedArticle(article, embedding=vector, sentence_embeddings=vector[None, :])

    settings = {"join_threshold": -100.0, "retire_days": 30.0, "split_checks": [7]}  # joins everything
    with open_store(str(tmp_path / "drift.db")) as store:
        assigner = StoryAssigner(store, settings)
        old = [report(f"a{n}", 0, 0, "volcano erupts lava") for n in range(3)]
        new = [report(f"b{n}", 1, 40, "parliament votes budget") for n in range(4)]
        for item in old + new:
            store.add_article(item)
            assigner.assign(item)
        assert assigner._clusterer.retired == 1
        stories = sorted(sorted(store.get_story(s).article_ids) for s in store.story_ids())
        assert stories == sorted([sorted(r.article.id for r in old), sorted(r.article.id for r in new)])
        assert set(assigner._to_store) == set(assigner._clusterer.stories)


def test_one_item_dated_a_year_ahead_does_not_age_every_story(feats):
    from crosswire.stories.stream import StreamClusterer
    day = 738000.0
    clusterer = StreamClusterer({"retire_days": 30.0})
    quake = clusterer.add({**feats["en"], "day": day})
    clusterer.add({**feats["church"], "day": day + 365})  # a feed's typo
    assert clusterer.retired == 0
    assert clusterer.add({**feats["de"], "day": day + 1}) == quake


def test_an_older_report_ingested_later_still_finds_the_stories_of_its_time(feats):
    from crosswire.stories.stream import StreamClusterer
    day = 738000.0
    clusterer = StreamClusterer({"retire_days": 30.0})
    quake = clusterer.add({**feats["en"], "day": day})
    clusterer.add({**feats["church"], "day": day + 2})
    assert clusterer.add({**feats["de"], "day": day + 1}) == quake  # cold is measured from the article's own date


def test_story_ids_are_stable_when_the_store_is_reopened(feats):
    from crosswire.stories import StoryAssigner
    store = _MemoryStore()
    first = StoryAssigner(store, None)
    for name, (t, b) in [("en", EN), ("church", CHURCH)]:
        store.articles[name] = _analyzed(name, t, b, feats)
        first.assign(store.articles[name])
    quake_story = store.stories and next(s for s, ids in store.stories.items() if "en" in ids)
    reopened = StoryAssigner(store, None)  # a new process: index rebuilt lazily from the store
    store.articles["de"] = _analyzed("de", *DE, feats)
    assert reopened.assign(store.articles["de"]) == quake_story


def test_a_feed_sending_one_article_per_call_keeps_its_story_index_and_catches_up_on_another_writer(tmp_path):
    # a new StoryAssigner rebuilds from every stored analysis: per call, that would make a stream in small
    # batches cost quadratic time, so the pipeline keeps the index between calls while the store is its own
    from crosswire import kept_indexes, pipeline
    from crosswire.config import load_settings
    from crosswire.model import AnalyzedArticle, Article
    from crosswire.store import open_store
    settings = load_settings(env={})
    report = lambda store, title, body, outlet: pipeline.ingest_articles(  # noqa: E731
        store, [Article.create(title + "\n" + body, title=title, outlet=outlet)], settings)
    with open_store(str(tmp_path / "feed.db")) as store:
        first = report(store, *EN, "Wire A")
        kept = kept_indexes.story_indexes.peek(kept_indexes.assigner_key(store, settings))[0]
        second = report(store, *DE, "Wire B")
        assert kept_indexes.story_indexes.peek(kept_indexes.assigner_key(store, settings))[0] is kept
        assert set(first.stories.values()) == set(second.stories.values())  # the German report joined
        with open_store(str(tmp_path / "feed.db")) as other:  # another process writes a story of its own
            church = Article.create(CHURCH[0] + "\n" + CHURCH[1], title=CHURCH[0], outlet="Wire D")
            other.add_article(AnalyzedArticle(church))
            other.create_story([church.id], church.title)
        third = report(store, *MEXICO, "Wire C")
        # the other's new story is replayed from the story-event log, not rebuilt (tests/test_kept_indexes.py
        # has the cases that do rebuild)
        assert third.story_index == "kept"
        assert kept_indexes.story_indexes.peek(kept_indexes.assigner_key(store, settings))[0] is kept
        assert any(church.id in story.members for story in kept._clusterer.stories.values())
        assert len({*first.stories.values(), *third.stories.values()}) == 2


def test_kept_story_indexes_belong_to_one_database_not_to_a_path_string(tmp_path, monkeypatch):
    from crosswire import kept_indexes
    from crosswire.config import load_settings
    from crosswire.store import open_store
    settings = load_settings(env={})
    with open_store(":memory:") as memory:  # every in-memory store has this url: none is kept
        assert kept_indexes.assigner_key(memory, settings) is None
    keys = []
    for folder in ("monday", "tuesday"):  # one relative path, two files
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        with open_store("feed.db") as store:
            keys.append(kept_indexes.assigner_key(store, settings))
    assert keys[0] != keys[1]


def test_a_copy_of_a_report_in_a_cold_story_brings_the_whole_story_back(tmp_path, feats):
    from datetime import datetime, timedelta, timezone

    from crosswire.model import AnalyzedArticle, Article
    from crosswire.stories import StoryAssigner
    from crosswire.store import open_store
    start = datetime(2024, 3, 1, tzinfo=timezone.utc)

    def report(name, title, body, days, outlet="Wire"):
        article = Article.create(title + "\n" + body, title=title, outlet=outlet, published=start + timedelta(days=days))
        return AnalyzedArticle(article, embedding=feats[name]["head"])
    with open_store(str(tmp_path / "cold.db")) as store:
        assigner = StoryAssigner(store, {"retire_days": 30.0})
        quake = report("en", *EN, 0)
        store.add_article(quake)
        story_id = assigner.assign(quake)
        for n in range(3):
            fire = report("church", CHURCH[0], f"{CHURCH[1]} Update {n}.", 40)
            store.add_article(fire)
            assigner.assign(fire)
        assert assigner._clusterer.retired == 1
        copy = report("en", *EN, 41, outlet="Another wire")
        store.add_article(copy)
        assigner.add_copy(copy, story_id)
        live = [s.members for s in assigner._clusterer.stories.values() if quake.article.id in s.members]
        assert live == [[quake.article.id, copy.article.id]]  # as a rebuild from the store would hold it
        # the cold story's label left the label map with it and came back with the revived story
        assert len(assigner._to_store) == len(assigner._clusterer.stories) == 2
        assert assigner._to_store[assigner._label_of[story_id]] == story_id
        later = report("de", *DE, 42, outlet="Zeitung")
        store.add_article(later)
        assert assigner.assign(later) == story_id
        # the revived story counts its articles once, as a rebuild from the store does (IDF does not drift)
        rebuilt = StoryAssigner(store, {"retire_days": 30.0})._ensure()
        assert assigner._clusterer.n_docs == rebuilt.n_docs == 6
        assert assigner._clusterer.name_df == rebuilt.name_df and assigner._clusterer.word_df == rebuilt.word_df


def test_similarity_command_gives_seven_dimensions_on_the_1_to_4_scale(tmp_path):
    from crosswire.cli import main
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("\n".join(EN), encoding="utf-8")
    b.write_text("\n".join(DE), encoding="utf-8")
    out = CliRunner().invoke(main, ["similarity", str(a), str(b), "--json"])
    assert out.exit_code == 0, out.output
    scores = json.loads(out.output)
    assert set(scores) == {"geography", "entities", "time", "narrative", "overall", "style", "tone"}
    assert all(1.0 <= v <= 4.0 for v in scores.values())
    assert scores["overall"] < 2.0  # same event: towards 1, "very similar"


def test_a_report_compared_with_its_own_copy_is_the_same_on_every_dimension(tmp_path):
    # the trees never saw a copy paired with itself and answered 1.86 overall for one outlet's file and its copy
    from crosswire.cli import main
    a, copy = tmp_path / "wire.md", tmp_path / "wire-copy.md"
    a.write_text("---\noutlet: Wire\n---\n" + "\n".join(EN), encoding="utf-8")
    copy.write_text("---\noutlet: Wire\n---\n" + "\n\n".join(EN) + "\n", encoding="utf-8")  # whitespace aside
    out = CliRunner().invoke(main, ["similarity", str(a), str(copy), "--json"])
    assert out.exit_code == 0, out.output
    assert set(json.loads(out.output).values()) == {1.0}
    later = tmp_path / "wire-later.md"  # the same text republished two years on: its time is the model's to judge
    later.write_text("---\noutlet: Wire\npublished: 2020-09-28\n---\n" + "\n".join(EN), encoding="utf-8")
    a.write_text("---\noutlet: Wire\npublished: 2018-09-28\n---\n" + "\n".join(EN), encoding="utf-8")
    out = CliRunner().invoke(main, ["similarity", str(a), str(later), "--json"])
    assert json.loads(out.output)["time"] > 1.5


def test_similarity_reads_the_publication_days_so_reports_two_years_apart_are_further_apart_in_time(tmp_path):
    # the same German report, dated the quake's day, or two years later by the day in its URL alone
    from crosswire.cli import main
    from crosswire.ingest.timestamps import date_in_url
    a, same_day, later = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "c.md"
    a.write_text("---\npublished: 2018-09-28\n---\n" + "\n".join(EN), encoding="utf-8")
    same_day.write_text("---\npublished: 2018-09-28\n---\n" + "\n".join(DE), encoding="utf-8")
    later.write_text("---\nurl: https://www.dw.com/2020/09/28/erdbeben\n---\n" + "\n".join(DE), encoding="utf-8")
    time_score = {}
    for other in (same_day, later):
        out = CliRunner().invoke(main, ["similarity", str(a), str(other), "--json"])
        assert out.exit_code == 0, out.output
        time_score[other.name] = json.loads(out.output)["time"]
    assert time_score["b.md"] < time_score["c.md"] - 0.3  # 1 = the same period ... 4 = unrelated periods
    assert date_in_url("https://www.dw.com/2020/09/28/erdbeben").date().isoformat() == "2020-09-28"
    assert date_in_url("https://www.dw.com/de/erdbeben/a-1") is None and date_in_url("http://[::1") is None


def test_similarity_names_an_empty_or_binary_file_instead_of_scoring_it(tmp_path):
    from crosswire.cli import main
    good, empty, binary = tmp_path / "a.txt", tmp_path / "empty.txt", tmp_path / "b.txt"
    good.write_text("\n".join(EN), encoding="utf-8")
    empty.write_text("  \n", encoding="utf-8")
    binary.write_bytes(b"\x7fELF\x00\x00\x01" * 50)
    for bad, why in ((empty, "empty file"), (binary, "binary file")):
        out = CliRunner().invoke(main, ["similarity", str(good), str(bad)])
        assert out.exit_code == 1 and why in out.output and "Traceback" not in out.output


def test_same_outlet_is_read_from_the_url_host_or_the_outlet_name_and_unknown_never_matches():
    from crosswire.stories.similarity import outlet_key, pair_features
    assert outlet_key("https://www.dw.com/de/a-1", None) == outlet_key("http://m.dw.com/en/b-2", None) == "dw"
    assert outlet_key(None, "DW") == "dw"  # the name meets the site's host
    assert outlet_key("https://news.bbc.co.uk/1", None) == outlet_key(None, "BBC") == "bbc"
    assert outlet_key(None, "Le Monde") == outlet_key("", "LE MONDE") == outlet_key("https://www.lemonde.fr/x", "")
    assert outlet_key("http://[::1", "Le Monde") == "lemonde"  # a malformed URL falls back to the name
    assert outlet_key("https://www.lemonde.fr/x", None) != outlet_key("https://www.lefigaro.fr/y", None)
    one = np.ones(1, dtype=np.float32)
    doc = {"head": one, "body": one, "head2": one, "body2": one, "names": set(), "numbers": set(), "lang": "en",
           "chars": 100, "outlet": ""}
    same_outlet = -4  # the "same outlet" column (then its product with the body cosine, then the two day columns)
    assert pair_features(doc, doc)[same_outlet] == 0.0  # two files with no URL or outlet: unknown, not "same"
    assert pair_features({**doc, "outlet": "dw"}, {**doc, "outlet": "dw"})[same_outlet] == 1.0


def test_bcubed_scores_a_perfect_and_a_lumped_clustering():
    from crosswire.eval.clustering import bcubed
    gold = ["a", "a", "b", "b"]
    assert bcubed([1, 1, 2, 2], gold)["bcubed_f1"] == 1.0
    lumped = bcubed([1, 1, 1, 1], gold)
    assert lumped["bcubed_r"] == 1.0 and lumped["bcubed_p"] == 0.5


SULAWESI_2 = ("Death toll from Sulawesi quake rises to 34",
              "Rescuers in Mamuju on Indonesia's Sulawesi island pulled more bodies from collapsed buildings "
              "after Friday's magnitude 6.2 earthquake; 34 people are now known to have died.")
MEXICO_2 = ("Acapulco counts damage after 7.1 quake",
            "Hotels in Acapulco reported cracked walls after Tuesday's magnitude 7.1 earthquake in Guerrero, "
            "which killed 12 people in southern Mexico.")
CHURCH_2 = ("Quebec church destroyed by overnight blaze",
            "Firefighters in Saint-Jean, Quebec, could not save the 19th-century Catholic church that burned "
            "on Sunday night; nobody was injured.")


def _gold_file(path, split=None):
    stories = {"sulawesi": [EN, SULAWESI_2], "mexico": [MEXICO, MEXICO_2], "church": [CHURCH, CHURCH_2]}
    lines = [{"id": f"{story}-{n}", "title": t, "text": t + "\n" + body, "cluster": story,
              **({"split": split} if split else {})}
             for story, reports in stories.items() for n, (t, body) in enumerate(reports)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_train_clustering_prints_a_stories_section_that_the_config_accepts(tmp_path):
    from crosswire.cli import main
    from crosswire.config import load_settings
    from crosswire.stories.stream import FEATURES, StreamClusterer
    docs = _gold_file(tmp_path / "gold.jsonl", split="train")
    out_file = tmp_path / "fitted.toml"
    run = CliRunner().invoke(main, ["train", "clustering", str(docs), "--split", "train", "--out", str(out_file)])
    assert run.exit_code == 0, run.output
    assert "[stories]" in run.output and "weights = [" in run.output
    settings = load_settings(out_file, env={})
    assert len(settings.get("stories", "weights")) == len(FEATURES)
    StreamClusterer(settings)  # the fitted section is a valid configuration
    again = CliRunner().invoke(main, ["train", "clustering", str(docs), "--out", str(out_file)])
    assert again.exit_code != 0 and "exists" in again.output and "Traceback" not in again.output


def test_train_clustering_names_a_file_without_gold_labels(tmp_path):
    from crosswire.cli import main
    unlabelled = tmp_path / "docs.jsonl"
    unlabelled.write_text(json.dumps({"id": "1", "text": "An earthquake hit Sulawesi."}) + "\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["train", "clustering", str(unlabelled)])
    assert run.exit_code != 0 and "docs.jsonl" in run.output and "cluster" in run.output


def test_a_weights_list_of_the_wrong_length_is_a_config_error():
    from crosswire.errors import ConfigError
    from crosswire.stories.stream import StreamClusterer
    with pytest.raises(ConfigError, match="stories.weights"):
        StreamClusterer({"weights": [1.0, 2.0]})


def test_eval_clustering_can_shuffle_the_file_order(tmp_path):
    from crosswire.cli import main
    from crosswire.stories.stream import arrival_order
    docs = _gold_file(tmp_path / "gold.jsonl")
    run = CliRunner().invoke(main, ["eval", "clustering", str(docs), "--shuffle", "3", "--json"])
    assert run.exit_code == 0, run.output
    result = json.loads(run.output)
    assert result["order"] == "shuffled (seed 3)" and result["stream"]["bcubed_f1"] > 0.5
    dated = [{"date": "2024-01-03"}, {"date": None}, {"date": "2024-01-01"}, {"date": "2024-01-02"}]
    order = arrival_order(dated, shuffle_seed=3)
    assert [dated[i]["date"] for i in order if dated[i]["date"]] == ["2024-01-01", "2024-01-02", "2024-01-03"]


def test_eval_clustering_through_the_pipeline_scores_the_stories_ingest_makes(cli, tmp_path):
    # the product's own path (NER, sentences, near-copies, the store), in a temporary store: the user's
    # database is not touched, no story index is left in the cache, and a doc too short to ingest is its own story
    docs = _gold_file(tmp_path / "gold.jsonl")
    with docs.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "stub", "text": "Too short.", "cluster": "stub"}) + "\n")
    predictions = tmp_path / "pred.jsonl"
    result = cli.json("eval", "clustering", str(docs), "--pipeline", "--predictions", str(predictions), "--json")
    assert result["path"] == "pipeline" and result["docs"] == 7
    assert result["stream"]["bcubed_f1"] > 0.8 and result["stream"]["clusters"] == 4
    stories = {row["id"]: row["story"] for row in map(json.loads, predictions.read_text().splitlines())}
    assert stories["sulawesi-0"] == stories["sulawesi-1"] != stories["mexico-0"]
    assert stories["stub"] == "refused:stub"
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "crosswire" / "story-index"
    assert not cli.db.exists() and not (cache.exists() and any(cache.iterdir()))


def test_a_story_found_to_hold_two_events_is_split_and_the_split_is_recorded(cli, tmp_path):
    """Late evidence: a too-eager join threshold lumps a quake and a church fire together; when the
    story reaches four articles the split check pulls the fire out into its own, recorded story."""
    from crosswire.store import open_store
    (tmp_path / "crosswire.toml").write_text("[stories]\njoin_threshold = -100.0\nmerge_threshold = 100.0\n",
                                             encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    for n, (title, body) in enumerate([EN, SULAWESI_2, CHURCH, CHURCH_2]):
        (folder / f"{n}.md").write_text(f"---\ntitle: {title}\n---\n{title}\n{body}\n", encoding="utf-8")
    cli.run("ingest", str(folder))
    store = open_store(str(cli.db))
    try:
        groups = sorted(sorted(store.get_story(s).article_ids) for s in store.story_ids())
        titles = [{a.article.title for a in store.get_analyzed(g)} for g in groups]
        assert {EN[0], SULAWESI_2[0]} in titles and {CHURCH[0], CHURCH_2[0]} in titles
        events = [e for s in store.story_ids() for e in store.story_events(s) if e.kind == "split"]
        assert events and "scored" in events[0].reason
    finally:
        store.close()


def test_a_similarity_model_made_for_other_features_is_refused_with_the_fix(tmp_path):
    from crosswire.errors import InputError
    from crosswire.stories.similarity import load_model
    old = tmp_path / "old_model.json"
    old.write_text(json.dumps({"mean": [0.0] * 12, "scale": [1.0] * 12, "weights": [], "bias": []}), encoding="utf-8")
    with pytest.raises(InputError, match="crosswire train similarity"):
        load_model(old)


def test_boosted_trees_learn_an_interaction_a_linear_model_cannot():
    # y is high only where both signals are high (say: same language AND close bodies)
    from crosswire.stories import boosting
    rng = np.random.default_rng(0)
    X = rng.random((400, 3))
    y = np.where((X[:, 0] > 0.5) & (X[:, 1] > 0.5), 4.0, 1.0)
    model = boosting.fit(X, y)
    pred = boosting.predict(json.loads(json.dumps(model)), X)  # what the shipped JSON predicts
    assert np.corrcoef(pred, y)[0, 1] > 0.95
    A = np.hstack([np.ones((400, 1)), X])
    linear = A @ np.linalg.lstsq(A, y, rcond=None)[0]
    assert np.corrcoef(linear, y)[0, 1] < 0.85
    assert boosting.fit(X, y) == model  # deterministic: the artefact can be reproduced


def test_second_encoder_vectors_are_cached_on_disk_and_read_back_unchanged(tmp_path):
    # e5 takes minutes on a dataset: a re-run (eval after train) must not embed again
    from crosswire.stories.similarity import article_bundles
    records = [{"id": "a", "title": EN[0], "text": EN[1]}, {"id": "b", "title": CHURCH[0], "text": CHURCH[1]}]
    cache = tmp_path / "cache" / "embeddings.sqlite"
    first = article_bundles(records, cache=cache)
    again = article_bundles(records, cache=cache)
    for x, y in zip(first, again):
        assert np.array_equal(x["head2"], y["head2"]) and np.array_equal(x["body2"], y["body2"])
    import sqlite3
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] == 4  # two heads, two bodies


def test_embedding_cache_location_follows_the_settings(tmp_path):
    from crosswire.config import load_settings
    assert load_settings(env={"XDG_CACHE_HOME": str(tmp_path)}).embedding_cache == \
        tmp_path / "crosswire" / "embeddings.sqlite"
    assert load_settings(env={"CROSSWIRE_NLP_EMBEDDING_CACHE": "off"}).embedding_cache is None


def test_after_a_split_the_name_index_proposes_each_half_for_its_own_names(feats):
    # a story that let a church fire in is split at four articles; a name only the fire reports carry must
    # lead to the fire's new story, not to the quake story it left, as an index rebuilt from the halves would
    from crosswire.stories.stream import StreamClusterer
    docs = [feats["en"], feats["de"], {**feats["church"], "id": "church1"}, {**feats["church"], "id": "church2"}]
    by_id = {d["id"]: d for d in docs}
    clusterer = StreamClusterer({"join_threshold": -100.0, "split_checks": [4]},
                                member_docs=lambda ids: [by_id[i] for i in ids])
    quake = [clusterer.add(d) for d in docs][0]
    [(kept, fire, moved, _)] = clusterer.splits
    assert kept == quake and sorted(moved) == ["church1", "church2"]
    rebuilt = StreamClusterer(None)
    for doc in docs:
        rebuilt.place(doc, fire if doc["id"] in moved else quake)
    fire_only = set(feats["church"]["names"]) - set(feats["en"]["names"]) - set(feats["de"]["names"])
    assert fire_only
    for name in fire_only:
        assert clusterer.name_index[name] == rebuilt.name_index[name] == [fire]  # once, as a rebuild holds it


def test_a_split_off_group_of_members_never_indexed_gets_ann_entries(feats):
    # with ann_per_story 4, members 5-7 of a story are not in the ANN index; split off, they would be a story
    # no search could find
    from crosswire.stories.stream import StreamClusterer
    docs = {}
    c = StreamClusterer({"ann_per_story": 4, "split_checks": []}, member_docs=lambda ids: [docs[i] for i in ids])
    for i in range(7):
        docs[f"d{i}"] = {**(feats["en"] if i < 4 else feats["church"]), "id": f"d{i}"}
        c.place(docs[f"d{i}"], 0)
    c._split_sizes = frozenset({7})
    c._check_split(0)
    assert c.splits and c.splits[0][2] == ["d4", "d5", "d6"], "the church reports should leave the quake story"
    new = c.splits[0][1]
    assert c.stories[new].keys and all(c.doc_story[k] == new for k in c.stories[new].keys)
    assert c.add({**feats["church"], "id": "late"}) == new
