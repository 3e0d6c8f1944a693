"""Numbers as sources write them, normalised so "2,000" = "2000" = "two thousand" = "2.000" (de).

Why our own rules instead of a parser: the comparison stage must never call two spellings of
one number a conflict, and must see "400 soldiers" vs "300 soldiers" as the same role with
different values. So each quantity keeps its value and the word it counts (the label).
ECB+-style tokenisation artefacts ("2, 000ft", "32 - year - old") are repaired first.
"""
from __future__ import annotations

import re

from crosswire.model import Mention

WORDS = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
           "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
           "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "hundred": 100, "thousand": 1000},
    "de": {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
           "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
           "siebzig": 70, "achtzig": 80, "neunzig": 90, "hundert": 100, "tausend": 1000, "dutzend": 12},
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
           "onze": 11, "douze": 12, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
           "cent": 100, "mille": 1000, "douzaine": 12},
}
# tens and units written as one number: "twenty-one", "forty five", "einundzwanzig", "vingt-deux", "trente et un"
_UNITS = {"en": "one|two|three|four|five|six|seven|eight|nine", "de": "ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun",
          "fr": "un|deux|trois|quatre|cinq|six|sept|huit|neuf"}
_TENS = {"en": "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety",
         "de": "zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig",
         "fr": "vingt|trente|quarante|cinquante|soixante"}
COMPOUND = {"en": re.compile(rf"\b({_TENS['en']})[-\s]+({_UNITS['en']})\b", re.I),
            "de": re.compile(rf"\b({_UNITS['de']})und({_TENS['de']})\b", re.I),
            "fr": re.compile(rf"\b({_TENS['fr']})(?:-|\s+et\s+|-et-)({_UNITS['fr']})\b", re.I)}
_UNIT_VALUE = {w: n + 1 for units in _UNITS.values() for n, w in enumerate(units.split("|"))}
SCALES = {"million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9, "trillion": 10**12,
          "millionen": 10**6, "million(en)?": 10**6, "milliarde": 10**9, "milliarden": 10**9, "mio": 10**6,
          "mrd": 10**9, "milliard": 10**9, "milliards": 10**9, "thousand": 1000, "hundred": 100, "tausend": 1000,
          "mille": 1000, "bn": 10**9, "m": 10**6}
