"""A user feeds reports in several languages and gets sentences, entities, quotes and vectors back."""
from __future__ import annotations

import numpy as np
import pytest

from crosswire.config import load_settings
from crosswire.errors import ConfigError
from crosswire.model import Article
from crosswire.nlp import analyze

EN = ('Burkina Faso leader Ibrahim Traoré spoke in Ouagadougou on Monday. '
      '"We will not give up our sovereignty," Traoré said. France and the United Nations reacted.')
FR = ("Le capitaine Ibrahim Traoré a parlé à Ouagadougou lundi. "
      "« Nous ne céderons rien », a déclaré Emmanuel Macron à Paris.")
DE = ("Am 18. Jan. 2023 sagte Hauptmann Ibrahim Traoré in Ouagadougou, die Truppen würden abziehen. "
      "Das Dekret Nr. 5 gilt ab sofort. „Wir werden nicht nachgeben“, sagte Olaf Scholz.")


@pytest.fixture(scope="module")
def analysed():
    articles = [Article.create(EN, title="Traoré speaks", language="en-US"),
                Article.create(FR, title="Traoré parle"),
                Article.create(DE, title="Traoré spricht")]
    return analyze(articles, load_settings(env={}))


def entities(result, label=None):
    return {m.value for m in result.mentions_of("entity") if label is None or m.label == label}


def test_english_report_gets_sentences_people_and_places(analysed):
    en = analysed[0]
    assert en.article.language == "en"  # "en-US" normalised
    assert [s.text for s in en.sentences][0] == "Burkina Faso leader Ibrahim Traoré spoke in Ouagadougou on Monday."
    assert len(en.sentences) == 3
    for s in en.sentences:
        assert en.article.text[s.start:s.end] == s.text
    assert "ibrahim traore" in entities(en, "PERSON")  # folded: no diacritics, casefolded
    assert {"ouagadougou", "france"} <= entities(en, "GPE")
    for m in en.mentions:
        assert en.article.text[m.start:m.end] == m.text


def test_quote_keeps_its_speaker(analysed):
    quotes = analysed[0].mentions_of("quote")
    assert [(q.value, q.label) for q in quotes] == [("We will not give up our sovereignty", "Traoré")]
    assert quotes[0].sentence == 1


def test_french_report_uses_the_french_model(analysed):
    fr = analysed[1]
    assert fr.article.language == "fr"
    assert len(fr.sentences) == 2 and fr.sentences[1].text.startswith("«")
    assert "emmanuel macron" in entities(fr, "PERSON")  # PER mapped to PERSON
    assert [(q.value, q.label) for q in fr.mentions_of("quote")] == [("Nous ne céderons rien", "Emmanuel Macron")]


def test_german_report_uses_the_rule_based_fallback(analysed):
    de = analysed[2]
    assert de.article.language == "de"
    texts = [s.text for s in de.sentences]
    assert texts == ["Am 18. Jan. 2023 sagte Hauptmann Ibrahim Traoré in Ouagadougou, die Truppen würden abziehen.",
                     "Das Dekret Nr. 5 gilt ab sofort.",
                     "„Wir werden nicht nachgeben“, sagte Olaf Scholz."]
    assert {"ibrahim traore", "olaf scholz"} <= entities(de, "PERSON")
    assert "dekret" not in entities(de) and "hauptmann ibrahim traore" not in entities(de)
    assert [(q.value, q.label) for q in de.mentions_of("quote")] == [("Wir werden nicht nachgeben", "Olaf Scholz")]


def test_every_article_gets_normalised_embeddings(analysed):
    for result in analysed:
        assert result.embedding.shape == (512,) and result.embedding.dtype == np.float32
        assert result.sentence_embeddings.shape == (len(result.sentences), 512)
        assert np.allclose(np.linalg.norm(result.sentence_embeddings, axis=1), 1.0, atol=1e-4)
    # the same story in three languages: article vectors stay close
    en, fr, de = (r.embedding for r in analysed)
    assert float(en @ fr) > 0.4 and float(en @ de) > 0.4


def test_empty_article_and_progress_callback():
    seen = []
    [result] = analyze([Article.create("", title="")], load_settings(env={}), progress=seen.append)
    assert result.sentences == [] and result.sentence_embeddings.shape == (0, 512)
    assert seen == [1]


