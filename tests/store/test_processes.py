"""Real separate processes: concurrent appenders and a writer killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from contextlib import closing

import pytest

from meldcode_tui.store import open_store

pytestmark = pytest.mark.slow

APPENDER = textwrap.dedent("""
    import sys, time
    from meldcode_tui.store import open_store
    path, actor, n, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    store = open_store(path, busy_timeout_ms=20000)
    while time.time() < start_at:
        time.sleep(0.001)
    for i in range(n):
        with store.write() as tx:
            case_id = f"MC-{i % 5 + 1:04d}"
            tx.case_events(case_id)
            ev = tx.append(actor, case_id, "signal_recorded", {"i": i, "by": actor})
            tx.put_case_row(case_id, {"last_change_at": ev.at, "owner": actor})
        time.sleep(0.002)  # give the others a chance at the lock (SQLite's is not fair)
    store.close()
""")

KILLED = textwrap.dedent("""
    import sys
    from meldcode_tui.store import open_store
    store = open_store(sys.argv[1])
    i = 0
    while True:
        i += 1
        with store.write() as tx:
            a = tx.append("anna", "MC-0001", "step_completed", {"i": i, "part": "a"})
            tx.add_text("MC-0001", a.seq, f"tekst {i} " * 50)
            b = tx.append("anna", "MC-0001", "step_completed", {"i": i, "part": "b",
                                                               "pad": "x" * 5000})
            tx.put_case_row("MC-0001", {"last_change_at": b.at, "step": i})
        print(b.seq, flush=True)
""")


def test_four_processes_append_without_losing_or_forking(db_path):
    open_store(db_path, create=True).close()
    n = 150
    start_at = time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", APPENDER, str(db_path), f"proc-{k}",
                               str(n), str(start_at)], stderr=subprocess.PIPE, text=True)
             for k in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
    with closing(open_store(db_path)) as store:
        result = store.verify()
        assert result.ok and result.count == 4 * n, result
        events = list(store.events())
        assert [e.seq for e in events] == list(range(1, 4 * n + 1))
        by_actor = Counter(e.actor for e in events)
        assert by_actor == {f"proc-{k}": n for k in range(4)}
        for k in range(4):
            mine = [e.payload["i"] for e in events if e.actor == f"proc-{k}"]
            assert mine == list(range(n))  # each process's own order kept
        # the processes really ran at the same time (interleaved appends)
        switches = sum(1 for a, b in zip(events, events[1:]) if a.actor != b.actor)
        assert switches > 10, switches


def test_sigkill_in_the_middle_of_appends_leaves_no_partial_event(db_path):
    open_store(db_path, create=True).close()
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(db_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    last = 0
    try:
        while last < 300:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            last = int(line)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with closing(open_store(db_path)) as store:
        result = store.verify()
        assert result.ok, result
        assert result.head_seq >= last  # every reported commit survived
        assert result.head_seq % 2 == 0  # both events of a transaction, or neither
        events = list(store.events())
        assert all(e.payload is not None for e in events)
        assert events[-1].payload["part"] == "b"
        assert store.case_row("MC-0001")["step"] == events[-1].payload["i"]
        assert {h["seq"] for h in store.search("tekst", limit=10_000)} == {
            e.seq for e in events if e.payload["part"] == "a"}
