"""``meldcode admin check`` on the README's deployment (built as tests/deploy/deployment.py
does: real files, a real service account, sshd -T on the real drop-in): all OK, then each fault
of the issue made on purpose, one at a time, gives its line and exit code, and is undone."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from .deployment import Deployment, blocks, can_deploy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def d():
    reason = can_deploy()
    if reason:
        pytest.skip(reason)
    dep = Deployment()
    try:
        why = dep.make_venv()
        if why:
            pytest.skip(why)
        dep.build()
        for account, command in dep.cron_jobs():      # a backup, a checkpoint
            if "admin check" not in command:
                assert dep.run_cron_job(account, command).returncode == 0, command
        yield dep
    finally:
        dep.cleanup()


def check(d: Deployment) -> tuple[int, list[str]]:
    command = d.substitute(blocks()["server:check"][1]).strip()
    argv = shlex.split(command.removeprefix("sudo "))
    r = subprocess.run(argv, env=d.env(), capture_output=True, text=True, timeout=120)
    assert not r.stderr, r.stderr
    return r.returncode, r.stdout.strip().splitlines()


def not_ok(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.startswith("OK ")]


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return text


def test_a_correct_deployment_is_all_ok(d):
    code, lines = check(d)
    assert code == 0 and not not_ok(lines), lines
    assert len(lines) >= 15


def test_keys_file_owned_by_the_service_account(d):
    os.chown(d.keys_file, d.uid(), -1)
    try:
        code, lines = check(d)
    finally:
        os.chown(d.keys_file, 0, -1)
    assert code == 2
    assert [ln for ln in not_ok(lines)] == [ln for ln in lines if ln.startswith("FOUT         sleutelbestand:")]
    assert "sudo chown root:root" in not_ok(lines)[0]


def test_group_writable_config(d):
    d.config.chmod(0o660)
    try:
        code, lines = check(d)
    finally:
        d.config.chmod(0o640)
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("FOUT         configuratie:"), bad
    assert f"het service-account '{d.user}'" in bad[0]
    # The config load itself refuses it too, for serve and for root's admin commands.
    d.config.chmod(0o660)
    try:
        r = d.as_root("admin", "user", "list")
    finally:
        d.config.chmod(0o640)
    assert r.returncode == 1 and "kan worden gewijzigd door het service-account" in r.stderr


def test_plain_database(d):
    aside = d.base / "aside"
    aside.mkdir(exist_ok=True)
    shutil.move(d.db, aside / "school.sqlite")
    old = edit(d.config, '[encryption]\nkey_file = "', '[unused]\nkey_file_was = "')
    d.config.write_text(old.split("\n[encryption]")[0] + "\n")
    try:
        subprocess.run(["install", "-o", d.user, "-g", d.user, "-m", "0600", "/dev/null", str(d.db)],
                       check=True)
        d.as_service("admin", "user", "list", check=True)
        code, lines = check(d)
    finally:
        d.config.write_text(old)
        os.unlink(d.db)
        shutil.move(aside / "school.sqlite", d.db)
    assert code == 2
    assert any(ln.startswith("FOUT         versleuteling: de database is NIET versleuteld")
               and "admin encrypt" in ln for ln in lines), lines


def test_key_inside_the_data_folder(d):
    inside = d.db.parent / "db.key"
    shutil.copy2(d.keyfile, inside)
    os.chown(inside, d.uid(), d.uid())
    old = edit(d.config, f'key_file = "{d.keyfile}"', f'key_file = "{inside}"')
    try:
        code, lines = check(d)
    finally:
        d.config.write_text(old)
        inside.unlink()
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("FOUT         plaats van de sleutel:"), bad
    assert str(d.db.parent) in bad[0]


def test_backup_older_than_two_days(d):
    backups = list(d.backups.iterdir())
    old = time.time() - 3 * 86400
    for b in backups:
        os.utime(b, (old, old))
    try:
        code, lines = check(d)
    finally:
        for b in backups:
            os.utime(b, None)
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("FOUT         reservekopie:") and "3 dagen oud" in bad[0]


def test_plain_backup_of_an_encrypted_database(d):
    plain = d.backups / "school-plain.sqlite"
    import sqlite3

    from meldcode_tui.store.db import APPLICATION_ID

    conn = sqlite3.connect(plain)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE events (seq INTEGER, at TEXT)")
    conn.execute("CREATE TABLE payloads (hash TEXT)")
    conn.commit()
    conn.close()
    os.chown(plain, d.uid(), d.uid())
    try:
        code, lines = check(d)
    finally:
        plain.unlink()
    assert code == 2
    assert any(ln.startswith("FOUT         reservekopie versleuteld:") for ln in lines), lines


def test_checkpoint_that_no_longer_matches(d):
    before = d.checkpoints.read_text()
    seq = before.split()[-2]
    d.checkpoints.write_text(before + f"{seq} {'ab' * 32}\n")
    try:
        code, lines = check(d)
    finally:
        d.checkpoints.write_text(before)
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("FOUT         controlepunt: het journaal klopt NIET"), bad


def test_no_retention_period(d):
    old = edit(d.config, "\nyears = 2", "\n")
    try:
        code, lines = check(d)
    finally:
        d.config.write_text(old)
    assert code == 1
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("WAARSCHUWING bewaartermijn:"), bad


def test_forwarding_allowed_in_sshd(d):
    dropin = d.base / "etc/ssh/sshd_config.d/meldcode.conf"
    old = edit(dropin, "    AllowTcpForwarding no\n", "")
    try:
        code, lines = check(d)
    finally:
        dropin.write_text(old)
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith(f"FOUT         sshd voor {d.user}:"), bad
    assert "allowtcpforwarding yes" in bad[0]


def test_catalogue_folder_777(d):
    folder = d.base / "etc/meldcode/catalogi"
    folder.mkdir()
    folder.chmod(0o777)
    old = edit(d.config, "folders = []", f'folders = ["{folder}"]')
    try:
        code, lines = check(d)
    finally:
        d.config.write_text(old)
        folder.rmdir()
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("FOUT         catalogusmap:") and "iedereen" in bad[0], bad


def test_a_plugin_not_on_the_allow_list(d):
    site = Path(subprocess.run([str(d.venv / "bin/python"), "-c",
                                "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    info = site / "fictief_extra-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fictief-extra\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[meldcode]\nfictief_extra = fictief_extra\n")
    old = edit(d.config, "allow = []", 'allow = ["builtin_catalogues", "builtin_exports"]')
    try:
        code, lines = check(d)
    finally:
        d.config.write_text(old)
        shutil.rmtree(info)
    assert code == 1
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("WAARSCHUWING plugin fictief_extra:"), bad
    assert "niet op de allow-lijst" in bad[0] and "pip uninstall fictief-extra" in bad[0]


def test_keys_file_out_of_step_with_the_user_table(d):
    before = d.keys_file.read_text()
    d.keys_file.write_text(re.sub(r"^.*--user dirk.*\n", "", before, flags=re.M))
    try:
        code, lines = check(d)
    finally:
        d.keys_file.write_text(before)
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("FOUT         sleutels en gebruikers:") and "dirk" in bad[0]


def test_a_plain_export_among_the_backups(d):
    export = d.backups / "MC-0001.md"
    export.write_text("# Chronologie casus MC-0001\nSanne de Vries (fictief)\n")
    try:
        code, lines = check(d)
    finally:
        export.unlink()
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("FOUT         reservekopie versleuteld:"), bad
    assert "MC-0001.md" in bad[0]


def test_checkpoints_file_the_service_account_could_rewrite(d):
    os.chown(d.checkpoints, d.uid(), -1)
    try:
        code, lines = check(d)
    finally:
        os.chown(d.checkpoints, 0, -1)
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("FOUT         controlepuntenbestand:"), bad


def test_backup_folder_open_to_others(d):
    d.backups.chmod(0o755)
    try:
        code, lines = check(d)
    finally:
        d.backups.chmod(0o700)
    assert code == 2
    bad = not_ok(lines)
    assert len(bad) == 1 and bad[0].startswith("FOUT         backupmap:") and "0755" in bad[0], bad
