"""Rule-based sentence splitting for languages without a spaCy pipeline.

A period ends a sentence only when the next word starts like a sentence and the
word before it is not an abbreviation ("Jan.", "Nr.", "z.B."), an initial ("J. Smith"),
or a day number before a month ("18. Januar"). Line breaks always end a sentence:
news text keeps one paragraph per line, and titles sit on their own line.
"""
from __future__ import annotations

import re

# Lower-cased, without the final period. Shared across languages: a German text
# quoting "Gen." or a Spanish one writing "Sr." should not split either way.
ABBREVIATIONS = frozenset("""
jan feb mar apr jun jul aug sep sept oct okt nov dec dez
mr mrs ms dr prof st sr sra srta jr gen col lt sgt capt gov sen rep pres rev hon mt ft
inc ltd co corp no nos nr art abs bzw ca etc usw vs vgl evtl ggf inkl jh jhs tel str
hr fr frl dipl ing mag sig sigg dott avv ing on av avda núm n pág ed eds vol pp p
ap dhr mevr mw drs blz ir resp sen sta sto
""".split())
MONTHS = frozenset("""
january february march april may june july august september october november december
januar februar märz mai juni juli oktober dezember jänner
janvier février mars avril juin juillet août septembre octobre novembre décembre
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
janeiro fevereiro março maio junho julho setembro outubro novembro dezembro
januari februari maart mei juni juli augustus oktober
""".split())

_CJK_END = re.compile(r"[。！？]+[」』”）]*")
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_NEXT = re.compile(r"\s+([\"'“‘«„(\[¿¡]*)(\S)")
_WORD_BEFORE = re.compile(r"(\S+)$")
_WORD_AFTER = re.compile(r"\s*([^\W\d_]+)")
# How far back to look for the word before a period. Searching ``(\S+)$`` from the start of the text
# tried every position before each period: a 1 MB text of short sentences took minutes. An abbreviation,
# initial or day number is a few characters; a longer word is never one.
WORD_BEFORE_CHARS = 40

# The longest "sentence" kept whole; a longer run (a text without punctuation, a 15 MB line of one
# character) is cut into pieces of at most this many characters. Why: every later step works per
# sentence, and the encoder pads a batch to its longest text, so one 15 MB sentence asked numpy for
# 23.8 GiB. 2,000 characters keeps all but 3 of the ~45,000 sentences in the SemEval and conflict
# benchmark texts whole (99.9% are under 800), and a batch of 64 such pieces encodes in ~3 s.
MAX_SENTENCE_CHARS = 2000


def _is_boundary(text: str, end: int, mark: str, next_char: str) -> bool:
    if not (next_char.isupper() or next_char.isdigit() or not next_char.isalpha()):
        return False  # "etc. and" / "Nr. sieben": a lowercase word continues the sentence
    if not mark.startswith("."):
        return True
    before = _WORD_BEFORE.search(text, max(0, end - WORD_BEFORE_CHARS), end)
    word = before.group(1) if before else ""
    word = word.rstrip(".\"'”’»)]").lstrip("\"'“‘«„([")
    lower = word.casefold()
    if lower in ABBREVIATIONS or "." in lower:  # "Jan", "z.B", "U.S"
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():  # initial: "J. Smith"
        return False
    if word.isdigit() and len(word) <= 2:  # "18. Januar", "am 3. Mai"
        following = _WORD_AFTER.match(text, end)
        if following and following.group(1).casefold() in MONTHS | ABBREVIATIONS:
            return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences in ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for cjk in _CJK_END.finditer(line.group()):  # 。！？ end a sentence with no space after
            spans.append((start, line.start() + cjk.end()))
            start = line.start() + cjk.end()
        for match in _END.finditer(line.group()):
            end = line.start() + match.end()
            nxt = _NEXT.match(text, end, line.end())
            if not nxt:
                continue
            first = nxt.group(2)
            if _is_boundary(text, end, match.group(), first):
                spans.append((start, end))
                start = nxt.start(1)
        spans.append((start, line.end()))
    out = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            out.append((start + lead, start + lead + len(stripped)))
    return out


def cut_long(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``text[start:end]`` as spans of at most ``limit`` characters, each cut after the last whitespace
    in its window (so words stay whole) or, in a window without any, at ``limit``; whitespace trimmed.
    Spans are offsets into ``text``, like every sentence's, so citations still point at the source."""
    spans: list[tuple[int, int]] = []
    while end - start > limit:
        cut = max(text.rfind(" ", start + 1, start + limit), text.rfind("\t", start + 1, start + limit))
        cut = cut if cut > start else start + limit
        piece = text[start:cut].rstrip()
        if piece:
            spans.append((start, start + len(piece)))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        spans.append((start, end))
    return spans
