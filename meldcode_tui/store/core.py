"""The Store: one SQLite file per school, one write path.

Every write goes through ``store.write()``: ``BEGIN IMMEDIATE`` takes the write lock before the
chain head is read, so concurrent processes serialize and never fork the chain; the events, the
case-list row and the full-text index commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import urllib.parse
from collections import OrderedDict
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from ..errors import InputError, NotFound, RuleViolation, StoreError
from ..i18n import _
from . import backup as _backup
from . import journal, readmodels
from . import people as _people
from . import pupils as _pupils
from .db import DEFAULT_BUSY_TIMEOUT_MS, connect, translated
from .journal import ERASED_KIND, EVENT_COLUMNS, KEPT_KINDS, EVENT_FROM, GENESIS, Event, VerifyResult

DRAFT_MAX_AGE_DAYS = 14
# A ``counters`` row while erased words may still be in the file's bytes (see Store.compact).
CLEAN_PENDING = "erasure_clean_pending"
# A draft row without content: "saved or thrown away at updated_at" (see Store.discard_draft).
_DRAFT_GONE = ""


def draft_stamp(at: "datetime | str | None" = None) -> str:
    """A draft's time as stored: UTC with microseconds, one fixed width, so that text order is
    time order (two sessions of one user can type within the same second)."""
    if at is None:
        at = datetime.now(timezone.utc)
    elif isinstance(at, str):
        at = _parse_stamp(at)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_stamp(text: str) -> datetime:
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


class WriteTx:
    """Handle for one write transaction (only valid inside ``with store.write()``)."""

    def __init__(self, store: "Store"):
        self._store = store
        self._conn = store._conn
        self._head: tuple[int, str] | None = None
        self.events: list[Event] = []  # appended in this transaction

    def _check(self) -> None:
        if self._store._tx is not self:
            raise RuntimeError("write transaction is closed")

    def case_events(self, case_id: str) -> list[Event]:
        self._check()
        return self._store._cache.read(self._conn, case_id)

    def events_of_kind(self, kind: str) -> list[Event]:
        """Every event of one kind, read inside this transaction (a check that must hold
        against concurrent writers, such as "this transfer was not imported yet")."""
        self._check()
        rows = self._conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} WHERE e.kind = ? ORDER BY e.seq", (kind,)).fetchall()
        return [journal.row_to_event(row) for row in rows]

    def head(self) -> tuple[int, str]:
        self._check()
        if self._head is None:
            self._head = journal.head(self._conn)
        return self._head

    def append(self, actor: str, case_id: str, kind: str, payload: dict,
               at: str | None = None) -> Event:
        self._check()
        event = journal.append_event(self._conn, self.head(), actor, case_id, kind, payload, at)
        self._head = (event.seq, event.hash)
        self.events.append(event)
        return event

    def next_case_number(self) -> int:
        self._check()
        return readmodels.next_case_number(self._conn)

    def next_counter(self, name: str) -> int:
        """The next value of a named counter (1, 2, ...), kept in this transaction: numbers such
        as a concern's ZG-NNNN are never given twice, even to two writers at the same moment."""
        self._check()
        return self._conn.execute(
            "INSERT INTO counters(name, value) VALUES (?, 1) ON CONFLICT(name) "
            "DO UPDATE SET value = value + 1 RETURNING value", (name,)).fetchone()[0]

    def put_case_row(self, case_id: str, row: dict[str, Any]) -> None:
        self._check()
        readmodels.put_case_row(self._conn, case_id, row)

    def add_text(self, case_id: str, seq: int, text: str) -> None:
        self._check()
        readmodels.add_text(self._conn, case_id, seq, text)

    def erase_payload(self, actor: str, case_id: str, payload_hash: str, reason: str) -> Event:
        """Retention: remove the words, keep the chain. Appends ``payload_erased`` (naming the
        hash), records the erasure, deletes the body and its full-text entries."""
        self._check()
        conn = self._conn
        found = conn.execute("SELECT seq, kind FROM events WHERE case_id = ? AND payload_hash = ?",
                             (case_id, payload_hash)).fetchall()
        if not found:
            raise NotFound(_("Casus {case_id} heeft geen gebeurtenis met deze inhoud.",
                             case_id=case_id))
        seqs = [seq for seq, _kind in found]
        if any(kind in KEPT_KINDS for _seq, kind in found):
            raise RuleViolation("erasure_record", _(
                "Een vastgelegde wisactie van casus {case_id} kan zelf niet worden gewist.",
                case_id=case_id))
        other = conn.execute(
            "SELECT seq FROM events WHERE payload_hash = ? AND case_id != ? LIMIT 1",
            (payload_hash, case_id)).fetchone()
        if other:
            raise RuleViolation("payload_shared", _(
                "Deze inhoud hoort ook bij gebeurtenis {seq} van een andere casus en kan niet "
                "voor casus {case_id} alleen worden gewist.", seq=other[0], case_id=case_id))
        if conn.execute("SELECT 1 FROM erasures WHERE hash = ?", (payload_hash,)).fetchone():
            raise RuleViolation("already_erased", _(
                "Deze inhoud van casus {case_id} is al gewist.", case_id=case_id))
        if not isinstance(reason, str) or not reason.strip():
            raise InputError(_("Geef een reden voor het wissen."), field="reason")
        event = self.append(actor, case_id, ERASED_KIND,
                            {"payload_hash": payload_hash, "reason": reason, "seqs": seqs})
        conn.execute("INSERT INTO erasures(hash, seq) VALUES (?, ?)", (payload_hash, event.seq))
        conn.execute("DELETE FROM payloads WHERE hash = ?", (payload_hash,))
        conn.execute("DELETE FROM attachments WHERE payload_hash = ?", (payload_hash,))
        readmodels.drop_texts(conn, seqs)
        # The words are gone from the tables but not yet from the file's bytes (old FTS
        # segments, WAL frames, pages a reader still holds): marked in the same transaction,
        # so a compaction that never runs (a crash, a lock) is still done at the next open.
        conn.execute("INSERT INTO counters(name, value) VALUES (?, 1) ON CONFLICT(name) "
                     "DO UPDATE SET value = 1", (CLEAN_PENDING,))
        return event

    def put_attachment(self, event: Event, body: bytes) -> None:
        """Store the bytes of the attachment ``event`` (an ``attachment_added`` just appended in
        this transaction) records. The payload's sha256 must be the bytes' own."""
        self._check()
        if event not in self.events or event.kind != "attachment_added":
            raise RuntimeError("put_attachment needs the attachment_added event of this transaction")
        digest = hashlib.sha256(body).hexdigest()
        if digest != (event.payload or {}).get("sha256"):
            raise InputError(_("De bijlage is onderweg veranderd (sha256 klopt niet); er is niets opgeslagen."),
                             field="file")
        # The same file with the same title twice in one case: one payload, one stored copy.
        self._conn.execute("INSERT OR IGNORE INTO attachments(payload_hash, sha256, body) VALUES (?, ?, ?)",
                           (event.payload_hash, digest, bytes(body)))

    # --- the user table, in the same transaction as the admin event ---
    def put_user(self, row: dict[str, Any]) -> None:
        self._check()
        _people.put_user(self._conn, row)

    def user(self, name: str) -> dict[str, Any] | None:
        self._check()
        return _people.user(self._conn, name)

    def put_key(self, name: str, fingerprint: str, key_type: str, blob: str, comment: str,
                at: str) -> None:
        self._check()
        _people.put_key(self._conn, name, fingerprint, key_type, blob, comment, at)

    def delete_key(self, name: str, fingerprint: str) -> int:
        self._check()
        return _people.delete_key(self._conn, name, fingerprint)

    def key_owner(self, fingerprint: str) -> str | None:
        self._check()
        return _people.key_owner(self._conn, fingerprint)

    def put_channel(self, name: str, url: str | None, at: str) -> None:
        self._check()
        _people.put_channel(self._conn, name, url, at)

    # --- the pupil register (store/pupils.py): replaced whole, never journalled ---
    def replace_pupils(self, rows: list[dict[str, Any]], meta: dict[str, Any]) -> dict[str, str]:
        """Replace the register; returns the digests it held before (new/changed/gone)."""
        self._check()
        before = _pupils.digests(self._conn)
        _pupils.replace_all(self._conn, rows, meta)
        return before

    def erase_drafts(self, case_id: str) -> int:
        """Delete every user's drafts for ``case_id`` (form keys start with ``"<case_id>:"``).
        Compared with substr, not LIKE: a case id is never read as a pattern."""
        self._check()
        prefix = case_id + ":"
        cur = self._conn.execute(
            "DELETE FROM drafts WHERE key = ? OR substr(key, 1, ?) = ?",
            (case_id, len(prefix), prefix))
        return cur.rowcount


