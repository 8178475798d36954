"""Every key of the case screen opens its form (or says why not), Esc returns; open points
lead to their form; the palette reaches the actions; the help route after the weighing."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, OptionList

from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.forms import FormScreen
from meldcode_tui.ui.record_view import RecordScreen

from .conftest import FIXED_TODAY, make_app
from .helpers import fill, form_error, journal_kinds, open_case_screen

SIZE = (80, 24)
KEYS = ["s", "c", "z", "g", "w", "b", "v", "u", "h", "e", "p", "m", "t", "a", "k", "l", "o", "x", "j"]


@pytest.fixture
def demo_svc(svc):
    from meldcode_tui.demo import create_demo

    create_demo(svc, today=FIXED_TODAY)
    return svc


@pytest.mark.parametrize("key", KEYS)
async def test_every_case_key_opens_something_and_escape_returns(demo_svc, key):
    app = make_app(demo_svc)
    case_id = sorted(r["case_id"] for r in demo_svc.list_cases())[0]
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        case_screen = app.screen
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is not case_screen or app._notifications, key   # a screen or a message
        while app.screen is not case_screen:
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, CaseScreen)


async def test_enter_on_an_open_point_opens_its_form(svc):
    case_id = svc.create_case("Sanne (fictief)", "2015-09-01", "6", "").case_id
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        points = app.screen.points
        assert points and points[0].action == "record_signal"
        assert app.focused is app.screen.query_one("#points", OptionList)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "SignalPicker"


async def test_chronology_enter_shows_the_whole_record(svc):
    case_id = svc.create_case("Sanne (fictief)", "2015-09-01", "6", "", note="Aanleiding: " + "x" * 150).case_id
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        app.screen.query_one("#chronology", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        body = str(app.screen.query_one("#detail-body Static").render())
        assert "Aanleiding" in body and "x" * 100 in body.replace("\n", "")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)


async def test_palette_runs_a_case_action(svc):
    case_id = svc.create_case("Sanne (fictief)", "2015-09-01", "6", "").case_id
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        for ch in "Zorgteam":
            await pilot.press(ch)
        await pilot.pause(0.5)
        await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, FormScreen)
        assert "Zorgteam" in app.screen.form_title


async def test_help_route_plan_and_review(svc):
    """q3/q4 yes -> decision 'hulp' -> plan help -> review (results not reached)."""
    case_id = svc.create_case("Daan (fictief)", "2015-09-01", "5", "").case_id
    svc.record_signal(case_id, description="Komt vaak te laat en hongerig.", observed_on="2026-03-01",
                      observed_by="juf (fictief)", source="own", source_name="", contradicting=False,
                      catalogue=None)
    svc.complete_step(case_id, 1)
    svc.record_consultation(case_id, kind="colleague", with_whom="IB (fictief)", on="2026-03-02",
                            anonymous=False, question="Wat nu?", advice="Gesprek voeren.")
    svc.set_care_team(case_id, [{"role": r, "name": f"{r} (fictief)", "user": ""} for r in
                                ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")])
    svc.complete_step(case_id, 2)
    svc.record_conversation(case_id, on="2026-03-03", participants=["pupil", "parents"], purpose_explained=True,
                            facts_presented=True, reaction_invited=True, interpretation_after_reaction=True,
                            parents_informed_beforehand=None, summary="Besproken.", outcome="",
                            concern_removed=False)
    svc.complete_step(case_id, 3)
    svc.answer_weighing(case_id, 1, "yes", "Er is een vermoeden van verwaarlozing.")
    svc.answer_weighing(case_id, 2, "no", "Geen acute of structurele onveiligheid.")
    svc.complete_step(case_id, 4)
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_case_screen(pilot, app, case_id)
        for q in (3, 4):
            await pilot.press("w")
            await pilot.pause()
            wizard = app.screen
            assert wizard.question == q
            wizard.query_one("#weighing-reason").text = "Hulp via het wijkteam is mogelijk en welkom."
            await pilot.press("ctrl+s")                         # 'ja' is highlighted first
            await pilot.pause()
            if not isinstance(app.screen, CaseScreen):
                await pilot.press("escape")
                await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        fill(app, report_needed=False, help_possible=True, reason="Hulp is mogelijk en wordt aanvaard.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        await pilot.press("h")
        await pilot.pause()
        fill(app, description="Gezinscoach (fictief)", agreements="Wekelijks contact", roles="IB volgt",
             case_manager="IB (fictief)", review_on="30-04-2026", results_expected="Op tijd en ontbeten op school")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
        assert "hulp" in str(app.screen.query_one("#case-header").render())
        await pilot.press("e")
        await pilot.pause()
        fill(app, results_reached=False, violence_continues=True, notes="Nog steeds hongerig en te laat.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    kinds = journal_kinds(svc, case_id)
    assert "help_planned" in kinds and "help_reviewed" in kinds


async def test_keymap_overrides_a_binding_by_id(svc):
    case_id = svc.create_case("Sanne (fictief)", "2015-09-01", "6", "").case_id
    app = make_app(svc)
    app.set_keymap({"case.record_signal": "ctrl+g"})
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "SignalPicker"


def test_keymap_is_read_from_the_config(tmp_path):
    from meldcode_tui.cli import Env
    from meldcode_tui.ui import _keymap

    cfg = tmp_path / "config.toml"
    cfg.write_text('[keys]\n"case.record_signal" = "ctrl+g"\n', encoding="utf-8")
    assert _keymap(Env(config_arg=str(cfg))) == {"case.record_signal": "ctrl+g"}


def test_no_two_actions_share_a_key_on_the_case_screen():
    """Several issues added keys to the case screen; a shared key silently hides one action."""
    from collections import Counter

    from meldcode_tui.ui.case import CaseScreen
    from meldcode_tui.ui.dashboard import DashboardScreen

    for screen in (CaseScreen, DashboardScreen):
        keys = Counter(k.strip() for b in screen.BINDINGS for k in b.key.split(","))
        assert [k for k, n in keys.items() if n > 1] == [], screen.__name__


async def test_welcome_takes_the_capital_letters_it_shows(svc):
    """The welcome says "D: demogegevens · N: eerste casus"; Shift+D must do what it says."""
    from tests.ui.conftest import make_app

    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        await pilot.pause()
    assert svc.list_cases()
