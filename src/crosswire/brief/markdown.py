"""Markdown briefing: what the terminal shows (through rich) and what `-o brief.md` writes."""
from __future__ import annotations

from crosswire.brief.sections import REPRINTED, Sections, cite


def _escape(text: str) -> str:
    # Article text is data: keep it from turning into markup (headings, links, emphasis).
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("[", "\\[") \
        .replace("<", "&lt;").replace("\n", " ")


def render_markdown(s: Sections) -> str:
    lines = [f"# {_escape(s.headline)}", ""]
    n = len(s.sources)
    a, d, o = len(s.agreed), len(s.differences), len(s.single)
    lines.append(f"_{n} source{'s' if n != 1 else ''}; {a} agreed fact{'s' if a != 1 else ''}, "
                 f"{d} difference{'s' if d != 1 else ''}, {o} single-source fact{'s' if o != 1 else ''}._")
    lines += ["", "## What the sources agree on", ""]
    lines += [f"- {_escape(c.text)} {cite(c.sources)}" for c in s.agreed] or ["- (no fact is stated by more than one source)"]
    lines += ["", "## Where they differ", ""]
    if not s.differences:
        lines.append("- (no conflicting statements found)")
    for d in s.differences:
        values = "; ".join(f"“{_escape(v.text)}” {cite(v.sources)}" for v in d.values)
        lines.append(f"- **{d.label}**" + (f": {values}" if values else ""))
        if d.common:
            lines.append("  - they agree on: " + "; ".join(f"{_escape(c.text)} {cite(c.sources)}" for c in d.common))
        lines += [f"  - {_escape(st.text)} {cite(st.sources)}" for st in d.statements]
    if s.updates:
        lines += ["", "## Updated by their outlets", ""]
        for u in s.updates:
            lines.append(f"- {cite([u.source])} updated (stored {u.when}):")
            lines += [f"  - {_escape(change)}" for change in u.changes]
            lines += [f"  - the earlier text is {REPRINTED} {cite(u.reprinted_by)}"] if u.reprinted_by else []
    lines += ["", "## Reported by one source only", ""]
    lines += [f"- {_escape(c.text)} {cite(c.sources)}" for c in s.single] or ["- (none)"]
    lines += ["", "## Timeline", ""]
    lines += [f"- **{date}** — {_escape(c.text)} {cite(c.sources)}"
              for date, c in zip(s.timeline_dates, s.timeline)] or ["- (no dated events)"]
    lines += ["", "## People, organisations and places", ""]
    for name, typ, variants, sources in s.entities:
        other = [v for v in variants if v != name]
        alias = f" (also: {', '.join(_escape(v) for v in other)})" if other else ""
        lines.append(f"- {_escape(name)} — {typ}{alias} {cite(sources)}")
    if not s.entities:
        lines.append("- (none found)")
    lines += ["", "## Sources", ""]
    lines += [f"{cid}. {_escape(desc)}" for cid, desc in s.sources]
    return "\n".join(lines) + "\n"