CURRENCY = {"$", "£", "€", "¥"}  # "$1.2m" is a million dollars; "1.2m" alone is metres
DOT_THOUSANDS = {"de", "es", "it", "pt", "nl", "pl", "tr", "id"}  # "2.000" is two thousand there
MONTHS_NEAR = re.compile(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$", re.I)

_NUM = (r"(?<![\w.,])(\d{1,3}(?:(?:,|\.|\u202f|\u00a0|\s(?=\d{3}(?!\d)(?!\s*[,:])))\d{3})+|\d+(?:[.,]\d+)?|\.\d+)"
        r"(st|nd|rd|th|pm|am|ft|km|kg|mm|cm|mph|bn|mln|mn|m|s)?(?![\w])")  # ordinals, glued units and scales: "81st", "9pm", "1.2bn"
NUMBER = re.compile(_NUM + r"(?:\s*(%|per\s?cent|percent|prozent|pour\s?cent))?"
                    r"(?:\s+(million|millions|billion|billions|trillion|millionen|milliarden?|mrd|mio|milliards?|bn)\b)?",
                    re.I)  # groups: 1 number, 2 glued suffix, 3 percent, 4 scale
WORD_RE = {lang: re.compile(r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b"
                            r"(?:[\s-]+(million|millions|billion|thousand|hundred|millionen|tausend|mille))?", re.I)
           for lang, words in WORDS.items()}
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
TIME_AFTER = re.compile(r"^\s*(?::\s?\d\d|h\d\d|uhr\b)", re.I)
# a month's name or abbreviation as a whole word: "500 maisons" (not "mai"), "12 junge Leute", "30 decades"
FOLLOWED_BY_MONTH = re.compile(r"(?:st|nd|rd|th|\.|er)?\s+(?:of\s+|de\s+)?(jan(?:uary|uar)?|feb(?:ruary|ruar)?|"
                               r"mar(?:ch)?|märz|apr(?:il)?|may|mai|june?|juni|july?|juli|aug(?:ust)?|"
                               r"sep(?:t(?:ember|embre)?)?|oct(?:ober|obre)?|okt(?:ober)?|nov(?:ember|embre)?|"
                               r"dec(?:ember)?|dez(?:ember)?|janv(?:ier)?|févr(?:ier)?|mars|avr(?:il)?|juin|"
                               r"juil(?:let)?|août|déc(?:embre)?)(?![^\W\d_])", re.I)
COUNTED_AFTER = re.compile(r"\s+(?:[a-z]+\s+)?(?:people|persons|soldiers|troops|[a-z]{3,}s)\b")
UNIT_WORD = re.compile(r"[^\W\d_][\w'-]*", re.U)
SKIP_LABELS = {"and", "or", "of", "the", "a", "to", "in", "on", "at", "by", "for", "with", "und", "et", "de", "des"}


def repair_artefacts(text: str) -> str:
    """Undo tokeniser damage: "2, 000" -> "2,000", "32 - year - old" -> "32-year-old"."""
    text = re.sub(r"(\d),\s(\d{3})(?!\d)", r"\1,\2", text)
    return re.sub(r"\s-\s(?=\w)", "-", re.sub(r"(?<=\w)\s-\s(?=\w)", "-", text))


def normalise_number(raw: str, lang: str = "en") -> float | None:
    s = raw.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if lang in DOT_THOUSANDS or lang == "fr":
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
            s = s.replace(".", "")
        s = s.replace(",", ".") if re.fullmatch(r"\d+,\d+", s) else s.replace(",", "")
    else:
        if re.fullmatch(r"\d+,\d{1,2}", s) and lang != "en":
            s = s.replace(",", ".")
        s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def format_value(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


# one unit, several spellings: "150 mph" and "225-mile-an-hour winds" measure the same thing
UNIT_SPELLINGS = {"mile-an-hour": "mph", "miles-an-hour": "mph", "mile-per-hour": "mph", "miles-per-hour": "mph",
                  "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
                  "km/h": "kph", "kmh": "kph", "kilometre-per-hour": "kph", "kilometer-per-hour": "kph",
                  "percent": "%", "per-cent": "%", "prozent": "%", "pour-cent": "%"}


def _label(text: str, end: int) -> str:
    """The counted noun right after the number ("400 soldiers" -> "soldiers"), skipping one adjective-ish word."""
    words = UNIT_WORD.findall(re.split(r"[,;:()\d]|\.\s", text[end:end + 40])[0])
    for word in words[:2]:
        if word.lower() not in SKIP_LABELS:
            return UNIT_SPELLINGS.get(word.lower(), word.lower())
    return ""


def find_quantities(text: str, lang: str = "en") -> list[Mention]:
    """Quantities in one sentence (offsets relative to `text`). Years, times and day numbers are skipped."""
    lang = (lang or "en")[:2].lower()
    out: list[Mention] = []
    for m in NUMBER.finditer(text):
        raw = m.group(1)
        if TIME_AFTER.match(text[m.end(1):]) or FOLLOWED_BY_MONTH.match(text[m.end():]):
            continue  # "10:30", "18 January": times and dates belong to nlp.dates
        if YEAR.match(raw) and not m.group(2) and not COUNTED_AFTER.match(text[m.end():]):
            continue  # "in 2018" is a year; "2000 soldiers" is a count
        before = text[max(0, m.start() - 12):m.start()].strip()
        if MONTHS_NEAR.search(before) or re.search(r"\d[.:]$", before):
            continue  # "Jan. 18", "18.30": dates and times belong to nlp.dates
        value = normalise_number(raw, lang)
        if value is None:
            continue
        suffix = (m.group(2) or "").lower()
        if suffix in {"bn", "mln", "mn"} or (suffix == "m" and text[max(0, m.start() - 1):m.start()] in CURRENCY):
            value *= 10**9 if suffix == "bn" else 10**6  # "$1.2m", "£3bn": the scale, as "1.2 million" writes it
            suffix = ""
        unit = "%" if m.group(3) else ("" if suffix in {"st", "nd", "rd", "th"} else suffix)
        if m.group(4):
            value *= SCALES.get(m.group(4).lower(), 1)
        out.append(Mention("quantity", -1, m.start(), m.end(), m.group(0), unit or _label(text, m.end()),
                           format_value(value)))
    words = WORDS.get(lang, WORDS["en"])
    spans: list[tuple[int, int]] = []
    for m in COMPOUND.get(lang, COMPOUND["en"]).finditer(text):
        tens, unit = (m.group(2), m.group(1)) if lang == "de" else (m.group(1), m.group(2))
        value = words[tens.lower()] + _UNIT_VALUE[unit.lower()]
        spans.append((m.start(), m.end()))
        out.append(Mention("quantity", -1, m.start(), m.end(), m.group(0), _label(text, m.end()), format_value(value),
                           {"spelled": True}))
    for m in WORD_RE.get(lang, WORD_RE["en"]).finditer(text):
        if m.group(1).lower() in {"one", "a"} or any(a <= m.start() < b for a, b in spans):
            continue  # "one" is mostly a pronoun ("one of the victims"); a part of "twenty-one" is not a number
        value = float(words[m.group(1).lower()])
        if m.group(2):
            value *= SCALES.get(m.group(2).lower(), 1)
        out.append(Mention("quantity", -1, m.start(), m.end(), m.group(0), _label(text, m.end()), format_value(value),
                           {"spelled": True}))
    out.sort(key=lambda x: x.start)
    return out
