"""The store keeps everything the pipeline computed, idempotently, and finds stories fast."""
from __future__ import annotations

import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from crosswire.errors import NotFound, StoreError
from crosswire.model import AnalyzedArticle, Article, Mention, Sentence
from crosswire.store import open_store


def analyzed(text: str, outlet: str, day: int, lang: str = "en", entity: str = "Ibrahim Traoré") -> AnalyzedArticle:
    a = Article.create(text, title=text[:30], outlet=outlet, language=lang,
                       published=datetime(2023, 1, day, 12, tzinfo=timezone.utc))
    return AnalyzedArticle(a, [Sentence(0, text, 0, len(text))],
                           [Mention("entity", 0, 0, len(entity), entity, "PERSON", "ibrahim traore"),
                            Mention("date", 0, 0, 6, "Monday", "day", "2023-01-23", {"weekday": "Monday"})],
                           np.arange(4, dtype=np.float32), np.ones((1, 4), dtype=np.float32))


@pytest.fixture(scope="session")
def postgres():
    from postgres_server import PostgresServer
    try:
        server = PostgresServer()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"no PostgreSQL server for the store tests: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """Every contract test runs on both backends: the same behaviour is promised for each."""
    url = (str(tmp_path / "deep" / "crosswire.db") if request.param == "sqlite"
           else request.getfixturevalue("postgres").new_database())
    with open_store(url, create_folder=True) as s:  # the folder made as for the default location
        yield s


def test_round_trip_keeps_sentences_mentions_and_vectors(store):
    item = analyzed("France will withdraw its 400 soldiers.", "Wire A", 25)
    assert store.add_article(item) is True
    back = store.get_analyzed([item.article.id])[0]
    assert back.article == item.article
    assert back.sentences == item.sentences and back.mentions == item.mentions
    assert np.array_equal(back.embedding, item.embedding)
    assert back.sentence_embeddings.shape == (1, 4)


def test_adding_twice_changes_nothing(store):
    item = analyzed("Same report.", "Wire A", 25)
    assert store.add_article(item) and not store.add_article(item)
    assert store.stats()["articles"] == 1 and store.stats()["mentions"] == 2


def test_stories_page_newest_first_with_filters(store):
    ids = []
    for day in range(1, 8):
        item = analyzed(f"Report number {day} about the withdrawal.", f"Outlet {day}", day,
                        lang="de" if day == 3 else "en")
        store.add_article(item)
        ids.append(store.create_story([item.article.id], f"Story {day}"))
    first, cursor = store.list_stories(limit=3)
    assert [s.id for s in first] == ids[::-1][:3]
    second, _ = store.list_stories(limit=3, cursor=cursor)
    assert [s.id for s in second] == ids[::-1][3:6]
    assert [s.id for s in store.list_stories(lang="de")[0]] == [ids[2]]
    assert [s.id for s in store.list_stories(q="number 5")[0]] == [ids[4]]
    assert len(store.list_stories(entity="IBRAHIM TRAORE")[0]) == 7
    since = datetime(2023, 1, 6, tzinfo=timezone.utc)
    assert [s.id for s in store.list_stories(since=since)[0]] == ids[5:][::-1]
    assert [s.id for s in store.list_stories(until=since - timedelta(days=4))[0]] == ids[:1]
    with pytest.raises(StoreError):
        store.list_stories(cursor="not-a-cursor")


def test_stories_whose_comparison_another_code_made_are_found_in_one_query(store):
    stories = []
    for day in (1, 2, 3):
        item = analyzed(f"Report {day} on the withdrawal.", f"Outlet {day}", day)
        store.add_article(item)
        stories.append(store.create_story([item.article.id], f"Story {day}"))
    store.update_story(stories[0], comparison={"facts": [], "made_by": "0123abcd0123abcd"})
    store.update_story(stories[1], comparison={"facts": [], "made_by": "ffff0000ffff0000"})
    assert store.stories_compared_otherwise(stories, "0123abcd0123abcd") == stories[1:]  # the third has none
    assert store.stories_compared_otherwise([], "0123abcd0123abcd") == []


def test_merge_keeps_old_story_id_as_a_redirect_and_records_why(store):
    a, b = analyzed("One account.", "A", 1), analyzed("Another account.", "B", 2)
    store.add_article(a), store.add_article(b)
    s1, s2 = store.create_story([a.article.id]), store.create_story([b.article.id])
    store.update_story(s1, comparison={"cached": True})
    store.merge_stories(s1, s2, "late evidence: shared names and numbers")
    assert store.get_story(s2).id == s1
    assert sorted(store.get_story(s1).article_ids) == sorted([a.article.id, b.article.id])
    assert store.cached_comparison(s1) is None  # membership changed: cache dropped
    assert any(e.kind == "merge" and "late evidence" in e.reason for e in store.story_events(s1))
    assert store.story_ids() == [s1]


def test_split_moves_articles_to_a_new_story_and_records_why_on_both(store):
    a, b, c = (analyzed(t, o, d) for t, o, d in [("Quake account.", "A", 1), ("Quake again.", "B", 2),
                                                  ("Church fire account.", "C", 3)])
    for x in (a, b, c):
        store.add_article(x)
    s1 = store.create_story([a.article.id, b.article.id, c.article.id])
    store.update_story(s1, comparison={"cached": True})
    s2 = store.split_story(s1, [c.article.id], "1 of 3 articles scored -4.10 against the rest", "Church fire")
    assert s2 != s1 and store.story_of(c.article.id) == s2
    assert sorted(store.get_story(s1).article_ids) == sorted([a.article.id, b.article.id])
    assert store.get_story(s2).headline == "Church fire"
    assert store.cached_comparison(s1) is None  # membership changed: cache dropped
    for story in (s1, s2):
        assert [e.other_story_id for e in store.story_events(story) if e.kind == "split"] == [s2]
    assert sorted(store.story_ids()) == sorted([s1, s2])


def test_reopening_keeps_everything_and_ids(tmp_path):
    path = str(tmp_path / "x.db")
    with open_store(path) as s:
        item = analyzed("Persisted.", "A", 3)
        s.add_article(item)
        story = s.create_story([item.article.id])
    with open_store(path) as s:
        assert s.story_of(item.article.id) == story and s.stats()["articles"] == 1


def test_unknown_ids_and_foreign_files_are_clear_errors(store, tmp_path):
    with pytest.raises(NotFound):
        store.get_article("nope")
    with pytest.raises(NotFound):
        store.get_story(999)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        open_store(str(junk))


def test_migrations_are_recorded(tmp_path):
    path = tmp_path / "v.db"
    open_store(str(path)).close()
    assert sqlite3.connect(path).execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 3


def test_a_write_locked_by_another_process_fails_clearly_and_stores_nothing_half(tmp_path):
    path = str(tmp_path / "busy.db")
    open_store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's long write
    with open_store(path, busy_timeout=0.2) as s:  # opening an up-to-date store only reads: no wait
        item = analyzed("France will withdraw its 400 soldiers.", "Wire A", 25)
        with pytest.raises(StoreError, match=r"busy.db: database is locked: another process held the write lock "
                                             r"for more than 0.2 s"):
            s.add_article(item)
        assert not s.has_article(item.article.id)
        other.execute("COMMIT")
        assert s.add_article(item) is True  # the same call again, once the other writer is done
        assert s.stats()["articles"] == 1 and s.stats()["mentions"] == 2


@pytest.mark.postgres
def test_a_postgres_restart_fails_one_call_and_the_next_connects_again(postgres):
    url = postgres.new_database()
    with open_store(url) as s:
        first = analyzed("France will withdraw its 400 soldiers.", "Wire A", 25)
        assert s.add_article(first)
        postgres.restart()
        second = analyzed("The last French soldiers leave within a month.", "Wire B", 26)
        with pytest.raises(StoreError, match="lost the connection to PostgreSQL.*the next call connects again"):
            s.add_article(second)
        assert s.add_article(second) is True
        assert s.stats()["articles"] == 2 and s.stats()["mentions"] == 4


def test_messages_and_stats_show_a_postgres_url_without_its_password():
    from crosswire.store.postgres import without_password
    assert without_password("postgresql://news:s3cret@db.example:5432/wire") == "postgresql://news:***@db.example:5432/wire"
    assert without_password("postgresql://news@db.example/wire") == "postgresql://news@db.example/wire"
    assert without_password("postgresql://news@db/wire?password=s3cret&sslmode=disable") == \
        "postgresql://news@db/wire?password=***&sslmode=disable"
    with pytest.raises(StoreError) as failed:
        open_store("postgresql://news:s3cret@127.0.0.1:1/wire")  # nothing listens on port 1
    assert "s3cret" not in str(failed.value) and "news:***@127.0.0.1:1/wire" in str(failed.value)
    for unparsable in ("postgresql://news:s3cr%zzet@127.0.0.1:1/wire", "postgresql://news:s3cret@[::1/wire",
                       "postgresql://news@127.0.0.1:1/wire?password=s3cret"):
        with pytest.raises(StoreError) as failed:  # libpq quotes what it could not parse
            open_store(unparsable)
        assert "s3cr" not in str(failed.value), str(failed.value)
    assert without_password("postgresql://news@db/wire?sslpassword=k3ypass") == "postgresql://news@db/wire?sslpassword=***"
    with pytest.raises(StoreError) as failed:  # a one-letter password cannot be cut out of "connection failed"
        open_store("postgresql://news:e@127.0.0.1:1/wire")
    assert str(failed.value) == "postgresql://news:***@127.0.0.1:1/wire: cannot connect to PostgreSQL (OperationalError)"


def test_one_writing_turn_at_a_time_and_a_killed_holder_frees_it(store, monkeypatch):
    import sys
    monkeypatch.setattr("crosswire.store.relational.TURN_WAIT", 0.3)
    with open_store(store.url) as other:  # another writer on the same database
        with store.writer_turn():
            with pytest.raises(StoreError, match=r"another process has held the writing turn for more than 0.3 s"):
                with other.writer_turn():
                    pass
        with other.writer_turn():  # free once the first writer's turn ends
            pass
        holder = subprocess.Popen([sys.executable, "-c", (
            "import sys, time\nfrom crosswire.store import open_store\ns = open_store(sys.argv[1])\n"
            "turn = s.writer_turn()\nturn.__enter__()\nprint('held', flush=True)\ntime.sleep(120)"), store.url],
            stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "held"
            with pytest.raises(StoreError, match="writing turn"):
                with other.writer_turn():
                    pass
        finally:
            holder.kill()
            holder.wait()
        monkeypatch.setattr("crosswire.store.relational.TURN_WAIT", 10.0)
        with other.writer_turn():  # the kernel (SQLite's lock file) or the server (PostgreSQL) let go of it
            pass


@pytest.mark.postgres
def test_a_writer_that_lost_its_connection_mid_turn_stops_instead_of_writing_beside_the_next(postgres):
    # the server's request thread notices the dropped connection and reconnects; the ingest thread in the middle
    # of its turn must not go on writing on the new connection, which does not hold the turn
    import threading

    import psycopg
    url = postgres.new_database()
    with open_store(url) as s, open_store(url) as other:
        with s.writer_turn():
            pid = s._query("SELECT pg_backend_pid()")[0][0]
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            reader: list = []

            def read():
                for _ in range(2):  # the first call finds the connection gone, the second connects again
                    try:
                        reader.append(s.counts())
                    except StoreError as exc:
                        reader.append(str(exc))
            thread = threading.Thread(target=read)
            thread.start()
            thread.join()
            assert "lost the connection" in reader[0] and reader[1] == {"articles": 0, "stories": 0}
            with other.writer_turn():  # the turn went with the old connection: another writer has it now
                pass
            with pytest.raises(StoreError, match="lost the connection to PostgreSQL, and the writing turn with it"):
                s.add_article(analyzed("France will withdraw its 400 soldiers.", "Wire A", 25))
        assert s.counts()["articles"] == 0
        with s.writer_turn():  # a new turn on the new connection
            assert s.add_article(analyzed("France will withdraw its 400 soldiers.", "Wire A", 25))


def test_a_symlink_to_the_database_shares_its_writing_turn_and_a_failed_pid_write_keeps_none(tmp_path, monkeypatch):
    import os
    monkeypatch.setattr("crosswire.store.relational.TURN_WAIT", 0.2)
    real = tmp_path / "news.db"
    open_store(str(real)).close()
    (tmp_path / "link.db").symlink_to(real)
    with open_store(str(real)) as direct, open_store(str(tmp_path / "link.db")) as linked:
        with direct.writer_turn():
            with pytest.raises(StoreError, match="writing turn"):
                with linked.writer_turn():
                    pass

        def disk_full():
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(os, "getpid", disk_full)  # writing the holder's pid fails
        with direct.writer_turn():
            pass
        monkeypatch.undo()
        monkeypatch.setattr("crosswire.store.relational.TURN_WAIT", 0.2)
        with linked.writer_turn():  # the failed pid write did not keep the turn
            pass
