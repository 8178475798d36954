"""The plugin contract, checked as documented: a plugin's own settings from `[plugins.NAME]`
(to that plugin alone, checked by it), pluggy's refusals in Dutch, extensions that stay file
names, bytes (not str) from `render`, and the catalogues available to an export."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.config import Config, load_config
from meldcode_tui.errors import InputError, PluginError
from meldcode_tui.plugins import ExportFormat, hookimpl, load_plugins
from meldcode_tui.plugins.exporting import validate_export_format


def _settings_plugin(seen: dict, name: str):
    class Plugin:
        @hookimpl
        def meldcode_export_formats(self, settings):
            seen[name] = settings
            if settings.get("scholen") == "kapot":
                raise ValueError("[plugins.bestuur] scholen moet een lijst zijn")
            return []
    return Plugin()


def test_each_plugin_gets_its_own_table_and_only_that(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[plugins]\nblock = []\n\n[plugins.bestuur]\nscholen = ["A", "B"]\n'
                   'drempel = 5\n\n[plugins.ander]\ngeheim = "x"\n')
    config = load_config(cfg)
    seen: dict = {}
    load_plugins(config, entry_points=[], plugins=[("bestuur", _settings_plugin(seen, "bestuur")),
                                                   ("derde", _settings_plugin(seen, "derde"))])
    assert seen["bestuur"] == {"scholen": ["A", "B"], "drempel": 5}
    assert seen["derde"] == {}
    assert config.plugins_block == ()


def test_a_plugin_refusing_its_settings_is_disabled_with_its_own_line(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[plugins.bestuur]\nscholen = "kapot"\n')
    host = load_plugins(load_config(cfg), entry_points=[],
                        plugins=[("bestuur", _settings_plugin({}, "bestuur"))])
    status = host.statuses()[0]
    assert not status.loaded and "scholen moet een lijst zijn" in status.reason


def test_a_plugin_table_at_the_top_level_points_to_plugins_name(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[bestuur]\nscholen = ["A"]\n')
    with pytest.raises(InputError) as info:
        load_config(cfg)
    assert "[plugins.bestuur]" in str(info.value)


def test_a_control_character_in_plugin_settings_is_refused(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[plugins.bestuur]\nnaam = "a\\u001b[2Jb"\n')
    with pytest.raises(InputError, match="U\\+001B"):
        load_config(cfg)


def test_a_hook_with_an_unknown_argument_is_refused_in_dutch():
    class Plugin:
        @hookimpl
        def meldcode_catalogues(self, config, school_year):
            return []

    host = load_plugins(Config(), entry_points=[], plugins=[("vreemd", Plugin())])
    reason = host.statuses()[0].reason
    assert "onbekend argument 'school_year'" in reason and "config, warn, settings" in reason
    for english in ("hookimpl", "declared", "Argument", "Plugin '"):
        assert english not in reason


@pytest.mark.parametrize("extension,ok", [("md", True), ("tar.gz", True), ("t/x", False),
                                           ("../x", False), ("x y", False), ("MD", False)])
def test_extensions_stay_file_name_endings(extension, ok):
    fmt = ExportFormat("x", "X", extension, "text/plain", render=lambda r: b"")
    assert (validate_export_format(fmt) == []) is ok


def _service_with_format(tmp_path, render):
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    class Plugin:
        @hookimpl
        def meldcode_export_formats(self):
            return [ExportFormat("proef", "Proef", "txt", "text/plain", render=render)]

    host = load_plugins(Config(), plugins=[("proef", Plugin())])
    store = open_store(tmp_path / "school.sqlite", create=True)
    svc = CaseService(store, actor="test-coordinator", plugins=host)
    case_id = svc.create_case("Sanne de Vries (fictief)", "2016-04-03").case_id
    return svc, case_id


def test_render_returning_str_is_refused_and_nothing_is_journalled(tmp_path):
    svc, case_id = _service_with_format(tmp_path, lambda request: "tekst, geen bytes")
    head = svc.store.checkpoint()
    with pytest.raises(PluginError, match="str op in plaats van bytes"):
        svc.export(case_id, "proef")
    assert svc.store.checkpoint() == head
    svc.store.close()


def test_an_export_sees_the_loaded_catalogues(tmp_path):
    got = {}

    def render(request):
        got["ids"] = sorted(request.catalogues or {})
        return b"ok"

    svc, case_id = _service_with_format(tmp_path, render)
    svc.export(case_id, "proef")
    assert "meldcode-basis" in got["ids"]
    svc.store.close()
