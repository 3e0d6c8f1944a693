"""The story index saved between processes, so a new process need not rebuild it from the store.

Why: building the index reads every stored analysis back and recomputes its features (~0.4 ms per
article, measured), so each `crosswire ingest` run from cron on a store of 100k articles would spend
~40 s before placing its first article. A process that holds a current index saves it when it is done
(the CLI after ingesting, the server at shutdown); the next process loads it if the store's revision
is still the one saved with it, or differs only by other writers' new stories and joins, which it then
catches up on (the same tests the index kept inside one process must pass, kept_indexes.py), and
rebuilds otherwise. A missing, stale, damaged or foreign file is never an error: it only costs the
rebuild it would have saved. Stories that went cold are not in the index, so the file follows the
live stories, not the whole store.

The format is pickle, restricted: the unpickler resolves only the few classes an index is made of
(its two classes, Counters, numpy arrays), so a planted file cannot run code when it is loaded. The
header (format, versions, which database and settings, revision, and the payload's size and SHA-256) is
a small first pickle: a stale file is recognised without reading the rest, and a damaged one (a bit
flipped on disk, a write cut short) before any of it is parsed. That matters beyond pickle: the usearch
graph inside is parsed by native code, which crashed the process on most randomly damaged graphs in a
reviewer's fuzz test. A file crafted with a matching digest could still reach that parser; the
directory is the user's own cache, as trusted as the database next to it.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Callable

FORMAT = 3
ALLOWED = {
    ("builtins", "list"), ("builtins", "set"), ("builtins", "frozenset"),
    ("collections", "Counter"), ("collections", "defaultdict"), ("collections", "deque"),
    ("crosswire.stories", "StoryAssigner"), ("crosswire.stories.stream", "StreamClusterer"),
    ("crosswire.stories.stream", "_Story"),
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),
}


class _IndexUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a story index")
        return super().find_class(module, name)


def _identity(key: Any) -> str:
    """Which database, settings and versions (Crosswire's, and the libraries whose objects are inside)
    an index belongs to, as a digest: the header never holds the database URL itself (a PostgreSQL URL
    may carry a password)."""
    from importlib.metadata import version

    from crosswire import __version__
    libraries = tuple(version(name) for name in ("numpy", "usearch"))
    return hashlib.sha256(repr((FORMAT, __version__, libraries, key)).encode()).hexdigest()


def index_path(directory: Path, key: Any) -> Path:
    """One file per database path and settings (the inode is in the header, not the name, so a
    database deleted and created again overwrites its old file instead of leaving it behind)."""
    database, stories_settings = key
    where = database.split("#", 1)[0]
    name = hashlib.sha256(repr((where, stories_settings)).encode()).hexdigest()[:24]
    return directory / f"{name}.story-index"


def save(assigner: Any, path: Path, key: Any, revision: dict[str, int]) -> bool:
    """Write ``assigner``'s index atomically (a reader sees the old file or the new one). False when it
    cannot be written: saving is an optimisation, never a reason to fail the command that built it."""
    try:
        payload = pickle.dumps(assigner, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, RuntimeError):  # RuntimeError: changed while pickled
        return False
    header = {"format": FORMAT, "identity": _identity(key), "revision": revision,
              "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".story-index-")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(header, fh, protocol=pickle.HIGHEST_PROTOCOL)
                fh.write(payload)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        return False
    return True


def load(path: Path, key: Any, store: Any, settings: Any, usable: Callable[[dict[str, int]], bool]):
    """(the saved StoryAssigner for this database and settings, attached to ``store``; the store revision
    it was saved at), or None if there is none, or ``usable(that revision)`` says it cannot be brought
    up to date (checked from the header, before the rest is read)."""
    from crosswire.stories import StoryAssigner
    try:
        with open(path, "rb") as fh:
            header = _IndexUnpickler(fh).load()
            if not (isinstance(header, dict) and header.get("format") == FORMAT
                    and header.get("identity") == _identity(key) and isinstance(header.get("revision"), dict)
                    and isinstance(header.get("size"), int) and usable(header["revision"])):
                return None
            payload = fh.read(header["size"] + 1)
        if len(payload) != header["size"] or hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            return None
        assigner = _IndexUnpickler(io.BytesIO(payload)).load()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError,
            IndexError, KeyError, MemoryError, RuntimeError):
        return None
    if not isinstance(assigner, StoryAssigner):
        return None
    assigner.store, assigner.settings = store, settings
    return assigner, header["revision"]
