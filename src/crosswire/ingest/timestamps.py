"""Publication dates as outlets write them: ISO 8601, RFC 2822 (feeds), or a bare day."""
from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime


def parse_published(value: object) -> datetime | None:
    """A datetime, or None when there is no usable date (never an exception: a bad date is not a bad article)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        import dateparser
        return dateparser.parse(text, settings={"RETURN_AS_TIMEZONE_AWARE": False,
                                                "PREFER_DAY_OF_MONTH": "first"})
    except Exception:  # dateparser raises assorted errors on junk
        return None


def date_in_url(url: str | None) -> datetime | None:
    """The day a URL's path names (``.../2021/10/18/...``), as htmldate reads it for an HTML page; None when it
    names none. Why: many outlets put the publication day in the path, and some inputs (SemEval's pairs, a
    front matter with only ``url:``) carry no other date."""
    if not url:
        return None
    try:
        from htmldate import find_date
        found = find_date("<html><body></body></html>", url=url, extensive_search=False)
    except Exception:  # htmldate raises assorted errors on junk URLs
        return None
    return datetime.fromisoformat(found) if found else None
