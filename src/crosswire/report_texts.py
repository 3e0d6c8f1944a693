"""Which text of a report is news: the first, an update its outlet sent to the same address, one already stored, or
another outlet's own report at that address.

Feeds re-send articles all day, some unchanged, some updated, some from a stale cache, and syndicated stories share
one URL between outlets. The pipeline asks this module, per input article, what it is before analysing anything
(``report_for``, ``nothing_new``), and again inside the writer turn for an update.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from crosswire.model import Article, outlet_article_id, stored_id
from crosswire.store import Store


def text_key(title: str, digest: str) -> tuple[str, str]:
    """What makes two texts of one report the same: the body's content hash (spacing and letter case aside) and the
    headline, spacing and letter case aside too."""
    return " ".join(title.split()).casefold(), digest


@dataclass
class Known:
    """What is known of one report id: its texts (stored, and met earlier in this call), the current one, when that
    was published, and whose report it is."""

    keys: set[tuple[str, str]] = field(default_factory=set)
    current: tuple[str, str] | None = None
    published: datetime | None = None
    outlet: str | None = None
    stored: bool = False
    text: str = ""  # the current text, to tell a teaser of it (``_excerpt_of``)


def read_known(store: Store, article_id: str) -> Known:
    texts = store.known_texts(article_id)
    if not texts:
        return Known()
    stored = store.get_article(article_id)
    return Known({text_key(*t) for t in texts}, text_key(*texts[0]), stored.published, stored.outlet, True, stored.text)


def report_for(store: Store, reports: dict[str, Known], article: Article, rekeyed: bool = False) -> Known:
    """The report ``article`` is a text of. Another outlet's text at an address stored for one outlet (one URL for a
    syndicated story) is that outlet's own report, never an update of the first's: it gets an id of its own."""
    known = reports.get(article.id)
    if known is None:
        known = reports[article.id] = read_known(store, article.id)
        if not known.stored and article.url and stored_id(article.url) != article.id and not rekeyed:
            earlier = read_known(store, stored_id(article.url))  # stored under the address as written, by an older version
            if earlier.stored:
                article.id = stored_id(article.url)
                known = reports[article.id] = reports.get(article.id) or earlier
    mine, theirs = _outlet_key(article.outlet), _outlet_key(known.outlet or "")
    if known.outlet is not None and mine and theirs and mine != theirs and article.url and not rekeyed:
        article.id = outlet_article_id(article.url, article.outlet)
        return report_for(store, reports, article, rekeyed=True)
    if known.outlet is None:
        known.outlet = article.outlet  # first met in this call
    return known


def _outlet_key(outlet: str) -> str:
    return " ".join(outlet.split()).casefold()


def _newer(article: Article, published: datetime | None) -> bool:
    """Whether the article is dated after ``published``: an outlet that goes back to an earlier text says so with a
    newer date (a feed's cached old copy keeps its old one)."""
    def utc(value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return bool(article.published and published and utc(article.published) > utc(published))


def nothing_new(article: Article, known: Known) -> bool:
    """Whether a text of a known report changes nothing: the current text again (spacing, letter case and headline
    aside: ``text_key``), an earlier one not dated after the current one (a feed's cached copy; an outlet going
    back to it dates it anew), or a teaser of the current text under the same headline."""
    key = text_key(article.title, article.content_hash)
    if key == known.current or (key in known.keys and not _newer(article, known.published)):
        return True
    return bool(known.current) and known.current[0] == key[0] and _excerpt_of(article.text, known.text)


def _excerpt_of(text: str, stored: str) -> bool:
    """Whether ``text`` is a teaser of ``stored``: a piece of it (spacing and letter case aside) that ends in "…" or
    "[...]", or is under half its length. A correction that only drops the last sentence is neither: an update."""
    folded = " ".join(text.split()).casefold()
    piece = re.sub(r"\s*(?:\[?(?:\.\.\.|…)\]?|\((?:\.\.\.|…)\))\s*$", "", folded)
    whole = " ".join(stored.split()).casefold()
    return piece in whole and len(piece) < len(whole) and (piece != folded or 2 * len(piece) < len(whole))
