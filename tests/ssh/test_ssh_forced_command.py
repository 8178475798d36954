"""The SSH deployment path against a real sshd on 127.0.0.1."""

from __future__ import annotations

import subprocess

import pytest

from tests.sshkit import wait_until_session_ends

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("remote", [
    "echo pwned; cat /etc/passwd",
    "sh",
    "cat /etc/passwd",
    "/bin/bash -i",
    "scp -t /srv/meldcode/.ssh/authorized_keys",
    "internal-sftp",
    "rsync --server . /tmp",
    "case list",
    "verify",
    "export MC-0001 --format markdown -o /srv/meldcode/.ssh/authorized_keys",
    "export MC-0001 --format markdown; sh",
    "export 'MC-0001 --format markdown",
    "export MC-0001 --format '\x1b]0;pwned\x07'",
    "serve --user bram",
    "meldcode --user bram export MC-0001 --format markdown",
    "attach MC-0001 --title x -o /srv/meldcode/.ssh/authorized_keys",
    "attach MC-0001 /srv/meldcode/data/school.sqlite --title x",
    "fetch MC-0001 1 -o /srv/meldcode/.ssh/authorized_keys",
    "fetch MC-0001 ../../etc/passwd",
    "fetch MC-0001 0",
])
def test_client_cannot_choose_the_command(ssh_server, remote):
    """Abuse: the forced command receives what the client asked to run as SSH_ORIGINAL_COMMAND;
    a shell, a file read, scp/sftp/rsync (file transfer into the account), another subcommand,
    an export to a file, a second identity or a shell metacharacter must all be refused with
    one Dutch line and a non-zero exit - never run, never echoed back."""
    result = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote=remote),
                            capture_output=True, text=True, timeout=30)
    assert "pwned" not in result.stdout + result.stderr
    assert "root:" not in result.stdout
    assert result.returncode == 2
    assert "niet toegestaan" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not ssh_server.db.exists() or "bram" not in _actors(ssh_server.db)


def _actors(db):
    events, _verdict = _journal(db)
    return {e.actor for e in events}


def test_no_terminal_and_no_command_is_refused(ssh_server):
    result = subprocess.run(ssh_server.ssh_command("anouk", tty=False), capture_output=True,
                            text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "terminal nodig" in result.stderr


def test_export_streams_the_document_and_journals_it(ssh_server):
    """`ssh -T host export MC-0001 --format markdown` on the coordinator's own computer: the
    document arrives on stdout, the export is journalled as hers, after the access check (bram
    gets the same answer as for a case that does not exist)."""
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    svc = CaseService(open_store(ssh_server.db, create=True), actor="anouk")
    case_id = svc.create_case("Lotte Peters (fictief)", "2015-04-01", "6a", "9001").case_id
    svc.store.close()

    result = subprocess.run(ssh_server.ssh_command("anouk", tty=False,
                                                   remote=f"export {case_id} --format markdown"),
                            capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"# Chronologie casus {case_id}".encode())
    events, verdict = _journal(ssh_server.db)
    assert verdict.ok
    exported = [e for e in events if e.kind == "case_exported"]
    assert [(e.actor, e.case_id) for e in exported] == [("anouk", case_id)]

    bram = subprocess.run(ssh_server.ssh_command("bram", tty=False,
                                                 remote=f"export {case_id} --format markdown"),
                          capture_output=True, text=True, timeout=30)
    assert bram.returncode == 4
    assert "geen toegang" in bram.stderr and not bram.stdout
    events, _ = _journal(ssh_server.db)
    assert len([e for e in events if e.kind == "case_exported"]) == 1

    # A transfer file fetched this way carries its control value on stderr; a receiving school
    # proves the file with it (meldcode import --expect-head).
    # Without its basis the whole journal does not leave (one Dutch line, nothing journalled).
    bare = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote=f"export {case_id} --format toml"),
                          capture_output=True, timeout=30)
    assert bare.returncode != 0 and not bare.stdout and b"--grondslag" in bare.stderr
    remote = (f"export {case_id} --format toml --grondslag same_board "
              f"--toelichting 'De leerling gaat naar een school van hetzelfde bestuur.'")
    toml = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote=remote),
                          capture_output=True, timeout=30)
    assert toml.returncode == 0, toml.stderr
    events, _ = _journal(ssh_server.db)
    last = events[-1]
    assert last.kind == "case_exported" and f"{last.seq} {last.hash}".encode() in toml.stderr
    from meldcode_tui.exports.importer import check_case_file

    assert check_case_file(toml.stdout, expect_head=last.hash).proof.proven


def test_unknown_key_is_refused(ssh_server, tmp_path):
    stranger = tmp_path / "id_stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    args = ssh_server.ssh_command("anouk", tty=False, remote="true")
    args[args.index(str(ssh_server.keys["anouk"]))] = str(stranger)
    result = subprocess.run(args, capture_output=True, text=True, timeout=30)
    assert result.returncode == 255
    assert {e.kind for e in _journal(ssh_server.db)[0]} <= {"user_added", "user_key_added"}


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
    assert {e.actor for e in events if e.case_id != "beheer"} == {"anouk"}
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
        # Killed as soon as the text is on screen (polled every 0.2 s), before the typing
        # pause (0.6 s) saves it: the hang-up must do it.
        session.wait_for("Leerling vertelt dat er thuis", timeout=15)
    finally:
        session.kill()  # the terminal (and with it the SSH client) is gone mid-typing
    # The server-side app notices the hang-up and exits.
    wait_until_session_ends(ssh_server.db, "anouk")
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


def test_attach_and_fetch_over_ssh(ssh_server, tmp_path):
    """`ssh -T host attach MC-0001 --title "…" < brief.pdf` and `ssh -T host fetch MC-0001 N >
    terug.pdf` on the coordinator's own computer: the bytes go in and out through the pipe only,
    both journalled as hers, nothing is written anywhere else; bram may not."""
    import hashlib

    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    svc = CaseService(open_store(ssh_server.db, create=True), actor="anouk")
    case_id = svc.create_case("Lotte Peters (fictief)", "2015-04-01", "6a", "9002").case_id
    svc.store.close()
    pdf = b"%PDF-1.4\n% brief van de huisarts (fictief)\n%%EOF\n"
    added = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote=[
        "attach", case_id, "--title", "'Brief van de huisarts (fictief)'"]), input=pdf, capture_output=True,
        timeout=30)
    assert added.returncode == 0, added.stderr
    events, verdict = _journal(ssh_server.db)
    assert verdict.ok
    rec = [e for e in events if e.kind == "attachment_added"][-1]
    assert rec.actor == "anouk" and rec.payload["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert rec.payload["title"] == "Brief van de huisarts (fictief)"

    fetched = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote=f"fetch {case_id} {rec.seq}"),
                             capture_output=True, timeout=30)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout == pdf
    events, _ = _journal(ssh_server.db)
    assert (events[-1].kind, events[-1].actor) == ("attachment_fetched", "anouk")

    for remote in (f"fetch {case_id} {rec.seq}", f"attach {case_id} --title Poging"):
        bram = subprocess.run(ssh_server.ssh_command("bram", tty=False, remote=remote), input=pdf,
                              capture_output=True, timeout=30)
        assert bram.returncode == 4 and not bram.stdout
    refused = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote=f"attach {case_id} --title Script"),
                             input=b"#!/bin/sh\n\x1b[2Jrm -rf /\n", capture_output=True, timeout=30)
    assert refused.returncode == 1 and b"herkend" in refused.stderr
