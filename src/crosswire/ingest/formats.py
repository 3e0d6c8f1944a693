"""One reader per format: text/Markdown with front matter, JSON/JSONL exports, HTML pages, feeds.

Every reader takes bytes and a name (the file path or URL, used in error messages) and
returns articles plus InputErrors; a bad record never hides the good ones beside it.
"""
from __future__ import annotations

import codecs
import json
import re
from typing import Any

from crosswire.errors import InputError
from crosswire.ingest.frontmatter import FrontMatterError, split_front_matter
from crosswire.ingest.records import article_from_record
from crosswire.model import Article

Result = tuple[list[Article], list[InputError]]


# UTF-32 LE before UTF-16 LE: its byte-order mark begins with UTF-16 LE's.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
BINARY = "binary file (contains NUL bytes), not a text, HTML, JSONL or feed document"


def encoding_of(data: bytes, declared: str | None = None) -> str:
    """A byte-order mark wins (editors on Windows save UTF-16 with one), then the declared charset
    (an HTTP header, a page's <meta>), then UTF-8. An unknown declaration is ignored, not fatal.

    Non-ASCII bytes that are valid UTF-8 are read as UTF-8 whatever else is declared: an old template's
    `<meta charset="iso-8859-1">` or a server's default `charset=ISO-8859-1` over a UTF-8 page is common,
    while text in another encoding that happens to form valid UTF-8 sequences practically never occurs."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec
    if declared:
        try:
            b"a".decode(declared, errors="replace")  # LookupError: unknown, or bytes-to-bytes (base64)
        except (LookupError, ValueError):
            return "utf-8"
        return "utf-8" if not data.isascii() and _valid_utf8(data) else declared
    return "utf-8"


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, name: str, charset: str | None = None) -> str:
    """Bytes to text, refusing what is not text: empty, binary or not in its encoding."""
    encoding = encoding_of(data, charset)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "utf-8" and b"\x00" in data:
            raise InputError(name, BINARY) from None
        label = "UTF-8" if encoding == "utf-8" else encoding
        raise InputError(name, f"invalid {label} at byte {exc.start}; convert the file to UTF-8") from None
    if "\x00" in text:  # anywhere, not only near the start: a NUL is never part of a report
        raise InputError(name, BINARY)
    if not text.strip():
        raise InputError(name, "empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(data: bytes, name: str, origin: str | None = None, charset: str | None = None) -> Result:
    text = decode(data, name, charset)
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


def read_jsonl(data: bytes, name: str, charset: str | None = None) -> Result:
    text = decode(data, name, charset)
    items, errors = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append((number, parse_json(line)))
        except ValueError as exc:
            errors.append(InputError(f"{name}: line {number}", f"invalid JSON ({exc})"))
    articles, bad = _records(items, name, "line")
    return articles, errors + bad


def parse_json(text: str) -> Any:
    """json.loads with its three failures as one ValueError whose text reads well after 'invalid JSON'."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} at line {exc.lineno}") from None
    except RecursionError:  # "[[[[..." a hundred thousand deep
        raise ValueError("nested too deeply") from None
    except ValueError:  # a number longer than Python's int conversion limit (4300 digits)
        raise ValueError("a number too long to read") from None


def read_json(data: bytes, name: str, charset: str | None = None) -> Result:
    try:
        value = parse_json(decode(data, name, charset))
    except ValueError as exc:
        raise InputError(name, f"invalid JSON ({exc})") from None
    items = value if isinstance(value, list) else [value]
    return _records(list(enumerate(items, start=1)), name, "item")


META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.IGNORECASE)


def _meta_charset(data: bytes) -> str | None:
    """The page's own declaration (<meta charset> or http-equiv), looked for where browsers look: the head.
    A page that declares UTF-16 in ASCII-readable bytes is not UTF-16, so that declaration is ignored."""
    found = META_CHARSET.search(data[:4096])
    charset = found.group(1).decode("ascii").lower() if found else None
    return None if charset and charset.startswith(("utf-16", "utf-32")) else charset


def html_text(data: bytes, name: str, charset: str | None = None) -> str:
    """Decoded as a browser would: BOM, then the HTTP charset, then <meta>, then UTF-8. A stray bad
    byte becomes U+FFFD (a page with one is still a page); NUL bytes mean it is not a page at all."""
    html = data.decode(encoding_of(data, charset or _meta_charset(data)), errors="replace")
    if "\x00" in html:
        raise InputError(name, BINARY)
    if not html.strip():
        raise InputError(name, "empty file")
    return html


def read_html(data: bytes, name: str, url: str | None = None, charset: str | None = None) -> Result:
    import trafilatura
    html = html_text(data, name, charset)
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


# HTML elements a feed may escape into a title (inline and block): a "<...>" naming none of them, such as a
# Reuters ticker "<AAPL.O>" or "inflation <2%", is text
_TAG = re.compile(r"</?(?:a|abbr|b|big|blockquote|br|caption|center|cite|code|dd|del|div|dl|dt|em|figcaption|figure|"
                  r"font|h[1-6]|hr|i|img|ins|kbd|li|mark|ol|p|pre|q|s|samp|small|span|strike|strong|sub|sup|table|"
                  r"tbody|td|th|thead|time|tr|tt|u|ul|var)\b[^<>]*>", re.IGNORECASE)


def _plain_title(title: str | None) -> str | None:
    """A feed's or entry's title without markup: feeds often escape HTML into titles ("Rates &amp; taxes
    &lt;b&gt;up"), which would otherwise reach headlines, briefings and the web pages as literal tags. When
    there is markup, its character references go too ("director&#8217;s" inside a CDATA title)."""
    if not title or "<" not in title or not _TAG.search(title):
        return title
    import html
    return " ".join(_TAG.sub(" ", html.unescape(_TAG.sub(" ", title))).split())  # again: escaped twice


def read_feed(data: bytes, name: str, charset: str | None = None) -> Result:
    import feedparser
    headers = {"content-type": f"application/xml; charset={charset}"} if charset else None
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.entries:
        reason = "not a valid RSS/Atom feed" if parsed.bozo else "the feed has no entries"
        raise InputError(name, reason)
    outlet = _plain_title(parsed.feed.get("title", ""))
    items = []
    for number, entry in enumerate(parsed.entries, start=1):
        content = entry.get("content") or []
        body = content[0].get("value", "") if content else entry.get("summary", "")
        items.append((number, {"text": _html_to_text(body), "title": _plain_title(entry.get("title")), "outlet": outlet,
                               "url": entry.get("link"), "author": entry.get("author"),
                               "published": entry.get("published") or entry.get("updated")}))
    return _records(items, name, "entry")
