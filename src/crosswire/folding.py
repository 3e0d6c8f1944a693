"""How spellings are compared: "Traoré", "TRAORE" and "Traore" fold to one key.

One module because four stages depend on folding the same way: the NLP stage writes folded
entity values, the store looks entities up by folded name, the comparison matches words and
names across reports, and story detection matches names across articles. A lookup only finds
what was written when both sides fold alike.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# letters that Unicode decomposition leaves whole but readers treat as plain ones
_PLAIN = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ß": "ss"})


@lru_cache(maxsize=131072)
def fold_word(word: str) -> str:
    """No diacritics, case folded: 'Traoré' -> 'traore'. Cached: words repeat across every
    pair of reports that gets aligned."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().translate(_PLAIN)


def fold_name(text: str) -> str:
    """The key of a name: folded words, punctuation as spaces, single spaces
    ('Ibrahim  Traoré,' -> 'ibrahim traore')."""
    folded = fold_word(text) if len(text) < 64 else fold_word.__wrapped__(text)
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())
