"""The NLP stage: Article -> AnalyzedArticle.

For each article: its language (declared, else lingua), sentences and named entities
(spaCy where ``nlp.spacy_models`` names a pipeline, rules elsewhere), dates and
quantities (``nlp.dates`` / ``nlp.quantities``, per sentence), direct quotes with
their speakers, and embeddings (title + lead, and every sentence). Work is done in
chunks of ``nlp.batch_size`` articles so spaCy and the encoder see big batches
(one encode call per chunk is several times faster than one per article) while a
progress bar still moves. The encoder runs in a second thread beside spaCy, one chunk
behind: both spend their time in numeric kernels that release the GIL, so on two cores
the pair finished in 0.63 of the sequential time (spaCy 6.0 s + encoder 3.4 s -> 5.9 s
on 256 example articles; `benchmarks/pipeline_throughput.py`).
"""
from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

import numpy as np

from crosswire.model import AnalyzedArticle, Article, Mention, Sentence
from crosswire.nlp.embeddings import Encoder, get_encoder, head_text
from crosswire.folding import fold_name
from crosswire.nlp.entities import find_names, map_label
from crosswire.nlp.language import UNDETERMINED, detect_language, normalise_language
from crosswire.nlp.quotes import find_quotes
from crosswire.nlp.sentences import cut_long, split_sentences

if TYPE_CHECKING:
    from crosswire.config import Settings

__all__ = ["analyze", "get_encoder", "Encoder"]
log = logging.getLogger(__name__)
_fallback_logged: set[str] = set()
_LEADING_ARTICLES = ("the ",)


