"""Against the real sshd: authorized_keys written by `meldcode admin keys write`, and rewritten
by every access change in the same command."""

from __future__ import annotations

import subprocess
import time

import pytest

pytestmark = pytest.mark.slow


def _use_keys_write(server, *extra):
    target = server.root / "authorized_keys"
    args = ["keys", "write", "--file", str(target), *extra]
    server.admin(*args)
    return target.read_text()


def _journal(db):
    from meldcode_tui.store import open_store

    store = open_store(db)
    try:
        return list(store.events()), store.verify()
    finally:
        store.close()


def _export(server, name, case_id):
    return subprocess.run(server.ssh_command(name, tty=False,
                                             remote=f"export {case_id} --format markdown"),
                          capture_output=True, text=True, timeout=30)


def test_keys_written_by_the_app_log_in_and_a_disabled_user_is_refused(ssh_server):
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    # Only what the app writes: the fixture's hand-made README lines go.
    (ssh_server.root / "authorized_keys").write_text("# beheerder: eigen regels hier\n")
    text = _use_keys_write(ssh_server)
    assert text.count('restrict,pty,command="') == 2
    assert text.startswith("# beheerder: eigen regels hier\n# BEGIN meldcode")
    svc = CaseService(open_store(ssh_server.db), actor="anouk", role="coordinator")
    case_id = svc.create_case("Lotte Peters (fictief)", "2015-04-01", "6a", "9001").case_id
    svc.store.close()

    ok = _export(ssh_server, "anouk", case_id)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"# Chronologie casus {case_id}")
    # What sshd's `restrict` forbids stays forbidden with the generated line.
    for remote in ("sh", "cat /etc/passwd", "internal-sftp"):
        r = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote=remote),
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 2 and "niet toegestaan" in r.stderr
    fwd = ssh_server.ssh_command("anouk", tty=False, remote="true")
    fwd[1:1] = ["-o", "ExitOnForwardFailure=yes", "-L", "0:127.0.0.1:22"]
    assert subprocess.run(fwd, capture_output=True, text=True, timeout=30).returncode != 0

    # Disabled: the same command rewrote the managed authorized_keys, so sshd refuses her
    # key at once; bram's still works.
    r = ssh_server.admin("user", "disable", "anouk", "--reason", "Vertrokken (fictief)")
    assert "authorized_keys bijgewerkt" in r.stdout
    text = (ssh_server.root / "authorized_keys").read_text()
    assert "--user anouk" not in text and "--user bram" in text
    assert _export(ssh_server, "anouk", case_id).returncode == 255
    assert _export(ssh_server, "bram", case_id).returncode == 4   # logged in; not his case

    events, verdict = _journal(ssh_server.db)
    assert verdict.ok
    exported = [e for e in events if e.kind == "case_exported"]
    assert [e.actor for e in exported] == ["anouk"]


def test_serve_for_a_name_not_in_the_table_says_how_to_add_the_first_user(ssh_server, tmp_path):
    # A fresh server: no database yet, a hand-written line for the first person.
    ssh_server.db.unlink()
    r = _export(ssh_server, "anouk", "MC-0001")
    assert r.returncode == 1
    assert "Er zijn nog geen gebruikers" in r.stderr and "meldcode admin user add anouk" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_teacher_and_auditor_over_ssh_get_no_case(ssh_server):
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    ssh_server.add_coordinator("dirk")
    ssh_server.add_coordinator("eva")
    ssh_server.add_users(("dirk", "teacher"), ("eva", "auditor"))
    (ssh_server.root / "authorized_keys").write_text("")
    _use_keys_write(ssh_server)
    svc = CaseService(open_store(ssh_server.db), actor="anouk", role="coordinator")
    case_id = svc.create_case("Lotte Peters (fictief)", "2015-04-01", "6a").case_id
    svc.record_signal(case_id, description="Blauwe plek (fictief)", observed_on="2026-11-02",
                      observed_by="Dirk (fictief)", source="own")
    svc.complete_step(case_id, 1, "Signalen (fictief)")
    svc.set_care_team(case_id, [{"role": "leerkracht", "name": "Dirk (fictief)", "user": "dirk"}])
    svc.store.close()
    for name in ("dirk", "eva"):
        r = _export(ssh_server, name, case_id)
        assert r.returncode == 4 and not r.stdout and "geen toegang" in r.stderr
    assert _export(ssh_server, "anouk", case_id).returncode == 0
    events, verdict = _journal(ssh_server.db)
    assert verdict.ok
    assert [(e.actor, e.payload["action"], e.payload["case"]) for e in events
            if e.kind == "access_refused"] == [("dirk", "case_exported", case_id),
                                               ("eva", "case_exported", case_id)]
    assert [e.actor for e in events if e.kind == "case_exported"] == ["anouk"]
    assert {e.actor for e in events if e.case_id == "beheer"} == {ssh_server.user}


def test_a_removed_key_is_refused_by_sshd_right_after_remove_key(ssh_server):
    """A lost laptop: `remove-key` alone must end that key's access, without anyone having to
    remember `keys write`. Also a role change and enable rewrite the file at once."""
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    (ssh_server.root / "authorized_keys").write_text("")
    _use_keys_write(ssh_server)
    svc = CaseService(open_store(ssh_server.db), actor="anouk", role="coordinator")
    case_id = svc.create_case("Lotte Peters (fictief)", "2015-04-01", "6a", "9001").case_id
    svc.store.close()
    assert _export(ssh_server, "bram", case_id).returncode == 4     # his key logs in

    fp = subprocess.run(["ssh-keygen", "-lf", f"{ssh_server.keys['bram']}.pub"],
                        capture_output=True, text=True, check=True).stdout.split()[1]
    r = ssh_server.admin("user", "remove-key", "bram", fp)
    assert _export(ssh_server, "bram", case_id).returncode == 255   # refused by sshd, at once
    assert "authorized_keys bijgewerkt" in r.stdout
    assert _export(ssh_server, "anouk", case_id).returncode == 0

    # A role change is written into the file too (the line stays, the table decides).
    ssh_server.admin("user", "set-role", "anouk", "auditor")
    assert "--user anouk" in (ssh_server.root / "authorized_keys").read_text()
    events, verdict = _journal(ssh_server.db)
    assert verdict.ok
    assert [e.kind for e in events].count("keys_written") == 3
