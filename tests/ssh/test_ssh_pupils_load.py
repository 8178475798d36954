"""`ssh -T server pupils-load --system parnassys < export.csv` against the real sshd: the
coordinator's export replaces the register; a zorgteam member is refused (journalled) and her
bytes change nothing; a verb with anything else on it is refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent.parent / "pupils" / "data"


def test_pupils_load_over_ssh_for_the_coordinator_only(ssh_server):
    from meldcode_tui.store import open_store

    export = (DATA / "parnassys_cp1252.csv").read_bytes()
    ok = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote="pupils-load --system parnassys"),
                        input=export, capture_output=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "nieuw 4" in ok.stdout.decode()
    bram = subprocess.run(ssh_server.ssh_command("bram", tty=False, remote="pupils-load --system parnassys"),
                          input=(DATA / "parnassys_cp1252_second.csv").read_bytes(),
                          capture_output=True, timeout=60)
    assert bram.returncode == 1 and not bram.stdout and b"mag uw rol" in bram.stderr
    for remote in ("pupils-load --system ../etc", "pupils-load /etc/passwd", "pupils-load --system a b"):
        r = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote=remote), input=export,
                           capture_output=True, timeout=60)
        assert r.returncode == 2 and b"niet toegestaan" in r.stderr
    store = open_store(ssh_server.db)
    try:
        assert len(store.pupils()) == 4                     # bram's load changed nothing
        refused = [e for e in store.events() if e.kind == "access_refused"]
        assert [(e.actor, e.payload["action"]) for e in refused] == [("bram", "pupils_load")]
    finally:
        store.close()
