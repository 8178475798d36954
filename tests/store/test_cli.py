"""`meldcode verify | checkpoint | backup`: exit codes, one Dutch line, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.store import open_store

from .conftest import fill, tamper

MELDCODE = Path(sys.executable).parent / "meldcode"  # the console script of the venv running the tests


def run(*args):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def filled_db(db_path):
    with closing(open_store(db_path, create=True)) as store:
        fill(store, 12)
    return db_path


def test_verify_ok_prints_count_and_head(filled_db):
    code, out, err = run("verify", "--db", str(filled_db))
    head = open_store(filled_db).checkpoint()
    assert code == 0, err
    assert "12" in out and head[1] in out and err == ""


def test_checkpoint_then_verify_against_it(filled_db):
    code, out, _ = run("checkpoint", "--db", str(filled_db))
    assert code == 0
    seq, h = out.split()
    assert seq == "12" and len(h) == 64
    assert run("verify", "--db", str(filled_db), "--checkpoint", out.strip())[0] == 0
    code, _, err = run("verify", "--db", str(filled_db), "--checkpoint", f"5 {'a' * 64}")
    assert code == 1 and "5" in err and "Traceback" not in err
    code, _, err = run("verify", "--db", str(filled_db), "--checkpoint", "vijf")
    assert code == 1 and err.count("\n") == 1


def test_verify_names_the_first_bad_seq(filled_db):
    tamper(filled_db, "UPDATE events SET actor = 'mallory' WHERE seq = 7")
    code, out, err = run("verify", "--db", str(filled_db))
    assert code == 1
    assert err.count("\n") == 1 and "7" in err and "Traceback" not in err
    assert run("checkpoint", "--db", str(filled_db))[0] == 1  # no checkpoint of a bad chain


def test_backup_command(filled_db, tmp_path):
    dest = tmp_path / "backup.sqlite"
    code, out, err = run("backup", "--db", str(filled_db), str(dest))
    assert code == 0, err
    assert dest.exists() and (dest.stat().st_mode & 0o777) == 0o600
    code, _, err = run("backup", "--db", str(filled_db), str(dest))
    assert code == 1 and err.count("\n") == 1


def test_help_is_dutch():
    for cmd in ("verify", "checkpoint", "backup"):
        code, out, _ = run(cmd, "--help")
        assert code == 0 and "--db" in out
    assert "controlepunt" in run("verify", "--help")[1]


def _broken_files(tmp_path):
    missing = tmp_path / "weg.sqlite"
    garbage = tmp_path / "rommel.sqlite"
    garbage.write_bytes(os.urandom(8192))
    truncated = tmp_path / "half.sqlite"
    with closing(open_store(truncated, create=True)) as store:
        fill(store, 300)
    with open(truncated, "r+b") as fh:
        fh.truncate(truncated.stat().st_size // 2)
    newer = tmp_path / "nieuwer.sqlite"
    open_store(newer, create=True).close()
    with closing(sqlite3.connect(newer, isolation_level=None)) as conn:
        conn.execute("PRAGMA user_version = 999")
    return [missing, garbage, truncated, newer]


@pytest.mark.parametrize("cmd", [["verify"], ["checkpoint"], ["backup", "KOPIE"]])
def test_broken_databases_give_one_line_and_exit_3(tmp_path, cmd):
    for path in _broken_files(tmp_path):
        args = [a if a != "KOPIE" else str(tmp_path / f"kopie-{path.stem}.sqlite") for a in cmd]
        code, out, err = run(*args, "--db", str(path))
        assert code == 3, (path, err)
        assert err.count("\n") == 1 and str(path) in err and "Traceback" not in err
        assert err.startswith("meldcode: ")


def test_locked_database_through_the_real_executable(db_path):
    """A real process, a real lock held by another connection, a short busy timeout."""
    open_store(db_path, create=True).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        env = dict(os.environ, MELDCODE_BUSY_TIMEOUT_MS="300")
        proc = subprocess.run([str(MELDCODE), "verify", "--db", str(db_path)], env=env,
                              capture_output=True, text=True, timeout=60)
    finally:
        holder.close()
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and "bezet" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_backup_of_a_tampered_database_exits_1(filled_db, tmp_path):
    tamper(filled_db, "DELETE FROM events WHERE seq = 3")
    code, _, err = run("backup", "--db", str(filled_db), str(tmp_path / "bewijs.sqlite"))
    assert code == 1 and err.count("\n") == 1 and "3" in err
