"""What a coordinator typed survives the app going away mid-form (a dropped SSH connection)."""

from __future__ import annotations

from textual.widgets import Input

from meldcode_tui.ui.forms import FormScreen
from meldcode_tui.ui.signals import SignalPicker

from .conftest import make_app
from .helpers import journal_kinds, type_text, open_case_screen

SIZE = (100, 36)
TYPED = "Vertelt dat er thuis hard geschreeuwd wordt"


def _case(svc) -> str:
    return svc.create_case("Lotte Peters (fictief)", "2016-02-03", "5b", "").case_id


async def test_half_typed_signal_is_restored_after_the_app_went_away(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SignalPicker)
        app.screen.query_one("#signal-free", Input).focus()
        await type_text(pilot, TYPED)
        # No pause for the debounce: the app goes away right after the last key.
    assert svc.load_draft(f"{case_id}:signal") is not None
    assert "signal_recorded" not in journal_kinds(svc, case_id)

    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one("#signal-free", Input).value == TYPED
        await pilot.press("escape")  # cancelling throws the draft away
        await pilot.pause()
    assert svc.load_draft(f"{case_id}:signal") is None


async def test_draft_of_a_form_is_gone_once_the_record_is_saved(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("c")  # consultation form
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.widget_for("with_whom").focus()
        await type_text(pilot, "IB fictief")
        await pilot.pause(1.0)  # the debounce fires: saved while typing
        key = f"{case_id}:{form.id}"
        assert svc.load_draft(key)[0][f"f-with_whom"] == "IB fictief"
        form.widget_for("question").text = "Hoe duiden we dit?"
        form.widget_for("advice").text = "Zorgteam samenstellen."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen), app.screen
    assert "consultation_recorded" in journal_kinds(svc, case_id)
    assert svc.load_draft(key) is None


async def test_drafts_belong_to_one_user(svc, db_path):
    from .conftest import make_service

    case_id = _case(svc)
    svc.save_draft(f"{case_id}:signal", {"signal-free": "alleen van mij"})
    other = make_service(db_path, actor="collega")
    try:
        assert other.load_draft(f"{case_id}:signal") is None
    finally:
        other.store.close()
