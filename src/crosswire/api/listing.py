"""The story list's filters, checked once for the JSON API and the pages.

Why here and not in the store: the store trusts its arguments (a date it can move to UTC, a cursor
it handed out, search text its full-text engine can parse), but these come straight from a URL.
A mistyped or hostile value must be answered as the client's mistake (422 naming the parameter),
not as a 500 (date or integer overflow) or a 503 (the search engine's syntax error read as an outage).
"""
from __future__ import annotations

import base64
import re
from datetime import datetime, time, timedelta, timezone

from crosswire.api.errors import ApiError
from crosswire.model import Story
from crosswire.store import MAX_STORY_ID


def search_text(value: str | None) -> str | None:
    """Text to search for, or None for no filter. NUL ends a string in SQLite's FTS5 query parser and
    Postgres refuses it, and text that is only whitespace makes an empty MATCH, so both are dropped:
    any text a user types then searches safely (the store quotes every word)."""
    if not value:
        return None
    return " ".join(value.replace("\x00", " ").split()) or None


def plain_text(value: str | None) -> str | None:
    """An entity or language filter without NULs (Postgres refuses them in a string), or None."""
    value = (value or "").replace("\x00", "")
    return value if value.strip() else None


def utc_bound(value: datetime | None) -> datetime | None:
    """A since/until bound as naive UTC. An offset that moves it before year 1 or past year 9999 cannot be
    converted (OverflowError), but it still has a meaning: before or after every stored story, so it is
    clamped to that end instead of failing."""
    if value is None or value.tzinfo is None or value.utcoffset() is None:
        return value
    try:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        return datetime.min if value.utcoffset() > timedelta(0) else datetime.max


DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_bound(value: str | None, name: str) -> datetime | None:
    """A since/until typed into the pages' form, read exactly as the API reads its typed query parameters
    (pydantic's datetime: ISO 8601 date or date-time), so a value means the same on both; 422 naming it else."""
    if not value:
        return None
    from pydantic import TypeAdapter, ValidationError
    try:
        if value.strip().lstrip("+-").replace(".", "", 1).isdigit():  # pydantic reads "2023" as a Unix timestamp
            raise ValueError(value)
        return TypeAdapter(datetime).validate_python(value)
    except (ValidationError, ValueError):
        raise ApiError(422, f"{name}: not a date: {value!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None


def until_bound(until: datetime | None, written: str | None) -> datetime | None:
    """`until` as an inclusive upper bound. Written as a date alone (``2023-01-25``) it means that whole day,
    up to its last instant: read as midnight, a single-day search (since = until = the day) found nothing.
    A date-time keeps its exact meaning."""
    if until is None or not written or not DAY.fullmatch(written):
        return until
    return datetime.combine(until.date(), time.max, until.tzinfo)


def checked_cursor(cursor: str | None) -> str | None:
    """The cursor if it has the shape the store hands out (`base64("<last update>|<story id>")`), else 422.
    Checked here because a forged id past 64 bits overflows the database driver (a 500), not a StoreError."""
    if not cursor:
        return None
    try:
        updated, story_id = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8").rsplit("|", 1)
        if updated:
            datetime.fromisoformat(updated)
        if 0 <= int(story_id) <= MAX_STORY_ID:
            return cursor
    except (ValueError, UnicodeError):
        pass
    raise ApiError(422, "invalid cursor: not one this server handed out (start again from the first page)")


def list_stories(store, *, q: str | None = None, entity: str | None = None, lang: str | None = None,
                 since: datetime | None = None, until: datetime | None = None, until_written: str | None = None,
                 cursor: str | None = None, limit: int = 20) -> tuple[list[Story], str | None]:
    """`store.list_stories` with every filter from a URL made safe first (see the module docstring).
    `until_written` is `until` as the URL spelled it: a date alone includes that whole day (`until_bound`).
    A language code is matched in lower case, as the store keeps it ("FR" found nothing); a range that ends before
    it starts is refused, since it can only be a typo (it answered an empty list)."""
    since, until = utc_bound(since), utc_bound(until_bound(until, until_written))
    if since is not None and until is not None and since > until:
        raise ApiError(422, f"since ({since:%Y-%m-%d %H:%M}) is after until ({until:%Y-%m-%d %H:%M}): "
                            "no story can be in between")
    lang = plain_text(lang)
    return store.list_stories(q=search_text(q), entity=plain_text(entity), lang=lang.strip().lower() if lang else None,
                              since=since, until=until, cursor=checked_cursor(cursor), limit=limit)
