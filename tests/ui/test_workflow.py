"""End-to-end Pilot tests: a case for a 10-year-old from the first signal to the report."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList

from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.case_table import CaseTable
from meldcode_tui.ui.dashboard import DashboardScreen, WelcomeScreen
from meldcode_tui.ui.forms import FormScreen
from meldcode_tui.ui.signals import SignalPicker
from meldcode_tui.ui.weighing import WeighingWizard

from .helpers import fill, form_error, journal_kinds, type_text

SIZE = (100, 36)


async def _save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


async def _new_case(pilot, app, name="Sanne de Vries (fictief)", dob="01-09-2015") -> str:
    assert isinstance(app.screen, WelcomeScreen)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, FormScreen)
    await type_text(pilot, name)               # really typed, key by key
    fill(app, date_of_birth=dob, group="6")
    await _save(pilot)
    await pilot.pause()
    assert isinstance(app.screen, CaseScreen), form_error(app) if isinstance(app.screen, FormScreen) else app.screen
    return app.screen.case_id


async def _complete_step(pilot, app, n: int) -> None:
    await pilot.press("v")
    await pilot.pause()
    fill(app, step=n, summary=f"Stap {n} is afgerond volgens het protocol.")
    await _save(pilot)
    assert isinstance(app.screen, CaseScreen), form_error(app)


async def _answer(pilot, app, q: int, answer: str) -> None:
    wizard = app.screen
    assert isinstance(wizard, WeighingWizard)
    assert wizard.question == q
    ol = wizard.query_one("#weighing-answer", OptionList)
    ol.highlighted = [o.id for o in ol._options].index(answer)
    wizard.query_one("#weighing-reason").text = f"Reden bij vraag {q}: besproken in het zorgteam."
    await _save(pilot)


async def test_full_case_for_a_ten_year_old(app, svc):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        case_id = await _new_case(pilot, app)
        screen = app.screen
        assert "10 jaar" in str(screen.query_one("#case-header").render())

        # Step 1: two signals picked from the catalogue at once, plus one in own words.
        await pilot.press("s")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SignalPicker)
        await type_text(pilot, "blauwe plekken")
        await pilot.pause()
        await pilot.press("enter")          # to the results
        await pilot.press("space")          # choose the first hit
        picker.query_one("#signal-search", Input).value = "honger"
        await pilot.pause()
        picker.query_one("#signal-results").focus()
        await pilot.press("space")
        picker.query_one("#signal-free", Input).value = "Vertelt dat hij 's avonds vaak alleen thuis is."
        assert len(picker.chosen) == 2
        await _save(pilot)
        assert isinstance(app.screen, CaseScreen), form_error(app)
        state = svc.get_state(case_id)
        assert len(state.signals) == 3
        assert sum(1 for s in state.signals if s.get("catalogue")) == 2
        await _complete_step(pilot, app, 1)

        # Step 2: consultation and zorgteam.
        await pilot.press("c")
        await pilot.pause()
        fill(app, with_whom="Intern begeleider (fictief)", question="Hoe wegen wij deze signalen?",
             advice="Gesprek met ouders en leerling voeren.")
        await _save(pilot)
        assert isinstance(app.screen, CaseScreen), form_error(app)
        await pilot.press("z")
        await pilot.pause()
        # The team as a list: the role starts on the next one step 2 needs; a name and Enter.
        for name in ("Juf Anna (fictief)", "Piet (fictief)", "Fatima (fictief)", "Directeur Bos (fictief)"):
            await type_text(pilot, name)
            await pilot.press("enter")
        await _save(pilot)
        assert isinstance(app.screen, CaseScreen), form_error(app)
        await _complete_step(pilot, app, 2)

        # Step 3: one conversation with pupil and parents, the four elements ticked.
        await pilot.press("g")
        await pilot.pause()
        # One-key ticks: the cursor starts at "met wie" (the date is today): 1 and 2; Tab to
        # the four elements, + ticks them all.
        await pilot.press("1", "2", "tab", "plus")
        assert app.screen.widget_for("participants").selected == ["pupil", "parents"]
        assert len(app.screen.widget_for("elements").selected) == 4
        fill(app, summary="Zorgen besproken; ouders herkennen de signalen deels.")
        await _save(pilot)
        assert isinstance(app.screen, CaseScreen), form_error(app)
        await _complete_step(pilot, app, 3)

        # Step 4: the afwegingskader, one question at a time, a reason for each answer.
        await pilot.press("w")
        await pilot.pause()
        await _answer(pilot, app, 1, "yes")
        await _answer(pilot, app, 2, "no")
        assert isinstance(app.screen, CaseScreen), form_error(app)   # q3-5 belong to step 5
        await _complete_step(pilot, app, 4)
        await pilot.press("w")
        await pilot.pause()
        await _answer(pilot, app, 3, "no")                            # no effective help: report
        assert isinstance(app.screen, CaseScreen), form_error(app)

        # Step 5: decision, contact before the report (parents: pupil under 12), the report.
        await pilot.press("b")
        await pilot.pause()
        fill(app, report_needed=True, help_possible=False,
             reason="Effectieve hulp is niet mogelijk; daarom melden.")
        await _save(pilot)
        assert isinstance(app.screen, CaseScreen), form_error(app)
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.widget_for("with").selected == ["parents"]   # the age rule's default
        fill(app, explained="Uitgelegd dat wij gaan melden en waarom.", reaction="Ouders begrijpen het.")
        await _save(pilot)
        assert isinstance(app.screen, CaseScreen), form_error(app)
        await pilot.press("m")
        await pilot.pause()
        fill(app, office="Veilig Thuis regio (fictief)", summary="Signalen en gesprekken gemeld.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("j")              # confirm the irreversible act
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        assert "gemeld" in str(app.screen.query_one("#case-header").render())

        # The journal view shows everything, with the chain verified.
        await pilot.press("j")
        await pilot.pause()
        assert "✔" in str(app.screen.query_one("#journal-verify").render())
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one(CaseTable).row_count == 1

    kinds = journal_kinds(svc, case_id)
    for kind in ("case_opened", "case_viewed", "signal_recorded", "consultation_recorded", "care_team_set",
                 "conversation_recorded", "weighing_answered", "decision_recorded",
                 "pre_report_contact_recorded", "report_made"):
        assert kind in kinds, kind
    assert kinds.count("step_completed") == 4
    assert kinds.count("weighing_answered") == 3
    assert svc.verify().ok
