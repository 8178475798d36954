"""Encrypt a plain database, or give an encrypted one a new key (``meldcode admin encrypt`` /
``rekey``). Imports point one way: this module uses ``core`` (open and verify), ``db`` and
``crypto``; nothing in the store imports it.

How (one procedure for both):

1. Open the database as usual (migrated, ours) and verify the whole chain; a database that does
   not verify is not converted. Note the head (seq + hash).
2. Open it again with SQLCipher, ``locking_mode = EXCLUSIVE`` and ``journal_mode = DELETE``
   (the WAL is folded into the file) and take the exclusive lock: from here until the end no
   other session can read or write it.
3. ``sqlcipher_export`` into a new private file next to it (``<name>.versleutelen``), encrypted
   with the new key; copy ``user_version`` and ``application_id``.
4. Open the new file with the new key and verify it: same head, chain intact. Only then
   ``os.replace`` it over the old name (atomic on one file system) and fsync the folder.
5. The old file (plain text, or encrypted with the old key) is not kept: still holding it open,
   it is overwritten with zeros and fsynced, then closed. Zeros rather than truncation: a session
   that still had the old file open gets "not a database" instead of writing into an empty file
   nobody will ever read. On SSDs and copy-on-write file systems the old blocks may survive on
   the device; backups made before the conversion are not encrypted (say so to the admin).

A failure before step 4 removes the half-written new file and leaves the old one as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import RuleViolation, StoreError
from ..i18n import _
from . import crypto
from .core import open_store
from .db import create_private_file, translated, unreadable


@dataclass(frozen=True)
class Converted:
    path: Path
    events: int
    head: tuple[int, str]


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _zero_fd(fd: int) -> None:
    size = os.fstat(fd).st_size
    block = b"\0" * (1 << 20)
    os.lseek(fd, 0, os.SEEK_SET)
    done = 0
    while done < size:
        done += os.write(fd, block[: min(len(block), size - done)])
    os.fsync(fd)


def convert(path: str | os.PathLike, old_key: str | None, new_key: str) -> Converted:
    """Rewrite database ``path`` encrypted with ``new_key`` (``old_key`` None: it is plain).
    Returns what was verified. Raises StoreError / RuleViolation with one Dutch line."""
    path = Path(path).expanduser()
    crypto.module()
    crypto.check_key(new_key)
    if old_key is not None and old_key == new_key:
        raise RuleViolation("rekey_same", _("De nieuwe sleutel is dezelfde als de oude."))
    is_plain = crypto.looks_plain(path)
    if old_key is None and path.exists() and not is_plain:
        raise RuleViolation("already_encrypted", _(
            "Database {path} is al versleuteld (of geen SQLite-bestand).", path=path),
            hint=_("Een andere sleutel geven: 'meldcode admin rekey'."))

    # 1. Ours, migrated, and the chain verifies.
    store = open_store(path, key=old_key)
    try:
        result = store.verify()
        head = store.checkpoint()
    finally:
        store.close()
    if not result.ok:
        raise RuleViolation("convert_unverified", _(
            "Database {path} klopt niet (de controle faalt bij gebeurtenis {seq}); er is niets "
            "omgezet.", path=path, seq=result.bad_seq),
            hint=_("Zet eerst een gecontroleerde reservekopie terug."))

    tmp = path.with_name(path.name + ".versleutelen")
    # What an earlier run that was cut off left (the file or its side files) is not this
    # run's to delete: it is left for the admin to look at.
    if any(Path(f"{tmp}{suffix}").exists() for suffix in ("", "-wal", "-shm", "-journal")):
        raise StoreError(_("Er staat nog een half omgezet bestand {path}; controleer en "
                           "verwijder het.", path=tmp))
    mod = crypto.module()
    errors = crypto.error_classes()
    src = mod.connect(str(path), isolation_level=None, timeout=5.0)
    replaced = False
    old_fd: int | None = None
    try:
        crypto.silence(src)
        if old_key is not None:
            src.execute(crypto.key_pragma(old_key))
        with translated(path):
            # 2. Exclusive from here on; the WAL is folded into the file.
            src.execute("PRAGMA locking_mode = EXCLUSIVE")
            mode = src.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise StoreError(_("Database {path} is nog in gebruik; sluit alle sessies en "
                                   "probeer het opnieuw.", path=path))
            src.execute("BEGIN EXCLUSIVE")
            src.execute("COMMIT")
            version = src.execute("PRAGMA user_version").fetchone()[0]
            app_id = src.execute("PRAGMA application_id").fetchone()[0]
        # 3. Export into a new private file.
        if not create_private_file(tmp):
            raise StoreError(_("Er staat nog een half omgezet bestand {path}; controleer en "
                               "verwijder het.", path=tmp))
        try:
            old_umask = os.umask(0o077)
            try:
                with translated(tmp):
                    src.execute(crypto.attach_sql(tmp, "versleuteld", new_key))
                    try:
                        src.execute("SELECT sqlcipher_export('versleuteld')")
                        src.execute(f"PRAGMA versleuteld.user_version = {int(version)}")
                        src.execute(f"PRAGMA versleuteld.application_id = {int(app_id)}")
                    finally:
                        src.execute("DETACH DATABASE versleuteld")
            finally:
                os.umask(old_umask)
            # 4. Verify the new file with the new key before it takes the old one's place.
            copy = open_store(tmp, key=new_key)
            try:
                check = copy.verify(parallel=False)
                copy_head = copy.checkpoint()
                count = copy.db.execute("SELECT count(*) FROM events").fetchone()[0]
                copy.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                copy.close()
            if not check.ok or copy_head != head:
                raise StoreError(_("Het omgezette bestand klopt niet met database {path}; er is "
                                   "niets vervangen.", path=path))
            try:
                old_fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
            except OSError as exc:
                raise unreadable(path) from exc
            os.replace(tmp, path)
            replaced = True
            # The old file's -shm is left alone: this run did not make it, and the first
            # connection to the new file rebuilds the index in it (no one else holds it open:
            # the exclusive lock above proved that).
            _fsync_dir(path.absolute().parent)
        finally:
            if not replaced:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    try:
                        os.unlink(f"{tmp}{suffix}")
                    except FileNotFoundError:
                        pass
        # 5. The old file goes: zeros, fsync, close.
        _zero_fd(old_fd)
    except errors as exc:  # anything SQLCipher says that translated() did not map
        raise StoreError(_("Database {path} kon niet worden omgezet; er is niets vervangen.",
                           path=path)) from exc
    finally:
        if old_fd is not None:
            os.close(old_fd)
        src.close()
    return Converted(path, count, head)
