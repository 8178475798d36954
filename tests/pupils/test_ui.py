"""The TUI: from the dashboard to the new-case form filled from the pupil register in under 10
keys (snapshots 80x24 and 120x40), every field still editable; the leaving point confirmed by
one key on the case screen."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from meldcode_tui.service_layer import pupils as sp
from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.forms import FormScreen
from meldcode_tui.ui.pupils import PupilPicker

from ..ui.conftest import make_app, make_service
from ..ui.helpers import open_case_screen
from .conftest import sample

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
KEYS = ["n", "n", "o", "a", "h", "enter"]            # 6 keys: dashboard -> filled form


def _register(svc, name="parnassys_cp1252.csv"):
    return sp.load_register(svc, sample(name), sp.mappings()["parnassys"])


@pytest.fixture
def svc(db_path):
    service = make_service(db_path)
    _register(service)
    yield service
    service.store.close()


async def test_dashboard_to_a_filled_form_in_under_10_keys_and_everything_editable(svc):
    app = make_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(KEYS[0])
        await pilot.pause()
        assert isinstance(app.screen, PupilPicker)
        for key in KEYS[1:]:
            await pilot.press(key)
        await pilot.pause()
        assert len(KEYS) < 10
        form = app.screen
        assert isinstance(form, FormScreen) and form.id == "form-new-case"
        assert form.widget_for("pupil_name").value == "Noah Bakker (fictief)"
        assert form.widget_for("date_of_birth").value == "15-06-2014"
        assert form.widget_for("group").value == "Groep 7"
        assert form.widget_for("pupil_number").value == "1004"
        assert form.widget_for("gender").value == "male"
        assert form.widget_for("address").value == "Dijk 1, 1234 GH Dorpstad"
        assert form.widget_for("parents").text == "Petra Bakker (fictief), pleegmoeder, geen gezag, 06-55555555"
        # editable: change the group and save
        form.widget_for("group").value = "Groep 8"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        case_id = app.screen.case_id
    events = svc.journal(case_id)
    opened = events[0].payload
    assert opened["pupil"]["group"] == "Groep 8" and opened["pupil"]["gender"] == "male"
    assert opened["register"]["edited"] == ["group"] and opened["register"]["source"] == "ParnasSys"
    member = [e.payload for e in events if e.kind == "household_member_added"]
    assert member == [{**member[0], "name": "Petra Bakker (fictief)", "relation": "carer",
                       "relation_detail": "pleegmoeder", "gezag": "no", "phone": "06-55555555"}]


async def test_number_finds_the_pupil_and_f2_gives_the_blank_form(svc):
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#pupil-search", Input).value = "001002"
        await pilot.pause()
        assert [r["pupil_number"] for r in app.screen.rows] == ["1002"]
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.widget_for("pupil_name").value == ""


async def test_no_register_keeps_the_blank_form(db_path):
    svc = make_service(db_path)
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
    svc.store.close()


@pytest.mark.parametrize("size", SIZES)
def test_filled_form_snapshot(snap_compare, svc, size):
    async def run_before(pilot) -> None:
        await pilot.pause()
        for key in KEYS:
            await pilot.press(key)
        for _ in range(50):                 # the form opens once the picker has closed
            await pilot.pause()
            if isinstance(pilot.app.screen, FormScreen):
                break
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        # the form's own fitting runs after a refresh: start the picture at its top every time
        pilot.app.screen.query_one("#form-fields").scroll_home(animate=False)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False          # a blinking cursor is timing, not the form
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(svc), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_picker_snapshot(snap_compare, svc, size):
    async def run_before(pilot) -> None:
        await pilot.pause()
        for key in ["n", "d", "e"]:
            await pilot.press(key)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(svc), terminal_size=size, run_before=run_before)


async def test_leaving_point_confirmed_by_one_key(svc):
    case_id = sp.create_case_from_register(svc, "1004").case_id
    report = _register(svc, "parnassys_cp1252_second.csv")
    assert report.noticed == [case_id]
    app = make_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_case_screen(pilot, app, case_id)
        assert app.screen.points[0].code == "pupil_left_register"
        await pilot.press("space")                       # the one key
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert all(p.code != "pupil_left_register" for p in app.screen.points)
    assert svc.get_state(case_id).left_on == svc.today().isoformat()
