"""The data that flows through the pipeline, in one place.

Every stage takes and returns these classes, and nothing else: ``ingest`` makes
:class:`Article`, ``nlp`` makes :class:`AnalyzedArticle`, ``stories`` makes
:class:`Story`, ``compare`` makes :class:`Comparison`, which ``brief`` renders.
Keeping them here (plain dataclasses, no behaviour beyond (de)serialisation) is
what lets a stage be replaced without reading the others.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

MentionKind = Literal["entity", "date", "quantity", "quote"]
FactStatus = Literal["agree", "conflict", "single"]
ConflictKind = Literal["number", "date", "year", "weekday", "negation", "name", "quote", "other"]
DatePrecision = Literal["day", "month", "year"]


def normalise_text(text: str) -> str:
    """Unicode NFC, unified line ends, trimmed lines: the form hashed for identity."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def content_hash(text: str) -> str:
    """Identity of an article's body: whitespace- and case-insensitive sha256."""
    folded = re.sub(r"\s+", " ", normalise_text(text)).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|ocid|cmpid|_ga)$", re.I)


def canonical_url(url: str) -> str:
    """One address for one page: a feed's "?utm_source=rss" copy, http or https, "www." or not, a trailing slash or
    a "#comments" fragment all name the report the plain address names. Other query parameters stay (they can
    select the page)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
        port = parts.port
    except ValueError:
        return url.strip()
    if parts.scheme.lower() not in ("http", "https") or not host:
        return url.strip()
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    fragment = parts.fragment.rstrip("/") if parts.fragment.startswith(("!", "/")) else ""  # "#!/news/101": a page
    fragment = "" if fragment in ("", "!") else fragment
    return urlunsplit(("https", netloc, parts.path.rstrip("/") or "/", query, fragment))


def article_id(text: str, outlet: str = "", url: str | None = None) -> str:
    """Stable id: the same report from the same place always gets the same id.

    A URL identifies a report on its own (``canonical_url``: tracking parameters and the like aside); without one,
    outlet + body do. So the same wire text from two outlets is two articles (marked as copies), but the same file
    ingested twice is one.
    """
    key = f"url:{canonical_url(url)}" if url else f"text:{outlet.strip().casefold()}:{content_hash(text)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def outlet_article_id(url: str, outlet: str) -> str:
    """The id of one outlet's report at an address another outlet's report already has (one URL for a syndicated
    story): the canonical address and the outlet, kept apart so no part of the outlet is read as part of the URL."""
    key = f"url:{canonical_url(url)}\noutlet:{' '.join(outlet.split()).casefold()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def stored_id(url: str) -> str:
    """The id an article with this URL got before addresses were made canonical (``article_id`` then hashed the
    URL as written): a store made then is still found by it."""
    return hashlib.sha256(f"url:{url.strip()}".encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One news report as ingested, before any analysis."""

    id: str
    text: str
    title: str = ""
    outlet: str = ""
    url: str | None = None
    published: datetime | None = None
    language: str | None = None
    author: str | None = None
    content_hash: str = ""
    origin: str | None = None  # the file path or URL it came from
    duplicate_of: str | None = None  # set when it is a (near-)copy of an earlier article
    # what reading it noticed and the user should hear (a misspelt field, a date that is not one); not stored:
    # the ingest report carries them as notes
    notes: list[str] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def create(cls, text: str, **fields: Any) -> "Article":
        """Build an article with its id and content hash filled in."""
        text = normalise_text(text)
        outlet = fields.pop("outlet", "") or ""
        url = fields.pop("url", None) or None
        return cls(id=article_id(text, outlet, url), text=text, outlet=outlet, url=url,
                   content_hash=content_hash(text), **fields)


@dataclass
class Sentence:
    index: int
    text: str
    start: int  # character offsets into Article.text
    end: int


