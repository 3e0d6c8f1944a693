"""Which sentence of one report says the same thing as which sentence of another.

Two signals, because each fails alone: sentence embeddings (multilingual, so a German and an
English sentence can align) miss that two sentences about different numbers in the same topic
are different facts; shared content words catch that but are blind across languages. A pair
aligns when both agree enough, or the embedding alone is very sure. Alignment is one-to-one,
best pairs first, so one sentence cannot be blamed for two disagreements.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from crosswire.folding import fold_word
from crosswire.model import AnalyzedArticle

STOPWORDS = set("""
a an the and or but if of to in on at by for with from as is are was were be been being has have had
that this these those it its he she they them his her their we our you your i not no said says say
will would could should may might can also after before about over into than then there here who whom
which what when where while more most some such only other any each all both just very up out new
der die das und oder ein eine einer eines dem den des ist sind war waren hat haben mit von zu im in auf
für nicht auch als wie bei nach aus sich es er sie wir ihr am um noch nur über
le la les un une des du de et ou est sont était a ont avec pour dans sur par pas plus il elle ils qui que
au aux ce cette ses son sa leur
""".split())
WORD = re.compile(r"[^\W\d_]{3,}", re.U)
ALL_WORDS = re.compile(r"[^\W\d_]+", re.U)




def content_words(text: str) -> frozenset[str]:
    """Folded words of 3+ letters minus function words: what two sentences must share to be one fact."""
    return frozenset(w for w in (fold_word(x) for x in WORD.findall(text)) if w not in STOPWORDS)


def all_words(text: str) -> frozenset[str]:
    """Every word, function words included: how close two sentences are to being copies."""
    return frozenset(fold_word(w) for w in ALL_WORDS.findall(text))


# Per sentence text: a story of n reports aligns every pair, so each sentence would otherwise be
# folded n-1 times (profiled: fold_word() was ~10 % of ingest time on the examples). Sentences only:
# whole articles would pin their texts in memory.
_sentence_words = lru_cache(maxsize=32768)(content_words)
_sentence_tokens = lru_cache(maxsize=32768)(all_words)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@dataclass
class AlignedPair:
    a: int  # sentence index in the first article
    b: int
    cosine: float
    shared: int  # content words in common
    jaccard: float  # over all words: near 1 for a copy edited in a few values


def align(first: AnalyzedArticle, second: AnalyzedArticle, settings: dict | None = None,
          loose: bool = False) -> list[AlignedPair]:
    """One-to-one alignment; with loose=True, every pair that shares enough words to be one statement.

    Facts use the strict alignment. Conflicts also look at loose pairs: two reports often tell one
    event in two different sentences of their own (a lead and a later paragraph), and the strict
    alignment can only keep one of them.
    """
    cfg = settings or {}
    min_cos = float(cfg.get("align_min_cosine", 0.45))
    sure_cos = float(cfg.get("align_sure_cosine", 0.80))
    min_shared = int(cfg.get("align_min_shared_words", 2))
    # across languages two sentences share only names and numbers: the encoder has to vouch alone
    crosslingual = (first.article.language or "") != (second.article.language or "")
    cross_cos = float(cfg.get("align_crosslingual_cosine", 0.6))
    sa, sb = first.sentences, second.sentences
    if not sa or not sb:
        return []
    ea, eb = first.sentence_embeddings, second.sentence_embeddings
    if ea is not None and eb is not None and len(ea) == len(sa) and len(eb) == len(sb):
        cos = np.asarray(ea, dtype=np.float32) @ np.asarray(eb, dtype=np.float32).T
    else:
        cos = np.zeros((len(sa), len(sb)), dtype=np.float32)
    wa = [_sentence_words(s.text) for s in sa]
    wb = [_sentence_words(s.text) for s in sb]
    ta = [_sentence_tokens(s.text) for s in sa]
    tb = [_sentence_tokens(s.text) for s in sb]
    candidates = []
    for i, words_a in enumerate(wa):
        for j, words_b in enumerate(wb):
            shared = len(words_a & words_b)
            c = float(cos[i, j])
            copy_like = _jaccard(ta[i], tb[j]) >= 0.6 and len(ta[i] | tb[j]) >= 2
            if (shared >= min_shared and c >= min_cos) or c >= sure_cos or copy_like or (shared >= 4 and ea is None) or (
                    crosslingual and c >= cross_cos):
                candidates.append(AlignedPair(i, j, c, shared, _jaccard(ta[i], tb[j])))
            elif loose and shared >= int(cfg.get("loose_min_shared_words", 3)) and c >= float(
                    cfg.get("loose_min_cosine", 0.3)):
                candidates.append(AlignedPair(i, j, c, shared, _jaccard(ta[i], tb[j])))
    if loose:
        return sorted(candidates, key=score, reverse=True)
    return one_to_one(candidates)


def score(pair: AlignedPair) -> float:
    return pair.cosine + 0.08 * min(pair.shared, 6) + pair.jaccard


def one_to_one(candidates: list[AlignedPair]) -> list[AlignedPair]:
    candidates = sorted(candidates, key=score, reverse=True)
    used_a, used_b, out = set(), set(), []
    for pair in candidates:
        if pair.a in used_a or pair.b in used_b:
            continue
        used_a.add(pair.a)
        used_b.add(pair.b)
        out.append(pair)
    return sorted(out, key=lambda p: p.a)
