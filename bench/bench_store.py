"""Store benchmarks on a board-sized database (make one with bench/make_board_db.py).

    .venv/bin/python bench/bench_store.py DB [--appends 1000] [--queries 200]

Prints:
  * open-to-first-case-list: open_store + case_rows() (sorted by last change), median of runs
  * full-text query latency: median and p95 over ~200 realistic prefix queries
  * verify: events verified per second (whole journal, as `meldcode verify` does it)
  * appends/s: single committed transactions (synchronous=FULL) through the real
    CaseService (record_signal) and, for comparison, through the bare store API;
    measured on a copy of DB so the original stays as generated.
Goals (2-core box): case list < 100 ms, FTS p95 < 50 ms, verify 1M < 4 s, >= 1000 appends/s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from meldcode_tui.store import open_store

QUERY_WORDS = ["blauwe", "ruzie", "ontbijt", "angst", "geschreeuwd", "schoolresultaten",
               "vermoeid", "vader", "moeder", "pols", "verzuim", "kleding", "onrust", "partner",
               "verwaarlozing", "gespannen", "brandplek", "politie", "ziek", "Veilig Thuis",
               "jeugdarts", "wijkteam", "huisbezoek", "gymles", "pauze", "overblijven",
               "Sanne", "Daan", "Lotte", "de Vries", "Jansen", "Yilmaz", "El Amrani", "Nguyen"]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def bench_case_list(db: Path, runs: int = 7) -> tuple[float, int]:
    times = []
    n = 0
    for _ in range(runs):
        t = time.perf_counter()
        store = open_store(db)
        rows = store.case_rows()
        times.append(time.perf_counter() - t)
        n = len(rows)
        store.close()
    return statistics.median(times), n


def bench_search(db: Path, n_queries: int) -> tuple[float, float, float]:
    rng = random.Random(7)
    store = open_store(db)
    queries = []
    for _ in range(n_queries):
        word = rng.choice(QUERY_WORDS)
        cut = rng.choice([len(word), len(word), max(3, len(word) - 2), 3])  # incremental typing
        queries.append(word[:cut] if " " not in word else word)
    store.search("warm-up")
    times = []
    for q in queries:
        t = time.perf_counter()
        store.search(q, limit=50)
        times.append(time.perf_counter() - t)
    store.close()
    return statistics.median(times), pct(times, 95), max(times)


def bench_verify(db: Path) -> tuple[int, float, bool]:
    store = open_store(db)
    t = time.perf_counter()
    result = store.verify()
    dt = time.perf_counter() - t
    store.close()
    return result.count, dt, result.ok


def bench_appends_service(db: Path, n: int) -> tuple[float, str]:
    try:
        from meldcode_tui.service import CaseService
    except ImportError as exc:  # pragma: no cover
        return 0.0, f"service unavailable ({exc})"
    store = open_store(db)
    svc = CaseService(store, actor="bench-coordinator")
    cases = [svc.create_case(f"Bench Leerling {i} (fictief)", "2016-05-04", group="groep 5a",
                             pupil_number=str(90000 + i)).case_id for i in range(10)]
    t = time.perf_counter()
    for i in range(n):
        svc.record_signal(cases[i % len(cases)], description=f"Leerling vertelt over ruzie {i}",
                          observed_on="2026-11-02", observed_by="bench-coordinator",
                          source="own")
    dt = time.perf_counter() - t
    ok = store.verify().ok
    store.close()
    return n / dt, "verify ok" if ok else "VERIFY FAILED"


def bench_appends_store(db: Path, n: int, working_set: int | None) -> float:
    """Store-level write path as the service uses it: read the case's events, append one,
    upsert the case row, index the text; one committed transaction each. ``working_set``:
    cycle over that many cases (a coordinator's own cases), None: a random case of all."""
    store = open_store(db)
    total = len(store.case_rows())
    rng = random.Random(3)
    t = time.perf_counter()
    for i in range(n):
        k = i % working_set + 1 if working_set else rng.randint(1, total)
        case_id = f"MC-{k:05d}"
        with store.write() as tx:
            tx.case_events(case_id)
            ev = tx.append("bench-coordinator", case_id, "signal_recorded",
                           {"description": f"Leerling vertelt over ruzie {i}"})
            tx.put_case_row(case_id, {"last_change_at": ev.at})
            tx.add_text(case_id, ev.seq, f"Leerling vertelt over ruzie {i}")
    dt = time.perf_counter() - t
    store.close()
    return n / dt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Meldcode store benchmarks")
    ap.add_argument("db", type=Path)
    ap.add_argument("--appends", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--skip-appends", action="store_true")
    args = ap.parse_args(argv)
    db = args.db
    print(f"database: {db} ({db.stat().st_size / 1e6:.0f} MB), cpus: {os.cpu_count()}, "
          f"python {sys.version.split()[0]}")

    med, n = bench_case_list(db)
    print(f"open + case list: {med * 1000:.1f} ms median for {n} cases  (goal < 100 ms)")

    med, p95, worst = bench_search(db, args.queries)
    print(f"full-text query: median {med * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
          f"max {worst * 1000:.1f} ms over {args.queries} queries  (goal p95 < 50 ms)")

    count, dt, ok = bench_verify(db)
    print(f"verify: {count} events in {dt:.2f} s = {count / dt:,.0f} events/s, "
          f"{'ok' if ok else 'NOT OK'}  (goal 1M < 4 s)")

    if not args.skip_appends:
        with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
            copy = Path(tmp) / "bench-copy.sqlite"
            shutil.copyfile(db, copy)
            os.chmod(copy, 0o600)
            with open(copy, "rb+") as fh:  # flush the copy now, not in the first commit
                os.fsync(fh.fileno())
            rate = bench_appends_store(copy, args.appends, working_set=None)
            print(f"appends (store API, read case + 1 event + case row + text per tx, "
                  f"random case of all): {rate:,.0f}/s")
            rate = bench_appends_store(copy, args.appends, working_set=20)
            print(f"appends (store API, same, cycling over 20 cases): {rate:,.0f}/s  "
                  f"(goal >= 1000/s)")
            rate, note = bench_appends_service(copy, args.appends)
            print(f"appends (CaseService.record_signal, synchronous=FULL): {rate:,.0f}/s, "
                  f"{note}  (goal >= 1000/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
