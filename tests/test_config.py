"""Settings come from packaged defaults, then a TOML file, then the environment."""
from __future__ import annotations

import pytest

from crosswire.config import load_settings
from crosswire.errors import ConfigError


def test_defaults_then_file_then_environment(tmp_path):
    toml = tmp_path / "crosswire.toml"
    toml.write_text('[ingest]\nnear_duplicate_threshold = 0.9\n[store]\ndb = "from-file.db"\n')
    settings = load_settings(toml, env={"CROSSWIRE_DB": "from-env.db", "CROSSWIRE_SERVER_PORT": "9000"})
    assert settings.get("ingest", "near_duplicate_threshold") == 0.9
    assert settings.db == "from-env.db"
    assert settings.get("server", "port") == 9000  # typed like its default
    assert settings.get("nlp", "encoder") == "use-multilingual"


def test_default_store_lives_in_the_xdg_data_dir(tmp_path):
    settings = load_settings(env={"XDG_DATA_HOME": str(tmp_path)})
    assert settings.db.startswith(str(tmp_path))


def test_broken_config_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[store\n")
    with pytest.raises(ConfigError, match="bad.toml"):
        load_settings(bad, env={})


def test_a_malformed_environment_value_is_a_clear_error_naming_the_variable():
    with pytest.raises(ConfigError, match=r"CROSSWIRE_STORE_BUSY_TIMEOUT='soon': expected float"):
        load_settings(env={"CROSSWIRE_STORE_BUSY_TIMEOUT": "soon"})
    with pytest.raises(ConfigError, match="busy_timeout must be a number of seconds above 0"):
        _ = load_settings(env={"CROSSWIRE_STORE_BUSY_TIMEOUT": "0"}).busy_timeout


def test_a_store_path_written_with_a_tilde_means_the_home_directory(tmp_path, monkeypatch):
    # a shell expands ~ on the command line, but not inside crosswire.toml or a quoted variable
    monkeypatch.setenv("HOME", str(tmp_path))
    config = tmp_path / "crosswire.toml"
    config.write_text('[store]\ndb = "~/news/crosswire.db"\n', encoding="utf-8")
    assert load_settings(config, env={}).db == str(tmp_path / "news" / "crosswire.db")
    assert load_settings(env={"CROSSWIRE_DB": "~/x.db"}).db == str(tmp_path / "x.db")
    assert load_settings(env={"CROSSWIRE_DB": "postgresql://u@h/~db"}).db == "postgresql://u@h/~db"
