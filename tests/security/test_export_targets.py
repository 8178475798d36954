"""Local exports never overwrite, never write the database, the config, a symlink or a
dot-folder of a home directory: one path policy (exports/target.py) for ``export -o`` and the
TUI dialog. Every test here failed before that policy existed (the old code wrote with
O_TRUNC / os.replace wherever it was pointed)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from tests.exports.conftest import build_full_case, make_service
from tests.exports.helpers import db_content


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def case_db(tmp_path):
    db = tmp_path / "data" / "school.sqlite"
    db.parent.mkdir()
    svc = make_service(db, actor="test-coordinator")
    case_id = build_full_case(svc)
    svc.store.close()
    return db, case_id


def exports_in(db) -> int:
    return db_content(db).count("case_exported")


def test_existing_file_is_refused_and_untouched(case_db, tmp_path):
    """Abuse: point the export at a file that matters (a colleague's notes, a script) so the
    export replaces it."""
    db, case_id = case_db
    target = tmp_path / "notes.md"
    target.write_text("van een collega")
    before = exports_in(db)
    result = run("export", case_id, "-f", "markdown", "-o", str(target), "--db", str(db))
    assert result.exit_code == 1
    assert "bestaat al" in result.stderr and "notes-2.md" in result.stderr
    assert target.read_text() == "van een collega"
    assert exports_in(db) == before            # refused before anything was journalled


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_database_and_its_side_files_are_refused(case_db, suffix):
    """Abuse (the issue's): export Markdown over school.sqlite; the app said 'Geëxporteerd'
    and the journal was gone. The -wal/-shm/-journal files are refused even when absent
    (creating a -wal next to the database corrupts it at the next open)."""
    db, case_id = case_db
    target = Path(str(db) + suffix)
    existed = target.exists()
    before = target.read_bytes() if existed else None
    result = run("export", case_id, "-f", "markdown", "-o", str(target), "--db", str(db))
    assert result.exit_code == 1
    assert "database" in result.stderr
    assert (target.read_bytes() if target.exists() else None) == before
    assert run("verify", "--db", str(db)).exit_code == 0


def test_database_through_another_spelling_is_refused(case_db):
    """Abuse: the same file by a relative path with '..' or through a symlinked folder."""
    db, case_id = case_db
    link = db.parent.parent / "alias"
    link.symlink_to(db.parent)
    for spelling in (db.parent / ".." / db.parent.name / db.name, link / db.name):
        result = run("export", case_id, "-f", "markdown", "-o", str(spelling), "--db", str(db))
        assert result.exit_code == 1, spelling
    assert run("verify", "--db", str(db)).exit_code == 0


def test_config_file_is_refused(case_db, tmp_path):
    db, case_id = case_db
    config = tmp_path / "config.toml"
    config.write_text('[school]\nname = "OBS De Fictieve Linde"\n')
    result = CliRunner().invoke(main, ["--config", str(config), "export", case_id, "-f", "markdown",
                                       "-o", str(config), "--db", str(db)])
    assert result.exit_code == 1
    assert config.read_text() == '[school]\nname = "OBS De Fictieve Linde"\n'


def test_symlink_is_refused_and_its_target_untouched(case_db, tmp_path):
    """Abuse: a symlink named like an export pointing at authorized_keys or the database."""
    db, case_id = case_db
    victim = tmp_path / "victim.txt"
    victim.write_text("origineel")
    link = tmp_path / "export.md"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nieuw-bestand")
    for target in (link, dangling):
        result = run("export", case_id, "-f", "markdown", "-o", str(target), "--db", str(db))
        assert result.exit_code == 1
        assert "koppeling" in result.stderr
    assert victim.read_text() == "origineel"
    assert not (tmp_path / "nieuw-bestand").exists()


@pytest.mark.parametrize("where", [".ssh/authorized_keys", ".ssh/nieuw", ".config/meldcode/config.toml",
                                   ".bash_profile", ".local/lib/x.pth"])
def test_dot_folders_of_a_home_are_refused(case_db, home, where):
    """Abuse (the issue's): write a public key from a case text into the service account's
    ~/.ssh/authorized_keys and log in with a shell; or a login script, or a .pth file."""
    db, case_id = case_db
    target = home / where
    target.parent.mkdir(parents=True, exist_ok=True)
    result = run("export", case_id, "-f", "markdown", "-o", str(target), "--db", str(db))
    assert result.exit_code == 1
    assert not target.exists()


def test_symlinked_folder_into_ssh_is_resolved(case_db, home, tmp_path):
    """Abuse: an innocent-looking folder that is a symlink to ~/.ssh."""
    db, case_id = case_db
    innocent = tmp_path / "exports"
    innocent.symlink_to(home / ".ssh")
    result = run("export", case_id, "-f", "markdown", "-o", str(innocent / "authorized_keys"),
                 "--db", str(db))
    assert result.exit_code == 1
    assert not (home / ".ssh" / "authorized_keys").exists()


def test_a_good_export_is_new_and_private(case_db, home):
    db, case_id = case_db
    target = home / "MC-export.md"
    result = run("export", case_id, "-f", "markdown", "-o", str(target), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
