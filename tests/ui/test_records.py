"""Correction (picked from the chronology), export (0600, confirmed), journal, close/reopen."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import DataTable, Input, OptionList

from meldcode_tui.ui.dialogs import ConfirmScreen
from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.forms import FormScreen
from meldcode_tui.ui.export_dialog import ExportScreen
from meldcode_tui.ui.journal_screen import JournalScreen

from .conftest import make_app
from .helpers import fill, form_error, journal_kinds, open_case_screen

SIZE = (100, 36)


def _case_with_signal(svc) -> str:
    case_id = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6", "").case_id
    svc.record_signal(case_id, description="Blauwe plek op de arm.", observed_on="2026-03-10",
                      observed_by="juf (fictief)", source="own", source_name="", contradicting=False,
                      catalogue=None)
    return case_id




async def _correction_form(pilot, app, case_id: str, seq: int):
    """Open the case, select record ``seq`` in the chronology and press K."""
    await open_case_screen(pilot, app, case_id)
    table = app.screen.query_one("#chronology", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(str(seq)))
    await pilot.press("k")
    await pilot.pause()
    return table


async def test_correct_a_signal_picked_in_the_chronology(svc):
    case_id = _case_with_signal(svc)
    signal_seq = next(e.seq for e in svc.journal(case_id) if e.kind == "signal_recorded")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        table = await _correction_form(pilot, app, case_id, signal_seq)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.widget_for("c.description").text == "Blauwe plek op de arm."   # a text area, as in the signal's form
        fill(app, c__description="Blauwe plek op de linker bovenarm.")
        await pilot.press("ctrl+s")                 # reason missing: refused in place
        await pilot.pause()
        assert "Reden" in form_error(app)
        fill(app, reason="Plaats van de plek was niet precies genoeg.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        assert "gecorrigeerd" in str(table.get_row(str(signal_seq))[3])
    state = svc.get_state(case_id)
    rec = state.records_by_seq[signal_seq]
    assert rec.payload["description"] == "Blauwe plek op de linker bovenarm."
    assert rec.original["description"] == "Blauwe plek op de arm."


async def test_export_every_format_to_a_private_file(svc, tmp_path):
    case_id = _case_with_signal(svc)
    app = make_app(svc)
    formats = list(svc.plugins.export_formats())
    assert formats
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        for i, name in enumerate(formats):
            await pilot.press("x")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ExportScreen)
            ol = screen.query_one(OptionList)
            ol.highlighted = i
            await pilot.pause()
            if name == "toml":          # the whole journal goes only with its basis
                screen.query_one("#export-basis", OptionList).highlighted = 0
                screen.query_one("#export-basis-reason", Input).value = (
                    "De leerling gaat naar een school van hetzelfde bestuur.")
                await pilot.pause()
            path_input = screen.query_one("#export-path", Input)
            assert path_input.value.startswith(str(Path.home()))        # home by default
            target = tmp_path / f"export-{name}"
            path_input.value = str(target)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("j")
            await pilot.pause()
            assert isinstance(app.screen, CaseScreen), str(screen.query_one("#form-error").render())
            assert target.stat().st_size > 0
            assert oct(os.stat(target).st_mode & 0o777) == "0o600"
    assert journal_kinds(svc, case_id).count("case_exported") == len(formats)


async def test_journal_view_lists_views_and_verifies(svc):
    case_id = _case_with_signal(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        rows = app.screen.query_one(DataTable)
        kinds = {str(rows.get_row_at(i)[3]) for i in range(rows.row_count)}
        assert "Casus bekeken" in kinds                      # the access log is visible here
        assert "Journaal gecontroleerd" in str(app.screen.query_one("#journal-verify").render())


async def test_close_and_reopen(svc):
    case_id = _case_with_signal(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("l")
        await pilot.pause()
        fill(app, grounds="no_suspicion", reason="Na navraag blijkt de plek van een val op het plein.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        # Refused: the ground must follow from what is on record; the form keeps the reason.
        assert isinstance(app.screen, FormScreen)
        assert "afwegingskader" in form_error(app)
        assert app.screen.widget_for("reason").text.startswith("Na navraag")
        fill(app, grounds="other")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        assert "gesloten" in str(app.screen.query_one("#case-header").render())
        await pilot.press("l")
        await pilot.pause()
        assert "heropenen" in app.screen.form_title.lower()
        fill(app, reason="Nieuwe signalen van de leerkracht ontvangen.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    kinds = journal_kinds(svc, case_id)
    assert "case_closed" in kinds and "case_reopened" in kinds


async def test_acute_report_key_at_step_one(svc):
    """'!' on the case screen records an acute melding at step 1; the case is 'gemeld'
    and the missing steps show as open points to catch up."""
    case_id = svc.create_case("Sanne de Vries (fictief)", "2017-03-01", "5", "").case_id
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app, agreed="Veilig Thuis komt vandaag naar school.",
             child_safety="Kind blijft op school tot Veilig Thuis er is.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), form_error(app)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    assert journal_kinds(svc, case_id)[-1] in ("acute_report", "case_viewed")
    state = svc.get_state(case_id)
    assert state.acute_reports and state.status == "gemeld"
    assert any(p.code.startswith("acute:step1") for p in svc.open_points(case_id))


async def test_after_report_phase_first_and_final_feedback_then_evaluation(svc):
    """After the report, 't' records Veilig Thuis's feedback (the second time the form
    proposes the final feedback) and 'y' the school's evaluation; then the guide offers closing."""
    case_id = svc.create_case("Sanne de Vries (fictief)", "2017-03-01", "5", "").case_id
    svc.record(case_id, "acute_report", dict(
        on="2026-03-16", reported_to=["veilig_thuis_phone"], by_whom="Aandachtsfunctionaris (fictief)",
        agreed="Veilig Thuis neemt over", child_safety="Kind is veilig op school"))
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        for outcome, decision in (("Veilig Thuis start een onderzoek.", "investigation"),
                                  ("Onderzoek afgerond; hulp ingezet.", "no_follow_up")):
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, FormScreen)
            fill(app, outcome=outcome, decision=decision)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, CaseScreen), form_error(app)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app, summary="Geen nieuwe zorgen op school.", agreements="Mentor blijft het kind volgen.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    state = svc.get_state(case_id)
    assert [fb.get("stage") for fb in state.vt_feedback] == ["first", "final"]
    assert state.school_evaluations[0].get("concerns_remain") is False
    assert "close_reported" in {p.code for p in svc.open_points(case_id)}


