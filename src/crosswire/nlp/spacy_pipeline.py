"""spaCy pipelines per language, trimmed to what this stage reads: sentences and entities.

The small English and French pipelines each carry their own ``senter`` and ``ner``
(each with a private tok2vec), so the tagger, parser, lemmatizer, attribute ruler
and the shared tok2vec can be excluded: measured on 200 ECB+ documents this is the
difference between ~7 and ~17 documents/s on one core. A user-named pipeline
whose components listen to a shared tok2vec keeps it.
"""
from __future__ import annotations

import threading
from typing import Any

from crosswire.errors import ConfigError

KEEP = {"ner", "senter", "sentencizer", "entity_ruler", "span_ruler"}
_pipelines: dict[str, Any] = {}
_lock = threading.Lock()


def _listened_to(nlp: Any, names: set[str]) -> set[str]:
    """The shared tok2vec/transformer components that the kept components listen to."""
    needed: set[str] = set()
    for name in names:
        model = getattr(nlp.get_pipe(name), "model", None)
        if model is None:
            continue
        for layer in model.walk():
            if "listener" in layer.name.lower():
                upstream = getattr(layer, "upstream_name", None)
                needed.add(upstream if isinstance(upstream, str) and upstream != "*" else "tok2vec")
    return needed & set(nlp.component_names)


def load_pipeline(name: str) -> Any:
    """Load (once) the pipeline ``name`` (installed package or path) with only sentences + NER."""
    with _lock:
        if name in _pipelines:
            return _pipelines[name]
        import spacy
        try:
            full = spacy.load(name)
        except OSError as exc:
            raise ConfigError(
                f"nlp.spacy_models names {name!r}, which is not an installed spaCy pipeline or a path "
                f"to one: install it (pip install <package>) or remove it from nlp.spacy_models") from exc
        keep = {c for c in full.component_names if c in KEEP}
        if "ner" not in keep:
            raise ConfigError(f"spaCy pipeline {name!r} has no 'ner' component; crosswire needs entities")
        keep |= _listened_to(full, keep)
        for component in full.component_names:
            if component not in keep:
                full.remove_pipe(component)
            elif component in full.disabled:
                full.enable_pipe(component)
        if not {"senter", "sentencizer"} & set(full.pipe_names):  # cheap rules rather than a parser
            full.add_pipe("sentencizer", first=True)
        _pipelines[name] = full
        return full
