"""No decision on a stale screen: a form remembers the case's last event it was opened on; a
colleague's record in between is shown (who, what, when) before a decision is saved."""

from __future__ import annotations

import pytest

from meldcode_tui.ui.dialogs import ConfirmScreen
from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.forms import FormScreen

from .conftest import FIXED_TODAY, make_app, make_service
from .helpers import fill, form_error, journal_kinds, open_case_screen
from tests.scenarios import case_in_step

SIZE = (100, 30)
SIGNAL = dict(description="Blauwe plek.", observed_on="2026-03-10", observed_by="juf",
              source="own", source_name="", contradicting=False, catalogue=None)


def _colleague_adds_a_signal(db_path, case_id) -> None:
    other = make_service(db_path, actor="collega")
    other.all_access = True
    other.record_signal(case_id, **{**SIGNAL, "description": "Letsel aan de pols.", "injury": True})
    other.store.close()


def _case(svc, step2: bool = False) -> str:
    case_id = svc.create_case("Sanne (fictief)", "2015-09-01", "6", "").case_id
    svc.record_signal(case_id, **SIGNAL)
    return case_id


async def _prompted(pilot, app):
    await pilot.press("ctrl+s")
    await pilot.pause()
    return isinstance(app.screen, ConfirmScreen)


async def test_step_completion_asks_shows_what_was_added_and_keeps_the_input(svc, db_path):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        case_screen = app.screen
        await pilot.press("v")
        await pilot.pause()
        fill(app, step=1, summary="Mijn samenvatting van stap 1.")
        _colleague_adds_a_signal(db_path, case_id)
        assert await _prompted(pilot, app)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "collega" in question and "signaal" in question.lower()
        assert "Letsel" not in question                      # who/what/when, not the content
        await pilot.press("n")                               # back to the form
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.widget_for("summary").text == "Mijn samenvatting van stap 1."
        assert "vastgelegd" in form_error(app)
        assert "step_completed" not in journal_kinds(svc, case_id)
        assert len(case_screen.state.signals) == 2          # the case screen reloaded underneath
        assert await _prompted(pilot, app)                   # still stale: asks again
        await pilot.press("j")                               # save anyway, on the new state
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        assert "step_completed" in journal_kinds(svc, case_id)


@pytest.mark.parametrize("key,form_id,values", [
    ("b", "form-decision", dict(report_needed=True, help_possible=False, reason="Melden is nodig.")),
    ("m", "form-report", dict(on="16-03-2026", office="Veilig Thuis (fictief)", summary="Feiten.")),
    ("l", "form-close", dict(grounds="other", reason="Leerling is verhuisd.")),
])
async def test_every_decisive_form_asks_on_a_stale_case(svc, db_path, key, form_id, values):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        head = svc.store.checkpoint()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.id == form_id
        assert app.screen.decisive and app.screen.expect_seq is not None
        fill(app, **values)
        _colleague_adds_a_signal(db_path, case_id)
        await pilot.press("ctrl+s")
        await pilot.pause()
        if isinstance(app.screen, ConfirmScreen) and "vastgelegd" not in str(
                app.screen.query_one("#confirm-question").render()):
            await pilot.press("j")                          # the form's own "are you sure?"
            await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "vastgelegd" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        kinds = journal_kinds(svc, case_id)
        assert kinds.count("signal_recorded") == 2 and kinds[-1] in ("signal_recorded", "case_viewed")


async def test_the_zorgteam_form_asks_when_a_colleague_saved_a_team_meanwhile(svc, db_path):
    """A save replaces the whole team (and the team decides who sees the case): a colleague's
    team saved while this form was open is shown and asked about, never silently replaced."""
    from meldcode_tui.ui.team_field import TeamField

    case_id = _case(svc)
    svc.complete_step(case_id, 1)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.decisive
        await pilot.press(*"Juf Anna", "enter")
        other = make_service(db_path, actor="collega")
        other.all_access = True
        other.set_care_team(case_id, [{"role": "schoolleider", "name": "Directeur (fictief)"}])
        other.store.close()
        assert await _prompted(pilot, app)
        assert "Zorgteam" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")                              # back: the typed team is kept
        await pilot.pause()
        assert [m["name"] for m in app.screen.query_one(TeamField).members] == ["Juf Anna"]
        assert [m["name"] for m in svc.get_state(case_id).care_team] == ["Directeur (fictief)"]


async def test_a_plain_record_saves_straight_through_with_a_notice(svc, db_path):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("a")                              # agree a follow-up
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and not app.screen.decisive
        fill(app, description="Over twee weken navragen.", due_on="30-03-2026", who="juf")
        _colleague_adds_a_signal(db_path, case_id)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        assert journal_kinds(svc, case_id)[-1] == "follow_up_agreed"
        assert any("collega" in n.message for n in app._notifications)


