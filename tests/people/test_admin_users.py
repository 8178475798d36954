"""`meldcode admin user …` and `admin keys write` through the real CLI (subprocess), a real
SQLite file and the real ssh-keygen."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from meldcode_tui.store import open_store

MELDCODE = str(Path(sys.executable).parent / "meldcode")


def run(db, *args, env=None):
    e = {**os.environ, **(env or {})}
    e.pop("MELDCODE_DEBUG", None)
    return subprocess.run([MELDCODE, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=60, env=e)


def keygen(tmp_path, name):
    key = tmp_path / f"id_{name}"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key), "-C",
                    f"{name}@laptop"], check=True)
    return key


def fp_of(pub):
    return subprocess.run(["ssh-keygen", "-lf", str(pub)], capture_output=True, text=True,
                          check=True).stdout.split()[1]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "data" / "school.sqlite"


def events(db):
    store = open_store(db)
    try:
        return list(store.events()), store.verify()
    finally:
        store.close()


def test_add_list_disable_enable_role_keys_all_journalled(db, tmp_path):
    a = keygen(tmp_path, "anouk")
    a2 = keygen(tmp_path, "anouk2")
    r = run(db, "admin", "user", "add", "anouk", "--display-name", "Anouk Jansen (fictief)",
            "--role", "coordinator", "--key", f"{a}.pub", "--key", f"{a2}.pub")
    assert r.returncode == 0, r.stderr
    assert fp_of(f"{a}.pub") in r.stdout and fp_of(f"{a2}.pub") in r.stdout
    assert run(db, "admin", "user", "set-role", "anouk", "member").returncode == 0
    assert run(db, "admin", "user", "remove-key", "anouk", fp_of(f"{a2}.pub")).returncode == 0
    assert run(db, "admin", "user", "disable", "anouk", "--reason", "Vertrokken naar andere school").returncode == 0
    listed = json.loads(run(db, "admin", "user", "list", "--json").stdout)
    assert listed == [{
        "name": "anouk", "display_name": "Anouk Jansen (fictief)", "role": "member",
        "status": "disabled", "disabled_reason": "Vertrokken naar andere school",
        "last_seen": None, "created_at": listed[0]["created_at"], "notify": None,
        "keys": [{"fingerprint": fp_of(f"{a}.pub"), "type": "ssh-ed25519",
                  "added_at": listed[0]["keys"][0]["added_at"]}]}]
    assert run(db, "admin", "user", "enable", "anouk").returncode == 0
    evs, verdict = events(db)
    assert verdict.ok
    osname = pwd.getpwuid(os.getuid()).pw_name
    assert [e.kind for e in evs] == ["user_added", "user_key_added", "user_key_added",
                                     "user_role_set", "user_key_removed", "user_disabled",
                                     "user_enabled"]
    assert {e.actor for e in evs} == {osname}
    assert {e.payload["os_user"] for e in evs} == {osname}
    assert {e.case_id for e in evs} == {"beheer"}


def test_actor_is_the_os_account_not_anything_a_client_sets(db, tmp_path):
    a = keygen(tmp_path, "anouk")
    r = run(db, "--user", "mallory", "admin", "user", "add", "anouk", "--display-name", "A",
            "--role", "teacher", "--key", f"{a}.pub",
            env={"MELDCODE_USER": "eve", "USER": "eve", "LOGNAME": "eve", "SUDO_USER": "eve"})
    assert r.returncode == 0, r.stderr
    evs, _ = events(db)
    assert {e.actor for e in evs} == {pwd.getpwuid(os.getuid()).pw_name}


@pytest.mark.parametrize("content, expect", [
    ('command="sh" ssh-ed25519 {blob} x', "opties ervoor"),
    ("{line}\n{line}", "precies één"),
    ("", "precies één"),
    ("ssh-ed25519 !!!notbase64 x", "onleesbaar"),
    ("ssh-rsa {blob} x", "klopt niet"),
    ("ssh-ed25519 {blob} x\x1b]0;pwn\x07", "niet-toegestaan teken"),
])
def test_hostile_key_files_are_refused(db, tmp_path, content, expect):
    a = keygen(tmp_path, "anouk")
    line = Path(f"{a}.pub").read_text().strip()
    blob = line.split()[1]
    bad = tmp_path / "bad.pub"
    bad.write_text(content.format(blob=blob, line=line))
    r = run(db, "admin", "user", "add", "anouk", "--display-name", "A", "--role", "teacher",
            "--key", str(bad))
    assert r.returncode == 1
    assert expect in r.stderr, r.stderr
    assert "pwn" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_private_key_and_bad_names_are_refused(db, tmp_path):
    a = keygen(tmp_path, "anouk")
    r = run(db, "admin", "user", "add", "anouk", "--display-name", "A", "--role", "teacher",
            "--key", str(a))
    assert r.returncode == 1 and "privésleutel" in r.stderr
    for name in ("an ouk", "../x", "a\"b", "-rf", "x" * 70):
        r = run(db, "admin", "user", "add", name, "--display-name", "A", "--role", "teacher")
        assert r.returncode != 0, name
    r = run(db, "admin", "user", "add", "anouk", "--display-name", "A\u202eB", "--role", "teacher")
    assert r.returncode == 1 and "U+202E" in r.stderr
    # The same key for two people is refused.
    assert run(db, "admin", "user", "add", "anouk", "--display-name", "A", "--role", "teacher",
               "--key", f"{a}.pub").returncode == 0
    r = run(db, "admin", "user", "add", "bram", "--display-name", "B", "--role", "teacher",
            "--key", f"{a}.pub")
    assert r.returncode == 1 and "hoort al bij 'anouk'" in r.stderr
    assert json.loads(run(db, "admin", "user", "list", "--json").stdout)[0]["name"] == "anouk"
    assert len(json.loads(run(db, "admin", "user", "list", "--json").stdout)) == 1


def test_keys_write_is_atomic_keeps_unmanaged_lines_mode_and_owner(db, tmp_path):
    a, b = keygen(tmp_path, "anouk"), keygen(tmp_path, "bram")
    run(db, "admin", "user", "add", "anouk", "--display-name", "A", "--role", "coordinator",
        "--key", f"{a}.pub")
    run(db, "admin", "user", "add", "bram", "--display-name", "B", "--role", "teacher",
        "--key", f"{b}.pub")
    target = tmp_path / "ak"
    target.write_text("# de beheerder\nssh-ed25519 AAAAhandmatig beheer@school\n")
    target.chmod(0o640)
    r = run(db, "admin", "keys", "write", "--file", str(target))
    assert r.returncode == 0, r.stderr
    text = target.read_text()
    lines = text.splitlines()
    assert lines[:2] == ["# de beheerder", "ssh-ed25519 AAAAhandmatig beheer@school"]
    managed = [line for line in lines if line.startswith("restrict,")]
    assert len(managed) == 2
    assert managed[0].startswith(f'restrict,pty,command="{MELDCODE} --db {db} serve --user anouk" ssh-ed25519 ')
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    r = run(db, "admin", "user", "disable", "bram", "--reason", "Vertrokken")
    # The managed file (the one keys write wrote) is rewritten by the access change itself.
    assert f"authorized_keys bijgewerkt: {target}" in r.stdout, r.stderr
    assert "--user bram" not in target.read_text()
    os.link(target, tmp_path / "held")             # its inode number cannot be reused meanwhile
    inode = target.stat().st_ino
    assert run(db, "admin", "keys", "write", "--file", str(target)).returncode == 0
    assert target.stat().st_ino != inode          # replaced by rename, not rewritten in place
    again = target.read_text()
    assert "--user bram" not in again and "--user anouk" in again
    assert again.count("# BEGIN meldcode") == 1 and "AAAAhandmatig" in again
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".authorized_keys.")]
    evs, verdict = events(db)
    assert verdict.ok and [e.kind for e in evs].count("keys_written") == 3


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another account needs root")
def test_keys_write_refuses_a_target_the_service_account_can_write(db, tmp_path):
    a = keygen(tmp_path, "anouk")
    run(db, "admin", "user", "add", "anouk", "--display-name", "A", "--role", "coordinator",
        "--key", f"{a}.pub")
    nobody = pwd.getpwnam("nobody")
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    target = home / ".ssh" / "authorized_keys"
    os.chown(home / ".ssh", nobody.pw_uid, nobody.pw_gid)   # the account owns its .ssh
    r = run(db, "admin", "keys", "write", "--file", str(target), "--service-user", "nobody")
    assert r.returncode == 1
    assert "schrijfbaar voor het service-account 'nobody'" in r.stderr
    assert f"sudo chown root:root {home / '.ssh'}" in r.stderr
    assert not target.exists()
    os.chown(home / ".ssh", 0, 0)
    target.write_text("")
    os.chown(target, nobody.pw_uid, nobody.pw_gid)          # or the file itself
    r = run(db, "admin", "keys", "write", "--file", str(target), "--service-user", "nobody")
    assert r.returncode == 1 and str(target) in r.stderr
    os.chown(target, 0, 0)
    target.chmod(0o666)                                     # or anyone may write it
    r = run(db, "admin", "keys", "write", "--file", str(target), "--service-user", "nobody")
    assert r.returncode == 1
    target.chmod(0o644)
    r = run(db, "admin", "keys", "write", "--file", str(target), "--service-user", "nobody")
    assert r.returncode == 0, r.stderr
    assert "--user anouk" in target.read_text()


def test_admin_config_writes_a_commented_default_that_loads(tmp_path):
    from meldcode_tui.config import load_config

    target = tmp_path / "etc" / "meldcode.toml"
    r = subprocess.run([MELDCODE, "admin", "config", "--file", str(target)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    text = target.read_text()
    for word in ("--db", "ssh_host", "--role coordinator", "allow", "block", "folders",
                 "counted_from", "name"):
        assert word in text
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    cfg = load_config(target)
    assert cfg.retention_years == 2 and cfg.retention_counted_from == "leaving"
    target.write_text("# mine\n")
    r = subprocess.run([MELDCODE, "admin", "config", "--file", str(target)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1 and "bestaat al" in r.stderr and target.read_text() == "# mine\n"
    env = {**os.environ, "MELDCODE_CONFIG": str(tmp_path / "via-env.toml")}
    assert subprocess.run([MELDCODE, "admin", "config"], env=env, capture_output=True,
                          timeout=60).returncode == 0
    assert (tmp_path / "via-env.toml").exists()


@pytest.fixture
def service_account_db(tmp_path):
    """A database folder owned by the service account ("nobody"), under a /tmp folder others
    may enter: (account, top folder, data folder, database). Removed afterwards."""
    import shutil
    import tempfile

    nobody = pwd.getpwnam("nobody")
    top = Path(tempfile.mkdtemp(prefix="mc-admin-", dir="/tmp"))
    top.chmod(0o755)
    data = top / "data"
    data.mkdir()
    db = data / "school.sqlite"
    open_store(db, create=True).close()
    for p in (data, *data.iterdir()):
        os.chown(p, nobody.pw_uid, nobody.pw_gid)
    yield nobody, top, data, db
    shutil.rmtree(top)


@pytest.mark.skipif(os.geteuid() != 0, reason="switching accounts needs root")
def test_root_works_on_the_service_accounts_database_as_that_account(service_account_db, tmp_path):
    """sudo meldcode admin …: the journal names root, but the database's -wal/-shm stay the
    service account's (SQLite creates them as whoever opens the file)."""
    import shutil

    nobody, top, data, db = service_account_db
    a = keygen(tmp_path, "anouk")
    shutil.copy(f"{a}.pub", top / "anouk.pub")
    r = run(db, "admin", "user", "add", "anouk", "--display-name", "A", "--role", "coordinator",
            "--key", str(top / "anouk.pub"))
    assert r.returncode == 0, r.stderr
    owners = {p.name: p.stat().st_uid for p in data.iterdir()}
    assert set(owners.values()) == {nobody.pw_uid}, owners
    target = top / "authorized_keys"
    r = run(db, "admin", "keys", "write", "--file", str(target), "--service-user", "nobody")
    assert r.returncode == 0, r.stderr
    assert target.stat().st_uid == 0 and "--user anouk" in target.read_text()
    assert {p.stat().st_uid for p in data.iterdir()} == {nobody.pw_uid}
    evs, verdict = events(db)
    assert verdict.ok and {e.actor for e in evs} == {"root"}
    assert [e.kind for e in evs][-1] == "keys_written"


