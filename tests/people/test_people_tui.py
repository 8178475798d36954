"""The teacher's screen and the coordinators' inbox in the real TUI (run_test / Pilot)."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from meldcode_tui.admin import UserAdmin
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store
from meldcode_tui.ui.app import MeldcodeApp

TODAY = date(2026, 11, 23)


def _school(tmp_path):
    db = tmp_path / "school.sqlite"
    store = open_store(db, create=True)
    admin = UserAdmin(store, actor="beheerder")
    admin.add_user("anouk", "Anouk (fictief)", "coordinator")
    admin.add_user("dirk", "Meester Dirk (fictief)", "teacher")
    store.close()
    return db


def _app(db, name, role):
    svc = CaseService(open_store(db), actor=name, role=role)
    return svc, MeldcodeApp(svc, actor=name, today=TODAY, refresh_seconds=3600)


async def test_teacher_logs_a_concern_and_the_coordinator_takes_it_into_a_new_case(tmp_path):
    db = _school(tmp_path)
    coord = CaseService(open_store(db), actor="anouk", role="coordinator")
    coord.create_case("Sem Bakker (fictief)", "2014-01-01", "7b")   # a case she must not see
    coord.store.close()

    svc, app = _app(db, "dirk", "teacher")
    try:
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            assert type(app.screen).__name__ == "TeacherScreen"
            screen_text = str(app.screen.query_one("#teacher-title", Static).render())
            assert "mijn zorgmeldingen" in screen_text
            await pilot.press("n")
            await pilot.pause()
            form = app.screen
            form.query_one("#concern-pupil").value = "Lotte Peters (fictief)"
            form.query_one("#concern-group").value = "6a"
            form.query_one("#concern-description").value = "Komt zonder jas en eten (fictief)"
            # Dates as dd-mm-jjjj, like every other form; today is filled in.
            assert form.query_one("#concern-date").value == TODAY.strftime("%d-%m-%Y")
            form.query_one("#concern-date").value = "20-11-2026"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert type(app.screen).__name__ == "TeacherScreen"
            table = app.screen.query_one(DataTable)
            assert table.row_count == 1
            row = table.get_row_at(0)
            assert row[1] == "Lotte Peters (fictief)" and row[4] == "nieuw"
            assert "Sem" not in str([table.get_row_at(i) for i in range(table.row_count)])
    finally:
        svc.store.close()

    svc, app = _app(db, "anouk", "coordinator")
    try:
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            title = str(app.screen.query_one("#dash-title", Static).render())
            assert "zorgmeldingen: 1 nieuw" in title
            await pilot.press("i")
            await pilot.pause()
            assert type(app.screen).__name__ == "InboxScreen"
            assert "Komt zonder jas" in str(app.screen.query_one("#inbox-detail", Static).render())
            await pilot.press("n")
            await pilot.pause()
            # A form like every other: the date of birth as dd-mm-jjjj, Ctrl+S saves, and the
            # new case opens.
            form = app.screen
            assert form.query_one("#f-date_of_birth").placeholder == "dd-mm-jjjj"
            assert form.query_one("#f-group").value == "6a"
            form.query_one("#f-date_of_birth").value = "31-02-2015"          # no such day
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form and "dd-mm-jjjj" in str(form.query_one("#form-error").render())
            form.query_one("#f-date_of_birth").value = "01-04-2015"
            await pilot.press("ctrl+s")
            for _ in range(20):
                await pilot.pause()
                if type(app.screen).__name__ == "CaseScreen":
                    break
            assert type(app.screen).__name__ == "CaseScreen"
            opened = app.screen.case_id
            await pilot.press("escape")
            await pilot.pause()
            assert type(app.screen).__name__ == "DashboardScreen"
    finally:
        svc.store.close()

    t = CaseService(open_store(db), actor="dirk", role="teacher")
    assert [c["status"] for c in t.my_concerns()] == ["taken"]
    t.store.close()
    c = CaseService(open_store(db), actor="anouk", role="coordinator")
    cases = {r["pupil_name"]: r["case_id"] for r in c.list_cases()}
    assert cases["Lotte Peters (fictief)"] == opened
    assert c.get_state(opened).pupil.date_of_birth == "2015-04-01"
    signals = [e for e in c.journal(cases["Lotte Peters (fictief)"]) if e.kind == "signal_recorded"]
    assert [(e.payload["observed_by"], e.payload["observed_on"]) for e in signals] == [
        ("Meester Dirk (fictief)", "2026-11-20")]
    assert c.verify().ok
    c.store.close()


async def test_the_concern_form_keeps_the_typing_on_a_refusal(tmp_path):
    db = _school(tmp_path)
    svc, app = _app(db, "dirk", "teacher")
    try:
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            app.screen.query_one("#concern-pupil").value = "Lotte Peters (fictief)"
            await pilot.press("ctrl+s")          # no description
            await pilot.pause()
            assert type(app.screen).__name__ == "ConcernForm"
            assert "Beschrijf signaal 1" in str(app.screen.query_one("#concern-error", Static).render())
            assert app.screen.query_one("#concern-pupil").value == "Lotte Peters (fictief)"
    finally:
        svc.store.close()


async def test_auditor_sees_verification_and_metadata_but_no_content(tmp_path):
    db = _school(tmp_path)
    store = open_store(db)
    UserAdmin(store, actor="beheerder").add_user("eva", "Eva (fictief)", "auditor")
    store.close()
    coord = CaseService(open_store(db), actor="anouk", role="coordinator")
    case_id = coord.create_case("Lotte Peters (fictief)", "2015-04-01", "6a").case_id
    coord.open_case(case_id)
    coord.store.close()
    teacher = CaseService(open_store(db), actor="dirk", role="teacher")
    try:
        teacher.open_case(case_id)
    except Exception:  # noqa: BLE001 - refused, and journalled
        pass
    teacher.store.close()

    svc, app = _app(db, "eva", "auditor")
    try:
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            assert type(app.screen).__name__ == "AuditorScreen"
            assert "Journaal in orde" in str(app.screen.query_one("#auditor-verify", Static).render())
            table = app.screen.query_one(DataTable)
            rows = [table.get_row_at(i) for i in range(table.row_count)]
            assert ("anouk", "case_opened", case_id) in [(r[2], r[3], r[4]) for r in rows]
            assert "Lotte" not in str(rows)
            await pilot.press("a")
            await pilot.pause()
            rows = [table.get_row_at(i) for i in range(table.row_count)]
            assert [(r[2], r[3], r[4]) for r in rows] == [("anouk", "case_viewed", case_id),
                                                          ("dirk", "geweigerd: case_viewed", case_id)]
    finally:
        svc.store.close()
