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
PERSON = {"PERSON", "PER"}


def stated_ages(article: AnalyzedArticle) -> dict[str, dict[str, int]]:
    """Full-name key -> {age as written: sentence index}. A surname alone counts for the one full
    name in the article that ends with it ("Lopez, 20" is Andrew Lopez's age)."""
    text = article.article.text
    people = {m.value for m in article.mentions if m.kind == "entity" and m.label in PERSON and " " in m.value}
    found: dict[str, dict[str, int]] = {}
    for m in article.mentions:
        if m.kind != "entity" or m.label not in PERSON or not m.value:
            continue
        match = AGE_AFTER_NAME.match(text[m.end:m.end + 12])
        if not match or not 0 < int(match.group(1)) <= 120:
            continue
        name = m.value
        if " " not in name:
            owners = [p for p in people if p.split()[-1] == name]
            if len(owners) != 1:
                continue
            name = owners[0]
        found.setdefault(name, {}).setdefault(match.group(1), m.sentence)
    return found


def age_conflicts(a: AnalyzedArticle, b: AnalyzedArticle) -> list[ValueConflict]:
    """One age on one side, another on the other (a report that also repeats the first age elsewhere
    still states the other one)."""
    ages_b = stated_ages(b)
    out = []
    for name, by_age_a in stated_ages(a).items():
        by_age_b = ages_b.get(name, {})
        if not by_age_b or (len(by_age_a) > 1 and len(by_age_b) > 1):
            continue
        for age_a, sentence_a in by_age_a.items():
            for age_b, sentence_b in by_age_b.items():
                if age_a != age_b and (age_a not in by_age_b or age_b not in by_age_a):
                    if len(by_age_a) == 1 or len(by_age_b) == 1:
                        out.append(ValueConflict("number", age_a, age_b, sentence_a, sentence_b))
    return out
