"""Load over the real SSH path: N simultaneous sessions, each recording M events through
`meldcode serve` (the allow-listed verb `export CASE --format markdown`: one `case_exported`
event per call), authorized_keys written by `meldcode admin keys write`. Prints wall time,
calls ok/failed, events expected/found per session and the verification. Needs root and
OpenSSH (like tests/ssh).

    .venv/bin/python bench/ssh_load.py --sessions 10 --events 100

*Lost* means a call that reported success (exit 0, the document on stdout) without its
journal event; a call that failed (sshd refused the connection, the database was busy past
its timeout) recorded nothing and says so, and is counted apart with its exit code.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ssh.conftest import SshServer  # noqa: E402


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--events", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per ssh call")
    args = ap.parse_args()
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = SshServer(root, root / "school.sqlite")
        names = [f"coord{i:02d}" for i in range(args.sessions)]
        for n in names:
            server.add_coordinator(n)
        open_store(server.db, create=True).close()
        server.add_users(*[(n, "coordinator") for n in names])
        server.admin("keys", "write", "--file", str(root / "authorized_keys"))
        svc = CaseService(open_store(server.db), actor=names[0], role="coordinator")
        case_id = svc.create_case("Lotte Peters (fictief)", "2015-04-01").case_id
        before = svc.store.checkpoint()[0]
        svc.store.close()
        server.start()
        try:
            def session(name: str) -> tuple[str, int, Counter, str]:
                ok, failed, first_error = 0, Counter(), ""
                for _ in range(args.events):
                    try:
                        r = subprocess.run(server.ssh_command(name, tty=False,
                                                              remote=f"export {case_id} --format markdown"),
                                           capture_output=True, timeout=args.timeout)
                    except subprocess.TimeoutExpired:
                        failed["timeout"] += 1
                        continue
                    if r.returncode == 0 and r.stdout.startswith(f"# Chronologie casus {case_id}".encode()):
                        ok += 1
                    else:
                        failed[f"exit {r.returncode}"] += 1
                        first_error = first_error or r.stderr.decode(errors="replace").strip()[:200]
                return name, ok, failed, first_error

            load_before = _load()
            t0 = time.monotonic()
            with ThreadPoolExecutor(args.sessions) as pool:
                results = list(pool.map(session, names))
            wall = time.monotonic() - t0
            load_after = _load()
        finally:
            server.stop()
        store = open_store(server.db)
        events = [e for e in store.events(after_seq=before) if e.kind == "case_exported"]
        verdict = store.verify()
        store.close()
    per_actor = Counter(e.actor for e in events)
    expected = args.sessions * args.events
    ok = sum(r[1] for r in results)
    failed = sum((r[2] for r in results), Counter())
    lost = sum(max(0, r[1] - per_actor[r[0]]) for r in results)
    extra = sum(max(0, per_actor[r[0]] - r[1]) for r in results)
    print(f"sessions={args.sessions} events/session={args.events} wall={wall:.1f}s "
          f"({expected / wall:.1f} calls/s) expected={expected} ok_calls={ok} "
          f"failed_calls={sum(failed.values())} {dict(failed) or ''} recorded={len(events)} "
          f"lost={lost} unreported={extra} chain_ok={verdict.ok} ({verdict.count} events)")
    print(f"load average before: {load_before}; after: {load_after}; cores: {os.cpu_count()}")
    for name, n_ok, n_failed, error in results:
        if n_failed:
            print(f"  {name}: {n_ok} ok, {dict(n_failed)}; first error: {error}")


if __name__ == "__main__":
    main()
