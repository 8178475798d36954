"""What handling keys in order costs (ui/key_order.py), side by side with the floor.

    .venv/bin/python bench/bench_keys.py [--keys 200]

One process, headless 120x40, on a fresh demo database. The same app twice: as built (each key
waits until the one before it has had all its effects), and with Textual's own key handling
(the floor: ``KeysInOrder`` bypassed). Two measurements each:

- a burst: ``--keys`` arrow-down keys posted at once into the app's queue (as one terminal read
  would bring them), timed until the last one has moved the dashboard's cursor;
- typed: the same keys one at a time, each timed from posting until its cursor move (the time
  a person waits for a key);
- text: ``--keys`` letters at once into the dashboard's search field, until the field has them
  all (text into the field with the cursor goes straight on).

Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def make_app(db: Path, ordered: bool):
    from textual.app import App

    from meldcode_tui.demo import create_demo
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store
    from meldcode_tui.ui.app import MeldcodeApp

    store = open_store(db, create=True)
    svc = CaseService(store, actor="bench")
    if store.is_empty():
        create_demo(svc)

    import meldcode_tui.ui.app as app_module

    class Floor(MeldcodeApp):
        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

        async def on_event(self, event) -> None:       # Textual's own: skip KeysInOrder
            await App.on_event(self, event)

    return (MeldcodeApp if ordered else Floor)(svc)


async def measure(db: Path, ordered: bool, n: int) -> tuple[float, list[float]]:
    from textual import events

    from meldcode_tui.ui.case_table import CaseTable

    app = make_app(db, ordered)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        table.focus()
        await pilot.pause()
        rows = table.row_count

        async def until(row: int) -> None:
            while table.cursor_row != row:
                await asyncio.sleep(0)

        # burst: n keys at once, down and back up so the cursor ends where it can be checked
        table.move_cursor(0)
        await pilot.pause()
        t0 = time.perf_counter()
        for i in range(n):
            app.post_message(events.Key("down" if (i // (rows - 1)) % 2 == 0 else "up", None))
        expected = _walk(n, rows)

        async def settled() -> None:
            # the walk passes each row many times: done when nothing is left to handle
            while True:
                await until(expected)
                await pilot._wait_for_screen()
                if table.cursor_row == expected and not app.keys_pending:
                    return

        await asyncio.wait_for(settled(), 60)
        burst = time.perf_counter() - t0
        await pilot.pause()

        # typed: one at a time
        per_key = []
        table.move_cursor(0)
        await pilot.pause()
        for i in range(n):
            target = _walk(i + 1, rows)
            t0 = time.perf_counter()
            app.post_message(events.Key("down" if (i // (rows - 1)) % 2 == 0 else "up", None))
            try:
                await asyncio.wait_for(until(target), 10)
            except TimeoutError:
                raise RuntimeError(f"ordered={ordered} key {i}: cursor {table.cursor_row}, "
                                   f"expected {target} of {rows} rows") from None
            per_key.append(time.perf_counter() - t0)
            while getattr(app, "keys_pending", False):
                await asyncio.sleep(0)

        # text: n letters at once into the dashboard's search field
        from textual.widgets import Input

        box = app.screen.query_one("#dash-search", Input)
        box.focus()
        await pilot.pause()
        t0 = time.perf_counter()
        for _ in range(n):
            app.post_message(events.Key("x", "x"))
        while len(box.value) < n:
            await asyncio.sleep(0)
        text = time.perf_counter() - t0
    app.svc.store.close()
    return burst, per_key, text


def _walk(n: int, rows: int) -> int:
    """Where the cursor is after ``n`` keys going down to the last row, up to the first, …"""
    span = rows - 1
    k = n % (2 * span)
    return k if k <= span else 2 * span - k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite"
        results = {}
        for ordered in (False, True, False, True):          # alternated, the second pair counts
            results[ordered] = asyncio.run(measure(db, ordered, args.keys))
    (fb, fk, ft), (ob, ok, ot) = results[False], results[True]
    ms = 1000
    print(f"burst of {args.keys} keys: floor {fb * ms:.0f} ms, in order {ob * ms:.0f} ms "
          f"({ob / fb:.2f}x); per key {fb / args.keys * ms:.2f} vs {ob / args.keys * ms:.2f} ms")
    print(f"typed one at a time: floor median {statistics.median(fk) * ms:.2f} ms, max "
          f"{max(fk) * ms:.1f} ms; in order median {statistics.median(ok) * ms:.2f} ms, max "
          f"{max(ok) * ms:.1f} ms ({statistics.median(ok) / statistics.median(fk):.2f}x)")
    print(f"{args.keys} letters at once into the search field (each one searches): floor "
          f"{ft * ms:.0f} ms, in order {ot * ms:.0f} ms ({ot / ft:.2f}x)")


if __name__ == "__main__":
    main()
