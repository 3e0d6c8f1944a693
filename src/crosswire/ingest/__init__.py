"""Ingest: files, folders, HTML pages, JSON/JSONL exports, RSS/Atom feeds, URLs and API bodies -> Article.

Readers never raise for one bad input: each problem becomes an InputError naming the input
and the reason, and the rest of the batch is read. Identity (Article.id) depends only on the
content and where it came from, so reading the same folder twice yields the same articles.
"""
from __future__ import annotations

import os
from pathlib import Path

from crosswire.config import Settings
from crosswire.errors import InputError
from crosswire.ingest import formats
from crosswire.model import IngestBatch

READERS = {  # extension -> reader(bytes, name) -> (articles, errors)
    ".txt": formats.read_text, ".md": formats.read_text, ".markdown": formats.read_text,
    ".jsonl": formats.read_jsonl, ".ndjson": formats.read_jsonl, ".json": formats.read_json,
    ".html": formats.read_html, ".htm": formats.read_html,
    ".xml": formats.read_feed, ".rss": formats.read_feed, ".atom": formats.read_feed,
}
CONTENT_TYPES = {  # API bodies: media type -> reader
    "text/plain": formats.read_text, "text/markdown": formats.read_text,
    "application/json": formats.read_json, "application/x-ndjson": formats.read_jsonl,
    "application/jsonl": formats.read_jsonl, "application/json-lines": formats.read_jsonl,
    "text/html": formats.read_html, "application/rss+xml": formats.read_feed,
    "application/atom+xml": formats.read_feed, "application/xml": formats.read_feed, "text/xml": formats.read_feed,
}


def _max_bytes(settings: Settings | None) -> int:
    return int(settings.get("ingest", "max_file_bytes", 20_000_000)) if settings else 20_000_000


def _read(reader, data: bytes, name: str) -> IngestBatch:
    try:
        articles, errors = reader(data, name)
        return IngestBatch(articles, errors)
    except InputError as exc:
        return IngestBatch([], [exc])


def _files(path: Path) -> list[Path]:
    """A folder's readable files, recursively, in a stable order; hidden entries skipped."""
    found = []
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / f for f in sorted(files)
                  if not f.startswith(".") and Path(f).suffix.lower() in READERS and f.lower() != "readme.md"]
    return found


def read_file(path: Path, settings: Settings | None = None) -> IngestBatch:
    name = str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return IngestBatch([], [InputError(name, f"unsupported file type '{path.suffix or '(none)'}'; "
                                                 f"expected one of {', '.join(sorted(READERS))}")])
    try:
        size = path.stat().st_size
        if size > _max_bytes(settings):
            return IngestBatch([], [InputError(name, f"file too large ({size:,} bytes; the limit is "
                                                     f"{_max_bytes(settings):,}, setting ingest.max_file_bytes)")])
        data = path.read_bytes()
    except OSError as exc:
        return IngestBatch([], [InputError(name, f"cannot read ({exc.strerror or exc})")])
    return _read(reader, data, name)


def read_paths(paths: list[str], settings: Settings | None = None) -> IngestBatch:
    """Files and folders (recursively). README.md files in folders are documentation, not reports."""
    batch = IngestBatch()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for file in _files(path):
                batch.extend(read_file(file, settings))
        elif path.exists():
            batch.extend(read_file(path, settings))
        else:
            batch.errors.append(InputError(raw, "no such file or folder"))
    return batch


def parse_body(data: bytes, content_type: str, name: str = "request body",
               settings: Settings | None = None) -> IngestBatch:
    """An HTTP request body, read by its Content-Type."""
    media = (content_type or "").split(";")[0].strip().lower()
    reader = CONTENT_TYPES.get(media)
    if reader is None:
        return IngestBatch([], [InputError(name, f"unsupported Content-Type '{media or '(none)'}'; expected one of "
                                                 f"{', '.join(sorted(CONTENT_TYPES))}")])
    if len(data) > _max_bytes(settings):
        return IngestBatch([], [InputError(name, f"body too large ({len(data):,} bytes)")])
    return _read(reader, data, name)


def fetch_url(url: str, settings: Settings | None = None) -> IngestBatch:
    """A web page or feed by URL: the page's article, or every entry of a feed."""
    from crosswire.ingest.web import download
    try:
        data, media = download(url, _max_bytes(settings))
    except InputError as exc:
        return IngestBatch([], [exc])
    if "html" in media:
        return _read(lambda d, n: formats.read_html(d, n, url=url), data, url)
    if "xml" in media or "rss" in media or "atom" in media:
        return _read(formats.read_feed, data, url)
    if media in CONTENT_TYPES:
        return _read(CONTENT_TYPES[media], data, url)
    return IngestBatch([], [InputError(url, f"unsupported content type '{media}'")])


def read_feed(url_or_path: str, settings: Settings | None = None) -> IngestBatch:
    """An RSS/Atom feed from a URL or a file."""
    if url_or_path.startswith(("http://", "https://")):
        return fetch_url(url_or_path, settings)
    return read_file(Path(url_or_path), settings) if Path(url_or_path).suffix.lower() in READERS else \
        _read(formats.read_feed, Path(url_or_path).read_bytes(), url_or_path)


__all__ = ["read_paths", "read_file", "parse_body", "fetch_url", "read_feed", "READERS", "CONTENT_TYPES"]
