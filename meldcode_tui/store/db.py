"""Opening the database file: permissions, pragmas, schema migrations, error translation.

Schema versions are kept in ``PRAGMA user_version`` (an integer in the file header). Chosen over
``sqlite_utils.migrations`` because the version can be read without writing anything, so a file
from a newer Meldcode is refused before a single byte changes, and each migration runs together
with the version bump inside one ``BEGIN IMMEDIATE`` transaction (concurrent first opens are
safe). ``PRAGMA application_id`` marks the file as a Meldcode database, so pointing ``--db`` at
some other SQLite file is refused instead of silently adding tables to it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
import urllib.parse
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..errors import (DatabaseCorrupt, DatabaseLocked, DatabaseMissing, DatabaseTooNew,
                      DatabaseUnreadable, StoreError)
from ..i18n import _

APPLICATION_ID = 0x4D434454  # "MCDT"
DEFAULT_BUSY_TIMEOUT_MS = 5000

# --------------------------------------------------------------------------- schema

_V1 = [
    """CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        case_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload_hash TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX events_case_id ON events(case_id, seq)",
    "CREATE TABLE payloads (hash TEXT PRIMARY KEY, body TEXT NOT NULL)",
    # One row per erased payload; `seq` is the `payload_erased` event that recorded it.
    "CREATE TABLE erasures (hash TEXT PRIMARY KEY, seq INTEGER NOT NULL)",
    # Append-only, enforced by the database itself.
    """CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only'); END""",
    """CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only'); END""",
    """CREATE TRIGGER events_chain_insert BEFORE INSERT ON events
       WHEN NEW.seq IS NOT coalesce((SELECT max(seq) FROM events), 0) + 1
         OR NEW.prev_hash IS NOT coalesce(
              (SELECT hash FROM events ORDER BY seq DESC LIMIT 1), '""" + "0" * 64 + """')
       BEGIN SELECT RAISE(ABORT, 'events must extend the chain'); END""",
    """CREATE TRIGGER payloads_no_update BEFORE UPDATE ON payloads
       BEGIN SELECT RAISE(ABORT, 'payloads are append-only'); END""",
    """CREATE TRIGGER payloads_delete_only_erased BEFORE DELETE ON payloads
       WHEN NOT EXISTS (SELECT 1 FROM erasures WHERE hash = OLD.hash)
       BEGIN SELECT RAISE(ABORT, 'payloads are deleted only by a recorded erasure'); END""",
    """CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
       BEGIN SELECT RAISE(ABORT, 'erasures are append-only'); END""",
    """CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
       BEGIN SELECT RAISE(ABORT, 'erasures are append-only'); END""",
    # Read models (projections, rebuilt from the journal if ever needed).
    """CREATE TABLE cases (
        case_id TEXT PRIMARY KEY,
        pupil_name TEXT,
        group_name TEXT,
        date_of_birth TEXT,
        step INTEGER,
        status TEXT,
        owner TEXT,
        opened_at TEXT,
        last_change_at TEXT,
        next_deadline TEXT,
        next_deadline_label TEXT,
        route TEXT,
        members TEXT NOT NULL DEFAULT '[]',
        extra TEXT
    )""",
    "CREATE INDEX cases_last_change ON cases(last_change_at DESC, case_id)",
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    """CREATE VIRTUAL TABLE texts USING fts5(
        text, case_id UNINDEXED, seq UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')""",
]

_V2 = [
    # verify walks events in payload-hash order (cache-friendly existence check: ~5x faster
    # than in seq order on 1M events); erasure also finds other cases' references with it.
    "CREATE INDEX IF NOT EXISTS events_payload_hash ON events(payload_hash)",
]

_V3 = [
    # FTS5 merges its per-transaction segments less eagerly: about 2x the single-append rate on
    # a board-sized file, queries stay in single-digit milliseconds. (Stored in texts_config.)
    "INSERT INTO texts(texts, rank) VALUES ('automerge', 8)",
]

# version -> statements; applied in order inside one transaction each. Never edit a released
# step: add a new one.
_V4 = [
    # Drafts: what a coordinator is typing, saved as she types, so a dropped SSH connection
    # loses nothing. Not records: never in the journal, replaced freely, deleted once the record
    # is saved or the draft is discarded. One per (user, form key).
    """CREATE TABLE drafts (
        actor TEXT NOT NULL,
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (actor, key)
    )""",
]

