"""The protocol's forms through the TUI (Pilot, real SQLite file): the Veilig Thuis feedback form's
default follows what is on record, so a re-report starts the cycle over with the first feedback."""

from __future__ import annotations

from meldcode_tui.ui.forms import FormScreen

from .conftest import make_app
from .helpers import open_case_screen

SIZE = (100, 36)
TEAM = [{"role": r, "name": f"{r} (fictief)", "user": ""}
        for r in ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")]


def reported_case(svc) -> str:
    """A 9-year-old at step 5 with a melding at Veilig Thuis (Q2 yes), dated before the fixed clock."""
    cid = svc.create_case("Sem Visser (fictief)", "2016-09-01", group="6").case_id
    rec = lambda kind, payload: svc.record(cid, kind, payload)  # noqa: E731
    rec("signal_recorded", {"description": "Blauwe plekken", "observed_on": "2026-03-02",
                            "observed_by": "juf", "source": "own"})
    rec("step_completed", {"step": 1})
    rec("consultation_recorded", {"kind": "colleague", "with_whom": "IVP (fictief)", "on": "2026-03-03",
                                  "question": "Duiding", "advice": "Gesprek"})
    rec("care_team_set", {"members": TEAM})
    rec("step_completed", {"step": 2})
    rec("conversation_recorded", {"on": "2026-03-04", "participants": ["pupil", "parents"],
                                  "purpose_explained": True, "facts_presented": True, "reaction_invited": True,
                                  "interpretation_after_reaction": True, "parents_informed_beforehand": True,
                                  "summary": "Gesprek met Sem en moeder"})
    rec("step_completed", {"step": 3})
    rec("weighing_answered", {"question": 1, "answer": "yes", "reason": "Signalen en gesprek"})
    rec("weighing_answered", {"question": 2, "answer": "yes", "reason": "Structureel onveilig"})
    rec("step_completed", {"step": 4})
    rec("pre_report_contact_recorded", {"on": "2026-03-05", "with": ["parents"], "explained": "Melding",
                                        "reaction": "Begrip"})
    rec("report_made", {"on": "2026-03-05", "office": "Veilig Thuis Regio (fictief)", "summary": "Feiten",
                        "reporter_disclosed_to_family": True})
    return cid


async def _stage_offered(app, cid) -> str:
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, cid)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        return app.screen.widget_for("stage").value


async def test_feedback_default_starts_over_after_a_re_report(svc):
    cid = reported_case(svc)
    assert await _stage_offered(make_app(svc), cid) == "first"
    svc.record(cid, "vt_feedback_recorded", {"on": "2026-03-06", "outcome": "Onderzoek", "stage": "first"})
    assert await _stage_offered(make_app(svc), cid) == "final"
    svc.record(cid, "vt_feedback_recorded", {"on": "2026-03-09", "outcome": "Afgerond", "stage": "final"})
    svc.record(cid, "school_evaluation_recorded", {"on": "2026-03-10", "concerns_remain": True,
                                                   "summary": "Nieuwe signalen"})
    svc.record(cid, "pre_report_contact_recorded", {"on": "2026-03-11", "with": ["parents"],
                                                    "explained": "Opnieuw melden", "reaction": "Boos"})
    svc.record(cid, "report_made", {"on": "2026-03-11", "office": "Veilig Thuis Regio (fictief)",
                                    "summary": "Nieuwe feiten", "reporter_disclosed_to_family": True})
    # Seen before: "eindterugkoppeling" offered here, and accepting it let the case close.
    assert await _stage_offered(make_app(svc), cid) == "first"


async def test_exception_form_offers_only_the_grounds_the_rule_accepts(svc):
    """Seen: 'Veiligheid van het kind' offered for 'leerling spreken zonder de ouders vooraf te
    informeren', then refused. Choosing the exception narrows the grounds to what the rule takes."""
    from meldcode_tui.domain.rules import EXCEPTION_GROUNDS

    cid = svc.create_case("Sanne de Vries (fictief)", "2013-03-01", group="7").case_id
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, cid)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        for exc, allowed in EXCEPTION_GROUNDS.items():
            app.screen.widget_for("exception").value = exc
            await pilot.pause()
            ground = app.screen.widget_for("ground")
            offered = [value for _label, value in ground._options if isinstance(value, str)]
            assert offered == list(allowed), exc
        app.screen.widget_for("exception").value = "pupil_without_informing_parents"
        await pilot.pause()
        assert app.screen.widget_for("ground").value == "safety"      # the only one: chosen


async def test_contact_form_says_who_has_gezag(svc):
    """Seen: the contact form for an 8-year-old did not say which parent has gezag."""
    cid = svc.create_case("Mila Bakker (fictief)", "2017-09-01", group="4").case_id
    svc.record(cid, "household_member_added", {"name": "Vader Bakker (fictief)", "relation": "parent",
                                               "gezag": "yes"})
    svc.record(cid, "household_member_added", {"name": "Stiefmoeder Bakker (fictief)", "relation": "carer",
                                               "gezag": "no"})
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, cid)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        intro = " ".join(str(w.render()) for w in app.screen.query(".form-intro"))
        assert "Gezag: Vader Bakker (fictief)." in intro and "Stiefmoeder" not in intro


async def test_pupil_address_gender_and_parent_address_by_correction(svc):
    """'Is de melding compleet?' lists the pupil's address: the coordinator adds it (with the gender
    and a parent's address) by correcting the case opening (k on row #1); the melding shows them."""
    from textual.widgets import DataTable

    from meldcode_tui.domain.melding_check import melding_gaps
    from meldcode_tui.ui.case import CaseScreen
    from meldcode_tui.ui.dialogs import ConfirmScreen

    from .helpers import fill, form_error

    cid = svc.create_case("Mila Bakker (fictief)", "2017-09-01", "4", "",
                          [{"name": "Ouder Bakker (fictief)", "relation": "moeder"}]).case_id
    gaps = melding_gaps(svc.get_state(cid))
    assert "adres van de leerling" in gaps and "adres van ouder/verzorger 1" in gaps
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, cid)
        table = app.screen.query_one("#chronology", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("1"))
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app, **{"c__pupil__address": "Dorpsstraat 1, Ergens (fictief)", "c__pupil__gender": "female",
                     "c__parents__0__address": "Kerkpad 2, Ergens (fictief)",
                     "reason": "Adres en geslacht aangevuld voor de melding"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), form_error(app)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    state = svc.get_state(cid)
    assert (state.pupil.address, state.pupil.gender) == ("Dorpsstraat 1, Ergens (fictief)", "female")
    assert state.parents[0]["address"] == "Kerkpad 2, Ergens (fictief)"
    assert state.pupil.name == "Mila Bakker (fictief)"          # the rest of the pupil stays
    gaps = melding_gaps(state)
    assert not {"adres van de leerling", "geslacht van de leerling", "adres van ouder/verzorger 1"} & set(gaps)
