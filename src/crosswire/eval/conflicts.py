"""`crosswire eval conflicts`: the comparison engine on the conflict benchmark, scored.

Predictions come from the real pipeline (nlp.analyze + compare.find_conflicts) on the two
texts of each pair; gold fields are read only afterwards, by `score`. Scoring follows the
benchmark's published definition (../shared/data/README.md): copy tier — a prediction matches a
gold conflict when its a/b contain the gold values; cross tier — its a/b cover the gold sentences
(containment or word Jaccard >= 0.6) and contain the gold values, and when it names values they
must equal the gold ones format-free. Cross-tier predictions matching neither a conflict nor an
agreement are "unverified" (maybe real differences), reported per pair, not counted as errors.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Callable

from crosswire.errors import InputError
from crosswire.eval import check_type, check_writable, read_jsonl

MAX_CHARS = 400


def load_pairs(path: str) -> list[dict[str, Any]]:
    """The benchmark pairs, every field `predict` and `score` read checked here: a bad line is one error
    naming it, before the comparisons run, not a TypeError or KeyError from the scorer at the end."""
    pairs = []
    for number, item in read_jsonl(path):
        where = f"{path}: line {number}"
        check_type(where, item, "pair_id", (str, int), "a string or an integer", required=True)
        for key in ("lang", "date", "tier"):
            check_type(where, item, key, (str,), "a string")
        for side in ("a", "b"):
            check_type(where, item, side, (dict,), 'an object like {"text": "..."}', required=True)
            check_type(where, item[side], "text", (str,), "a string", required=True)
            for key in ("title", "source"):
                check_type(where, item[side], key, (str,), "a string")
        cross = item.get("tier") == "cross"
        check_type(where, item, "conflicts", (list,), "a list (empty for a clean pair)", required=True)
        for key, need in (("conflicts", ("kind", "a", "b")), ("agreements", ("a", "b"))):
            check_type(where, item, key, (list,), "a list")
            for k, gold in enumerate(item.get(key) or [], start=1):
                at = f"{where}: {key} #{k}"
                check_type(where, {key: gold}, key, (dict,), "a list of objects")
                for field in need + (("a_sentence", "b_sentence") if cross else ()):
                    if field in ("a", "b"):
                        check_type(at, gold, field, (str, int, float), "a string or a number", required=True)
                    else:
                        check_type(at, gold, field, (str,), "a string", required=True)
        pairs.append({"pair_id": item["pair_id"], "lang": item.get("lang"), "date": item.get("date"),
                      "a": item["a"], "b": item["b"], "_gold": item})
    if not pairs:
        raise InputError(path, "holds no pairs (one JSON object per line: pair_id, a, b, conflicts)")
    return pairs


def _article(side: dict[str, Any], label: str, pair: dict[str, Any]):
    from crosswire.ingest.timestamps import parse_published
    from crosswire.model import Article
    return Article.create(side["text"], title=side.get("title") or "", outlet=side.get("source") or label,
                          published=parse_published(pair.get("date")), language=pair.get("lang"))


def predict(pairs: list[dict[str, Any]], settings, progress: Callable[[int], None] | None = None) -> list[dict]:
    """One prediction line per pair; reads only each pair's texts, language and date."""
    from crosswire import nlp
    from crosswire.compare import find_conflicts
    out = []
    chunk = 32
    for start in range(0, len(pairs), chunk):
        batch = pairs[start:start + chunk]
        articles = [x for p in batch for x in (_article(p["a"], "a", p), _article(p["b"], "b", p))]
        analyzed = nlp.analyze(articles, settings)
        for n, pair in enumerate(batch):
            a, b = analyzed[2 * n], analyzed[2 * n + 1]
            conflicts = []
            for c in find_conflicts(a, b, settings):
                item = {"kind": c.kind, "a": a.sentences[c.a_sentence].text[:MAX_CHARS],
                        "b": b.sentences[c.b_sentence].text[:MAX_CHARS]}
                if c.kind != "negation":
                    item.update(a_value=c.a_value, b_value=c.b_value)
                conflicts.append(item)
            out.append({"pair_id": pair["pair_id"], "conflicts": conflicts})
        if progress:
            progress(len(batch))
    return out


# ---- scoring -----------------------------------------------------------------------------------

def _num(s: str) -> str:
    return re.sub(r"(?<=\d),(?=\d)", "", " ".join(str(s).lower().split()))


def value_key(value: str) -> str:
    """Format-free identity of a stated value: "2,000" = "2000", "seven" = "7", "Jan. 18" = "18 January"."""
    from crosswire.nlp.dates import WEEKDAYS, find_dates
    from crosswire.nlp.quantities import WORDS, format_value, normalise_number
    s = " ".join(str(value).split()).strip(" .,;:!?\"'“”‘’()")
    low = _num(s)
    if re.fullmatch(r"\d+(\.\d+)?", low):
        return "n:" + format_value(float(low))
    if low in WORDS["en"] or low == "one":
        return "n:" + str(WORDS["en"].get(low, 1))
    if low in WEEKDAYS:
        return "w:" + WEEKDAYS[low]
    dates = find_dates(s, None, "en")
    if len(dates) == 1 and dates[0].extra.get("month_day") and dates[0].end - dates[0].start >= len(s) - 1:
        return "d:" + dates[0].extra["month_day"]
    number = normalise_number(low)
    return "n:" + format_value(number) if number is not None else low