_V5 = [
    # Who may see a case, as rows (kept by put_case_row in the same transaction as the case
    # row): the dashboard asks SQL for exactly the rows a user may see, and pages them.
    """CREATE TABLE case_members (
        case_id TEXT NOT NULL,
        user TEXT NOT NULL,
        PRIMARY KEY (case_id, user)
    ) WITHOUT ROWID""",
    "CREATE INDEX case_members_user ON case_members(user, case_id)",
    """INSERT OR IGNORE INTO case_members(case_id, user)
       SELECT c.case_id, j.value FROM cases c,
              json_each(CASE WHEN json_valid(c.members) THEN c.members ELSE '[]' END) j
       WHERE j.type = 'text'""",
    # Filters and sorts of the dashboard.
    "CREATE INDEX cases_deadline ON cases(next_deadline, last_change_at DESC, case_id)",
    "CREATE INDEX cases_status_step ON cases(status, step)",
    "CREATE INDEX cases_owner ON cases(owner)",
]

_V_ATTACHMENTS = [
    # Attachments: the file's bytes, one row per ``attachment_added`` event (keyed by that
    # event's payload hash; ``sha256`` is also in the payload, so in the hash chain). Written
    # once; deleted only together with a recorded erasure of that payload (retention).
    """CREATE TABLE attachments (
        payload_hash TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        body BLOB NOT NULL
    )""",
    """CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
       BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END""",
    """CREATE TRIGGER attachments_delete_only_erased BEFORE DELETE ON attachments
       WHEN NOT EXISTS (SELECT 1 FROM erasures WHERE hash = OLD.payload_hash)
       BEGIN SELECT RAISE(ABORT, 'attachments are deleted only by a recorded erasure'); END""",
]

_V_USERS = [
    # The school's people (a projection of the admin events in the journal).
    """CREATE TABLE users (
        name TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'enabled',
        disabled_reason TEXT,
        created_at TEXT NOT NULL,
        last_seen TEXT
    )""",
    """CREATE TABLE user_keys (
        fingerprint TEXT PRIMARY KEY,
        user TEXT NOT NULL REFERENCES users(name),
        key_type TEXT NOT NULL,
        key_blob TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL
    )""",
    "CREATE INDEX user_keys_user ON user_keys(user)",
]

_V_CHANNELS = [
    # Notifications: each user's channel (an apprise URL; it may hold a password or token, so it
    # lives here, in the 0600 database, and never in the journal, which keeps scheme and host).
    """CREATE TABLE user_channels (
        user TEXT PRIMARY KEY REFERENCES users(name),
        url TEXT NOT NULL,
        set_at TEXT NOT NULL
    )""",
]

_V_PUPILS = [
    # The pupil register: the student administration's last export (only the fields the app
    # uses), replaced as a whole at each load. Not records: never in the journal, no history;
    # in this file, so encrypted with the database. ``body`` is the row as JSON.
    """CREATE TABLE pupil_register (
        pupil_number TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        date_of_birth TEXT NOT NULL,
        group_name TEXT NOT NULL DEFAULT '',
        left_on TEXT NOT NULL DEFAULT '',
        digest TEXT NOT NULL,
        body TEXT NOT NULL
    ) WITHOUT ROWID""",
    # One row: when the register was last loaded and from which system.
    """CREATE TABLE pupil_register_load (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        loaded_at TEXT NOT NULL,
        source TEXT NOT NULL,
        actor TEXT NOT NULL,
        count INTEGER NOT NULL
    )""",
]
MIGRATIONS: dict[int, list[str]] = {1: _V1, 2: _V2, 3: _V3, 4: _V4, 5: _V5, 6: _V_ATTACHMENTS, 7: _V_USERS,
                                    8: _V_CHANNELS, 9: _V_PUPILS}
SCHEMA_VERSION = max(MIGRATIONS)


# --------------------------------------------------------------------------- errors


def translate(exc: Exception, path: Path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
              ) -> StoreError | None:
    """Map a sqlite3 error to the user-facing StoreError, or None if it is not about the file."""
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        return DatabaseLocked(_(
            "Database {path} is bezet door een andere sessie (na {seconds} s wachten). "
            "Probeer het zo opnieuw.", path=path, seconds=f"{busy_timeout_ms / 1000:g}"))
    if "disk is full" in msg or "disk full" in msg:
        return StoreError(_("De schijf met database {path} is vol; er is niets opgeslagen.",
                            path=path))
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return corrupt(path)
    if "unable to open" in msg or "readonly" in msg or "read-only" in msg or "disk i/o" in msg:
        return unreadable(path)
    return None