def _case_at_decision(svc) -> str:
    cid = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6", "",
                          [("Ouder (fictief)", "moeder")]).case_id
    svc.record_signal(cid, description="Komt vaak te laat en hongerig.", observed_on="2026-03-02",
                      observed_by="juf (fictief)", source="own")
    svc.complete_step(cid, 1)
    svc.record_consultation(cid, kind="colleague", with_whom="IB'er (fictief)", on="2026-03-03",
                            question="Hoe duiden we dit?")
    svc.set_care_team(cid, [{"role": r, "name": f"{r} (fictief)"} for r in (
        "leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")])
    svc.complete_step(cid, 2)
    svc.record_conversation(cid, on="2026-03-04", participants=["pupil", "parents"], purpose_explained=True,
                            facts_presented=True, reaction_invited=True, interpretation_after_reaction=True,
                            parents_informed_beforehand=True, summary="Gesprek gevoerd")
    svc.complete_step(cid, 3)
    for q, a in ((1, "yes"), (2, "no")):
        svc.answer_weighing(cid, q, a, "Besproken in het zorgteam")
    svc.complete_step(cid, 4)
    for q in (3, 4):
        svc.answer_weighing(cid, q, "yes", "Besproken in het zorgteam")
    return cid


def _case_at_help_decision(svc) -> str:
    cid = _case_at_decision(svc)
    svc.record(cid, "decision_recorded", {
        "report_needed": False, "help_possible": True, "reason": "Hulp via de gezinscoach is mogelijk",
        "decided_by": [{"name": "IVP (fictief)", "role": "interne_vertrouwenspersoon"},
                       {"name": "Schoolleider (fictief)", "role": "schoolleider"}]})
    return cid


