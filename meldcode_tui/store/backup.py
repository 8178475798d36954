"""Online backup: SQLite's backup API into a new private file, then verify the copy.

Imports point one way inside the store: ``core`` uses this module, this module uses only
``db`` (open a file) and ``journal`` (verify it), never ``core``. The caller passes the live
connection and its lock.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from ..errors import InputError
from ..i18n import _
from . import journal
from .db import DEFAULT_BUSY_TIMEOUT_MS, connect, create_private_file, translated, unreadable
from .journal import VerifyResult


def backup(conn: sqlite3.Connection, lock: threading.RLock, source: Path, dest: Path, *,
           busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, key: str | None = None) -> VerifyResult:
    """Copy the database open on ``conn`` (file ``source``) to ``dest`` (must not exist;
    created 0600) and verify the copy. With ``key`` (an encrypted database) the copy is
    encrypted with the same key. Returns the copy's VerifyResult. A copy that does not verify
    is kept (it is evidence of what the database held); a copy that failed half-way is removed."""
    from .crypto import open_target

    dest = Path(dest).expanduser()
    if any(Path(f"{dest}{suffix}").exists() or Path(f"{dest}{suffix}").is_symlink()
           for suffix in ("", "-wal", "-shm", "-journal")):
        # A side file of that name is somebody's: opening the new copy would make SQLite
        # delete it, and cleaning up a failed copy would too.
        raise InputError(_("Doelbestand {path} bestaat al; kies een nieuwe naam.", path=dest),
                         field="dest")
    if dest.absolute() == Path(source).absolute():
        raise InputError(_("Doelbestand {path} is de database zelf.", path=dest), field="dest")
    try:
        if not create_private_file(dest):
            raise InputError(_("Doelbestand {path} bestaat al; kies een nieuwe naam.",
                               path=dest), field="dest")
    except OSError as exc:
        raise unreadable(dest) from exc
    ok = False
    try:
        old_umask = os.umask(0o077)
        try:
            target = open_target(dest, key)
            try:
                with lock, translated(source, busy_timeout_ms):
                    conn.backup(target)  # one step: a consistent snapshot
            finally:
                target.close()
        finally:
            os.umask(old_umask)
        copy = connect(dest, busy_timeout_ms=busy_timeout_ms, key=key)
        try:
            with translated(dest, busy_timeout_ms):
                copy.execute("BEGIN")
                try:
                    result = journal.verify(copy, parallel=False)
                finally:
                    copy.execute("ROLLBACK")
        finally:
            copy.close()
        ok = True
        return result
    finally:
        if not ok:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(f"{dest}{suffix}")
                except FileNotFoundError:
                    pass


_SQLITE_HEADER = b"SQLite format 3\x00"


def file_kind(path: Path) -> str:
    """``"sqlite"`` (a plain database), ``"encrypted"`` (no header, whole pages of what looks
    like random bytes: a SQLCipher database or something unreadable), ``"export"`` (text or a
    PDF: readable by anyone) or ``"empty"``. A SQLCipher file has no plain part at all; an
    export always has one."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return "encrypted"
    if not head:
        return "empty"
    if head.startswith(_SQLITE_HEADER):
        return "sqlite"
    if head.startswith(b"%PDF-"):
        return "export"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            return "export"
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:      # a character cut at the 4096-byte edge
                return "export"
    # SQLCipher writes whole pages (at least 512 bytes); random bytes hold NULs and non-UTF-8.
    return "encrypted" if size % 512 == 0 else "export"


def inspect_backup(path: Path, key: str | None, erased: dict[str, str]) -> dict:
    """What a backup file holds, read-only: ``{"path", "encrypted", "head_seq", "head_at",
    "erased_cases"}`` (the cases of ``erased`` - erased payload hash -> case id in the live
    database - whose words this copy still holds), or ``{"path", "problem"}`` when it cannot be
    read (not a Meldcode database, or another key)."""
    import urllib.parse

    from . import crypto
    from .db import APPLICATION_ID

    path = Path(path)
    kind = file_kind(path)
    if kind == "export":
        # A markdown/TOML/PDF export or any other readable file: plain text a pupil's name can
        # be read from, not "encrypted" (its first bytes are just not SQLite's).
        return {"path": path, "plain": True,
                "problem": _("geen database maar een leesbaar bestand (bijv. een export), NIET "
                             "versleuteld — hoort niet bij de reservekopieën")}
    if kind == "empty":
        return {"path": path, "problem": _("leeg bestand")}
    encrypted = kind == "encrypted"
    # immutable: a listing must not leave -wal/-shm files next to each backup (a read-only
    # connection to a WAL file creates them and cannot remove them)
    uri = "file:" + urllib.parse.quote(str(path.absolute())) + "?mode=ro&immutable=1"
    try:
        if encrypted:
            if key is None or not crypto.available():
                return {"path": path, "problem": _("versleuteld; geen sleutel om te lezen")}
            conn = crypto.connect(uri, key, uri=True)
        else:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    except crypto.error_classes():
        return {"path": path, "problem": _("kan niet worden geopend")}
    try:
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return {"path": path, "problem": _("geen Meldcode-database")}
            seq, at = conn.execute("SELECT seq, at FROM events ORDER BY seq DESC LIMIT 1"
                                   ).fetchone() or (0, "")
            cases: set[str] = set()
            for payload_hash, case_id in erased.items():
                if case_id in cases:
                    continue
                if conn.execute("SELECT 1 FROM payloads WHERE hash = ?", (payload_hash,)).fetchone():
                    cases.add(case_id)
        except crypto.error_classes():
            return {"path": path, "problem": _("andere sleutel of beschadigd")}
    finally:
        conn.close()
    return {"path": path, "encrypted": encrypted, "head_seq": seq, "head_at": at,
            "erased_cases": sorted(cases)}
