"""When two aligned sentences state one fact in incompatible ways.

The rule that keeps false alarms down: a difference counts only when the two values play the
same role. Numbers must count the same thing ("400 soldiers" vs "300 soldiers"; not "400 soldiers"
vs "2,000 soldiers in Niger" when both sentences mention both), weekdays and dates must be the
only one of their kind in each sentence, and the sentences must share enough words to be one
statement. Formatting never counts: values are compared normalised ("2,000" = "2000" = "two
thousand", "Jan. 18" = "18 January", "Traoré" = "Traore").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from crosswire.compare.align import STOPWORDS, AlignedPair, _sentence_words, content_words
from crosswire.compare.comparable import (AGE_OWNER, dates_the_event, days_apart, is_age, is_dateline, owners_differ,
                                          people_in, reported_on, same_figure,
                                          units_differ)
from crosswire.model import AgreedValue, AnalyzedArticle, Mention, Sentence

NEGATION = re.compile(r"\b(not|n't|never|no|none|nobody|nothing|neither|nor|nicht|kein\w*|nie|ne|pas|jamais)\b|n't",
                      re.I)


# "https://", "www.", or a tokenised address such as "com / 2013 / 06 / 06 / esther - williams"
LINK = re.compile(r"https?:|www\.|\b(?:com|org|net|co\.uk)\s*/\s*\S", re.I)


@dataclass
class ValueConflict:
    kind: str
    a_value: str  # as the first source writes it
    b_value: str
    a_sentence: int
    b_sentence: int
    # where each value stands in its text, when known: "killed 12 people and injured 12 others" states 12
    # twice, and each may differ from the other report's count on its own
    a_start: int = -1
    b_start: int = -1


def _values(article: AnalyzedArticle, sentence: int) -> dict[str, list[Mention]]:
    by_kind: dict[str, list[Mention]] = {"quantity": [], "weekday": [], "month_day": [], "year": [], "month": []}
    for m in article.mentions:
        if m.sentence != sentence:
            continue
        if m.kind == "quantity":
            by_kind["quantity"].append(m)
        elif m.kind == "date":
            if m.extra.get("weekday"):
                by_kind["weekday"].append(m)
            elif m.extra.get("month_day"):
                by_kind["month_day"].append(m)
            elif m.extra.get("year_only"):
                by_kind["year"].append(m)
            elif m.label == "month" and not m.extra.get("relative"):
                by_kind["month"].append(m)
    return by_kind


def weekdays(article: AnalyzedArticle, sentence: int) -> list[tuple[str, str]]:
    """(as written, weekday name) for each weekday the sentence names."""
    return [(m.text, m.extra["weekday"]) for m in _values(article, sentence)["weekday"]]


def _key(kind: str, m: Mention) -> str:
    if kind == "weekday":
        return m.extra["weekday"]
    if kind == "month_day":
        return m.extra["month_day"]
    return m.value


MODIFIERS = {"least", "most", "about", "around", "nearly", "almost", "more", "than", "over", "some", "only",
             "approximately", "roughly", "rund", "etwa", "mindestens", "environ", "plus", "moins"}


def _word_before(text: str, m: Mention, sentence_start: int, names: bool = True) -> str:
    """The content word just before a number ("killed 12", "population 100,000"); "at least" tells nothing."""
    words = re.findall(r"[^\W\d_]+", text[max(0, m.start - sentence_start - 25):m.start - sentence_start])
    words = [w.lower() for w in words if len(w) >= 4 and w.lower() not in MODIFIERS and w.lower() not in STOPWORDS
             and (names or not w[0].isupper())]
    return words[-1] if words else ""


def _single_differs(ma: list[Mention], mb: list[Mention], kind: str) -> tuple[Mention, Mention] | None:
    """One value of this kind on each side, and they differ."""
    ka, kb = {_key(kind, m) for m in ma}, {_key(kind, m) for m in mb}
    if len(ka) == 1 and len(kb) == 1 and ka != kb:
        return ma[0], mb[0]
    return None


def _left_after_shared(ma: list[Mention], mb: list[Mention], kind: str) -> tuple[Mention, Mention] | None:
    """Both name one day, and each one more: "on Saturday ... Friday's" / "on Saturday ... on
    Wednesday" — the day both state pins the sentence down, the other two are one event's day."""
    shared = {_key(kind, m) for m in ma} & {_key(kind, m) for m in mb}
    left_a = [m for m in ma if _key(kind, m) not in shared]
    left_b = [m for m in mb if _key(kind, m) not in shared]
    if shared and len(left_a) == 1 and len(left_b) == 1:
        return left_a[0], left_b[0]
    return None