def test_cli_sessions_follow_the_table_once_it_is_in_use(db, tmp_path):
    assert run(db, "admin", "user", "add", "dirk", "--display-name", "D", "--role",
               "teacher").returncode == 0
    assert run(db, "admin", "user", "add", "anouk", "--display-name", "A", "--role",
               "coordinator").returncode == 0
    from meldcode_tui.service import CaseService

    svc = CaseService(open_store(db), actor="anouk", role="coordinator")
    svc.create_case("Lotte Peters (fictief)", "2015-04-01")
    svc.store.close()
    listed = run(db, "--user", "anouk", "case", "list", "--json")
    assert listed.returncode == 0 and "Lotte" in listed.stdout
    teacher = run(db, "--user", "dirk", "case", "list", "--json")
    assert teacher.returncode == 0 and "Lotte" not in teacher.stdout
    stranger = run(db, "--user", "mallory", "case", "list")
    assert stranger.returncode == 1 and not stranger.stdout
    assert stranger.stderr.strip() == "meldcode: U heeft geen toegang (meer) tot Meldcode op deze server."
    # The account that owns the file (here: this one), at the console, without --user:
    # cron jobs such as `retention --apply` keep working.
    own = run(db, "case", "list", "--json", env={"MELDCODE_USER": ""})
    assert own.returncode == 0 and "Lotte" in own.stdout


