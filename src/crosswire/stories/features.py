"""Cheap per-article signals for story detection, computed once and kept small.

Why a plain dict per document: the clusterer, the pair-similarity model and the benchmark
all consume the same few signals (two embeddings, folded entity names, numbers, a day
number), and a dict is what both the store-backed path (from an ``AnalyzedArticle``) and
the dataset evals (from raw JSONL + a cached encoder run) can build without extra classes.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from crosswire.folding import fold_word
from crosswire.nlp.embeddings import head_text  # the head is the pipeline's own article vector

BODY_CHARS = 1200  # body embedding: enough for the main facts, bounded encoder cost

_NAME = re.compile(r"(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]+(?:\s+(?:of|de|der|von|van|al|la|du|del)?\s*[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]+)*)")
_NUMBER = re.compile(r"\b\d{1,3}(?:[,.]\d{3})+\b|\b\d+(?:\.\d+)?\b")
_STOP_NAMES = {
    "the", "a", "an", "in", "on", "at", "he", "she", "it", "they", "we", "i", "but", "and", "this",
    "that", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "der", "die", "das", "ein", "eine", "le", "la", "les",
    "el", "los", "las", "mr", "mrs", "ms", "said", "after", "for", "as", "his", "her", "there",
    "when", "its", "what", "who", "if", "one", "two", "new", "updated", "read", "more",
}


def fold(name: str) -> str:
    """Case- and accent-insensitive form: 'Traoré' and 'TRAORE' both become 'traore'."""
    return fold_word(name).strip()


def body_text(text: str) -> str:
    return text.strip()[:BODY_CHARS]


def name_tokens(text: str) -> set[str]:
    """Folded capitalised names and their single words (so 'Tara Reid' also matches 'Reid').

    A fallback for when no NER mentions are available; the words keep cross-language
    matches ('Obama' in German and English text) cheap without any resolver.
    """
    out: set[str] = set()
    for match in _NAME.finditer(text):
        words = [w for w in re.split(r"\s+", match.group(0)) if fold(w) not in _STOP_NAMES]
        for w in words:
            f = fold(w).strip("'’-")
            if len(f) > 2:
                out.add(f)
        if len(words) > 1:
            out.add(" ".join(fold(w) for w in words))
    return out


def numbers(text: str) -> set[str]:
    """Numbers that can identify an event (>= 2 digits or a year): '2,000' and '2000' agree."""
    out: set[str] = set()
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "")
        if len(value.split(".")[0]) >= 2:
            out.add(value)
    return out


_WORD = re.compile(r"[^\W\d_]{4,}")


def content_words(text: str, limit: int = 80) -> set[str]:
    """Folded words of >= 4 letters from title + lead: the streaming stand-in for TF-IDF
    (the TF-IDF baseline's strength is topical words like 'immunity' that names miss)."""
    out: set[str] = set()
    for w in _WORD.findall(text):
        out.add(fold(w))
        if len(out) >= limit:
            break
    return out


def day_number(value: Any) -> float | None:
    """Days since 0001-01-01 for a date/datetime/ISO string; None when unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value.toordinal() + (value.hour * 3600 + value.minute * 60) / 86400.0
    if isinstance(value, date):
        return float(value.toordinal())
    return None


def doc_features(doc_id: str, title: str, text: str, when: Any, lang: str | None,
                 head_emb: Any, body_emb: Any, names: set[str] | None = None) -> dict[str, Any]:
    """The signal bundle one article contributes to story detection."""
    import numpy as np
    head = np.asarray(head_emb, dtype=np.float32)
    body = np.asarray(body_emb if body_emb is not None else head_emb, dtype=np.float32)
    return {
        "id": doc_id,
        "lang": lang or "",
        "head": head / (np.linalg.norm(head) or 1.0),
        "body": body / (np.linalg.norm(body) or 1.0),
        "names": names if names is not None else name_tokens(title + "\n" + text[:BODY_CHARS * 2]),
        "numbers": numbers(title + "\n" + text[:BODY_CHARS * 2]),
        "words": content_words(title + "\n" + text[:BODY_CHARS]),
        "day": day_number(when),
    }


def encode_docs(records: list[dict[str, Any]], encoder: Any = None) -> list[dict[str, Any]]:
    """Features for raw dataset records (id, title, text, date, lang): one encoder pass each
    for heads and bodies. Used by the evals; the pipeline builds features from its own analysis."""
    if encoder is None:  # the pipeline's encoder: one BLAS thread, length-sorted batches
        from crosswire.nlp.embeddings import get_encoder
        encoder = get_encoder()
    heads = encoder.encode([head_text(r.get("title") or "", r.get("text") or "") for r in records])
    bodies = encoder.encode([body_text(r.get("text") or "") for r in records])
    return [doc_features(str(r.get("id")), r.get("title") or "", r.get("text") or "", r.get("date"),
                         r.get("lang"), h, b) for r, h, b in zip(records, heads, bodies)]
