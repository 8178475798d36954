"""Revocation at once in the real TUI (run_test): a disabled user's open app ends within a few
seconds with one Dutch line."""

from __future__ import annotations

import asyncio

from meldcode_tui.admin import UserAdmin
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store
from meldcode_tui.ui.app import MeldcodeApp


async def test_open_session_ends_when_the_user_is_disabled(tmp_path, capfd):
    db = tmp_path / "school.sqlite"
    store = open_store(db, create=True)
    UserAdmin(store, actor="beheerder").add_user("bram", "Bram (fictief)", "member")
    store.close()
    svc = CaseService(open_store(db), actor="bram", role="member")
    app = MeldcodeApp(svc, actor="bram", refresh_seconds=3600)
    app.ACCESS_CHECK_SECONDS = 0.2
    try:
        async with app.run_test() as pilot:
            await pilot.pause(0.5)
            assert app.is_running
            other = open_store(db)     # the admin, on another connection
            UserAdmin(other, actor="beheerder").disable("bram", "Vertrokken (fictief)")
            other.close()
            for _ in range(40):
                await asyncio.sleep(0.1)
                if not app.is_running:
                    break
        assert app.return_code == 1
        # run_app prints it once the app has left the terminal (tests/ssh sees it over SSH)
        assert app.ended_with == "Uw toegang is ingetrokken."
    finally:
        svc.store.close()


async def test_unmanaged_session_has_no_access_timer(tmp_path):
    svc = CaseService(open_store(tmp_path / "s.sqlite", create=True), actor="anouk")
    app = MeldcodeApp(svc, actor="anouk", refresh_seconds=3600)
    try:
        async with app.run_test() as pilot:
            await pilot.pause(0.3)
            assert app.is_running
    finally:
        svc.store.close()


async def test_a_role_change_closes_the_open_case_screen_within_a_second(tmp_path, capfd):
    """carla (coordinator) has a case open; the admin makes her a teacher: her screen must not
    keep showing full records (or a colleague's new one). It closes like `disable` does."""
    import time

    from meldcode_tui.ui.case import CaseScreen

    from ..ui.helpers import open_case_screen

    db = tmp_path / "school.sqlite"
    store = open_store(db, create=True)
    UserAdmin(store, actor="beheerder").add_user("carla", "Carla (fictief)", "coordinator")
    store.close()
    svc = CaseService(open_store(db), actor="carla", role="coordinator")
    case_id = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a", "").case_id
    app = MeldcodeApp(svc, actor="carla", refresh_seconds=3600)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await open_case_screen(pilot, app, case_id)
            assert isinstance(app.screen, CaseScreen)
            other = open_store(db)     # the admin, on another connection
            UserAdmin(other, actor="beheerder").set_role("carla", "teacher")
            other.close()
            changed = time.monotonic()
            while isinstance(app.screen, CaseScreen) and time.monotonic() - changed < 5:
                await asyncio.sleep(0.05)
            took = time.monotonic() - changed
            # The case is gone at once: only the reason is on screen, then the app ends.
            from meldcode_tui.ui.dialogs import SessionEndedScreen

            assert isinstance(app.screen, SessionEndedScreen)
            assert "Sanne" not in str(app.screen.query_one("Static").render())
            while app.is_running and time.monotonic() - changed < 8:
                await asyncio.sleep(0.05)
        assert app.return_code == 1
        assert took < 1.5, took          # about a second (0.5 s check; a loaded machine)
        assert app.ended_with == "Uw rol is gewijzigd in leerkracht; start Meldcode opnieuw."
    finally:
        svc.store.close()
    store = open_store(db)
    try:
        closed = [e for e in store.events() if e.kind == "access_refused"
                  and e.payload["action"] == "session_closed"]
        assert [(e.actor, e.payload["role"]) for e in closed] == [("carla", "coordinator")]
    finally:
        store.close()
