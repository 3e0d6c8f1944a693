"""Dates as news writes them, resolved against the article's publication date.

"on Monday" in a report published Wednesday 2023-01-25 means 2023-01-23: the most recent
Monday on or before publication (news reports the past far more than it announces). "Jan. 18",
"18 January" and "January 18" are one date, so the comparison never calls them a conflict.
Regular expressions, not dateparser's search: they run on every sentence, must be fast, and
must not read "May" the verb or "March" the protest as months without a day or year beside them.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from crosswire.model import Mention

WEEKDAYS = {  # every supported spelling -> English name
    **{d.lower(): d for d in calendar.day_name},
    "montag": "Monday", "dienstag": "Tuesday", "mittwoch": "Wednesday", "donnerstag": "Thursday",
    "freitag": "Friday", "samstag": "Saturday", "sonnabend": "Saturday", "sonntag": "Sunday",
    "lundi": "Monday", "mardi": "Tuesday", "mercredi": "Wednesday", "jeudi": "Thursday", "vendredi": "Friday",
    "samedi": "Saturday", "dimanche": "Sunday",
    "lunes": "Monday", "martes": "Tuesday", "miércoles": "Wednesday", "jueves": "Thursday", "viernes": "Friday",
    "sábado": "Saturday", "domingo": "Sunday",
}
WEEKDAY_INDEX = {name: i for i, name in enumerate(calendar.day_name)}
MONTHS = {
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "décembre": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# German writes the part of the day onto the weekday ("am Mittwochabend"): still that weekday
_WEEKDAY = (r"\b(" + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
            + r")(?:morgen|vormittag|mittag|nachmittag|abend|nacht|früh)?\b")
MONTH_DAY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?", re.I)
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th|\.|er)?\s+(?:de\s+)?" + _MONTH + r"(?:\s+(?:de\s+)?(\d{4}))?\b", re.I)
MONTH_YEAR = re.compile(_MONTH + r"\s+(?:of\s+|de\s+)?(\d{4})\b", re.I)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
YEAR = re.compile(r"(?<![\d,.$€£])\b(1[89]\d\d|20\d\d)\b(?![,.]?\d)(?!\s*(?:%|km|kg|m\b))(?!\s+(?:[a-z]+\s+)?(?:people|persons|soldiers|troops|[a-z]{3,}s)\b)", re.I)
WEEKDAY = re.compile(_WEEKDAY, re.I)
RELATIVE = {
    "yesterday": ("day", -1), "today": ("day", 0), "tomorrow": ("day", 1), "gestern": ("day", -1),
    "heute": ("day", 0), "morgen": ("day", 1), "hier": ("day", -1), "aujourd'hui": ("day", 0), "demain": ("day", 1),
    "last month": ("month", -1), "next month": ("month", 1), "this month": ("month", 0),
    "letzten monat": ("month", -1), "le mois dernier": ("month", -1), "mois dernier": ("month", -1),
    "last year": ("year", -1), "next year": ("year", 1), "this year": ("year", 0), "letztes jahr": ("year", -1),
    "l'année dernière": ("year", -1), "l'an dernier": ("year", -1),
}
RELATIVE_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(RELATIVE, key=len, reverse=True)) + r")\b",
                         re.I)
def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_shift(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + d.month - 1 + months
    return total // 12, total % 12 + 1


def _day_shift(d: date, days: int) -> date | None:
    """None past year 1 or 9999: a publication date there is a placeholder, so the phrase stays unresolved
    (as with no date) rather than failing the article."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return None


def _weekday_date(name: str, published: date, before: str, after: str = "", lang: str = "en") -> date | None:
    """The latest such weekday on or before publication, or the coming one if the clause looks ahead (tense.py)."""
    from crosswire.nlp.tense import direction
    target = WEEKDAY_INDEX[name]
    back = (published.weekday() - target) % 7
    way = direction(before, after, lang)
    if way == "next":
        return _day_shift(published, 7 - back if back else 7)
    if way == "last":
        return _day_shift(published, -back if back else -7)
    if back and way == "ahead":
        return _day_shift(published, 7 - back)
    return _day_shift(published, -back)


def find_dates(text: str, published: datetime | date | None, lang: str = "en") -> list[Mention]:
    """Date mentions in one sentence, offsets relative to `text`; value ISO at day/month/year precision."""
    pub = published.date() if isinstance(published, datetime) else published
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: str, precision: str, **extra) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(Mention("date", -1, start, end, text[start:end], precision, value, extra))

    for m in ISO.finditer(text):
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            add(m.start(), m.end(), d.isoformat(), "day")
    for regex, month_group, day_group, year_group in ((MONTH_DAY, 1, 2, 3), (DAY_MONTH, 2, 1, 3)):
        for m in regex.finditer(text):
            month, day = MONTHS[m.group(month_group).lower().rstrip(".")], int(m.group(day_group))
            year = int(m.group(year_group)) if m.group(year_group) else (pub.year if pub else None)
            if not 1 <= day <= 31:
                continue
            if year is None:  # no year anywhere: keep the month-day so formats still compare equal
                add(m.start(), m.end(), f"--{month:02d}-{day:02d}", "day", month_day=f"{month:02d}-{day:02d}")
                continue
            d = _safe_date(year, month, day)
            if d and pub and not m.group(year_group) and (d - pub).days > 200:
                d = _safe_date(year - 1, month, day) or d  # "Dec. 30" in a January report is last year
            if d:
                add(m.start(), m.end(), d.isoformat(), "day", month_day=f"{month:02d}-{day:02d}",
                    relative=not m.group(year_group))
    for m in MONTH_YEAR.finditer(text):
        month = MONTHS[m.group(1).lower().rstrip(".")]
        if m.group(1).lower() in {"may", "march", "mars", "mai"} and not m.group(1)[0].isupper():
            continue
        add(m.start(), m.end(), f"{int(m.group(2)):04d}-{month:02d}", "month")
    for m in WEEKDAY.finditer(text):
        name = WEEKDAYS[m.group(1).lower()]
        day = _weekday_date(name, pub, text[:m.start()], text[m.end():], lang) if pub else None
        add(m.start(), m.end(), day.isoformat() if day else "", "day", weekday=name, relative=True)
    for m in RELATIVE_RE.finditer(text):
        if not pub:
            continue
        unit, shift = RELATIVE[m.group(1).lower()]
        if unit == "day":
            day = _day_shift(pub, shift)
            if day:
                add(m.start(), m.end(), day.isoformat(), "day", relative=True)
        elif unit == "month":
            y, mo = _month_shift(pub, shift)
            if 1 <= y <= 9999:  # year 0 or 10000 is no ISO date (see _day_shift)
                add(m.start(), m.end(), f"{y:04d}-{mo:02d}", "month", relative=True)
        elif 1 <= pub.year + shift <= 9999:
            add(m.start(), m.end(), f"{pub.year + shift:04d}", "year", relative=True)
    for m in YEAR.finditer(text):
        add(m.start(), m.end(), m.group(1), "year", year_only=True)
    found.sort(key=lambda x: x.start)
    return found
