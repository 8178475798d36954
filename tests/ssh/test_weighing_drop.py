"""A dropped SSH connection while a reason is typed in the afwegingskader: the reason is in the
draft (the hang-up writes it), and comes back when she opens the afwegingskader again."""

from __future__ import annotations

import subprocess
import time

import pytest

pytestmark = pytest.mark.slow
REASON = "Plekken passen niet bij de uitleg"


def _case_in_step4(db) -> str:
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    svc = CaseService(open_store(db, busy_timeout_ms=1000), actor="anouk")
    try:
        cid = svc.create_case("Lotte Kok (fictief)", "2015-09-01", "6a").case_id
        svc.record(cid, "signal_recorded", {"description": "Blauwe plekken op de bovenarm.",
                                            "observed_on": "2026-03-10", "observed_by": "juf Anne",
                                            "source": "own", "source_name": "", "contradicting": False})
        svc.record(cid, "step_completed", {"step": 1, "summary": ""})
        svc.record(cid, "consultation_recorded", {"kind": "colleague", "with_whom": "IB-er (fictief)",
                                                  "on": "2026-03-11", "anonymous": False,
                                                  "question": "Passen de plekken bij mishandeling?",
                                                  "advice": ""})
        svc.record(cid, "care_team_set", {"members": [
            {"role": r, "name": f"{r} (fictief)", "user": ""}
            for r in ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")]})
        svc.record(cid, "step_completed", {"step": 2, "summary": ""})
        svc.record(cid, "conversation_recorded", {
            "on": "2026-03-12", "participants": ["pupil", "parents"], "purpose_explained": True,
            "facts_presented": True, "reaction_invited": True, "interpretation_after_reaction": True,
            "parents_informed_beforehand": None, "summary": "Gesprek met Lotte en haar ouders.",
            "outcome": "", "concern_removed": False})
        svc.record(cid, "step_completed", {"step": 3, "summary": ""})
        return cid
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
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        # "--": the pattern starts with a dash; without it pgrep takes it for an option,
        # prints nothing, and the loop would stop at once.
        ps = subprocess.run(["pgrep", "-f", "--", f"--db {ssh_server.db} serve --user anouk"],
                            capture_output=True, text=True)
        if not ps.stdout.strip():
            break
        time.sleep(0.3)
    else:
        pytest.fail("meldcode kept running after the SSH connection dropped")

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
