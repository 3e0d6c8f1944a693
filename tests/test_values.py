"""Dates and numbers as reporters write them: one value, many spellings; relative dates resolved."""
from __future__ import annotations

from datetime import date

import pytest

from crosswire.nlp.dates import find_dates
from crosswire.nlp.quantities import find_quantities

WED = date(2023, 1, 25)


@pytest.mark.parametrize("text,lang,expected", [
    ("The spokesman announced it on Monday.", "en", "2023-01-23"),  # last Monday before a Wednesday report
    ("Das Ministerium teilte es am Mittwoch mit.", "de", "2023-01-25"),
    ("Le ministère l'a annoncé lundi.", "fr", "2023-01-23"),
    ("France will withdraw, the ministry announced on Monday.", "en", "2023-01-23"),  # 'will' is not the verb here
    ("Ministers will meet on Friday.", "en", "2023-01-27"),  # looks ahead
    ("in a letter dated Jan. 18", "en", "2023-01-18"),
    ("in a letter dated 18 January", "en", "2023-01-18"),
    ("am 18. Januar 2023", "de", "2023-01-18"),
    ("Last month the junta asked France to leave.", "en", "2022-12"),
    ("under the 2018 agreement", "en", "2018"),
])
def test_dates_resolve_against_the_publication_date(text, lang, expected):
    assert expected in [m.value for m in find_dates(text, WED, lang)]


@pytest.mark.parametrize("text,lang,value,label", [
    ("France keeps 2,000 soldiers in Niger.", "en", "2000", "soldiers"),
    ("France keeps 2000 soldiers in Niger.", "en", "2000", "soldiers"),
    ("two thousand soldiers", "en", "2000", "soldiers"),
    ("Frankreich hat 2.000 Soldaten in Niger.", "de", "2000", "soldaten"),
    ("rund 400 Soldaten", "de", "400", "soldaten"),
    ("a $1.5 million settlement", "en", "1500000", "settlement"),
    ("the 81st Annual Academy Awards", "en", "81", "annual"),
    ("seven villages", "en", "7", "villages"),
])
def test_numbers_normalise_and_keep_what_they_count(text, lang, value, label):
    assert (value, label) in [(m.value, m.label) for m in find_quantities(text, lang)]


def test_years_and_times_are_not_counts():
    assert [m.value for m in find_quantities("In 2018, at 10:30, 400 soldiers left.", "en")] == ["400"]
