"""The dashboard's live poll: free when nothing changed, immediate when a colleague wrote."""

from __future__ import annotations

from meldcode_tui.ui.case_table import CaseTable

from .conftest import make_app, make_service

SIZE = (120, 40)


async def test_refresh_reads_only_when_the_database_moved(svc, db_path):
    svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a", "")
    reads = []
    real_counts = svc.case_counts

    def counting_counts(*args, **kwargs):
        reads.append(1)
        return real_counts(*args, **kwargs)

    svc.case_counts = counting_counts
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dashboard = app.screen
        table = dashboard.query_one(CaseTable)
        assert table.row_count == 1
        first = len(reads)
        for _ in range(3):
            dashboard.reload()              # what the live poll does
        assert len(reads) == first           # nothing changed: no re-read, no redraw

        colleague = make_service(db_path, actor="collega")   # another session, same file
        try:
            colleague.create_case("Daan Jansen (fictief)", "2016-01-02", "5b", "",
                                  owner=svc.actor)
        finally:
            colleague.store.close()
        dashboard.reload()
        await pilot.pause()
        assert len(reads) == first + 1
        assert table.row_count == 2
        await pilot.press("r")              # a forced refresh always reads
        await pilot.pause()
        assert len(reads) == first + 2


async def test_the_table_reads_only_the_pages_in_view(svc):
    """430 cases (5 pages of 100), 34 lines on screen: one page is read at start, not every
    row; jumping to the end reads the two pages the last 34 rows are on, never pages 1-2."""
    for i in range(430):
        svc.create_case(f"Leerling {i:03d} (fictief)", "2015-09-01", "6a", "")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        assert table.row_count == 430
        assert table.fetches == 1
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 429 and table.fetches == 3
        assert sorted(table._pages) == [0, 3, 4]
        assert 429 - table.scroll_y < table.size.height
        assert table.cursor_key == app.screen.visible_rows()[429]["case_id"]