@dataclass
class Mention:
    """Something the NLP stage found in a sentence.

    kind      entity | date | quantity | quote
    text      the surface form as written ("Jan. 18", "2,000 soldiers", "Ibrahim Traore")
    label     entity: PERSON/ORG/GPE/LOC/NORP/EVENT/MISC; date: day/month/year (precision);
              quantity: the counted noun or unit ("soldiers", "km", "%"); quote: the speaker
    value     normalised value: date ISO "2023-01-23" | "2023-01" | "2023"; quantity "2000";
              entity a folded key ("ibrahim traore"); quote the quoted words
    extra     anything else a stage wants to keep (e.g. {"weekday": "Monday", "relative": true})
    """

    kind: MentionKind
    sentence: int
    start: int
    end: int
    text: str
    label: str = ""
    value: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AnalyzedArticle:
    """An article with everything the NLP stage computed for it."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    embedding: Any = None  # numpy float32 (dim,), L2-normalised: title + lead
    sentence_embeddings: Any = None  # numpy float32 (n_sentences, dim), L2-normalised

    def mentions_of(self, kind: MentionKind, sentence: int | None = None) -> list[Mention]:
        return [m for m in self.mentions
                if m.kind == kind and (sentence is None or m.sentence == sentence)]


@dataclass
class Story:
    """A group of articles about one event. Ids are stable integers."""

    id: int
    headline: str = ""
    article_ids: list[str] = field(default_factory=list)
    first_published: datetime | None = None
    last_updated: datetime | None = None
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    conflict_count: int = 0


@dataclass
class StoryEvent:
    """A recorded change to story membership (late evidence merges or splits)."""

    kind: Literal["create", "join", "merge", "split", "update"]  # update: a member's outlet changed its text
    story_id: int
    article_id: str | None = None
    other_story_id: int | None = None
    at: datetime | None = None
    reason: str = ""
    id: int | None = None  # the store's event number: the order events happened in (``at`` has one-second steps)


@dataclass
class Change:
    """One thing an outlet changed when it updated a report: a value stated otherwise ("12 dead" -> "15 dead"),
    or a sentence added or taken out (``kind`` "added" / "removed": one side empty)."""

    kind: str  # a ConflictKind for a changed value, else "added" or "removed"
    before: str = ""  # the value (or sentence) in the earlier text
    after: str = ""
    before_sentence: str = ""
    after_sentence: str = ""


@dataclass
class ArticleVersion:
    """An earlier text of a stored report. A feed re-sends an article its outlet updated at the same URL (a
    death toll rises, a name is corrected); the store keeps the text it replaced, so nothing stored is lost and
    a briefing can say what the outlet changed."""

    article_id: str
    version: int  # 1 = the first text stored; the current text is the one after the last kept version
    title: str
    text: str
    content_hash: str
    published: str | None
    replaced_at: str  # when the next text replaced this one (UTC, ISO)
    changes: list[Change] = field(default_factory=list)  # from this text to the one that replaced it


# ---- comparison (the output of `compare`, the input of `brief`) -------------------------

@dataclass
class SourceRef:
    """A source as cited in a comparison: ``id`` is the citation number [1], [2], ..."""

    id: int
    article_id: str
    outlet: str
    title: str
    published: str | None  # ISO date or datetime
    lang: str | None
    url: str | None = None
    duplicate_of: int | None = None  # citation number of the source this one copies


@dataclass
class ResolvedEntity:
    """One real-world entity, merged across spellings and languages."""

    name: str
    type: str
    variants: list[str]
    sources: list[int]


@dataclass
class Statement:
    source: int
    text: str
    sentence: int = -1


@dataclass
class Conflict:
    """Sources state one fact in incompatible ways: values maps citation number -> value."""

    kind: ConflictKind
    values: dict[int, str]
    sentences: dict[int, str] = field(default_factory=dict)


@dataclass
class AgreedValue:
    """A value every citing source states the same way (after normalisation): "400" soldiers."""

    kind: str  # number | date | year | weekday
    value: str  # normalised
    text: str  # as the first source writes it
    sources: list[int] = field(default_factory=list)


@dataclass
class Fact:
    status: FactStatus
    statements: list[Statement]
    conflicts: list[Conflict] = field(default_factory=list)
    agreed: list[AgreedValue] = field(default_factory=list)


@dataclass
class TimelineEntry:
    date: str  # YYYY-MM-DD | YYYY-MM | YYYY
    text: str
    sources: list[int]
    precision: DatePrecision = "day"


@dataclass
class SourceUpdate:
    """One update of a cited source by its own outlet (an ``ArticleVersion`` replaced): what it changed."""

    source: int  # citation number
    version: int  # the text replaced: 1 = the first one stored
    replaced_at: str
    changes: list[Change] = field(default_factory=list)
    reprinted_by: list[int] = field(default_factory=list)  # copies (citation numbers) that still carry the replaced text


@dataclass
class Comparison:
    """Everything the sources of one story say, aligned."""

    sources: list[SourceRef]
    entities: list[ResolvedEntity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    headline: str = ""
    story_id: int | None = None
    updates: list[SourceUpdate] = field(default_factory=list)  # sources their outlets updated, oldest first

    def to_record(self) -> dict[str, Any]:
        """Everything, for caching in the store (the public JSON drops some detail)."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Comparison":
        def conflict(c: dict[str, Any]) -> Conflict:
            return Conflict(kind=c["kind"], values={int(k): v for k, v in c["values"].items()},
                            sentences={int(k): v for k, v in c.get("sentences", {}).items()})
        return cls(
            sources=[SourceRef(**s) for s in record.get("sources", [])],
            entities=[ResolvedEntity(**e) for e in record.get("entities", [])],
            facts=[Fact(status=f["status"], statements=[Statement(**s) for s in f["statements"]],
                        conflicts=[conflict(c) for c in f.get("conflicts", [])],
                        agreed=[AgreedValue(**v) for v in f.get("agreed", [])])
                   for f in record.get("facts", [])],
            timeline=[TimelineEntry(**t) for t in record.get("timeline", [])],
            headline=record.get("headline", ""), story_id=record.get("story_id"),
            updates=[SourceUpdate(source=u["source"], version=u["version"], replaced_at=u["replaced_at"],
                                  changes=[Change(**c) for c in u.get("changes", [])],
                                  reprinted_by=list(u.get("reprinted_by", [])))
                     for u in record.get("updates", [])])

    def conflict_count(self) -> int:
        return sum(len(f.conflicts) or 1 for f in self.facts if f.status == "conflict")

    def to_dict(self) -> dict[str, Any]:
        """The public JSON schema (`crosswire compare --json`, `GET /api/v1/stories/{id}`)."""
        return {
            "story_id": self.story_id,
            "headline": self.headline,
            "sources": [asdict(s) for s in self.sources],
            "entities": [asdict(e) for e in self.entities],
            "facts": [
                {
                    "status": f.status,
                    "statements": [{"source": s.source, "text": s.text} for s in f.statements],
                    "conflicts": [{"kind": c.kind,
                                   "values": {str(k): v for k, v in c.values.items()}}
                                  for c in f.conflicts],
                    "agreed": [asdict(v) for v in f.agreed],
                }
                for f in self.facts
            ],
            "timeline": [{"date": t.date, "text": t.text, "sources": t.sources}
                         for t in self.timeline],
            "updates": [asdict(u) for u in self.updates],
        }


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class IngestReport:
    """What one ingest call did (CLI `ingest`, API `POST /api/v1/articles`)."""

    added: list[str] = field(default_factory=list)  # article ids newly stored
    already_stored: list[str] = field(default_factory=list)  # ids seen before: nothing changed
    # ids stored before whose outlet sent a new text (same URL): stored in place, the earlier text kept
    updated: list[str] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)  # article id -> id of the article it copies
    stories: dict[str, int] = field(default_factory=dict)  # article id -> story id it joined
    # ids an earlier call stored and could not place (it failed or was killed in between), placed by this one
    placed_late: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line each: "<source>: <reason>"
    # stored, but not as a reader might assume: one line each, "<source>: <what>" (a text analysed only in part)
    notes: list[str] = field(default_factory=list)
    # where the story index came from: "kept" (this process's last call), "saved" (the file the last
    # process left), "built" (from every stored analysis: the slow way), "" (no article to place)
    story_index: str = ""
    # merges and splits this call's articles caused, one line each ("story 2 merged into story 1: <reason>"): a
    # story a user just saw must not vanish into another without a word (`crosswire history` has them all)
    story_changes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestBatch:
    """What a reader produced: the articles it could read and one error per input it could not."""

    articles: list[Article] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)  # crosswire.errors.InputError
    waiting: list[str] = field(default_factory=list)  # files left for the next polling round (maybe half-written)

    def extend(self, other: "IngestBatch") -> None:
        self.articles.extend(other.articles)
        self.errors.extend(other.errors)
        self.waiting.extend(other.waiting)
