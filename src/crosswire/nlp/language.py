"""Which language an article is in: the declared one if any, else lingua's guess.

Later stages choose the spaCy pipeline, the date words and the sentence rules by
language, so every article leaves here with an ISO 639-1 code ("en", "fr", ...),
or "und" when there is too little text to tell.
"""
from __future__ import annotations

import threading
from typing import Any

UNDETERMINED = "und"
_NAMES = {
    "english": "en", "french": "fr", "francais": "fr", "français": "fr", "german": "de", "deutsch": "de",
    "spanish": "es", "español": "es", "italian": "it", "portuguese": "pt", "dutch": "nl", "polish": "pl",
    "turkish": "tr", "arabic": "ar", "russian": "ru", "chinese": "zh",
}
_detectors: dict[tuple[str, ...], Any] = {}
_lock = threading.Lock()


def normalise_language(code: str | None) -> str | None:
    """"en-US" / "EN" / "eng" / "English" -> "en"; None or empty stays None."""
    if not code:
        return None
    raw = code.strip().replace("_", "-").split("-")[0].casefold()
    if not raw:
        return None
    if len(raw) == 2:
        return raw
    if raw in _NAMES:
        return _NAMES[raw]
    if len(raw) == 3:
        from lingua import IsoCode639_3, Language
        try:
            return Language.from_iso_code_639_3(IsoCode639_3.from_str(raw)).iso_code_639_1.name.lower()
        except (ValueError, AttributeError):
            return raw
    return raw


def _detector(languages: tuple[str, ...]) -> Any:
    """One detector per language set, built on first use: loading all 75 models costs 1.2 GB."""
    with _lock:
        if languages not in _detectors:
            from lingua import IsoCode639_1, LanguageDetectorBuilder
            codes = []
            for code in languages:
                try:
                    codes.append(IsoCode639_1.from_str(code))
                except ValueError:
                    from crosswire.errors import ConfigError
                    raise ConfigError(f"nlp.languages: unknown ISO 639-1 code {code!r}") from None
            if len(codes) < 2:  # lingua needs two candidates to compare
                codes.append(IsoCode639_1.EN if IsoCode639_1.EN not in codes else IsoCode639_1.FR)
            builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
            # preloaded: ~2 s once at build time rather than stalls in the middle of a batch
            _detectors[languages] = builder.with_preloaded_language_models().build()
        return _detectors[languages]


def detect_language(text: str, languages: list[str] | tuple[str, ...]) -> str:
    """lingua's best guess among ``languages`` on the first 600 characters: a few sentences decide it, and lingua costs time per character."""
    sample = text[:600].strip()
    if len(sample) < 3:
        return UNDETERMINED
    found = _detector(tuple(sorted(set(languages)))).detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else UNDETERMINED
