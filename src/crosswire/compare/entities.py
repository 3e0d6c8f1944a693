"""One real-world entity per person, organisation or place, across spellings and sources.

"Ibrahima Traoré", "Ibrahim Traore" and "Traoré" are one man: names are folded (diacritics,
case), then grouped when one is a token-subset of the other (a surname alone joins the full
name) or when rapidfuzz finds them near-identical. Spellings that differ after folding are kept
as variants and reported as spelling differences, never as two people.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from crosswire.folding import fold_name, fold_word
from crosswire.model import AnalyzedArticle, ResolvedEntity

SPELLING_MIN_RATIO = 65  # rapidfuzz ratio of folded spellings: Tembela/Tambela 86, Gaddafi/Kadhafi 71; a translation ~45
TYPE_RANK = {"PERSON": 0, "ORG": 1, "GPE": 2, "LOC": 3, "NORP": 4, "EVENT": 5, "MISC": 6}


@dataclass
class _Group:
    keys: set[str] = field(default_factory=set)
    surfaces: Counter = field(default_factory=Counter)
    surface_sources: dict = field(default_factory=lambda: defaultdict(set))
    types: Counter = field(default_factory=Counter)
    sources: set[int] = field(default_factory=set)
    by_source: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))


def _key(text: str) -> str:
    return fold_name(text)


def _same(a: str, b: str, threshold: float) -> bool:
    from rapidfuzz import fuzz
    ta, tb = set(a.split()), set(b.split())
    if ta and tb and (ta <= tb or tb <= ta) and min(len(x) for x in (ta if len(ta) <= len(tb) else tb)) >= 4:
        return True
    if fuzz.token_sort_ratio(a, b) >= threshold:
        return True
    # "president ibrahima traore" / "regierung von ... ibrahima traore" end in the name itself
    short, long_ = sorted((a.split(), b.split()), key=len)
    return len(short) >= 2 and fuzz.ratio(" ".join(long_[-len(short):]), " ".join(short)) >= threshold


def resolve_entities(articles: list[AnalyzedArticle], citations: list[int],
                     threshold: float = 85.0) -> list[tuple[ResolvedEntity, dict[int, Counter]]]:
    groups: list[_Group] = []
    for article, cite in zip(articles, citations):
        for m in article.mentions:
            if m.kind != "entity" or len(m.text.strip()) < 2:
                continue
            key = _key(m.text)
            if not key:
                continue
            group = next((g for g in groups if key in g.keys), None)
            if group is None:
                # types are not compared: small NER models call one person PERSON here and ORG there
                group = next((g for g in groups if any(_same(key, k, threshold) for k in g.keys)), None)
            if group is None:
                group = _Group()
                groups.append(group)
            group.keys.add(key)
            group.surfaces[m.text.strip()] += 1
            group.surface_sources[m.text.strip()].add(cite)
            # a model's type outweighs the fallback's guess ("Burkina Faso": GPE from spaCy in the
            # English report, PERSON guessed from capitals in the German one)
            group.types[m.label or "MISC"] += 0.25 if m.extra.get("guessed") else 1
            group.sources.add(cite)
            group.by_source[cite][m.text.strip()] += 1
    out = []
    for g in groups:
        # the spelling most sources use names the entity; then a full name (2-3 words) over a bare
        # surname or a long noun phrase; accented forms beat stripped ones on ties
        name = max(g.surfaces, key=lambda s: (len(g.surface_sources[s]), 2 <= len(s.split()) <= 3, g.surfaces[s],
                                              s != fold_word(s), -len(s)))
        kind = min(g.types, key=lambda t: (-g.types[t], TYPE_RANK.get(t, 9)))
        out.append((ResolvedEntity(name, kind, sorted(g.surfaces, key=lambda s: -g.surfaces[s]), sorted(g.sources)),
                    dict(g.by_source)))
    out.sort(key=lambda e: (-len(e[0].sources), -sum(sum(c.values()) for c in e[1].values()), e[0].name))
    return out


# How languages write one foreign name: German "Selenskyj", "Lawrow", "Charkiw", "Schoigu" are English "Zelensky",
# "Lavrov", "Kharkiv", "Shoigu". Applied (in this order) to both spellings of sources in different languages only.
TRANSLITERATION = [("tsch", "ch"), ("sch", "sh"), ("kh", "ch"), ("ck", "k"), ("w", "v"), ("j", "i"), ("y", "i"),
                   ("z", "s"), ("ou", "u")]


def _transliterated(key: str) -> str:
    for written, said in TRANSLITERATION:
        key = key.replace(written, said)
    return re.sub(r"(\w)\1+", r"\1", key)  # "Selenskyj" -> "selenskii" -> "selenski"


def _name_at_end(span: str, words: int) -> str:
    parts = span.split()
    head, tail = parts[:-words], parts[-words:]
    if words and any(w[:1].islower() for w in head) and all(w[:1].isupper() for w in tail):
        return " ".join(tail)
    return span


def same_name(x: str, y: str) -> bool:
    """One name as two languages write it: equal once folded (case, accents) and transliterated."""
    return _transliterated(_key(x)) == _transliterated(_key(y))


def _conventional(spelled: dict[int, str], languages: dict[int, str]) -> bool:
    """Whether every two sources that spell the name differently write in different languages, and each
    language's usual transliteration explains the difference ("Selenskyj" in German, "Zelensky" in English): a
    convention, listed among the entity's spellings, not a difference for the editor. "Ibrahima" / "Ibrahim" is
    explained by none, and two sources in one language that differ always count."""
    from itertools import combinations
    for (a, x), (b, y) in combinations(spelled.items(), 2):
        x, y = _key(x), _key(y)
        if x == y:
            continue
        lang_a, lang_b = languages.get(a), languages.get(b)
        if not lang_a or not lang_b or lang_a == lang_b or _transliterated(x) != _transliterated(y):
            return False
    return True


def spelling_variants(by_source: dict[int, Counter], languages: dict[int, str] | None = None) -> dict[int, str] | None:
    """Each source's full spelling when sources spell a name differently beyond accents and case, and beyond the
    transliteration conventions of their languages (``languages``: citation number -> language code)."""
    def full(counter: Counter) -> str:
        return max(counter, key=lambda s: (len(s.split()), counter[s]))
    from itertools import combinations

    from rapidfuzz import fuzz
    spelled = {cite: full(c) for cite, c in by_source.items()}
    # a name ending a longer span: the German fallback NER's "Regierung von Übergangspräsident Ibrahima Traoré" is
    # "Ibrahima Traoré" beside another report's "Ibrahim Traore". Only a span with a lower-case word before a
    # capitalised tail is cut: "Michael R. Bloomberg" or "Ursula von der Leyen" is a whole name
    shortest = min((len(s.split()) for s in spelled.values()), default=0)
    spelled = {cite: _name_at_end(s, shortest) for cite, s in spelled.items()}
    keys = {_key(s) for s in spelled.values()}
    # only compare spellings with the same number of words: "Traoré" alone is not a variant of "Ibrahim Traoré";
    # and only spellings letter for letter alike ("Tembela" / "Tambèla"): "the Lyon Metropolis" / "Métropole de
    # Lyon" is one place named in two languages, not a misspelling
    if len(keys) > 1 and len({len(k.split()) for k in keys}) == 1 and all(
            fuzz.ratio(x, y) >= SPELLING_MIN_RATIO for x, y in combinations(sorted(keys), 2)):
        return None if languages and _conventional(spelled, languages) else spelled
    return None
