"""The dashboard's periodic refresh: free when nothing changed, immediate when a colleague wrote."""

from __future__ import annotations

from textual.widgets import DataTable

from .conftest import make_app, make_service

SIZE = (120, 40)


async def test_refresh_reads_only_when_the_journal_moved(svc, db_path):
    svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a", "")
    reads = []
    real_list_cases = svc.list_cases

    def counting_list_cases(*args, **kwargs):
        reads.append(1)
        return real_list_cases(*args, **kwargs)

    svc.list_cases = counting_list_cases
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dashboard = app.screen
        table = dashboard.query_one(DataTable)
        assert table.row_count == 1
        first = len(reads)
        for _ in range(3):
            dashboard.reload()              # what the 30-second timer does
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
