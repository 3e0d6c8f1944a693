"""A briefing says the same thing in every format, cites every statement, and treats article text as text."""
from __future__ import annotations

import json
from html.parser import HTMLParser

from crosswire.brief import render, render_many
from crosswire.model import (Comparison, Conflict, Fact, ResolvedEntity, SourceRef, Statement,
                             TimelineEntry)


def burkina() -> Comparison:
    return Comparison(
        sources=[SourceRef(1, "a1", "Wire DE", "Frankreich zieht Truppen ab", "2023-01-25", "de"),
                 SourceRef(2, "a2", "Wire EN", "France to pull troops out of Burkina Faso", "2023-01-25", "en",
                           url="https://example.org/en")],
        entities=[ResolvedEntity("Ibrahim Traoré", "PERSON", ["Ibrahim Traoré", "Ibrahima Traoré", "Ibrahim Traore"], [1, 2])],
        facts=[
            Fact("agree", [Statement(1, "France will withdraw its 400 soldiers."),
                           Statement(2, "France is withdrawing about 400 soldiers within a month.")]),
            Fact("conflict", [Statement(1, "The ministry announced it on Wednesday."),
                              Statement(2, "The spokesman announced it on Monday.")],
                 [Conflict("weekday", {1: "Wednesday", 2: "Monday"})]),
            Fact("single", [Statement(2, "France has 2,000 soldiers in Niger <script>alert(1)</script>.")]),
        ],
        timeline=[TimelineEntry("2023-01-23", "The spokesman announced the withdrawal.", [2])],
        headline="France to pull troops out of Burkina Faso")


def test_markdown_has_every_section_and_cites_each_statement():
    md = render(burkina(), "md")
    for heading in ("What the sources agree on", "Where they differ", "Reported by one source only",
                    "Timeline", "People, organisations and places", "Sources"):
        assert f"## {heading}" in md
    assert "within a month. [1][2]" in md  # the fuller statement speaks for the agreed fact, citing both
    assert "Weekdays differ" in md and "“Wednesday” [1]" in md and "“Monday” [2]" in md
    assert "**2023-01-23**" in md
    assert "also: Ibrahima Traoré, Ibrahim Traore" in md
    assert "<script>" not in md


def test_html_is_standalone_and_escapes_article_text():
    page = render(burkina(), "html")
    assert page.startswith("<!doctype html>")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    HTMLParser().feed(page)  # parses


def test_json_is_the_public_comparison_schema():
    data = json.loads(render(burkina(), "json"))
    assert set(data) >= {"sources", "entities", "facts", "timeline"}
    assert data["facts"][1]["conflicts"][0] == {"kind": "weekday", "values": {"1": "Wednesday", "2": "Monday"}}


def test_several_stories_in_one_document():
    assert render_many([burkina(), burkina()], "md").count("# France to pull") == 2
    assert isinstance(json.loads(render_many([burkina(), burkina()], "json")), list)


def test_comparison_survives_the_store_cache_round_trip():
    original = burkina()
    assert Comparison.from_record(json.loads(json.dumps(original.to_record()))) == original


def test_an_agreed_fact_is_told_in_the_language_most_sources_write_in():
    # the fullest statement spoke for a fact, so a mostly English story's briefing switched to German or French
    # from line to line wherever the German report's sentence was the longer one
    story = burkina()
    story.sources.append(SourceRef(3, "a3", "Post", "Troops to leave Burkina Faso", "2023-01-26", "en"))
    story.facts[0] = Fact("agree", [Statement(1, "Frankreich wird seine etwa 400 Soldaten innerhalb eines Monats abziehen.", 4),
                                    Statement(2, "France will withdraw its 400 soldiers.", 4),
                                    Statement(3, "France pulls out 400 troops.", 4)])
    assert "- France will withdraw its 400 soldiers. [1][2][3]" in render(story, "md")
    story.sources[1].lang = story.sources[2].lang = "de"  # now German is the majority: the German sentence speaks
    assert "- Frankreich wird seine etwa 400 Soldaten innerhalb eines Monats abziehen. [1][2][3]" in render(story, "md")


def test_a_story_is_headed_in_the_language_most_of_its_sources_write_in(cli):
    # the earliest report named the story, so the Burkina example (one German wire, two English) had a German
    # headline above English facts
    from conftest import EXAMPLES
    out = cli.run("compare", *sorted(str(p) for p in (EXAMPLES / "burkina-faso").glob("*.md")))
    assert out.stdout.startswith("# France withdraws troops from Burkina Faso")


def test_with_no_majority_and_no_english_the_earliest_sources_language_leads():
    from crosswire.brief.sections import briefing_language
    story = burkina()
    story.sources = [SourceRef(1, "a1", "Le Monde", "La France se retire", "2023-01-26", "fr"),
                     SourceRef(2, "a2", "Wire DE", "Frankreich zieht ab", "2023-01-25", "de")]
    assert briefing_language(story) == "de"  # not the first listed


def test_a_dated_fact_first_stated_in_german_reads_in_english_in_an_english_briefing():
    from crosswire.web.layout import timeline
    german, english = "Laut dem Abkommen von 2018 kann jede Seite kündigen.", "Under the 2018 agreement either side can end it."
    comparison = Comparison(
        sources=[SourceRef(1, "a1", "Wire DE", "Abzug", "2023-01-25", "de"),
                 SourceRef(2, "a2", "Wire EN", "Withdrawal", "2023-01-25", "en"),
                 SourceRef(3, "a3", "Wire EN 2", "Troops leave", "2023-01-25", "en")],
        facts=[Fact("agree", [Statement(1, german, 0), Statement(2, english, 0)]),
               Fact("single", [Statement(1, "Die Regierung schwieg am 3. Februar.", 1)])],
        timeline=[TimelineEntry("2018", german, [1, 2]), TimelineEntry("2023-02-03", "Die Regierung schwieg am 3. Februar.", [1])])
    brief = render(comparison)
    assert f"**2018** — {english} [1][2]" in brief
    assert "Die Regierung schwieg" in brief  # said in German only: it stays German
    assert [p["text"] for p in timeline(comparison)["points"]] == [english, "Die Regierung schwieg am 3. Februar."]


def test_sources_giving_one_value_are_cited_together():
    comparison = Comparison(
        sources=[SourceRef(n, f"a{n}", f"Wire {n}", "Fire", "2023-01-25", "en") for n in (1, 2, 3)],
        facts=[Fact("conflict", [Statement(1, "12 died."), Statement(2, "12 died."), Statement(3, "15 died.")],
                    [Conflict("number", {1: "12", 2: "12", 3: "15"})])])
    assert "**Numbers differ**: “12” [1][2]; “15” [3]" in render(comparison)
