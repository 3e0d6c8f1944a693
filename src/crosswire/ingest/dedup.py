"""Near-duplicates (wire copies): MinHash over word 5-shingles, LSH for candidates.

Why: when five outlets run the same AFP text, that is one source, not five confirmations.
A copy is stored and marked `duplicate_of`, so briefs can say so instead of counting it.
"""
from __future__ import annotations

import re

import numpy as np

NUM_PERM = 128
SHINGLE = 5
WORD = re.compile(r"\w+", re.UNICODE)


class NearDuplicateIndex:
    def __init__(self, threshold: float = 0.8, num_perm: int = NUM_PERM):
        from datasketch import MinHashLSH
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._hashes: dict[str, object] = {}
        self._order: dict[str, int] = {}
        probe = self._minhash(text="")
        # signatures are stored in this form
        self._seed, self._scheme, self._dtype = probe.seed, probe.scheme, probe.hashvalues.dtype

    def _minhash(self, hashvalues: np.ndarray | None = None, text: str | None = None):
        from datasketch import LeanMinHash, MinHash
        if hashvalues is not None:
            # Lean: a stored signature needs no permutations; MinHash(hashvalues=...) still draws them,
            # which made loading the index from the store cost ~0.25 ms per article (~25 s at 100k)
            return LeanMinHash(seed=self._seed, hashvalues=hashvalues, scheme=self._scheme)
        words = WORD.findall((text or "").casefold())
        shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
        m = MinHash(num_perm=self.num_perm)
        m.update_batch([s.encode("utf-8") for s in shingles if s])
        return m

    def signature(self, text: str) -> bytes:
        return np.asarray(self._minhash(text=text).hashvalues, dtype=self._dtype).tobytes()

    def add(self, article_id: str, signature: bytes) -> None:
        if article_id in self._hashes:
            return
        m = self._minhash(np.frombuffer(signature, dtype=self._dtype).copy())
        self._hashes[article_id] = m
        self._order[article_id] = len(self._order)
        self._lsh.insert(article_id, m)

    def replace(self, article_id: str, signature: bytes) -> None:
        """A stored report's new text (its outlet updated it at the same URL): the new signature, the same place
        in the order (the report was stored when it was)."""
        if article_id not in self._hashes:
            self.add(article_id, signature)
            return
        m = self._minhash(np.frombuffer(signature, dtype=self._dtype).copy())
        self._lsh.remove(article_id)
        self._hashes[article_id] = m
        self._lsh.insert(article_id, m)

    def holds(self, article_id: str) -> bool:
        return article_id in self._hashes

    def query(self, signature: bytes, exclude: frozenset[str] | set[str] = frozenset()) -> str | None:
        """The earliest indexed article this text copies (Jaccard >= threshold), if any; never one in ``exclude``
        (an updated report's own earlier text, and its copies)."""
        m = self._minhash(np.frombuffer(signature, dtype=self._dtype).copy())
        matches = [k for k in self._lsh.query(m) if k not in exclude and self._hashes[k].jaccard(m) >= self.threshold]
        # insertion order kept beside the hashes: rebuilding it per query cost O(articles) each time
        return min(matches, key=self._order.__getitem__) if matches else None