def _covers(pred: str, gold: str) -> bool:
    p, g = " ".join(pred.lower().split()), " ".join(gold.lower().split())
    if not p or not g:
        return False
    if p in g or g in p:
        return True
    tp, tg = set(re.findall(r"\w+", p)), set(re.findall(r"\w+", g))
    return len(tp & tg) / len(tp | tg) >= 0.6


def _matches_cross(gold: dict, pred: dict) -> bool:
    valued = bool(pred.get("a_value")) and bool(pred.get("b_value"))
    for x, y, forward in ((pred["a"], pred["b"], True), (pred["b"], pred["a"], False)):
        if not (_covers(x, gold["a_sentence"]) and _covers(y, gold["b_sentence"])
                and _num(gold["a"]) in _num(x) and _num(gold["b"]) in _num(y)):
            continue
        if valued:
            stated = (value_key(pred["a_value"]), value_key(pred["b_value"]))
            if (stated if forward else stated[::-1]) != (value_key(gold["a"]), value_key(gold["b"])):
                continue
        return True
    return False


def _matches_copy(gold: dict, pred: dict) -> bool:
    ga, gb, pa, pb = (str(x).lower() for x in (gold["a"], gold["b"], pred["a"], pred["b"]))
    return (ga in pa and gb in pb) or (ga in pb and gb in pa)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def score(pairs: list[dict[str, Any]], predictions: list[dict]) -> dict[str, Any]:
    by_id = {p["pair_id"]: p["conflicts"] for p in predictions}
    tiers: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        gold = pair["_gold"]
        tier = gold.get("tier", "copy")
        t = tiers.setdefault(tier, {"pairs": 0, "tp": 0, "fp": 0, "fn": 0, "kinds": {}, "clean": 0,
                                    "clean_flagged": 0, "agreements": 0, "agreements_flagged": 0,
                                    "unverified": 0})
        t["pairs"] += 1
        found = list(by_id.get(pair["pair_id"], []))
        match = _matches_cross if tier == "cross" else _matches_copy
        if tier != "cross" and not gold["conflicts"]:
            t["clean"] += 1
            t["clean_flagged"] += bool(found)
        for conflict in gold["conflicts"]:
            kind = t["kinds"].setdefault(conflict["kind"], [0, 0])
            kind[1] += 1
            hit = next((p for p in found if match(conflict, p)), None)
            if hit is not None:
                found.remove(hit)
                t["tp"] += 1
                kind[0] += 1
            else:
                t["fn"] += 1
        if tier == "cross":
            for agreement in gold.get("agreements", []):
                t["agreements"] += 1
                hits = [p for p in found if match(agreement, p)]
                if hits:
                    t["agreements_flagged"] += 1
                    t["fp"] += len(hits)
                    found = [p for p in found if all(p is not h for h in hits)]
            t["unverified"] += len(found)
        else:
            t["fp"] += len(found)
    report: dict[str, Any] = {"pairs": len(pairs), "tiers": {}}
    for name, t in tiers.items():
        block = {"pairs": t["pairs"], **_prf(t["tp"], t["fp"], t["fn"]),
                 "recall_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(t["kinds"].items())}}
        if name == "cross":
            block.update(agreements_flagged=f"{t['agreements_flagged']}/{t['agreements']}",
                         agreements_flagged_share=round(t["agreements_flagged"] / max(1, t["agreements"]), 4),
                         false_alarms=t["fp"], unverified=t["unverified"],
                         unverified_per_pair=round(t["unverified"] / max(1, t["pairs"]), 3))
        else:
            block.update(clean_pairs_flagged=f"{t['clean_flagged']}/{t['clean']}",
                         clean_flagged_share=round(t["clean_flagged"] / max(1, t["clean"]), 4))
        report["tiers"][name] = block
    tp = sum(t["tp"] for t in tiers.values())
    report.update(_prf(tp, sum(t["fp"] for t in tiers.values()), sum(t["fn"] for t in tiers.values())))
    return report


def write_predictions(predictions: list[dict], path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for line in predictions:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def evaluate(path: str, settings, predictions_out: str | None = None,
             progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    pairs = load_pairs(path)
    check_writable(predictions_out)
    started = datetime.now()
    predictions = predict(pairs, settings, progress)
    if predictions_out:
        write_predictions(predictions, predictions_out)
    report = score(pairs, predictions)
    report["seconds"] = round((datetime.now() - started).total_seconds(), 1)
    return report
