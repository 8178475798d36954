"""What a coordinator typed survives the app going away mid-form (a dropped SSH connection)."""

from __future__ import annotations

from textual.widgets import Input

from meldcode_tui.ui.forms import FormScreen
from meldcode_tui.ui.signals import SignalPicker

from .conftest import make_app
from .helpers import journal_kinds, open_case_screen, open_form, type_text

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
        await pilot.press("escape")  # a restored draft is typing: Esc asks first
        await pilot.pause()
        from meldcode_tui.ui.dialogs import LeaveFormScreen

        assert isinstance(app.screen, LeaveFormScreen)
        await pilot.press("w")       # W: throw it away
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


def _banner(form) -> str:
    from textual.widgets import Static

    return str(form.query_one("#form-draft", Static).render())


async def test_a_restored_draft_replaces_the_form_says_from_when_and_f3_empties_it(svc):
    """The draft is put back whole (never mixed with new typing), the form says so
    in the form itself, and F3 gives an empty form (dropping the draft)."""
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, app, case_id, "c")
        form.widget_for("with_whom").focus()
        await type_text(pilot, "IB fictief")
        key = f"{case_id}:{form.id}"
    assert svc.load_draft(key) is not None

    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, app, case_id, "c")
        assert form.widget_for("with_whom").value == "IB fictief"
        assert "Concept van" in _banner(form) and "vervangen, niet samengevoegd" in _banner(form)
        await pilot.press("f3")
        await pilot.pause()
        assert form.widget_for("with_whom").value == ""
        assert "leeggemaakt" in _banner(form)
        assert svc.load_draft(key) is None
        await pilot.press("escape")               # untouched again: closes without asking
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)


async def test_a_draft_from_a_form_opened_differently_is_offered_not_mixed_in(svc):
    """The reported bug: a colleague-consultation draft (with the pupil's name) appeared in a
    form opened for an anonymous question. A draft goes back only into a form that opened the
    same way; otherwise the form says it is there and F3 puts it back on request."""
    from meldcode_tui.ui.drafts import OPENED_WITH

    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, app, case_id, "c")
        key = f"{case_id}:{form.id}"
        opened = form.draft_snapshot()
        await pilot.press("escape")
        await pilot.pause()
        svc.save_draft(key, {**opened, "f-with_whom": "Lotte Peters haar juf",
                             OPENED_WITH: {**opened, "f-with_whom": "iets anders"}})
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert form.widget_for("with_whom").value == ""
        assert "niet teruggezet" in _banner(form)
        await pilot.press("escape")                # nothing typed: closes, the draft stays
        await pilot.pause()
        assert svc.load_draft(key) is not None
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        await pilot.press("f3")
        await pilot.pause()
        assert form.widget_for("with_whom").value == "Lotte Peters haar juf"


async def test_ticked_catalogue_signals_are_part_of_the_draft(svc):
    """The signal picker's ticks are what she chose: Esc, B keeps them with the text."""
    from textual.widgets import SelectionList

    from meldcode_tui.ui.dialogs import LeaveFormScreen

    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_form(pilot, app, case_id, "s")
        await type_text(pilot, "plekken")
        await pilot.pause()
        await pilot.press("down", "space")             # tick the first match
        await pilot.pause()
        chosen = sorted(picker.chosen)
        assert len(chosen) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveFormScreen)
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, SignalPicker)
        await pilot.press("s")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, SignalPicker) and again is not picker
        assert sorted(again.chosen) == chosen
        results = again.query_one("#signal-results", SelectionList)
        assert chosen[0] in results.selected
    assert "signal_recorded" not in journal_kinds(svc, case_id)


