"""The TUI side by side with the floor (bench/floor_app.py), in one run, as ratios.

    .venv/bin/python bench/make_board_db.py --cases 10000 --events 1000000 /tmp/board.sqlite
    .venv/bin/python bench/bench_side_by_side.py /tmp/board.sqlite

Start: each app as its own process (interpreter start, imports, open, first paint of the
dashboard or the floor's table, headless 120x40), alternated, median of ``--runs``; on the board
database and on a fresh 10-case demo database. Then in one process on a scratch copy of the board
database (opening a case journals a view): search as typed (per keystroke: the query, the count,
the layout and painting the visible rows), 200 cursor moves (move + repaint of the window),
opening cases (to the first paint of the case screen), the live delay (another process commits
a case; until the open dashboard shows it), and peak memory. The user sees every case. Not a
test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

QUERIES = ["blauwe plek", "ruzie thuis", "honger", "MC-0042", "Jansen", "schreeuwt"]


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def start_time(*args: str) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(HERE / "_start_child.py"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        took = time.perf_counter() - t0
        if line.strip() != "painted":
            raise RuntimeError(f"child {args} did not paint")
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return took


def make_demo(path: Path) -> None:
    from meldcode_tui.demo import create_demo
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    svc = CaseService(open_store(path, create=True), actor="bench-beheer", all_access=True)
    try:
        create_demo(svc)
    finally:
        svc.store.close()


def paint(table) -> None:
    """What the compositor asks of the table for a full repaint of its window."""
    table.render_lines(table.size.region)


async def in_process(db: Path, size: tuple[int, int]) -> dict:
    from meldcode_tui.config import Config
    from meldcode_tui.plugins import load_plugins
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store
    from meldcode_tui.ui.app import MeldcodeApp
    from meldcode_tui.ui.case import CaseScreen
    from meldcode_tui.ui.case_table import CaseTable
    from floor_app import FloorCaseScreen

    svc = CaseService(open_store(db), actor="bench-beheer", plugins=load_plugins(Config()),
                      all_access=True)
    out: dict = {}
    app = MeldcodeApp(svc, plugin_host=svc.plugins)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        dash = app.screen
        table = dash.query_one(CaseTable)
        out["rows"] = table.row_count

        keystrokes, raw = [], []
        for q in QUERIES:
            for n in range(1, len(q) + 1):
                t = time.perf_counter()
                was = dash.searching
                dash.search_text = q[:n]
                if dash.searching or was:            # what on_input_changed does
                    dash._render_table(keep_cursor=False)
                paint(table)
                keystrokes.append(time.perf_counter() - t)
                if n >= 2:
                    t = time.perf_counter()
                    svc.store.search(q[:n])
                    raw.append(time.perf_counter() - t)
        dash.search_text = ""
        dash._render_table()
        out["search"], out["fts"] = keystrokes, raw

        moves = []
        for _ in range(200):
            t = time.perf_counter()
            table.action_cursor_down()
            paint(table)
            moves.append(time.perf_counter() - t)
        out["moves"] = moves
        table.action_first()

        # The case screen's frames: each compositor refresh of it while it is on top, with what
        # it shows then (header, open points, footer keys, chronology rows, scroll, cursor,
        # layout). "First paint" is the first frame; "complete" the first frame that shows what
        # the screen shows once the app is idle ("settled": the rest of a long chronology added,
        # the view journalled). Taking the snapshot of a frame is not counted.
        from textual.screen import Screen
        from textual.widgets import Footer, OptionList, Static

        frames: list[tuple[float, tuple | None, float]] = []

        def shows(screen) -> tuple | None:
            try:
                chron = screen.query_one("#chronology")
                footer = screen.query_one(Footer)
                points = screen.query_one("#points", OptionList)
                return (str(screen.query_one("#case-header", Static).render()),
                        points.option_count, points.highlighted,
                        tuple(str(getattr(k, "description", "")) for k in footer.children),
                        chron.row_count, int(chron.scroll_y), chron.cursor_row,
                        tuple(w.region for w in (chron, footer, points)), chron.virtual_size)
            except Exception:  # noqa: BLE001 - not composed yet
                return None

        original_refresh = Screen._compositor_refresh

        def compositor_refresh(self) -> None:
            original_refresh(self)
            if isinstance(self, (CaseScreen, FloorCaseScreen)) and self is self.app.screen:
                t = time.perf_counter()
                frames.append((t, shows(self), time.perf_counter() - t))

        Screen._compositor_refresh = compositor_refresh

        async def open_one(case_id: str | None, floor=None) -> tuple[float, float, float, int]:
            frames.clear()
            t = time.perf_counter()
            if floor is not None:
                app.push_screen(floor)
            else:
                app.open_case(case_id)
            await pilot.pause()
            settled = time.perf_counter() - t
            await pilot.pause(0.3)
            final = shows(app.screen)
            first = complete = None
            overhead = 0.0
            for at, seen, cost in frames:
                at -= t + overhead
                overhead += cost
                first = at if first is None else first
                if complete is None and seen == final:
                    complete = at
            screen = app.screen
            n = len(getattr(screen, "_events", ()))
            if floor is None:
                assert isinstance(screen, CaseScreen)
                chron = screen.query_one("#chronology")
                floors.append(FloorCaseScreen(
                    str(screen.query_one("#case-header", Static).render()),
                    [str(o.prompt) for o in screen.query_one("#points", OptionList).options],
                    [tuple(str(c) for c in chron.get_row_at(i)) for i in range(chron.row_count)]))
            app.pop_screen()
            await pilot.pause()
            return first, complete if complete is not None else settled, settled, n

        floors: list = []
        opens, completes, settles = [], [], []
        for _round in range(2):
            for i in range(5):
                first, complete, settled, n = await open_one(table.key_at(i * 7))
                opens.append(first)
                completes.append(complete)
                settles.append(settled)
                out.setdefault("events", []).append(n)
        out["open"], out["complete"], out["settled"] = opens, completes, settles
        # The floor: the same rows in a bare screen, pushed the same way (each case once more).
        floor_runs = [await open_one(None, floor=f) for f in floors]
        out["floor_open"] = [r[0] for r in floor_runs]
        out["floor_complete"] = [r[1] for r in floor_runs]
        longest = svc.store.db.execute(
            "SELECT case_id FROM events WHERE case_id IS NOT NULL GROUP BY case_id "
            "ORDER BY count(*) DESC LIMIT 1").fetchone()
        if longest:
            longest = longest[0]
            runs = [await open_one(longest) for _ in range(3)]
            out["longest"] = ([r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs],
                              runs[0][3])
        Screen._compositor_refresh = original_refresh

        delays = []
        for i in range(3):
            total = dash.counts["total"]
            proc = subprocess.run([sys.executable, "-c", (
                "import sys, time; sys.path.insert(0, sys.argv[2])\n"
                "from meldcode_tui.service import CaseService\n"
                "from meldcode_tui.store import open_store\n"
                "svc = CaseService(open_store(sys.argv[1]), actor='collega', all_access=True)\n"
                "svc.create_case('Live Test (fictief)', '2015-09-01', '6a', '')\n"
                "print(time.time())\n"), str(db), str(HERE.parent)],
                capture_output=True, text=True, check=True)
            committed = float(proc.stdout.strip())
            while dash.counts["total"] == total:
                await pilot.pause(0.01)
            delays.append(time.time() - committed)
        out["live"] = delays
    svc.store.close()
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path, help="the board database (left untouched: a copy is used)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="meldcode-bench-") as tmp:
        demo = Path(tmp) / "demo.sqlite"
        make_demo(demo)
        scratch = Path(tmp) / "board.sqlite"
        shutil.copyfile(args.db, scratch)
        starts: dict[str, list[float]] = {"floor": [], "board": [], "demo": []}
        for _ in range(args.runs):
            starts["floor"].append(start_time("floor"))
            starts["board"].append(start_time("meldcode", str(scratch)))
            starts["demo"].append(start_time("meldcode", str(demo)))
        r = asyncio.run(in_process(scratch, (120, 40)))
    ms = lambda s: f"{s * 1000:.0f} ms"                       # noqa: E731
    floor = statistics.median(starts["floor"])
    board, demo_s = statistics.median(starts["board"]), statistics.median(starts["demo"])
    search50, search95 = statistics.median(r["search"]), p95(r["search"])
    opened = statistics.median(r["open"])
    print(f"database: {args.db} ({args.db.stat().st_size / 1e6:.0f} MB), {r['rows']} open cases "
          f"shown, 120x40, {args.runs} starts each (median)")
    print(f"start to first paint, floor app (header, DataTable 8x200, footer): {ms(floor)}")
    print(f"start to first painted dashboard, board db: {ms(board)}  = {board / floor:.2f}x floor "
          "(goal <= 1.3x)")
    print(f"start to first painted dashboard, demo db:  {ms(demo_s)}  = {demo_s / floor:.2f}x floor")
    print(f"search as typed, {len(r['search'])} keystrokes: p50 {ms(search50)}, p95 {ms(search95)}, "
          f"max {ms(max(r['search']))} = p95 {search95 / 0.050:.2f}x the 50 ms goal; raw FTS5 p95 "
          f"{p95(r['fts']) * 1000:.1f} ms (search p95 = {search95 / p95(r['fts']):.1f}x raw FTS)")
    print(f"cursor moves (200, move + repaint of the window): median "
          f"{statistics.median(r['moves']) * 1000:.2f} ms, max {max(r['moves']) * 1000:.2f} ms "
          f"(goal: none over 16 ms)")
    print(f"open a case ({min(r['events'])}-{max(r['events'])} events), to first paint: median "
          f"{ms(opened)}, max {ms(max(r['open']))} = {opened / 0.100:.2f}x the 100 ms goal, "
          f"{opened / floor:.2f}x the floor's whole start")
    print(f"open a case, to the first frame showing all it will show: median "
          f"{ms(statistics.median(r['complete']))}, max {ms(max(r['complete']))}; until settled "
          f"(view journalled, app idle): median {ms(statistics.median(r['settled']))}, "
          f"max {ms(max(r['settled']))}")
    fo, fc = statistics.median(r["floor_open"]), statistics.median(r["floor_complete"])
    print(f"floor: the same rows in a bare screen (header, points, DataTable, footer), pushed: "
          f"first paint median {ms(fo)}, complete {ms(fc)}; the case screen = "
          f"{opened / fo:.2f}x / {statistics.median(r['complete']) / fc:.2f}x the floor")
    if "longest" in r:
        firsts, complete, settled, n = r["longest"]
        print(f"open the longest case ({n} events), 3 times: first paint "
              f"{', '.join(ms(x) for x in firsts)}; complete (all rows) "
              f"{', '.join(ms(x) for x in complete)}; settled {', '.join(ms(x) for x in settled)}")
    print(f"live delay (another process commits a case -> open dashboard shows it): "
          f"{', '.join(ms(d) for d in r['live'])} (goal <= 1 s)")
    print(f"peak memory (RSS, the in-process run): {r['rss_mb']:.0f} MB (goal < 150 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
