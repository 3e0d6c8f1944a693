"""A fact told in one sentence by one report and in two by the other.

German and French wires often put the attribution in a sentence of its own: "Frankreich zieht
seine 400 Soldaten ab. Das teilte das Außenministerium am Mittwoch mit." against "France will
withdraw its 400 soldiers, the ministry announced on Monday." The alignment pairs the two
fact sentences; the day sits in the next one. So when an aligned pair has a weekday on one side
only, the neighbour of the other side may answer it — if that neighbour is aligned with nothing
else, comes right after, reads as an attribution ("Das teilte ... mit", "the ministry said",
"a annoncé"), names exactly one weekday, and is still close in meaning to the sentence it
completes. (Without the attribution test, "jurors heard testimony Tuesday" next to a fact
sentence was taken for the day of "jurors walked into the courthouse Monday" on dev.)
"""
from __future__ import annotations

import re

from crosswire.compare.align import AlignedPair
from crosswire.compare.conflicts import ValueConflict, weekdays
from crosswire.model import AnalyzedArticle


ATTRIBUTION = re.compile(
    r"^\W*(das|dies|this|that|it|il|elle|cela|ce|ceci|so)\b|\b(said|says|announced|told|stated|confirmed|"
    r"according|teilte|sagte|erklärte|bestätigte|mitteilte|berichtete|annonc[ée]|déclaré|indiqué|selon)\b", re.I)


def split_weekday_conflicts(a: AnalyzedArticle, b: AnalyzedArticle, strict: list[AlignedPair],
                            cfg: dict) -> list[ValueConflict]:
    min_cos = float(cfg.get("neighbour_min_cosine", 0.45))
    taken_a, taken_b = {p.a for p in strict}, {p.b for p in strict}
    out = []
    for pair in strict:
        day_a, day_b = weekdays(a, pair.a), weekdays(b, pair.b)
        if len(day_b) == 1 and not day_a:
            for n in _free_neighbours(a, pair.a, taken_a):
                found = weekdays(a, n)
                if len(found) == 1 and found[0][1] != day_b[0][1] and _cosine(a, n, b, pair.b) >= min_cos:
                    out.append(ValueConflict("weekday", found[0][0], day_b[0][0], n, pair.b))
                    break
        elif len(day_a) == 1 and not day_b:
            for n in _free_neighbours(b, pair.b, taken_b):
                found = weekdays(b, n)
                if len(found) == 1 and found[0][1] != day_a[0][1] and _cosine(a, pair.a, b, n) >= min_cos:
                    out.append(ValueConflict("weekday", day_a[0][0], found[0][0], pair.a, n))
                    break
    return out


def _free_neighbours(article: AnalyzedArticle, sentence: int, taken: set[int]) -> list[int]:
    n = sentence + 1
    if n < len(article.sentences) and n not in taken and ATTRIBUTION.search(article.sentences[n].text):
        return [n]
    return []


def _cosine(a: AnalyzedArticle, i: int, b: AnalyzedArticle, j: int) -> float:
    ea, eb = a.sentence_embeddings, b.sentence_embeddings
    if ea is None or eb is None or i >= len(ea) or j >= len(eb):
        return 0.0
    return float(ea[i] @ eb[j])
