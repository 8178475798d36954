"""Snapshots of the main screens at 80x24 and 120x40, with a fixed clock and demo data.

Update with: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from .conftest import FIXED_TODAY, make_app, make_service

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def demo_app(db_path):
    from meldcode_tui.demo import create_demo

    svc = make_service(db_path)
    create_demo(svc, today=FIXED_TODAY)
    yield make_app(svc)
    svc.store.close()


def _case_in_step(app, step: int) -> str:
    rows = sorted(app.svc.list_cases(), key=lambda r: r["case_id"])
    for row in rows:
        if int(row["step"]) == step and row["status"] != "gesloten":
            return row["case_id"]
    return rows[0]["case_id"]


def _open(step: int, *keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_case(_case_in_step(pilot.app, step))
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_case_screen(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_open(3))


@pytest.mark.parametrize("size", SIZES)
def test_signal_picker(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_open(1, "s", "b", "l", "a", "u", "w"))


@pytest.mark.parametrize("size", SIZES)
def test_afwegingskader(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_open(4, "w"))


def _acute_from_dashboard():
    """'!' on the dashboard opens the acute melding form of the selected case."""
    async def run_before(pilot) -> None:
        from meldcode_tui.ui.forms import FormScreen

        await pilot.pause()
        await pilot.press("exclamation_mark")
        for _ in range(50):                 # the form opens after the case screen's first refresh
            await pilot.pause()
            if isinstance(pilot.app.screen, FormScreen):
                break
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_acute_form(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_acute_from_dashboard())


# --------------------------------------------------------------------------- keys and layout
def _correction_form():
    """K on the case's first signal in the chronology: the record as it was entered."""
    async def run_before(pilot) -> None:
        from textual.widgets import DataTable

        await pilot.pause()
        case_id = _case_in_step(pilot.app, 3)
        pilot.app.open_case(case_id)
        await pilot.pause()
        seq = next(e.seq for e in pilot.app.svc.journal(case_id) if e.kind == "signal_recorded")
        table = pilot.app.screen.query_one("#chronology", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(str(seq)))
        await pilot.press("k")
        await pilot.pause()
        await pilot.pause()

    return run_before


def _messages_screen():
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.messages.append(("16-03-2026 10:00", "plugin meldcode-voorbeeld",
                                   "Catalogus 'extra.toml' overgeslagen: regel 3 is geen geldige TOML."))
        pilot.app.messages.append(("16-03-2026 10:00", "catalogus", "Signaal 'x-1' staat twee keer in "
                                   "de catalogus; de tweede is overgeslagen."))
        await pilot.press("f9")
        await pilot.pause()

    return run_before


SCREENS_14 = {
    "correction_form": _correction_form,
    "care_team_form": lambda: _open(2, "z"),
    "keys_f1": lambda: _open(3, "f1"),
    "messages": _messages_screen,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS_14))
def test_forms_and_lists(snap_compare, demo_app, size, screen):
    assert snap_compare(demo_app, terminal_size=size, run_before=SCREENS_14[screen]())


@pytest.fixture
def mono_app(db_path, monkeypatch):
    """The demo app started with NO_COLOR set (the app takes its grey theme)."""
    from meldcode_tui.demo import create_demo

    monkeypatch.setenv("NO_COLOR", "1")
    svc = make_service(db_path)
    create_demo(svc, today=FIXED_TODAY)
    app = make_app(svc)
    assert app.no_color
    yield app
    svc.store.close()


NO_COLOR_SCREENS = {"dashboard": lambda: None, "case_screen": lambda: _open(3), **SCREENS_14}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(NO_COLOR_SCREENS))
def test_no_color(snap_compare, mono_app, size, screen):
    assert snap_compare(mono_app, terminal_size=size, run_before=NO_COLOR_SCREENS[screen]())