def test_missing_spacy_model_is_a_config_error(tmp_path):
    config = tmp_path / "crosswire.toml"
    config.write_text('[nlp]\nspacy_models = { en = "en_core_web_nonexistent" }\n')
    with pytest.raises(ConfigError, match="en_core_web_nonexistent"):
        analyze([Article.create("The minister spoke in Paris on Monday.", language="en")],
                load_settings(config, env={}))


def test_speakers_from_according_to_and_the_sentence_before():
    text = ('"The border will stay closed for now," according to Interior Minister Maria Lopez. '
            'Police chief John Smith said on Tuesday:\n'
            '"We have arrested twelve people in the capital."')
    [result] = analyze([Article.create(text, language="en")], load_settings(env={}))
    assert [(q.value, q.label) for q in result.mentions_of("quote")] == [
        ("The border will stay closed for now", "Maria Lopez"),
        ("We have arrested twelve people in the capital.", "John Smith")]


def test_dates_and_quantities_land_on_their_sentence_and_offsets():
    """Runs once nlp.dates / nlp.quantities (written separately) are present."""
    from datetime import datetime
    try:
        import crosswire.nlp.dates  # noqa: F401
        import crosswire.nlp.quantities  # noqa: F401
    except ImportError:
        pytest.skip("nlp.dates / nlp.quantities not present yet")
    text = "The talks began in Paris. On Monday, Jan. 23, 2023, some 2,000 soldiers left the city."
    [result] = analyze([Article.create(text, language="en", published=datetime(2023, 1, 25))],
                       load_settings(env={}))
    found = result.mentions_of("date") + result.mentions_of("quantity")
    for m in found:
        assert text[m.start:m.end] == m.text and m.sentence == 1
    assert "2023-01-23" in {m.value for m in result.mentions_of("date")}
    assert "2000" in {m.value for m in result.mentions_of("quantity")}


def test_a_very_long_report_is_parsed_in_pieces_and_keeps_every_sentence_and_name(monkeypatch):
    # spaCy's memory grows with the document, so a book-length text is parsed in pieces: the names of the last
    # piece are found, and every sentence and name still points at its place in the whole text
    import crosswire.nlp as nlp_stage
    monkeypatch.setattr(nlp_stage, "SPACY_PIECE_CHARS", 400)
    text = "\n".join([EN] * 12 + ["Later that day Emmanuel Macron spoke in Paris about the withdrawal."])
    [item] = analyze([Article.create(text, title="Long report", language="en")], load_settings(env={}))
    assert len(text) > 3 * nlp_stage.SPACY_PIECE_CHARS
    assert all(text[s.start:s.end] == s.text for s in item.sentences)
    assert [s.start for s in item.sentences] == sorted(s.start for s in item.sentences)
    assert item.sentences[-1].text.startswith("Later that day")
    names = [m for m in item.mentions if m.kind == "entity"]
    assert all(text[m.start:m.end] == m.text for m in names)
    assert any(m.text == "Emmanuel Macron" for m in names) and sum(m.text == "Ouagadougou" for m in names) == 12


@pytest.mark.parametrize("language", ["en", "sw"])  # a spaCy pipeline, and the rule-based fallback
def test_a_text_past_max_analysed_chars_is_analysed_up_to_a_line_break_before_the_limit(language):
    # analysis takes ~50 s per MB, so a 15 MB file would hold its ingest call for minutes: only the first
    # max_analysed_chars are analysed (the text itself is kept whole), cut where a line ends
    from crosswire.nlp import analysed_end
    text = "\n".join([EN] * 12 + ["Later that day Emmanuel Macron spoke in Paris about the withdrawal."])
    limit = 4 * len(EN) + 10
    settings = load_settings(env={"CROSSWIRE_NLP_MAX_ANALYSED_CHARS": str(limit)})
    [item] = analyze([Article.create(text, title="Long report", language=language)], settings)
    end = analysed_end(text, limit)
    assert end == 4 * len(EN) + 3 and text[end] == "\n"  # after the fourth paragraph
    assert item.sentences and max(s.end for s in item.sentences) <= end
    assert len(item.sentence_embeddings) == len(item.sentences)
    assert all(m.end <= end for m in item.mentions)
    assert not any("Macron" in m.text for m in item.mentions)
    assert analysed_end(text, len(text)) == len(text)
