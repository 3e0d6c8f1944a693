"""What the sources say about days, read the way an editor would: a future weekday is next week's, a day told
differently is never shown as agreed, and a copy of a report adds nothing to the briefing."""
from __future__ import annotations

from datetime import date

from crosswire.nlp.dates import find_dates

MONDAY = date(2024, 6, 3)


def _days(text: str, lang: str = "en") -> list[str]:
    return [m.value for m in find_dates(text, MONDAY, lang) if m.extra.get("weekday")]


def test_a_weekday_still_to_come_resolves_to_the_coming_week():
    # "vote" ends in -te and "expected" in -ed: read as past tense, they sent these days a week back
    assert _days("The parliament will vote on the budget on Friday.") == ["2024-06-07"]
    assert _days("The result is expected on Wednesday.") == ["2024-06-05"]
    assert _days("We expect the water to peak on Tuesday evening.") == ["2024-06-04"]
    assert _days("Der Höchststand wird am Mittwochabend erwartet.", "de") == ["2024-06-05"]  # part of the day attached
    assert _days("Le vote est prévu vendredi.", "fr") == ["2024-06-07"]


def test_a_weekday_a_report_tells_of_stays_in_the_past():
    assert _days("France will withdraw, the ministry announced on Wednesday.") == ["2024-05-29"]
    assert _days("The storm hit the coast on Friday.") == ["2024-05-31"]
    assert _days("Das Ministerium teilte am Mittwoch mit, es werde abziehen.", "de") == ["2024-05-29"]


def _report(folder, name, outlet, lang, body):
    path = folder / name
    path.write_text(f"---\ntitle: {body.splitlines()[0][:60]}\noutlet: {outlet}\npublished: 2024-06-03\nlang: {lang}\n---\n"
                    f"{body}\n", encoding="utf-8")
    return str(path)


def test_a_day_told_differently_in_two_languages_is_not_listed_as_agreed(cli, tmp_path):
    en = _report(tmp_path, "en.md", "River Post", "en",
                 "Cologne evacuates old town as the Rhine rises.\n"
                 "\"We expect the water to peak on Tuesday evening,\" Mayor Reker told reporters at city hall.")
    de = _report(tmp_path, "de.md", "Rheinland Wire", "de",
                 "Köln räumt die Altstadt, der Rhein steigt.\n"
                 "\"Wir erwarten den Höchststand am Mittwochabend\", sagte Oberbürgermeisterin Reker im Rathaus.")
    comparison = cli.json("compare", en, de, "--json")
    agreed = [st["text"] for f in comparison["facts"] if f["status"] == "agree" for st in f["statements"]]
    assert not [t for t in agreed if "Tuesday" in t or "Mittwoch" in t]


def test_a_copy_adds_no_single_source_facts_and_no_timeline_entries(cli, tmp_path):
    body = ("Authorities in Cologne evacuated about 4,000 residents on Monday after the Rhine rose to 9.2 metres.\n"
            "Rail traffic between Cologne and Bonn was suspended on Sunday, Deutsche Bahn said.")
    original = _report(tmp_path, "a.md", "River Post", "en", "Rhine floods Cologne\n" + body)
    copy = _report(tmp_path, "b.md", "Valley Times", "en", "Rhine floods Cologne\n" + body)
    cli.run("ingest", original)
    cli.run("ingest", copy)
    briefing = cli.json("brief", "--format", "json")
    copies = {s["id"] for s in briefing["sources"] if s.get("duplicate_of")}
    assert copies
    assert not [f for f in briefing["facts"] if f["status"] == "single" and f["statements"][0]["source"] in copies]
    assert not [e for e in briefing["timeline"] if set(e["sources"]) & copies]


def test_a_place_named_in_two_languages_is_not_a_misspelling():
    from collections import Counter

    from crosswire.compare.entities import spelling_variants
    assert spelling_variants({1: Counter({"the Lyon Metropolis": 1}), 2: Counter({"Métropole de Lyon": 1})}) is None
    assert spelling_variants({1: Counter({"Tembela": 2}), 2: Counter({"Tambèla": 1})}) == {1: "Tembela", 2: "Tambèla"}
    assert spelling_variants({1: Counter({"Gaddafi": 1}), 2: Counter({"Kadhafi": 1})})  # one name, transliterated
