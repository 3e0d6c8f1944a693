"""Reading reports: every format, and every kind of bad input gets one clear line, never a traceback."""
from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crosswire.config import load_settings
from crosswire.ingest import fetch_url, parse_body, read_feed, read_paths
from crosswire.ingest.dedup import NearDuplicateIndex

REPORT = """---
title: France to pull troops out of Burkina Faso
outlet: Example Wire
published: 2023-01-25T10:00:00+00:00
lang: en
url: https://example.org/burkina
---
France will withdraw its 400 soldiers from Burkina Faso within a month, the foreign ministry said on Monday.
"""
PAGE = """<html><head><title>Quake hits Chile</title><meta property="og:site_name" content="Andes Daily">
<meta name="date" content="2023-03-02"></head><body><nav>Home | World</nav><article><h1>Quake hits Chile</h1>
<p>A magnitude 6.1 earthquake struck central Chile on Thursday, killing at least 12 people, officials said.</p>
<p>Rescue teams from Santiago searched collapsed buildings through the night as aftershocks continued.</p>
<p>The national emergency office said more than 2,000 homes were damaged across three regions.</p>
</article><footer>Copyright</footer></body></html>"""
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example Feed</title>
<item><title>Ministers meet</title><link>https://example.org/a</link><pubDate>Wed, 25 Jan 2023 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Ministers met on Wednesday to discuss the 2018 agreement and the withdrawal.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://example.org/b</link><description></description></item>
</channel></rss>"""


@pytest.fixture
def settings():
    return load_settings(env={})


def messages(batch):
    return [str(e) for e in batch.errors]


def test_text_with_front_matter_keeps_its_metadata(tmp_path, settings):
    (tmp_path / "a.md").write_text(REPORT)
    [article] = read_paths([str(tmp_path)], settings).articles
    assert article.title == "France to pull troops out of Burkina Faso"
    assert article.outlet == "Example Wire" and article.language == "en"
    assert article.published.isoformat() == "2023-01-25T10:00:00+00:00"
    assert article.text.startswith("France will withdraw")


def test_reading_the_same_folder_twice_gives_the_same_ids(tmp_path, settings):
    (tmp_path / "a.md").write_text(REPORT)
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "Another report about the withdrawal of troops.",
                                                  "source": "Other Wire", "date": "2023-01-26"}) + "\n")
    first = [a.id for a in read_paths([str(tmp_path)], settings).articles]
    assert first == [a.id for a in read_paths([str(tmp_path)], settings).articles] and len(first) == 2


def test_each_bad_input_is_one_error_naming_the_file_and_the_rest_is_read(tmp_path, settings):
    (tmp_path / "good.md").write_text(REPORT)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01garbage")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait pour les soldats fran\xe7ais.".encode("latin-1"))
    (tmp_path / "broken.md").write_text("---\ntitle: unterminated\nthis is not a key value line\n")
    (tmp_path / "page.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (tmp_path / "lines.jsonl").write_text('{"text": "A valid line about the troop withdrawal."}\n{not json\n'
                                          '{"title": "no text"}\n')
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    batch = read_paths([str(tmp_path), str(tmp_path / "missing.txt")], settings)
    errors = messages(batch)
    assert len(batch.articles) == 2
    expected = {"empty.txt": "empty file", "binary.txt": "binary", "latin1.txt": "invalid UTF-8",
                "broken.md": "front matter", "page.html": "no article text", "lines.jsonl: line 2": "invalid JSON",
                "lines.jsonl: line 3": "no article text", "huge.txt": "too large", "missing.txt": "no such file"}
    for where, reason in expected.items():
        assert any(where in e and reason in e for e in errors), (where, errors)
    assert len(errors) == len(expected)
    assert all("\n" not in e for e in errors)


def test_html_page_gives_clean_body_title_outlet_and_date(tmp_path, settings):
    (tmp_path / "quake.html").write_text(PAGE)
    [article] = read_paths([str(tmp_path / "quake.html")], settings).articles
    assert article.title == "Quake hits Chile" and "magnitude 6.1" in article.text
    assert "Copyright" not in article.text and "Home | World" not in article.text
    assert article.published and article.published.date().isoformat() == "2023-03-02"


def test_api_bodies_by_content_type(settings):
    one = parse_body(json.dumps({"title": "T", "text": "France withdraws 400 soldiers from Burkina Faso."}).encode(),
                     "application/json", settings=settings)
    many = parse_body(json.dumps([{"text": "First report on the withdrawal of troops."},
                                  {"text": "Second report on the withdrawal of troops."}]).encode(),
                      "application/json; charset=utf-8", settings=settings)
    text = parse_body(REPORT.encode(), "text/markdown", settings=settings)
    lines = parse_body(b'{"text": "A JSONL line about the withdrawal of troops."}\n', "application/x-ndjson",
                       settings=settings)
    assert [len(b.articles) for b in (one, many, text, lines)] == [1, 2, 1, 1]
    bad = parse_body(b"\x00\x01", "application/octet-stream", settings=settings)
    assert "unsupported Content-Type" in messages(bad)[0]


@pytest.fixture
def web_root(tmp_path):
    (tmp_path / "quake.html").write_text(PAGE)
    (tmp_path / "feed.xml").write_text(FEED)
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetching_a_page_and_a_feed_from_a_real_server(web_root, settings):
    [page] = fetch_url(f"{web_root}/quake.html", settings).articles
    assert page.url == f"{web_root}/quake.html" and "earthquake" in page.text
    feed = read_feed(f"{web_root}/feed.xml", settings)
    assert [a.title for a in feed.articles] == ["Ministers meet"]
    assert feed.articles[0].outlet == "Example Feed" and feed.articles[0].published.year == 2023
    assert "entry 2" in messages(feed)[0]
    missing = fetch_url(f"{web_root}/nope.html", settings)
    assert "HTTP 404" in messages(missing)[0]
    refused = fetch_url("http://127.0.0.1:9/", settings)
    assert refused.errors and "cannot download" in messages(refused)[0]


def test_markup_escaped_into_feed_titles_does_not_reach_the_headlines(tmp_path, settings):
    feed = tmp_path / "feed.xml"
    feed.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Aegean &lt;i&gt;Wire&lt;/i&gt;</title>
<item><title>Rates &amp; taxes &lt;b&gt;rise</title><link>http://example.org/a</link>
<description>Parliament raised the rates and the taxes on Monday, the finance ministry said.</description></item>
<item><title>Tom &amp; Jerry: a &lt; b</title><link>http://example.org/b</link>
<description>The cartoon pair returned to screens on Tuesday, the studio said in a statement.</description></item>
<item><title>Apple &lt;AAPL.O&gt; shares jump</title><link>http://example.org/c</link>
<description>Shares of Apple rose on Wednesday after the company reported record sales, traders said.</description></item>
<item><title><![CDATA[<em>Dune</em> director&#8217;s cut &lt;h2&gt;out&lt;/h2&gt;]]></title><link>http://example.org/d</link>
<description>The director's cut of the film reached cinemas on Thursday, the studio said in a statement.</description></item>
</channel></rss>""", encoding="utf-8")
    batch = read_feed(str(feed), settings)
    assert [a.title for a in batch.articles] == ["Rates & taxes rise", "Tom & Jerry: a < b",
                                                 "Apple <AAPL.O> shares jump",  # a ticker, not a tag
                                                 "Dune director\u2019s cut out"]
    assert {a.outlet for a in batch.articles} == {"Aegean Wire"}


