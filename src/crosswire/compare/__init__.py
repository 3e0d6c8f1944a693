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
from crosswire.compare.neighbours import split_weekday_conflicts
from crosswire.compare.timeline import build_timeline
from crosswire.compare.conflicts import agreed_values
from crosswire.model import (AnalyzedArticle, Comparison, Conflict, Fact, SourceRef, Statement, iso)


def _settings(settings) -> dict:
    return settings.section("compare") if settings is not None and hasattr(settings, "section") else dict(settings or {})


def find_conflicts(a: AnalyzedArticle, b: AnalyzedArticle, settings=None) -> list[ValueConflict]:
    """Every value conflict between two reports, with the sentences that state it.

    Best-aligned pairs speak first; a sentence yields at most one conflict of a kind, so a
    sentence that loosely resembles several others is not blamed several times.
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
    out, used = [], set()
    for c in found + age_conflicts(a, b) + split_weekday_conflicts(a, b, strict, cfg):
        if ("a", c.a_sentence, c.kind) in used or ("b", c.b_sentence, c.kind) in used:
            continue
        used |= {("a", c.a_sentence, c.kind), ("b", c.b_sentence, c.kind)}
        out.append(c)
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
    independent = [n for n, a in enumerate(articles) if not a.article.duplicate_of]

    # union-find over (article, sentence) nodes joined by alignment
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    conflicts: list[tuple[tuple[int, int], ValueConflict, int, int]] = []
    for i, j in combinations(independent, 2):
        for pair in align(articles[i], articles[j], cfg):
            parent[find((i, pair.a))] = find((j, pair.b))
        for c in find_conflicts(articles[i], articles[j], cfg):
            parent[find((i, c.a_sentence))] = find((j, c.b_sentence))  # a conflict is one fact told twice
            conflicts.append(((i, c.a_sentence), c, i, j))

    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    facts: list[Fact] = []
    conflict_by_root: dict[tuple[int, int], list[Conflict]] = {}
    for node, c, i, j in conflicts:
        conflict_by_root.setdefault(find(node), []).append(Conflict(
            kind=c.kind, values={i + 1: c.a_value, j + 1: c.b_value},
            sentences={i + 1: articles[i].sentences[c.a_sentence].text, j + 1: articles[j].sentences[c.b_sentence].text}))
    for root, nodes in sorted(groups.items(), key=lambda kv: min(kv[1])):
        statements = [Statement(source=i + 1, text=articles[i].sentences[s].text, sentence=s) for i, s in sorted(nodes)]
        found = conflict_by_root.get(root, [])
        facts.append(Fact("conflict" if found else "agree", statements, found, agreed_values(articles, nodes)))
    aligned = set(parent)
    for i in range(len(articles)):
        for s in articles[i].sentences:
            if (i, s.index) not in aligned and _informative(articles[i], s.index):
                facts.append(Fact("single", [Statement(i + 1, s.text, s.index)]))

    entities = []
    for entity, by_source in resolve_entities(articles, [n for n in range(1, len(articles) + 1)]):
        entities.append(entity)
        spelled = spelling_variants({k: v for k, v in by_source.items() if k - 1 in independent})
        if spelled and len(spelled) > 1:
            facts.append(Fact("conflict", [Statement(src, f"{entity.type.title()} named “{name}”")
                                           for src, name in sorted(spelled.items())],
                              [Conflict("name", dict(sorted(spelled.items())))]))
    return Comparison(sources=sources, entities=entities, facts=facts,
                      timeline=build_timeline(articles, facts), headline="")


__all__ = ["compare", "find_conflicts", "align", "AlignedPair"]
