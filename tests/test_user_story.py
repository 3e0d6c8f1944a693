"""The fact-checker's story (issue 4): two wires on France leaving Burkina Faso, compared through the CLI.

The German wire (machine-translated, or in German) says the ministry announced it "on Wednesday"
and spells "Ibrahima Traoré" and "Tembela"; the English wire says "on Monday", "Ibrahim Traore",
"Tambèla", quotes the spokesman and mentions 2,000 soldiers in Niger. Both published Wed 2023-01-25.
"""
from __future__ import annotations

import pytest

from conftest import EXAMPLES

STORY = EXAMPLES / "burkina-faso"
pytestmark = pytest.mark.slow


def conflicts_of(result, kind):
    return [c for f in result["facts"] for c in f["conflicts"] if c["kind"] == kind]


def check_shared(result):
    """What must hold in any language pair: one Traoré, 400 agreed, dates resolved."""
    traore = [e for e in result["entities"] if any("Traor" in v for v in e["variants"])]
    assert len(traore) == 1, result["entities"]
    assert traore[0]["sources"] == [1, 2] and any("Ibrahim Traore" == v for v in traore[0]["variants"])
    agreed = [v for f in result["facts"] for v in f.get("agreed", [])]
    assert any(v["kind"] == "number" and v["value"] == "400" and v["sources"] == [1, 2] for v in agreed), agreed
    dates = {t["date"]: t for t in result["timeline"]}
    assert "2023-01-25" in dates and 1 in dates["2023-01-25"]["sources"]  # "on Wednesday" / "am Mittwoch"


def check_story(result):
    check_shared(result)
    [weekday] = conflicts_of(result, "weekday")
    assert set(weekday["values"].values()) == {"Monday", "Wednesday"}
    # what only the English wire reports
    singles = " ".join(s["text"] for f in result["facts"] if f["status"] == "single" for s in f["statements"])
    assert "2,000 soldiers in neighbouring Niger" in singles
    assert "We will respect the terms" in singles
    # "on Monday" in a report published Wednesday 2023-01-25 is 2023-01-23; Jan. 18 resolves too
    dates = {t["date"]: t for t in result["timeline"]}
    assert "Monday" in dates["2023-01-23"]["text"] and dates["2023-01-23"]["sources"] == [2]
    assert "2023-01-18" in dates and "2023-01-25" in dates


def test_machine_translated_and_english_wire(cli):
    result = cli.json("compare", str(STORY / "wire-de-translated.md"), str(STORY / "wire-en.md"), "--json")
    check_story(result)
    names = conflicts_of(result, "name")
    assert any(set(c["values"].values()) == {"Tembela", "Tambèla"} for c in names), names


def test_german_report_against_english_wire_uses_the_fallback_and_still_aligns(cli):
    result = cli.json("compare", str(STORY / "dpa-style-de.md"), str(STORY / "wire-en.md"), "--json")
    assert [s["lang"] for s in result["sources"]] == ["de", "en"]
    check_shared(result)
    assert "2023-01-23" in {t["date"] for t in result["timeline"]}  # the English "Monday"
    assert "2023-01-25" in {t["date"] for t in result["timeline"]}  # "am Mittwoch", published Wed 25 Jan
    # the German report gives the day in an attribution sentence of its own ("Das teilte ... mit")
    [weekday] = conflicts_of(result, "weekday")
    assert weekday["values"] == {"1": "Mittwoch", "2": "Monday"}
    agreed = " ".join(s["text"] for f in result["facts"] if f["status"] == "agree" for s in f["statements"])
    assert "Abkommen von 2018" in agreed and "2018 agreement" in agreed


def test_the_briefing_cites_every_statement(cli):
    md = cli.run("compare", str(STORY / "wire-de-translated.md"), str(STORY / "wire-en.md")).stdout
    assert "Weekdays differ" in md and "“Monday” [2]" in md
    body = md.split("## Sources")[0]
    statements = [line for line in body.splitlines() if line.startswith("- ") and "(none" not in line]
    assert statements and all(line.rstrip().endswith("]") for line in statements)
