"""Everything both SQL backends share: the queries behind the Store contract.

Why one class: SQLite and PostgreSQL answer the same SQL here (upserts with ON CONFLICT,
RETURNING, row-value comparisons), so the queries are written once with `?` placeholders.
A backend supplies only what truly differs: how to connect and run a transaction, its
schema migrations, and full-text search (FTS5 in SQLite, tsvector in PostgreSQL).
Rows must support both `row[0]` and `row["name"]`.
"""
from __future__ import annotations

import base64
import json
import time
from abc import abstractmethod
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

import numpy as np

from crosswire.folding import fold_name
from crosswire.errors import NotFound, StoreError
from crosswire.model import AnalyzedArticle, Article, ArticleVersion, Change, Mention, Sentence, Story, StoryEvent
from crosswire.store.base import HAND, TURN_WAIT, Store

Run = Callable[..., list[Any]]
UPSERT_MEMBER = ("INSERT INTO story_articles (story_id, article_id) VALUES (?, ?) "
                 "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id")




def _utc_key(value: datetime | None) -> str | None:
    """A sortable UTC string, so offsets from different outlets order correctly.

    None ("no date") when UTC falls outside datetime's years 1-9999 (``9999-12-31T23:00-05:00``): such a
    value is a placeholder, not a date, and failing here would abort the ingest and every retry of it.
    """
    if value is None:
        return None
    if value.tzinfo is not None:
        try:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:
            return None
    return value.isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _utc(value: str | None) -> datetime | None:
    """A time the store wrote as a UTC key (``_utc_key``, ``_now``: no offset, to sort as text), read back as the UTC
    time it is: written without an offset, the API's and `--json`'s times did not say which zone they were in."""
    parsed = _parse(value)
    return parsed.replace(tzinfo=timezone.utc) if parsed is not None and parsed.tzinfo is None else parsed


def _now() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


def _vector_bytes(vector: Any) -> tuple[bytes | None, int]:
    if vector is None:
        return None, 0
    array = np.asarray(vector, dtype=np.float32)
    return array.tobytes(), int(array.shape[-1]) if array.size else 0


