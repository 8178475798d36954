"""Several coordinators on one database; store errors and unexpected errors never lose input."""

from __future__ import annotations

from meldcode_tui.errors import DatabaseLocked
from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.forms import FormScreen

from .conftest import make_app, make_service
from .helpers import fill, form_error, open_case_screen

SIZE = (100, 30)


def _case_with_signal(svc) -> str:
    case_id = svc.create_case("Sanne (fictief)", "2015-09-01", "6", "").case_id
    svc.record_signal(case_id, description="Blauwe plek.", observed_on="2026-03-10", observed_by="juf",
                      source="own", source_name="", contradicting=False, catalogue=None)
    return case_id


async def test_a_colleagues_change_refuses_reloads_and_explains(svc, db_path):
    case_id = _case_with_signal(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        case_screen = app.screen
        await pilot.press("v")
        await pilot.pause()
        fill(app, step=1, summary="Mijn samenvatting van stap 1.")
        # Meanwhile a colleague completes step 1 in another session.
        other = make_service(db_path, actor="collega")
        other.all_access = True
        other.complete_step(case_id, 1, "collega was eerder")
        other.store.close()
        await pilot.press("ctrl+s")
        await pilot.pause()
        from meldcode_tui.ui.dialogs import ConfirmScreen

        assert isinstance(app.screen, ConfirmScreen)          # what was added, save anyway?
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "al afgerond" in form_error(app)
        assert app.screen.widget_for("summary").text == "Mijn samenvatting van stap 1."
        assert 1 in case_screen.state.steps_completed          # the case screen reloaded underneath


async def test_database_locked_keeps_input_and_notifies(svc, monkeypatch):
    case_id = _case_with_signal(svc)
    app = make_app(svc)

    def locked(*args, **kwargs):
        raise DatabaseLocked("De database is bezet door een andere sessie.")

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("c")
        await pilot.pause()
        fill(app, with_whom="IB (fictief)", question="Mijn vraag die ik niet kwijt wil.")
        monkeypatch.setattr(svc, "record", locked)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "bezet" in form_error(app)
        assert app.screen.widget_for("question").text == "Mijn vraag die ik niet kwijt wil."
        assert any("bezet" in n.message for n in app._notifications)
        monkeypatch.undo()
        await pilot.press("ctrl+s")                       # try again: saved
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)


async def test_unexpected_error_shows_generic_dutch_message_without_content(svc, monkeypatch):
    case_id = _case_with_signal(svc)
    app = make_app(svc)

    def broken(*args, **kwargs):
        raise RuntimeError("Sanne de Vries geheime inhoud")

    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("c")
        await pilot.pause()
        fill(app, with_whom="IB (fictief)", question="Vraag")
        monkeypatch.setattr(svc, "record", broken)
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = form_error(app)
        assert "onverwachts" in error and "RuntimeError" in error
        assert "Sanne" not in error
