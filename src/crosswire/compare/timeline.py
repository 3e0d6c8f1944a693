"""The timeline: every resolved date, with the sentence that dates it and the sources that say so.

Dates stated by aligned sentences (one fact) share an entry; the precision a source gave
(day, month, year) is kept, so "last month" stays "2022-12" and never pretends to be a day.
"""
from __future__ import annotations

from crosswire.model import AnalyzedArticle, Fact, TimelineEntry


def build_timeline(articles: list[AnalyzedArticle], facts: list[Fact],
                   repeated: set[tuple[int, int]] = frozenset()) -> list[TimelineEntry]:
    """Dated entries, one per date and fact; ``repeated``: (article, sentence) a copy shares with its original, whose
    dates are the original's (listed again, each would read as another report's)."""
    fact_of = {(st.source, st.sentence): n for n, f in enumerate(facts) for st in f.statements}
    entries: dict[tuple[str, object], TimelineEntry] = {}
    for i, article in enumerate(articles, start=1):
        for m in article.mentions:
            if m.kind != "date" or not m.value or m.value.startswith("--") or (i - 1, m.sentence) in repeated:
                continue
            sentence = article.sentences[m.sentence].text if 0 <= m.sentence < len(article.sentences) else m.text
            key = (m.value, fact_of.get((i, m.sentence), (i, m.sentence)))
            entry = entries.get(key)
            if entry is None:
                entries[key] = TimelineEntry(m.value, sentence, [i], precision=m.label or "day")
            elif i not in entry.sources:
                entry.sources.append(i)
    return sorted(entries.values(), key=lambda e: (e.date, -len(e.sources)))
