"""Briefings: a Comparison rendered as Markdown, standalone HTML or JSON, every statement cited."""
from __future__ import annotations

import json
from typing import Literal

from crosswire.brief.sections import build_sections
from crosswire.model import Comparison

Format = Literal["md", "html", "json"]
FORMATS = ("md", "html", "json")


def render(comparison: Comparison, fmt: Format = "md") -> str:
    """One story's briefing."""
    return render_many([comparison], fmt)


def render_many(comparisons: list[Comparison], fmt: Format = "md") -> str:
    """Several stories in one document (`crosswire brief examples/` briefs every story found)."""
    if fmt == "json":
        data = [c.to_dict() for c in comparisons]
        return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"
    sections = [build_sections(c) for c in comparisons]
    if fmt == "html":
        from crosswire.brief.html import render_html
        return render_html(sections)
    if fmt == "md":
        from crosswire.brief.markdown import render_markdown
        return "\n---\n\n".join(render_markdown(s) for s in sections)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


__all__ = ["render", "render_many", "FORMATS"]
