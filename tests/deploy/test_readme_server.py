"""The README's server chapters work as written (issue: a school's IT admin deploys from the
README). Every config block and command in "Running it on the school's server (SSH)" and
"Installing on a school server" has a marker, and the blocks are run here, verbatim: ``sshd -t``
on the exact sshd block, a real sshd with it, keys written by ``meldcode admin keys write``, a
session, refused bypasses, and each line of the cron file as the account it names, on an
encrypted database."""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from .deployment import (README, ROOT, SSHD, Deployment, blocks, can_deploy, debian_sshd_config,
                         server_chapters)


def test_every_block_of_the_server_chapters_is_marked_and_extracted():
    chapters = server_chapters()
    fences = re.findall(r"^[ \t]*```\w*$", chapters, re.M)
    found = blocks()
    assert len(found) * 2 == len(fences), "a fenced block in the server chapters has no marker"
    assert {"server:install", "server:key", "server:sshd", "server:sshd-install", "server:users",
            "server:cron", "server:cron-install", "server:keys-file",
            "ssh:authorized-keys"} <= set(found)


def test_the_config_fragment_loads(tmp_path):
    from meldcode_tui.config import load_config

    path = tmp_path / "meldcode.toml"
    path.write_text(blocks()["server:config-server"][1])
    assert load_config(path).fetch_host == "meldcode@server.school.nl"


def test_the_shipped_files_are_the_readme_blocks():
    found = blocks()
    assert found["server:sshd"][1] == (ROOT / "deploy/sshd-meldcode.conf").read_text()
    assert found["server:cron"][1] == (ROOT / "deploy/meldcode.cron").read_text()


def test_every_cron_line_names_the_config_and_the_database():
    for line in (ROOT / "deploy/meldcode.cron").read_text().splitlines():
        if "bin/meldcode" in line:
            assert "--config /etc/meldcode/meldcode.toml" in line, line
            assert "--db /srv/meldcode/data/school.sqlite" in line, line


def test_the_key_lives_outside_the_data_and_backup_tree():
    text = README.read_text(encoding="utf-8")
    assert "/srv/meldcode/db.key" not in text
    key_block = blocks()["server:key"][1]
    assert 'key_file = "/etc/meldcode/db.key"' in key_block


