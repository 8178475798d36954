"""Opening the file: creation, permissions, migrations and every way it can fail."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing

import pytest

from meldcode_tui.errors import (DatabaseCorrupt, DatabaseLocked, DatabaseMissing,
                                 DatabaseTooNew, DatabaseUnreadable, StoreError)
from meldcode_tui.store import SCHEMA_VERSION, open_store

from .conftest import fill


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def _one_dutch_line(exc: StoreError, path) -> None:
    text = str(exc)
    assert "\n" not in text and "Traceback" not in text
    assert str(path) in text
    assert exc.exit_code == 3


def test_create_makes_private_folder_and_file(tmp_path, store_key):
    path = tmp_path / "nieuw" / "diep" / "school.sqlite"
    old = os.umask(0o022)
    try:
        with closing(open_store(path, create=True, key=store_key)) as store:
            fill(store, 2)
    finally:
        os.umask(old)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    for suffix in ("-wal", "-shm"):
        side = f"{path}{suffix}"
        if os.path.exists(side):
            assert _mode(side) & 0o077 == 0
    with closing(open_store(path, key=store_key)) as again:
        assert again.verify().count == 2
        assert again._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert again._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert again._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert again._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_create_leaves_an_existing_folder_alone(tmp_path):
    folder = tmp_path / "gedeeld"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    with closing(open_store(folder / "school.sqlite", create=True)):
        pass
    assert _mode(folder) == 0o755
    assert _mode(folder / "school.sqlite") == 0o600


def test_missing(tmp_path):
    path = tmp_path / "bestaat-niet.sqlite"
    with pytest.raises(DatabaseMissing) as info:
        open_store(path)
    _one_dutch_line(info.value, path)
    assert not path.exists()


def test_directory_is_unreadable(tmp_path):
    with pytest.raises(DatabaseUnreadable) as info:
        open_store(tmp_path)
    _one_dutch_line(info.value, tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_chmod_000_is_unreadable(db_path):
    open_store(db_path, create=True).close()
    os.chmod(db_path, 0)
    try:
        with pytest.raises(DatabaseUnreadable) as info:
            open_store(db_path)
        _one_dutch_line(info.value, db_path)
    finally:
        os.chmod(db_path, 0o600)


def test_not_a_database(db_path):
    db_path.write_bytes(b"Dit is geen database maar een boodschappenlijst.\n" * 200)
    with pytest.raises(DatabaseCorrupt) as info:
        open_store(db_path)
    _one_dutch_line(info.value, db_path)


def test_garbage_after_a_valid_header(db_path):
    with closing(open_store(db_path, create=True)) as store:
        fill(store, 50)
    data = bytearray(db_path.read_bytes())
    data[100:] = os.urandom(len(data) - 100)
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt) as info:
        store = open_store(db_path)
        store.verify()
    _one_dutch_line(info.value, db_path)


def test_truncated_database(db_path):
    with closing(open_store(db_path, create=True)) as store:
        fill(store, 300)
    size = db_path.stat().st_size
    with open(db_path, "r+b") as fh:
        fh.truncate(size // 2)
    with pytest.raises(DatabaseCorrupt) as info:
        open_store(db_path).verify()
    _one_dutch_line(info.value, db_path)


def test_someone_elses_sqlite_file_is_not_touched(db_path):
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseCorrupt):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_empty_file_is_initialised(db_path):
    db_path.touch(mode=0o600)
    with closing(open_store(db_path)) as store:
        assert store.is_empty() and store.verify().ok


def test_newer_schema_is_refused_and_file_unchanged(db_path):
    with closing(open_store(db_path, create=True)) as store:
        fill(store, 3)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before, mtime = db_path.read_bytes(), db_path.stat().st_mtime_ns
    with pytest.raises(DatabaseTooNew) as info:
        open_store(db_path)
    _one_dutch_line(info.value, db_path)
    assert str(SCHEMA_VERSION + 1) in str(info.value)
    assert db_path.read_bytes() == before
    assert db_path.stat().st_mtime_ns == mtime


def test_migration_is_idempotent_and_concurrent_opens_agree(db_path, store_key):
    stores = [open_store(db_path, create=True, key=store_key) for _ in range(3)]
    for s in stores:
        assert s._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    fill(stores[0], 1)
    assert stores[2].checkpoint()[0] == 1
    for s in stores:
        s.close()


def test_locked_beyond_the_busy_timeout(db_path):
    with closing(open_store(db_path, create=True)):
        pass
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = open_store(db_path, busy_timeout_ms=200)  # reading is still fine (WAL)
        assert store.is_empty()
        with pytest.raises(DatabaseLocked) as info:
            with store.write() as tx:
                tx.append("anna", "MC-0001", "case_opened", {})
        _one_dutch_line(info.value, db_path)
        store.close()
        holder.execute("ROLLBACK")
        # exclusive locking mode also blocks readers: then opening itself waits and fails
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseLocked):
            open_store(db_path, busy_timeout_ms=200)
    finally:
        holder.close()
    with closing(open_store(db_path, busy_timeout_ms=200)) as store:
        with store.write() as tx:
            tx.append("anna", "MC-0001", "case_opened", {})
        assert store.verify().ok


def test_old_schema_is_migrated_in_place(db_path):
    from meldcode_tui.store import db as dbmod

    db_path.touch(mode=0o600)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        dbmod.migrate(conn, {1: dbmod.MIGRATIONS[1]})
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    with closing(open_store(db_path)) as store:
        fill(store, 5)
        version = store._conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION >= 2
        assert store.db["events"].indexes  # sqlite-utils sees the new index
        assert store.verify().ok


def test_verify_still_works_when_an_index_was_dropped(db_path):
    with closing(open_store(db_path, create=True)) as store:
        fill(store, 5)
        store._conn.execute("DROP INDEX events_payload_hash")
        assert store.verify().ok and store.verify(parallel=True).ok


def test_odd_characters_in_the_path(tmp_path, store_key):
    path = tmp_path / "map met spatie #1 ?x=y" / "école%20.sqlite"
    with closing(open_store(path, create=True, key=store_key)) as store:
        fill(store, 3)
        assert store.verify(parallel=True).ok
        assert store.backup(tmp_path / "kopie #2.sqlite").ok


def _wal_without_its_database(db_path) -> bytes:
    """A database with a committed case whose WAL is kept aside (copied while the writer is
    still open, so the frames are in it), then the database removed and the WAL put back."""
    import shutil

    from meldcode_tui.service import CaseService

    store = open_store(db_path, create=True)
    svc = CaseService(store, actor="test-coordinator", all_access=True)
    svc.create_case("Sanne de Vries (fictief)", "2015-03-01", group="5b")
    aside = db_path.with_name("kept.wal")
    shutil.copyfile(f"{db_path}-wal", aside)
    store.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{db_path}{suffix}"):
            os.unlink(f"{db_path}{suffix}")
    os.replace(aside, f"{db_path}-wal")
    data = open(f"{db_path}-wal", "rb").read()
    assert b"Sanne de Vries" in data      # the committed case is in it (can fail)
    return data


def test_a_wal_without_its_database_is_refused_by_demo_and_kept(db_path):
    from click.testing import CliRunner

    from meldcode_tui.cli import main

    wal = _wal_without_its_database(db_path)
    res = CliRunner().invoke(main, ["--db", str(db_path), "demo"])
    assert res.exit_code == 3, res.output
    line = res.output.strip()
    assert "\n" not in line and "WAL-bestand" in line and "Sanne" not in line
    assert not db_path.exists()                               # nothing created
    assert open(f"{db_path}-wal", "rb").read() == wal          # nothing deleted


def test_a_wal_next_to_an_empty_database_is_refused_too(db_path):
    wal = _wal_without_its_database(db_path)
    db_path.touch()
    with pytest.raises(DatabaseMissing) as err:
        open_store(db_path, create=True)
    _one_dutch_line(err.value, db_path)
    assert open(f"{db_path}-wal", "rb").read() == wal


def test_a_backup_never_deletes_a_wal_it_did_not_write(db_path, tmp_path):
    from meldcode_tui.errors import InputError

    with closing(open_store(db_path, create=True)) as store:
        fill(store, 2)
        dest = tmp_path / "kopie.sqlite"
        open(f"{dest}-wal", "wb").write(b"iemands WAL")
        with pytest.raises(InputError):
            store.backup(dest)
    assert open(f"{dest}-wal", "rb").read() == b"iemands WAL"
    assert not dest.exists()
