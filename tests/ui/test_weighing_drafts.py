"""The afwegingskader's reasons are drafts like every form's: typed reasons, for every question
moved through with F4/F5, survive the app going away mid-typing and come back."""

from __future__ import annotations

from textual.widgets import TextArea

from meldcode_tui.ui.weighing import WeighingWizard

from .conftest import make_app
from .helpers import journal_kinds, open_form, type_text
from tests.scenarios import case_in_step

SIZE = (100, 36)


def _case(svc) -> str:
    return svc.create_case("Lotte Peters (fictief)", "2016-02-03", "5b", "").case_id



async def test_typed_reasons_survive_the_app_going_away_and_come_back(svc):
    case_id = case_in_step(svc, 4)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        wizard = await open_form(pilot, app, case_id, "w")
        assert isinstance(wizard, WeighingWizard) and wizard.question == 1
        wizard.query_one("#weighing-reason", TextArea).focus()
        await type_text(pilot, "Blauwe plekken gezien")
        await pilot.press("f5")                      # on to question 2, typing kept
        await pilot.pause()
        wizard.query_one("#weighing-reason", TextArea).focus()
        await type_text(pilot, "Geen acuut gevaar")
        # No pause for the debounce: the app goes away right after the last key.
    found = svc.load_draft(f"{case_id}:weighing")
    assert found is not None
    assert found[0]["reasons"] == {"1": "Blauwe plekken gezien", "2": "Geen acuut gevaar"}
    assert "weighing_answered" not in journal_kinds(svc, case_id)

    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        wizard = await open_form(pilot, app, case_id, "w")
        await pilot.pause()
        assert wizard.query_one("#weighing-reason", TextArea).text == "Blauwe plekken gezien"
        await pilot.press("f5")
        await pilot.pause()
        assert wizard.query_one("#weighing-reason", TextArea).text == "Geen acuut gevaar"
        await pilot.press("f4")
        await pilot.pause()
        wizard.query_one("#weighing-answer").highlighted = 0          # yes: a suspicion
        # Saving question 1 takes its reason out of the draft; question 2's stays.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert svc.load_draft(f"{case_id}:weighing")[0]["reasons"] == {"2": "Geen acuut gevaar"}
    assert "weighing_answered" in journal_kinds(svc, case_id)


async def test_esc_offers_to_keep_the_reasons_as_a_draft(svc):
    from meldcode_tui.ui.dialogs import LeaveFormScreen

    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        wizard = await open_form(pilot, app, case_id, "w")
        wizard.query_one("#weighing-reason", TextArea).focus()
        await type_text(pilot, "Zorgen over thuis")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveFormScreen)
        await pilot.press("b")                       # B: keep as draft
        await pilot.pause()
        assert not isinstance(app.screen, WeighingWizard)
    assert svc.load_draft(f"{case_id}:weighing")[0]["reasons"] == {"1": "Zorgen over thuis"}
