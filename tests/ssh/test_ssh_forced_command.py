"""The SSH deployment path against a real sshd on 127.0.0.1."""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.slow


def test_client_cannot_choose_the_command(ssh_server):
    """With a forced command, what the client asks to run is ignored: no shell, no file access."""
    result = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote="echo pwned; cat /etc/passwd"),
                            capture_output=True, text=True, timeout=30)
    assert "pwned" not in result.stdout
    assert "root:" not in result.stdout
    assert result.returncode == 2
    assert "terminal nodig" in result.stderr


def test_unknown_key_is_refused(ssh_server, tmp_path):
    stranger = tmp_path / "id_stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    args = ssh_server.ssh_command("anouk", tty=False, remote="true")
    args[args.index(str(ssh_server.keys["anouk"]))] = str(stranger)
    result = subprocess.run(args, capture_output=True, text=True, timeout=30)
    assert result.returncode == 255
    assert not ssh_server.db.exists()


def _journal(db):
    from meldcode_tui.store import open_store

    store = open_store(db)
    try:
        return list(store.events()), store.verify()
    finally:
        store.close()


def test_coordinator_works_over_ssh_as_herself(ssh_server):
    """anouk logs in with her key: the app starts as 'anouk', she creates the demo data and
    opens a case; every event carries her name. bram, on the same server, sees none of it."""
    from tests.termkit import TmuxSession, tmux_available

    if not tmux_available():
        pytest.skip("tmux not installed (.ci/run installs it)")
    with TmuxSession(" ".join(ssh_server.ssh_command("anouk")), width=120, height=40) as anouk:
        anouk.wait_for("Meldcode — anouk", timeout=30)
        anouk.wait_for("Welkom")
        anouk.send("d")
        anouk.wait_for("Demogegevens (fictief) zijn aangemaakt")
        anouk.send("Enter")
        anouk.wait_for("Wat nu?")
        anouk.send("C-q")
        deadline = __import__("time").monotonic() + 15
        while not anouk.pane_dead() and __import__("time").monotonic() < deadline:
            __import__("time").sleep(0.2)
    events, verdict = _journal(ssh_server.db)
    assert verdict.ok
    assert {e.actor for e in events} == {"anouk"}
    assert any(e.kind == "case_viewed" for e in events)

    with TmuxSession(" ".join(ssh_server.ssh_command("bram")), width=120, height=40) as bram:
        screen = bram.wait_for("Meldcode — bram", timeout=30)
        screen = bram.wait_for("Nog geen casussen die u mag zien")
        assert "(fictief)" not in screen


def test_dropped_connection_mid_typing_loses_nothing_saved(ssh_server):
    """The connection drops while a form is half filled in: the app ends (no process left
    holding the database), the journal verifies, and no partial record exists."""
    import time

    from tests.termkit import TmuxSession, tmux_available

    if not tmux_available():
        pytest.skip("tmux not installed (.ci/run installs it)")
    session = TmuxSession(" ".join(ssh_server.ssh_command("anouk")), width=120, height=40)
    try:
        session.wait_for("Welkom", timeout=30)
        session.send("d")
        session.wait_for("Demogegevens (fictief) zijn aangemaakt")
        before, _ = _journal(ssh_server.db)
        session.send("Enter")
        session.wait_for("Wat nu?")
        session.send("s")
        session.wait_for("Signalen vastleggen")
        session.send("Tab", "Tab")  # past the catalogue search and list: the free description
        time.sleep(0.3)
        session.type("Leerling vertelt dat er thuis")
        time.sleep(0.2)  # no time for the typing pause to save: the hang-up must do it
    finally:
        session.kill()  # the terminal (and with it the SSH client) is gone mid-typing
    # The server-side app notices the hang-up and exits.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ps = subprocess.run(["pgrep", "-f", f"--db {ssh_server.db} --user anouk"], capture_output=True, text=True)
        if not ps.stdout.strip():
            break
        time.sleep(0.3)
    else:
        pytest.fail("meldcode kept running after the SSH connection dropped")
    after, verdict = _journal(ssh_server.db)
    assert verdict.ok, verdict.problem
    new = after[len(before):]
    # Only the access-log entry of opening the case; the half-typed signal was never recorded.
    assert [e.kind for e in new] == ["case_viewed"]
    case_id = new[0].case_id

    # She reconnects, opens the same case and the signal form: what she typed is back.
    with TmuxSession(" ".join(ssh_server.ssh_command("anouk")), width=120, height=40) as again:
        again.wait_for("Meldcode — anouk", timeout=30)
        again.wait_for("(fictief)")
        time.sleep(0.5)
        again.send("/")
        again.type(case_id)
        time.sleep(0.5)
        again.send("Enter")  # from the search field to the (filtered) table
        time.sleep(0.3)
        again.send("Enter")  # open the case
        again.wait_for("Wat nu?")
        again.send("s")
        again.wait_for("Concept hersteld")
        assert "Leerling vertelt dat er thuis" in again.screen()
        again.send("C-q")
    # And another coordinator can write right away: nothing holds a lock.
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    svc = CaseService(open_store(ssh_server.db, busy_timeout_ms=1000), actor="anouk")
    svc.create_case("Lotte Peters (fictief)", "2015-04-01", "6a", "9001")
    svc.store.close()
