"""A fact-checker compares two reports of one story: which report was ingested first must not change
the differences they are shown (only which side each value is printed on)."""
from __future__ import annotations

import pytest

from crosswire.compare import compare, find_conflicts
from crosswire.config import load_settings

SETTINGS = load_settings(env={})

# one report gives two yardages, the other one: the rushing total is the one retold
GAME = ("Marcus Carter ran for 87 yards and a touchdown and caught six passes for 95 yards as the Falcons beat "
        "Carolina 27-20 on Sunday.\nCoach Dan Reeves said Carter would start again next week.",
        "Marcus Carter finished with 112 yards and a touchdown on 19 carries as Atlanta beat the Panthers 27-20 "
        "on Monday night.\nCarter will start again next week, coach Dan Reeves said.")
# one report gives a record and an improvement, the other the improvement only: 12 answers 9, not 47
SEASON = ("Coach Ray Lee took the Hawks to a 12-win improvement from a year ago and back into the playoffs.",
          "Lee did take the Hawks to a 47-35 record, a 9-win improvement over the year before, and back into the "
          "playoffs.")
# one report dates two events, the other one: the opening year is the one retold
CLINIC = ("Dr. Alma Reyes opened the Bayview health clinic in 1990 and moved it to the harbour in 1999, staff said.",
          "The Bayview health clinic, which Dr. Alma Reyes opened in 1991, still treats fishermen for free.")


def differences(first, second):
    """(kind, value in the first text, value in the second) for every conflict, compared first-to-second."""
    return sorted((c.kind, c.a_value, c.b_value) for c in find_conflicts(first, second, SETTINGS))


@pytest.mark.parametrize("texts, expected", [
    (GAME, [("number", "87", "112"), ("weekday", "Sunday", "Monday")]),
    (SEASON, [("number", "12", "9")]),
    (CLINIC, [("year", "1990", "1991")]),
], ids=["game", "season", "clinic"])
def test_the_same_two_reports_in_either_order_show_the_same_conflicts(analyze, texts, expected):
    first, second = analyze(*texts)
    assert differences(first, second) == expected
    swapped = differences(second, first)
    assert sorted((kind, b, a) for kind, a, b in swapped) == expected


def test_the_briefing_lists_the_same_differences_whichever_report_comes_first(analyze):
    first, second = analyze(*GAME)

    def listed(articles):
        return sorted(sorted((articles[n - 1].article.outlet, value) for n, value in c.values.items())
                      for f in compare(articles, SETTINGS).facts if f.status == "conflict" for c in f.conflicts)
    assert listed([first, second]) == listed([second, first])
    assert [("Outlet 0", "87"), ("Outlet 1", "112")] in listed([first, second])
