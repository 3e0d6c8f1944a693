"""Numbers in two reports: every differing count is flagged once, counts of different things never,
and each difference cites the sentences that carry its values (a user's reports on `crosswire
compare` and `crosswire brief examples/`)."""
from __future__ import annotations

import pytest

from conftest import EXAMPLES
from crosswire.compare import compare, find_conflicts
from crosswire.config import load_settings

SETTINGS = load_settings(env={})


@pytest.fixture(scope="module")
def example():
    from crosswire import nlp
    from crosswire.ingest import read_paths

    def run(story):
        batch = read_paths([str(p) for p in sorted((EXAMPLES / story).iterdir())], SETTINGS)
        return nlp.analyze(batch.articles, SETTINGS)
    return run


def numbers(conflicts):
    return sorted((c.a_value, c.b_value) for c in conflicts if c.kind == "number")


# --- 1. each differing quantity of one sentence pair is its own conflict --------------------------

def test_a_magnitude_and_a_death_toll_that_both_differ_are_two_conflicts(analyze):
    a, b = analyze("A magnitude 6.1 earthquake struck the coast on Monday, killing 12 people.",
                   "A magnitude 5.8 earthquake struck the coast on Monday, killing 15 people.")
    assert numbers(find_conflicts(a, b, SETTINGS)) == [("12", "15"), ("6.1", "5.8")]
    # the briefing lists two differences, each citing the two sentences
    differences = [f for f in compare([a, b], SETTINGS).facts if f.status == "conflict"]
    assert sorted(f.conflicts[0].values[1] for f in differences) == ["12", "6.1"]
    assert all([(s.source, s.sentence) for s in f.statements] == [(1, 0), (2, 0)] for f in differences)


def test_homes_and_people_that_both_differ_are_two_conflicts(analyze):
    a, b = analyze("The storm destroyed 300 homes in the valley and killed two people, officials said.",
                   "The storm destroyed 500 homes in the valley and killed three people, officials said.")
    assert numbers(find_conflicts(a, b, SETTINGS)) == [("300", "500"), ("two", "three")]


# --- 2. counts of different things are not a conflict ---------------------------------------------

def test_one_number_written_twice_in_a_sentence_can_differ_twice(analyze):
    # a value was used once by its text, so the injured 12 / 40 was dropped after the killed 12 / 15
    a, b = analyze("The quake killed 12 people and injured 12 others, officials said on Monday.",
                   "The quake killed 15 people and injured 40 others, officials said on Monday.")
    assert numbers(find_conflicts(a, b, SETTINGS)) == [("12", "15"), ("12", "40")]


def test_tolls_one_event_gives_for_two_places_of_different_reach_are_still_compared(analyze):
    # a reviewer's case: a "two places" rule hid this real conflict (Mamuju lies in West Sulawesi); without a
    # gazetteer a toll of another event elsewhere ("a dozen killed in eastern China") is flagged too, and
    # a reader can dismiss that, not a conflict never shown
    a, b = analyze("A strong earthquake struck Indonesia early on Friday. At least 12 people died in Mamuju, where "
                   "several buildings collapsed. Rescuers searched the rubble for survivors.",
                   "A strong earthquake struck Indonesia early on Friday. At least 15 people died in the province "
                   "of West Sulawesi, and hundreds were injured. Rescuers searched the rubble for survivors.")
    assert numbers(find_conflicts(a, b, SETTINGS)) == [("12", "15")]


def test_a_count_given_near_a_place_elsewhere_does_not_cancel_a_toll_conflict(analyze):
    # "hospitals in Mamuju treated 12 people" is not the toll: only a person's count elsewhere tells two things apart
    a, b = analyze("The earthquake killed at least 12 people in Mamuju and destroyed a hospital, officials said.",
                   "The earthquake killed at least 15 people, according to the national disaster agency.\n"
                   "Hospitals in Mamuju treated 12 people for serious injuries.")
    assert ("12", "15") in numbers(find_conflicts(a, b, SETTINGS))