def _closest_year(ma: list[Mention], mb: list[Mention]) -> tuple[Mention, Mention] | None:
    """Several years on one side, one new year on the other: the nearest one is the one retold
    (whichever report gives the several)."""
    found = _closest_to_one(ma, mb)
    if found:
        return found
    found = _closest_to_one(mb, ma)
    return (found[1], found[0]) if found else None


def _closest_to_one(ma: list[Mention], mb: list[Mention]) -> tuple[Mention, Mention] | None:
    only_a = [m for m in ma if m.value not in {x.value for x in mb}]
    only_b = [m for m in mb if m.value not in {x.value for x in ma}]
    if len(only_b) == 1 and len(only_a) >= 1 and len(ma) <= 3:
        x = min(only_a, key=lambda m: abs(int(m.value) - int(only_b[0].value)))
        if abs(int(x.value) - int(only_b[0].value)) <= 5 and len(only_a) == 1 or (
                len(only_a) > 1 and sorted(abs(int(m.value) - int(only_b[0].value)) for m in only_a)[1] > 5):
            return x, only_b[0]
    return None


def _age_owner(text: str, m: Mention, sentence_start: int) -> str:
    """"McMeekin" for the 58 in "Alice McMeekin, 58, was found": the number is that person's age."""
    found = AGE_OWNER.search(text[max(0, m.start - sentence_start - 40):m.start - sentence_start])
    return found.group(1).lower() if found else ""


def _same_role(x: Mention, y: Mention, sa: Sentence, sb: Sentence) -> bool:
    """Different words before two numbers mean two facts: "killed 10 people" vs "injured 50 people"
    is not one count told twice, nor are two people's ages ("McMeekin, 58" / "Jenkin, 23"). A name
    before the number says nothing about its role ("the Angels he hit 13" / "Teixeira hit 26")."""
    ox, oy = _age_owner(sa.text, x, sa.start), _age_owner(sb.text, y, sb.start)
    if ox and oy:
        return ox == oy
    bx, by = _word_before(sa.text, x, sa.start, names=False), _word_before(sb.text, y, sb.start, names=False)
    return not (bx and by and bx[:4] != by[:4])


def _states_elsewhere(other: AnalyzedArticle, m: Mention, own: AnalyzedArticle, other_sentence: int) -> bool:
    """The other report gives this very count, of this noun, about someone this sentence names, in
    another sentence that the one with the differing count does not name them in: "Garrard, who
    completed 28 passes for 329 yards" / "David Garrard threw for 329 yards" elsewhere, so that
    report's "the Colts defense gave up 409 yards" counts something else."""
    if not m.label:
        return False
    # not places: "12 people ... in Mamuju" is not about Mamuju the way "329 yards" is Garrard's, and a place
    # named beside an unrelated count elsewhere ("hospitals in Mamuju treated 12") hid a true toll conflict
    names = set().union(*(content_words(e.text) for e in own.mentions if e.kind == "entity"
                          and e.sentence == m.sentence and e.label not in ("GPE", "LOC")))
    names -= _sentence_words(other.sentences[other_sentence].text)
    return bool(names) and any(
        o.kind == "quantity" and o.value == m.value and o.label == m.label and o.sentence != other_sentence
        and names & _sentence_words(other.sentences[o.sentence].text) for o in other.mentions)


