"""Entity keys and labels, plus a capitalised-name finder for languages without spaCy.

``fold`` makes the key compare uses to match one name across sources and scripts of
writing: "Ibrahim Traoré", "IBRAHIM TRAORE" and "Ibrahim Traore," all give
"ibrahim traore". ``find_names`` is the fallback for German, Spanish, ...: runs of
capitalised words, minus the function words and titles that start sentences or
precede names (German capitalises every noun, so single words need more care).
"""
from __future__ import annotations

import re

from crosswire.folding import fold_name

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "MISC")
# spaCy label schemes -> ours. French/German/Spanish WikiNER models say PER/LOC/ORG/MISC;
# OntoNotes (English) adds FAC, PRODUCT, WORK_OF_ART, LAW, LANGUAGE. Numeric ones
# (DATE, CARDINAL, MONEY, ...) are left to nlp.dates / nlp.quantities and dropped here.
LABEL_MAP = {
    "PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP",
    "EVENT": "EVENT", "MISC": "MISC", "FAC": "LOC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
    "LAW": "MISC", "LANGUAGE": "NORP",
}


def map_label(label: str) -> str | None:
    """Our label for a spaCy label, or None for the numeric ones we do not keep as entities."""
    return LABEL_MAP.get(label.upper())




# Capitalised words that start sentences or precede names but are not names themselves.
STOPWORDS = {
    "de": """der die das den dem des ein eine einer eines einem einen am im in an auf aus bei mit nach von
        vom zum zur für über unter vor nach seit und oder aber doch auch als wie wenn weil dass ob er sie es
        wir ihr sie man dies diese dieser dieses jener nicht nur noch schon so da dann hier dort nun laut
        gegen durch ohne um bis wer was wo wann warum wie trotz während wegen mehr viele alle""",
    "es": """el la los las un una unos unas de del al en con por para sin sobre tras según y o pero que
        como cuando donde este esta estos estas ese esa eso él ella ellos ellas nosotros no sí ya también
        hoy ayer mañana así mientras aunque desde hasta entre""",
    "it": """il lo la i gli le un uno una di del della dei degli delle da dal dalla in nel nella con su sul
        per tra fra e o ma che come quando dove questo questa quello quella lui lei loro noi non già anche
        oggi ieri così mentre secondo""",
    "pt": """o a os as um uma uns umas de do da dos das em no na nos nas com por pelo pela para sem sobre
        e ou mas que como quando onde este esta isso ele ela eles elas nós não já também hoje ontem assim
        segundo enquanto""",
    "nl": """de het een van in op aan met voor door naar bij uit over onder tegen en of maar dat die dit
        deze als wanneer waar hij zij ze wij we niet ook al nu toen volgens tijdens""",
    "en": """the a an of in on at by for with from to and or but that this these those he she it they we
        i you his her their its our not also as when where while after before since according""",
    "fr": """le la les un une des du de au aux en dans sur sous par pour avec sans et ou mais que qui quand
        où ce cette ces il elle ils elles nous on ne pas aussi selon pendant après avant depuis""",
}
_STOP = {lang: frozenset(words.split()) for lang, words in STOPWORDS.items()}
_ALL_STOP = frozenset().union(*_STOP.values())
TITLES = frozenset(fold_name(w) for w in """
präsident präsidentin minister ministerin kanzler kanzlerin herr frau hauptmann general oberst
premierminister bundeskanzler bürgermeister sprecher sprecherin chef richter papst könig königin
presidente ministro ministra señor señora don doña capitán general alcalde portavoz rey reina
presidente ministro signor signora capitano sindaco portavoce papa re regina
presidente ministro senhor senhora capitão prefeito porta-voz rei rainha
president minister premier burgemeester woordvoerder kapitein heer mevrouw koning koningin
mr mrs ms dr prof president captain capt gen general sen gov minister-president
президент министр премьер-министр глава
""".split())
WEEKDAYS_MONTHS = frozenset(fold_name(w) for w in """
montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni juli
august september oktober november dezember lunes martes miércoles jueves viernes sábado domingo enero
febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre lunedì martedì
mercoledì giovedì venerdì sabato domenica gennaio febbraio aprile maggio giugno luglio settembre
ottobre dicembre segunda terça quarta quinta sexta sábado janeiro fevereiro março maio junho julho
setembro outubro novembro dezembro maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
januari februari maart mei augustus
jan feb mar apr jun jul aug sep sept oct okt nov dec dez
""".split())
ORG_WORDS = frozenset(fold_name(w) for w in """
bank union partei party regierung ministerium universität university universidad università
gericht court armee army polizei police rat council kommission commission agentur agency ag gmbh inc
corp ltd sa spa fc group gruppe verband institut instituto istituto news zeitung times post press
ministerio ministero ministère ministério tribunal ejército esercito exército policía polizia polícia
gobierno governo partido partito comité comitato konzern airlines airways
""".split())
# German common-noun endings: a lone capitalised word ending so is a noun, not a name.
_DE_NOUN_END = ("ung", "heit", "keit", "schaft", "tion", "tät", "ismus", "chen", "nis", "tum", "ment",
                "ei", "er", "en", "in", "ik", "ur", "e")