def _case_events(conn: sqlite3.Connection, case_id: str, after_seq: int = 0) -> list[Event]:
    cur = conn.execute(f"SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} WHERE e.case_id = ? "
                       "AND e.seq > ? ORDER BY e.seq", (case_id, after_seq))
    return [journal.row_to_event(r) for r in cur.fetchall()]


class _CaseCache:
    """Committed events of recently used cases (events are immutable, so only newer ones
    need reading). Every write re-reads the case (the service folds it), and a case of a
    board-sized journal is scattered over the file: this turns ~1 ms into ~0.05 ms.

    The one thing that changes an existing event is an erasure (payload -> None), possibly by
    another process: any new row in ``erasures`` empties the cache. Events read inside a write
    transaction are only kept once it commits."""

    def __init__(self, size: int = 64):
        self.size = size
        self._cases: OrderedDict[str, list[Event]] = OrderedDict()
        self._erasure_mark: int | None = None
        self._pending: dict[str, list[Event]] = {}
        self.in_tx = False

    def _check_erasures(self, conn: sqlite3.Connection) -> None:
        mark = conn.execute("SELECT coalesce(max(rowid), 0) FROM erasures").fetchone()[0]
        if mark != self._erasure_mark:
            self._cases.clear()
            self._pending.clear()
            self._erasure_mark = mark

    def read(self, conn: sqlite3.Connection, case_id: str) -> list[Event]:
        self._check_erasures(conn)
        base = self._pending.get(case_id) or self._cases.get(case_id) or []
        newer = _case_events(conn, case_id, base[-1].seq if base else 0)
        events = base + newer if newer else list(base)
        if self.in_tx:
            self._pending[case_id] = events
        else:
            self._remember(case_id, events)
        return list(events)

    def _remember(self, case_id: str, events: list[Event]) -> None:
        self._cases[case_id] = events
        self._cases.move_to_end(case_id)
        while len(self._cases) > self.size:
            self._cases.popitem(last=False)

    def begin(self) -> None:
        self.in_tx = True
        self._pending = {}

    def end(self, committed: bool) -> None:
        if committed:
            for case_id, events in self._pending.items():
                self._remember(case_id, events)
        self._pending = {}
        self.in_tx = False

    def clear(self) -> None:
        self._cases.clear()
        self._pending.clear()
        self._erasure_mark = None


