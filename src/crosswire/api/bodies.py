"""Turning a request body into Articles, by Content-Type.

All real parsing belongs to `crosswire.ingest.parse_body`, so an article posted to the API is read
exactly like a file given to the CLI. Only if that stage is not installed do we fall back to reading
plain JSON / text ourselves, so the server still starts.
"""
from __future__ import annotations

import json
from typing import Any

from crosswire.config import Settings
from crosswire.errors import InputError
from crosswire.ingest.records import MIN_TEXT_CHARS, article_from_record
from crosswire.model import Article

JSON_FIELDS = ("title", "text", "outlet", "published", "url", "lang", "author")


def parse_articles(data: bytes, content_type: str, name: str, settings: Settings) -> tuple[list[Article], list[str]]:
    """(articles, error lines) from a request body."""
    try:
        from crosswire.ingest import parse_body
    except ImportError:
        return _fallback(data, content_type, name), []
    batch = parse_body(data, content_type, name, settings)
    return list(batch.articles), [str(e) for e in batch.errors]


def article_from_json(record: dict[str, Any], source: str, stored: bool = True) -> Article:
    """One `{"title","text","outlet","published","url","lang","author"}` object (a /compare item, the pasted
    form), read by the same record reader as a JSON body or a file: why, so one article gets the same checks
    (minimum text length), the same title (its first line when none is given) and the same date parsing
    (ISO, RFC 2822, "18 Oct 2021") whichever way it arrives. Texts compared without being stored
    (``stored=False``) may be short: two headlines or snippets side by side are a fair question."""
    if not isinstance(record, dict):
        raise InputError(source, "each article must be a JSON object")
    return article_from_record(record, source, min_chars=MIN_TEXT_CHARS if stored else 1)


def _fallback(data: bytes, content_type: str, name: str) -> list[Article]:
    kind = content_type.split(";")[0].strip().lower()
    text = data.decode("utf-8", errors="replace")
    if kind in ("application/json",):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(name, f"not valid JSON: {exc.msg}") from None
        records = value if isinstance(value, list) else [value]
        return [article_from_json(r, f"{name}[{i}]") for i, r in enumerate(records)]
    if kind in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        out = []
        for i, line in enumerate(text.splitlines()):
            if line.strip():
                try:
                    out.append(article_from_json(json.loads(line), f"{name}:{i + 1}"))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{name}:{i + 1}", f"not valid JSON: {exc.msg}") from None
        return out
    if kind.startswith("text/"):
        if not text.strip():
            raise InputError(name, "empty body")
        return [article_from_record({"text": text}, name)]
    raise InputError(name, f"unsupported Content-Type {content_type!r}")
