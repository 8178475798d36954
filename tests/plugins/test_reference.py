"""The plugin author's reference (docs/PLUGIN_REFERENCE.md) is generated from the classes: a
field added to ExportRequest, the folded case or Config without regenerating fails here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_plugin_reference_matches_the_code():
    spec = importlib.util.spec_from_file_location("make_plugin_reference",
                                                  ROOT / "docs" / "make_plugin_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render()
    actual = (ROOT / "docs" / "PLUGIN_REFERENCE.md").read_text(encoding="utf-8")
    assert actual == expected, "run: python docs/make_plugin_reference.py"
    for name in ("ExportRequest", "CaseState", "Config", "Catalogue", "Signal", "Category",
                 "AgeGroup", "ExportFormat"):
        assert f"## `{name}`" in actual
    assert "`journal_ref`" in actual and "`records_by_seq`" in actual
