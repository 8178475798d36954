"""`meldcode admin encrypt` / `admin rekey` against real files: a plain demo database is
converted (verified before it replaces the old one, old bytes zeroed), the app's commands then
need the configured key, a wrong or missing key is one Dutch line, refusals change nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.demo import create_demo
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

from .conftest import tamper

pytest.importorskip("sqlcipher3", reason="extra 'encrypted' (sqlcipher3) not installed")

KEY = "fictieve-sleutel-voor-tests"
NEW_KEY = "een-andere-fictieve-sleutel"


def _key_file(path: Path, key: str, mode: int = 0o600) -> Path:
    path.write_text(key + "\n", encoding="utf-8")
    os.chmod(path, mode)
    return path


def _config(tmp_path: Path, key_file: Path) -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[encryption]\nkey_file = "{key_file}"\n[access]\nall_cases = ["beheer"]\n', encoding="utf-8")
    return cfg


def _raw(db: Path) -> bytes:
    return b"".join(Path(p).read_bytes() for p in (db, f"{db}-wal") if Path(p).exists())


@pytest.fixture
def plain_db(db_path):
    svc = CaseService(open_store(db_path, create=True), actor="beheer", all_access=True)
    create_demo(svc, today=date(2026, 11, 29))
    name = svc.store.case_rows()[0]["pupil_name"]
    head = svc.store.checkpoint()
    svc.store.close()
    return db_path, name, head


def _run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def test_encrypt_converts_verifies_and_zeroes_the_old_file(plain_db, tmp_path):
    db, name, head = plain_db
    assert name.encode() in _raw(db)
    key_file = _key_file(tmp_path / "db.key", KEY)
    old_fd = os.open(db, os.O_RDONLY)          # the old file, as a session still holding it
    try:
        res = _run("--db", db, "admin", "encrypt", "--key-file", key_file)
        assert res.exit_code == 0, res.output
        assert f"{head[0]} {head[1]}" in res.output and "nullen" in res.output
        old = b""
        while chunk := os.read(old_fd, 1 << 16):
            old += chunk
        assert old and old.count(0) == len(old)  # overwritten with zeros, nothing plain left
    finally:
        os.close(old_fd)

    raw = _raw(db)
    assert not raw.startswith(b"SQLite format 3") and name.encode() not in raw
    assert (os.stat(db).st_mode & 0o777) == 0o600
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name)) == [db.name]

    cfg = _config(tmp_path, key_file)
    res = _run("--config", cfg, "--db", db, "verify")
    assert res.exit_code == 0 and f"{head[0]} {head[1]}" in res.output, res.output
    res = _run("--config", cfg, "--db", db, "--user", "beheer", "case", "list")
    assert res.exit_code == 0 and name in res.output

    res = _run("--db", db, "verify")                       # no key configured
    assert res.exit_code == 3 and "versleuteld" in res.output and "key_file" in res.output


def test_rekey_and_wrong_key_is_one_dutch_line_without_sqlcipher_noise(plain_db, tmp_path):
    db, name, head = plain_db
    old_file = _key_file(tmp_path / "oud.key", KEY)
    new_file = _key_file(tmp_path / "nieuw.key", NEW_KEY)
    assert _run("--db", db, "admin", "encrypt", "--key-file", old_file).exit_code == 0
    res = _run("--config", _config(tmp_path, old_file), "--db", db, "admin", "rekey",
               "--new-key-file", new_file)
    assert res.exit_code == 0, res.output
    assert "nieuw.key" in res.output                        # tells the admin to update the config

    # The old key no longer opens it: a real process, its whole stderr is one Dutch line.
    proc = subprocess.run([sys.executable, "-m", "meldcode_tui", "--config",
                           str(_config(tmp_path, old_file)), "--db", str(db), "verify"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    assert proc.stderr.strip().count("\n") == 0 and "sleutel" in proc.stderr
    assert "ERROR" not in proc.stderr and "hmac" not in proc.stderr.lower()
    res = _run("--config", _config(tmp_path, new_file), "--db", db, "verify")
    assert res.exit_code == 0 and f"{head[0]} {head[1]}" in res.output


def test_refusals_change_nothing(plain_db, tmp_path):
    db, _name, _head = plain_db
    before = _raw(db)
    loose = _key_file(tmp_path / "los.key", KEY, mode=0o644)
    res = _run("--db", db, "admin", "encrypt", "--key-file", loose)
    assert res.exit_code == 3 and "chmod 600" in res.output
    short = _key_file(tmp_path / "kort.key", "kort")
    assert _run("--db", db, "admin", "encrypt", "--key-file", short).exit_code != 0
    assert _raw(db) == before

    # A database that does not verify is not converted.
    tamper(db, "UPDATE payloads SET body = replace(body, 'a', 'o') WHERE rowid = 3")
    tampered = _raw(db)
    res = _run("--db", db, "admin", "encrypt", "--key-file", _key_file(tmp_path / "k", KEY))
    assert res.exit_code == 1 and "niets omgezet" in res.output
    assert _raw(db) == tampered
    assert not Path(f"{db}.versleutelen").exists()


def test_encrypting_twice_is_refused(plain_db, tmp_path):
    db, _name, _head = plain_db
    key_file = _key_file(tmp_path / "db.key", KEY)
    assert _run("--db", db, "admin", "encrypt", "--key-file", key_file).exit_code == 0
    before = _raw(db)
    res = _run("--db", db, "admin", "encrypt", "--key-file", key_file)
    assert res.exit_code == 1 and "al versleuteld" in res.output and "rekey" in res.output
    assert _raw(db) == before


def test_prompt_asks_for_the_key_on_the_terminal(plain_db, tmp_path):
    """`[encryption] prompt = true`: the key is asked without echo on a real pty."""
    import pty
    import select

    db, _name, head = plain_db
    assert _run("--db", db, "admin", "encrypt", "--key-file",
                _key_file(tmp_path / "db.key", KEY)).exit_code == 0
    cfg = tmp_path / "prompt.toml"
    cfg.write_text("[encryption]\nprompt = true\n", encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # child: the real command on the pty
        os.execv(sys.executable, [sys.executable, "-m", "meldcode_tui", "--config", str(cfg),
                                  "--db", str(db), "verify"])
    out = b""
    sent = False
    while True:
        ready, _w, _x = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if not sent and b"Sleutel van de database" in out:
            os.write(fd, (KEY + "\n").encode())
            sent = True
    _pid, status = os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    assert sent and os.waitstatus_to_exitcode(status) == 0, text
    assert f"{head[0]} {head[1]}" in text and KEY not in text      # no echo


def test_encryption_config_is_checked(tmp_path, db_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[encryption]\nprompt = "ja"\n', encoding="utf-8")
    res = _run("--config", cfg, "--db", db_path, "verify")
    assert res.exit_code == 1 and "encryption.prompt" in res.output and "true of false" in res.output


def test_a_key_beside_the_database_is_pointed_out(plain_db, tmp_path):
    """The key belongs outside the data folder (README: /etc/meldcode/): encrypt says so when
    it is given one next to the database, and still does its work."""
    db = plain_db[0]
    beside = _key_file(Path(db).parent / "db.key", KEY)
    result = CliRunner().invoke(main, ["--db", str(db), "admin", "encrypt", "--key-file",
                                       str(beside)])
    assert result.exit_code == 0, result.output
    assert "staat bij de database" in result.output and "/etc/meldcode/" in result.output
    (tmp_path.parent / f"{tmp_path.name}-etc").mkdir(mode=0o700)
    apart = _key_file(tmp_path.parent / f"{tmp_path.name}-etc" / "db.key", NEW_KEY)
    result = CliRunner().invoke(main, ["--db", str(db), "--config", str(_config(tmp_path, beside)),
                                       "admin", "rekey", "--new-key-file", str(apart)])
    assert result.exit_code == 0, result.output
    assert "staat bij de database" not in result.output
