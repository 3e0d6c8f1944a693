"""Compare: align what several reports of one story say, and label every fact.

agree     two or more independent sources state it compatibly;
conflict  sources state it in incompatible ways (number, date, year, weekday, negation, name);
single    only one source states it.
Copies (articles marked `duplicate_of`) are cited but never count as confirmation.
"""
from __future__ import annotations

from itertools import combinations

from crosswire.compare.ages import age_conflicts
from crosswire.compare.align import AlignedPair, align
from crosswire.compare.conflicts import ValueConflict, sentence_conflicts  # noqa: F401
from crosswire.compare.entities import resolve_entities, spelling_variants
from crosswire.compare.facts import conflict_facts, group_sentences
from crosswire.compare.neighbours import split_weekday_conflicts
from crosswire.compare.revisions import changes_between
from crosswire.compare.timeline import build_timeline
from crosswire.compare.conflicts import _key, _values, agreed_values, two_facts
from crosswire.model import AnalyzedArticle, Comparison, Conflict, Fact, SourceRef, Statement, iso


def _settings(settings) -> dict:
    return settings.section("compare") if settings is not None and hasattr(settings, "section") else dict(settings or {})


def find_conflicts(a: AnalyzedArticle, b: AnalyzedArticle, settings=None) -> list[ValueConflict]:
    """Every value conflict between two reports, with the sentences that state it.

    Best-aligned pairs speak first; the first sentence pair that finds a conflict of a kind in a
    sentence owns that sentence for that kind, so a sentence that loosely resembles several others
    is not blamed several times. Within the owning pair each differing value is its own conflict
    ("magnitude 6.1 ... killing 12" / "magnitude 5.8 ... killing 15": the magnitude and the toll).
    """
    cfg = _settings(settings)
    strict = align(a, b, cfg)
    aligned = {(p.a, p.b) for p in strict}
    # a sentence with a near-copy counterpart is compared with that counterpart only
    copy_jaccard = float(cfg.get("copy_min_jaccard", 0.6))
    copied = {("a", p.a) for p in strict if p.jaccard >= copy_jaccard} | {("b", p.b) for p in strict
                                                                         if p.jaccard >= copy_jaccard}
    loose = [p for p in align(a, b, cfg, loose=True) if (p.a, p.b) not in aligned
             and ("a", p.a) not in copied and ("b", p.b) not in copied]
    # one report and an edited copy of it (most sentences near-copies), not two reports
    edited_copy = len(copied) >= min(len(a.sentences), len(b.sentences)) > 0  # copied counts both sides
    found = [c for pair in strict + loose
             for c in sentence_conflicts(a, b, pair, cfg, aligned=(pair.a, pair.b) in aligned, edited_copy=edited_copy)]
    out, owner, values_used = [], {}, set()
    for c in found + age_conflicts(a, b) + split_weekday_conflicts(a, b, strict, cfg):
        pair = (c.a_sentence, c.b_sentence)
        sides = (("a", c.a_sentence, c.kind), ("b", c.b_sentence, c.kind))
        if any(owner.get(side, pair) != pair for side in sides):
            continue  # this sentence's conflict of this kind was found with another sentence
        stated = [("a", c.a_sentence, c.kind, c.a_value, c.a_start), ("b", c.b_sentence, c.kind, c.b_value, c.b_start)]
        if any(_used(value, values_used) for value in stated):
            continue  # one stated value is contradicted once
        owner.update(dict.fromkeys(sides, pair))
        values_used |= set(stated)
        out.append(c)
    return out


def _used(value: tuple, used: set[tuple]) -> bool:
    """Whether this stated value (side, sentence, kind, text, start) was contradicted already. A value known by
    its place is one occurrence: "killed 12 people and injured 12 others" states 12 twice, and each may differ
    on its own (from the toll, from the injured). One known only by its text (an age, a year) stands for every
    occurrence of that text in the sentence."""
    *where, start = value
    return any(tuple(other[:4]) == tuple(where) and (start < 0 or other[4] < 0 or other[4] == start) for other in used)


def _split_by_day(articles: list[AnalyzedArticle], nodes: list[tuple[int, int]]) -> tuple[list, list]:
    """(the sentences that may be called agreeing, those set apart) for one aligned group. Sentences naming one weekday
    or one date differently were aligned too loosely to be flagged as a difference (another language, few shared
    words: "expect the water to peak on Tuesday evening" / "erwarten den Höchststand am Mittwochabend") and must not
    be listed as agreeing either. The day most of them name keeps its sentences (and those naming none) agreeing,
    when two or more name it; the others (every one naming a day, when no day has two) are each reported by one
    source only, and those naming no day still agree among themselves."""
    keep, apart = list(nodes), []
    for kind in ("weekday", "month_day"):
        named: dict[str, list[tuple[int, int]]] = {}
        for i, s in keep:
            values = _values(articles[i], s)[kind]
            if len(values) == 1:
                named.setdefault(_key(kind, values[0]), []).append((i, s))
        if len(named) < 2:
            continue
        sizes = sorted((len(group) for group in named.values()), reverse=True)
        winner = max(named.values(), key=len) if sizes[0] >= 2 and sizes[0] > sizes[1] else None
        apart += [node for group in named.values() if group is not winner for node in group]
        keep = [node for node in keep if node not in apart]  # with no winner, those naming no day may still agree
    return keep, apart


