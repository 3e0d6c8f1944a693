"""Whether a weekday in a sentence lies ahead of the publication date or behind it.

"Monday" in a report means the Monday before publication unless the clause looks ahead ("will meet on Friday",
"officials expect the result on Tuesday"). News sentences mix both: "The strike will continue, the union said on
Monday" puts the future in its first clause and the day in a reporting clause, which tells when something was said.
So the clause that holds the weekday decides first (the words since the last comma), then the sentence:

- a hint of the future ("will", "expected", "wird", "va", "votera") counts when no past-tense verb follows it
  before the weekday, and when it is not itself past ("had been expected", "was due to");
- past forms are words, not endings: an irregular list and "-ed" verbs in English (not after be/been/being/is,
  "to be sentenced" and "will be held" are still ahead; not capitalised, "United Nations" is a name), auxiliaries and reporting verbs
  in German and French ("Soldaten" and "jugé" end like past forms but are not);
- "next Friday", "nächsten Freitag", "vendredi prochain" are always ahead, by one to seven days; "last Friday" always
  behind.
"""
from __future__ import annotations

import re

FUTURE = {
    "en": r"will|shall|next|upcoming|to be held|scheduled|expected|expects?|due|set (?:to|for)|plans?|planned|going to|is to|"
          r"are to",
    # reported speech: "er sagte, er werde am Montag reisen" (Konjunktiv I) looks ahead as "wird" does
    "de": r"wird|werden|werde|soll|sollen|solle|will|wollen|wolle|muss|müssen|müsse|erwarten|erwartet|geplant|plant|"
          r"planen|kommenden|bevorstehenden",
    "fr": r"va|vont|sera|seront|aura|auront|doit|doivent|devrait|devraient|prévue?s?|attendue?s?|"
          r"(?-i:[a-zéèêàâîôûç]{3,}(?:era|ira|ra|ront))",
}
PAST = {
    # irregular pasts that tell of the event or the telling; not "won", "lost", "made", "left", "led", which stand
    # in relative clauses and compounds of future sentences ("will defend the title she won", "the plan made by")
    "en": r"said|told|spoke|wrote|took|met|gave|came|went|began|held|sent|brought|fell|rose|found|became|was|were|"
          r"had|did|[a-z]\w+ed",
    "de": r"hat|haben|hatte|hatten|war|waren|wurde|wurden|sagte|sagten|teilte|teilten|erklärte|erklärten|"
          r"kündigte|kündigten|gab|gaben|meldete|meldeten|berichtete|berichteten|hieß|kam|kamen|fand|fanden",
    "fr": r"a|ont|avait|avaient|a-t-il|a-t-elle|a-t-on|est|sont|était|étaient|dit|déclaré|annoncé|affirmé|indiqué",
}
# a future hint that is itself past: "had been expected", "was due to", "war geplant", "était prévu"; and a participle
# used as an adjective after a determiner: "disrupted the planned rally", "the expected rally took place"
PAST_FUTURE = re.compile(r"\b(?:had been|was|were|had|war|waren|hatte|était|étaient|avait)\s+$", re.I)
ADJECTIVE = re.compile(r"\b(?:the|a|an|its|their|his|her|this|that)\s+(?:long-|much-)?$", re.I)
PARTICIPLES = {"planned", "expected", "scheduled"}
PASSIVE = re.compile(r"\b(?:be|been|being|is|are|will be)\s+$", re.I)
# "would" after a reporting verb is the future told in the past ("the minister said he would travel on Monday");
# alone it is a habit or a condition ("officials would not say on Monday whether"), which tells nothing
REPORTED_FUTURE = re.compile(r"\b(?:said|told|announced|added|stated|confirmed|promised|insisted)\b[^,;]*?\bwould\b")
# closed clauses that say nothing of the weekday's time: relative ("Brown, who will retire next year, won"),
# parenthetical ("Der Kanzler wird, wie er mitgeteilt hat, am Montag reisen") and participle ones ("The incumbent,
# expected to win, won on Sunday")
ASIDE = re.compile(r",\s*(?:who|which|whose|der|die|das|qui|que|dont|wie|as|comme|expected|set|due|scheduled|"
                   r"planned|erwartet|geplant|attendue?s?|prévue?s?)\b[^,]*,", re.I)
