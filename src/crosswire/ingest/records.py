"""From raw metadata + body to an Article: the one place that decides what a valid report is."""
from __future__ import annotations

import re
from typing import Any

from crosswire.errors import InputError
from crosswire.ingest.timestamps import parse_published
from crosswire.model import Article

MIN_TEXT_CHARS = 20  # shorter than a sentence: an empty or broken export, not a report
# JSON may spell half of a UTF-16 pair ("\ud800") on its own; no UTF-8 hash or store can hold that,
# so it becomes U+FFFD like any other undecodable character rather than failing the whole batch.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def first_line_title(body: str) -> str:
    first = body.strip().split("\n", 1)[0].strip()
    return first if len(first) <= 200 else first[:200].rsplit(" ", 1)[0] + "…"


def article_from_record(record: dict[str, Any], source: str, origin: str | None = None,
                        min_chars: int = MIN_TEXT_CHARS) -> Article:
    """Build an Article from a dict with the documented field names (and their aliases). ``min_chars`` is
    lowered only for texts that are compared and never stored (two headlines side by side are fine there)."""
    text = record.get("text")
    text = LONE_SURROGATE.sub("\ufffd", text) if isinstance(text, str) else text
    if not isinstance(text, str) or len(text.strip()) < max(1, min_chars):
        raise InputError(source, _no_text(record, max(1, min_chars)))

    def field(*names: str) -> str | None:
        for name in names:
            value = record.get(name)
            if value not in (None, ""):
                return LONE_SURROGATE.sub("\ufffd", str(value)).strip()
        return None

    title = field("title") or first_line_title(text)
    when = field("published", "date")
    published = parse_published(when)
    article = Article.create(text, title=title, outlet=field("outlet", "source", "sitename") or "",
                             url=field("url", "link"), published=published,
                             language=(field("lang", "language") or None), author=field("author"),
                             origin=origin or source)
    article.notes = _record_notes(record, when, published)
    return article


def _no_text(record: dict[str, Any], min_chars: int) -> str:
    """Why a record has no article text, in the words of what it holds: a Markdown file's body is its text, so
    "field 'text' missing" misled there; a JSON record with "txt" or "Text" gets the field it meant."""
    import difflib
    if "text" in record:
        return f"no article text (the text is empty or under {min_chars} characters)"
    keys = [k for k in record if isinstance(k, str)]
    near = difflib.get_close_matches("text", [k.lower() for k in keys], n=1, cutoff=0.7)
    meant = next((k for k in keys if near and k.lower() == near[0]), None)
    return "no article text (no 'text' field" + (f"; did you mean {meant!r}?)" if meant else ")")


FIELDS = ("text", "title", "outlet", "source", "sitename", "url", "link", "published", "date", "lang", "language",
          "author")
ALIASES = ({"outlet", "source", "sitename"}, {"url", "link"}, {"published", "date"}, {"lang", "language"})


def _record_notes(record: dict[str, Any], when: str | None, published: Any) -> list[str]:
    """What a user would want to hear about the record: a field name one letter off a known one
    ("outet", "publihsed": its value would be dropped without a word), and a date that reads as none
    ("31/02/2024", a placeholder such as 0001-01-01). Other fields (a dataset's "cluster", "id") are
    left alone: records may carry any metadata."""
    import difflib
    notes = []
    for key in record:
        if isinstance(key, str) and key not in FIELDS:
            near = difflib.get_close_matches(key.lower(), FIELDS, n=1, cutoff=0.8)
            group = next((g for g in ALIASES if near and near[0] in g), set(near))
            if near and not group & record.keys():  # "sources" beside an "outlet" is not a misspelt outlet
                notes.append(f"field {key!r} is not one Crosswire reads (did you mean {near[0]!r}?); ignored")
    if when and published is None:
        notes.append(f"date {when!r} is not a publication date Crosswire can read (or lies before 1800 or more "
                     "than a year ahead); stored without a date")
    return notes
