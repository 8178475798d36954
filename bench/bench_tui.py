"""TUI benchmark: how the app feels on a board-sized database, headless (Textual's run_test).

    .venv/bin/python bench/bench_tui.py bench/out/board.sqlite

Prints: time from start to a filled dashboard, a dashboard search (as typed), opening a case
(its screen with open points and chronology), and the process's peak memory. The acting user
sees every case (like an aandachtsfunctionaris with `[access] all_cases`). Opening a case
journals a `case_viewed` event, as in real use: run it on a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def run(db: Path, queries: list[str], size: tuple[int, int]) -> None:
    from textual.widgets import DataTable

    from meldcode_tui.config import Config
    from meldcode_tui.plugins import load_plugins
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store
    from meldcode_tui.ui.app import MeldcodeApp
    from meldcode_tui.ui.case import CaseScreen

    t0 = time.perf_counter()
    svc = CaseService(open_store(db), actor="bench-beheer", plugins=load_plugins(Config()), all_access=True)
    app = MeldcodeApp(svc, plugin_host=svc.plugins, refresh_seconds=3600)
    async with app.run_test(size=size) as pilot:
        while True:
            await pilot.pause()
            tables = app.screen.query(DataTable)
            if tables and tables.first().row_count > 0:
                break
        start = time.perf_counter() - t0
        rows = tables.first().row_count
        dash = app.screen

        timings = []
        for q in queries:
            t = time.perf_counter()
            dash._run_search(q)
            dash._render_table()
            await pilot.pause()
            timings.append(time.perf_counter() - t)
        dash._run_search("")
        dash._render_table()

        case_id = svc.store.case_rows()[0]["case_id"]
        t = time.perf_counter()
        app.open_case(case_id)
        while not isinstance(app.screen, CaseScreen) or not app.screen.query("DataTable"):
            await pilot.pause()
        await pilot.pause()
        open_case = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {db} ({db.stat().st_size / 1e6:.0f} MB), {len(svc.store.case_rows())} cases, size {size[0]}x{size[1]}")
    print(f"start to filled dashboard: {start * 1000:.0f} ms ({rows} rows shown)")
    print(f"dashboard search (full text + names, table redrawn): median {statistics.median(timings) * 1000:.0f} ms, "
          f"max {max(timings) * 1000:.0f} ms over {len(timings)} queries")
    print(f"open a case (case screen with open points and chronology): {open_case * 1000:.0f} ms")
    print(f"peak memory (RSS): {peak_mb:.0f} MB")
    svc.store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--width", type=int, default=120)
    ap.add_argument("--height", type=int, default=40)
    args = ap.parse_args()
    queries = ["blauwe plek", "ruzie", "moe", "slaapt", "Jansen", "schreeuw", "honger", "MC-0042"]
    asyncio.run(run(args.db, queries, (args.width, args.height)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
