"""Which two differing values are worth calling a conflict at all.

A difference between two values is a conflict only when both state *one* fact. These checks
each remove one way that two differing values are not one fact told two ways, found by reading
the flags the comparison raised on the dev pairs of the conflict benchmark:

- an identifier is not a count: "2196850" in a tokenised web address or a case number;
- a rounding agrees with the exact figure: "almost 130 million" / "129,988,985";
- a scale written once covers two numbers: "between $140 and $150 million" / "$140 million";
- two currencies, a percentage and a count, a rank and a count ("his 11th point" / "23 points"),
  or two people's counts ("Ty Lawson ... 16 points" / "Hansbrough's 20 points") are two measures;
- a page's "Last updated at 13:42 GMT" line is not the event's date, and two dates months apart
  are two events (the gap is `date_max_gap_days` in the [compare] settings);
- loosely paired sentences (not each other's best match) count many different things of one
  kind (games, seasons, points); only a person's age is tied to one fact firmly enough;
- in loosely paired sentences, the day a statement was *made* ("police said Wednesday") or a
  deadline ("on hold until Friday") is not the day the event happened.
"""
from __future__ import annotations

import re
from datetime import date
from math import floor, log10

from crosswire.compare.align import content_words
from crosswire.folding import fold_word
from crosswire.model import Mention, Sentence

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_SCALE = re.compile(r"\b(?:thousand|million|billion|trillion|mn|bn|m|k)\b|\d(?:m|bn|k)\b", re.I)
_AGE_BEFORE = re.compile(r"\b(?:aged?|age of)\s*$", re.I)
_AGE_AFTER = re.compile(r"^\s*-?\s*years?\s*-?\s*old\b", re.I)
AGE_OWNER = re.compile(r"([A-Z][\w'’-]+),\s*$")  # "Alice McMeekin, 58": the name before an age
_REPORTED = r"\b(?:said|says|told\s+\w+|reported|confirmed|added)\s+(?:on\s+|late\s+|early\s+)?"
_BOUNDARY = r"\b(?:until|till|by|since|before|through)\s+(?:last\s+|next\s+)?"


def is_identifier(m: Mention) -> bool:
    """Six or more digits written without separators and not a year: an id, not a quantity."""
    text = m.text.strip()
    return text.isdigit() and len(text) >= 6


def _significant(value: float) -> int:
    digits = f"{abs(value):.6f}".replace(".", "").strip("0")
    return max(1, len(digits))


def _round_to(value: float, significant: int) -> float:
    if value == 0:
        return 0.0
    return round(value, significant - 1 - floor(log10(abs(value))))


def is_rounding(x: Mention, y: Mention) -> bool:
    """One figure is the other rounded: "130 million" / "129,988,985", "9.2 million" / "9.21 million".
    The exact one must have >= 3 significant digits, so "20" / "16" stays a difference."""
    try:
        vx, vy = float(x.value), float(y.value)
    except ValueError:
        return False
    sx, sy = _significant(vx), _significant(vy)
    if sx == sy:
        return False
    rough, exact, s_rough, s_exact = (vx, vy, sx, sy) if sx < sy else (vy, vx, sy, sx)
    return s_exact >= 3 and _round_to(exact, s_rough) == rough


def is_elided_scale(x: Mention, y: Mention) -> bool:
    """"$140 and $150 million": the first number carries the scale of the second, so "140" and
    "140 million" are one figure."""
    dx, dy = _DIGITS.search(x.text), _DIGITS.search(y.text)
    if not dx or not dy or dx.group(0).replace(",", "") != dy.group(0).replace(",", ""):
        return False
    return bool(_SCALE.search(x.text)) != bool(_SCALE.search(y.text))


def same_figure(x: Mention, y: Mention, edited_copy: bool = False) -> bool:
    """Two numbers that differ in writing only, or are not quantities at all. In an edited copy
    every changed figure is an edit worth showing, identifiers included."""
    ids = not edited_copy and (is_identifier(x) or is_identifier(y))
    return ids or is_rounding(x, y) or is_elided_scale(x, y)


def is_age(m: Mention, sentence: Sentence) -> bool:
    """"46-year-old", "Scott Russell, 92,", "at the age of 91", "aged 40"."""
    at = m.start - sentence.start
    before, after = sentence.text[max(0, at - 30):at], sentence.text[at + len(m.text):at + len(m.text) + 12]
    return (m.label == "year-old" or bool(_AGE_AFTER.match(after)) or bool(_AGE_BEFORE.search(before))
            or bool(AGE_OWNER.search(before)) and after.lstrip().startswith((",", ".", ";")))


def dates_the_event(text: str, written: str) -> bool:
    """False when the weekday marks a deadline or a boundary ("on hold until Friday", "by
    Saturday evening"), not the day something happened."""
    day = re.escape(written)
    return not re.search(_BOUNDARY + day, text, re.I)


def reported_on(text: str, written: str) -> bool:
    """The weekday is the day somebody said something ("the company said Monday")."""
    return bool(re.search(_REPORTED + re.escape(written), text))


_CURRENCIES = {"$": "usd", "dollar": "usd", "usd": "usd", "€": "eur", "euro": "eur", "eur": "eur",
               "£": "gbp", "pound": "gbp", "gbp": "gbp", "¥": "jpy", "yen": "jpy", "yuan": "cny",
               "rupee": "inr", "franc": "chf", "rouble": "rub", "ruble": "rub"}
_CURRENCY = re.compile(r"[$€£¥]|\b(?:dollar|euro|pound|yen|yuan|rupee|franc|r[ou]ble|usd|eur|gbp)s?\b", re.I)


