"""Front matter for text and Markdown reports: `---` / key: value lines / `---`.

Why not YAML: a report's metadata is six flat keys, and a YAML parser would accept (and
silently misread) far more than that. Anything else is a clear error naming the line.
"""
from __future__ import annotations

class FrontMatterError(ValueError):
    pass


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(metadata, body). Text without a leading `---` line has no front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return meta, "\n".join(lines[number:]).strip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or not key.replace("_", "").isalnum():
            raise FrontMatterError(f"malformed front matter at line {number}: expected 'key: value'")
        # every key is kept: the record reader takes the fields it knows (ingest/records.py) and names a key one
        # letter off one of them ("outet"); other tools' own keys are allowed and ignored there
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        meta[key] = value
    raise FrontMatterError("front matter opened with '---' is never closed")
