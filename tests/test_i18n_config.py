from __future__ import annotations

import pytest

from meldcode_tui.config import load_config, resolve_db_path
from meldcode_tui.errors import InputError
from meldcode_tui.i18n import _


def test_dutch_is_the_source_language():
    assert _("Casus {case_id} is gesloten.", case_id="MC-0001") == "Casus MC-0001 is gesloten."


def test_translation_is_used_when_language_selected(monkeypatch):
    monkeypatch.setenv("MELDCODE_LANG", "en")
    assert _("Casus {case_id} is gesloten.", case_id="MC-0001") == "Case MC-0001 is closed."


def test_missing_translation_falls_back_to_dutch(monkeypatch):
    monkeypatch.setenv("MELDCODE_LANG", "en")
    assert _("Dit staat nergens vertaald.") == "Dit staat nergens vertaald."


def test_db_path_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("MELDCODE_DB", str(tmp_path / "env.sqlite"))
    assert resolve_db_path(str(tmp_path / "cli.sqlite")) == tmp_path / "cli.sqlite"
    assert resolve_db_path(None) == tmp_path / "env.sqlite"
    monkeypatch.delenv("MELDCODE_DB")
    assert resolve_db_path(None).name == "meldcode.sqlite"
    assert str(tmp_path / "xdg-data") in str(resolve_db_path(None))


def test_config_allow_and_block(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[plugins]\nallow = ["a", "b"]\nblock = ["b"]\n[catalogues]\nfolders = ["extra"]\n', encoding="utf-8")
    config = load_config(cfg)
    assert config.plugin_permitted("a") == (True, "")
    assert config.plugin_permitted("b")[0] is False
    assert config.plugin_permitted("c")[0] is False
    assert config.catalogue_folders == (tmp_path / "extra",)


def test_broken_config_is_an_error_with_its_line(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[plugins\nallow = 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        load_config(cfg)


def test_wrong_type_in_config_is_named(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[plugins]\nblock = "x"\n', encoding="utf-8")
    with pytest.raises(InputError, match="plugins.block"):
        load_config(cfg)


def test_access_all_cases_from_config(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[access]\nall_cases = ["anouk"]\n', encoding="utf-8")
    assert load_config(cfg).access_all_cases == ("anouk",)