def _unit(m: Mention, sentence: Sentence) -> str:
    """'eur', 'usd', '%' or '' for a number, from its own text and the words around it."""
    at = m.start - sentence.start
    around = sentence.text[max(0, at - 2):at + len(m.text) + 10]
    if "%" in around or re.search(r"\bper\s?cent\b|\bprozent\b|\bpour\s?cent\b", around, re.I):
        return "%"
    found = _CURRENCY.search(around)
    return _CURRENCIES.get(found.group(0).lower().rstrip("s"), "") if found else ""


def units_differ(x: Mention, sx: Sentence, y: Mention, sy: Sentence) -> bool:
    """"103 million euros" / "£88m", "5,140 products" / "10 percent", "11th" / "23": two measures,
    not one figure."""
    if _ordinal(x.text) != _ordinal(y.text):
        return True  # "his 11th point" / "scored 23 points": a rank is not a count
    ux, uy = _unit(x, sx), _unit(y, sy)
    return ux != uy and (ux == "%" or uy == "%" or bool(ux and uy))


_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)\b|^(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
                      re.I)


def _ordinal(text: str) -> bool:
    return bool(_ORDINAL.match(text.strip()))


_POSSESSIVE = re.compile(r"([A-Z][\w-]+)\s*(?:'s|’s|'|’)\s*$")


# "With just under five minutes remaining, Keiwan Ratliff intercepted ...": a number inside an opening
# phrase belongs to the person named right after that phrase's comma, the subject of the sentence
_OPENING_PHRASE = re.compile(r"^\W*(?:(?:and|but|then)\s+)?(?:with|after|before|in|on|at|during|despite|down|up|"
                             r"trailing|leading|within|under|over|for|from)\b[^,;]*$", re.I)


def _opening_subject(m: Mention, sentence: Sentence, people: list[Mention]) -> str:
    """Surname of the person who opens the sentence right after the opening phrase holding the number."""
    at = m.start - sentence.start
    comma = sentence.text.find(",", at)
    if comma < 0 or ";" in sentence.text[at:comma] or not _OPENING_PHRASE.match(sentence.text[:at]):
        return ""
    subject = [p for p in people if p.sentence == m.sentence and p.start - sentence.start > comma
               and not sentence.text[comma + 1:p.start - sentence.start].strip()]
    return subject[0].text.split()[-1] if subject and subject[0].text else ""


def _owner(m: Mention, sentence: Sentence, people: list[Mention]) -> str:
    """Surname of the person named last before the number in its sentence ("Ty Lawson also
    chipped in 16 points"), or of the subject after an opening phrase holding it, or ''."""
    at = m.start - sentence.start
    possessive = _POSSESSIVE.search(sentence.text[max(0, at - 30):at])  # "Hansbrough's 20 points"
    if possessive:
        return possessive.group(1)
    before = [p for p in people if p.sentence == m.sentence and p.end <= m.start]
    if before and before[-1].text:
        return before[-1].text.split()[-1]
    return _opening_subject(m, sentence, people)


def people_in(mentions: list[Mention], sentence: int) -> list[Mention]:
    return [m for m in mentions if m.kind == "entity" and m.label in ("PERSON", "PER") and m.sentence == sentence]


def _may_own(name: str, m: Mention, sentence: Sentence, people: list[Mention]) -> bool:
    """The person is named where they could own the number: before it, or as the subject after an
    opening phrase holding it (named only after it, in a later clause, they cannot)."""
    folded = fold_word(name)
    return folded in fold_word(sentence.text[:m.start - sentence.start]) or folded == fold_word(
        _opening_subject(m, sentence, people))


def owners_differ(x: Mention, sx: Sentence, people_x: list[Mention],
                  y: Mention, sy: Sentence, people_y: list[Mention]) -> bool:
    """Two people's counts: "Ty Lawson ... 16 points" / "Hansbrough's 20 points", "Clark collected a
    pass with 12 minutes remaining" / "with under five minutes remaining, Ratliff intercepted". Only
    when each number has its own person and neither sentence names the other's where it could own
    the number."""
    ox, oy = _owner(x, sx, people_x), _owner(y, sy, people_y)
    if not ox or not oy or fold_word(ox) == fold_word(oy):
        return False
    return not _may_own(ox, y, sy, people_y) and not _may_own(oy, x, sx, people_x)


# "a.m." / "pm" only after an hour: German "am" ("am Donnerstag", on Thursday) made every short German sentence a dateline
_DATELINE = re.compile(r"\b(?:updated|published|posted|GMT|UTC)\b|\b\d{1,2}\s*[AP]\.?M\b\.?(?-i:(?!\s+[A-ZÄÖÜ][a-zäöüß]))"
                       r"(?:\s*(?:ET|EST|EDT)\b)?|\d{1,2}\s*:\s*\d{2}", re.I)


def is_dateline(text: str) -> bool:
    """"23 July 2013 Last updated at 13:42 GMT": when a page was published, not what happened."""
    return len(text) <= 80 and bool(_DATELINE.search(text))


def days_apart(x: Mention, y: Mention) -> int:
    """Days between two month-day dates, ignoring the year (Dec 30 and Jan 2 are 3 days apart)."""
    (mx, dx), (my, dy) = (map(int, m.extra["month_day"].split("-")) for m in (x, y))
    gap = abs(date(2000, mx, dx).toordinal() - date(2000, my, dy).toordinal())
    return min(gap, 366 - gap)