def test_an_access_change_without_a_managed_keys_file_says_the_exact_command(db, tmp_path):
    """No authorized_keys that Meldcode manages (keys write never ran): the change is made,
    and the admin is told plainly that sshd still has the old lines, with the command."""
    a = keygen(tmp_path, "anouk")
    r = run(db, "admin", "user", "add", "anouk", "--display-name", "A", "--role", "coordinator",
            "--key", f"{a}.pub")
    assert r.returncode == 0
    r = run(db, "admin", "user", "remove-key", "anouk", fp_of(f"{a}.pub"))
    assert r.returncode == 0, r.stderr
    assert "verwijderd" in r.stdout
    assert "authorized_keys is niet bijgewerkt" in r.stderr
    assert f"Draai nu: meldcode --db {db.absolute()} admin keys write --file PAD" in r.stderr
    # With --keys-file the same command writes it (and journals it).
    target = tmp_path / "ak"
    r = run(db, "admin", "user", "set-role", "anouk", "member", "--keys-file", str(target))
    assert r.returncode == 0, r.stderr
    assert f"authorized_keys bijgewerkt: {target}" in r.stdout
    assert "# BEGIN meldcode" in target.read_text()
    evs, verdict = events(db)
    assert verdict.ok and [e.kind for e in evs][-2:] == ["user_role_set", "keys_written"]