def _count_two_things(a: AnalyzedArticle, b: AnalyzedArticle, pair: AlignedPair, x: Mention, y: Mention) -> bool:
    """Two numbers of one kind that still count two different things: two people's ("Lawson's 16
    points" / "Hansbrough's 20 points"), or one the other report also gives someone elsewhere."""
    sa, sb = a.sentences[pair.a], b.sentences[pair.b]
    # Not "two places" (a dozen killed in eastern China beside Iran's toll): two reports of one event often
    # give its toll for two places of different reach (Mamuju / West Sulawesi province, Qeshm / Hormozgan),
    # and without a gazetteer the rule hid those real conflicts; a false flag can be dismissed, a missed one not
    return (owners_differ(x, sa, people_in(a.mentions, pair.a), y, sb, people_in(b.mentions, pair.b))
            or _states_elsewhere(b, x, a, pair.b) or _states_elsewhere(a, y, b, pair.a))


def two_facts(a: AnalyzedArticle, b: AnalyzedArticle, pair: AlignedPair, settings: dict | None = None) -> bool:
    """Aligned sentences whose numbers show they tell two facts: a count in each that differs and
    counts two different things, and no value both state. The briefing does not list such a pair
    as one fact (nor flags it: sentence_conflicts applies the same test to each number)."""
    if pair.jaccard >= float((settings or {}).get("copy_min_jaccard", 0.6)):
        return False  # near-copies are one statement, edited
    va, vb = _values(a, pair.a), _values(b, pair.b)
    if (a.article.language or "") != (b.article.language or "") and va["quantity"] and vb["quantity"] and \
            not {m.value for m in va["quantity"]} & {m.value for m in vb["quantity"]} and \
            _tolls_differ(a.sentences[pair.a].text, b.sentences[pair.b].text):
        return True  # aligned across languages by meaning alone: "killed 9 people" / "ont blessé 70 personnes"
    if any({_key(kind, m) for m in va[kind]} & {_key(kind, m) for m in vb[kind]} for kind in va):
        return False
    return any(x.value != y.value and _count_two_things(a, b, pair, x, y) for x, y in _quantity_conflicts(
        va["quantity"], vb["quantity"], a.sentences[pair.a], b.sentences[pair.b], a, b))


def _roles(x: Mention, sx: Sentence, others: list[Mention], so: Sentence) -> list[Mention]:
    """The other report's numbers that may count what x counts, best evidence only: the same counted
    noun or the same word before it; of several, those of the same noun ("a 15-year veteran" / "a
    30-year member", not "Ortiz, 35"); of none, a shared stem ("13 home runs" / "26 homers",
    "23 piracy suspects" / "46 pirates")."""
    before = _word_before(sx.text, x, sx.start)
    role = [y for y in others if (x.label and x.label == y.label)
            or (before and before == _word_before(so.text, y, so.start))]
    if len(role) > 1:
        return [y for y in role if x.label and x.label == y.label]
    return role or [y for y in others if _same_noun(x.label, y.label)]