@contextmanager
def _timed(timings: dict[str, float] | None, key: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[key] = timings.get(key, 0.0) + time.perf_counter() - start


def _settings(settings: "Settings | None") -> "Settings":
    if settings is None:
        from crosswire.config import load_settings
        settings = load_settings()
    return settings


def _sentences_from(text: str, spans: list[tuple[int, int]]) -> list[Sentence]:
    """Sentences from raw spans: line breaks always split (titles, paragraphs), whitespace trimmed, and a
    run longer than ``MAX_SENTENCE_CHARS`` (no punctuation for pages) is cut into pieces, so no later step
    (the encoder above all) is handed one unbounded sentence."""
    out: list[Sentence] = []
    spans = _reattach_openers(text, spans)
    for start, end in spans:
        pos = start
        for piece in text[start:end].split("\n"):
            stripped = piece.strip()
            if stripped:
                s = pos + piece.index(stripped)
                for a, b in cut_long(text, s, s + len(stripped)):
                    out.append(Sentence(index=len(out), text=text[a:b], start=a, end=b))
            pos += len(piece) + 1
    return out


_OPENERS = "«“„‘"


def _reattach_openers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Move an opening quote mark left dangling at a sentence end to the next sentence.

    The French model splits "lundi. « Nous ..." after the «; the quote belongs to what follows.
    """
    fixed = list(spans)
    for i in range(len(fixed) - 1):
        start, end = fixed[i]
        body = text[start:end].rstrip()
        if body and body[-1] in _OPENERS and len(body) > 1:
            cut = start + len(body) - 1
            fixed[i] = (start, cut)
            fixed[i + 1] = (cut, fixed[i + 1][1])
    return fixed


def _sentence_at(sentences: list[Sentence], offset: int) -> int:
    for s in sentences:
        if offset < s.end:
            return s.index
    return sentences[-1].index if sentences else 0


def _entity(text: str, start: int, end: int, label: str, sentences: list[Sentence]) -> Mention | None:
    surface = text[start:end]
    stripped = surface.strip(" \t\n,.;:!?\"'“”«»()[]")
    if not stripped:
        return None
    start += surface.index(stripped)
    key = fold_name(stripped)
    for article in _LEADING_ARTICLES:
        if key.startswith(article):
            key = key[len(article):]
    if not key:
        return None
    return Mention(kind="entity", sentence=_sentence_at(sentences, start), start=start,
                   end=start + len(stripped), text=stripped, label=label, value=key)


# The most text spaCy parses in one piece. Why: its memory grows with the document (~1.7 GB per MB of
# English text), so a 15 MB file within `[ingest] max_file_bytes` would need ~25 GB. Longer texts are
# parsed in pieces cut at a line break (else a space), and the pieces' sentences and names are put back
# at their offsets. 100,000 characters is ten times a long feature article, so news is never cut.
SPACY_PIECE_CHARS = 100_000


def _pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """``text`` as consecutive spans of at most ``limit`` characters, each ending at a line break or, in a
    window without one, a space (else at ``limit``)."""
    spans, start = [], 0
    while len(text) - start > limit:
        cut = text.rfind("\n", start + 1, start + limit)
        if cut <= start:
            cut = text.rfind(" ", start + 1, start + limit)
        cut = cut if cut > start else start + limit
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def analysed_end(text: str, limit: int) -> int:
    """Where the analysis of ``text`` stops: its end, or for a text longer than ``limit`` (``[nlp]
    max_analysed_chars``) the last line break, else space, in the last tenth before the limit (a break
    anywhere would let a headline on its own line above a one-line body end the analysis after the
    headline). Why a limit below the file size limit: analysis takes ~50 s per MB of English (spaCy, a
    vector per sentence, dates per sentence), so one 15 MB text would hold its ingest call for ~12 min.
    The text is stored whole all the same."""
    if len(text) <= limit:
        return len(text)
    floor = limit - limit // 10
    cut = text.rfind("\n", floor, limit)
    if cut < floor:
        cut = text.rfind(" ", floor, limit)
    return cut if cut >= max(floor, 1) else limit


def _spacy_pass(items: list[AnalyzedArticle], model: str, processes: int, limit: int) -> None:
    from crosswire.nlp.spacy_pipeline import load_pipeline
    nlp = load_pipeline(model)
    pieces = [(item, start, end) for item in items
              for start, end in _pieces(item.article.text[:analysed_end(item.article.text, limit)], SPACY_PIECE_CHARS)]
    texts = [item.article.text[start:end] for item, start, end in pieces]
    nlp.max_length = max([nlp.max_length, *(len(t) + 1 for t in texts)])
    # spaCy holds a whole batch of documents at once: 32 news articles, but only a few long pieces
    batch = max(1, min(32, 2 * SPACY_PIECE_CHARS // max([1, *(len(t) for t in texts)])))
    docs = nlp.pipe(texts, batch_size=batch, n_process=processes if len(texts) >= 64 else 1)
    sentences: dict[int, list[tuple[int, int]]] = defaultdict(list)
    names: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for (item, start, _), doc in zip(pieces, docs):
        sentences[id(item)].extend((start + s.start_char, start + s.end_char) for s in doc.sents)
        names[id(item)].extend((start + e.start_char, start + e.end_char, e.label_) for e in doc.ents)
    for item in items:
        text = item.article.text
        item.sentences = _sentences_from(text, sentences[id(item)])
        for begin, end, spacy_label in names[id(item)]:
            label = map_label(spacy_label)
            if label:
                mention = _entity(text, begin, end, label, item.sentences)
                if mention:
                    item.mentions.append(mention)


def _fallback_pass(item: AnalyzedArticle, lang: str, limit: int) -> None:
    if lang not in _fallback_logged:
        _fallback_logged.add(lang)
        log.info("no spaCy pipeline for language %r: using rule-based sentences and names", lang)
    text = item.article.text
    item.sentences = _sentences_from(text, split_sentences(text[:analysed_end(text, limit)]))
    for sentence in item.sentences:
        for start, end, label in find_names(sentence.text, lang):
            mention = _entity(text, sentence.start + start, sentence.start + end, label, item.sentences)
            if mention:
                mention.extra["guessed"] = True  # a rule's guess at the type, not a model's
                item.mentions.append(mention)
    # "Sánchez" alone, after "Pedro Sánchez" was named: the same person
    surnames = {m.value.split()[-1] for m in item.mentions if m.label == "PERSON"}
    for mention in item.mentions:
        if mention.label == "MISC" and mention.value in surnames:
            mention.label = "PERSON"


def _finders() -> tuple[Callable | None, Callable | None]:
    """The date and quantity finders, if their modules are present (they ship separately)."""
    try:
        from crosswire.nlp.dates import find_dates
    except ImportError:
        find_dates = None
    try:
        from crosswire.nlp.quantities import find_quantities
    except ImportError:
        find_quantities = None
    return find_dates, find_quantities


def _dates_and_quantities(item: AnalyzedArticle, lang: str) -> None:
    find_dates, find_quantities = _finders()
    for sentence in item.sentences:
        found: list[Mention] = []
        if find_dates is not None:
            found += find_dates(sentence.text, item.article.published, lang)
        if find_quantities is not None:
            found += find_quantities(sentence.text, lang)
        for mention in found:
            mention.start += sentence.start
            mention.end += sentence.start
            mention.sentence = sentence.index
            item.mentions.append(mention)


def _embed(items: list[AnalyzedArticle], encoder: Encoder) -> None:
    texts = [head_text(item.article.title, item.article.text) for item in items]
    for item in items:
        texts += [s.text for s in item.sentences]
    vectors = encoder.encode(texts)
    pos = len(items)
    for i, item in enumerate(items):
        item.embedding = vectors[i]
        n = len(item.sentences)
        item.sentence_embeddings = vectors[pos:pos + n] if n else np.zeros((0, encoder.dim), np.float32)
        pos += n


def analyze(articles: list[Article], settings: "Settings | None" = None, progress: Callable[[int], Any] | None = None,
            timings: dict[str, float] | None = None) -> list[AnalyzedArticle]:
    """Analyse ``articles`` (sets each ``article.language``); ``timings`` accumulates seconds per step."""
    settings = _settings(settings)
    cfg = settings.section("nlp")
    languages = [normalise_language(c) or c for c in cfg.get("languages", ["en", "fr", "de"])]
    models = {normalise_language(k) or k: v for k, v in (cfg.get("spacy_models") or {}).items() if v}
    processes = max(1, int(cfg.get("processes", 1)))
    chunk = max(1, int(cfg.get("batch_size", 64)))
    if processes > 1:  # spaCy forks its workers per pipe() call: make each call worth the fork
        chunk = max(chunk, 256 * processes)
    # four chunks when there is enough to share: the encoder overlaps spaCy from chunk 2 on, so
    # the more chunks the more overlap, until batches get too small to batch well (on rounds of 15
    # example articles: 1 chunk 14 articles/s, 2 chunks 18, 4 chunks 20, median of 4 runs)
    chunk = min(chunk, max(4, math.ceil(len(articles) / 4)))
    encoder = get_encoder(settings)
    limit = analysis_limit(settings)

    results: list[AnalyzedArticle] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crosswire-encoder") as encoding:
        pending = []
        for begin in range(0, len(articles), chunk):
            items = _analyze_chunk(articles[begin:begin + chunk], languages, models, processes, limit, timings)
            pending.append(encoding.submit(_embed_timed, items, encoder, timings))
            results += items
            while pending and pending[0].done():
                pending.pop(0).result()
            if progress is not None:
                progress(len(results))
        for job in pending:
            job.result()
    return results


def _embed_timed(items: list[AnalyzedArticle], encoder: Encoder, timings: dict[str, float] | None) -> None:
    with _timed(timings, "encoder"):
        _embed(items, encoder)


def analysis_limit(settings: "Settings | None" = None) -> int:
    """``[nlp] max_analysed_chars``: how much of each text is analysed (see ``analysed_end``)."""
    return int(_settings(settings).get("nlp", "max_analysed_chars", 200_000))


def _analyze_chunk(articles: list[Article], languages: list[str], models: dict[str, str], processes: int,
                   limit: int, timings: dict[str, float] | None) -> list[AnalyzedArticle]:
    """Everything but the vectors: language, sentences, entities, dates, quantities, quotes."""
    items = [AnalyzedArticle(article=a) for a in articles]
    with _timed(timings, "language"):
        for item in items:
            a = item.article
            a.language = normalise_language(a.language) or detect_language(f"{a.title}\n{a.text}", languages)
    by_model: dict[str, list[AnalyzedArticle]] = defaultdict(list)
    for item in items:
        lang = item.article.language or UNDETERMINED
        if lang in models:
            by_model[models[lang]].append(item)
        else:
            with _timed(timings, "fallback"):
                _fallback_pass(item, lang, limit)
    with _timed(timings, "spacy"):
        for model, group in by_model.items():
            _spacy_pass(group, model, processes, limit)
    with _timed(timings, "dates_quantities"):
        for item in items:
            _dates_and_quantities(item, item.article.language or UNDETERMINED)
    with _timed(timings, "quotes"):
        for item in items:
            entities = [m for m in item.mentions if m.kind == "entity"]
            text = item.article.text
            item.mentions += find_quotes(text[:analysed_end(text, limit)], item.sentences, entities)
            item.mentions.sort(key=lambda m: (m.start, m.end, m.kind))
    return items
