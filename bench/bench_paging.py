"""The dashboard's SQL listing on a board-sized database: the listing pages in SQL, not in Python.

    .venv/bin/python bench/bench_paging.py /tmp/board.sqlite

Times, per filter/sort: the count, the first page (100 rows), a page deep in the list, and
the grouped counts per step; search per keystroke (FTS hits + name match + count + page);
for an all-access user and a member-only user; and the old path (list_cases in Python) for
comparison. Read-only.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from meldcode_tui.service import CaseService  # noqa: E402
from meldcode_tui.store import open_store  # noqa: E402


def timed(fn, n=20):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    out.sort()
    return statistics.median(out), out[int(len(out) * 0.95) - 1 if len(out) > 1 else 0]


def main() -> int:
    db = Path(sys.argv[1])
    store = open_store(db)
    for actor, all_access in (("bench-beheer", True), ("coordinator-anna", False)):
        svc = CaseService(store, actor=actor, all_access=all_access)
        print(f"== {actor} (all_access={all_access})")
        med, p95 = timed(lambda: svc.list_cases(include_closed=True), 5)
        print(f"old: list_cases() into Python: median {med:.1f} ms")
        for sort in ("next_deadline", "pupil_name", "step", "last_change_at", "status"):
            f = svc.case_filter(include_closed=False)
            n = svc.case_count(f)
            c = timed(lambda: svc.case_count(f))
            p = timed(lambda: svc.case_page(f, sort, 0, 100))
            d = timed(lambda: svc.case_page(f, sort, max(n - 100, 0), 100))
            print(f"sort {sort:15} {n:5} rows: count {c[0]:.1f} ms, first page {p[0]:.1f} ms "
                  f"(p95 {p[1]:.1f}), last page {d[0]:.1f} ms")
        f = svc.case_filter(include_closed=False, overdue=True, step=2)
        print(f"overdue+step 2: page {timed(lambda: svc.case_page(f))[0]:.1f} ms")
        print(f"counts per step (one grouped query): {timed(svc.case_counts)[0]:.1f} ms")
        per_key = []
        for query in ("blauwe plek", "ruzie", "moe", "slaapt", "Jansen", "schreeuw", "honger", "MC-0042"):
            for i in range(2, len(query) + 1):
                t = time.perf_counter()
                f = svc.case_filter(include_closed=False, search=query[:i])
                svc.case_count(f)
                svc.case_page(f, "next_deadline", 0, 100)
                per_key.append((time.perf_counter() - t) * 1000)
        per_key.sort()
        print(f"search per keystroke (fts + name + count + first page), {len(per_key)} keystrokes: "
              f"median {statistics.median(per_key):.1f} ms, p95 {per_key[int(len(per_key) * 0.95)]:.1f} ms, "
              f"max {per_key[-1]:.1f} ms")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