def _quantity_conflicts(ma: list[Mention], mb: list[Mention], sa: Sentence, sb: Sentence,
                        a: AnalyzedArticle, b: AnalyzedArticle) -> list[tuple[Mention, Mention]]:
    """Numbers of the two sentences that count one thing and differ. Which report is first must not
    matter: a pair is each number's role match as seen from both sides, and where one number has
    several equally good matches ("404 yards rushing ... 440 yards receiving" / "606 yards"), the
    first of them in its sentence, the first match of both."""
    # a value counts as stated by both only for the same thing: "Six AK-47s" does not answer "6 magazines"
    va, vb = {(m.value, m.label) for m in ma}, {(m.value, m.label) for m in mb}
    only_a = [m for m in ma if (m.value, m.label) not in vb]
    only_b = [m for m in mb if (m.value, m.label) not in va]
    roles_a = [_roles(x, sa, only_b, sb) for x in only_a]
    roles_b = [_roles(y, sb, only_a, sa) for y in only_b]
    mutual = [(x, y) for x, to_b in zip(only_a, roles_a) for y, to_a in zip(only_b, roles_b)
              if y in to_b and x in to_a]
    pairs = []
    for x, y in mutual:
        if any(o is not y and o.start < y.start for m, o in mutual if m is x) or any(
                o is not x and o.start < x.start for o, m in mutual if m is y):
            continue  # each number's first mutual match only, and only if it is the other's first too
        # a value the other report also states is not contradicted by it ("ran 10 yards to the 7" / "the 7 yard line")
        # and two counts of one thing are of one size ("two catches for 25 yards" / "59 catches for 1,098 yards")
        if y.value not in {m.value for m in ma} and x.value not in {m.value for m in mb} \
                and _magnitude_close(x.value, y.value):
            pairs.append((x, y))
    anchored = len(ma) - len(only_a) >= 1 and len(mb) - len(only_b) >= 1
    if not pairs and len(only_a) == 1 and len(only_b) == 1 and (len(ma) == len(mb) == 1 or anchored):
        # the only value left on each side, next to values both state ("13 home runs and 43 RBIs in
        # 54 games" / "26 homers and 43 RBIs in 54 games"): the shared values pin the fact down
        x, y = only_a[0], only_b[0]
        # two counted nouns that differ are two facts ("the three states" / "less than 24 hours")
        # in two languages the words before a number tell nothing of its role: the counted noun ("Menschen" /
        # "people") and what was done to them ("getötet" / "killed"; "blessé" against "killed" is two counts) must agree
        toll = (a.article.language or "") != (b.article.language or "") and bool(x.label and y.label) \
            and _one_label(x.label, y.label) and not _tolls_differ(sa.text, sb.text)
        nouns_agree = not (x.label and y.label) or _same_noun(x.label, y.label) or x.label == y.label or toll
        if x.value != y.value and nouns_agree and _magnitude_close(x.value, y.value) and (
                toll or _same_role(x, y, sa, sb)):
            pairs.append((x, y))
    return pairs


# Measures that count anything ("three years", "205 yards"): sharing one says little about the fact.
GENERIC_NOUNS = {"year", "years", "yard", "yards", "point", "points", "game", "games", "time", "times", "day",
                 "days", "week", "weeks", "month", "months", "hour", "hours", "minute", "minutes", "people",
                 "percent", "%", "more", "other", "others", "first", "last", "second"}


def _same_noun(x: str, y: str) -> bool:
    """One counted noun, maybe inflected ("homers" / "home runs", "pirates" / "piracy suspects")."""
    if not x or not y or x in GENERIC_NOUNS or y in GENERIC_NOUNS:
        return False
    return x == y or (len(x) >= 4 and len(y) >= 4 and x[:4] == y[:4])


def _magnitude_close(x: str, y: str) -> bool:
    """300 vs 400 may be one count told two ways; 3 vs 4,000 is two different things."""
    try:
        fx, fy = float(x), float(y)
    except ValueError:
        return False
    if fx <= 0 or fy <= 0:
        return False
    return max(fx, fy) / min(fx, fy) <= 10


def _positional(ma: list[Mention], mb: list[Mention], kind: str) -> list[tuple[Mention, Mention]]:
    """Near-copies: drop the values both state, then pair what is left in order.

    Handles several values per sentence ("picked up Wynn on Monday ... and on Wednesday signed Bell")
    and reordered clauses ("15 killed in a 6.8 quake" / "a 6.8 quake killed 12").
    """
    left_b = sorted(mb, key=lambda m: m.start)
    only_a = []
    for x in sorted(ma, key=lambda m: m.start):
        twin = next((y for y in left_b if _key(kind, y) == _key(kind, x)), None)
        if twin is None:
            only_a.append(x)
        else:
            left_b.remove(twin)
    if len(only_a) != len(left_b):
        return []
    return list(zip(only_a, left_b))


