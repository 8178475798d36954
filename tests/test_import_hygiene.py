"""The core stays free of Textual and cheap to import (Harlequin's idea).

Each check runs in a fresh interpreter, so modules imported by other tests don't hide a leak.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


# Layers, top to bottom, read from docs/ARCHITECTURE.md's table: the page and this test cannot
# drift apart, because the page is what the test checks.
ARCHITECTURE = Path(__file__).resolve().parent.parent / "docs" / "ARCHITECTURE.md"


def _layers_from_architecture() -> dict[str, int]:
    import re

    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("<!-- layers:begin -->", 1)[1].split("<!-- layers:end -->", 1)[0]
    layers: dict[str, int] = {}
    for row in table.splitlines():
        m = re.match(r"\|\s*(\d+)\s*\|([^|]*)\|", row)
        if m:
            for name in re.findall(r"`([a-z0-9_]+)`", m.group(2)):
                layers[name] = int(m.group(1))
    return layers


LAYERS = _layers_from_architecture()


def _layer(module: str) -> tuple[str, int] | None:
    parts = module.split(".")
    if parts[0] != "meldcode_tui" or len(parts) < 2:
        return None
    name = parts[1]
    return (name, LAYERS[name]) if name in LAYERS else None


def _imports(path, module: str) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
    return found


def test_architecture_table_names_every_top_level_module():
    """A new top-level module or package must be given its layer in docs/ARCHITECTURE.md."""
    root = Path(__file__).resolve().parent.parent / "meldcode_tui"
    assert LAYERS["ui"] > LAYERS["store"] > LAYERS["domain"], "the layer table was not read"
    names = {p.stem for p in root.glob("*.py") if p.stem not in ("__init__", "__main__")}
    names |= {p.name for p in root.iterdir() if (p / "__init__.py").exists()}
    names -= {"locale", "catalogues", "pupil_exports"}          # data, not code
    missing = sorted(names - set(LAYERS))
    assert not missing, "modules without a layer in docs/ARCHITECTURE.md: " + ", ".join(missing)


def test_the_store_takes_only_the_event_record_from_the_domain():
    """The layer table lets the store import the domain; it may take the ``Event`` record
    (``domain.case``) and nothing else of the protocol."""
    import ast

    root = Path(__file__).resolve().parent.parent / "meldcode_tui"
    taken = []
    for path in sorted((root / "store").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and "domain" in node.module.split("."):
                taken += [(node.module.split(".")[-1], a.name) for a in node.names]
            elif isinstance(node, ast.Import):
                taken += [(a.name, "*") for a in node.names if ".domain" in a.name]
    assert taken and set(taken) == {("case", "Event")}, taken


def test_imports_point_down_only():
    root = Path(__file__).resolve().parent.parent / "meldcode_tui"
    upward = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        own = _layer(module)
        if own is None:
            continue
        for target in _imports(path, module):
            other = _layer(target)
            if other is not None and other[1] > own[1]:
                upward.append(f"{module} imports {target}")
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)


def test_store_backup_does_not_import_core():
    """Inside the store imports point one way: core -> backup -> db/journal."""
    import ast
    from pathlib import Path

    import meldcode_tui.store as store_pkg

    src = Path(store_pkg.__file__).parent / "backup.py"
    names = set()
    for node in ast.walk(ast.parse(src.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    assert "core" not in names and not any(n.endswith(".core") for n in names), names


def test_no_screen_imports_the_app_module():
    """The app imports the screens; a screen that imported ``ui.app`` back would close a circle.
    Shared dialogs and helpers live in ``ui/dialogs.py``."""
    from pathlib import Path

    ui = Path(__file__).resolve().parent.parent / "meldcode_tui" / "ui"
    back = []
    for path in sorted(ui.glob("*.py")):
        if path.name in ("app.py", "__init__.py"):
            continue
        module = "meldcode_tui.ui." + path.stem
        if "meldcode_tui.ui.app" in _imports(path, module):
            back.append(path.name)
    assert not back, "screens importing ui.app: " + ", ".join(back)


# One door for every write (docs/ARCHITECTURE.md, "Service"): the unit of work opens every write
# transaction; the store's own package (its migrations, backups, compaction) is the only other
# place that may. The store's connection is the store's alone.
WRITE_DOOR = "meldcode_tui/service_layer/unit_of_work.py"


def _write_calls_and_conn_uses(path):
    """(line, what) of each ``<x>.write(`` on a store or with ``guarded=``, and each ``._conn``."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "write":
            target = node.func.value
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if "store" in name.lower() or any(k.arg == "guarded" for k in node.keywords):
                found.append((node.lineno, "store.write("))
        elif isinstance(node, ast.Attribute) and node.attr == "_conn":
            found.append((node.lineno, "._conn"))
    return found


def test_every_write_goes_through_the_unit_of_work():
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    offending = []
    for path in sorted((repo / "meldcode_tui").rglob("*.py")):
        rel = path.relative_to(repo).as_posix()
        if rel.startswith("meldcode_tui/store/"):
            continue
        for line, what in _write_calls_and_conn_uses(path):
            if what == "store.write(" and rel == WRITE_DOOR:
                continue
            offending.append(f"{rel}:{line}: {what}")
    assert not offending, ("writes outside the unit of work (use service_layer.unit_of_work), or the "
                           "store's connection outside the store:\n" + "\n".join(offending))


def test_the_write_door_check_sees_a_write(tmp_path):
    """The check above would notice a new hand-written write path."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f(svc, tx):\n    with svc.store.write() as t:\n        t._conn.execute('x')\n"
                      "    with self.store.write(guarded=False):\n        pass\n", encoding="utf-8")
    assert sorted(_write_calls_and_conn_uses(sample)) == [(2, "store.write("), (3, "._conn"),
                                                          (4, "store.write(")]
