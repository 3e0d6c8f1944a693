"""The pieces of the NLP stage on their own: language, sentence rules, names, folding, encoders."""
from __future__ import annotations

import pytest

from crosswire.config import load_settings
from crosswire.errors import ConfigError
from crosswire.nlp.embeddings import SentenceTransformerEncoder, get_encoder
from crosswire.folding import fold_name as fold
from crosswire.nlp.entities import find_names
from crosswire.nlp.language import detect_language, normalise_language
from crosswire.nlp.sentences import split_sentences

LANGS = ["en", "fr", "de", "es"]


def test_language_is_detected_for_english_french_and_german():
    assert detect_language("The president said on Monday that the troops will leave the country.", LANGS) == "en"
    assert detect_language("Le président a déclaré lundi que les troupes quitteront le pays.", LANGS) == "fr"
    assert detect_language("Der Präsident sagte am Montag, die Truppen würden das Land verlassen.", LANGS) == "de"
    assert detect_language("", LANGS) == "und"


def test_declared_languages_are_normalised():
    assert [normalise_language(c) for c in ["en-GB", "FR", "deu", "English", None]] == ["en", "fr", "de", "en", None]


def sentences(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_abbreviations_initials_and_decimals_do_not_split():
    assert sentences("Er kam am 18. Jan. 2023 an. Das Gesetz Nr. 12 gilt. Der Preis stieg um 3.5 Prozent.") == [
        "Er kam am 18. Jan. 2023 an.", "Das Gesetz Nr. 12 gilt.", "Der Preis stieg um 3.5 Prozent."]
    assert sentences("J. R. Smith kam am 3. Mai. Warum? Niemand weiß es, z.B. Herr Dr. Weber.") == [
        "J. R. Smith kam am 3. Mai.", "Warum?", "Niemand weiß es, z.B. Herr Dr. Weber."]
    assert sentences("Título\nEl Sr. García llegó. Luego habló.") == ["Título", "El Sr. García llegó.", "Luego habló."]


def test_capitalised_names_skip_function_words_and_titles():
    text = "El presidente Pedro Sánchez viajó a Bruselas con la Comisión."
    found = {text[a:b]: label for a, b, label in find_names(text, "es")}
    assert found["Pedro Sánchez"] == "PERSON" and "Bruselas" in found and "El" not in found
    text = "Die Regierung und die NATO trafen Olaf Scholz am Montag."
    found = {text[a:b]: label for a, b, label in find_names(text, "de")}
    assert found == {"NATO": "ORG", "Olaf Scholz": "PERSON"}


def test_folded_keys_match_across_spellings():
    assert fold("Ibrahima Traoré") == "ibrahima traore"
    assert fold("IBRAHIMA  TRAORE,") == fold("Ibrahima Traoré") == fold("Ibrahima-Traoré").replace(" ", " ")


def test_encoder_puts_translations_close_and_unrelated_text_far():
    encoder = get_encoder(load_settings(env={}))
    assert encoder is get_encoder(load_settings(env={}))  # built once
    de, en, other = encoder.encode(["Die Regierung hat am Montag die Steuern erhöht.",
                                    "The government raised taxes on Monday.",
                                    "My cat likes to sleep on the warm sofa."])
    assert float(de @ en) > 0.6
    assert float(de @ other) < 0.3 and float(en @ other) < 0.3


def test_the_packaged_e5_encoder_loads_by_name_and_ranks_a_translation_first():
    from crosswire.nlp.embeddings import encoder_by_name
    encoder = encoder_by_name("multilingual-e5-small")
    assert encoder is encoder_by_name("multilingual-e5-small") and encoder.dim == 384
    de, en, other = encoder.encode(["Die Regierung hat am Montag die Steuern erhöht.",
                                    "The government raised taxes on Monday.",
                                    "My cat likes to sleep on the warm sofa."])
    assert abs(float(en @ en) - 1.0) < 1e-3
    assert float(de @ en) > float(de @ other) + 0.1 and float(de @ en) > float(en @ other) + 0.1


def test_sentence_transformers_names_need_the_package():
    pytest.importorskip  # sentence-transformers is not installed here: the error must say what to do
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match="pip install sentence-transformers"):
            SentenceTransformerEncoder("sentence-transformers/all-MiniLM-L6-v2")
    else:
        pytest.skip("sentence-transformers is installed")
