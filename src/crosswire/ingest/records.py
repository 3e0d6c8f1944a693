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
        raise InputError(source, "no article text (field 'text' missing, empty or under "
                                 f"{max(1, min_chars)} characters)")

    def field(*names: str) -> str | None:
        for name in names:
            value = record.get(name)
            if value not in (None, ""):
                return LONE_SURROGATE.sub("\ufffd", str(value)).strip()
        return None

    title = field("title") or first_line_title(text)
    return Article.create(text, title=title, outlet=field("outlet", "source", "sitename") or "",
                          url=field("url", "link"), published=parse_published(field("published", "date")),
                          language=(field("lang", "language") or None), author=field("author"),
                          origin=origin or source)