async def test_the_decision_names_who_decided(svc):
    """The step-5 decision records its decision makers, names and roles; the form
    starts with the coordinator recording it and the case's zorgteam (the zorgteam decides), others
    are added as in the zorgteam list; a list without second-line staff is refused with the input
    kept."""
    from meldcode_tui.ui.team_field import TeamField

    case_id = _case_at_decision(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        team = app.screen.query_one(TeamField)
        state = svc.get_state(case_id)
        assert team.members[0] == {"role": "coordinator", "name": svc.actor, "user": svc.actor}
        assert [m["role"] for m in team.members[1:]] == [m["role"] for m in state.care_team]
        while team.members:
            team.remove_member(0)
        fill(app, reason="Hulp via de gezinscoach is mogelijk.")
        app.screen.widget_for("help_possible").value = True
        team.role_select.value = "leerkracht"
        team.name_input.focus()
        await pilot.press(*"Juf Fictief", "enter")
        await pilot.pause()
        assert [m["role"] for m in team.members] == ["leerkracht"]
        # The teacher alone: refused, the list and the reason kept.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "tweede lijn" in form_error(app)
        assert [m["name"] for m in team.members] == ["Juf Fictief"]
        team.role_select.value = "aandachtsfunctionaris"
        team.name_input.focus()
        await pilot.press(*"Anouk", "enter", "ctrl+s")
        await pilot.pause()
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("j")
            await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    decision = svc.get_state(case_id).decision
    assert decision["decided_by"] == [{"name": "Juf Fictief", "role": "leerkracht"},
                                      {"name": "Anouk", "role": "aandachtsfunctionaris"}]


async def test_help_that_already_started_and_results_per_goal(svc):
    """A help plan with a start in the past (review date after the start, even if that
    is before today) and goals; the review form asks the result for each goal."""
    case_id = _case_at_help_decision(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app, description="Gezinscoach (liep al)", agreements="Wekelijks contact",
             roles="IB'er volgt", case_manager="IB'er (fictief)", review_on="01-03-2026",
             results_expected="Op tijd en met ontbijt", starts_on="01-02-2026",
             goals="Elke dag op tijd\nOntbijt gehad")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app, notes="Besproken met het zorgteam", goal1__reached=True, goal1__note="Lukt",
             goal2__reached=False, results_reached=False)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    state = svc.get_state(case_id)
    assert state.help_plan.get("starts_on") == "2026-02-01"
    assert state.help_plan.get("goals") == ["Elke dag op tijd", "Ontbijt gehad"]
    assert [(r["goal"], r["reached"]) for r in state.help_reviews[-1]["goal_results"]] == [(1, True), (2, False)]


async def test_signal_flagged_as_the_pupils_own_disclosure(svc):
    """The signal picker's 'Kind vertelt het zelf' records a disclosure; the open points
    then say to discuss it today with the aandachtsfunctionaris and to go straight to Q1-2."""
    from textual.widgets import Checkbox

    case_id = svc.create_case("Sanne de Vries (fictief)", "2017-03-01", "5", "").case_id
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("s")
        await pilot.pause()
        picker = app.screen
        picker.query_one("#signal-free", Input).value = "Sanne vertelt dat haar vader haar slaat."
        picker.query_one("#signal-disclosure", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    state = svc.get_state(case_id)
    assert state.signals[0].get("disclosure") is True
    assert {"disclosure_today", "disclosure_q2"} <= {p.code for p in svc.open_points(case_id)}


async def test_acute_key_on_the_dashboard(svc):
    """'!' on the dashboard opens the selected case with the acute melding form."""
    case_id = svc.create_case("Sanne de Vries (fictief)", "2017-03-01", "5", "").case_id
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.id == "form-acute-report"
        fill(app, agreed="Veilig Thuis komt vandaag.", child_safety="Kind blijft op school.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        assert app.screen.case_id == case_id
    assert svc.get_state(case_id).acute_reports


async def test_correction_form_shows_the_record_as_entered(svc):
    """The correction form (K) shows the record in its form's order, with Dutch
    labels, dates as dd-mm-jjjj and choices as selects; locked fields are not offered."""
    from textual.widgets import Label, Select

    case_id = _case_with_signal(svc)
    state = svc.record(case_id, "consultation_recorded", {
        "kind": "veilig_thuis_advice", "with_whom": "Veilig Thuis (advieslijn)", "on": "2026-03-11",
        "anonymous": True, "question": "Wat is wijs bij een blauwe plek op de arm?", "advice": ""})
    seq = state.last_seq
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await _correction_form(pilot, app, case_id, seq)
        form = app.screen
        assert isinstance(form, FormScreen) and form.id == "form-correct"
        kind = form.widget_for("c.kind")
        assert isinstance(kind, Select) and kind.value == "veilig_thuis_advice"
        assert form.widget_for("c.on").value == "11-03-2026"
        names = [f.name for f in form.fields]
        assert names[:3] == ["c.kind", "c.with_whom", "c.on"]      # the form's order
        labels = " ".join(str(lab.render()) for lab in form.query(Label))
        assert "veilig_thuis_advice" not in labels and "with_whom" not in labels
        kind.value = "vertrouwensarts"
        fill(app, reason="Het was de vertrouwensarts, niet de advieslijn.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    rec = svc.get_state(case_id).records_by_seq[seq]
    assert rec.payload["kind"] == "vertrouwensarts"
    assert rec.payload["on"] == "2026-03-11"          # unchanged: not part of the correction


async def test_the_decision_refusal_names_the_field_as_the_form_labels_it(svc):
    """A decision without a reason is refused naming 'reden', and the form calls that field
    'Reden (onderbouwing)' (it said 'Onderbouwing' while the refusal said 'reden')."""
    from textual.widgets import Label

    case_id = _case_at_decision(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("b")
        await pilot.pause()
        labels = " ".join(str(w.render()) for w in app.screen.query(Label))
        assert "Reden (onderbouwing)" in labels
        fill(app, reason="   ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "reden" in form_error(app).lower()
