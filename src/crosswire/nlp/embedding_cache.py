"""A disk cache for a slow encoder: vectors keyed by the model's name and the exact text.

Why: multilingual-e5-small embeds a few texts per second per core here, so `train similarity` and
`eval similarity` each spent ~15 minutes embedding the same 2,514 SemEval articles, and
`crosswire similarity A B` re-embedded articles it had seen. With the cache, a re-run reads the
vectors back. SQLite, like the store: one file, safe when two commands run at once. Vectors are
kept as float32 bytes, so a cached run computes exactly what an uncached one does.
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

_CHUNK = 500  # keys per SELECT: well under SQLite's bound-parameter limit


class CachedEncoder:
    """Wraps an encoder (``name``, ``dim``, ``encode(texts)``) and answers the same calls."""

    def __init__(self, encoder: Any, path: str | Path) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            from crosswire.errors import ConfigError
            raise ConfigError(f"{self.path}: cannot open the embedding cache ({exc}); "
                              "set nlp.embedding_cache to another file, or to \"off\"") from None

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        found: dict[str, bytes] = {}
        for begin in range(0, len(keys), _CHUNK):
            chunk = keys[begin:begin + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk))
        missing = list(dict.fromkeys(k for k in keys if k not in found))  # each distinct text once
        if missing:
            text_of = {k: t for k, t in zip(keys, texts)}
            vectors = np.asarray(self.encoder.encode([text_of[k] for k in missing]), dtype=np.float32)
            rows = [(k, v.tobytes()) for k, v in zip(missing, vectors)]
            with self._db:
                self._db.executemany("INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)", rows)
            found.update(rows)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = np.frombuffer(found[k], dtype=np.float32)
        return out
