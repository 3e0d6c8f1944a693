"""Rendered story responses (JSON bytes, HTML pages), reused while the story is unchanged.

Why: a story read is ~0.1 ms of store work and ~1 ms of parsing the cached comparison,
rebuilding the public JSON and rendering templates. Under 200 concurrent readers that
rendering is the queue. Each entry is keyed on the exact stored comparison text (plus
whatever else the response shows), so a changed story can never be served stale: the
validator simply stops matching. Bounded, least-recently-used first out.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable


class RenderCache:
    def __init__(self, max_entries: int = 4096):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[Any, Any]] = OrderedDict()
        self._lock = threading.Lock()  # sync routes run in a thread pool

    def get(self, key: Hashable, validator: Any, build: Callable[[], Any]) -> Any:
        """The value built for `key` while `validator` is unchanged; else build, keep and return it."""
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == validator:
                self._entries.move_to_end(key)
                return hit[1]
        value = build()
        with self._lock:
            self._entries[key] = (validator, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