def _year_of_full_dates(ma: list[Mention], mb: list[Mention]) -> list[tuple[str, str]]:
    """"22 November 2013" vs "22 November 2012": same day, another year (both years written out)."""
    if len(ma) != len(mb):
        return []
    out = []
    for x, y in zip(sorted(ma, key=lambda m: m.start), sorted(mb, key=lambda m: m.start)):
        if (_key("month_day", x) == _key("month_day", y) and x.extra.get("relative") is False
                and y.extra.get("relative") is False and x.value[:4] != y.value[:4]):
            out.append((x.value[:4], y.value[:4]))
    return out


def _written_years(values: dict[str, list[Mention]]) -> dict[str, str]:
    """Every year the sentence writes out, however it is dated ("in 2003", "March 11, 2005",
    "April 2002"), so that "in 2003" can answer "on March 11, 2005"; years a date got from the
    publication date do not count."""
    years = {m.value: m.text for m in values["year"]}
    for m in values["month_day"] + values["month"]:
        if m.extra.get("relative") is False or (m.label == "month" and "relative" not in m.extra):
            years.setdefault(m.value[:4], m.value[:4])
    return years


def _misdated(va: dict[str, list[Mention]], vb: dict[str, list[Mention]], pair: AlignedPair,
              cfg: dict) -> list[ValueConflict]:
    """One written year each side, dated differently ("in 2003" / "on March 11, 2005"). Only near
    years (`year_max_gap`) read as one event misdated; far apart, they are two events
    ("the 1976 film" / "the affair in 1972")."""
    ya, yb = _written_years(va), _written_years(vb)
    if len(ya) == 1 and len(yb) == 1 and ya.keys() != yb.keys() and abs(
            int(*ya) - int(*yb)) <= int(cfg.get("year_max_gap", 3)):
        return [ValueConflict("year", *ya.values(), *yb.values(), pair.a, pair.b)]
    return []


