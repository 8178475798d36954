"""A dropped SSH connection while a reason is typed in the afwegingskader: the reason is in the
draft (the hang-up writes it), and comes back when she opens the afwegingskader again."""

from __future__ import annotations

import time

import pytest

from tests.scenarios import case_in_step
from tests.sshkit import wait_until_session_ends

pytestmark = pytest.mark.slow
REASON = "Plekken passen niet bij de uitleg"


def _case_in_step4(db) -> str:
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    svc = CaseService(open_store(db, busy_timeout_ms=1000), actor="anouk")
    try:
        return case_in_step(svc, 4)
    finally:
        svc.store.close()


def test_dropped_connection_in_the_afwegingskader_keeps_the_reason(ssh_server):
    from tests.termkit import TmuxSession, tmux_available

    if not tmux_available():
        pytest.skip("tmux not installed (.ci/run installs it)")
    case_id = _case_in_step4(ssh_server.db)
    session = TmuxSession(" ".join(ssh_server.ssh_command("anouk")), width=120, height=40)
    try:
        session.wait_for("Lotte Kok (fictief)", timeout=30)
        time.sleep(0.3)
        session.send("Enter")
        session.wait_for("Wat nu?")
        session.send("w")
        session.wait_for("Afwegingskader — vraag 1 van 5")
        session.send("Tab")
        time.sleep(0.4)
        session.type(REASON)
        # Killed as soon as the text is on screen, before the typing pause saves it.
        session.wait_for(REASON, timeout=15)
    finally:
        session.kill()
    wait_until_session_ends(ssh_server.db, "anouk")

    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    svc = CaseService(open_store(ssh_server.db, busy_timeout_ms=1000), actor="anouk")
    try:
        draft = svc.load_draft(f"{case_id}:weighing")
    finally:
        svc.store.close()
    assert draft is not None and draft[0]["reasons"] == {"1": REASON}

    with TmuxSession(" ".join(ssh_server.ssh_command("anouk")), width=120, height=40) as again:
        again.wait_for("Lotte Kok (fictief)", timeout=30)
        time.sleep(0.3)
        again.send("Enter")
        again.wait_for("Wat nu?")
        again.send("w")
        again.wait_for("Concept hersteld")
        assert REASON in again.screen()
        again.send("C-q")
