"""Small helpers to drive forms in Pilot tests."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Select, SelectionList, Static, TextArea


def form_error(app) -> str:
    return str(app.screen.query_one("#form-error", Static).render())


def fill(app, **values) -> None:
    """Set form fields on the current FormScreen by field name (dots allowed as keyword '__')."""
    screen = app.screen
    for name, value in values.items():
        name = name.replace("__", ".")
        w = screen.widget_for(name)
        if isinstance(w, TextArea):
            w.text = value
        elif isinstance(w, SelectionList):
            w.deselect_all()
            for v in value:
                w.select(v)
        elif isinstance(w, (Input, Checkbox, Select)):
            w.value = value
        else:  # pragma: no cover
            raise TypeError(type(w))


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


def journal_kinds(svc, case_id: str) -> list[str]:
    return [e.kind for e in svc.journal(case_id)]


async def open_case_screen(pilot, app, case_id: str) -> None:
    """Let the app settle, open ``case_id`` as a coordinator would, and wait for its screen."""
    from meldcode_tui.ui.case import CaseScreen

    await pilot.pause()
    app.open_case(case_id)
    await pilot.pause()
    assert isinstance(app.screen, CaseScreen), app.screen


async def open_form(pilot, app, case_id: str, key: str):
    """Open ``case_id``'s screen, press the key of one of its forms and return that screen."""
    await open_case_screen(pilot, app, case_id)
    await pilot.press(key)
    await pilot.pause()
    return app.screen
