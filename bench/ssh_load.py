"""Load over the real SSH path: N simultaneous sessions, each recording M events through
`meldcode serve` (the allow-listed verb `export CASE --format markdown`: one `case_exported`
event per call), authorized_keys written by `meldcode admin keys write`. Prints wall time,
events expected/found and the verification. Needs root and OpenSSH (like tests/ssh).

    .venv/bin/python bench/ssh_load.py --sessions 10 --events 100
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ssh.conftest import SshServer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--events", type=int, default=100)
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
            def session(name: str) -> int:
                failures = 0
                for _ in range(args.events):
                    r = subprocess.run(server.ssh_command(name, tty=False,
                                                          remote=f"export {case_id} --format markdown"),
                                       capture_output=True, timeout=120)
                    failures += r.returncode != 0
                return failures

            t0 = time.monotonic()
            with ThreadPoolExecutor(args.sessions) as pool:
                failures = sum(pool.map(session, names))
            wall = time.monotonic() - t0
        finally:
            server.stop()
        store = open_store(server.db)
        events = [e for e in store.events(after_seq=before) if e.kind == "case_exported"]
        verdict = store.verify()
        store.close()
        expected = args.sessions * args.events
        print(f"sessions={args.sessions} events/session={args.events} wall={wall:.1f}s "
              f"expected={expected} recorded={len(events)} lost={expected - len(events)} "
              f"failed_calls={failures} chain_ok={verdict.ok} ({verdict.count} events)")


if __name__ == "__main__":
    main()
