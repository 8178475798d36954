"""Helpers for plugin tests: plugin modules written to tmp_path and fake entry points."""

from __future__ import annotations

import sys
import textwrap
import uuid
from importlib.metadata import EntryPoint

import pytest

GOOD_PLUGIN = '''
from meldcode_tui.plugins import AgeGroup, Catalogue, Category, Signal, hookimpl

@hookimpl
def meldcode_catalogues():
    return [Catalogue(
        id="goed", title="Goede testcatalogus (fictief)", version="1",
        age_groups=[AgeGroup("4-12", "4 tot 12 jaar", 4, 12)],
        categories=[Category("lm", "Lichamelijke mishandeling")],
        signals=[Signal("g-1", "Een paarse plek op de scheen", "child", ["lm"], ["4-12"]),
                 Signal("g-2", "Vertelt over een sleutelhanger", "child", ["lm"], [])],
    )]
'''

BROKEN_PLUGINS = {
    # name: (module source, words the Dutch reason must contain)
    "kapot_import": ("raise RuntimeError('stuk bij het importeren')\n",
                     ["kan niet worden geïmporteerd", "RuntimeError", "stuk bij het importeren"]),
    "kapot_hook": ("from meldcode_tui.plugins import hookimpl\n"
                   "@hookimpl\ndef meldcode_catalogues():\n    raise ValueError('hook faalt')\n",
                   ["fout in hook meldcode_catalogues", "ValueError", "hook faalt"]),
    "kapot_geen_lijst": ("from meldcode_tui.plugins import hookimpl\n"
                         "@hookimpl\ndef meldcode_catalogues():\n    return 'geen lijst'\n",
                         ["gaf str terug in plaats van een lijst"]),
    "kapot_rommel": ("from meldcode_tui.plugins import hookimpl\n"
                     "@hookimpl\ndef meldcode_catalogues():\n    return [42]\n",
                     ["ongeldige catalogus", "geen Catalogue-object maar int"]),
    "kapot_catalogus": ("from meldcode_tui.plugins import Catalogue, Signal, hookimpl\n"
                        "@hookimpl\ndef meldcode_catalogues():\n"
                        "    return [Catalogue('dubbel', 'D', '1', signals=[Signal('a', 'x'), Signal('a', 'y')])]\n",
                        ["ongeldige catalogus ('dubbel')", "signals[1].id", "dubbele signaal-id 'a'"]),
    "kapot_format": ("from meldcode_tui.plugins import ExportFormat, hookimpl\n"
                     "@hookimpl\ndef meldcode_export_formats():\n"
                     "    return [ExportFormat('Met Spaties', 'T', 'txt', 'text/plain', render=None)]\n",
                     ["ongeldig exportformaat", "ongeldige formaatnaam"]),
    "kapot_spelling": ("from meldcode_tui.plugins import hookimpl\n"
                       "@hookimpl\ndef meldcode_catalogs():\n    return []\n",
                       ["onbekende hook 'meldcode_catalogs'", "meldcode_catalogues"]),
    "kapot_spelling_zonder_marker": ("def meldcode_export_format():\n    return []\n",
                                     ["onbekende hook 'meldcode_export_format'", "meldcode_export_formats"]),
    "kapot_argumenten": ("from meldcode_tui.plugins import hookimpl\n"
                         "@hookimpl\ndef meldcode_catalogues(school):\n    return []\n",
                         ["voldoet niet aan de hook-afspraken", "school"]),
}


@pytest.fixture
def plugin_module(tmp_path, monkeypatch):
    """Write a module to tmp_path and return an EntryPoint (group 'meldcode') for it."""
    created: list[str] = []
    monkeypatch.syspath_prepend(str(tmp_path))

    def make(ep_name: str, source: str) -> EntryPoint:
        module = f"mc_test_{ep_name}_{uuid.uuid4().hex[:8]}"
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        created.append(module)
        return EntryPoint(name=ep_name, value=module, group="meldcode")

    yield make
    for module in created:
        sys.modules.pop(module, None)
