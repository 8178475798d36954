"""The plugin host: one-by-one loading, broken plugins disabled with a reason, allow/block,
lookups, search and describing recorded signal references."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from meldcode_tui.config import Config
from meldcode_tui.errors import InputError, NotFound
from meldcode_tui.plugins import ExportFormat, hookimpl, load_plugins
from meldcode_tui.plugins.manager import discover_entry_points, normalize

from .conftest import BROKEN_PLUGINS, GOOD_PLUGIN


def test_import_is_cheap_and_ui_free():
    code = ("import sys, meldcode_tui.plugins as p; p.Catalogue; p.ExportFormat; "
            "assert 'pluggy' not in sys.modules and 'rapidfuzz' not in sys.modules, 'heavy'; "
            "from meldcode_tui.plugins import load_plugins; h = load_plugins(); h.search_signals('plek'); "
            "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_builtins_come_from_our_own_entry_points():
    eps = {ep.name: ep for ep in discover_entry_points()}
    assert eps["builtin_catalogues"].value == "meldcode_tui.plugins.builtin.catalogues"
    host = load_plugins(Config())
    st = {s.name: s for s in host.statuses()}["builtin_catalogues"]
    assert st.loaded and st.builtin and st.dist == "meldcode-tui"
    assert dict(st.catalogues)["meldcode-basis"] >= 150
    assert host.catalogue("meldcode-basis") is not None


def test_broken_plugins_are_disabled_with_a_reason_and_the_rest_works(plugin_module):
    eps = [plugin_module("goed", GOOD_PLUGIN)]
    eps += [plugin_module(name, src) for name, (src, _words) in BROKEN_PLUGINS.items()]
    host = load_plugins(Config(), entry_points=eps)
    statuses = {s.name: s for s in host.statuses()}
    assert statuses["goed"].loaded and statuses["goed"].catalogues == [("goed", 2)]
    for name, (_src, words) in BROKEN_PLUGINS.items():
        st = statuses[name]
        assert not st.loaded, name
        for word in words:
            assert word in st.reason, (name, st.reason)
        assert not host.pm.has_plugin(name)  # unregistered
        assert any(line.startswith(f"Plugin {name} is uitgeschakeld:") for line in host.warnings())
    # nothing of the broken ones leaked in; the good one is usable
    assert [c.id for c in host.catalogues()] == ["goed"]
    assert host.export_formats() == {}
    assert host.search_signals("paarse plek")[0].signal.id == "g-1"


def test_a_broken_plugin_does_not_stop_later_ones(plugin_module):
    eps = [plugin_module("a_kapot", BROKEN_PLUGINS["kapot_hook"][0]), plugin_module("b_goed", GOOD_PLUGIN)]
    host = load_plugins(Config(), entry_points=eps)
    assert [s.loaded for s in host.statuses()] == [False, True]


def test_allow_and_block_lists(plugin_module):
    good = plugin_module("goed", GOOD_PLUGIN)
    other = plugin_module("ander", GOOD_PLUGIN.replace('id="goed"', 'id="ander"'))
    host = load_plugins(Config(plugins_block=("goed",)), entry_points=[good, other])
    st = {s.name: s for s in host.statuses()}
    assert not st["goed"].loaded and st["goed"].disabled_by_config
    assert "geblokkeerd" in st["goed"].reason
    assert st["ander"].loaded
    assert host.warnings() == []  # a blocked plugin is the admin's choice, not a warning

    host = load_plugins(Config(plugins_allow=("goed",)), entry_points=[good, other])
    st = {s.name: s for s in host.statuses()}
    assert st["goed"].loaded
    assert not st["ander"].loaded and "niet toegestaan" in st["ander"].reason
    assert [c.id for c in host.catalogues()] == ["goed"]


def test_blocked_plugin_is_not_even_imported(plugin_module):
    ep = plugin_module("kapot_import", BROKEN_PLUGINS["kapot_import"][0])
    host = load_plugins(Config(plugins_block=("kapot_import",)), entry_points=[ep])
    assert "geblokkeerd" in host.statuses()[0].reason


def test_duplicate_catalogue_ids_and_format_names_first_wins(plugin_module):
    fmt_src = ("from meldcode_tui.plugins import ExportFormat, hookimpl\n"
               "@hookimpl\ndef meldcode_export_formats():\n"
               "    return [ExportFormat('tekst', 'Tekst', 'txt', 'text/plain', render=lambda r: b'')]\n")
    eps = [plugin_module("een", GOOD_PLUGIN + "\n" + fmt_src), plugin_module("twee", GOOD_PLUGIN + "\n" + fmt_src)]
    host = load_plugins(Config(), entry_points=eps)
    one, two = host.statuses()
    assert one.catalogues == [("goed", 2)] and one.formats == ["tekst"]
    assert two.loaded and two.catalogues == [] and two.formats == []
    assert any("al in gebruik" in w for w in two.warnings)
    assert list(host.export_formats()) == ["tekst"]


def test_export_formats_from_an_in_process_plugin():
    class Plugin:
        @hookimpl
        def meldcode_export_formats(self, config):
            return [ExportFormat("samenvatting", "Samenvatting", "txt", "text/plain",
                                 render=lambda request: request.actor.encode())]

    host = load_plugins(Config(), entry_points=[], plugins=[("samenvatting", Plugin())])
    assert host.statuses()[0].formats == ["samenvatting"]
    assert host.export_format("samenvatting").extension == "txt"
    with pytest.raises(NotFound):
        host.export_format("bestaat-niet")


def test_config_folders_load_and_broken_files_are_reported(tmp_path):
    folder = tmp_path / "extra"
    folder.mkdir()
    good = (Path(__file__).parent / "test_catalogue_check.py").read_text()
    good_toml = good.split('GOOD = """\\\n', 1)[1].split('"""', 1)[0]
    (folder / "a-goed.toml").write_text(good_toml, encoding="utf-8")
    (folder / "b-kapot.toml").write_text("[catalogue\n", encoding="utf-8")
    host = load_plugins(Config(catalogue_folders=(folder, tmp_path / "bestaat-niet")))
    st = {s.name: s for s in host.statuses()}["builtin_catalogues"]
    assert st.loaded
    assert [cid for cid, _n in st.catalogues] == ["meldcode-basis", "test-cat"]
    assert any("b-kapot.toml overgeslagen" in w and "1:" in w for w in st.warnings)
    assert any("bestaat-niet" in w for w in st.warnings)
    assert any("b-kapot.toml" in line for line in host.warnings())


def test_lookups_and_signal_refs():
    host = load_plugins(Config())
    sig = host.signal("meldcode-basis", "mb-0001")
    assert sig is not None and sig.concerns == "child"
    assert host.signal("meldcode-basis", "bestaat-niet") is None
    assert host.signal("bestaat-niet", "mb-0001") is None
    ref = host.signal_ref("meldcode-basis", "mb-0001")
    assert ref["text"] == sig.text and ref["catalogue_version"] == host.catalogue("meldcode-basis").version
    with pytest.raises(NotFound):
        host.signal_ref("weg", "mb-0001")


def test_describe_signal_ref_keeps_records_meaningful(plugin_module):
    ep = plugin_module("goed", GOOD_PLUGIN)
    host = load_plugins(Config(), entry_points=[ep])
    ref = {"catalogue_id": "goed", "catalogue_version": "0", "signal_id": "g-1", "text": "Oude tekst van toen"}
    assert host.describe_signal_ref(ref) == "Een paarse plek op de scheen"   # current text
    gone = load_plugins(Config(plugins_block=("goed",)), entry_points=[ep])
    assert gone.describe_signal_ref(ref) == "Oude tekst van toen (catalogus niet meer geïnstalleerd)"
    removed = dict(ref, signal_id="g-999")
    assert host.describe_signal_ref(removed) == "Oude tekst van toen (signaal staat niet meer in de catalogus)"
    assert host.describe_signal_ref(None) == ""


def test_search_is_fuzzy_accent_insensitive_and_filters_by_age():
    host = load_plugins(Config())
    assert normalize("Geïsoleerd, Één") == "geisoleerd een"
    top = host.search_signals("blauwe plekken bovenarm")[0]
    assert top.signal.id == "mb-0001" and top.ref["signal_id"] == "mb-0001"
    assert host.search_signals("geisoleerd")[0].signal.text.startswith("Het gezin is sociaal geïsoleerd")
    assert host.search_signals("brandwónd")[0].signal.id == "mb-0005"
    assert any(m.signal.text.startswith("Het kind schaamt") for m in host.search_signals("shaamt"))  # typo
    baby = host.search_signals("", age_group="0-4", limit=1000)
    assert baby and all(not m.signal.age_groups or "0-4" in m.signal.age_groups for m in baby)
    teen = host.search_signals("loverboy", age_group=host.age_group_for(15))
    assert teen and all("uitbuiting" in m.signal.forms for m in teen)
    assert len(host.search_signals("", limit=5)) == 5
    parents = host.search_signals("letsel", concerns="parent")
    assert parents and all(m.signal.concerns == "parent" for m in parents)
    fgm = host.search_signals("", form="vrouwelijke-genitale-verminking", limit=100)
    assert len(fgm) >= 5 and all("vrouwelijke-genitale-verminking" in m.signal.forms for m in fgm)
    with pytest.raises(InputError):
        host.search_signals("plek", age_group="3-5")


def test_age_group_for():
    host = load_plugins(Config())
    assert [host.age_group_for(a) for a in (0, 3.9, 4, 11.99, 12, 17, 18, None)] == [
        "0-4", "0-4", "4-12", "4-12", "12-18", "12-18", None, None]


def test_age_filter_maps_onto_other_catalogues_age_groups(plugin_module):
    src = GOOD_PLUGIN.replace('AgeGroup("4-12", "4 tot 12 jaar", 4, 12)', 'AgeGroup("6-8", "6 tot 8", 6, 8)') \
                     .replace('["lm"], ["4-12"]', '["lm"], ["6-8"]')
    host = load_plugins(Config(), entry_points=[*discover_entry_points(), plugin_module("goed", src)])
    # the basis catalogue's "4-12" is not one of this catalogue's groups: matched by overlapping range
    assert host.search_signals("paarse", age_group="4-12")[0].signal.id == "g-1"
    assert host.search_signals("paarse", age_group="12-18") == []
    assert host.search_signals("paarse", age=7)[0].signal.id == "g-1"
    assert host.search_signals("paarse", age=10) == []


def test_search_is_fast():
    import time

    host = load_plugins(Config())
    host.search_signals("warm")  # build the index once
    start = time.perf_counter()
    for query in ("blauwe plek", "honger", "ruzie ouders", "vakantie", "zelfbeschadiging"):
        host.search_signals(query, age_group="4-12")
    assert (time.perf_counter() - start) / 5 < 0.05


def test_examples_in_docs_work():
    """The two example plugins in the README load and do what they say."""
    import re
    import types

    from meldcode_tui.domain.case import CaseState
    from meldcode_tui.plugins import ExportRequest

    doc = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    assert len(blocks) >= 2     # the report plugin's example: tests/stats/test_reports.py
    modules = []
    for i, block in enumerate(blocks[:2]):
        module = types.ModuleType(f"doc_example_{i}")
        exec(compile(block, f"README.md[{i}]", "exec"), module.__dict__)
        modules.append(module)
    host = load_plugins(Config(), entry_points=[], plugins=[("voorbeeld", modules[0]), ("samenvatting", modules[1])])
    assert all(s.loaded for s in host.statuses()), host.statuses()
    assert host.search_signals("zonder jas")[0].signal.id == "vb-001"
    request = ExportRequest(CaseState(case_id="MC-0001"), [], "seq 0", "2026-01-05T09:00:00.000000Z",
                            "test-coordinator", "OBS De Fictieve Linde")
    text = host.export_format("samenvatting").render(request).decode("utf-8")
    assert text.startswith("Samenvatting casus MC-0001\n")
