"""Fixes from walking the app as a coordinator at 80x24 and 120x40."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, SelectionList

from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.case_table import CaseTable
from meldcode_tui.ui.dashboard import DashboardScreen, WelcomeScreen
from meldcode_tui.ui.dialogs import LeaveFormScreen
from meldcode_tui.ui.forms import FormScreen
from meldcode_tui.ui.signals import SignalPicker

from .conftest import FIXED_TODAY, make_app
from .helpers import fill, form_error, journal_kinds, open_case_screen, open_form, type_text
from tests.scenarios import case_in_step


def _headers(table) -> list[str]:
    if isinstance(table, CaseTable):
        return table.headers()
    return [str(c.label) for c in table.ordered_columns]


def _table_width(table) -> int:
    if isinstance(table, CaseTable):
        return table.total_width()
    return sum(c.get_render_width(table) for c in table.ordered_columns)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_dashboard_fits_the_terminal_with_every_column(svc, size):
    from meldcode_tui.demo import create_demo

    create_demo(svc, today=FIXED_TODAY)
    app = make_app(svc)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        headers = _headers(table)
        for name in ("Leerling", "Groep", "Lft", "Stap", "Status", "Gewijzigd", "Eigenaar"):
            assert name in headers, headers
        assert _table_width(table) <= size[0] - 1
        # Nothing scrolls sideways: the whole table is on screen.
        assert table.max_scroll_x == 0
        first = [str(c) for c in table.get_row_at(0)]
        if size[0] >= 120:
            assert "Volgende termijn" in headers
            assert any("Beslissen" in c or "Signalen" in c for c in first)
            # the deadline column carries the date and what is due
            deadline = first[headers.index("Volgende termijn")]
            assert len(deadline) > 12 and "-2026" in deadline
        else:
            assert "Termijn" in headers
            # short dates (dd-mm-jj) and no "groep " prefix at 80 columns
            assert all(len(str(table.get_row_at(i)[headers.index("Gewijzigd")])) == 8
                       for i in range(table.row_count))
            assert not any(str(table.get_row_at(i)[1]).lower().startswith("groep ")
                           for i in range(table.row_count))


async def test_overdue_marker_survives_narrow_layout(svc):
    from meldcode_tui.demo import create_demo

    create_demo(svc, today=FIXED_TODAY)
    overdue = [r for r in svc.list_cases() if r.get("overdue")]
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        col = _headers(table).index("Termijn")
        marks = [str(table.get_row_at(i)[col]).startswith("!") for i in range(table.row_count)]
        assert sum(marks) == len(overdue) > 0


async def test_new_case_for_staff_suspicion_is_routed_from_the_start(app, svc):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_text(pilot, "Tim Kok (fictief)")
        fill(app, date_of_birth="01-09-2015")
        tick = form.widget_for("staff_suspicion")
        tick.focus()
        await pilot.pause()
        await pilot.press("space")          # by keyboard, on the tick box
        assert tick.value is True
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        # The case opens and the routing form comes up straight away.
        assert isinstance(app.screen, FormScreen), app.screen
        assert app.screen.id == "form-route"
        case_id = app.screen_stack[-2].case_id
        state = svc.open_case(case_id)
        assert state.staff_suspicion and state.staff_route
        fill(app, reason="Melding van een ouder over gedrag van een medewerker; schoolbestuur ingelicht.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("j")              # confirm the other route
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        assert "staff_suspicion_routed" in journal_kinds(svc, case_id)
        steps = str(app.screen.query_one("#case-steps").render())
        assert "Andere route" in steps and "Signalen" not in steps
        # The footer offers this route's keys, not the Meldcode steps'.
        shown = {str(b.binding.description) for b in app.screen.active_bindings.values() if b.binding.show}
        assert "Andere route: vastleggen" in shown
        assert not shown & {"Signaal", "Consultatie", "Gesprek", "Afwegen", "Besluit", "Melding"}, shown
        # Meldcode intents are refused before a form opens, with the reason and what remains.
        for key in ("s", "c", "g", "w"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, CaseScreen), (key, app.screen)
        messages = [str(n.message) for n in app._notifications]
        assert any("schoolbestuur" in m and "vervolgafspraken" in m for m in messages), messages
        # what remains on this route still opens
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)


async def test_new_case_without_staff_suspicion_stays_on_the_meldcode(app, svc):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Eva Kok (fictief)")
        fill(app, date_of_birth="01-09-2015")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert not svc.open_case(app.screen.case_id).staff_route
        shown = {str(b.binding.description) for b in app.screen.active_bindings.values() if b.binding.show}
        assert "Signaal" in shown and "Andere route: vastleggen" not in shown, shown


async def test_new_case_form_hint_and_error_visible_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        hint = form.query_one(".dialog-hint")
        assert hint.region.height >= 1 and hint.region.bottom <= 23
        await pilot.press("ctrl+s")                     # nothing filled in
        await pilot.pause()
        err = form.query_one("#form-error")
        assert "Naam leerling" in form_error(app)
        assert err.region.height >= 1 and err.region.y >= 1
        # the last field can be reached by scrolling, and the hint is still there
        form.widget_for("staff_suspicion").focus()
        await pilot.pause()
        assert form.widget_for("staff_suspicion").region.height >= 1
        assert hint.region.height >= 1


async def test_signal_picker_arrow_down_from_search_picks_with_space(svc):
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, state.case_id)
        await pilot.press("s")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SignalPicker)
        await type_text(pilot, "blauw")
        await pilot.press("down")
        await pilot.pause()
        assert isinstance(picker.focused, SelectionList)
        await pilot.press("space")
        await pilot.pause()
        assert len(picker.chosen) == 1
        assert "1 gekozen" in str(picker.query_one("#signal-scope").render())



async def test_refusal_names_fields_in_dutch_and_focuses_them(svc):
    cid = case_in_step(svc, 3)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, cid, "g")
        assert isinstance(form, FormScreen)
        fill(app, participants=["pupil"],
             elements=["purpose_explained", "facts_presented", "reaction_invited", "interpretation_after_reaction"],
             summary="Gesprek met Lotte over de plekken op haar arm.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        err = form_error(app)
        assert "parents_informed_beforehand" not in err
        assert "Ouders vooraf geïnformeerd" in err
        assert "F2:" not in err              # not an exception: a field to fill in
        assert form.focused is form.widget_for("parents_informed_beforehand")
        # what was typed is kept
        assert form.widget_for("summary").text.startswith("Gesprek met Lotte")


async def test_conversation_elements_tick_with_one_key_and_messages_point_at_them(svc):
    cid = case_in_step(svc, 3)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, cid, "g")
        elements = form.widget_for("elements")
        assert str(elements.get_option_at_index(0).prompt).startswith("1 Doel")   # the key is shown
        elements.focus()
        await pilot.press("1", "2", "4")           # three of four, one key each
        assert sorted(elements.selected) == ["facts_presented", "interpretation_after_reaction",
                                             "purpose_explained"]
        await pilot.press("2")                      # again: unticked
        assert "facts_presented" not in elements.selected
        # A message naming one of the four ('reaction_invited') puts the cursor on the list.
        assert form.named_field("Vink 'reaction_invited' aan.") == "elements"
        fill(app, participants=["parents"], summary="Gesprek met de ouders over de plekken.")
        elements.focus()
        await pilot.press("plus")                   # all four
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    e = [e for e in svc.journal(cid) if e.kind == "conversation_recorded"][-1]
    assert all(e.payload[k] for k in ("purpose_explained", "facts_presented", "reaction_invited",
                                      "interpretation_after_reaction"))


async def test_draft_keeps_ticked_participants(svc):
    cid = case_in_step(svc, 3)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, cid, "g")
        tl = form.widget_for("participants")
        tl.focus()
        await pilot.press("space")              # tick "Leerling" by keyboard
        form.widget_for("summary").focus()
        await type_text(pilot, "half af")
    found = svc.load_draft(f"{cid}:{form.id}")
    assert found and found[0]["f-participants"] == ["pupil"]
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, cid)
        await pilot.press("g")
        await pilot.pause()
        assert list(app.screen.widget_for("participants").selected) == ["pupil"]


async def test_refused_report_says_why_before_asking_to_confirm(svc):
    from meldcode_tui.ui.dialogs import ConfirmScreen

    cid = case_in_step(svc, 3)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, cid, "m")
        assert isinstance(form, FormScreen)
        fill(app, office="Regio Midden (fictief)", summary="Blauwe plekken; vertelt over thuis.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.screen is form
        assert form_error(app)                  # the reason, in Dutch
        assert form.widget_for("office").value == "Regio Midden (fictief)"
    assert "report_made" not in journal_kinds(svc, cid)


@pytest.mark.parametrize("key", ["g", "c", "p"])
async def test_forms_open_at_the_top_at_80x24(svc, key):
    cid = case_in_step(svc, 3)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, cid)
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause(0.2)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#form-fields").scroll_y == 0   # the first label is visible
        assert form.focused is not None and form.focused.id.startswith("f-")


async def test_square_brackets_and_corrections_show_in_the_chronology(svc):
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    cid = state.case_id
    svc.record(cid, "signal_recorded", {"description": "Zegt [letterlijk] 'papa slaat'.",
                                        "observed_on": "2026-03-10", "observed_by": "juf Anne",
                                        "source": "own", "source_name": "", "contradicting": False})
    seq = svc.journal(cid)[-1].seq
    svc.correct_record(cid, seq, {"description": "Zegt [letterlijk]: 'papa slaat'."},
                       "Citaat precies overgenomen uit de notitie.")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, cid)
        table = app.screen.query_one("#chronology", DataTable)
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        signal = next(r for r in rows if "letterlijk" in r)
        assert "[gecorrigeerd]" in signal and "[letterlijk]" in signal
        # the whole chronology fits 80 columns (no sideways scrolling)
        assert table.max_scroll_x == 0


async def test_export_keeps_a_typed_path_when_the_format_changes(svc, tmp_path):
    import os

    from textual.widgets import Input, OptionList

    from meldcode_tui.ui.dialogs import ConfirmScreen
    from meldcode_tui.ui.export_dialog import ExportScreen

    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, state.case_id)
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        ol = screen.query_one(OptionList)
        names = list(screen.formats)
        md = names.index("markdown")
        labels = [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]
        assert not any(f"({n})" in lab for n, lab in zip(names, labels))   # no codes in the labels
        ol.highlighted = md
        await pilot.pause()
        box = screen.query_one("#export-path", Input)
        target = tmp_path / "voor-zorgteam.md"
        box.value = str(target)
        ol.highlighted = (md + 1) % len(names)     # look at another format ...
        await pilot.pause()
        ol.highlighted = md                        # ... and back
        await pilot.pause()
        assert box.value == str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "(Markdown)" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("j")
        await pilot.pause()
    assert oct(os.stat(target).st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_journal_fits_and_verifies(svc, size):
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    app = make_app(svc)
    async with app.run_test(size=size) as pilot:
        await open_case_screen(pilot, app, state.case_id)
        await pilot.press("j")
        await pilot.pause()
        table = app.screen.query_one("#journal", DataTable)
        assert table.max_scroll_x == 0
        headers = _headers(table)
        assert ("Hash" in headers) == (size[0] >= 120)
        stamp = str(table.get_row_at(0)[1])
        assert stamp[2] == "-" and stamp[5] == "-"          # dd-mm-…, as everywhere else
        verify = str(app.screen.query_one("#journal-verify").render())
        assert "keten klopt" in verify and "vastleggingen" in verify
        await pilot.press("f1")
        await pilot.pause()
        from meldcode_tui.ui.dialogs import HelpScreen
        assert isinstance(app.screen, HelpScreen)


async def test_afwegingskader_reopens_where_it_waits(svc):
    from meldcode_tui.ui.weighing import WeighingWizard

    cid = case_in_step(svc, 5)
    for q in (3, 4):
        svc.record(cid, "weighing_answered", {"question": q, "answer": "yes", "with_veilig_thuis": False,
                                              "reason": f"Besproken in het zorgteam (vraag {q})."})
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_form(pilot, app, cid, "w")
        assert isinstance(wizard, WeighingWizard)
        assert wizard.question == 5                      # not back at question 1
        assert "evaluatie" in str(wizard.query_one("#form-error").render())



async def test_escape_clears_search_then_filters_and_empty_result_says_so(svc):
    from meldcode_tui.demo import create_demo

    create_demo(svc, today=FIXED_TODAY)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dash = app.screen
        total = len(dash.visible_rows())
        for key in ("f", "f", "o", "m"):
            await pilot.press(key)
        await pilot.pause()
        if not dash.visible_rows():
            assert "Esc: wissen" in str(dash.query_one("#dash-status").render())
        await pilot.press("escape")
        await pilot.pause()
        assert dash.step_filter is None and not dash.only_overdue and not dash.only_mine
        assert len(dash.visible_rows()) == total


@pytest.mark.parametrize("keys", [(), ("enter",), ("enter", "s"), ("enter", "c"), ("enter", "w"),
                                  ("enter", "x"), ("enter", "j"), ("n",)])
async def test_f1_help_on_every_screen(svc, keys):
    from textual.widgets import DataTable as _DT

    from meldcode_tui.ui.dialogs import HelpScreen

    svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        before = app.screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen), (keys, app.screen)
        table = app.screen.query_one(_DT)
        assert table.row_count >= 2
        descriptions = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert not any(d in ("Focus Next", "Copy", "Quit", "Save") for d in descriptions)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is before


async def _f1_keys(pilot, app, case_id: str) -> list[str]:
    """Open ``case_id``, press F1 and read the keys it lists, in its order."""
    from textual.widgets import DataTable as _DT

    await open_case_screen(pilot, app, case_id)
    await pilot.press("f1")
    await pilot.pause()
    table = app.screen.query_one(_DT)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_f1_lists_the_most_used_keys_first_and_the_generic_ones_last(svc):
    cid = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6").case_id
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = await _f1_keys(pilot, app, cid)
        assert keys[:4] == ["spatie", "s", "g", "c"]          # the footer's order
        assert "i" in keys and "P" in keys                   # not in the footer, still listed
        assert keys.index("f7") > keys.index("i")            # field keys after the case's own


async def test_f1_on_a_staff_route_case_lists_only_that_routes_keys(svc):
    cid = svc.create_case("Emma Bos (fictief)", "2014-01-01", "8a", staff_suspicion=True).case_id
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = await _f1_keys(pilot, app, cid)
        assert "s" not in keys and "w" not in keys and "m" not in keys   # refused there
        assert "O" in keys and "x" in keys and "j" in keys


async def test_refusal_says_which_key_and_escape_keeps_the_input(svc):
    cid = case_in_step(svc, 5)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, cid)
        await pilot.press("b")                       # decision, before the afwegingskader
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        fill(app, report_needed=True)
        form.widget_for("reason").focus()
        await type_text(pilot, "Twijfel over de veiligheid thuis")
        await pilot.press("ctrl+s")
        await pilot.pause()
        err = form_error(app)
        assert err and "W: afwegingskader" in err, err
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("b")
        await pilot.pause()
        again = app.screen
        assert again.widget_for("reason").text == "Twijfel over de veiligheid thuis"
        assert again.widget_for("report_needed").value is True
        await pilot.press("escape")                  # a changed form asks before it closes
        await pilot.pause()
        assert isinstance(app.screen, LeaveFormScreen)
        await pilot.press("w")                       # W: weggooien
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
    assert svc.load_draft(f"{cid}:{again.id}") is None


async def test_long_form_with_an_error_keeps_every_field_reachable_at_80x24(svc):
    cid = case_in_step(svc, 3)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, cid, "g")
        await pilot.press("ctrl+s")                  # nothing ticked: an error at the top
        await pilot.pause()
        await pilot.pause()
        assert form_error(app)
        err = form.query_one("#form-error")
        hint = form.query_one(".dialog-hint")
        dialog = form.query_one(".dialog")
        last = form.widget_for("concern_removed")
        last.focus()
        await pilot.pause()
        await pilot.pause()
        inner_bottom = dialog.region.bottom - 1                    # above the bottom border
        assert err.region.height >= 1 and err.region.y > dialog.region.y
        assert last.region.y < hint.region.y                       # not hidden under the hint
        assert hint.region.bottom <= inner_bottom
        assert last.region.height == 1


@pytest.mark.parametrize("answer", ["t", "b", "w"])
async def test_escape_on_a_changed_form_asks_and_loses_nothing_unasked(svc, answer):
    """Esc with typing in the form asks: B keeps a draft, W throws it away,
    T (or Esc again) goes back to the form with everything still in it."""
    cid = case_in_step(svc, 3)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, cid)
        await pilot.press("c")                        # a consultation form
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        first = next(w for w in form.query("TextArea"))
        first.focus()
        await type_text(pilot, "Moeder belde over de ruzie thuis")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveFormScreen)
        await pilot.press(answer)
        await pilot.pause()
        if answer == "t":
            assert app.screen is form
            assert first.text == "Moeder belde over de ruzie thuis"
        elif answer == "b":
            assert isinstance(app.screen, CaseScreen)
            kept = svc.load_draft(form.draft_key)
            assert kept is not None and "Moeder belde" in str(kept[0])
        else:
            assert isinstance(app.screen, CaseScreen)
            assert svc.load_draft(form.draft_key) is None
        assert journal_kinds(svc, cid).count("consultation_recorded") == 1


async def test_escape_on_an_untouched_form_closes_without_asking(svc):
    cid = case_in_step(svc, 3)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, cid)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)


async def test_afwegingskader_keeps_a_typed_reason_across_questions_and_asks_on_escape(svc):
    """F4/F5 move between questions without losing a typed reason, and Esc with an
    unsaved reason asks before it throws it away."""
    from textual.widgets import TextArea

    from meldcode_tui.ui.weighing import WeighingWizard

    cid = case_in_step(svc, 5)
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        wizard = await open_form(pilot, app, cid, "w")
        assert isinstance(wizard, WeighingWizard)
        q = wizard.question
        reason = wizard.query_one("#weighing-reason", TextArea)
        reason.focus()
        await type_text(pilot, "Vader wil geen hulp")
        await pilot.press("f4")                      # previous question (answered already)
        await pilot.pause()
        assert wizard.question == q - 1
        await pilot.press("f5")                      # back: the typing is still there
        await pilot.pause()
        assert wizard.question == q
        assert reason.text == "Vader wil geen hulp"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveFormScreen)
        await pilot.press("t")                       # back to the wizard
        await pilot.pause()
        assert app.screen is wizard and reason.text == "Vader wil geen hulp"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("w")                       # W: throw it away, the wizard closes
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
    assert "weighing_answered" not in journal_kinds(svc, cid)[-1:]


async def test_space_opens_the_form_of_the_next_open_point(svc):
    """One key for 'what now?'. A new case's first point is to record the signals."""
    state = svc.create_case("Bram Kok (fictief)", "2016-05-01", "4b")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, state.case_id)
        screen = app.screen
        first = next(p for p in screen.points if p.action)
        await pilot.press("space")
        await pilot.pause()
        assert first.action == "record_signal"
        assert isinstance(app.screen, SignalPicker)


async def test_a_case_seen_and_left_at_once_is_still_in_the_access_log(svc):
    """The view is journalled after the first paint; quitting before that (ctrl+q right away,
    as CI's SSH test once did) must still journal it: what was on screen was seen."""
    state = svc.create_case("Bram Kok (fictief)", "2016-05-01", "4b")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_case(state.case_id)
        case_screen = app.screen
        assert isinstance(case_screen, CaseScreen)
        case_screen._log_view = lambda: None      # the after-paint write has not run yet
        await pilot.pause()
        assert app.screen is case_screen
        app.exit()
    assert "case_viewed" in journal_kinds(svc, state.case_id)
