"""Live: two real services on one SQLite file. One drives the app (run_test), the other writes
as a colleague in another session would; the open dashboard and case screen show the change
within a second (the PRAGMA data_version poll), with the cursor and typed text kept."""

from __future__ import annotations

import time

from textual.widgets import DataTable, Input, TextArea

from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.case_table import CaseTable
from meldcode_tui.ui.forms import FormScreen

from .conftest import make_app, make_service
from .helpers import open_case_screen, type_text

SIZE = (120, 40)


async def _within_a_second(pilot, condition) -> float:
    """Let the app run until ``condition()`` holds; the seconds it took (fails after 1 s)."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < 1.0, "not shown within a second"
        await pilot.pause(0.05)
    return time.monotonic() - start


async def test_dashboard_shows_a_colleagues_case_within_a_second(svc, db_path):
    for name in ("Sanne de Vries (fictief)", "Sam Bakker (fictief)", "Daan Jansen (fictief)"):
        svc.create_case(name, "2015-09-01", "6a", "")
    colleague = make_service(db_path, actor="collega")      # a second store on the same file
    app = make_app(svc)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            dash = app.screen
            table = dash.query_one(CaseTable)
            await pilot.press("slash")
            await type_text(pilot, "sa")                    # being typed: Sanne and Sam
            await pilot.pause()
            assert table.row_count == 2
            await pilot.press("enter")                      # to the table, search kept
            await pilot.press("down")
            on = table.cursor_key
            assert table.cursor_row == 1

            colleague.create_case("Saskia Mulder (fictief)", "2014-02-03", "7b", "",
                                  owner=svc.actor)
            await _within_a_second(pilot, lambda: table.row_count == 3)
            names = [table.get_row_at(i)[0] for i in range(table.row_count)]
            assert any("Saskia" in n for n in names)
            assert table.cursor_key == on                   # the cursor stayed on its case
            assert dash.query_one("#dash-search", Input).value == "sa"
            assert "1:4" in str(dash.query_one("#dash-strip").render()).replace(" ", "") or \
                "Signalen: 4" in str(dash.query_one("#dash-strip").render())
    finally:
        colleague.store.close()


async def test_case_screen_shows_a_colleagues_signal_within_a_second(svc, db_path):
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a", "")
    svc.record_signal(state.case_id, observed_on="2026-03-10", description="Blauwe plek op de arm.",
                     observed_by="juf", source="own")
    colleague = make_service(db_path, actor="collega")
    colleague.all_access = True                             # the aandachtsfunctionaris
    app = make_app(svc)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_case_screen(pilot, app, state.case_id)
            screen = app.screen
            assert isinstance(screen, CaseScreen)
            chronology = screen.query_one("#chronology", DataTable)
            before = chronology.row_count
            chronology.move_cursor(row=0)
            await pilot.press("a")                          # a form on top, text being typed
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormScreen)
            area = form.widget_for("description")
            assert isinstance(area, TextArea)
            area.focus()
            await type_text(pilot, "Gesprek met moeder")

            colleague.record_signal(state.case_id, observed_on="2026-03-15",
                                    description="Vertelt over ruzie thuis.",
                                    observed_by="meester", source="own")
            await _within_a_second(pilot, lambda: chronology.row_count == before + 1)
            whats = " ".join(str(chronology.get_row_at(i)[3]) for i in range(chronology.row_count))
            assert "ruzie thuis" in whats
            assert chronology.cursor_row == 0               # the cursor stayed where it was
            assert app.screen is form and area.text == "Gesprek met moeder"
            assert screen.state.last_seq == colleague.store.case_head(state.case_id)
    finally:
        colleague.store.close()


async def test_an_idle_poll_reads_nothing(svc):
    """With nothing committed the poll is one pragma: no case list, no journal read."""
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a", "")
    reads = []
    real_journal, real_counts = svc.journal, svc.case_counts
    svc.journal = lambda *a, **k: reads.append("journal") or real_journal(*a, **k)
    svc.case_counts = lambda *a, **k: reads.append("counts") or real_counts(*a, **k)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, state.case_id)
        await pilot.pause(0.3)                              # the access-log write settles
        app.screen._poll()
        reads.clear()
        await pilot.pause(1.2)                              # two polls
        assert reads == []


async def test_opening_a_case_reads_it_once_and_journals_the_view_after_the_first_paint(svc):
    """One journal read of that case (folded once, open points from that fold), nothing of
    other cases; the access-log event follows the first paint."""
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a", "")
    svc.create_case("Daan Jansen (fictief)", "2016-01-02", "5b", "")
    calls = []
    for name in ("journal", "get_state", "open_points", "list_cases"):
        real = getattr(svc, name)
        setattr(svc, name, lambda *a, _n=name, _r=real, **k: calls.append((_n, a[:1])) or _r(*a, **k))
    real_open = svc.open_case
    seen_at_view = []

    def open_case(case_id, *a, **k):
        screen = app.screen                               # shown and filled before the write
        seen_at_view.append(isinstance(screen, CaseScreen) and screen.state is not None
                            and screen.query_one("#chronology", DataTable).row_count > 0)
        return real_open(case_id, *a, **k)

    svc.open_case = open_case
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calls.clear()
        await open_case_screen(pilot, app, state.case_id)
        await pilot.pause()
        assert calls == [("journal", (state.case_id,))]
        assert seen_at_view == [True]                       # the screen was shown first
        kinds = [e.kind for e in svc.store.case_events(state.case_id)]
        assert kinds[-1] == "case_viewed"