async def test_weighing_wizard_asks_on_a_stale_case_and_keeps_the_answer(svc, db_path):
    """An afwegingskader answer is part of the decision: a colleague's signal (with an
    injury) since the wizard opened is shown and asked about; N keeps the typed reason."""
    from textual.widgets import OptionList, TextArea

    from meldcode_tui.ui.weighing import WeighingWizard


    case_id = case_in_step(svc, 5)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("w")
        await pilot.pause()
        wizard = app.screen
        assert isinstance(wizard, WeighingWizard) and wizard.question == 3
        ol = wizard.query_one("#weighing-answer", OptionList)
        ol.highlighted = [o.id for o in ol._options].index("yes")
        wizard.query_one("#weighing-reason", TextArea).text = "Hulp is mogelijk, besproken."
        _colleague_adds_a_signal(db_path, case_id)
        assert await _prompted(pilot, app)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "collega" in question and "Letsel" not in question
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is wizard
        assert wizard.query_one("#weighing-reason", TextArea).text == "Hulp is mogelijk, besproken."
        assert "vastgelegd" in str(wizard.query_one("#form-error").render())
        kinds = journal_kinds(svc, case_id)
        assert kinds.count("weighing_answered") == 2        # nothing saved on the stale screen
        assert await _prompted(pilot, app)                   # still stale: asks again
        await pilot.press("j")                               # save anyway, on the new state
        await pilot.pause()
        assert journal_kinds(svc, case_id).count("weighing_answered") == 3


async def test_signal_picker_saves_through_a_stale_case_with_a_notice(svc, db_path):
    """A signal is not a decision: it saves straight through, with a notice of who recorded
    what in between."""
    from textual.widgets import Input

    from meldcode_tui.ui.signals import SignalPicker

    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("s")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SignalPicker) and picker.expect_seq is not None
        picker.query_one("#signal-free", Input).value = "Vertelt over ruzie thuis."
        picker.query_one("#signal-observed-by", Input).value = "meester Tom"
        _colleague_adds_a_signal(db_path, case_id)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert journal_kinds(svc, case_id).count("signal_recorded") == 3
        notes = [n.message for n in app._notifications]
        assert any("Intussen vastgelegd door een collega" in m and "collega" in m for m in notes)


def _case_at_step_3(svc) -> str:
    case_id = _case(svc)
    svc.complete_step(case_id, 1, "klaar")
    svc.record_consultation(case_id, kind="colleague", with_whom="IB (fictief)", on="2026-03-11",
                            anonymous=False, question="Wat nu?", advice="Gesprek voeren.")
    svc.set_care_team(case_id, [{"role": r, "name": f"{r} (fictief)", "user": ""} for r in
                                ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")])
    svc.complete_step(case_id, 2, "klaar")
    return case_id


def _notices(app) -> list[str]:
    seen: list[str] = []
    real = app.notify

    def notify(message, *args, **kwargs):
        seen.append(str(message))
        return real(message, *args, **kwargs)

    app.notify = notify
    return seen


async def _exception_through_f2(pilot, app, form, reason: str) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert app.screen is form and "F2:" in form_error(app), form_error(app)
    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(app.screen, FormScreen) and app.screen is not form
    fill(app, ground="safety", reason=reason)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert app.screen is form, form_error(app)


async def test_own_exception_through_f2_does_not_make_a_decisive_form_stale(svc):
    """The textbook case: completing step 3 is refused for want of the conversations; F2 records
    each exception from inside the form; saving the form then does not ask "Sinds u dit
    formulier opende … Toch opslaan?" about the coordinator's own records."""
    case_id = _case_at_step_3(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("v")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen) and form.decisive
        fill(app, step=3, summary="Geen gesprekken: te gevaarlijk (fictief).")
        await _exception_through_f2(pilot, app, form, "Vader is mogelijk pleger; een gesprek is nu onveilig.")
        await _exception_through_f2(pilot, app, form, "Moeder vertelt het vader; een gesprek is nu onveilig.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), str(app.screen.query_one("#confirm-question").render())
        assert isinstance(app.screen, CaseScreen), form_error(app)
    kinds = journal_kinds(svc, case_id)
    assert kinds.count("exception_recorded") == 2 and "step_completed" in kinds


async def test_own_exception_through_f2_is_not_a_colleague_on_the_conversation_form(svc):
    """The conversation form saves with a notice when others recorded meanwhile; the exception
    the coordinator recorded herself through F2 is no "Intussen vastgelegd door een collega"."""
    case_id = _case_at_step_3(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        notices = _notices(app)
        await open_case_screen(pilot, app, case_id)
        await pilot.press("g")
        await pilot.pause()
        form = app.screen
        fill(app, participants=["pupil"], elements=["purpose_explained", "facts_presented", "reaction_invited",
                                                     "interpretation_after_reaction"],
             parents_informed_beforehand="no", summary="Leerling vertelt over thuis.")
        await _exception_through_f2(pilot, app, form, "Vader is mogelijk pleger; ouders vooraf informeren is onveilig.")
        assert "uitzondering" not in form_error(app)          # the old refusal no longer stands
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    assert not [n for n in notices if "collega" in n], notices
    assert "conversation_recorded" in journal_kinds(svc, case_id)


async def test_a_colleagues_record_still_asks_after_an_own_exception(svc, db_path):
    """The guard stays sharp for what it is for: a colleague's record in between still asks."""
    case_id = _case_at_step_3(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("v")
        await pilot.pause()
        form = app.screen
        fill(app, step=3, summary="Geen gesprekken: te gevaarlijk (fictief).")
        await _exception_through_f2(pilot, app, form, "Vader is mogelijk pleger; een gesprek is nu onveilig.")
        await _exception_through_f2(pilot, app, form, "Moeder vertelt het vader; een gesprek is nu onveilig.")
        _colleague_adds_a_signal(db_path, case_id)
        assert await _prompted(pilot, app)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "collega" in question and "Uitzondering" not in question