def test_sshd_accepts_the_exact_block(tmp_path):
    if can_deploy() is not None:
        pytest.skip(can_deploy())
    dropin = tmp_path / "sshd_config.d"
    dropin.mkdir()
    (dropin / "meldcode.conf").write_text(blocks()["server:sshd"][1])
    hostkey = tmp_path / "hostkey"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(hostkey)], check=True)
    config = tmp_path / "sshd_config"
    config.write_text(debian_sshd_config(dropin, 2222, hostkey, tmp_path / "pid"))
    from pathlib import Path

    Path("/run/sshd").mkdir(parents=True, exist_ok=True)
    ok = subprocess.run([str(SSHD), "-t", "-f", str(config)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    # The old README block (PermitUserEnvironment inside Match) is what sshd refuses.
    (dropin / "meldcode.conf").write_text("Match User meldcode\n    PermitUserEnvironment no\n")
    bad = subprocess.run([str(SSHD), "-t", "-f", str(config)], capture_output=True, text=True)
    assert bad.returncode != 0 and "not allowed within a Match block" in bad.stderr


@pytest.fixture
def deployment():
    reason = can_deploy()
    if reason:
        pytest.skip(reason)
    d = Deployment()
    why = d.make_venv()
    if why is None and subprocess.run(["runuser", "-u", "nobody", "--", str(d.meldcode), "--version"],
                                      capture_output=True).returncode != 0:
        why = "another account cannot run this checkout's packages (folders not readable)"
    if why:
        d.cleanup()
        pytest.skip(why)
    try:
        yield d
    finally:
        d.cleanup()


@pytest.mark.slow
def test_the_install_chapter_from_a_fresh_machine_to_the_first_login(deployment):
    from meldcode_tui.store import crypto

    d = deployment
    started = time.monotonic()
    d.build()
    # What the test did not run: the three package/venv lines, nothing else.
    assert len(d.skipped) == 3, d.skipped

    # Step 2: an encrypted database, its key outside the data tree, the service account's.
    assert not crypto.looks_plain(d.db)
    assert d.keyfile.stat().st_mode & 0o777 == 0o400
    assert d.home not in d.keyfile.parents
    # Step 4: the keys file is root's, with one forced line per person.
    keys = d.keys_file.read_text()
    assert keys.count('restrict,pty,command="') == 2
    assert f"--config {d.config}" in keys and "serve --user anouk" in keys
    assert d.keys_file.stat().st_uid == 0

    d.start_sshd()
    from tests.termkit import TmuxSession, tmux_available

    # A session: the app, as anouk.
    if tmux_available():
        with TmuxSession(" ".join(d.ssh("anouk", tty=True)), width=100, height=30,
                         env={"TERM": "xterm-256color"}) as t:
            t.wait_for("Meldcode — anouk", timeout=40)
    first_login = time.monotonic() - started
    # Refused bypasses: a shell, a file, sftp, a forwarded port.
    for remote in ("sh", "cat /etc/passwd", "internal-sftp"):
        r = subprocess.run(d.ssh("anouk", remote=remote), capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 2 and "niet toegestaan" in r.stderr, (remote, r.stderr)
    fwd = d.ssh("anouk", remote="true", extra=("-o", "ExitOnForwardFailure=yes", "-L",
                                                "0:127.0.0.1:22"))
    assert subprocess.run(fwd, capture_output=True, text=True, timeout=60).returncode != 0
    # The teacher logs in and gets no case.
    r = subprocess.run(d.ssh("dirk", remote="export MC-0001 --format markdown"),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 4 and not r.stdout, r.stderr

    # Step 5: every cron line, as its account, on the encrypted database.
    jobs = d.cron_jobs()
    assert {account for account, _ in jobs} == {d.user, "root"}
    for account, command in jobs:
        r = d.run_cron_job(account, command)
        assert r.returncode == 0, (command, r.stdout, r.stderr)
    backups = sorted(d.backups.glob("school-*.sqlite"))
    assert len(backups) == 1 and not crypto.looks_plain(backups[0])
    line = d.checkpoints.read_text().strip().splitlines()[-1]
    assert re.fullmatch(r"[0-9]+ [0-9a-f]{64}", line)
    assert line in d.mail_out.read_text()
    v = d.as_service("verify", "--checkpoint", line)
    assert v.returncode == 0, v.stderr
    # The second disk for the encrypted database: the README's hourly lines, then its drill
    # (verify the newest copy there against the last checkpoint).
    subprocess.run(["install", "-d", "-o", d.user, "-g", d.user, "-m", "0700",
                    str(d.base / "mnt/meldcode-replica")], check=True)
    d.ran.append("server:second-disk-cron")
    for account, command in d.cron_jobs(d.substitute(blocks()["server:second-disk-cron"][1])):
        r = d.run_cron_job(account, command)
        assert r.returncode == 0, (command, r.stdout, r.stderr)
    copies = sorted((d.base / "mnt/meldcode-replica").glob("school-*.sqlite"))
    assert len(copies) == 1 and not crypto.looks_plain(copies[0])
    r = subprocess.run(["runuser", "-u", d.user, "--", str(d.meldcode), "--config", str(d.config),
                        "--db", str(copies[0]), "verify", "--checkpoint", line], env=d.env(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and f"laatste {line}" in r.stdout, r.stderr
    # Step 6: the self-check says all is well, and the README's example lines are its format.
    check = d.run_block("server:check")
    lines = check.stdout.strip().splitlines()
    assert lines and all(line.startswith("OK ") for line in lines), check.stdout
    for line in blocks()["server:check-example"][1].strip().splitlines():
        assert re.match(r"(OK|WAARSCHUWING|FOUT) +\S", line), line
    print(check.stdout)
    # Not run on the server: the coordinator's own fetch command (client side), the config
    # fragment (loaded by test_the_config_fragment_loads), the sample output; the sshd and cron
    # blocks are the shipped files (test_the_shipped_files_are_the_readme_blocks) that were
    # installed and run; ssh:authorized-keys is tests/ssh's; Litestream's recipe and drill are
    # test_litestream.py's (a plain database; systemctl itself is not run); mosh is
    # tests/ssh/test_mosh.py's, pupils-load tests/ssh/test_ssh_pupils_load.py's and the
    # notification blocks tests/notify's (a real SMTP relay and webhook).
    assert set(blocks()) - set(d.ran) == {"server:client-example", "server:config-server",
                                          "server:sshd", "server:cron", "ssh:authorized-keys",
                                          "server:check-example", "server:litestream-yml",
                                          "server:litestream-unit", "server:litestream-install",
                                          "server:restore-drill", "server:mosh",
                                          "server:pupils-load", "server:notify-message",
                                          "server:notify-cron", "server:notify-channels",
                                          "server:notify-quiet-days"}
    print(f"\nfresh machine -> first coordinator's login: {first_login:.1f} s "
          f"(blocks run: {', '.join(d.ran)})")