def test_the_time_left_at_two_players_plays_is_not_a_conflict(analyze):
    a, b = analyze("Joe Smith caught a touchdown pass with 9 minutes, 12 seconds remaining before Jones kicked "
                   "the tying field goal and Brown scored the winning touchdown.",
                   "And with just under three minutes remaining, Tom Brown intercepted the quarterback's pass "
                   "and ran it back for the winning touchdown.")
    assert numbers(find_conflicts(a, b, SETTINGS)) == []


def test_yards_one_report_also_gives_the_same_player_are_not_contradicted_by_its_other_yards(analyze):
    a, b = analyze("Miller, who completed 21 passes for 287 yards, ran for two yards to give Denver a 14-0 lead "
                   "in the second quarter.\n"
                   "Jake Miller threw two touchdown passes but was sacked four times by the Eagles.",
                   "Jake Miller threw for 287 yards and two touchdown passes but was sacked four times by the Eagles.\n"
                   "The Denver defense looked shaky in the second quarter and gave up 402 yards, but got two late "
                   "sacks.")
    assert numbers(find_conflicts(a, b, SETTINGS)) == []


def test_the_same_count_of_the_same_thing_with_other_places_named_still_conflicts(analyze):
    a, b = analyze("Hurricane Laura made landfall near Lake Charles on Thursday, bringing winds of over 150 mph.",
                   "Hurricane Laura made landfall near Cameron on Thursday, bringing 225-mile-an-hour winds.")
    assert numbers(find_conflicts(a, b, SETTINGS)) == [("150", "225")]


def test_the_colts_briefing_flags_no_counts_of_different_things(example):
    # the Colts' playing time and yards (two players; a count the other report gives the same player elsewhere).
    # Iran's "a dozen" killed by another quake in China is still flagged: see the two-places test above
    result = compare(example("colts-clinch-playoffs"), SETTINGS)
    assert [c.values for f in result.facts for c in f.conflicts if c.kind == "number"] == []


# --- 3. a difference cites the sentences that carry its values ------------------------------------

def test_a_third_report_that_agrees_with_one_side_is_cited_with_it(analyze):
    a, b, c = analyze("Officials said 12 people were killed when the bridge collapsed on Monday.",
                      "Officials said 12 people were killed when the old bridge collapsed on Monday.",
                      "Officials said 15 people were killed when the bridge collapsed on Monday.")
    [difference] = [f for f in compare([a, b, c], SETTINGS).facts if f.status == "conflict"]
    assert [c.values for c in difference.conflicts] == [{1: "12", 2: "12", 3: "15"}]
    assert [(s.source, s.sentence) for s in difference.statements] == [(1, 0), (2, 0), (3, 0)]


def test_example_facts_cite_one_sentence_per_report_and_differences_only_theirs(example):
    for story in ("colts-clinch-playoffs", "iran-earthquake", "burkina-faso", "turkmenistan-election"):
        result = compare(example(story), SETTINGS)
        for fact in result.facts:
            cited = [s.source for s in fact.statements]
            assert len(cited) == len(set(cited)), (story, fact.statements)
            for conflict in fact.conflicts:
                if conflict.kind == "name":
                    continue
                # every cited sentence states the value the difference gives for its report
                assert all(conflict.values[s.source] in s.text for s in fact.statements), (story, fact)


def test_the_weekday_difference_of_three_wires_is_one_difference_citing_the_weekday_sentences(example):
    result = compare(example("burkina-faso"), SETTINGS)
    [weekday] = [f for f in result.facts if f.conflicts and f.conflicts[0].kind == "weekday"]
    assert sorted(weekday.conflicts[0].values.values()) == ["Mittwoch", "Monday", "Wednesday"]
    assert all(any(day in s.text for day in ("Mittwoch", "Wednesday", "Monday")) for s in weekday.statements)
    assert len(weekday.statements) == 3
    # the 400 soldiers all three report are still an agreed fact
    assert any(v.value == "400" and v.sources == [1, 2, 3] for f in result.facts if f.status == "agree"
               for v in f.agreed)
