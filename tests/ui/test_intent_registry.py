"""The case screen's intents by area: every key, menu entry and other-route exception names a
registered form; each area registers its own; no screen reaches into the form machinery's
private names (the body map once imported ``intents._form`` inside a method to hide a circle)."""

from __future__ import annotations

import ast
import pathlib

import pytest

from meldcode_tui.ui import intents
from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.family import CHOICES as FAMILY_CHOICES
from meldcode_tui.ui.intent_form import STAFF_ROUTE_INTENTS
from meldcode_tui.ui.privacy_menu import CHOICES as PRIVACY_CHOICES

UI = pathlib.Path(intents.__file__).parent.parent
AREAS = ("case_file", "signals", "consultation", "conversations", "weighing", "help", "reporting",
         "staff_route", "family", "transfer", "privacy")


def test_every_case_key_opens_a_registered_intent():
    named = {b.id.removeprefix("case.") for b in CaseScreen.BINDINGS
             if b.id and b.action.startswith("intent(")}
    assert named and not named - set(intents.HANDLERS)


def test_menus_and_the_other_route_name_registered_intents():
    for name, _label in FAMILY_CHOICES + PRIVACY_CHOICES:
        assert name in intents.HANDLERS, name
    assert not STAFF_ROUTE_INTENTS - set(intents.HANDLERS)


def test_each_area_registers_its_own_builders():
    by_module = {}
    for name, handler in intents.HANDLERS.items():
        by_module.setdefault(handler.__module__.rsplit(".", 1)[-1], []).append(name)
    assert set(by_module) == set(AREAS)
    assert by_module["privacy"] and "erase_on_request" in by_module["privacy"]
    assert "correct_record" in by_module["case_file"] and "body_map" in by_module["signals"]


def test_an_intent_registered_twice_is_refused():
    with pytest.raises(ValueError):
        intents.register("record_signal")(lambda screen: None)
    assert intents.HANDLERS["record_signal"].__name__ == "record_signal"


def _ui_modules():
    return sorted(p for p in UI.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _ui_modules(), ids=lambda p: str(p.relative_to(UI)))
def test_no_ui_module_imports_a_private_name_of_another(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            private = [a.name for a in node.names if a.name.startswith("_") and a.name != "_"]
            assert not private, f"{path.name} imports {private} from {node.module}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert not (node.value.id in ("intents", "intent_form") and node.attr.startswith("_")), path.name


def test_the_body_map_uses_the_public_form_machinery_at_module_level():
    tree = ast.parse((UI / "body_map.py").read_text())
    top = {a.name for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "intent_form"
           for a in n.names}
    assert "open_form" in top
    nested = [n for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
              for n in ast.walk(f) if isinstance(n, ast.ImportFrom) and "intent" in (n.module or "")]
    assert not nested
