"""Keys that respect editing: no screen takes a key a text field uses for editing,
F7/F8 select and empty a field everywhere, and the moved keys do what their hint says.

The static walk covers every screen class in ``meldcode_tui.ui``; the pilot tests press the
keys in the real forms, so a binding that shadows a field shows up as a moved cursor."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import string

from textual.binding import Binding
from textual.widgets import Input, TextArea

import meldcode_tui.ui as ui_pkg
from meldcode_tui.ui.forms import FormScreen
from meldcode_tui.ui.signals import SignalPicker

from .conftest import make_app
from .helpers import open_form, type_text


def _keys(widget_cls) -> set[str]:
    out: set[str] = set()
    for b in widget_cls.BINDINGS:
        key = b.key if isinstance(b, Binding) else b[0]
        out.update(k.strip() for k in key.split(","))
    return out


# What a focused text field does itself, plus the emacs movement keys people type by habit.
EDITING_KEYS = (_keys(Input) | _keys(TextArea)
                | {"ctrl+a", "ctrl+e", "ctrl+k", "ctrl+u", "ctrl+w", "ctrl+b", "ctrl+f", "tab",
                   "shift+tab", "space"}
                | set(string.ascii_letters) | set(string.digits))


def _screen_classes():
    for info in pkgutil.iter_modules(ui_pkg.__path__):
        module = importlib.import_module(f"meldcode_tui.ui.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                yield module, cls


def _has_text_field(module, cls) -> bool:
    source = inspect.getsource(cls)
    return any(w in source for w in ("Input(", "TextArea(", "FormScreen", "DraftMixin"))


def test_no_priority_binding_takes_an_editing_key_on_a_screen_with_text_fields():
    offenders = []
    for module, cls in _screen_classes():
        for b in cls.__dict__["BINDINGS"]:
            if not isinstance(b, Binding) or not b.priority:
                continue
            taken = {k.strip() for k in b.key.split(",")} & EDITING_KEYS
            if taken and (_has_text_field(module, cls) or cls.__name__ == "MeldcodeApp"):
                offenders.append(f"{cls.__name__}: {sorted(taken)} -> {b.action}")
    assert not offenders, offenders


def test_every_binding_has_a_dutch_description_and_an_id():
    for _module, cls in _screen_classes():
        for b in cls.__dict__["BINDINGS"]:
            if isinstance(b, Binding) and b.show:
                assert b.description, (cls.__name__, b.key)
                assert b.id, (cls.__name__, b.key)


def _case(svc) -> str:
    return svc.create_case("Lotte Peters (fictief)", "2016-02-03", "5b", "").case_id


async def test_ctrl_a_and_ctrl_e_edit_the_field_in_a_form(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        form = await open_form(pilot, app, case_id, "c")
        assert isinstance(form, FormScreen)
        field = form.widget_for("with_whom")
        field.focus()
        await type_text(pilot, "IB")
        await pilot.press("ctrl+a")             # line start, not an app action
        await type_text(pilot, "de ")
        await pilot.press("ctrl+e")             # end of line, not the exception form
        await type_text(pilot, " (fictief)")
        await pilot.pause()
        assert app.screen is form
        assert field.value == "de IB (fictief)"
        await pilot.press("f7")                 # select all, then typing replaces it
        await type_text(pilot, "Anne")
        assert field.value == "Anne"
        await pilot.press("f8")                 # empty the field
        assert field.value == ""
        area = form.widget_for("question")
        area.focus()
        await type_text(pilot, "Twee regels")
        await pilot.press("f8")
        assert area.text == ""


async def test_signal_picker_keys_leave_the_search_field_alone(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        picker = await open_form(pilot, app, case_id, "s")
        assert isinstance(picker, SignalPicker)
        search = picker.query_one("#signal-search", Input)
        assert app.focused is search
        await type_text(pilot, "plekken")
        before = picker.only_age_group
        await pilot.press("ctrl+a")
        assert picker.only_age_group == before       # ctrl+a is line start here
        assert search.cursor_position == 0
        await pilot.press("f4")                      # F4: age group / all
        assert picker.only_age_group != before
        picker.query_one("#signal-free", Input).focus()
        await pilot.press("f5")                      # F5: back to the search
        assert app.focused is search


def test_weighing_moves_between_questions_on_f_keys_not_ctrl_b():
    from meldcode_tui.ui.weighing import WeighingWizard

    keys = [k for b in WeighingWizard.BINDINGS if isinstance(b, Binding) for k in b.key.split(",")]
    assert "f4" in keys and "f5" in keys and "ctrl+b" not in keys   # pilot test: test_walkthrough


async def test_type_ahead_picks_in_a_closed_select(svc):
    """First letters pick an option without opening the list; the same letter again
    goes to the next option starting with it; the open list speaks Dutch."""
    from textual.widgets import Footer

    from meldcode_tui.ui.widgets import PickSelect

    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        form = await open_form(pilot, app, case_id, "c")
        kind = form.widget_for("kind")
        assert isinstance(kind, PickSelect) and kind.value == "colleague"
        kind.focus()
        await pilot.press("v")                       # Veilig Thuis (advies, anoniem)
        assert kind.value == "veilig_thuis_advice"
        await pilot.press("v")                       # again: Vertrouwensarts
        assert kind.value == "vertrouwensarts"
        await pilot.pause(1.2)
        await pilot.press("z")
        assert kind.value == "zorgteam"
        assert not kind.expanded
        await pilot.press("enter")                   # Enter still opens the list
        await pilot.pause()
        assert kind.expanded
        footer_keys = " ".join(str(b.binding.description) for b in app.screen.active_bindings.values()
                               if b.binding.show)
        assert "Dismiss" not in footer_keys
        assert "Lijst sluiten" in footer_keys
        await pilot.press("escape")
        await pilot.pause()
        assert not kind.expanded and app.screen is form
        assert form.query(Footer)


async def test_the_footer_fits_80_columns_with_a_key_bound_twice(svc):
    """A binding on two keys ('t,escape') is one footer item: at 80 columns the leave dialog
    shows all three of its answers."""
    from meldcode_tui.ui.dialogs import LeaveFormScreen

    _case(svc)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(LeaveFormScreen())
        await pilot.pause()
        await pilot.pause()
        shown = {b.binding.id for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"leave.keep", "leave.discard", "leave.back"} <= shown, shown
