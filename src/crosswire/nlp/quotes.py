"""Direct quotes and who said them.

Quotes are found on the whole article text (a quote may span sentences) in the
four quoting styles news uses: “…”, "…", «…», „…“. A quoted span needs at least
three words: shorter ones are titles or scare quotes ("American Pie"), not speech.
The speaker comes from a speech verb next to the quote ("X said", "said X",
"according to X", "X a déclaré", "sagte X"): the entity closest to the verb in the
same sentence, else a capitalised name beside the verb; a pronoun ("he said")
falls back to the last PERSON named in the sentence or the one before. A quote that
opens its sentence and names nobody takes the speaker of the sentence before it.
"""
from __future__ import annotations

import re

from crosswire.model import Mention, Sentence

_QUOTES = re.compile(r"“([^”“\n]+?)”|\"([^\"\n]+?)\"|«\s*([^»\n]+?)\s*»|„([^“”\n]+?)[“”]")
SPEECH_VERBS = (
    r"said|says|say|told|tells|added|adds|stated|declared|announced|explained|wrote|insisted|warned|"
    r"according to|"
    r"a déclaré|a dit|a affirmé|a expliqué|a ajouté|a annoncé|a indiqué|a précisé|déclare|dit|affirme|"
    r"explique|ajoute|selon|d'après|"
    r"sagte|sagt|erklärte|erklärt|betonte|teilte mit|laut|"
    r"dijo|afirmó|declaró|explicó|añadió|según|"
    r"ha detto|ha dichiarato|ha affermato|ha spiegato|secondo|"
    r"disse|afirmou|declarou|explicou|segundo|"
    r"zei|zegt|verklaarde|volgens"
)
_VERB = re.compile(rf"(?<![\w])(?:{SPEECH_VERBS})(?![\w])", re.IGNORECASE)
_NAME = r"((?:[A-Z][\w'’\-]+)(?:\s+(?:[A-Z][\w'’\-]+|von|van|de|da|di|del|bin|al))*)"
_PRONOUN = re.compile(r"\b(he|she|il|elle|er|sie|él|ella|lui|lei|ele|ela|hij|zij)\b", re.IGNORECASE)


def _sentence_of(sentences: list[Sentence], offset: int) -> int:
    for s in sentences:
        if s.start <= offset < s.end:
            return s.index
    before = [s.index for s in sentences if s.start <= offset]
    return before[-1] if before else 0


def _speaker(text: str, window: tuple[int, int], entities: list[Mention], sentences: list[Sentence],
             sent_index: int) -> str:
    lo, hi = window
    verbs = list(_VERB.finditer(text, lo, hi))
    inside = [m for m in entities if lo <= m.start and m.end <= hi]
    # a person beats an organisation: "according to Interior Minister Maria Lopez" -> Maria Lopez
    candidates = [m for m in inside if m.label == "PERSON"] or [m for m in inside if m.label == "ORG"]
    if not verbs:
        return ""
    verb = verbs[0]
    if candidates:
        best = min(candidates, key=lambda m: min(abs(m.start - verb.end()), abs(verb.start() - m.end)))
        return best.text
    after = re.match(rf"\s*,?\s*{_NAME}", text[verb.end():hi])
    before = re.search(rf"{_NAME}\s*,?\s*$", text[lo:verb.start()])
    if after and not _PRONOUN.fullmatch(after.group(1)):
        return after.group(1)
    if before and not _PRONOUN.fullmatch(before.group(1)):
        return before.group(1)
    # "he said": the last person named just before
    earlier = [m for m in entities if m.label == "PERSON" and m.sentence in (sent_index, sent_index - 1)
               and m.start < verb.start()]
    return earlier[-1].text if earlier else ""


def find_quotes(text: str, sentences: list[Sentence], entities: list[Mention]) -> list[Mention]:
    """Quote mentions (value = the quoted words, label = the speaker or "")."""
    out: list[Mention] = []
    for match in _QUOTES.finditer(text):
        group = next(i for i in range(1, 5) if match.group(i) is not None)
        words = match.group(group).strip().rstrip(",;: ")
        if len(words.split()) < 3:
            continue
        sent_index = _sentence_of(sentences, match.start())
        end_sent = sentences[_sentence_of(sentences, max(match.end() - 1, match.start()))] if sentences else None
        start_sent = sentences[sent_index] if sentences else None
        after = (match.end(), end_sent.end if end_sent else len(text))
        before = (start_sent.start if start_sent else 0, match.start())
        speaker = _speaker(text, after, entities, sentences, sent_index) or \
            _speaker(text, before, entities, sentences, sent_index)
        if not speaker and sent_index > 0 and text[before[0]:before[1]].strip() == "":
            # a quote standing alone is usually attributed just before: 'Hill said: / "..."'
            previous = sentences[sent_index - 1]
            speaker = _speaker(text, (previous.start, previous.end), entities, sentences, sent_index - 1)
        out.append(Mention(kind="quote", sentence=sent_index, start=match.start(), end=match.end(),
                           text=match.group(), label=speaker, value=words))
    return out