def corrupt(path: Path) -> DatabaseCorrupt:
    return DatabaseCorrupt(_("Database {path} is beschadigd of geen Meldcode-database.",
                             path=path),
                           hint=_("Zet een gecontroleerde reservekopie terug."))


def unreadable(path: Path) -> DatabaseUnreadable:
    return DatabaseUnreadable(_(
        "Database {path} kan niet worden geopend: geen lees- of schrijfrechten, of geen "
        "gewoon bestand.", path=path))


@contextmanager
def translated(path: Path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Iterator[None]:
    from .crypto import error_classes

    try:
        yield
    except Exception as exc:
        if not isinstance(exc, error_classes()):
            raise
        err = translate(exc, path, busy_timeout_ms)
        if err is None:
            raise
        raise err from exc


# --------------------------------------------------------------------------- files


def create_private_file(path: Path) -> bool:
    """Create ``path`` with mode 0600 (and its folder 0700 if missing). True if created."""
    parent = path.parent
    if not parent.exists():
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(parent, 0o700)  # mkdir's mode is filtered by the umask
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def make_private(path: Path, *, folder_too: bool = True) -> None:
    """An existing database (or its -wal/-shm/-journal) readable by group or others is made
    0600; an empty one (created by someone else, e.g. ``touch``, before the first start) also
    gets its folder 0700, like a new database - unless the folder is shared (sticky, like
    /tmp), not ours, or a home directory."""
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    for candidate in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal"))):
        try:
            st = os.lstat(candidate)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and (uid is None or st.st_uid == uid) and st.st_mode & 0o077:
            os.chmod(candidate, 0o600)
    try:
        st = os.lstat(path)
    except OSError:
        return
    if folder_too and st.st_size == 0 and stat.S_ISREG(st.st_mode):
        parent = path.absolute().parent
        try:
            pst = os.stat(parent)
        except OSError:
            return
        home = Path(os.path.expanduser("~")).absolute()
        if ((uid is None or pst.st_uid == uid) and not pst.st_mode & stat.S_ISVTX
                and parent != home and parent != Path("/")):
            os.chmod(parent, 0o700)


def _header_truncated(path: Path) -> bool:
    """Cheap truncation check: the header's page count says more than the file holds.
    Only trusted when no WAL content could still complete the file."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return len(header) > 0  # non-empty and not SQLite: let the caller call it corrupt
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, = struct.unpack(">I", header[24:28])
    pages, = struct.unpack(">I", header[28:32])
    valid_for, = struct.unpack(">I", header[92:96])
    if pages and valid_for == change_counter:
        return pages * page_size > size
    return size % page_size != 0 if page_size else True


def orphan_wal(path: Path) -> Path | None:
    """The ``-wal`` of ``path`` when it holds frames but the database itself is missing or
    empty. SQLite deletes such a WAL when it opens the (new, empty) database - and with it
    the committed records it may hold (a database moved or removed without its WAL)."""
    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size == 0:
            return None
    except OSError:
        return None
    try:
        return wal if path.stat().st_size == 0 else None
    except FileNotFoundError:
        return wal
    except OSError:
        return None


def refuse_orphan_wal(path: Path) -> None:
    wal = orphan_wal(path)
    if wal is not None:
        raise DatabaseMissing(_(
            "Naast {path} staat een WAL-bestand {wal} zonder zijn database: daarin kunnen "
            "vastleggingen staan, dus er is niets aangemaakt of verwijderd.", path=path, wal=wal),
            hint=_("Zet de database terug naast dit bestand, of verplaats het WAL-bestand als u "
                   "zeker weet dat het niet nodig is."))


def connect(path: Path, *, create: bool = False,
            busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
            key: str | None = None) -> sqlite3.Connection:
    """Open (and if asked create) the school's database, migrated to SCHEMA_VERSION.

    ``key``: the database is (or, when created, becomes) encrypted with SQLCipher."""
    from . import crypto

    path = Path(path)
    created = False
    # Never let SQLite throw away a WAL whose database is gone (checked before creating).
    refuse_orphan_wal(path)
    if create:
        try:
            created = create_private_file(path)
        except PermissionError as exc:
            raise unreadable(path) from exc
    if not path.exists():
        raise DatabaseMissing(_("Database {path} bestaat niet.", path=path),
                              hint=_("Controleer het pad of kies een ander bestand met --db."))
    try:
        st = path.stat()
    except OSError as exc:
        raise unreadable(path) from exc
    if not stat.S_ISREG(st.st_mode) or not os.access(path, os.R_OK | os.W_OK):
        raise unreadable(path)
    try:
        # A file we just created keeps its existing folder as it is; one that was already
        # there empty (touched before the first start) is treated as not yet private.
        make_private(path, folder_too=not created)
    except OSError:
        pass  # not ours to change: the file still works, and `verify` is unaffected
    if key is None and _header_truncated(path):
        raise corrupt(path)
    if key is not None and crypto.looks_plain(path) and path.stat().st_size > 0:
        raise crypto.KeyError_(_("Database {path} is niet versleuteld, maar er is een sleutel "
                                 "opgegeven.", path=path),
                               hint=_("Versleutel hem met 'meldcode admin encrypt'."))

    uri = "file:" + urllib.parse.quote(str(path.absolute())) + "?mode=rw"
    old_umask = os.umask(0o077)  # -wal and -shm: readable by the owner only
    try:
        try:
            if key is None:
                conn = sqlite3.connect(uri, uri=True, isolation_level=None,
                                       timeout=busy_timeout_ms / 1000, check_same_thread=False)
            else:
                conn = crypto.connect(uri, key, uri=True, timeout=busy_timeout_ms / 1000,
                                      check_same_thread=False)
        except crypto.error_classes() as exc:
            raise (translate(exc, path, busy_timeout_ms) or unreadable(path)) from exc
        try:
            if key is not None:
                try:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except crypto.error_classes() as exc:
                    if "not a database" in str(exc).lower():
                        raise crypto.wrong_key(path) from None
                    raise
            _prepare(conn, path, busy_timeout_ms)
        except BaseException:
            conn.close()
            raise
    finally:
        os.umask(old_umask)
    return conn


def crypto_errors() -> tuple[type[BaseException], ...]:
    from .crypto import error_classes

    return error_classes()


def _prepare(conn: sqlite3.Connection, path: Path, busy_timeout_ms: int) -> None:
    with translated(path, busy_timeout_ms):
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        # Read-only look first: nothing is written before we know the file is ours.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id not in (0, APPLICATION_ID):
            raise corrupt(path)
        if version < 0:
            raise DatabaseCorrupt(_(
                "Database {path} heeft een ongeldig schemanummer ({found}); er is niets "
                "gewijzigd.", path=path, found=version),
                hint=_("Zet een reservekopie terug (meldcode admin backups)."))
        if version > SCHEMA_VERSION:
            raise DatabaseTooNew(_(
                "Database {path} is gemaakt door een nieuwere versie van Meldcode (schema "
                "{found}, deze versie kent {known}); er is niets gewijzigd.",
                path=path, found=version, known=SCHEMA_VERSION),
                hint=_("Werk Meldcode bij."))
        if version == 0 and app_id == 0:
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]
            if tables:
                raise corrupt(path)  # somebody else's SQLite file
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
        # Privacy: deleted content is overwritten with zeros (erasure, drafts, replaced rows),
        # and temporary tables/indices (sorting, VACUUM) stay in memory, never in /tmp.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -32768")  # 32 MiB: a case's events are scattered
        # Python's lower() (SQLite's only folds ASCII): dashboard sort and name search give
        # exactly the order and matches the in-Python list gave.
        conn.create_function("mc_lower", 1, _mc_lower, deterministic=True)
        if version < SCHEMA_VERSION:
            try:
                migrate(conn)
            except crypto_errors() as exc:
                if type(exc).__name__ != "OperationalError" or any(
                        w in str(exc).lower() for w in ("locked", "busy", "disk", "readonly")):
                    raise
                # e.g. "table ... already exists": the stamp is older than the tables. Each
                # migration runs in its own transaction, so the failing one changed nothing.
                raise DatabaseCorrupt(_(
                    "Database {path}: het schemanummer ({found}) past niet bij de tabellen in "
                    "het bestand; er is niets gewijzigd.", path=path, found=version),
                    hint=_("Zet een reservekopie terug (meldcode admin backups).")) from None


def _mc_lower(value):
    return None if value is None else str(value).lower()


def migrate(conn: sqlite3.Connection,
            migrations: dict[int, list[str]] | None = None,
            on_step: Callable[[int], None] | None = None) -> int:
    """Apply pending migrations, each with its version bump in one IMMEDIATE transaction."""
    migrations = MIGRATIONS if migrations is None else migrations
    target = max(migrations)
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= target:
                conn.execute("COMMIT")
                return version
            nxt = version + 1
            for stmt in migrations[nxt]:
                conn.execute(stmt)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {nxt}")
            conn.execute("COMMIT")
            if on_step:
                on_step(nxt)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