_DE_DETERMINERS = frozenset("der die das den dem des ein eine einer eines einem einen kein keine dieser diese "
                            "dieses jede jeder jedes sein seine ihr ihre unser unsere".split())
CONNECTORS = frozenset("von van de der den da di del della dos das du le la bin ibn al el y".split())

_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")


def _label(words: list[str]) -> str:
    keys = [fold_name(w) for w in words]
    if any(k in ORG_WORDS for k in keys):
        return "ORG"
    if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 6:
        return "ORG"  # acronym: "UN", "EU", "NATO"
    capitalised = [w for w in words if fold_name(w) not in CONNECTORS]
    if 2 <= len(capitalised) <= 4 and all(w[:1].isupper() and not w.isupper() for w in capitalised):
        return "PERSON"
    return "MISC"


def find_names(sentence: str, lang: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of capitalised-name runs in one sentence."""
    stop = _STOP.get(lang, _ALL_STOP)
    tokens = [(m.start(), m.end(), m.group().rstrip(".")) for m in _WORD.finditer(sentence)]
    out: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        while run and fold_name(run[-1][2]) in CONNECTORS:
            run.pop()
        if not run:
            return
        words = [w for _, _, w in run]
        single = len(words) == 1
        if single and lang == "de" and not words[0].isupper() and (
                words[0].casefold().endswith(_DE_NOUN_END) or run_after[0] in _DE_DETERMINERS):
            run.clear()
            return
        start, end = run[0][0], run[-1][0] + len(run[-1][2])
        out.append((start, end, _label(words)))
        run.clear()

    prev_end = 0
    run_after = [""]  # the word before the current run: "das Dekret" is a noun, not a name
    for i, (start, end, word) in enumerate(tokens):
        gap = sentence[prev_end:start]
        if run and gap.strip(" "):  # punctuation between words breaks a run
            close()
        prev_end = start + len(word)
        key = fold_name(word)
        is_cap = word[:1].isupper()
        if word.endswith(".") or sentence[start + len(word):start + len(word) + 1] == ".":
            if len(key) <= 4 and key not in CONNECTORS and i + 1 < len(tokens):  # "Nr.", "Dr.": not a name part
                close()
                continue
        if is_cap and (key in stop or (i == 0 and key in _ALL_STOP) or key in TITLES or key in WEEKDAYS_MONTHS):
            close()
            continue
        if is_cap and len(word) > 1:
            if i == 0 and lang == "de" and len(tokens) > 1 and not tokens[1][2][:1].isupper():
                continue  # a sentence-initial German noun followed by a lowercase word
            if not run:
                run_after[0] = fold_name(tokens[i - 1][2]) if i else ""
            run.append((start, end, word))
        elif run and key in CONNECTORS:
            run.append((start, end, word))
        else:
            close()
    close()
    return out