@pytest.mark.skipif(os.geteuid() != 0, reason="switching accounts needs root")
def test_sudo_reads_the_key_file_as_root_before_it_becomes_the_service_account(service_account_db, tmp_path):
    """The admin's key file in root's own 0700 folder: the service account cannot read it, the
    command must still take it (it reads the file before it drops to that account)."""
    import shutil

    nobody, top, data, db = service_account_db
    private = top / "root-only"
    private.mkdir(mode=0o700)
    a, b = keygen(tmp_path, "anouk"), keygen(tmp_path, "anouk2")
    shutil.copy(f"{a}.pub", private / "anouk.pub")
    shutil.copy(f"{b}.pub", private / "anouk2.pub")
    r = run(db, "admin", "user", "add", "anouk", "--display-name", "A", "--role", "coordinator",
            "--key", str(private / "anouk.pub"))
    assert r.returncode == 0, r.stderr
    r = run(db, "admin", "user", "add-key", "anouk", str(private / "anouk2.pub"))
    assert r.returncode == 0, r.stderr
    listed = json.loads(run(db, "admin", "user", "list", "--json").stdout)
    assert {k["fingerprint"] for k in listed[0]["keys"]} == {fp_of(f"{a}.pub"), fp_of(f"{b}.pub")}
    assert {p.stat().st_uid for p in data.iterdir()} == {nobody.pw_uid}
