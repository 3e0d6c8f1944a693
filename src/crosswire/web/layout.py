"""What the story page draws, computed from a Comparison: side-by-side rows and the timeline.

Kept apart from the templates so the geometry and row alignment are plain Python, testable
without a browser; templates only print (escaped) values.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from crosswire.model import Comparison

STATUS_LABEL = {"agree": "agree", "conflict": "conflict", "single": "only here"}


def side_by_side(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per aligned fact; one cell per source (empty when that source is silent)."""
    rows = []
    for index, fact in enumerate(comparison.facts):
        cells: dict[int, list[str]] = {}
        for statement in fact.statements:
            cells.setdefault(statement.source, []).append(statement.text)
        values: dict[int, list[str]] = {}
        kinds = []
        for conflict in fact.conflicts:
            kinds.append(conflict.kind)
            for source, value in conflict.values.items():
                values.setdefault(int(source), []).append(value)
        rows.append({"index": index + 1, "status": fact.status, "label": STATUS_LABEL.get(fact.status, fact.status),
                     "kinds": kinds,
                     "cells": [{"source": s.id, "texts": cells.get(s.id, []), "values": values.get(s.id, [])}
                               for s in comparison.sources]})
    return rows


def _day(value: str) -> date | None:
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2][:2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def timeline(comparison: Comparison, width: int = 720) -> dict[str, Any]:
    """Points on a horizontal axis, spaced by real time between the resolved dates."""
    from crosswire.brief.sections import timeline_texts
    texts = {id(t): text for t, text in zip(comparison.timeline, timeline_texts(comparison))}
    entries = [(t, _day(t.date)) for t in comparison.timeline]
    entries = [(t, d) for t, d in entries if d is not None]
    entries.sort(key=lambda p: p[1])
    if not entries:
        return {"points": [], "width": width, "height": 0}
    low, high = entries[0][1].toordinal(), entries[-1][1].toordinal()
    span = max(high - low, 1)
    margin = 40
    points = []
    for number, (entry, day) in enumerate(entries, start=1):
        x = margin + (day.toordinal() - low) / span * (width - 2 * margin) if high > low else width / 2
        points.append({"n": number, "x": round(x, 1), "y": 40 + (number % 2) * 18,
                       "date": entry.date, "text": texts[id(entry)], "sources": entry.sources})
    return {"points": points, "width": width, "height": 90,
            "first": entries[0][0].date, "last": entries[-1][0].date}


def entity_chips(comparison: Comparison) -> list[dict[str, Any]]:
    return [asdict(e) | {"others": [v for v in e.variants if v != e.name]} for e in comparison.entities]
