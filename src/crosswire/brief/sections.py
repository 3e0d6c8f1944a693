"""Turn a Comparison into the briefing's sections, once, for every output format.

Why a separate step: Markdown, HTML and the terminal must say exactly the same thing
with the same citations; only the markup differs. So the editorial choices (which
statement represents a fact, how a difference is worded, what counts as "most sources")
live here, and the renderers only format.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from crosswire.model import Change, Comparison, Fact

KIND_LABEL = {
    "number": "Numbers differ", "date": "Dates differ", "year": "Years differ",
    "weekday": "Weekdays differ", "negation": "One source denies what another states",
    "name": "Name spelt differently", "quote": "Quoted words differ", "other": "Accounts differ",
}


@dataclass
class Cited:
    text: str
    sources: list[int]


@dataclass
class Difference:
    kind: str
    label: str
    values: list[Cited]  # each source's value, cited
    statements: list[Cited]  # each source's sentence, cited
    common: list[Cited] = field(default_factory=list)  # values the same sources agree on in these sentences


@dataclass
class Update:
    """A cited source its outlet updated after it was stored: one line per change, worded for the reader."""

    source: int
    when: str  # "2026-11-26 09:14 UTC": when Crosswire stored the newer text
    changes: list[str]
    reprinted_by: list[int] = field(default_factory=list)  # copies still carrying the earlier text


CHANGE_LABEL = {"headline": "Headline changed", "reworded": "Reworded", "added": "Added", "removed": "Taken out",
                "reordered": "The same sentences in another order",
                "number": "Number changed", "date": "Date changed", "year": "Year changed",
                "weekday": "Weekday changed", "negation": "Now says the opposite"}
REPRINTED = "still carried by a copy made before the update:"
CHANGES_SHOWN = 12  # per update: a rewritten article would otherwise list every sentence twice


@dataclass
class Sections:
    headline: str
    agreed: list[Cited] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    single: list[Cited] = field(default_factory=list)
    timeline: list[Cited] = field(default_factory=list)  # text = "YYYY-MM-DD — sentence"
    timeline_dates: list[str] = field(default_factory=list)
    entities: list[tuple[str, str, list[str], list[int]]] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)  # sources their outlets updated, oldest update first
    sources: list[tuple[int, str]] = field(default_factory=list)  # (citation, description)


def _representative(fact: Fact, disputed: set[tuple[int, int]] = frozenset(), langs: dict[int, str] | None = None,
                    language: str | None = None) -> str:
    """The statement that speaks for an agreed fact: the fullest one in the briefing's language (``language``,
    ``briefing_language``), so nothing is lost and a briefing does not switch language from line to line, among
    those that carry no difference when there are any (shown as agreed, "announced on Monday" would read as if the
    disputed weekday were agreed too). Another language's statement stands only when none is in it."""
    plain = [s for s in fact.statements if (s.source, s.sentence) not in disputed] or fact.statements
    own = [s for s in plain if langs and language and langs.get(s.source) == language] or plain
    return max((s.text for s in own), key=len, default="")


def briefing_language(comparison: Comparison) -> str | None:
    """The language most independent sources write in (a copy is not another voice); a tie goes to English, the
    language the briefing's own words are in, else to the language of the earliest of the tied sources. The story's
    headline (pipeline) and its agreed facts follow it."""
    from collections import Counter
    independent = [s for s in comparison.sources if s.lang and not s.duplicate_of]
    counts = Counter(s.lang for s in independent)
    if not counts:
        return None
    top = max(counts.values())
    tied = {lang for lang, n in counts.items() if n == top}
    if "en" in tied:
        return "en"
    return min((s for s in independent if s.lang in tied), key=lambda s: (s.published is None, s.published or "")).lang


def _cites(fact: Fact) -> list[int]:
    return sorted({s.source for s in fact.statements})


