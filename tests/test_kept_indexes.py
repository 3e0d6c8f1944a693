"""A cron job runs `crosswire ingest` every few minutes: each run is a new process, and without the saved
story index each would rebuild it from every stored analysis before placing its first article."""
from __future__ import annotations

import json
import pickle

import pytest

from test_stories_clustering import CHURCH, CHURCH_2, DE, EN, MEXICO, MEXICO_2  # noqa: F401


def _write(folder, name, title, body, outlet):
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(f"---\ntitle: {title}\noutlet: {outlet}\n---\n{title}\n\n{body}\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_each_cron_run_loads_the_index_the_last_run_saved(cli, tmp_path):
    en = _write(tmp_path / "feed", "en", *EN, "Wire A")
    de = _write(tmp_path / "feed", "de", *DE, "Wire B")
    mexico = _write(tmp_path / "feed", "mexico", *MEXICO, "Wire C")
    first = cli.json("ingest", str(en), "--json")
    assert first["story_index"] == "built"  # nothing saved yet
    second = cli.json("ingest", str(de), "--json")
    assert second["story_index"] == "saved"
    assert set(second["stories"].values()) == set(first["stories"].values())  # the German report joined
    again = cli.json("ingest", str(de), "--json")
    assert again["added"] == [] and again["story_index"] == ""  # nothing to place: nothing loaded
    proc = cli.run("ingest", str(mexico), "--json", check=False)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    third = json.loads(proc.stdout)
    assert third["story_index"] == "saved" and set(third["stories"].values()).isdisjoint(first["stories"].values())


def _ingest(store, settings, story):
    from crosswire import pipeline
    from crosswire.model import Article
    title, body, outlet = story
    return pipeline.ingest_articles(store, [Article.create(title + "\n" + body, title=title, outlet=outlet)], settings)


STREAM = [(*EN, "Wire A"), (*CHURCH, "Wire B"), (*DE, "Wire C"), (*MEXICO, "Wire D"), (*CHURCH_2, "Wire E"),
          (*MEXICO_2, "Wire F")]


def test_a_saved_index_places_every_article_where_the_kept_one_does(tmp_path):
    from crosswire import kept_indexes
    from crosswire.config import load_settings
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    placed = {}
    for mode in ("kept", "saved"):
        with open_store(str(tmp_path / f"{mode}.db")) as store:
            stories = []
            for n, story in enumerate(STREAM):
                if mode == "saved" and n:
                    assert kept_indexes.save_story_index(store, settings)
                    kept_indexes.story_indexes.clear()  # what a new process starts with
                report = _ingest(store, settings, story)
                assert report.story_index == ("built" if n == 0 else mode)
                stories.extend(report.stories.values())
            placed[mode] = stories
    assert placed["kept"] == placed["saved"]
    assert len(set(placed["saved"])) == 3  # the quake in two languages, the church fire, Mexico


def test_an_index_catches_up_on_another_writers_stories_joins_copies_merges_and_splits(tmp_path):
    # two writers taking turns on one store (a cron job and a server, say): everything the other one did to
    # stories is replayed from the story-event log, and the index ends as a rebuild from the store would be
    from crosswire import kept_indexes
    from crosswire.config import load_settings
    from crosswire.model import AnalyzedArticle, Article
    from crosswire.stories import StoryAssigner
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    with open_store(str(tmp_path / "feed.db")) as store, open_store(str(tmp_path / "feed.db")) as other:
        quake = _ingest(store, settings, (*EN, "Wire A"))
        assert kept_indexes.save_story_index(store, settings)
        writer = StoryAssigner(other, settings)  # the other process, with an index of its own

        def written_elsewhere(story, outlet):
            article = Article.create(story[0] + "\n" + story[1], title=story[0], outlet=outlet)
            analyzed = AnalyzedArticle(article, embedding=_vectors(article))
            other.add_article(analyzed)
            return writer.assign(analyzed)
        church = written_elsewhere(CHURCH, "Wire D")  # a story this process has never seen
        written_elsewhere(DE, "Wire G")  # a join to this process's own quake story
        kept = _ingest(store, settings, (*CHURCH_2, "Wire E"))
        assert kept.story_index == "kept" and list(kept.stories.values()) == [church]
        assert kept_indexes.save_story_index(store, settings)
        kept_indexes.story_indexes.clear()  # a new process, with the saved file
        mexico = written_elsewhere(MEXICO, "Wire H")
        saved = _ingest(store, settings, (*MEXICO_2, "Wire F"))
        assert saved.story_index == "saved" and list(saved.stories.values()) == [mexico]
        assert store.story_of(Article.create(DE[0] + "\n" + DE[1], title=DE[0], outlet="Wire G").id) == \
            next(iter(quake.stories.values()))
        other.merge_stories(church, mexico, "an editor's call")  # reshapes two stories this index holds
        merged = _ingest(store, settings, ("Quebec church fire: insurers count the cost",
                                           CHURCH_2[1] + " Insurers said the damage was extensive.", "Wire I"))
        assert merged.story_index == "kept" and list(merged.stories.values()) == [church]
        mexican = [Article.create(story[0] + "\n" + story[1], title=story[0], outlet=outlet).id
                   for story, outlet in ((MEXICO, "Wire H"), (MEXICO_2, "Wire F"))]
        split_off = other.split_story(church, mexican, "the editor undoes it")
        copy = Article.create(MEXICO[0] + "\n" + MEXICO[1] + " (AFP)", title=MEXICO[0], outlet="Copy desk")
        copied = AnalyzedArticle(copy, embedding=_vectors(copy))
        copied.article.duplicate_of = mexican[0]
        other.add_article(copied)
        writer.add_copy(copied, split_off)  # a wire copy filed by the other writer: a join event like any other
        late = _ingest(store, settings, (*DE, "Wire J"))
        assert late.story_index == "kept" and list(late.stories.values()) == list(quake.stories.values())
        assert sorted(store.get_story(split_off).article_ids) == sorted(mexican + [copy.id])
        mine = kept_indexes.story_indexes.peek(kept_indexes.assigner_key(store, settings))[0]._clusterer
        rebuilt = StoryAssigner(store, settings)._ensure()
        assert mine.n_docs == rebuilt.n_docs == store.counts()["articles"]
        assert mine.name_df == rebuilt.name_df and mine.word_df == rebuilt.word_df
        assert sorted(sorted(s.members) for s in mine.stories.values()) == \
            sorted(sorted(s.members) for s in rebuilt.stories.values())


def _vectors(article):
    """The pipeline's head vector for an article written by the test's 'other process' (no NLP there)."""
    from crosswire.stories.features import encode_docs
    return encode_docs([{"id": article.id, "title": article.title, "text": article.text}])[0]["head"]


def test_a_damaged_or_planted_index_file_is_ignored_and_never_run(tmp_path):
    from crosswire import kept_indexes
    from crosswire.config import load_settings
    from crosswire.stories import saved_index
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    witness = tmp_path / "planted-code-ran"

    class Planted:
        def __reduce__(self):
            return (open, (str(witness), "w"))

    with open_store(str(tmp_path / "feed.db")) as store:
        _ingest(store, settings, (*EN, "Wire A"))
        assert kept_indexes.save_story_index(store, settings)
        kept_indexes.story_indexes.clear()
        key = kept_indexes.assigner_key(store, settings)
        path = saved_index.index_path(settings.story_index_dir, key)
        with open(path, "rb") as fh:
            header = pickle.load(fh)  # the genuine header, so the payload is read
        with open(path, "wb") as fh:
            pickle.dump(header, fh)
            pickle.dump(Planted(), fh)
        assert _ingest(store, settings, (*DE, "Wire B")).story_index == "built"
        assert not witness.exists()
        assert kept_indexes.save_story_index(store, settings)
        kept_indexes.story_indexes.clear()
        path.write_bytes(path.read_bytes()[:1000])  # cut short, as by a full disk
        assert _ingest(store, settings, (*MEXICO, "Wire C")).story_index == "built"
        assert kept_indexes.save_story_index(store, settings)
        kept_indexes.story_indexes.clear()
        damaged = bytearray(path.read_bytes())
        damaged[len(damaged) // 2] ^= 0xFF  # one flipped byte: in the ANN graph, native code could crash on it
        path.write_bytes(bytes(damaged))
        assert _ingest(store, settings, (*CHURCH, "Wire D")).story_index == "built"
        with open(path, "wb") as fh:
            pickle.dump(bytearray(10), fh)  # a header that would allocate what it likes: refused
        kept_indexes.story_indexes.clear()
        assert _ingest(store, settings, (*CHURCH_2, "Wire E")).story_index == "built"


def test_an_index_that_missed_another_writers_story_is_dropped_not_kept(tmp_path, monkeypatch):
    # the other writer stores an article before this call and creates its story while this call runs:
    # the article count alone cannot tell, the story events can
    from crosswire import kept_indexes, pipeline
    from crosswire.config import load_settings
    from crosswire.model import AnalyzedArticle, Article
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    with open_store(str(tmp_path / "feed.db")) as store, open_store(str(tmp_path / "feed.db")) as other:
        _ingest(store, settings, (*EN, "Wire A"))
        kept_indexes.story_indexes.clear()  # this call builds its index lazily, as a new process does
        church = Article.create(CHURCH[0] + "\n" + CHURCH[1], title=CHURCH[0], outlet="Wire X")
        other.add_article(AnalyzedArticle(church))

        def meanwhile(_):
            if other.story_of(church.id) is None:
                other.create_story([church.id], church.title)
        mexico = Article.create(MEXICO[0] + "\n" + MEXICO[1], title=MEXICO[0], outlet="Wire B")
        with monkeypatch.context() as patch:  # the other writer takes no turns: its article is its own to place
            patch.setattr(store, "unplaced_articles", lambda: [])
            pipeline.ingest_articles(store, [mexico], settings, progress=meanwhile)
        assert not kept_indexes.save_story_index(store, settings)  # nothing current to save
        report = _ingest(store, settings, (*CHURCH_2, "Wire C"))
        assert report.story_index == "built"
        assert list(report.stories.values()) == [store.story_of(church.id)]


def test_saving_can_be_turned_off_and_an_unwritable_directory_is_no_error(tmp_path):
    from crosswire import kept_indexes
    from crosswire.config import load_settings
    from crosswire.store import open_store
    off = load_settings(env={"CROSSWIRE_STORE_STORY_INDEX_DIR": "off"})
    assert off.story_index_dir is None
    nowhere = load_settings(env={"CROSSWIRE_STORE_STORY_INDEX_DIR": "~no-such-user-here/index"})
    assert nowhere.story_index_dir is None  # a home that cannot be found means no saved index, not a crash
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    settings = load_settings(env={"CROSSWIRE_STORE_STORY_INDEX_DIR": str(blocked / "index")})
    with open_store(str(tmp_path / "feed.db")) as store:
        _ingest(store, off, (*EN, "Wire A"))
        assert not kept_indexes.save_story_index(store, off)
        _ingest(store, settings, (*EN, "Wire A"))
        assert not kept_indexes.save_story_index(store, settings)


def test_a_wire_copy_stored_by_another_process_is_still_recognised(tmp_path):
    # the MinHash index is kept between calls too; a copy whose original another process stored
    # must still be marked a copy, not counted as a second independent source
    from crosswire.config import load_settings
    from crosswire.ingest.dedup import NearDuplicateIndex
    from crosswire.model import AnalyzedArticle, Article
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    wire = ("Fire destroys historic church in Quebec. " + CHURCH[1] + " The roof collapsed shortly after "
            "midnight and the bell tower fell into the street, the town's mayor told reporters on Monday.")
    with open_store(str(tmp_path / "feed.db")) as store:
        _ingest(store, settings, (*EN, "Wire A"))  # this process now keeps its indexes
        with open_store(str(tmp_path / "feed.db")) as other:
            original = Article.create(wire, title=CHURCH[0], outlet="AFP")
            other.add_article(AnalyzedArticle(original), signature=NearDuplicateIndex().signature(original.text))
        copy = _ingest(store, settings, (CHURCH[0], wire.replace("Monday", "Monday night"), "Local paper"))
        assert list(copy.duplicates.values()) == [original.id]


def test_a_server_that_stops_leaves_its_story_index_for_the_next_process(tmp_path):
    import httpx

    from crosswire import kept_indexes
    from crosswire.api import create_app
    from crosswire.api.live import LiveServer
    from crosswire.config import load_settings
    from crosswire.store import open_store
    db = tmp_path / "news.db"
    settings = load_settings(env={"CROSSWIRE_DB": str(db), "CROSSWIRE_TOKEN": "t0ken",
                                  "XDG_CACHE_HOME": str(tmp_path / "cache")})
    with LiveServer(create_app(settings)) as url:
        response = httpx.post(f"{url}/api/v1/articles", headers={"Authorization": "Bearer t0ken"}, timeout=60,
                              json={"title": EN[0], "outlet": "Wire A", "text": EN[1]})
        assert response.status_code == 201 and response.json()["story_index"] == "built"
    kept_indexes.story_indexes.clear()  # a new process
    with open_store(str(db)) as store:
        report = _ingest(store, settings, (*DE, "Wire B"))
        assert report.story_index == "saved"
        assert list(report.stories.values()) == [response.json()["articles"][0]["story_id"]]


ITEM = """<item><title>{title}</title><link>https://example.org/{n}</link>
<pubDate>Fri, 15 Jan 2021 0{n}:00:00 GMT</pubDate><description>{body}</description></item>"""


@pytest.mark.slow
def test_a_polling_run_reads_the_feed_every_round_and_keeps_its_index(cli, tmp_path):
    # one process for the whole run: the second round finds the first round's story in memory
    from conftest import serving_feed
    rounds = [ITEM.format(n=1, title=EN[0], body=EN[1]),
              ITEM.format(n=1, title=EN[0], body=EN[1]) + ITEM.format(n=2, title=DE[0], body=DE[1])]
    with serving_feed(rounds) as url:
        proc = cli.run("ingest", url, "--every", "0.2", "--rounds", "2", "--json")
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert len(first["added"]) == 1 and first["story_index"] == "built"
    assert len(second["added"]) == 1 and second["already_stored"] == first["added"]
    assert second["story_index"] == "kept"
    assert set(second["stories"].values()) == set(first["stories"].values())  # the German report joined
    usage = cli.run("ingest", url, "--rounds", "2", check=False)
    assert usage.returncode == 2 and "--rounds needs --every" in usage.stderr
    down = cli.run("ingest", url, "--every", "0.1", "--rounds", "2", check=False)  # the server is gone
    # said once, not once per round, while it stays the same; each round's count line still counts it
    assert down.returncode == 1 and down.stderr.count("error:") == 1 and "Traceback" not in down.stderr
    assert down.stdout.count("1 input refused") == 2


def test_an_article_stored_by_a_run_killed_before_placing_it_is_placed_by_the_next_run(tmp_path):
    from crosswire import nlp
    from crosswire.config import load_settings
    from crosswire.model import Article
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    with open_store(str(tmp_path / "feed.db")) as store:
        first = _ingest(store, settings, (*EN, "Wire A"))
        german = Article.create(DE[0] + "\n" + DE[1], title=DE[0], outlet="Wire B")
        [analyzed] = nlp.analyze([german], settings)
        store.add_article(analyzed)  # ... and the run is killed before the story step
        assert store.story_of(german.id) is None
        again = _ingest(store, settings, (*DE, "Wire B"))
        assert again.added == [] and again.already_stored == [german.id]
        assert again.stories == {german.id: next(iter(first.stories.values()))}  # the quake story
        assert again.placed_late == [german.id]
        assert _ingest(store, settings, (*DE, "Wire B")).stories == {}  # placed once, then left alone


def test_a_report_a_failing_database_left_without_a_story_is_placed_by_the_next_call_whatever_it_ingests(
        tmp_path, monkeypatch):
    # a poller's round stores the German report, then the database fails before its story is written; the feed
    # has moved on, so the same report never comes again: the next round, with other news, must place it
    from crosswire.config import load_settings
    from crosswire.errors import StoreError
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    with open_store(str(tmp_path / "feed.db")) as store:
        quake = next(iter(_ingest(store, settings, (*EN, "Wire A")).stories.values()))

        def failing(*args, **kwargs):
            raise StoreError("database is locked")
        with monkeypatch.context() as patch:
            patch.setattr(store, "add_to_story", failing)
            patch.setattr(store, "create_story", failing)
            with pytest.raises(StoreError):
                _ingest(store, settings, (*DE, "Wire B"))
        [german] = store.unplaced_articles()
        church = _ingest(store, settings, (*CHURCH, "Wire C"))
        assert church.placed_late == [german] and church.stories[german] == quake
        assert len(set(church.stories.values())) == 2  # the church fire has a story of its own
        assert store.unplaced_articles() == []
        later = _ingest(store, settings, (*CHURCH_2, "Wire D"))
        assert later.placed_late == [] and later.story_index == "kept"  # the placement kept the index current


def test_a_left_over_article_that_cannot_be_placed_does_not_stop_the_feed(tmp_path, monkeypatch):
    # a stored analysis this version cannot place (say, written by another program) must cost an error line,
    # not every later round of a poller: the new reports are still stored and placed, in one story each
    from crosswire import pipeline
    from crosswire.config import load_settings
    from crosswire.model import AnalyzedArticle, Article
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    with open_store(str(tmp_path / "feed.db")) as store:
        _ingest(store, settings, (*EN, "Wire A"))
        odd = Article.create(DE[0] + "\n" + DE[1], title=DE[0], outlet="Other program")
        store.add_article(AnalyzedArticle(odd))  # stored, never placed
        place = pipeline._place_in_story

        def unplaceable(store_, assigner, analyzed):
            if analyzed.article.id == odd.id:
                raise ValueError("no embedding of the expected size")
            return place(store_, assigner, analyzed)
        monkeypatch.setattr(pipeline, "_place_in_story", unplaceable)
        monkeypatch.setattr(pipeline, "_unplaceable", set())
        church = _ingest(store, settings, (*CHURCH, "Wire C"))
        assert len(church.added) == 1 and church.placed_late == []
        assert church.errors == [f"{odd.id}: stored without a story by an earlier run, and placing it failed "
                                 "(ValueError: no embedding of the expected size); left without a story"]
        mexico = _ingest(store, settings, (*MEXICO, "Wire D"))  # not tried again by this process
        assert len(mexico.added) == 1 and mexico.errors == [] and mexico.story_index == "kept"
        assert store.unplaced_articles() == [odd.id]


def test_a_copy_and_a_late_placement_by_another_writer_cannot_cancel_out(tmp_path, monkeypatch):
    # a copy joins its story with no event; an article stored earlier and placed late writes an event with no
    # new article: by article and event counts alone, the two look like one replayable join
    from crosswire import kept_indexes
    from crosswire.config import load_settings
    from crosswire.ingest.dedup import NearDuplicateIndex
    from crosswire.model import AnalyzedArticle, Article
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    with open_store(str(tmp_path / "feed.db")) as store, open_store(str(tmp_path / "feed.db")) as other:
        quake = _ingest(store, settings, (*EN, "Wire A"))
        killed = Article.create(CHURCH[0] + "\n" + CHURCH[1], title=CHURCH[0], outlet="Wire K")
        other.add_article(AnalyzedArticle(killed))  # stored by a run that was killed before placing it
        with monkeypatch.context() as patch:  # as if stored during this call by a writer that takes no turns
            patch.setattr(store, "unplaced_articles", lambda: [])
            _ingest(store, settings, (*MEXICO, "Wire B"))  # this process's stamp now counts it
        other.create_story([killed.id], killed.title)  # the re-run places it: an event, no new article
        copy = Article.create(EN[0] + "\n" + EN[1] + " (AFP)", title=EN[0], outlet="Copy desk")
        other.add_article(AnalyzedArticle(copy), signature=NearDuplicateIndex().signature(copy.text))
        other.add_to_story(next(iter(quake.stories.values())), copy.id)  # a copy: a new article, no event
        report = _ingest(store, settings, (*CHURCH_2, "Wire C"))
        assert report.story_index == "built"  # rebuilt, so the copy is in both indexes
        assigner = kept_indexes.story_indexes.peek(kept_indexes.assigner_key(store, settings))[0]
        assert assigner._clusterer.holds(copy.id)


def test_an_article_another_writer_placed_while_this_call_analysed_is_not_placed_twice(tmp_path):
    # two re-runs of a killed run's input: the other writer places the left-over article while this call is still
    # analysing its new report outside the writing turn; inside the turn this call must see that it has a story
    from crosswire import nlp, pipeline
    from crosswire.config import load_settings
    from crosswire.model import Article
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    report_of = lambda story, outlet: Article.create(story[0] + "\n" + story[1], title=story[0], outlet=outlet)  # noqa: E731
    with open_store(str(tmp_path / "feed.db")) as store, open_store(str(tmp_path / "feed.db")) as other:
        pipeline.ingest_articles(store, [report_of(EN, "Wire A")], settings)
        german = report_of(DE, "Wire B")
        store.add_article(nlp.analyze([german], settings)[0])  # stored by a run killed before placing it
        analyze, replayed = nlp.analyze, []

        def meanwhile(batch, settings_):
            analysed = analyze(batch, settings_)
            if not replayed:
                replayed.append(pipeline.ingest_articles(other, [report_of(DE, "Wire B")], settings))
            return analysed
        nlp.analyze = meanwhile
        try:
            report = pipeline.ingest_articles(store, [report_of(DE, "Wire B"), report_of(CHURCH, "Wire C")], settings)
        finally:
            nlp.analyze = analyze
        assert german.id in replayed[0].stories and german.id not in report.stories
        assert [e.kind for e in store.story_events_since(0) if e.article_id == german.id] == ["join"]


def test_a_new_article_left_without_a_story_and_an_old_one_placed_late_do_not_hide_a_copy(tmp_path, monkeypatch):
    # another writer's failed round stored a wire report without placing it, and its next round placed an old
    # left-over article: by counts the two cancel out, but the copy check must still know the wire report
    from crosswire.config import load_settings
    from crosswire.ingest.dedup import NearDuplicateIndex
    from crosswire.model import AnalyzedArticle, Article
    from crosswire.store import open_store
    settings = load_settings(env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    wire = ("Fire destroys historic church in Quebec. " + CHURCH[1] + " The roof collapsed shortly after "
            "midnight and the bell tower fell into the street, the town's mayor told reporters on Monday.")
    with open_store(str(tmp_path / "feed.db")) as store, open_store(str(tmp_path / "feed.db")) as other:
        _ingest(store, settings, (*EN, "Wire A"))
        left_over = Article.create(MEXICO[0] + "\n" + MEXICO[1], title=MEXICO[0], outlet="Wire K")
        other.add_article(AnalyzedArticle(left_over), signature=NearDuplicateIndex().signature(left_over.text))
        with monkeypatch.context() as patch:  # as if stored during this call by a writer that takes no turns
            patch.setattr(store, "unplaced_articles", lambda: [])
            _ingest(store, settings, ("Quake aftershock", EN[1] + " An aftershock followed.", "Wire Q"))  # stamps it
        other.create_story([left_over.id], left_over.title)  # placed late
        original = Article.create(wire, title=CHURCH[0], outlet="AFP")
        other.add_article(AnalyzedArticle(original), signature=NearDuplicateIndex().signature(original.text))
        copy = _ingest(store, settings, (CHURCH[0], wire.replace("Monday", "Monday night"), "Local paper"))
        assert copy.duplicates and list(copy.duplicates.values()) == [original.id]


def test_an_in_memory_store_written_by_another_thread_between_batches_is_not_served_a_stale_index(monkeypatch):
    # a library user shares one in-memory store between threads: the call's second batch must see the wire report
    # another thread stored while it was analysing, and mark the local paper's near-copy of it
    from crosswire import nlp, pipeline
    from crosswire.config import load_settings
    from crosswire.model import Article
    from crosswire.store import open_store
    wire = ("Fire destroys historic church in Quebec. " + CHURCH[1] + " The roof collapsed shortly after "
            "midnight and the bell tower fell into the street, the town's mayor told reporters on Monday.")
    settings = load_settings(env={})
    monkeypatch.setattr(pipeline, "BATCH", 1)
    with open_store(":memory:") as store:
        original = Article.create(wire, title=CHURCH[0], outlet="AFP")
        copy = Article.create(wire.replace("Monday", "Monday night"), title=CHURCH[0], outlet="Local paper")
        analyze, calls = nlp.analyze, []

        def meanwhile(batch, settings_):
            analysed = analyze(batch, settings_)
            calls.append(batch)
            if len(calls) == 2:  # the second batch is being analysed outside the turn
                monkeypatch.setattr(nlp, "analyze", analyze)
                pipeline.ingest_articles(store, [original], settings)
            return analysed
        monkeypatch.setattr(nlp, "analyze", meanwhile)
        report = pipeline.ingest_articles(store, [Article.create(EN[0] + "\n" + EN[1], title=EN[0], outlet="Wire A"),
                                                  copy], settings)
        assert report.duplicates == {copy.id: original.id}
        assert report.stories[copy.id] == store.story_of(original.id)
