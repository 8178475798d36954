"""The board's figures: 20 generated schools of 1,000 cases each, side by side with a floor.

    .venv/bin/python bench/bench_stats.py [--schools 20] [--cases 1000] [--dir bench/out/stats]

Generates the schools once (tests/stats/generate.py: every kind the figures count, one school
year), then times, median of 5 runs each:

- floor: raw SQLite over the same files, one read-only connection per school and one plain
  ``SELECT kind, count(*) FROM events GROUP BY kind`` (no payload read, no JSON);
- ``board_figures``: every school opened read-only, counted (store/stats.py), protected
  (domain/anonymity.py) and laid side by side (domain/figures.py);
- ``meldcode stats --school ... --json`` as a whole command (a new process, start-up included).

Goal: the board's figures in under 2 s on the 2-core box.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from meldcode_tui.domain import figures as F  # noqa: E402
from meldcode_tui.service_layer.stats import School, board_figures  # noqa: E402
from meldcode_tui.store import open_store  # noqa: E402
from tests.stats.generate import YEAR, generate  # noqa: E402


def timed(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=20)
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--dir", default=str(ROOT / "bench" / "out" / "stats"))
    a = ap.parse_args()
    folder = Path(a.dir)
    folder.mkdir(parents=True, exist_ok=True)
    schools = []
    events = 0
    for i in range(a.schools):
        path = folder / f"school-{i:02d}-{a.cases}.sqlite"
        if not path.exists():
            store = open_store(path, create=True)
            generate(store, a.cases, seed=100 + i)
            store.close()
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            events += conn.execute("SELECT count(*) FROM events").fetchone()[0]
        schools.append(School(f"School {i + 1:02d}", path))
    period = F.school_year(date(YEAR, 9, 1))

    def floor():
        for s in schools:
            conn = sqlite3.connect(f"file:{s.db}?mode=ro", uri=True)
            conn.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall()
            conn.close()

    def figures():
        board_figures(schools, period, date(YEAR + 1, 9, 1))

    def command():
        args = [str(ROOT / ".venv" / "bin" / "meldcode"), "stats", "--year", str(YEAR), "--json"]
        for s in schools:
            args += ["--school", f"{s.name}={s.db}"]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)

    figures()                                   # warm the page cache once, like a second look
    cpu = time.process_time()
    figures()
    cpu = time.process_time() - cpu             # CPU seconds of all threads (a loaded box inflates wall time)
    f, b, c = timed(floor), timed(figures), timed(command, 3)
    print(f"{a.schools} schools x {a.cases} cases ({events:,} events)")
    print(f"floor (SELECT kind, count(*) per school)   {f * 1000:8.0f} ms")
    print(f"board_figures (count, protect, side by side) {b * 1000:8.0f} ms   ratio {b / f:5.1f}x")
    print(f"  of which CPU (both threads)                 {cpu * 1000:8.0f} ms")
    print(f"meldcode stats --school x{a.schools} --json      {c * 1000:8.0f} ms   (whole command)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