class Store:
    """See docs/ARCHITECTURE.md (Store). Safe to share between threads: transactions are
    serialized by a lock; each call is one SQLite statement or one transaction."""

    def __init__(self, path: Path, conn: sqlite3.Connection,
                 busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, key: str | None = None):
        self.path = Path(path)
        self._key = key  # SQLCipher key (encrypted database), else None
        self._conn = conn
        self._busy_timeout_ms = busy_timeout_ms
        self._lock = threading.RLock()
        self._tx: WriteTx | None = None
        self.db = sqlite_utils.Database(conn)
        self._cache = _CaseCache()
        # Called inside every write transaction, right after BEGIN IMMEDIATE (the
        # session's user still enabled?); raising there rolls the write back.
        self.write_guard = None

    # ---------------------------------------------------------------- lifecycle

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None  # type: ignore[assignment]

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _uri(self, mode: str) -> str:
        return "file:" + urllib.parse.quote(str(self.path.absolute())) + f"?mode={mode}"

    def _translated(self):
        return translated(self.path, self._busy_timeout_ms)

    # ---------------------------------------------------------------- writes

    @contextmanager
    def write(self, *, guarded: bool = True) -> Iterator[WriteTx]:
        """``BEGIN IMMEDIATE … COMMIT``; ROLLBACK if the block raises. ``write_guard`` (if
        set and ``guarded``) runs first, inside the transaction."""
        with self._lock:
            if self._tx is not None:
                raise RuntimeError("store.write() is not re-entrant")
            with self._translated():
                self._conn.execute("BEGIN IMMEDIATE")
            tx = WriteTx(self)
            self._tx = tx
            self._cache.begin()
            committed = False
            try:
                with self._translated():  # a full disk or a corrupt page: a Dutch line
                    if guarded and self.write_guard is not None:
                        self.write_guard(tx)
                    yield tx
                    self._tx = None
                    self._conn.execute("COMMIT")
                committed = True
            finally:
                self._tx = None
                self._cache.end(committed)
                if not committed and self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")

    def erasable_payloads(self, case_id: str) -> list[str]:
        """Hashes of ``case_id``'s payloads that are still there, belong to this case alone and
        are not erasure records themselves (what retention would erase), in seq order."""
        with self._lock, self._translated():
            rows = self._conn.execute(
                """SELECT e.payload_hash FROM events e JOIN payloads p ON p.hash = e.payload_hash
                   WHERE e.case_id = ? AND e.kind NOT IN (?, ?)
                     AND NOT EXISTS (SELECT 1 FROM events o
                                     WHERE o.payload_hash = e.payload_hash AND o.case_id != e.case_id)
                   GROUP BY e.payload_hash ORDER BY min(e.seq)""", (case_id, *KEPT_KINDS)).fetchall()
        return [r[0] for r in rows]

    def erase_payload(self, actor: str, case_id: str, payload_hash: str, reason: str) -> Event:
        with self.write() as tx:
            return tx.erase_payload(actor, case_id, payload_hash, reason)

    # ---------------------------------------------------------------- drafts

    def save_draft(self, actor: str, key: str, data: dict[str, Any], *,
                   typed_at: "datetime | str | None" = None) -> bool:
        """Keep what ``actor`` is typing in form ``key``. ``typed_at``: when it was last typed
        (default now). Newest wins: the same user may have several sessions (two SSH logins,
        a hang-up flushed late), and a draft typed earlier never replaces one typed later, nor
        comes back over a record saved later (``discard_draft`` leaves a content-free mark
        with its time). False: not kept, something newer is there."""
        body = json.dumps(data, sort_keys=True, ensure_ascii=False)
        at = draft_stamp(typed_at)
        with self._lock, self._translated():
            cur = self._conn.execute(
                "INSERT INTO drafts(actor, key, body, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(actor, key) DO UPDATE SET body = excluded.body, "
                "updated_at = excluded.updated_at WHERE excluded.updated_at >= drafts.updated_at",
                (actor, key, body, at))
        return cur.rowcount > 0

    def load_draft(self, actor: str, key: str, *, max_age_days: int = DRAFT_MAX_AGE_DAYS
                   ) -> tuple[dict[str, Any], str] | None:
        """``(data, updated_at)`` of ``actor``'s draft for ``key``; drafts older than
        ``max_age_days`` are deleted instead (case content must not linger)."""
        with self._lock, self._translated():
            row = self._conn.execute("SELECT body, updated_at FROM drafts WHERE actor = ? AND key = ?",
                                     (actor, key)).fetchone()
            if row is None:
                return None
            saved = _parse_stamp(row[1])
            if datetime.now(timezone.utc) - saved > timedelta(days=max_age_days):
                self._conn.execute("DELETE FROM drafts WHERE actor = ? AND key = ?", (actor, key))
                return None
        if row[0] == _DRAFT_GONE:
            return None
        return json.loads(row[0]), row[1]

    def discard_draft(self, actor: str, key: str, *,
                      unless_newer_than: "datetime | str | None" = None) -> bool:
        """The draft has done its work (the record was saved) or was thrown away. Its content
        goes; a mark with the time stays, so an older draft of another session of the same
        user cannot come back over it. ``unless_newer_than``: throwing away only what this
        session knew of - a draft another session typed later stays. False: that draft stayed."""
        now = draft_stamp()
        known = None if unless_newer_than is None else draft_stamp(unless_newer_than)
        cutoff = draft_stamp(datetime.now(timezone.utc) - timedelta(days=DRAFT_MAX_AGE_DAYS))
        with self._lock, self._translated():
            cur = self._conn.execute(
                "INSERT INTO drafts(actor, key, body, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(actor, key) DO UPDATE SET body = excluded.body, "
                "updated_at = excluded.updated_at WHERE excluded.updated_at >= drafts.updated_at "
                "AND (? IS NULL OR drafts.updated_at <= ?)",
                (actor, key, _DRAFT_GONE, now, known, known))
            # Marks are only needed while an older session could still be open.
            self._conn.execute("DELETE FROM drafts WHERE body = ? AND updated_at < ?",
                               (_DRAFT_GONE, cutoff))
        return cur.rowcount > 0

    # ---------------------------------------------------------------- reads

    def events(self, case_id: str | None = None, after_seq: int = 0) -> Iterator[Event]:
        """Stream events in seq order (own cursor; fine for the whole journal)."""
        sql = f"SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} WHERE e.seq > ?"
        args: list[Any] = [after_seq]
        if case_id is not None:
            sql += " AND e.case_id = ?"
            args.append(case_id)
        with self._translated():
            cur = self._conn.execute(sql + " ORDER BY e.seq", args)
        try:
            while True:
                with self._translated():
                    rows = cur.fetchmany(1000)
                if not rows:
                    return
                for row in rows:
                    yield journal.row_to_event(row)
        finally:
            cur.close()

    def attachment_body(self, payload_hash: str) -> bytes | None:
        """The bytes stored for an ``attachment_added`` payload (None once erased)."""
        with self._lock, self._translated():
            row = self._conn.execute("SELECT body FROM attachments WHERE payload_hash = ?",
                                     (payload_hash,)).fetchone()
        return None if row is None else bytes(row[0])

    def case_events(self, case_id: str) -> list[Event]:
        with self._lock, self._translated():
            return self._cache.read(self._conn, case_id)

    def case_rows(self) -> list[dict[str, Any]]:
        with self._lock, self._translated():
            return readmodels.case_rows(self._conn)

    def case_row(self, case_id: str) -> dict[str, Any] | None:
        with self._lock, self._translated():
            return readmodels.case_row(self._conn, case_id)

    def case_page(self, f: "readmodels.CaseFilter", sort: str = "next_deadline",
                  offset: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        with self._lock, self._translated():
            return readmodels.case_page(self._conn, f, sort, offset, limit)

    def case_count(self, f: "readmodels.CaseFilter") -> int:
        with self._lock, self._translated():
            return readmodels.case_count(self._conn, f)

    def case_widths(self, f: "readmodels.CaseFilter", today: str) -> dict[str, Any]:
        with self._lock, self._translated():
            return readmodels.case_widths(self._conn, f, today)

    def case_position(self, f: "readmodels.CaseFilter", sort: str, case_id: str) -> int | None:
        with self._lock, self._translated():
            return readmodels.case_position(self._conn, f, sort, case_id)

    def case_counts(self, actor: str | None, today: str) -> dict[str, Any]:
        with self._lock, self._translated():
            return readmodels.case_counts(self._conn, actor, today)

    def data_version(self) -> tuple[int, int]:
        """Changes when anyone commits: ``PRAGMA data_version`` moves on another connection's
        commit, ``total_changes`` on this one's. One pragma, no table read: cheap enough for a
        sub-second timer."""
        with self._lock, self._translated():
            return (self._conn.execute("PRAGMA data_version").fetchone()[0],
                    self._conn.total_changes)

    def case_head(self, case_id: str) -> int:
        """The seq of ``case_id``'s last event (0 if none); one index lookup."""
        with self._lock, self._translated():
            return self._conn.execute("SELECT coalesce(max(seq), 0) FROM events WHERE case_id = ?",
                                      (case_id,)).fetchone()[0]

    def figure_counts(self, start: str, end: str) -> dict[str, Any]:
        """Counts for the anonymous figures (store/stats.py), in one read snapshot."""
        from . import stats

        with self._lock, self._translated():
            return stats.collect(self._conn, start, end)

    # --- the user table ---
    def user(self, name: str) -> dict[str, Any] | None:
        with self._lock, self._translated():
            return _people.user(self._conn, name)

    def users(self) -> list[dict[str, Any]]:
        with self._lock, self._translated():
            return _people.users(self._conn)

    def user_count(self) -> int:
        with self._lock, self._translated():
            return _people.user_count(self._conn)

    def channels(self) -> dict[str, str]:
        """Each user's notification channel URL (secrets: never print them)."""
        with self._lock, self._translated():
            return _people.channels(self._conn)

    def events_with_prefix(self, prefix: str) -> list[Event]:
        """Events whose case id starts with ``prefix`` (``ZG-``: teachers' concerns), by the
        case-id index (a range, not LIKE)."""
        hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        with self._lock, self._translated():
            cur = self._conn.execute(
                f"SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} WHERE e.case_id >= ? AND e.case_id < ? "
                "ORDER BY e.seq", (prefix, hi))
            return [journal.row_to_event(r) for r in cur.fetchall()]

    def pupils(self) -> list[dict[str, Any]]:
        with self._lock, self._translated():
            return _pupils.all_rows(self._conn)

    def pupil(self, number: str) -> dict[str, Any] | None:
        with self._lock, self._translated():
            return _pupils.row(self._conn, number)

    def pupil_register_load(self) -> dict[str, Any] | None:
        with self._lock, self._translated():
            return _pupils.last_load(self._conn)

    def touch_user(self, name: str, at: str) -> None:
        with self._lock, self._translated():
            _people.touch(self._conn, name, at)

    def case_names(self) -> list[tuple[str, str]]:
        with self._lock, self._translated():
            return readmodels.case_names(self._conn)

    def search_case_ids(self, query: str, limit: int = 50) -> list[str]:
        with self._lock, self._translated():
            return readmodels.search_case_ids(self._conn, query, limit)

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        with self._lock, self._translated():
            return readmodels.search(self._conn, query, limit)

    def is_empty(self) -> bool:
        with self._lock, self._translated():
            # Admin events and refused access attempts (pseudo case ids 'beheer',
            # 'toegang', see domain/people.py) do not make a school's case file non-empty.
            return self._conn.execute("SELECT 1 FROM events WHERE case_id NOT IN "
                                      "('beheer', 'toegang') LIMIT 1").fetchone() is None

    def checkpoint(self) -> tuple[int, str]:
        """(head seq, head hash); (0, GENESIS) when empty. Keep it outside the database."""
        with self._lock, self._translated():
            return journal.head(self._conn)

    def verify(self, checkpoint: tuple[int, str] | None = None, *,
               parallel: bool | None = None) -> VerifyResult:
        """Recompute the whole journal in one read snapshot. Long journals use a second
        process for the payload pass (``parallel=None``: decide by size and CPU count)."""
        with self._lock, self._translated():
            own_tx = not self._conn.in_transaction
            if own_tx:
                self._conn.execute("BEGIN")
            try:
                # Take the snapshot before the worker starts reading.
                # The worker process cannot read an encrypted file (it has no key).
                return journal.verify(self._conn, checkpoint,
                                      worker_uri=None if self._key else self._uri("ro"),
                                      busy_timeout_ms=self._busy_timeout_ms,
                                      parallel=parallel)
            finally:
                if own_tx and self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")

    def compact(self, *, wait_ms: int | None = None) -> bool:
        """After erasure: leave no erased byte in the file or its WAL. Rewrites the full-text
        index into one segment (old segments, which still hold deleted words, are freed; with
        ``secure_delete`` freed pages are zeroed), checkpoints and truncates the WAL, VACUUMs
        the file and truncates the WAL again (VACUUM itself goes through the WAL).

        Another connection's read snapshot (a backup running, a colleague's open app) keeps the
        checkpoint from copying the WAL over the old pages: SQLite then answers *busy*, and the
        erased words stay in the file's bytes until that reader closes. So the clean is
        remembered in the file first (a ``counters`` row), readers are given ``wait_ms``
        (default: the busy timeout), and the row is removed only when both checkpoints
        completed. True: the bytes are clean; False: a clean is pending (``clean_pending``
        finishes it at the next open)."""
        wait_ms = self._busy_timeout_ms if wait_ms is None else max(0, int(wait_ms))
        with self._lock, self._translated():
            if self._conn.in_transaction:
                raise RuntimeError("compact() inside a transaction")
            self._set_clean_pending(True)
            self._conn.execute("INSERT INTO texts(texts) VALUES ('optimize')")
            if not self._checkpoint_truncate(wait_ms):
                return False
            self._conn.execute("VACUUM")
            self._set_clean_pending(False)
            if not self._checkpoint_truncate(wait_ms):
                self._set_clean_pending(True)
                return False
            return True

    def clean_pending(self, *, wait_ms: int = 500) -> bool | None:
        """Finish a compaction a reader's snapshot held up earlier. None: nothing was pending;
        True: cleaned now; False: still pending (a reader still holds its snapshot, or another
        session holds the write lock) - tried again at the next open."""
        try:
            with self._lock, self._translated():
                row = self._conn.execute("SELECT value FROM counters WHERE name = ?",
                                         (CLEAN_PENDING,)).fetchone()
            if not row or not row[0]:
                return None
            return self.compact(wait_ms=wait_ms)
        except StoreError:
            return False

    def _set_clean_pending(self, pending: bool) -> None:
        if pending:
            self._conn.execute("INSERT INTO counters(name, value) VALUES (?, 1) ON CONFLICT(name) "
                               "DO UPDATE SET value = 1", (CLEAN_PENDING,))
        else:
            self._conn.execute("DELETE FROM counters WHERE name = ?", (CLEAN_PENDING,))

    def _checkpoint_truncate(self, wait_ms: int) -> bool:
        """``wal_checkpoint(TRUNCATE)`` waiting at most ``wait_ms`` for readers (SQLite calls
        the busy handler while it waits); True when the whole WAL was copied and truncated."""
        self._conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            busy, _log, _done = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
        return not busy

    def backup(self, dest: Path) -> VerifyResult:
        return _backup.backup(self._conn, self._lock, self.path, Path(dest),
                             busy_timeout_ms=self._busy_timeout_ms, key=self._key)


def open_store(path: str | Path, create: bool = False, *,
               busy_timeout_ms: int | None = None, key: str | None = None) -> Store:
    """Open the school's database (``create=True``: make folder 0700 and file 0600).

    ``busy_timeout_ms``: how long to wait for another session's lock (default 5000, or
    ``MELDCODE_BUSY_TIMEOUT_MS``) before DatabaseLocked. ``key``: an encrypted (SQLCipher)
    database; see store/crypto.py."""
    path = Path(path).expanduser()
    if busy_timeout_ms is None:
        try:
            busy_timeout_ms = int(os.environ.get("MELDCODE_BUSY_TIMEOUT_MS", ""))
        except ValueError:
            busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS
    conn = connect(path, create=create, busy_timeout_ms=busy_timeout_ms, key=key)
    store = Store(path, conn, busy_timeout_ms, key=key)
    # An erasure whose bytes a reader's snapshot kept in the file is finished at the next
    # start of any command or app, once that reader has closed.
    store.clean_pending()
    return store


__all__ = ["Store", "WriteTx", "open_store", "Event", "VerifyResult", "GENESIS"]