ATTRIBUTION = re.compile(r"\s*(?:according to|selon|d'après|laut|nach Angaben)\b", re.I)
NEXT = re.compile(r"\b(?:next|this coming|coming|nächsten|kommenden|prochain|prochaine)\s+$", re.I)
NEXT_AFTER = re.compile(r"^\s*(?:prochain|prochaine|next week)\b", re.I)
LAST = re.compile(r"\b(?:last|past|letzten|vergangenen|dernier)\s+$", re.I)
LAST_AFTER = re.compile(r"^\s*(?:dernier|last week)\b", re.I)
_compiled: dict[str, tuple[re.Pattern, re.Pattern]] = {}


def _patterns(lang: str) -> tuple[re.Pattern, re.Pattern]:
    lang = lang if lang in FUTURE else "en"
    if lang not in _compiled:
        flags = re.I if lang != "en" else 0  # English past verbs are lower case mid-sentence; "Will" starts a name too
        # a past form inside a compound is an adjective: "US-led", "left-wing", "man-made"
        _compiled[lang] = (re.compile(rf"\b(?:{FUTURE[lang]})\b", re.I if lang != "en" else 0),
                           re.compile(rf"(?<!-)\b(?:{PAST[lang]})\b(?!-)", flags))
    return _compiled[lang]


def _tense(window: str, lang: str) -> str | None:
    """"future", "past" or None for the words before a weekday."""
    future, past = _patterns(lang)
    hints = [m for m in future.finditer(window) if not PAST_FUTURE.search(window[:m.start()])
             and not (m.group().lower() in PARTICIPLES and ADJECTIVE.search(window[:m.start()]))]
    pasts = [m for m in past.finditer(window) if not PASSIVE.search(window[:m.start()])]  # "will be held": ahead
    if lang == "en":
        hints += [m for m in REPORTED_FUTURE.finditer(window)]
        hints.sort(key=lambda m: m.end())
    if hints and not any(p.start() >= hints[-1].end() for p in pasts):
        return "future"
    return "past" if pasts else None


def direction(before: str, after: str, lang: str = "en") -> str:
    """"next" (one to seven days ahead), "last" (one to seven days back), "ahead" (the coming such day, or today),
    or "behind" (the latest such day up to today) for a weekday between ``before`` and ``after`` in one sentence."""
    lang = (lang or "en")[:2].lower()
    if NEXT.search(before) or NEXT_AFTER.search(after):
        return "next"
    if LAST.search(before) or LAST_AFTER.search(after):
        return "last"
    clause = re.split(r"[,;:]", before)[-1]
    if ATTRIBUTION.match(clause) and clause is not before:
        return "behind"  # "La grève va continuer, selon le syndicat lundi": the day the union said so
    if lang == "de" and re.match(r"\s*[a-zäöüß]{3,}ten?\s+(?:der|die|das|ein|eine|er|sie|es|man)\b", clause) \
            and clause is not before:
        return "behind"  # ", betonte ein Sprecher am Montag": a reporting verb, then its subject, opening the clause
    # then the sentence without its closed asides; then, for a weekday that opens the sentence ("On Monday, the
    # parliament will vote"), the words after it
    sentence = ASIDE.sub(",", before)
    for window in (clause, sentence[-120:]):
        tense = _tense(window, lang)
        if tense:
            return "ahead" if tense == "future" else "behind"
    if not before.strip(" ,.:;–-\"'«»„“(").split()[1:]:
        return _opening(after[:120], lang)
    return "behind"


def _opening(after: str, lang: str) -> str:
    """A weekday that opens its sentence: the first verb form after it tells, "On Monday, the parliament will vote"
    (ahead) against "On Monday, the minister said he would resign" (behind: the saying is what Monday dates)."""
    future, past = _patterns(lang)
    first_hint = next((m.start() for m in future.finditer(after)
                       if not PAST_FUTURE.search(after[:m.start()]) and not PASSIVE.search(after[:m.start()])), None)
    first_past = next((m.start() for m in past.finditer(after) if not PASSIVE.search(after[:m.start()])), None)
    if first_hint is not None and (first_past is None or first_hint < first_past):
        return "ahead"
    return "behind"