async def test_an_older_sessions_draft_never_comes_back_over_text_saved_later(svc, db_path):
    """Two SSH sessions of one user on one file: session A typed, session B took the text over
    and saved the record; A's hang-up (its last draft written as the app goes away) must not
    bring the old text back into B's next form."""
    from .conftest import make_service

    case_id = _case(svc)
    key = f"{case_id}:signal"
    other = make_service(db_path)               # session B: same user, same file
    try:
        app = make_app(svc)                     # session A
        async with app.run_test(size=SIZE) as pilot:
            await open_case_screen(pilot, app, case_id)
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one("#signal-free", Input).focus()
            await type_text(pilot, TYPED)
            await pilot.pause(1.0)              # the debounce wrote A's draft
            assert other.load_draft(key)[0]["signal-free"] == TYPED
            # B opened the form with A's draft, finished the text and saved the record: its
            # form lets the draft go (as FormScreen/SignalPicker do on save).
            other.discard_draft(key)
            # A's connection drops now: the hang-up handler writes what A's form holds
            # (MeldcodeApp._handle_hangup), then the app goes away.
            from meldcode_tui.ui.drafts import DraftMixin

            for screen in app.screen_stack:
                if isinstance(screen, DraftMixin):
                    screen.draft_flush()
        assert other.load_draft(key) is None, "A's older draft came back"

        app = make_app(other)                   # B opens the form again: empty
        async with app.run_test(size=SIZE) as pilot:
            await open_case_screen(pilot, app, case_id)
            await pilot.press("s")
            await pilot.pause()
            assert app.screen.query_one("#signal-free", Input).value == ""
    finally:
        other.store.close()


def test_drafts_newest_wins_across_sessions_of_one_user(db_path):
    from datetime import datetime, timedelta, timezone

    from meldcode_tui.store import open_store

    a, b = open_store(db_path, create=True), open_store(db_path)
    try:
        t0 = datetime.now(timezone.utc)
        assert b.save_draft("anouk", "MC-0001:signal", {"t": "nieuw"}, typed_at=t0)
        # A's keys were typed earlier but are written later (a hang-up flush): refused.
        assert not a.save_draft("anouk", "MC-0001:signal", {"t": "oud"},
                                typed_at=t0 - timedelta(seconds=5))
        assert a.load_draft("anouk", "MC-0001:signal")[0] == {"t": "nieuw"}
        # A throws away what it knew of (the older draft): B's newer one stays.
        assert not a.discard_draft("anouk", "MC-0001:signal",
                                   unless_newer_than=t0 - timedelta(seconds=5))
        assert a.load_draft("anouk", "MC-0001:signal")[0] == {"t": "nieuw"}
        # Another user's draft is no one else's business.
        assert a.save_draft("bram", "MC-0001:signal", {"t": "van bram"},
                            typed_at=t0 - timedelta(days=1))
        # Typed after the save: newest wins again.
        b.discard_draft("anouk", "MC-0001:signal")
        assert a.load_draft("anouk", "MC-0001:signal") is None
        assert a.save_draft("anouk", "MC-0001:signal", {"t": "daarna"})
        assert b.load_draft("anouk", "MC-0001:signal")[0] == {"t": "daarna"}
    finally:
        a.close()
        b.close()


async def test_a_restored_draft_left_untouched_does_not_come_back_over_a_later_save(svc, db_path):
    """Session A opened the form and got the draft back but typed nothing; session B saved the
    record. A's hang-up writes what its form holds: that is the old draft, still older."""
    from meldcode_tui.ui.drafts import DraftMixin

    from .conftest import make_service

    case_id = _case(svc)
    key = f"{case_id}:signal"
    other = make_service(db_path)
    try:
        svc.save_draft(key, {"signal-free": TYPED})
        app = make_app(svc)
        async with app.run_test(size=SIZE) as pilot:
            await open_case_screen(pilot, app, case_id)
            await pilot.press("s")
            await pilot.pause()
            assert app.screen.query_one("#signal-free", Input).value == TYPED   # restored
            other.discard_draft(key)                 # B saved the record
            for screen in app.screen_stack:          # A's connection drops
                if isinstance(screen, DraftMixin):
                    screen.draft_flush()
        assert other.load_draft(key) is None
    finally:
        other.store.close()
