"""Publication dates as outlets write them: ISO 8601, RFC 2822 (feeds), or a bare day."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

EARLIEST = datetime(1800, 1, 1)
FUTURE_SLACK = timedelta(days=366)
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[+-]\d{2}:?\d{2})?")
_WRITTEN_YEAR = re.compile(r"(?<!\d)\d{3,5}(?!\d)")  # outside the time of day: "0000", "2023", "10000"


def parse_published(value: object) -> datetime | None:
    """A datetime, or None when there is no usable date (never an exception: a bad date is not a bad article).

    None too for a date no report can carry, so that a placeholder never passes for a date: it would sort
    the article (and its story) first or last for ever, and it overflows when moved to UTC or when
    "yesterday" is resolved against it. Plausible means from 1800 (news archives; below are sentinels such
    as Go's and .NET's 0001-01-01, Windows' 1601-01-01 and SQL Server's 1753-01-01) to a year after today
    (clock skew, wrong offsets, embargoed items; beyond are 9999-12-31 and typos like 2203). A written
    year the parser did not keep is refused as well: email.utils reads ``01 Jan 0000`` as 2000 (its
    two-digit-year rule) and dateparser reads ``-2023-01-01`` (a year BC in ISO 8601) as 2023.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if _plausible(value) else None
    text = str(value).strip()
    if text.startswith("-"):  # ISO 8601's signed year, i.e. BC; dateparser would drop the sign
        return None
    if not any(c.isdigit() for c in text):  # "n/a", "NA", "unknown": dateparser read them as today or 1 January
        return None
    parsed = _parse(text)
    if parsed is None or not _plausible(parsed):
        return None
    written = {int(y) for y in _WRITTEN_YEAR.findall(_TIME_OF_DAY.sub(" ", text))}
    return parsed if not written or parsed.year in written else None


def _parse(text: str) -> datetime | None:
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


def _plausible(value: datetime) -> bool:
    """Compared as written (offset dropped): a day either way does not matter at these bounds."""
    return EARLIEST <= value.replace(tzinfo=None) <= datetime.now() + FUTURE_SLACK


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
