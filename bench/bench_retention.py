"""Retention on the board-sized database: close 1,000 of the 10,000 cases (closed and the pupil
left in 2020, so they are due under "2 years after leaving or closing"), then time
``meldcode retention apply``'s work (review, erase 1,000 cases, compact) and report the file's
size before and after. Runs on the file given: use a copy.

    .venv/bin/python bench/make_board_db.py --cases 10000 --events 1000000 /tmp/board.sqlite
    .venv/bin/python bench/bench_retention.py /tmp/board.sqlite
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

from meldcode_tui.domain.case import fold
from meldcode_tui.domain.readmodel import case_row
from meldcode_tui.retention import RetentionPolicy, erase_case, finish_erasure, review
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store


def _size(db: Path) -> int:
    return sum(Path(p).stat().st_size for p in (db, f"{db}-wal") if Path(p).exists())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--cases", type=int, default=1000)
    args = ap.parse_args(argv)
    svc = CaseService(open_store(args.db), actor="beheer", all_access=True)
    rows = svc.store.case_rows()
    chosen = random.Random(7).sample([r["case_id"] for r in rows], args.cases)
    t0 = time.perf_counter()
    with svc.store.write() as tx:  # set-up: the 1,000 cases closed, the pupils left
        for case_id in chosen:
            tx.append("beheer", case_id, "case_closed",
                      {"grounds": "other", "reason": f"Afgerond ({case_id}, fictief).",
                       "monitoring_agreements": ""}, at="2020-06-30T10:00:00.000000Z")
            tx.append("beheer", case_id, "pupil_left",
                      {"on": "2020-07-10", "note": f"Naar het VO ({case_id})"},
                      at="2020-07-10T10:00:00.000000Z")
            tx.put_case_row(case_id, case_row(fold(tx.case_events(case_id)), svc.today()))
    svc.store.compact()
    print(f"set-up (close {args.cases} cases, compact): {time.perf_counter() - t0:.1f} s")
    events = svc.store.db.execute("SELECT count(*) FROM events").fetchone()[0]
    before = _size(args.db)

    t0 = time.perf_counter()
    due, _waiting = review(svc, RetentionPolicy(2, reason="Bench (fictief)"))
    t_review = time.perf_counter() - t0
    assert len(due) == args.cases, len(due)
    t0 = time.perf_counter()
    payloads = sum(erase_case(svc, c.case_id, "Bewaartermijn verstreken (bench).",
                              rule="2 jaar na vertrek of sluiten") for c in due)
    t_erase = time.perf_counter() - t0
    t0 = time.perf_counter()
    finish_erasure(svc)
    t_compact = time.perf_counter() - t0
    t0 = time.perf_counter()
    ok = svc.store.verify().ok
    t_verify = time.perf_counter() - t0
    svc.store.close()
    after = _size(args.db)
    print(f"journal: {events} events; due: {len(due)} cases, {payloads} payloads erased")
    print(f"review {t_review:.1f} s, erase {t_erase:.1f} s, compact (FTS optimize, checkpoint, "
          f"VACUUM) {t_compact:.1f} s; total {t_review + t_erase + t_compact:.1f} s")
    print(f"verify after: {'ok' if ok else 'FAILED'} in {t_verify:.1f} s")
    print(f"size before {before / 1e6:.0f} MB, after {after / 1e6:.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
