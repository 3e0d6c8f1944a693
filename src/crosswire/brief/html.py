"""Standalone HTML briefing: one file, inline CSS, every piece of article text escaped."""
from __future__ import annotations

from html import escape

from crosswire.brief.sections import REPRINTED, Sections, cite

STYLE = """
body{font:16px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#555} .cite{color:#0b57d0;font-size:.85em;white-space:nowrap}
.diff{border-left:4px solid #b3261e;padding-left:.6rem;margin:.6rem 0}
.diff .label{font-weight:600;color:#b3261e} .diff ul{margin:.2rem 0}
.date{font-variant-numeric:tabular-nums;font-weight:600;margin-right:.4rem}
.variants{color:#555;font-size:.9em}
"""


def _li(text: str, sources: list[int]) -> str:
    return f"<li>{escape(text)} <span class=\"cite\">{escape(cite(sources))}</span></li>"


def render_html(briefings: list[Sections]) -> str:
    """One standalone page holding one or more story briefings."""
    title = briefings[0].headline if len(briefings) == 1 else f"{len(briefings)} stories"
    head = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)} — Crosswire briefing</title><style>{STYLE}</style></head><body>"]
    body = [f"<article>{render_section_html(s)}</article>" for s in briefings]
    return "\n".join(head + body + ["</body></html>"]) + "\n"


def render_section_html(s: Sections) -> str:
    """One story's briefing as an HTML fragment (also embedded by the web UI)."""
    parts = [
        f"<h1>{escape(s.headline)}</h1>",
        f'<p class="meta">{len(s.sources)} sources · {len(s.agreed)} agreed · {len(s.differences)} differences · '
        f"{len(s.single)} single-source</p>",
        "<h2>What the sources agree on</h2><ul>",
        *([_li(c.text, c.sources) for c in s.agreed] or ["<li>No fact is stated by more than one source.</li>"]),
        "</ul><h2>Where they differ</h2>",
    ]
    if not s.differences:
        parts.append("<p>No conflicting statements found.</p>")
    for d in s.differences:
        values = "; ".join(f"“{escape(v.text)}” <span class=\"cite\">{escape(cite(v.sources))}</span>" for v in d.values)
        parts.append(f'<div class="diff"><span class="label">{escape(d.label)}</span>'
                     + (f": {values}" if values else "")
                     + ("<br>they agree on: " + "; ".join(f"{escape(c.text)} <span class=\"cite\">{escape(cite(c.sources))}</span>"
                                                        for c in d.common) if d.common else "") + "<ul>"
                     + "".join(_li(st.text, st.sources) for st in d.statements) + "</ul></div>")
    if s.updates:
        parts.append("<h2>Updated by their outlets</h2><ul>")
        parts += [f'<li><span class="cite">{escape(cite([u.source]))}</span> updated (stored {escape(u.when)}):<ul>'
                  + "".join(f"<li>{escape(change)}</li>" for change in u.changes)
                  + (f'<li>the earlier text is {REPRINTED} <span class="cite">{escape(cite(u.reprinted_by))}</span></li>'
                     if u.reprinted_by else "") + "</ul></li>" for u in s.updates]
        parts.append("</ul>")
    parts.append("<h2>Reported by one source only</h2><ul>")
    parts += [_li(c.text, c.sources) for c in s.single] or ["<li>None.</li>"]
    parts.append("</ul><h2>Timeline</h2><ul>")
    parts += [f'<li><span class="date">{escape(date)}</span>{escape(c.text)} '
              f'<span class="cite">{escape(cite(c.sources))}</span></li>'
              for date, c in zip(s.timeline_dates, s.timeline)] or ["<li>No dated events.</li>"]
    parts.append("</ul><h2>People, organisations and places</h2><ul>")
    for name, typ, variants, sources in s.entities:
        other = [v for v in variants if v != name]
        alias = f' <span class="variants">(also: {escape(", ".join(other))})</span>' if other else ""
        parts.append(f"<li>{escape(name)} — {escape(typ)}{alias} "
                     f'<span class="cite">{escape(cite(sources))}</span></li>')
    parts.append("</ul><h2>Sources</h2><ol>")
    parts += [f'<li value="{cid}">{escape(desc)}</li>' for cid, desc in s.sources]
    parts.append("</ol>")
    return "\n".join(parts)