def test_near_duplicates_are_found_and_different_reports_are_not():
    index = NearDuplicateIndex(0.8)
    wire = ("PARIS (AP) — France will withdraw its 400 soldiers from Burkina Faso within a month after the junta "
            "asked it to leave, the foreign ministry said on Monday, citing a letter dated Jan. 18. The special forces "
            "unit has been based near Ouagadougou since 2018 under a defence agreement that either side may end with "
            "one month's notice. Protesters had gathered outside the French embassy for several weekends, demanding "
            "the departure of the troops. France still keeps about 2,000 soldiers in neighbouring Niger, officials said, "
            "and the army will decide later where the special forces unit is sent next.")
    index.add("wire", index.signature(wire))
    assert index.query(index.signature(wire.replace("PARIS (AP) —", "PARIS —"))) == "wire"
    assert index.query(index.signature("A magnitude 6.1 earthquake struck central Chile on Thursday.")) is None


def test_a_misspelt_field_or_a_date_that_is_not_one_is_noted_not_dropped_without_a_word(tmp_path, settings):
    report = tmp_path / "quake.md"
    report.write_text("---\ntitle: Quake\noutet: Coast Post\npublished: 31/02/2024\ntags: quake\n---\n"
                      "A magnitude 6.1 earthquake struck the coast on Monday, killing 12 people.\n", encoding="utf-8")
    [article] = read_paths([str(report)], settings).articles
    assert article.outlet == "" and article.published is None
    assert article.notes == [
        "field 'outet' is not one Crosswire reads (did you mean 'outlet'?); ignored",
        "date '31/02/2024' is not a publication date Crosswire can read (or lies before 1800 or more than a year "
        "ahead); stored without a date"]  # 'tags' is another tool's key: allowed, not noted
    lines = [json.dumps({"text": "The coast was hit by an earthquake on Monday, officials said.", "cluster": "q1",
                         "publihsed": "2024-05-01", "source": "Wire"})]
    (tmp_path / "docs.jsonl").write_text("\n".join(lines), encoding="utf-8")
    [jsonl] = read_paths([str(tmp_path / "docs.jsonl")], settings).articles
    assert jsonl.notes == ["field 'publihsed' is not one Crosswire reads (did you mean 'published'?); ignored"]


def test_the_same_note_for_every_record_of_an_export_is_said_once_with_its_count(tmp_path, settings):
    from crosswire.pipeline import article_notes
    lines = [json.dumps({"text": f"Report number {i} of the coast earthquake on Monday, officials said.",
                         "publised": "2024-05-01", "outlet": "Wire", "sources": "AP"}) for i in range(3)]
    (tmp_path / "export.jsonl").write_text("\n".join(lines), encoding="utf-8")
    articles = read_paths([str(tmp_path / "export.jsonl")], settings).articles
    assert article_notes(articles, settings) == [  # "sources" beside "outlet" is not a misspelt outlet
        f"{tmp_path / 'export.jsonl'}: field 'publised' is not one Crosswire reads (did you mean 'published'?); "
        "ignored (3 records)"]
