"""One reader per format: text/Markdown with front matter, JSON/JSONL exports, HTML pages, feeds.

Every reader takes bytes and a name (the file path or URL, used in error messages) and
returns articles plus InputErrors; a bad record never hides the good ones beside it.
"""
from __future__ import annotations

import json
from typing import Any

from crosswire.errors import InputError
from crosswire.ingest.frontmatter import FrontMatterError, split_front_matter
from crosswire.ingest.records import article_from_record
from crosswire.model import Article

Result = tuple[list[Article], list[InputError]]


def decode(data: bytes, name: str) -> str:
    """Bytes to text, refusing what is not text: empty, binary or not UTF-8."""
    if not data.strip():
        raise InputError(name, "empty file")
    if b"\x00" in data[:8192]:
        raise InputError(name, "binary file (contains NUL bytes), not a text, HTML, JSONL or feed document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"invalid UTF-8 at byte {exc.start}; convert the file to UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(data: bytes, name: str, origin: str | None = None) -> Result:
    text = decode(data, name)
    try:
        meta, body = split_front_matter(text)
    except FrontMatterError as exc:
        raise InputError(name, str(exc)) from None
    return [article_from_record({**meta, "text": body}, name, origin)], []


def _records(items: list[Any], name: str, label: str) -> Result:
    articles, errors = [], []
    for number, item in items:
        where = f"{name}: {label} {number}"
        if not isinstance(item, dict):
            errors.append(InputError(where, "expected a JSON object with a 'text' field"))
            continue
        try:
            articles.append(article_from_record(item, where, origin=name))
        except InputError as exc:
            errors.append(exc)
    return articles, errors


def read_jsonl(data: bytes, name: str) -> Result:
    text = decode(data, name)
    items, errors = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append(InputError(f"{name}: line {number}", f"invalid JSON ({exc.msg})"))
    articles, bad = _records(items, name, "line")
    return articles, errors + bad


def read_json(data: bytes, name: str) -> Result:
    try:
        value = json.loads(decode(data, name))
    except json.JSONDecodeError as exc:
        raise InputError(name, f"invalid JSON ({exc.msg} at line {exc.lineno})") from None
    items = value if isinstance(value, list) else [value]
    return _records(list(enumerate(items, start=1)), name, "item")


def read_html(data: bytes, name: str, url: str | None = None) -> Result:
    import trafilatura
    html = data.decode("utf-8", errors="replace") if b"\x00" not in data[:8192] else decode(data, name)
    if not html.strip():
        raise InputError(name, "empty file")
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      favor_precision=True)
    meta = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
    text = (meta.get("text") or "").strip()
    if len(text) < 20:
        raise InputError(name, "no article text found in the HTML page (navigation, an index or an empty page?)")
    published = meta.get("date")
    if not published:
        from htmldate import find_date
        published = find_date(html, url=url, extensive_search=False)
    record = {"text": text, "title": meta.get("title"), "outlet": meta.get("sitename") or meta.get("hostname"),
              "url": url or meta.get("url"), "published": published, "author": meta.get("author"),
              "lang": meta.get("language")}
    return [article_from_record(record, name)], []


def _html_to_text(fragment: str) -> str:
    if "<" not in fragment:
        return fragment
    from lxml import html as lxml_html
    try:
        root = lxml_html.fromstring(fragment)
    except Exception:  # lxml raises several types on junk markup
        return fragment
    for br in root.iter("br", "p", "div", "li"):
        br.tail = "\n" + (br.tail or "")
    return root.text_content().strip()


def read_feed(data: bytes, name: str) -> Result:
    import feedparser
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = "not a valid RSS/Atom feed" if parsed.bozo else "the feed has no entries"
        raise InputError(name, reason)
    outlet = parsed.feed.get("title", "")
    items = []
    for number, entry in enumerate(parsed.entries, start=1):
        content = entry.get("content") or []
        body = content[0].get("value", "") if content else entry.get("summary", "")
        items.append((number, {"text": _html_to_text(body), "title": entry.get("title"), "outlet": outlet,
                               "url": entry.get("link"), "author": entry.get("author"),
                               "published": entry.get("published") or entry.get("updated")}))
    return _records(items, name, "entry")
