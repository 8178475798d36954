"""The body map (poptekening) driven by keys only, at 80×24 and 120×40; the marks it records
are events of the signal, and the melding lists them by region."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from meldcode_tui.ui.body_map import BodyMapScreen
from meldcode_tui.ui.forms import FormScreen

from .conftest import make_app
from .helpers import fill, form_error, open_case_screen


@pytest.fixture
def case_with_signal(svc):
    case_id = svc.create_case("Noor Jansen (fictief)", "2015-05-17", "6a", "1001").case_id
    seq = svc.record_signal(case_id, description="Blauwe plekken op de bovenarm, in de gymles gezien.",
                            observed_on="2026-03-02", observed_by="Meester Daan (fictief)", source="own",
                            injury=True).signals[-1].seq
    return case_id, seq


async def _open_map(pilot, app, case_id, seq):
    await open_case_screen(pilot, app, case_id)
    table = app.screen.query_one("#chronology", DataTable)
    table.focus()
    for row in range(table.row_count):
        table.move_cursor(row=row)
        if app.screen.selected_seq() == seq:
            break
    await pilot.press("P")
    await pilot.pause()
    assert isinstance(app.screen, BodyMapScreen)


async def test_marks_by_keys_only(svc, case_with_signal):
    case_id, seq = case_with_signal
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_map(pilot, app, case_id, seq)
        assert app.screen.selected == "chest"
        await pilot.press("right")                     # the pupil's left arm
        assert app.screen.selected == "arm_left"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app, what="bruise", size="3 cm", colour="blauwgroen", observed_by="Meester Daan (fictief)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BodyMapScreen), form_error(app) if isinstance(app.screen, FormScreen) else ""
        await pilot.press("tab", "i")                  # the back, then the letter of 'billen'
        assert (app.screen.view, app.screen.selected) == ("back", "buttocks")
        await pilot.press("up")
        assert app.screen.selected == "lower_back"
        await pilot.press("tab")
        await pilot.click("#bodymap-figure", offset=(2 * 14 + 3, 1))   # the mouse, where the terminal sends it
        assert app.screen.selected == "face"
    marks = svc.get_state(case_id).body_marks
    assert [(m.payload["signal_seq"], m.payload["region"], m.payload["what"]) for m in marks] == \
        [(seq, "arm_left", "bruise")]

    from meldcode_tui.exports import export_case

    text = export_case(svc, case_id, "melding").data.decode()
    assert "Poptekening" in text and "arm links (voorkant): blauwe plek, 3 cm, blauwgroen" in text


async def test_a_mark_needs_a_signal(svc, case_with_signal):
    case_id, _seq = case_with_signal
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, case_id)
        table = app.screen.query_one("#chronology", DataTable)
        table.focus()
        table.move_cursor(row=0)
        if app.screen.selected_seq() != 1:
            table.move_cursor(row=table.row_count - 1)
        await pilot.press("P")
        await pilot.pause()
        assert not isinstance(app.screen, BodyMapScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot(snap_compare, svc, case_with_signal, size):
    case_id, seq = case_with_signal
    svc.record(case_id, "body_mark_recorded", {"signal_seq": seq, "region": "arm_left", "what": "bruise",
                                               "size": "3 cm", "colour": "blauw", "observed_on": "2026-03-02",
                                               "observed_by": "Meester Daan (fictief)"})

    async def run_before(pilot):
        await _open_map(pilot, pilot.app, case_id, seq)
        await pilot.press("right")
        await pilot.pause()

    assert snap_compare(make_app(svc), terminal_size=size, run_before=run_before)
