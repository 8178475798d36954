"""Online backup: SQLite's backup API into a new private file, then verify the copy."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..i18n import _
from .db import create_private_file, translated, unreadable
from .journal import VerifyResult

if TYPE_CHECKING:  # pragma: no cover
    from .core import Store


def backup(store: "Store", dest: Path) -> VerifyResult:
    """Copy ``store`` to ``dest`` (must not exist; created 0600) and verify the copy.
    Returns the copy's VerifyResult. A copy that does not verify is kept (it is evidence of
    what the database held); a copy that failed half-way is removed."""
    from .core import open_store

    dest = Path(dest).expanduser()
    if dest.exists() or dest.is_symlink():
        raise InputError(_("Doelbestand {path} bestaat al; kies een nieuwe naam.", path=dest),
                         field="dest")
    if dest.absolute() == store.path.absolute():
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
            target = sqlite3.connect(dest, isolation_level=None)
            try:
                with store._lock, translated(store.path, store._busy_timeout_ms):
                    store._conn.backup(target)  # one step: a consistent snapshot
            finally:
                target.close()
        finally:
            os.umask(old_umask)
        copy = open_store(dest)
        try:
            result = copy.verify()
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
