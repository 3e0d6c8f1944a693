"""Ages in apposition: "John Jenkin, 23, was arrested" vs "John Jenkin, 11, was arrested".

Why a rule of its own: reports state a person's age in sentences that otherwise share little
("Andrew Lopez, 20, was found guilty" / "Andrew Lopez, 40, is the accused gunman"), so sentence
alignment never pairs them, yet one person has one age. The name must be a PERSON entity the
NLP stage found, directly followed by ", NN" and then punctuation or a lower-case word; a
surname alone counts only when one full name in the article ends with it. When both reports
give a name several ages, nothing is flagged.
"""
from __future__ import annotations

import re

from crosswire.compare.conflicts import ValueConflict
from crosswire.model import AnalyzedArticle

AGE_AFTER_NAME = re.compile(r"^,\s+(\d{1,3})(?=\s*[,.;)]|\s+[a-z])")
AGE_BEFORE_NAME = re.compile(r"(\d{1,3})\s*-?\s*years?\s*-?\s*old\s+$", re.I)  # "70-year-old Gomes"
PERSON = {"PERSON", "PER"}


def stated_ages(article: AnalyzedArticle) -> dict[str, dict[str, int]]:
    """Name key -> {age as written: sentence index}. The key is the full name; a surname alone
    counts for the one full name in the article that ends with it ("Lopez, 20" is Andrew Lopez's
    age), or stays a surname when the article never gives the full name."""
    text = article.article.text
    people = {m.value for m in article.mentions if m.kind == "entity" and m.label in PERSON and " " in m.value}
    surnames = {p.split()[-1] for p in people}
    found: dict[str, dict[str, int]] = {}
    for m in article.mentions:
        # small models call a surname ORG or GPE now and then ("70-year-old Gomes"): a surname of a
        # person the article names in full counts as that person
        if m.kind != "entity" or not m.value or not (m.label in PERSON or m.value.split()[-1] in surnames):
            continue
        match = AGE_AFTER_NAME.match(text[m.end:m.end + 12]) or AGE_BEFORE_NAME.search(text[max(0, m.start - 20):m.start])
        if not match or int(match.group(1)) == 0:
            continue
        name = m.value
        if " " not in name:
            owners = [p for p in people if p.split()[-1] == name]
            if len(owners) > 1:
                continue
            name = owners[0] if owners else name
        found.setdefault(name, {}).setdefault(match.group(1), m.sentence)
    return found


def _same_person(a: str, b: str) -> bool:
    """Full names must match; a bare surname matches the full name it ends ("gomes" / "gary gomes")."""
    return a == b or (" " not in a and b.split()[-1] == a) or (" " not in b and a.split()[-1] == b)


def age_conflicts(a: AnalyzedArticle, b: AnalyzedArticle) -> list[ValueConflict]:
    """One age on one side, another on the other (a report that also repeats the first age elsewhere
    still states the other one)."""
    ages_a, ages_b = stated_ages(a), stated_ages(b)
    out = []
    for name, by_age_a in ages_a.items():
        matches = [n for n in ages_b if _same_person(name, n)]
        # one person each way: a surname that fits two full names of the other report is nobody's
        if len(matches) != 1 or sum(_same_person(n, matches[0]) for n in ages_a) != 1:
            continue
        by_age_b = ages_b[matches[0]]
        if len(by_age_a) > 1 and len(by_age_b) > 1:
            continue
        for age_a, sentence_a in by_age_a.items():
            for age_b, sentence_b in by_age_b.items():
                if age_a != age_b and (age_a not in by_age_b or age_b not in by_age_a):
                    out.append(ValueConflict("number", age_a, age_b, sentence_a, sentence_b))
    return out