def sentence_conflicts(a: AnalyzedArticle, b: AnalyzedArticle, pair: AlignedPair,
                       settings: dict | None = None, aligned: bool = True,
                       edited_copy: bool = False) -> list[ValueConflict]:
    """aligned: the pair is the strict one-to-one alignment (loosely paired sentences must share more);
    edited_copy: the two articles are one text and an edited copy (every changed figure is an edit)."""
    negation = aligned
    cfg = settings or {}
    sa, sb = a.sentences[pair.a], b.sentences[pair.b]
    va, vb = _values(a, pair.a), _values(b, pair.b)
    same_language = (a.article.language or "") == (b.article.language or "")
    copy_like = pair.jaccard >= float(cfg.get("copy_min_jaccard", 0.6))
    if not copy_like and (LINK.search(sa.text) or LINK.search(sb.text)):
        return []  # two reports' web addresses: their digits are ids and paths, not facts
    if not edited_copy and (is_dateline(sa.text) or is_dateline(sb.text)):
        return []  # "Last updated at 13:42 GMT": two pages' publication times, not the event's date
    strong = copy_like or pair.shared >= int(cfg.get("conflict_min_shared_words", 3)) or (
        not same_language and pair.cosine >= float(cfg.get("conflict_crosslingual_cosine", 0.7)))
    # two languages share few words: the same place or person and the same day stand in for them ("Bei einem Angriff
    # auf Charkiw wurden am Donnerstag 70 Menschen getötet" / "An attack on Kharkiv killed 90 people on Thursday")
    anchored = not same_language and aligned and _shared_anchors(a, b, pair, va, vb) >= 2
    out: list[ValueConflict] = []

    def add(kind: str, x: Mention, y: Mention) -> None:
        if kind == "number" and (x.value == y.value or same_figure(x, y, edited_copy)):
            return  # "three shells" / "three live shells": one value, whatever nouns follow it
        if kind == "number" and units_differ(x, sa, y, sb):
            return  # "103 million euros" / "£88m"
        if kind == "number" and not copy_like and _count_two_things(a, b, pair, x, y):
            return  # "Lawson's 16 points" / "Hansbrough's 20 points"
        if kind == "number" and not aligned and not (is_age(x, sa) and is_age(y, sb)):
            return  # loosely similar sentences count many things of one kind; an age has one owner
        if kind == "weekday" and not aligned and (
                reported_on(sa.text, x.text) != reported_on(sb.text, y.text)
                or not dates_the_event(sa.text, x.text) or not dates_the_event(sb.text, y.text)):
            return  # the day a statement was made, or a deadline, is not the event's day
        out.append(ValueConflict(kind, x.text, y.text, pair.a, pair.b, x.start, y.start))

    if copy_like:
        names = {"weekday": "weekday", "month_day": "date", "year": "year", "quantity": "number"}
        for kind, name in names.items():
            for x, y in _positional(va[kind], vb[kind], kind):
                if kind == "quantity" and not _same_role(x, y, sa, sb):
                    continue
                add(name, x, y)
        if len(va["quantity"]) != len(vb["quantity"]):
            # an edited copy that also dropped or added a clause: pair the numbers by role instead
            # ("Kafoury, 63, and ... Riva, 47" / "Kafoury, 189, of Warren")
            for x, y in _quantity_conflicts(va["quantity"], vb["quantity"], sa, sb, a, b):
                if _same_role(x, y, sa, sb):
                    add("number", x, y)
        for x, y in _year_of_full_dates(va["month_day"], vb["month_day"]):
            out.append(ValueConflict("year", x, y, pair.a, pair.b))
        for x, y in _positional(va["month"], vb["month"], "month"):
            if x.value[5:] == y.value[5:]:
                out.append(ValueConflict("year", x.value[:4], y.value[:4], pair.a, pair.b))
        if not any(c.kind in ("year", "date") for c in out):
            out += _misdated(va, vb, pair, cfg)
        if out or not negation:
            return out

    if strong and not copy_like:
        found = _single_differs(va["weekday"], vb["weekday"], "weekday") or _left_after_shared(
            va["weekday"], vb["weekday"], "weekday")
        if found:
            add("weekday", *found)
        found = _single_differs(va["month_day"], vb["month_day"], "month_day")
        if found and days_apart(*found) <= int(cfg.get("date_max_gap_days", 31)):
            add("date", *found)
        elif len(va["month_day"]) == len(vb["month_day"]) == 1:
            for x, y in _year_of_full_dates(va["month_day"], vb["month_day"]):
                out.append(ValueConflict("year", x, y, pair.a, pair.b))
        found = _single_differs(va["year"], vb["year"], "year") or _closest_year(va["year"], vb["year"])
        if found and abs(int(found[0].value) - int(found[1].value)) <= int(cfg.get("year_max_gap", 3)):
            add("year", *found)
        elif not any(c.kind == "year" for c in out):
            out += _misdated(va, vb, pair, cfg)
        found = _single_differs(va["month"], vb["month"], "month")
        if found and found[0].value[5:] == found[1].value[5:]:  # same month, another year
            out.append(ValueConflict("year", found[0].value[:4], found[1].value[:4], pair.a, pair.b))
    if not copy_like and (pair.shared >= int(cfg.get("conflict_min_shared_words_numbers", 2)) or strong or anchored):
        needed = 3 if aligned else int(cfg.get("loose_min_shared_words_numbers", 4))
        for x, y in _quantity_conflicts(va["quantity"], vb["quantity"], sa, sb, a, b):
            if pair.shared >= needed or (aligned and (x.label == y.label or (anchored and _one_label(x.label, y.label)))):
                add("number", x, y)
    if negation and not out and same_language and pair.jaccard >= float(cfg.get("negation_min_jaccard", 0.6)):
        na, nb = len(NEGATION.findall(sa.text)), len(NEGATION.findall(sb.text))
        if na != nb:
            out.append(ValueConflict("negation", "negated" if na else "affirmed", "negated" if nb else "affirmed",
                                     pair.a, pair.b))
    return out


