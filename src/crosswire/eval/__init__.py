"""Quality on datasets. Shared here: reading a JSONL dataset so that every bad line is one clear error.

Why a reader of its own: an eval runs for minutes, so a file it cannot use must be refused before any
work, with the line to fix ("docs.jsonl: line 3: text must be a string"), not with a traceback from
deep inside the scorer.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from crosswire.errors import InputError
from crosswire.ingest.formats import parse_json


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of ``path``; a line that is not UTF-8, not JSON or
    not a JSON object is an InputError naming the file and line."""
    p = Path(path)
    if p.is_dir():
        raise InputError(str(path), "is a folder: give the dataset's JSONL file")
    if not p.is_file():
        raise InputError(str(path), "no such file")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{path}: line {number}", "not UTF-8 text (save the file as UTF-8)") from None
        if not text.strip():
            continue
        try:
            item = parse_json(text)  # ingest's reading: nested too deeply or a huge number is an error too
        except ValueError as exc:
            raise InputError(f"{path}: line {number}", f"not JSON: {exc}") from None
        if not isinstance(item, dict):
            raise InputError(f"{path}: line {number}", f"expected a JSON object, found {_json_type(item)}")
        yield number, item


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


def check_type(where: str, item: dict[str, Any], key: str, kinds: tuple[type, ...], what: str,
               required: bool = False) -> None:
    """``item[key]`` is one of ``kinds`` (or absent/null unless ``required``), else an InputError
    "where: key must be what". bool is never a number here, though Python counts it as one."""
    value = item.get(key)
    if value is None:
        if required:
            raise InputError(where, f"{key} is missing")
        return
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        raise InputError(where, f"{key} must be {what}, not {_json_type(value)}")


def check_writable(path: str | Path | None) -> None:
    """Refuse an output file that cannot be written before the minutes of work, not after: its
    directory must exist and be writable, and it must not be a directory."""
    if not path:
        return
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise InputError(str(path), "is a directory; give a file name for the predictions")
    if not folder.is_dir():
        raise InputError(str(path), f"cannot write: no such directory {str(folder)!r}")
    if (p.exists() and not os.access(p, os.W_OK)) or not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(str(path), "cannot write: permission denied")
