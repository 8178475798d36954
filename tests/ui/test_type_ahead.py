"""Typing ahead: keys that arrive together (over SSH, a burst from the terminal) land in the
fields they were typed for ("nothing typed is lost"; found in tmux, where
"Sanne<Tab>01-09-2016" put the date in the name field)."""

from __future__ import annotations

from textual import events

from meldcode_tui.ui.forms import FormScreen

from .conftest import make_app


def _burst(app, text: str) -> None:
    """Post the keys straight into the app's queue, as the terminal driver does when one read
    brings several keys: no pause between them for the app to settle."""
    for ch in text:
        if ch == "\t":
            app.post_message(events.Key("tab", None))
        elif ch == "\x19":
            app.post_message(events.Key("shift+tab", None))
        else:
            app.post_message(events.Key(ch, ch))


async def test_keys_typed_ahead_across_tab_go_to_the_next_field(svc):
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        # Shift+Tab twice back to the name; a field reached by Tab has its text selected, so
        # what is typed there replaces it (as in a browser).
        _burst(app, "Sanne\t01-09-2016\t6\x19\x19Sanne V")
        await pilot.pause()
        await pilot.pause()
        assert form.widget_for("pupil_name").value == "Sanne V"
        assert form.widget_for("date_of_birth").value == "01-09-2016"
        assert form.widget_for("group").value == "6"


async def test_ctrl_s_typed_ahead_saves_what_was_typed_before_it(svc):
    """Ctrl+S is a priority key (it saves from any field); in a burst it used to run before the
    fields had the characters typed just before it."""
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        _burst(app, "Sanne de Vries (fictief)\t01-09-2016\t6")
        app.post_message(events.Key("ctrl+s", None))
        for _ in range(5):
            await pilot.pause()
        assert not isinstance(app.screen, FormScreen), str(app.screen.query_one("#form-error").render())
    (row,) = svc.list_cases()
    assert row["pupil_name"] == "Sanne de Vries (fictief)"
    state = svc.get_state(row["case_id"])
    assert (state.pupil.date_of_birth, state.pupil.group) == ("2016-09-01", "6")


async def test_enter_space_typed_ahead_in_the_signal_search_ticks_the_first_result(svc):
    """Enter in the search moves to the results; a Space right behind it ticks the first one
    (it went into the search as a trailing space: Textual's ``focus()`` waits in the app's
    queue behind the keys already typed)."""
    from .helpers import open_case_screen

    cid = svc.create_case("Sanne de Vries (fictief)", "2016-09-01", "6", "").case_id
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_case_screen(pilot, app, cid)
        await pilot.press("s")
        await pilot.pause()
        _burst(app, "blauwe plekken")
        app.post_message(events.Key("enter", None))
        app.post_message(events.Key("space", " "))
        for _ in range(5):
            await pilot.pause()
        picker = app.screen
        assert picker.query_one("#signal-search").value == "blauwe plekken"
        assert picker.focused.id == "signal-results"
        assert len(picker.query_one("#signal-results").selected) == 1
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert len(svc.get_state(cid).signals) == 1



async def test_keys_typed_while_a_form_opens_reach_its_first_field(svc):
    """"n" and the pupil's name in one burst: the name's keys arrive before the form exists."""
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        _burst(app, "nSanne\t01-09-2016")
        for _ in range(5):
            await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.widget_for("pupil_name").value == "Sanne"
        assert form.widget_for("date_of_birth").value == "01-09-2016"


async def test_four_names_each_with_enter_in_one_burst_are_four_people(svc):
    from .helpers import open_case_screen

    cid = svc.create_case("Sanne de Vries (fictief)", "2016-09-01", "6", "").case_id
    svc.record_signal(cid, description="Blauwe plek op de arm.", observed_on="2026-03-10",
                      observed_by="juf (fictief)", source="own")
    svc.complete_step(cid, 1)
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_case_screen(pilot, app, cid)
        _burst(app, "z")
        for name in ("Juf Anna", "Piet", "Fatima", "Directeur Bos"):
            _burst(app, name)
            app.post_message(events.Key("enter", None))
        _burst(app, "Extra")                      # left in the add row: saved too
        app.post_message(events.Key("space", " "))
        app.post_message(events.Key("ctrl+s", None))
        for _ in range(8):
            await pilot.pause()
    team = svc.get_state(cid).care_team
    assert [m["name"] for m in team] == ["Juf Anna", "Piet", "Fatima", "Directeur Bos", "Extra"]
    assert [m["role"] for m in team][:4] == ["leerkracht", "interne_vertrouwenspersoon",
                                            "ondersteuningscoach", "schoolleider"]
