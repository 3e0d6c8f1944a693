"""What an outlet changed when it updated a report at the same URL.

Feeds re-send an article after its outlet edits it: the death toll rises, a name is corrected, a paragraph on
the arrest is added. To an editor that is news in itself ("Reuters raised the toll from 12 to 15 at 14:05"),
and it is not a disagreement between sources: the updated report speaks for its outlet now. So the earlier
text is compared with the new one the way two reports are (``find_conflicts``: values stated otherwise), and
the sentences that came or went are listed beside them.
"""
from __future__ import annotations

import re

from crosswire.compare.conflicts import ValueConflict
from crosswire.model import AnalyzedArticle, Change

WORD = re.compile(r"\w+", re.UNICODE)
REWORDED = 0.5  # word Jaccard above which a changed sentence is the same sentence reworded, not a new one


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.casefold()))


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def changes_between(before: AnalyzedArticle, after: AnalyzedArticle, settings=None) -> list[Change]:
    """Values the new text states otherwise, sentences reworded, and sentences added or taken out, in the new
    text's order (taken-out ones last); "reordered" when the same sentences only moved. Empty when only spacing or
    letter case changed."""
    from crosswire.compare import find_conflicts
    old = {s.index: s.text for s in before.sentences}
    new = {s.index: s.text for s in after.sentences}
    values: list[ValueConflict] = find_conflicts(before, after, settings)
    out = [Change(kind=c.kind, before=c.a_value, after=c.b_value, before_sentence=old.get(c.a_sentence, ""),
                  after_sentence=new.get(c.b_sentence, "")) for c in values]
    explained_old = {c.a_sentence for c in values}
    explained_new = {c.b_sentence for c in values}
    kept = {_folded(t) for t in old.values()} & {_folded(t) for t in new.values()}
    gone = {i: _words(t) for i, t in old.items() if i not in explained_old and _folded(t) not in kept}
    for index, text in sorted(new.items()):
        if index in explained_new or _folded(text) in kept:
            continue
        words = _words(text)
        match = max(gone, key=lambda i: _jaccard(gone[i], words), default=None)
        if match is not None and _jaccard(gone[match], words) >= REWORDED:
            out.append(Change(kind="reworded", before_sentence=old[match], after_sentence=text))
            del gone[match]
        else:
            out.append(Change(kind="added", after_sentence=text))
    out += [Change(kind="removed", before_sentence=old[i]) for i in sorted(gone)]
    if not out and [_folded(t) for _, t in sorted(old.items())] != [_folded(t) for _, t in sorted(new.items())]:
        out.append(Change(kind="reordered"))  # the same sentences in another order (the content hash saw a change)
    return out
