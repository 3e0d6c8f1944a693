"""Ingest: files, folders, HTML pages, JSON/JSONL exports, RSS/Atom feeds, URLs and API bodies -> Article.

Readers never raise for one bad input: each problem becomes an InputError naming the input
and the reason, and the rest of the batch is read. Identity (Article.id) depends only on the
content and where it came from, so reading the same folder twice yields the same articles.
"""
from __future__ import annotations

import os
import re
import stat
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


def _read(reader, data: bytes, name: str, **options) -> IngestBatch:
    try:
        articles, errors = reader(data, name, **options)
        return IngestBatch(articles, errors)
    except InputError as exc:
        return IngestBatch([], [exc])


def _shown(path: Path | str) -> str:
    """A path as printable, storable text. A file name that is not UTF-8 reaches Python as surrogate
    escapes, which no terminal, hash or database takes; its bad bytes show as U+FFFD instead."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def _files(path: Path) -> list[Path]:
    """A folder's readable files, recursively, in a stable order; hidden entries skipped."""
    found = []
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / f for f in sorted(files)
                  if not f.startswith(".") and Path(f).suffix.lower() in READERS and f.lower() != "readme.md"]
    return found


def _nothing_readable(path: Path) -> InputError:
    """A folder without a single report file says so, naming what it skipped (.pdf, .docx...), rather
    than reporting '0 new articles' as if all had gone well."""
    kinds = sorted({Path(f).suffix.lower() or "(no extension)" for root, dirs, files in os.walk(path)
                    for f in files if not f.startswith(".") and Path(f).suffix.lower() not in READERS})
    skipped = f" (skipped {', '.join(kinds)} files)" if kinds else ""
    return InputError(_shown(path), f"no readable article files found{skipped}; "
                                    f"expected {', '.join(sorted(READERS))}")


