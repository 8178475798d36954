"""The zorgteam form as a list of people with a role each: the role starts on what step 2
still needs, names come from the school's user list, Delete and Enter in the list, nothing typed
lost (a name left in the add row counts; the list is part of the draft)."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from meldcode_tui.admin import UserAdmin
from meldcode_tui.errors import AccessDenied
from meldcode_tui.service import CaseService
from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.dialogs import LeaveFormScreen
from meldcode_tui.ui.team_field import TeamField, TeamList

from .conftest import make_app
from .helpers import form_error, open_form, type_text

SIZE = (100, 36)
FOUR = ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")


def _case(svc) -> str:
    case_id = svc.create_case("Lotte Peters (fictief)", "2016-02-03", "5b", "").case_id
    svc.record_signal(case_id, description="Komt vaak te laat en hongerig.", observed_on="2026-03-01",
                      observed_by="juf (fictief)", source="own", source_name="", contradicting=False,
                      catalogue=None)
    svc.complete_step(case_id, 1)
    return case_id


def _team(app) -> TeamField:
    return app.screen.query_one(TeamField)


def _need(app) -> str:
    return str(app.screen.query_one("#team-need", Static).render())


async def test_four_names_and_four_enters_make_the_team_step_2_asks_for(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, app, case_id, "z")
        assert app.screen.focused is _team(app).name_input       # straight into typing
        assert "leerkracht" in _need(app) and "schoolleider" in _need(app)
        for name in ("Juf Anna (fictief)", "Piet (fictief)", "Fatima (fictief)"):
            await type_text(pilot, name)
            await pilot.press("enter")
        assert _need(app).endswith("Nog nodig voor stap 2: schoolleider")
        await type_text(pilot, "Directeur Bos (fictief)")
        await pilot.press("enter")
        assert "Alle rollen" in _need(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    members = svc.get_state(case_id).care_team
    assert [(m["role"], m["name"]) for m in members] == [
        ("leerkracht", "Juf Anna (fictief)"), ("interne_vertrouwenspersoon", "Piet (fictief)"),
        ("ondersteuningscoach", "Fatima (fictief)"), ("schoolleider", "Directeur Bos (fictief)")]


async def test_a_name_left_in_the_add_row_is_saved_not_dropped(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, app, case_id, "z")
        await type_text(pilot, "Juf Anna (fictief)")
        await pilot.press("ctrl+s")                    # no Enter first
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    assert [m["name"] for m in svc.get_state(case_id).care_team] == ["Juf Anna (fictief)"]


async def test_an_empty_team_is_refused_in_the_form(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, app, case_id, "z")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Zorgteam" in form_error(app)
        assert app.screen.focused is _team(app).name_input


async def test_delete_and_enter_in_the_list_remove_and_change_a_person(svc):
    case_id = _case(svc)
    svc.set_care_team(case_id, [{"role": r, "name": f"{r} (fictief)", "user": ""} for r in FOUR])
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, app, case_id, "z")
        team = _team(app)
        assert len(team.members) == 4 and "Alle rollen" in _need(app)   # the team as it stands
        listing = app.screen.query_one(TeamList)
        listing.focus()
        listing.highlighted = 1
        await pilot.press("delete")
        assert [m["role"] for m in team.members] == ["leerkracht", "ondersteuningscoach", "schoolleider"]
        assert "interne vertrouwenspersoon" in _need(app)
        assert team.role_select.value == "interne_vertrouwenspersoon"   # the next one needed
        listing.focus()
        listing.highlighted = 0
        await pilot.press("enter")                       # back into the add row to change
        assert team.name_input.value == "leerkracht (fictief)"
        assert team.role_select.value == "leerkracht"
        assert app.screen.focused is team.name_input
        await pilot.press("f8")                          # clear the field, type the new name
        await type_text(pilot, "Meester Joris (fictief)")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    names = {m["role"]: m["name"] for m in svc.get_state(case_id).care_team}
    assert names == {"leerkracht": "Meester Joris (fictief)", "ondersteuningscoach": "ondersteuningscoach (fictief)",
                     "schoolleider": "schoolleider (fictief)"}


async def test_a_colleague_from_the_user_list_brings_her_user_name(svc):
    UserAdmin(svc.store, actor="beheerder").add_user("anna", "Juf Anna (fictief)", "member")
    UserAdmin(svc.store, actor="beheerder").add_user("bos", "Directeur Bos (fictief)", "member")
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, app, case_id, "z")
        team = _team(app)
        await type_text(pilot, "juf a")                  # the suggestion completes it: →
        await pilot.pause()
        await pilot.press("right")
        assert team.name_input.value == "Juf Anna (fictief)"
        assert team.user_input.value == "anna"
        await pilot.press("enter")
        await type_text(pilot, "bos")                    # by user name: the name is shown
        await pilot.press("enter")
        await type_text(pilot, "Fatima (fictief)")       # not a user: no user name
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    assert [(m["name"], m["user"]) for m in svc.get_state(case_id).care_team] == [
        ("Juf Anna (fictief)", "anna"), ("Directeur Bos (fictief)", "bos"), ("Fatima (fictief)", "")]


async def test_esc_keeps_the_list_as_a_draft_and_reopening_puts_it_back(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, app, case_id, "z")
        for name in ("Juf Anna (fictief)", "Piet (fictief)"):
            await type_text(pilot, name)
            await pilot.press("enter")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveFormScreen)   # changed: Esc asks
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("z")
        await pilot.pause()
        assert [m["name"] for m in _team(app).members] == ["Juf Anna (fictief)", "Piet (fictief)"]
        assert _team(app).role_select.value == "ondersteuningscoach"
    assert svc.get_state(case_id).care_team == []


async def test_hostile_names_are_refused_or_shown_neutralised(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, app, case_id, "z")
        team = _team(app)
        team.draft_value = [{"role": "leerkracht", "name": "Juf\x1b[2J\u202eAnna", "user": ""}]
        await pilot.pause()
        shown = str(app.screen.query_one(TeamList).get_option_at_index(0).prompt)
        assert "\x1b" not in shown and "\u202e" not in shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CaseScreen)    # the record refuses control characters
    assert svc.get_state(case_id).care_team == []


def test_the_user_list_is_for_who_composes_a_zorgteam_only(tmp_path):
    from meldcode_tui.store import open_store

    db = tmp_path / "school.sqlite"
    store = open_store(db, create=True)
    admin = UserAdmin(store, actor="beheerder")
    admin.add_user("anouk", "Anouk (fictief)", "coordinator")
    admin.add_user("dirk", "Meester Dirk (fictief)", "teacher")
    admin.add_user("otto", "Otto (fictief)", "auditor")
    admin.add_user("weg", "Weg (fictief)", "member")
    admin.disable("weg", reason="Vertrokken van school")
    coordinator = CaseService(store, actor="anouk", role="coordinator")
    assert {d["user"] for d in coordinator.staff_directory()} == {"anouk", "dirk"}   # no auditor, no disabled
    for role, actor in (("teacher", "dirk"), ("auditor", "otto")):
        with pytest.raises(AccessDenied):
            CaseService(store, actor=actor, role=role).staff_directory()
    refused = [(e.actor, e.payload["action"]) for e in store.events(after_seq=0) if e.kind == "access_refused"]
    store.close()
    assert refused == [("dirk", "staff_directory"), ("otto", "staff_directory")]   # journalled