def build_sections(comparison: Comparison) -> Sections:
    headline = comparison.headline or next((s.title for s in comparison.sources if s.title), "Untitled story")
    out = Sections(headline=headline)
    disputed = {(st.source, st.sentence) for f in comparison.facts if f.status == "conflict" for st in f.statements
                if st.sentence is not None}
    langs = {s.id: s.lang for s in comparison.sources if s.lang}
    language = briefing_language(comparison)
    for fact in comparison.facts:
        if fact.status == "agree":
            out.agreed.append(Cited(_representative(fact, disputed, langs, language), _cites(fact)))
        elif fact.status == "single":
            out.single.append(Cited(_representative(fact), _cites(fact)))
        else:
            statements = [Cited(s.text, [s.source]) for s in fact.statements]
            common = [Cited(v.text, v.sources) for v in fact.agreed]
            for conflict in fact.conflicts or []:
                values: list[Cited] = []  # one entry per value, citing every source that gives it: "12" [1][2]; "15" [3]
                for src, v in sorted(conflict.values.items()):
                    same = next((c for c in values if _as_value(c.text) == _as_value(v)), None)
                    same.sources.append(src) if same else values.append(Cited(v, [src]))
                out.differences.append(Difference(conflict.kind, KIND_LABEL.get(conflict.kind, "Accounts differ"),
                                                  values, statements, common))
            if not fact.conflicts:
                out.differences.append(Difference("other", KIND_LABEL["other"], [], statements, common))
    for entry, text in zip(comparison.timeline, timeline_texts(comparison)):
        out.timeline.append(Cited(text, list(entry.sources)))
        out.timeline_dates.append(entry.date)
    for ent in comparison.entities:
        out.entities.append((ent.name, ent.type, list(ent.variants), list(ent.sources)))
    out.updates = worded_updates(comparison)
    for src in comparison.sources:
        parts = [src.outlet or "unknown outlet", f"“{src.title}”" if src.title else "",
                 (src.published or "")[:10], src.lang or "", src.url or ""]
        desc = ", ".join(p for p in parts if p)
        if src.duplicate_of:
            desc += f" (copy of [{src.duplicate_of}]: not independent confirmation)"
        out.sources.append((src.id, desc))
    return out


def timeline_texts(comparison: Comparison) -> list[str]:
    """Each timeline entry's sentence, in the briefing's language when one of the sources dating it says it in that
    language (the compare stage takes the first source's: a German line in an English briefing); the fullest one.
    The briefing and the story page's timeline both read it."""
    language = briefing_language(comparison)
    langs = {s.id: s.lang for s in comparison.sources if s.lang}
    spoken_by = {(st.source, st.text): fact for fact in comparison.facts for st in fact.statements}
    out = []
    for entry in comparison.timeline:
        fact = next((spoken_by[(src, entry.text)] for src in entry.sources if (src, entry.text) in spoken_by), None)
        own = [st.text for st in fact.statements if st.source in entry.sources and langs.get(st.source) == language] \
            if fact and language and langs.get(entry.sources[0]) != language else []
        out.append(max(own, key=len) if own else entry.text)
    return out


def worded_updates(comparison: Comparison) -> list[Update]:
    """The story's updated sources, each change in a line (the briefing's and the story page's section)."""
    return [Update(u.source, u.replaced_at[:16].replace("T", " ") + " UTC", _worded(u.changes), list(u.reprinted_by))
            for u in comparison.updates]


def _worded(changes: list[Change]) -> list[str]:
    lines = []
    for c in changes[:CHANGES_SHOWN]:
        label = CHANGE_LABEL.get(c.kind, "Changed")
        if c.kind == "added":
            lines.append(f"{label}: “{c.after_sentence}”")
        elif c.kind == "removed":
            lines.append(f"{label}: “{c.before_sentence}”")
        elif c.kind == "reworded":
            lines.append(f"{label}: “{c.before_sentence}” → “{c.after_sentence}”")
        elif c.kind == "reordered":
            lines.append(label)
        elif c.kind == "headline":
            lines.append(f"{label}: “{c.before}” → “{c.after}”")
        else:
            lines.append(f"{label}: “{c.before}” → “{c.after}” (in the new text: “{c.after_sentence}”)")
    if len(changes) > CHANGES_SHOWN:
        lines.append(f"and {len(changes) - CHANGES_SHOWN} more changes")
    if not changes:
        lines.append("no change beyond spacing or letter case")
    return lines


def _as_value(text: str) -> str:
    """A stated value as compared for grouping: "1,500" and "1500", "Twelve" and "twelve" are one."""
    return text.replace(",", "").replace("\u202f", "").replace(" ", "").casefold()


def cite(sources: list[int]) -> str:
    return "".join(f"[{s}]" for s in sources)
