"""The case screen's chronology: ChronologyTable paints what the stock DataTable
paints; a long chronology shows its last screenful first and the rest right after the first
paint, and then behaves as a whole table (last row, cursor, scroll, live reload)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.widgets import DataTable

from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.chronology import ChronologyTable

from .conftest import make_app, make_service
from .helpers import open_case_screen

SIZE = (120, 40)
LABELS = ("#", "Datum", "Soort", "Wat", "Wie")
ROWS = [("1", "01-02-2026", "Signaal", "Blauwe plek [x] op de arm", "juf"),
        ("2", "02-02-2026", "Consultatie", "é 漢字 – breed", "meester-lang"),
        ("10", "03-02-2026", "Gesprek", "met\ttab", "x"),          # not printable: stock path
        ("11", "03-02-2026", "", "", "y")]                          # empty cells: stock path


class _Both(App):
    def compose(self):
        yield DataTable(id="stock", cursor_type="row", zebra_stripes=True)
        yield ChronologyTable(id="fast", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            for label in LABELS:
                table.add_column(label, key=label)
            for row in ROWS:
                table.add_row(*(Text(c) for c in row), key=row[0])
        fast = self.query_one("#fast", ChronologyTable)
        fast.set_widths(max(fast.text_width(c) for c in col) for col in zip(LABELS, *ROWS))


async def test_chronology_table_paints_what_the_stock_table_paints():
    """Segment for segment, focused and not, the cursor on each row; widths and size alike.
    Fails when a Textual upgrade changes the DataTable internals the fast path copies."""
    app = _Both()
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        stock, fast = app.query_one("#stock", DataTable), app.query_one("#fast", ChronologyTable)
        assert [c.get_render_width(stock) for c in stock.ordered_columns] == \
            [c.get_render_width(fast) for c in fast.ordered_columns]
        assert stock.virtual_size == fast.virtual_size
        for row in range(len(ROWS)):
            stock.move_cursor(row=row)
            fast.move_cursor(row=row)
            for focused in (True, False):
                seen = []
                for table in (stock, fast):
                    app.set_focus(table if focused else None)
                    await pilot.pause()
                    seen.append([list(strip) for strip in table.render_lines(table.size.region)])
                assert seen[0] == seen[1], (row, focused)
        # the plain cells went the direct way (they are in the table's own cache)
        assert fast._cell_render_cache


def _long_case(svc, n: int) -> str:
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a", "")
    for i in range(n):
        svc.record_signal(state.case_id, observed_on="2026-03-10",
                          description=f"Signaal nummer {i} (fictief).", observed_by="juf",
                          source="own")
    return state.case_id


def _whats(table) -> list[str]:
    return [str(table.get_row_at(i)[3]) for i in range(table.row_count)]


async def test_a_long_chronology_shows_its_end_first_and_then_every_row(svc):
    case_id = _long_case(svc, 150)
    expected = len([e for e in svc.journal(case_id) if e.kind != "case_viewed"])
    app = make_app(svc)
    first_paint = []
    original = CaseScreen._fill_rest

    def fill_rest(self, *args):
        # the first paint is behind us: what did it show?
        table = self.query_one("#chronology", DataTable)
        first_paint.append((table.row_count, _whats(table)[-1], int(table.scroll_y)))
        return original(self, *args)

    CaseScreen._fill_rest = fill_rest
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_case_screen(pilot, app, case_id)
            await pilot.pause()
            table = app.screen.query_one("#chronology", DataTable)
            # first: one screenful from the end, its last row the last record
            assert first_paint and first_paint[0][0] == SIZE[1] < expected
            assert "Signaal nummer 149" in first_paint[0][1]
            # then: every row, in order, the cursor still on the last one and in view
            assert table.row_count == expected
            whats = _whats(table)
            numbers = [int(w.split("nummer ")[1].split(" ")[0]) for w in whats if "nummer" in w]
            assert numbers == list(range(150))
            seqs = [int(str(table.get_row_at(i)[0])) for i in range(table.row_count)]
            assert seqs == sorted(seqs)
            assert table.cursor_row == expected - 1
            assert app.screen.selected_seq() == seqs[-1]
            height = table.scrollable_content_region.height
            assert table.scroll_y >= table.max_scroll_y - 1 and table.max_scroll_y > 0
            assert table.scroll_y + height >= expected       # the last row is on screen
            # the cursor and the scroll keep working over the whole table
            table.focus()
            await pilot.press("up")
            assert table.cursor_row == expected - 2
            await pilot.press("pageup")
            await pilot.pause()
            assert table.cursor_row < expected - 20                # a page up, over the rows
            assert table.scroll_y < table.max_scroll_y - 10         # that came after the paint
            await pilot.press("ctrl+home")
            await pilot.pause()
            assert table.cursor_row == 0 and table.scroll_y == 0
            assert app.screen.selected_seq() == seqs[0]
            await pilot.press("ctrl+end")
            await pilot.pause()
            assert table.cursor_row == expected - 1
            assert table.scroll_y == table.max_scroll_y
    finally:
        CaseScreen._fill_rest = original


async def test_a_colleagues_record_shows_at_the_end_of_a_long_chronology(svc, db_path):
    case_id = _long_case(svc, 120)
    colleague = make_service(db_path, actor="collega")
    colleague.all_access = True
    app = make_app(svc)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_case_screen(pilot, app, case_id)
            await pilot.pause()
            table = app.screen.query_one("#chronology", DataTable)
            before = table.row_count
            table.move_cursor(row=10)
            await pilot.pause()
            on_seq = app.screen.selected_seq()
            colleague.record_signal(case_id, observed_on="2026-03-15",
                                    description="Vertelt over ruzie thuis.", observed_by="meester",
                                    source="own")
            for _ in range(30):
                await pilot.pause(0.05)
                if table.row_count == before + 1:
                    break
            assert table.row_count == before + 1
            assert "ruzie thuis" in _whats(table)[-1]               # the new row is the last
            assert app.screen.selected_seq() == on_seq              # the cursor stayed on its row
    finally:
        colleague.store.close()


async def test_a_reload_before_the_rest_arrives_shows_every_row_once(svc):
    """A reload while the older rows of a long chronology are still to come: one full table,
    the pending rest dropped, the cursor on the row it was on."""
    case_id = _long_case(svc, 100)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_case(case_id)
        screen = None
        for _ in range(50):
            await pilot.pause(0)
            screen = app.screen
            if isinstance(screen, CaseScreen) and screen._rows_to_come:
                break
        assert isinstance(screen, CaseScreen) and screen._rows_to_come > 0
        table = screen.query_one("#chronology", DataTable)
        partial_last = screen.selected_seq()
        screen.reload()                                           # before the rest came
        await pilot.pause()
        expected = len([e for e in svc.journal(case_id) if e.kind != "case_viewed"])
        assert table.row_count == expected
        seqs = [int(str(table.get_row_at(i)[0])) for i in range(table.row_count)]
        assert seqs == sorted(set(seqs))                          # each row once, in order
        assert screen.selected_seq() == partial_last
