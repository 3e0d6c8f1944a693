"""A placeholder or typo'd publication date is no date: the report is stored once, never a traceback.

Feeds and exports carry 0001-01-01 (Go, .NET), 9999-12-31, "Mon, 01 Jan 0000" and signed ISO years. Such a
date cannot be moved to UTC or have "yesterday" resolved against it, and a guessed one (0000 read as 2000)
is worse than none: it files the report in the wrong year without a word.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest

from crosswire.ingest.timestamps import parse_published
from crosswire.model import AnalyzedArticle, Article, Sentence
from crosswire.nlp.dates import find_dates
from crosswire.store import open_store

ODD_DATES = {  # item title -> the date as the outlet wrote it
    "Max": "Fri, 31 Dec 9999 23:59:59 -1200",
    "Zero": "Mon, 01 Jan 0000 00:00:00 GMT",
    "Signed": "-2023-01-01",
    "Go": "0001-01-01T00:00:00+01:00",
    "Late": "9999-12-31T23:59:59-12:00",
}
BODIES = [
    "Rescuers in Chile pulled 33 miners from a collapsed copper mine on Wednesday, officials said.",
    "The central bank raised interest rates by half a point yesterday to fight inflation, its governor said.",
    "Floods closed the main railway line between the two northern cities on Sunday, the operator said.",
    "The football club sacked its manager after a run of eight defeats, the chairman announced on Monday.",
    "A volcano on the island erupted overnight and ash grounded flights until tomorrow, the airport said.",
    "Parliament approved the new budget by a narrow margin of four votes, the speaker confirmed today.",
]


def rss(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f"<item><title>{title}</title><link>http://example.org/{title.lower()}</link>"
                   f"<pubDate>{when}</pubDate><description>{text}</description></item>"
                   for title, when, text in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Odd Wire</title>{body}</channel></rss>'


@pytest.mark.slow
def test_a_feed_with_placeholder_dates_is_stored_once_and_only_the_dates_are_dropped(cli, tmp_path):
    # an editor polls a wire whose CMS writes placeholders for unset dates; one item is correctly dated
    items = [("Good", "Wed, 25 Jan 2023 10:00:00 GMT", BODIES[0])]
    items += [(title, when, text) for (title, when), text in zip(ODD_DATES.items(), BODIES[1:])]
    feed = tmp_path / "odd.rss"
    feed.write_text(rss(items))

    first = cli.run("ingest", str(feed), "--json")
    assert "Traceback" not in first.stderr
    report = json.loads(first.stdout)
    assert report["errors"] == [] and len(report["added"]) == len(items)

    again = cli.json("ingest", str(feed), "--json")  # the retry after a failure, or the next poll
    assert again["added"] == [] and len(again["already_stored"]) == len(items)

    with open_store(str(cli.db)) as store:
        published = {a.title: a.published for a in store.iter_articles()}
    assert len(published) == len(items)
    assert published.pop("Good") == datetime(2023, 1, 25, 10, tzinfo=timezone.utc)
    assert published == dict.fromkeys(ODD_DATES)  # no date rather than a wrong one (0000 is not 2000)


@pytest.mark.slow
def test_reports_dated_at_the_ends_of_the_calendar_saying_yesterday_are_stored(cli, tmp_path):
    # relative dates in the text ("on Sunday", "yesterday", "next month") meet a year-1 or year-9999 date
    for name, when, text in (
            ("ancient", "0001-01-01", "The minister said on Sunday that 400 soldiers had left yesterday, and more "
                                      "would leave last month and last year, officials said."),
            ("future", "9999-12-31", "The minister said on Monday that 400 soldiers will leave tomorrow, and more "
                                     "next month and next year, officials said."),
            ("late", "9999-12-31T23:00:00-05:00", "The prime minister said on Thursday that the new bridge over "
                                                  "the river would open by March.")):
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {name}\npublished: {when}\n---\n{text}\n")

    proc = cli.run("ingest", str(tmp_path), "--json")
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == [] and len(report["added"]) == 3


@pytest.mark.parametrize("value", [
    *ODD_DATES.values(),
    "Mon, 01 Jan 0023 00:00:00 GMT",  # email.utils would read the year as 2023
    "0001-01-01",  # Go's and .NET's zero time
    "1753-01-01",  # SQL Server's smallest datetime
    "12/31/9999",
    datetime(9999, 12, 31, 23, 59, tzinfo=timezone(-timedelta(hours=12))),
    (datetime.now() + timedelta(days=5 * 366)).strftime("%Y-%m-%d"),  # a typo'd year: 2203 for 2023
])
def test_a_date_no_report_can_carry_is_no_date(value):
    assert parse_published(value) is None


def test_real_dates_at_the_edges_of_the_plausible_range_are_kept():
    # the bounds must not cost real dates: archives back to 1800, two-digit RFC 822 years, a day ahead
    assert parse_published("1800-01-01") == datetime(1800, 1, 1)
    assert parse_published("Mon, 01 Jan 99 00:00:00 GMT") == datetime(1999, 1, 1, tzinfo=timezone.utc)
    assert parse_published("Wed, 25 Jan 2023 10:00:00 -0500").utcoffset() == timedelta(hours=-5)
    tomorrow = (datetime.now() + timedelta(days=1)).replace(microsecond=0)
    assert parse_published(tomorrow.isoformat()) == tomorrow
    # ...and a placeholder among them is still refused
    assert parse_published("0001-01-01") is None


def test_the_store_keeps_an_article_whose_date_leaves_the_calendar_in_utc(tmp_path):
    # defence in depth: a caller that builds the Article itself bypasses parse_published
    text = "Rescuers in Chile pulled 33 miners from a collapsed copper mine, officials said."
    when = datetime(9999, 12, 31, 23, tzinfo=timezone(-timedelta(hours=5)))
    article = Article.create(text, title="Edge", outlet="Wire", language="en", published=when)
    item = AnalyzedArticle(article, [Sentence(0, text, 0, len(text))], [], np.arange(4, dtype=np.float32),
                           np.ones((1, 4), dtype=np.float32))
    with open_store(str(tmp_path / "c.db")) as store:
        assert store.add_article(item) is True
        assert store.add_article(item) is False
        assert store.get_article(article.id).published == when  # kept as written; only the sort key is unknown
        story = store.create_story([article.id], "Edge")
        assert [s.id for s in store.list_stories()[0]] == [story]


@pytest.mark.parametrize("published", [date(1, 1, 1), datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc)])
def test_relative_dates_against_the_ends_of_the_calendar_resolve_to_no_date(published):
    text = ("On Sunday the minister said soldiers left yesterday and will leave tomorrow, more last month, "
            "next month, last year and next year; he will meet on Friday.")
    mentions = find_dates(text, published)
    assert {m.text for m in mentions} >= {"Sunday", "Friday"}  # the weekday is still seen, maybe unresolved
    for m in mentions:
        assert m.value == "" or 1 <= int(m.value[:4]) <= 9999, m  # never year 0000 or 10000
    resolved = {m.text: m.value for m in find_dates(text, date(2023, 1, 25))}  # the ordinary case is unchanged
    assert resolved["yesterday"] == "2023-01-24" and resolved["next month"] == "2023-02"



@pytest.mark.parametrize("placeholder", ["n/a", "NA", "N.A.", "a", "unknown"])
def test_a_date_field_without_a_digit_is_no_date(placeholder):
    # dateparser read "n/a" as today and "a" as 1 January: placeholders passed for publication dates
    assert parse_published(placeholder) is None
