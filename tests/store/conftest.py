"""Fixtures for the store tests: real SQLite files in tmp_path, no mocks."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from meldcode_tui.store import open_store

TRIGGERS = (
    "events_append_only_update", "events_append_only_delete", "events_chain_insert",
    "payloads_no_update", "payloads_delete_only_erased", "erasures_no_update",
    "erasures_no_delete",
)


def fill(store, n: int, *, cases: int = 3, actor: str = "coordinator-anna"):
    """Append ``n`` events spread over ``cases`` fictional cases; return them."""
    events = []
    with store.write() as tx:
        for i in range(n):
            case_id = f"MC-{i % cases + 1:04d}"
            text = f"Signaal {i}: leerling vertelt over ruzie thuis (fictief)"
            ev = tx.append(actor, case_id, "signal_recorded",
                           {"description": text, "observed_on": "2026-03-01", "i": i})
            tx.add_text(case_id, ev.seq, text)
            tx.put_case_row(case_id, {"pupil_name": f"Leerling {case_id} (fictief)",
                                      "last_change_at": ev.at, "step": 1, "status": "open",
                                      "members": [actor]})
            events.append(ev)
    return events


TEST_KEY = "fictieve-sleutel-voor-opslagtests"


def raw(path, *, drop_triggers: bool = True) -> sqlite3.Connection:
    """A plain connection as an attacker with file access would have it (with the key, for
    an encrypted database: an attacker who also has the key)."""
    from meldcode_tui.store import crypto

    if crypto.looks_plain(path):
        conn = sqlite3.connect(path, isolation_level=None)
    else:
        conn = crypto.connect(str(path), TEST_KEY)
    if drop_triggers:
        for name in TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    return conn


def tamper(path, *statements, params=()):
    with closing(raw(path)) as conn:
        for i, sql in enumerate(statements):
            conn.execute(sql, params[i] if params else ())


def _encrypted_available() -> bool:
    from meldcode_tui.store import crypto

    return crypto.available()


@pytest.fixture(params=["plain", pytest.param("encrypted", marks=pytest.mark.skipif(
    not _encrypted_available(), reason="extra 'encrypted' (sqlcipher3) not installed"))])
def store_key(request):
    """The storage tests run against a plain and an encrypted (SQLCipher) database."""
    return TEST_KEY if request.param == "encrypted" else None


@pytest.fixture
def store(db_path, store_key):
    s = open_store(db_path, create=True, busy_timeout_ms=2000, key=store_key)
    yield s
    s.close()
