"""Refusals and reason prompts show in place, in Dutch, and keep what was typed."""

from __future__ import annotations

from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.forms import FormScreen

from .conftest import make_app
from .helpers import fill, form_error, journal_kinds, open_case_screen

SIZE = (100, 36)


def _case(svc) -> str:
    state = svc.create_case("Noor Jansen (fictief)", "2015-09-01", "6", "")
    return state.case_id




async def test_skipping_a_step_is_refused_with_the_reason(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("v")
        await pilot.pause()
        fill(app, step=3, summary="Ik wil meteen naar het gesprek.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)            # still open
        error = form_error(app)
        assert "rond eerst stap 1 af" in error
        assert "\n→ " in error                                # the hint: what would make it possible
        assert app.screen.widget_for("summary").text == "Ik wil meteen naar het gesprek."
    assert "step_completed" not in journal_kinds(svc, case_id)


async def test_completing_step_one_without_signals_says_what_is_missing(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Leg minstens één signaal vast" in form_error(app)


async def test_exception_without_reason_is_refused_in_place(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("u")
        await pilot.pause()
        fill(app, exception="no_conversation_parents", ground="safety")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "Reden" in form_error(app)
        # Too short a reason: the rule says how long, the text stays.
        fill(app, reason="gevaar")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "20" in form_error(app)
        assert app.screen.widget_for("reason").text == "gevaar"
    assert "exception_recorded" not in journal_kinds(svc, case_id)


async def test_talking_to_the_pupil_without_informing_parents_asks_for_the_exception(svc):
    case_id = _case(svc)
    svc.record_signal(case_id, description="Blauwe plek op de arm.", observed_on="2026-03-10",
                      observed_by="juf (fictief)", source="own", source_name="", contradicting=False,
                      catalogue=None)
    svc.complete_step(case_id, 1, "klaar")
    svc.record_consultation(case_id, kind="colleague", with_whom="IB (fictief)", on="2026-03-11",
                            anonymous=False, question="Wat nu?", advice="Gesprek voeren.")
    svc.set_care_team(case_id, [{"role": r, "name": f"{r} (fictief)", "user": ""} for r in
                                ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")])
    svc.complete_step(case_id, 2, "klaar")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("g")
        await pilot.pause()
        conversation = app.screen
        fill(app, participants=["pupil"], elements=["purpose_explained", "facts_presented", "reaction_invited", "interpretation_after_reaction"],
             parents_informed_beforehand="no",
             summary="Leerling vertelt over thuis.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is conversation
        assert "uitzondering" in form_error(app)
        assert "F2:" in form_error(app)
        # F2 asks for the exception with its reason, right here.
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen is not conversation
        assert app.screen.widget_for("exception").value == "pupil_without_informing_parents"
        fill(app, ground="safety", reason="Vader is mogelijk pleger; ouders vooraf informeren is onveilig.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is conversation                      # back, input kept
        assert conversation.widget_for("summary").text == "Leerling vertelt over thuis."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    kinds = journal_kinds(svc, case_id)
    assert kinds.index("exception_recorded") < kinds.index("conversation_recorded")


async def test_bad_date_is_refused_locally(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("c")
        await pilot.pause()
        fill(app, on="31-02-2026", with_whom="IB (fictief)", question="Vraag")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "dd-mm-jjjj" in form_error(app)
        assert app.focused is app.screen.widget_for("on")


async def test_closing_asks_for_confirmation_and_can_be_cancelled(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("l")
        await pilot.pause()
        fill(app, grounds="other", reason="Leerling is verhuisd naar een andere school.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n")             # no: back in the form, nothing written
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "case_closed" not in journal_kinds(svc, case_id)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        assert "gesloten" in str(app.screen.query_one("#case-header").render())