class RelationalStore(Store):
    integrity_errors: tuple[type[BaseException], ...] = ()
    _writer_threads: Any  # a threading.Lock

    @contextmanager
    def writer_turn(self) -> Iterator[None]:
        with self._writer_threads:  # this process's other threads first (each backend's __init__ makes the lock)
            waited, pause = 0.0, 0.01
            while not self._take_turn():
                if waited >= TURN_WAIT:
                    raise StoreError(f"{self.url}: another process has held the writing turn for more than "
                                     f"{TURN_WAIT:g} s ({self._turn_holder()}); is an ingest stuck?")
                time.sleep(pause)
                waited += pause
                pause = min(pause * 2, 0.5)
            try:
                yield
            finally:
                self._end_turn()

    @abstractmethod
    def _take_turn(self) -> bool:
        """Take the database-wide writing turn without waiting; False if another process holds it."""

    @abstractmethod
    def _end_turn(self) -> None: ...

    def _turn_holder(self) -> str:
        return "another connection"

    @abstractmethod
    @contextmanager
    def _transaction(self) -> Iterator[Run]:
        """Yield run(sql, params) -> rows inside one transaction (rolled back on error)."""

    @abstractmethod
    def _fulltext_statements(self, article: Article) -> list[tuple[str, tuple]]:
        """Statements that index an article for full-text search (none if the schema does it)."""

    def _fulltext_removal(self, article_id: str) -> list[tuple[str, tuple]]:
        """Statements that take an article out of full-text search before its new text goes in (none if the
        schema indexes the text itself)."""
        return []

    @abstractmethod
    def _fulltext_filter(self, q: str) -> tuple[str, str]:
        """A subquery selecting story ids whose articles match q, and its one parameter."""

    def _query(self, sql: str, params: tuple | list = ()) -> list[Any]:
        with self._transaction() as run:
            return run(sql, params)

    def _write(self, statements: list[tuple[str, tuple | list]]) -> None:
        """Several statements in one transaction: all or nothing, so a crash never half-stores."""
        with self._transaction() as run:
            for sql, params in statements:
                run(sql, params)

    # ---- articles -----------------------------------------------------------------------------
    def add_article(self, analyzed: AnalyzedArticle, signature: bytes | None = None) -> bool:
        a = analyzed.article
        statements: list[tuple[str, tuple | list]] = [(
            "INSERT INTO articles (id, url, outlet, title, text, published, published_key, language, author,"
            " content_hash, origin, duplicate_of, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (a.id, a.url, a.outlet, a.title, a.text, a.published.isoformat() if a.published else None,
             _utc_key(a.published), a.language, a.author, a.content_hash, a.origin, a.duplicate_of, _now()))]
        statements += self._analysis_statements(analyzed, signature)
        try:
            self._write(statements)
        except self.integrity_errors:
            if self.has_article(a.id):
                return False
            raise
        return True

    def _analysis_statements(self, analyzed: AnalyzedArticle, signature: bytes | None) -> list[tuple[str, tuple | list]]:
        """What the NLP stage found in an article's text, as rows: written with the article, and again (after the
        old rows are deleted) when its outlet updates the text."""
        a = analyzed.article
        doc, dim = _vector_bytes(analyzed.embedding)
        sents, sdim = _vector_bytes(analyzed.sentence_embeddings)
        statements: list[tuple[str, tuple | list]] = [
            ("INSERT INTO sentences (article_id, idx, text, start, end_) VALUES (?,?,?,?,?)",
             (a.id, s.index, s.text, s.start, s.end)) for s in analyzed.sentences]
        statements += [("INSERT INTO mentions (article_id, idx, sentence, kind, start, end_, text, label, value, extra)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (a.id, i, m.sentence, m.kind, m.start, m.end, m.text, m.label, m.value,
                         json.dumps(m.extra, ensure_ascii=False, default=str) if m.extra else None))
                       for i, m in enumerate(analyzed.mentions)]
        statements.append(("INSERT INTO embeddings (article_id, dim, doc, sentences) VALUES (?,?,?,?)",
                           (a.id, dim or sdim, doc, sents)))
        statements += self._fulltext_statements(a)
        if signature is not None:
            statements.append(self._signature_statement(a.id, signature))
        return statements

    def replace_article(self, analyzed: AnalyzedArticle, changes: list[Change],
                        signature: bytes | None = None) -> int:
        a = analyzed.article
        with self._transaction() as run:
            rows = run("SELECT * FROM articles WHERE id = ?", (a.id,))
            if not rows:
                raise NotFound(f"no article with id {a.id}")
            old = rows[0]
            version = int(run("SELECT COUNT(*) FROM article_versions WHERE article_id = ?", (a.id,))[0][0]) + 1
            run("INSERT INTO article_versions (article_id, version, title, text, content_hash, published, replaced_at,"
                " changes) VALUES (?,?,?,?,?,?,?,?)",
                (a.id, version, old["title"], old["text"], old["content_hash"], old["published"],
                 datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 json.dumps([asdict(c) for c in changes], ensure_ascii=False)))
            published = a.published.isoformat() if a.published else old["published"]  # an update may not repeat it
            key = _utc_key(a.published) if a.published else old["published_key"]
            run("UPDATE articles SET title = ?, text = ?, published = ?, published_key = ?, language = ?, "
                "author = COALESCE(?, author), content_hash = ?, origin = COALESCE(?, origin), duplicate_of = ? "
                "WHERE id = ?",
                (a.title, a.text, published, key, a.language, a.author, a.content_hash, a.origin, a.duplicate_of, a.id))
            for table in ("sentences", "mentions", "embeddings", "signatures"):
                run(f"DELETE FROM {table} WHERE article_id = ?", (a.id,))
            for sql, params in self._fulltext_removal(a.id) + self._analysis_statements(analyzed, signature):
                run(sql, params)
            member = run("SELECT story_id FROM story_articles WHERE article_id = ?", (a.id,))
            if member:
                story_id = int(member[0][0])
                run(*self._refresh_story(story_id))
                run("INSERT INTO story_events (kind, story_id, article_id, at, reason) VALUES ('update', ?, ?, ?, ?)",
                    (story_id, a.id, _now(), f"new text at the same address; the one before kept as version {version}"))
        return version

    def copies_of(self, article_id: str) -> list[str]:
        return [r[0] for r in self._query("SELECT id FROM articles WHERE duplicate_of = ?", (article_id,))]

    def known_texts(self, article_id: str) -> list[tuple[str, str]]:
        rows = self._query("SELECT title, content_hash FROM articles WHERE id = ?", (article_id,))
        if not rows:
            return []
        return [(r[0] or "", r[1] or "") for r in rows + self._query(
            "SELECT title, content_hash FROM article_versions WHERE article_id = ? ORDER BY version", (article_id,))]

    def article_versions(self, article_ids: list[str]) -> list[ArticleVersion]:
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        return [ArticleVersion(article_id=r["article_id"], version=int(r["version"]), title=r["title"] or "",
                               text=r["text"], content_hash=r["content_hash"] or "", published=r["published"],
                               replaced_at=r["replaced_at"],
                               changes=[Change(**c) for c in json.loads(r["changes"] or "[]")])
                for r in self._query(f"SELECT * FROM article_versions WHERE article_id IN ({marks}) "
                                     "ORDER BY replaced_at, article_id, version", article_ids)]

    def has_article(self, article_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def articles_with_hash(self, content_hash: str) -> list[str]:
        return [r[0] for r in self._query(
            "SELECT id FROM articles WHERE content_hash = ? OR id IN "
            "(SELECT article_id FROM article_versions WHERE content_hash = ?) ORDER BY added_at, id",
            (content_hash, content_hash))]

    @staticmethod
    def _article(row: Any) -> Article:
        return Article(id=row["id"], text=row["text"], title=row["title"] or "", outlet=row["outlet"] or "",
                       url=row["url"], published=_parse(row["published"]), language=row["language"],
                       author=row["author"], content_hash=row["content_hash"] or "", origin=row["origin"],
                       duplicate_of=row["duplicate_of"])

    def get_article(self, article_id: str) -> Article:
        rows = self._query("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise NotFound(f"no article with id {article_id}")
        return self._article(rows[0])

    def get_analyzed(self, article_ids: list[str]) -> list[AnalyzedArticle]:
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        articles = {r["id"]: self._article(r) for r in self._query(f"SELECT * FROM articles WHERE id IN ({marks})",
                                                                    article_ids)}
        out = {i: AnalyzedArticle(article=a) for i, a in articles.items()}
        for r in self._query(f"SELECT * FROM sentences WHERE article_id IN ({marks}) ORDER BY article_id, idx",
                             article_ids):
            out[r["article_id"]].sentences.append(Sentence(r["idx"], r["text"], r["start"], r["end_"]))
        for r in self._query(f"SELECT * FROM mentions WHERE article_id IN ({marks}) ORDER BY article_id, idx",
                             article_ids):
            out[r["article_id"]].mentions.append(Mention(
                kind=r["kind"], sentence=r["sentence"], start=r["start"], end=r["end_"], text=r["text"],
                label=r["label"] or "", value=r["value"] or "", extra=json.loads(r["extra"]) if r["extra"] else {}))
        for r in self._query(f"SELECT * FROM embeddings WHERE article_id IN ({marks})", article_ids):
            target, dim = out[r["article_id"]], r["dim"]
            if r["doc"] is not None:
                target.embedding = np.frombuffer(r["doc"], dtype=np.float32).copy()
            if r["sentences"] is not None and dim:
                target.sentence_embeddings = np.frombuffer(r["sentences"], dtype=np.float32).reshape(-1, dim).copy()
        missing = [i for i in article_ids if i not in out]
        if missing:
            raise NotFound(f"no article with id {missing[0]}")
        return [out[i] for i in article_ids]

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        # Order once, then stream the rows in pages: memory stays bounded by `batch` articles.
        ids = [r[0] for r in self._query(
            "SELECT id FROM articles ORDER BY (published_key IS NULL), published_key, added_at, id")]
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            marks = ",".join("?" * len(chunk))
            rows = {r["id"]: r for r in self._query(f"SELECT * FROM articles WHERE id IN ({marks})", chunk)}
            for i in chunk:
                yield self._article(rows[i])

    @staticmethod
    def _signature_statement(article_id: str, signature: bytes) -> tuple[str, tuple]:
        return ("INSERT INTO signatures (article_id, signature) VALUES (?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET signature = excluded.signature", (article_id, signature))

    def signatures(self, article_ids: list[str] | None = None) -> Iterator[tuple[str, bytes]]:
        if article_ids is not None:
            marks = ",".join("?" * len(article_ids))
            rows = self._query(f"SELECT article_id, signature FROM signatures WHERE article_id IN ({marks}) "
                               "ORDER BY article_id", article_ids) if article_ids else []
        else:
            rows = self._query("SELECT article_id, signature FROM signatures ORDER BY article_id")
        for r in rows:
            yield r[0], bytes(r[1])

    # ---- stories --------------------------------------------------------------------------------
    def _refresh_story(self, story_id: int) -> tuple[str, tuple]:
        """Recompute a story's dates and drop its cached comparison: membership changed."""
        return ("UPDATE stories SET comparison = NULL, "
                "first_published = (SELECT MIN(COALESCE(a.published_key, a.added_at)) FROM story_articles s "
                "  JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?), "
                "last_updated = (SELECT MAX(COALESCE(a.published_key, a.added_at)) FROM story_articles s "
                "  JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?) WHERE id = ?",
                (story_id, story_id, story_id))

    def create_story(self, article_ids: list[str], headline: str = "") -> int:
        with self._transaction() as run:
            story_id = int(run("INSERT INTO stories (headline, created_at) VALUES (?, ?) RETURNING id",
                               (headline, _now()))[0][0])
            for article_id in article_ids:
                run(UPSERT_MEMBER, (story_id, article_id))
            run(*self._refresh_story(story_id))
            run("INSERT INTO story_events (kind, story_id, article_id, at, reason) VALUES ('create', ?, ?, ?, ?)",
                (story_id, article_ids[0] if article_ids else None, _now(), "no existing story matched"))
        return story_id

    def add_to_story(self, story_id: int, article_id: str) -> None:
        story_id = self._resolve(story_id)
        old = self.story_of(article_id)
        statements = [(UPSERT_MEMBER, (story_id, article_id)), self._refresh_story(story_id)]
        if old is not None and old != story_id:
            statements.append(self._refresh_story(old))
        self._write(statements)

    def story_of(self, article_id: str) -> int | None:
        rows = self._query("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
        return int(rows[0][0]) if rows else None

    def unplaced_articles(self) -> list[str]:
        return [r[0] for r in self._query(
            "SELECT a.id FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id WHERE s.article_id IS NULL "
            "ORDER BY (a.published_key IS NULL), a.published_key, a.added_at, a.id")]

    def _resolve(self, story_id: int) -> int:
        """Follow merge redirects, so an old story link still opens the story it became part of."""
        seen = set()
        while story_id not in seen:
            seen.add(story_id)
            rows = self._query("SELECT merged_into FROM stories WHERE id = ?", (story_id,))
            if not rows:
                raise NotFound(f"no story with id {story_id}")
            if rows[0][0] is None:
                return story_id
            story_id = int(rows[0][0])
        return story_id

    def _stories(self, ids: list[int]) -> list[Story]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {r["id"]: r for r in self._query(f"SELECT * FROM stories WHERE id IN ({marks})", ids)}
        members: dict[int, list[Any]] = {i: [] for i in ids}
        for r in self._query(
                f"SELECT s.story_id, a.id, a.outlet, a.language FROM story_articles s JOIN articles a "
                f"ON a.id = s.article_id WHERE s.story_id IN ({marks}) "
                f"ORDER BY (a.published_key IS NULL), a.published_key, a.added_at, a.id", ids):
            members[r[0]].append(r)
        out = []
        for i in ids:
            r, m = rows[i], members[i]
            out.append(Story(id=i, headline=r["headline"] or "", article_ids=[x[1] for x in m],
                             first_published=_utc(r["first_published"]), last_updated=_utc(r["last_updated"]),
                             outlets=sorted({x[2] for x in m if x[2]}), languages=sorted({x[3] for x in m if x[3]}),
                             conflict_count=r["conflict_count"] or 0))
        return out

    def get_story(self, story_id: int) -> Story:
        return self._stories([self._resolve(int(story_id))])[0]

    def list_stories(self, *, q: str | None = None, entity: str | None = None, lang: str | None = None,
                     since: datetime | None = None, until: datetime | None = None, cursor: str | None = None,
                     limit: int = 20) -> tuple[list[Story], str | None]:
        where, params = ["st.merged_into IS NULL", "EXISTS (SELECT 1 FROM story_articles x WHERE x.story_id = st.id)"], []
        if q:
            clause, param = self._fulltext_filter(q)
            where.append(f"st.id IN ({clause})")
            params.append(param)
        if entity:
            where.append("st.id IN (SELECT sa.story_id FROM mentions m JOIN story_articles sa "
                         "ON sa.article_id = m.article_id WHERE m.kind = 'entity' AND m.value = ?)")
            params.append(fold_name(entity))
        if lang:
            where.append("st.id IN (SELECT sa.story_id FROM articles a JOIN story_articles sa "
                         "ON sa.article_id = a.id WHERE a.language = ?)")
            params.append(lang)
        if since:
            where.append("st.last_updated >= ?")
            params.append(_utc_key(since))
        if until:
            where.append("st.last_updated <= ?")
            params.append(_utc_key(until))
        if cursor:
            try:
                updated, sid = base64.urlsafe_b64decode(cursor.encode()).decode().rsplit("|", 1)
                sid_int = int(sid)
            except (ValueError, UnicodeDecodeError) as exc:
                raise StoreError(f"invalid cursor {cursor!r}") from exc
            where.append("(COALESCE(st.last_updated, ''), st.id) < (?, ?)")
            params += [updated, sid_int]
        limit = max(1, min(int(limit), 1000))
        rows = self._query(f"SELECT st.id, COALESCE(st.last_updated, '') AS lu FROM stories st WHERE {' AND '.join(where)} "
                           f"ORDER BY lu DESC, st.id DESC LIMIT ?", params + [limit + 1])
        page = rows[:limit]
        next_cursor = None
        if len(rows) > limit:
            last = page[-1]
            next_cursor = base64.urlsafe_b64encode(f"{last['lu']}|{last['id']}".encode()).decode()
        return self._stories([int(r["id"]) for r in page]), next_cursor

    def story_ids(self) -> list[int]:
        return [int(r[0]) for r in self._query(
            "SELECT id FROM stories WHERE merged_into IS NULL AND "
            "EXISTS (SELECT 1 FROM story_articles x WHERE x.story_id = stories.id) ORDER BY id")]

    def merge_stories(self, keep: int, absorb: int, reason: str) -> None:
        keep, absorb = self._resolve(keep), self._resolve(absorb)
        if keep == absorb:
            return
        self._write([
            ("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (keep, absorb)),
            ("UPDATE stories SET merged_into = ?, comparison = NULL WHERE id = ?", (keep, absorb)),
            self._refresh_story(keep),
            ("INSERT INTO story_events (kind, story_id, other_story_id, at, reason) VALUES ('merge', ?, ?, ?, ?)",
             (keep, absorb, _now(), reason)),
        ])

    def split_story(self, story_id: int, article_ids: list[str], reason: str, headline: str = "") -> int:
        story_id = self._resolve(story_id)
        with self._transaction() as run:
            new_id = int(run("INSERT INTO stories (headline, created_at) VALUES (?, ?) RETURNING id",
                             (headline, _now()))[0][0])
            for article_id in article_ids:
                run("UPDATE story_articles SET story_id = ? WHERE story_id = ? AND article_id = ?",
                    (new_id, story_id, article_id))
            run(*self._refresh_story(story_id))
            run(*self._refresh_story(new_id))
            run("INSERT INTO story_events (kind, story_id, other_story_id, at, reason) VALUES ('split', ?, ?, ?, ?)",
                (story_id, new_id, _now(), reason))
        return new_id

    def record_event(self, event: StoryEvent) -> None:
        self._write([("INSERT INTO story_events (kind, story_id, article_id, other_story_id, at, reason) "
                      "VALUES (?,?,?,?,?,?)",
                      (event.kind, event.story_id, event.article_id, event.other_story_id,
                       _utc_key(event.at) or _now(), event.reason))])

    @staticmethod
    def _event(r: Any) -> StoryEvent:
        return StoryEvent(kind=r["kind"], story_id=r["story_id"], article_id=r["article_id"],
                          other_story_id=r["other_story_id"], at=_utc(r["at"]), reason=r["reason"] or "", id=r["id"])

    def story_events(self, story_id: int) -> list[StoryEvent]:
        return [self._event(r) for r in self._query(
            "SELECT * FROM story_events WHERE story_id = ? OR other_story_id = ? ORDER BY id", (story_id, story_id))]

    def story_events_since(self, event_id: int) -> list[StoryEvent]:
        return [self._event(r) for r in self._query("SELECT * FROM story_events WHERE id > ? ORDER BY id", (event_id,))]

    def hand_edits(self) -> list[StoryEvent]:
        return [self._event(r) for r in self._query(
            "SELECT * FROM story_events WHERE kind IN ('merge', 'split') AND reason LIKE ? ORDER BY id", (f"{HAND}%",))]

    def update_story(self, story_id: int, *, members: list[str] | None = None, texts: list[str] | None = None,
                     **fields: Any) -> None:
        allowed = {"headline", "conflict_count", "comparison"}
        unknown = set(fields) - allowed
        if unknown:
            raise StoreError(f"cannot update story fields {sorted(unknown)}")
        if "comparison" in fields and fields["comparison"] is not None:
            fields["comparison"] = json.dumps(fields["comparison"], ensure_ascii=False, default=str)
        if fields:
            sets = ", ".join(f"{k} = ?" for k in fields)
            where, params = "id = ?", [self._resolve(story_id)]
            if members is not None:  # in the same statement: nothing can change the members between test and write
                marks = ",".join("?" * len(members)) or "NULL"
                where += (" AND (SELECT COUNT(*) FROM story_articles x WHERE x.story_id = stories.id) = ? AND NOT EXISTS "
                          f"(SELECT 1 FROM story_articles x WHERE x.story_id = stories.id AND x.article_id NOT IN ({marks}))")
                params += [len(members), *members]
            if texts is not None:  # and no member's text or headline replaced since (an outlet's update)
                marks = ",".join("?" * len(texts)) or "NULL"
                where += (" AND NOT EXISTS (SELECT 1 FROM story_articles x JOIN articles a ON a.id = x.article_id "
                          "WHERE x.story_id = stories.id AND (a.id || '|' || COALESCE(a.content_hash, '') || '|' || "
                          f"COALESCE(a.title, '')) NOT IN ({marks}))")
                params += texts
            self._write([(f"UPDATE stories SET {sets} WHERE {where}", list(fields.values()) + params)])

    def comparison_text(self, story_id: int) -> str | None:
        rows = self._query("SELECT comparison FROM stories WHERE id = ?", (self._resolve(story_id),))
        return rows[0][0] if rows and rows[0][0] else None

    def stories_compared_otherwise(self, story_ids: list[int], stamp: str) -> list[int]:
        if not story_ids:
            return []
        marks = ",".join("?" * len(story_ids))  # the stamp is hex: nothing in it is a LIKE wildcard
        return [int(r[0]) for r in self._query(
            f"SELECT id FROM stories WHERE id IN ({marks}) AND (comparison IS NULL OR comparison NOT LIKE ?) ORDER BY id",
            [*story_ids, f'%"made_by": "{stamp}"%'])]

    def stories_with_entity(self, name: str) -> list[int]:
        return [int(r[0]) for r in self._query(
            "SELECT DISTINCT sa.story_id FROM mentions m JOIN story_articles sa ON sa.article_id = m.article_id "
            "WHERE m.kind = 'entity' AND m.value = ? ORDER BY sa.story_id", (fold_name(name),))]

    # ---- misc ---------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        row = self._query("SELECT (SELECT COUNT(*) FROM articles), "
                          "(SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND "
                          "EXISTS (SELECT 1 FROM story_articles x WHERE x.story_id = stories.id))")[0]
        return {"articles": int(row[0]), "stories": int(row[1])}

    def revision(self) -> dict[str, int]:
        row = self._query("SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM story_articles), "
                          "(SELECT MAX(id) FROM story_events)")[0]
        return {"articles": int(row[0]), "placed": int(row[1]), "events": int(row[2] or 0)}

    def languages(self) -> list[str]:
        return [r[0] for r in self._query("SELECT DISTINCT language FROM articles WHERE language IS NOT NULL "
                                          "AND language <> '' ORDER BY 1")]

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self._query(sql)[0][0]  # noqa: E731
        return {
            "articles": one("SELECT COUNT(*) FROM articles"),
            "stories": len(self.story_ids()),
            "sources": one("SELECT COUNT(DISTINCT outlet) FROM articles WHERE outlet <> ''"),
            "languages": {r[0] or "und": r[1] for r in self._query(
                "SELECT language, COUNT(*) FROM articles GROUP BY language ORDER BY 2 DESC")},
            "duplicates": one("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL"),
            "mentions": one("SELECT COUNT(*) FROM mentions"),
            "db": self.url,
        }