def _repeated_sentences(articles: list[AnalyzedArticle], copies: dict[int, int]) -> set[tuple[int, int]]:
    """(article, sentence) of each copy's sentence that its original, among these reports, also has: listed again
    they read as more news; the sources list says whose copy it is. What a near-copy adds stays its own."""
    out = set()
    for i, original in copies.items():
        known = {" ".join(s.text.split()).casefold() for s in articles[original].sentences}
        out |= {(i, s.index) for s in articles[i].sentences if " ".join(s.text.split()).casefold() in known}
    return out


def _informative(article: AnalyzedArticle, sentence: int) -> bool:
    """A single-source sentence worth listing: it names someone, counts, dates or quotes something."""
    return any(m.sentence == sentence for m in article.mentions)


def compare(articles: list[AnalyzedArticle], settings=None) -> Comparison:
    cfg = _settings(settings)
    ids = {a.article.id: n for n, a in enumerate(articles, start=1)}
    sources = [SourceRef(id=n, article_id=a.article.id, outlet=a.article.outlet, title=a.article.title,
                         published=iso(a.article.published), lang=a.article.language, url=a.article.url,
                         duplicate_of=ids.get(a.article.duplicate_of or ""))
               for n, a in enumerate(articles, start=1)]
    # copy -> its original, by position, when the original is among these reports; a copy whose original is not
    # speaks for it (it is the only one saying what it says)
    copies = {n: ids[a.article.duplicate_of] - 1 for n, a in enumerate(articles) if (a.article.duplicate_of or "") in ids}
    independent = [n for n in range(len(articles)) if n not in copies]
    repeated = _repeated_sentences(articles, copies)

    edges, found = [], []
    for i, j in combinations(independent, 2):
        edges += [(pair, i, j) for pair in align(articles[i], articles[j], cfg)
                  if not two_facts(articles[i], articles[j], pair, cfg)]
        found += [(c, i, j) for c in find_conflicts(articles[i], articles[j], cfg)]
    # a copy confirms nothing, but an edited copy contradicts: a number its outlet changed is a difference; and what
    # its outlet added ("Local officials put the toll at 20") is that outlet's own word, set against the other reports
    for i, original in copies.items():
        found += [(c, original, i) for c in find_conflicts(articles[original], articles[i], cfg)]
        if any(_informative(articles[i], s.index) for s in articles[i].sentences if (i, s.index) not in repeated):
            found += [(c, j, i) for j in independent if j != original
                      for c in find_conflicts(articles[j], articles[i], cfg) if (i, c.b_sentence) not in repeated]
    groups = group_sentences(edges)
    differences = conflict_facts(articles, found, groups)
    cited = {(st.source - 1, st.sentence) for f in differences for st in f.statements}
    facts: list[Fact] = []
    unsettled: set[tuple[int, int]] = set()
    for nodes in groups:
        if len(nodes) < 2 or all(node in cited for node in nodes):
            continue  # every sentence of it carries a difference, listed below
        nodes, apart = _split_by_day(articles, nodes)
        unsettled.update(node for node in apart if node not in cited)
        if len(nodes) < 2:
            unsettled.update(node for node in nodes if node not in cited)
            continue
        statements = [Statement(source=i + 1, text=articles[i].sentences[s].text, sentence=s) for i, s in nodes]
        facts.append(Fact("agree", statements, [], agreed_values(articles, nodes)))
    # facts in story order: each by the first sentence it cites
    facts = sorted(facts + differences, key=lambda f: min((st.source, st.sentence) for st in f.statements))
    # a sentence aligned with another is not single-source, even when a better pair took its partner; a copy's
    # sentences are its original's (the sources list says whose copy it is): listed again, they read as news
    aligned = ({node for pair, i, j in edges for node in ((i, pair.a), (j, pair.b))} | cited) - unsettled
    for i in range(len(articles)):  # a copy's own sentences too (a near-copy may add one), not those it repeats
        for s in articles[i].sentences:
            if (i, s.index) not in aligned and (i, s.index) not in repeated and _informative(articles[i], s.index):
                facts.append(Fact("single", [Statement(i + 1, s.text, s.index)]))

    entities = []
    for entity, by_source in resolve_entities(articles, [n for n in range(1, len(articles) + 1)]):
        entities.append(entity)
        spelled = spelling_variants({k: v for k, v in by_source.items() if k - 1 in independent},
                                    {n: (a.article.language or "").lower() for n, a in enumerate(articles, start=1)})
        if spelled and len(spelled) > 1:
            facts.append(Fact("conflict", [Statement(src, f"{entity.type.title()} named “{name}”")
                                           for src, name in sorted(spelled.items())],
                              [Conflict("name", dict(sorted(spelled.items())))]))
    return Comparison(sources=sources, entities=entities, facts=facts,
                      timeline=build_timeline(articles, facts, repeated), headline="")


__all__ = ["compare", "find_conflicts", "align", "AlignedPair", "changes_between"]