# what is counted, in the languages with a model, by its English word: "70 Menschen" and "90 people" count one thing
COUNTED = {"menschen": "people", "personen": "people", "personnes": "people", "tote": "dead", "toten": "dead",
           "morts": "dead", "verletzte": "injured", "blessés": "injured", "soldaten": "soldiers", "soldats": "soldiers",
           "kinder": "children", "enfants": "children", "häuser": "houses", "maisons": "houses",
           "einwohner": "residents", "habitants": "residents", "opfer": "victims", "victimes": "victims"}


def _one_label(x: str, y: str) -> bool:
    """The same counted noun, in one language or two ("Menschen" / "people")."""
    return x == y or (bool(x) and COUNTED.get(x, x) == COUNTED.get(y, y))


TOLL_KINDS = {  # what a count of people in a toll is, in the languages with a model
    "dead": re.compile(r"\b(?:kill\w*|died|dead|deaths?|fatalit\w+|perished|getötet\w*|tötete\w*|tote[nr]?|tot|"
                       r"todesopfer\w*|starben|gestorben|umgekommen|ums leben|tu(?:é|ée|és|ées|ant)|morte?s?|"
                       r"décédé\w*|décès|péri\w*|perdu la vie)\b", re.I),
    "injured": re.compile(r"\b(?:injur\w*|wounded|hurt|verletzt\w*|verwundet\w*|bless(?:é|ée|és|ées|ant))\b",
                          re.I),
    "evacuated": re.compile(r"\b(?:evacuat\w*|evakuiert\w*|évacu\w*)\b", re.I),
}


def _toll_kind(text: str) -> set[str]:
    return {kind for kind, words in TOLL_KINDS.items() if words.search(text)}


def _tolls_differ(a: str, b: str) -> bool:
    """Whether two sentences tell tolls of different kinds ("killed" / "blessé"): both name one, none in common.
    A sentence whose words the lists miss decides nothing."""
    ka, kb = _toll_kind(a), _toll_kind(b)
    return bool(ka and kb and not ka & kb)


def _shared_anchors(a: AnalyzedArticle, b: AnalyzedArticle, pair: AlignedPair, va: dict, vb: dict) -> int:
    """Values two sentences in different languages both state, each counted once: the same weekday, date and year,
    and each name both give (spelt each language's way: ``entities.same_name``). Two make one event as far as
    sentences sharing no word can show it ("am Donnerstag, dem 14. März" / "on Thursday, March 14"; a day and
    "Charkiw" / "Kharkiv")."""
    from crosswire.compare.entities import same_name
    when = sum(bool({_key(k, m) for m in va[k]} & {_key(k, m) for m in vb[k]}) for k in ("weekday", "month_day", "year"))
    names_a = {m.value or m.text for m in a.mentions if m.kind == "entity" and m.sentence == pair.a}
    names_b = {m.value or m.text for m in b.mentions if m.kind == "entity" and m.sentence == pair.b}
    return when + sum(any(same_name(x, y) for y in names_b) for x in names_a)


def words_shared(a: str, b: str) -> int:
    return len(content_words(a) & content_words(b))


KIND_NAME = {"quantity": "number", "weekday": "weekday", "month_day": "date", "year": "year", "month": "date"}


def agreed_values(articles: list[AnalyzedArticle], nodes: list[tuple[int, int]]) -> list[AgreedValue]:
    """Values stated the same way by every independent source of one fact (two or more sources)."""
    sources = {i for i, _ in nodes if not articles[i].article.duplicate_of}
    if len(sources) < 2:
        return []
    seen: dict[tuple[str, str], dict[int, str]] = {}
    for i, s in sorted(nodes):
        if i not in sources:
            continue
        for kind, mentions in _values(articles[i], s).items():
            for m in mentions:
                seen.setdefault((kind, _key(kind, m)), {}).setdefault(i + 1, m.text)
    return [AgreedValue(KIND_NAME[kind], key, next(iter(texts.values())), sorted(texts))
            for (kind, key), texts in seen.items() if len(texts) == len(sources)]