def _load(path: Path, name: str, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit``. A FIFO, /dev/zero or a socket reports size 0 and then
    blocks or never ends, so only regular files are opened, and the read stops past the limit anyway."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(name, "not a regular file (a FIFO, device or socket); save the report to a file")
        data = b""
        if info.st_size <= limit:
            with path.open("rb") as fh:
                data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(name, f"cannot read ({exc.strerror or exc})") from None
    size = max(info.st_size, len(data))
    if size > limit:
        raise InputError(name, f"file too large ({size:,} bytes; the limit is {limit:,}, "
                               "setting ingest.max_file_bytes)")
    return data


def read_file(path: Path, settings: Settings | None = None) -> IngestBatch:
    name = _shown(path)
    if path.is_dir():  # callers that take one file (similarity): "unsupported file type '(none)'" misled
        return IngestBatch([], [InputError(name, "is a folder, not a file")])
    if not path.exists() and not path.is_symlink():
        return IngestBatch([], [InputError(name, "no such file")])
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return IngestBatch([], [InputError(name, f"unsupported file type '{_shown(path.suffix) or '(none)'}'; "
                                                 f"expected one of {', '.join(sorted(READERS))}")])
    try:
        data = _load(path, name, _max_bytes(settings))
    except InputError as exc:
        return IngestBatch([], [exc])
    return _read(reader, data, name)


URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")  # two letters at least: not a Windows drive


def _scheme(raw: str) -> str | None:
    found = URL_SCHEME.match(raw)
    return found.group(1).lower() if found else None


def read_paths(paths: list[str], settings: Settings | None = None, settle_s: float = 0.0,
               waited: frozenset[str] = frozenset()) -> IngestBatch:
    """Files and folders (recursively). README.md files in folders are documentation, not reports.
    What is neither but looks like a URL (HTTP://..., file:///...) is fetched or refused as a URL.

    ``settle_s`` (a polling ingest of folders that grow): a file in a folder changed less than this many
    seconds ago is left for the next round (``IngestBatch.waiting``), since it may still be being written.
    Read half-written, it would be stored as one report and the finished file as another, two "sources" that
    agree. A file that already waited a round (``waited``) is read whatever its age: one appended to every
    second would otherwise never be."""
    batch = IngestBatch()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            files = _files(path)
            for file in files:
                if settle_s and str(file) not in waited and _changed_within(file, settle_s):
                    batch.waiting.append(str(file))
                    continue
                batch.extend(read_file(file, settings))
            if not files:
                batch.errors.append(_nothing_readable(path))
        elif path.exists():
            batch.extend(read_file(path, settings))
        elif _scheme(raw):
            batch.extend(fetch_url(raw, settings))
        else:
            batch.errors.append(InputError(_shown(raw), "no such file or folder"))
    return batch


def _changed_within(path: Path, seconds: float) -> bool:
    import time
    try:
        return abs(time.time() - path.stat().st_mtime) < seconds  # abs: a clock-skewed mtime ahead of now too
    except OSError:  # gone or unreadable: read_file reports it
        return False


def _content_type(header: str) -> tuple[str, str | None]:
    """('text/html', 'iso-8859-1') from 'text/html; charset="ISO-8859-1"'."""
    media, *params = (header or "").split(";")
    charsets = [value.strip().strip("\"'") for key, _, value in (p.partition("=") for p in params)
                if key.strip().lower() == "charset"]
    return media.strip().lower(), (charsets[0] or None) if charsets else None


def parse_body(data: bytes, content_type: str, name: str = "request body",
               settings: Settings | None = None) -> IngestBatch:
    """An HTTP request body, read by its Content-Type."""
    media, charset = _content_type(content_type)
    reader = CONTENT_TYPES.get(media)
    if reader is None:
        return IngestBatch([], [InputError(name, f"unsupported Content-Type '{media or '(none)'}'; expected one of "
                                                 f"{', '.join(sorted(CONTENT_TYPES))}")])
    if len(data) > _max_bytes(settings):
        return IngestBatch([], [InputError(name, f"body too large ({len(data):,} bytes)")])
    return _read(reader, data, name, charset=charset)


def fetch_url(url: str, settings: Settings | None = None) -> IngestBatch:
    """A web page or feed by URL: the page's article, or every entry of a feed."""
    from crosswire.ingest.web import download
    url = _shown(url)  # from a command line that is not UTF-8
    if _scheme(url) not in ("http", "https"):
        return IngestBatch([], [InputError(url, f"unsupported URL scheme '{_scheme(url) or '(none)'}:'; "
                                                "expected http:// or https://")])
    try:
        deadline = float(settings.get("ingest", "download_deadline", 60.0)) if settings else 60.0
        data, content_type = download(url, _max_bytes(settings), deadline)
    except InputError as exc:
        return IngestBatch([], [exc])
    media, charset = _content_type(content_type)
    if "html" in media:
        return _read(formats.read_html, data, url, url=url, charset=charset)
    if "xml" in media or "rss" in media or "atom" in media:
        return _read(formats.read_feed, data, url, charset=charset)
    if media in CONTENT_TYPES:
        return _read(CONTENT_TYPES[media], data, url, charset=charset)
    return IngestBatch([], [InputError(url, f"unsupported content type '{media}'")])


def read_feed(url_or_path: str, settings: Settings | None = None) -> IngestBatch:
    """An RSS/Atom feed from a URL or a file."""
    if _scheme(url_or_path) in ("http", "https"):
        return fetch_url(url_or_path, settings)
    path = Path(url_or_path)
    if path.suffix.lower() in READERS:
        return read_file(path, settings)
    try:
        data = _load(path, _shown(path), _max_bytes(settings))
    except InputError as exc:
        return IngestBatch([], [exc])
    return _read(formats.read_feed, data, _shown(path))


__all__ = ["read_paths", "read_file", "parse_body", "fetch_url", "read_feed", "READERS", "CONTENT_TYPES"]
