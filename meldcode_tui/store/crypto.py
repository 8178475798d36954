"""Encryption at rest (optional): SQLCipher through the ``sqlcipher3`` package.

Install with ``pip install 'meldcode-tui[encrypted]'``. The whole file is encrypted (pages, the
WAL, free pages); a backup of an encrypted database is made with the same key. Nothing here
imports ``sqlcipher3`` until an encrypted database is actually opened.

Keys: a passphrase (any text without control characters, at least 12 characters) or a raw
key as 64 hexadecimal digits. ``read_key_file`` refuses a file that others than its owner can
read or write: the key must be readable only by the service account.

SQLCipher logs decryption failures to stderr by default; that would draw over the TUI. Every
connection sets ``cipher_log_level = NONE`` before the key.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from pathlib import Path
from typing import Any

from ..errors import InputError, StoreError
from ..i18n import _

MIN_PASSPHRASE = 12
_HEXKEY = re.compile(r"[0-9a-fA-F]{64}\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class KeyError_(StoreError):
    """A wrong or missing key (one Dutch line)."""


def available() -> bool:
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


def module():
    try:
        import sqlcipher3
    except ImportError:
        raise StoreError(_(
            "Versleutelde databases vragen het pakket sqlcipher3; installeer "
            "'meldcode-tui[encrypted]'.")) from None
    return sqlcipher3


def error_classes() -> tuple[type[BaseException], ...]:
    """sqlite3.Error plus SQLCipher's own (not a subclass of it), once that is loaded."""
    import sys

    mod = sys.modules.get("sqlcipher3")
    if mod is not None and hasattr(mod, "Error"):
        return (sqlite3.Error, mod.Error)
    return (sqlite3.Error,)


def check_key(key: object) -> str:
    if not isinstance(key, str) or not key:
        raise InputError(_("Er is geen sleutel opgegeven."), field="key")
    if _CONTROL.search(key):
        raise InputError(_("De sleutel bevat een stuurteken."), field="key")
    if not _HEXKEY.match(key) and len(key) < MIN_PASSPHRASE:
        raise InputError(_("Een sleutel is minstens {n} tekens lang (of 64 hexadecimale "
                           "tekens).", n=MIN_PASSPHRASE), field="key")
    return key


def key_pragma(key: str, schema: str | None = None) -> str:
    """``PRAGMA key`` text (pragmas take no parameters: the value is quoted here)."""
    check_key(key)
    value = f"\"x'{key.lower()}'\"" if _HEXKEY.match(key) else "'" + key.replace("'", "''") + "'"
    return f"PRAGMA {schema + '.' if schema else ''}key = {value}"


def attach_sql(path: Path, alias: str, key: str) -> str:
    check_key(key)
    value = f"\"x'{key.lower()}'\"" if _HEXKEY.match(key) else "'" + key.replace("'", "''") + "'"
    return f"ATTACH DATABASE '{str(path).replace(chr(39), chr(39) * 2)}' AS {alias} KEY {value}"


def silence(conn: Any) -> None:
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
    except Exception:  # noqa: BLE001 - an older SQLCipher without the pragma logs nothing
        pass


def connect(target: str, key: str, *, uri: bool = False, timeout: float = 5.0,
            check_same_thread: bool = True) -> Any:
    """A SQLCipher connection with the key applied (not yet checked: the first read does)."""
    mod = module()
    conn = mod.connect(target, uri=uri, isolation_level=None, timeout=timeout,
                       check_same_thread=check_same_thread)
    silence(conn)
    conn.execute(key_pragma(key))
    return conn


def open_target(dest: Path, key: str | None) -> Any:
    """A connection to a new backup file: plain SQLite, or encrypted with ``key``."""
    if key is None:
        return sqlite3.connect(dest, isolation_level=None)
    return connect(str(dest), key)


def wrong_key(path: Path) -> KeyError_:
    return KeyError_(_("De sleutel voor database {path} klopt niet, of het bestand is "
                       "beschadigd.", path=path),
                     hint=_("Controleer [encryption] key_file in de configuratie."))


def read_key_file(path: str | os.PathLike) -> str:
    """The key in ``path``: a regular file of the current user, mode 0600 or 0400."""
    p = Path(path).expanduser()
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise KeyError_(_("Sleutelbestand {path} bestaat niet.", path=p)) from None
    except OSError:
        raise KeyError_(_("Sleutelbestand {path} kan niet worden gelezen (of is een "
                          "symbolische koppeling).", path=p)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise KeyError_(_("Sleutelbestand {path} is geen gewoon bestand.", path=p))
        if st.st_mode & 0o077:
            raise KeyError_(_("Sleutelbestand {path} is leesbaar voor anderen; zet het op "
                              "chmod 600.", path=p))
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise KeyError_(_("Sleutelbestand {path} is niet van deze gebruiker.", path=p))
        raw = os.read(fd, 4097)
    finally:
        os.close(fd)
    if len(raw) > 4096:
        raise KeyError_(_("Sleutelbestand {path} is te groot voor een sleutel.", path=p))
    try:
        key = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise KeyError_(_("Sleutelbestand {path} bevat geen leesbare sleutel.", path=p)) from None
    try:
        return check_key(key)
    except InputError as exc:
        raise KeyError_(_("Sleutelbestand {path}: {problem}", path=p, problem=exc.message)) from None


def looks_plain(path: Path) -> bool:
    """True when ``path`` is empty or starts with the plain SQLite header."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return True
    return not head or head == b"SQLite format 3\x00"


def could_be_encrypted(path: Path) -> bool:
    """False when ``path`` cannot be an SQLCipher database whatever the key: every SQLite file,
    encrypted or not, is a whole number of pages (512 bytes at least), and an encrypted one
    starts with 16 random bytes (its salt), not with readable text."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return True
    if size < 512 or size % 512:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return not text.isprintable()
