"""The core stays free of Textual and cheap to import (Harlequin's idea).

Each check runs in a fresh interpreter, so modules imported by other tests don't hide a leak.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE_MODULES = [
    "meldcode_tui",
    "meldcode_tui.i18n",
    "meldcode_tui.errors",
    "meldcode_tui.config",
    "meldcode_tui.domain.case",
    "meldcode_tui.domain.rules",
    "meldcode_tui.domain.guide",
    "meldcode_tui.store",
    "meldcode_tui.service",
    "meldcode_tui.plugins",
    "meldcode_tui.plugins.manager",
    "meldcode_tui.exports",
    "meldcode_tui.retention",
    "meldcode_tui.cli",
]


def _modules_after_import(module: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    loaded = _modules_after_import(module)
    leaked = sorted(m for m in loaded if m == "textual" or m.startswith("textual."))
    assert not leaked, f"{module} pulls in Textual: {leaked[:5]}"


def test_cli_help_does_not_load_store_plugins_or_ui():
    """`meldcode --help` and scripting calls start fast: nothing heavy at import time."""
    loaded = _modules_after_import("meldcode_tui.cli")
    for heavy in ("sqlite_utils", "pluggy", "textual", "rapidfuzz", "meldcode_tui.ui"):
        assert heavy not in loaded, f"importing the CLI loads {heavy}"
