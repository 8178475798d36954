"""Private files always: a database file that already exists but is empty (``touch``ed by an
admin, or planted 0644 by someone who hopes to read it later) gets 0600 and its folder 0700,
like a new one; an existing database readable by others is made private on open."""

from __future__ import annotations

import os
import stat

from meldcode_tui.store import open_store


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_empty_existing_database_becomes_private(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    db = folder / "school.sqlite"
    db.touch()
    os.chmod(db, 0o644)
    store = open_store(db, create=True)
    try:
        assert mode(db) == 0o600
        assert mode(folder) == 0o700
        for side in ("-wal", "-shm"):
            p = folder / f"school.sqlite{side}"
            if p.exists():
                assert mode(p) & 0o077 == 0
    finally:
        store.close()


def test_readable_database_is_made_private_on_open(tmp_path):
    db = tmp_path / "school.sqlite"
    open_store(db, create=True).close()
    os.chmod(db, 0o644)
    open_store(db).close()
    assert mode(db) == 0o600


def test_shared_folder_is_left_alone(tmp_path):
    """A database touched in a sticky shared folder (like /tmp): the file becomes private,
    the folder keeps its mode (others' files live there)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    db = shared / "school.sqlite"
    db.touch()
    open_store(db, create=True).close()
    assert mode(db) == 0o600
    assert mode(shared) == 0o1777
