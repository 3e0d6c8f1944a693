"""From aligned sentence pairs and value conflicts to the facts a briefing lists.

Why not simply every chain of aligned sentences: alignment is one-to-one per pair of reports,
but across three or more reports the chains run on (A1~B1, B1~C12, C12~A14, A14~B4, ...) until
one "fact" holds half the story (19 sentences of the Colts example), and every difference in it
cited all of them. So:

- a fact holds at most one sentence per report: the strongest pairs join first, and two groups
  that already hold a sentence of the same report stay apart;
- each difference is a fact of its own and cites the sentences that carry the differing values,
  plus any aligned sentence of a third report that states one of those values (it agrees with
  one side). Conflicts of one kind that share a sentence and its value are one difference
  ("Mittwoch" [1], "Wednesday" [2] / "Monday" [3]);
- aligned sentences are listed as agreeing unless every one of them already carries a difference.
"""
from __future__ import annotations

from crosswire.compare.align import AlignedPair, score
from crosswire.compare.conflicts import ValueConflict, _key, _values, agreed_values
from crosswire.model import AnalyzedArticle, Conflict, Fact, Statement

Node = tuple[int, int]  # (article index, sentence index)

# value kinds (as conflicts._values sorts them) that a conflict of each kind is about
VALUE_KINDS = {"number": ("quantity",), "weekday": ("weekday",), "date": ("month_day", "month"), "year": ("year",)}


def group_sentences(edges: list[tuple[AlignedPair, int, int]]) -> list[list[Node]]:
    """Facts as groups of aligned sentences, at most one sentence per report, strongest pairs first.
    edges: (pair, article index of pair.a, article index of pair.b)."""
    parent: dict[Node, Node] = {}
    reports: dict[Node, set[int]] = {}

    def find(x: Node) -> Node:
        parent.setdefault(x, x)
        reports.setdefault(x, {x[0]})
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair, i, j in sorted(edges, key=lambda e: score(e[0]), reverse=True):
        ra, rb = find((i, pair.a)), find((j, pair.b))
        if ra != rb and not reports[ra] & reports[rb]:
            parent[ra] = rb
            reports[rb] |= reports.pop(ra)
    groups: dict[Node, list[Node]] = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    return sorted((sorted(nodes) for nodes in groups.values()), key=min)


def _value_key(articles: list[AnalyzedArticle], node: Node, kind: str, written: str) -> str:
    """The format-free key of a value as a sentence writes it ("Wednesday" and "Mittwoch" share one)."""
    values = _values(articles[node[0]], node[1])
    for value_kind in VALUE_KINDS.get(kind, ()):
        for m in values[value_kind]:
            if m.text == written:
                return _key(value_kind, m)
    return " ".join(written.lower().split())


def _stated_keys(articles: list[AnalyzedArticle], node: Node, kind: str) -> dict[str, str]:
    """key -> as written, for every value of the conflict's kind the sentence states."""
    values = _values(articles[node[0]], node[1])
    return {_key(vk, m): m.text for vk in VALUE_KINDS.get(kind, ()) for m in values[vk]}


def conflict_facts(articles: list[AnalyzedArticle], found: list[tuple[ValueConflict, int, int]],
                   groups: list[list[Node]]) -> list[Fact]:
    """One fact per difference, citing the sentences that carry its values.
    found: (conflict, article index of its a side, article index of its b side)."""
    clusters: list[dict] = []  # kind, values {node: (key, written)}
    for c, i, j in found:
        sides = {(i, c.a_sentence): (_value_key(articles, (i, c.a_sentence), c.kind, c.a_value), c.a_value),
                 (j, c.b_sentence): (_value_key(articles, (j, c.b_sentence), c.kind, c.b_value), c.b_value)}
        home = None
        if c.kind != "negation":
            for cluster in clusters:
                if cluster["kind"] != c.kind or not any(cluster["values"].get(n, (None,))[0] == v[0]
                                                        for n, v in sides.items()):
                    continue
                by_report = {n[0]: v[0] for n, v in cluster["values"].items()}
                if all(by_report.get(n[0], v[0]) == v[0] for n, v in sides.items()):
                    home = cluster  # one stated value answered by two reports: one difference
                    break
        if home is None:
            clusters.append({"kind": c.kind, "values": dict(sides)})
        else:
            home["values"].update(sides)

    group_of = {node: g for g in groups for node in g}
    facts = []
    for cluster in clusters:
        values: dict[Node, tuple[str, str]] = cluster["values"]
        if cluster["kind"] != "negation":
            keys = {v[0] for v in values.values()}
            for node in list(values):
                for mate in group_of.get(node, []):
                    if mate[0] in {n[0] for n in values} or articles[mate[0]].article.duplicate_of:
                        continue
                    stated = _stated_keys(articles, mate, cluster["kind"])
                    agreeing = [k for k in stated if k in keys]
                    if len(agreeing) == 1:  # an aligned sentence of a third report states one side's value
                        values[mate] = (agreeing[0], stated[agreeing[0]])
        nodes = sorted(values)
        statements = [Statement(i + 1, articles[i].sentences[s].text, s) for i, s in nodes]
        conflict = Conflict(kind=cluster["kind"], values={i + 1: values[(i, s)][1] for i, s in nodes},
                            sentences={i + 1: articles[i].sentences[s].text for i, s in nodes})
        facts.append(Fact("conflict", statements, [conflict], agreed_values(articles, nodes)))
    return facts
