"""Tamper with the file in every way we can think of; verify must catch it and name the seq.

An attacker with the file first drops the append-only triggers (raw sqlite3), then edits."""

from __future__ import annotations

import json
from contextlib import closing
from hashlib import sha256

import pytest

from meldcode_tui.store import GENESIS, open_store
from meldcode_tui.store.journal import event_hash

from .conftest import fill, raw, tamper

N = 10


@pytest.fixture
def filled(store):
    events = fill(store, N)
    assert store.verify().ok
    return store, events


def _check(store, bad_seq, *words):
    result = store.verify()
    assert not result.ok, result
    assert result.bad_seq == bad_seq, result
    assert str(bad_seq) in result.problem
    for word in words:
        assert word in result.problem
    assert "\n" not in result.problem
    return result


def test_changed_payload_body(filled, db_path):
    store, events = filled
    tamper(db_path, "UPDATE payloads SET body = ? WHERE hash = ?",
           params=[('{"description":"Niets aan de hand"}', events[4].payload_hash)])
    _check(store, 5, "inhoud")


@pytest.mark.parametrize("field,value", [
    ("at", "2020-01-01T00:00:00.000000Z"),
    ("actor", "mallory"),
    ("case_id", "MC-0099"),
    ("kind", "case_closed"),
    ("payload_hash", None),  # pointed at another, existing payload
])
def test_changed_event_field(filled, db_path, field, value):
    store, events = filled
    if value is None:
        value = events[0].payload_hash
    tamper(db_path, f"UPDATE events SET {field} = ? WHERE seq = 6", params=[(value,)])
    _check(store, 6, "gewijzigd")


def test_changed_stored_hash(filled, db_path):
    store, _ = filled
    tamper(db_path, "UPDATE events SET hash = ? WHERE seq = 3", params=[("e" * 64,)])
    _check(store, 3)


@pytest.mark.parametrize("seq", [1, 5, N - 1])
def test_deleted_event(filled, db_path, seq):
    store, _ = filled
    tamper(db_path, "DELETE FROM events WHERE seq = ?", params=[(seq,)])
    _check(store, seq, "ontbreekt")


def test_deleted_last_event_needs_the_checkpoint(filled, db_path):
    store, _ = filled
    cp = store.checkpoint()
    tamper(db_path, f"DELETE FROM events WHERE seq = {N}")
    assert store.verify().ok  # a shorter, intact chain: only the checkpoint knows
    result = store.verify(cp)
    assert not result.ok and result.bad_seq == N


def test_swapped_pair(filled, db_path):
    store, _ = filled
    tamper(db_path,
           "UPDATE events SET seq = -4 WHERE seq = 4",
           "UPDATE events SET seq = 4 WHERE seq = 5",
           "UPDATE events SET seq = 5 WHERE seq = -4")
    _check(store, 4, "vorige")


def test_forged_event_at_the_end_with_a_bad_hash(filled, db_path):
    store, events = filled
    tamper(db_path, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
           params=[(N + 1, events[-1].at, "mallory", "MC-0001", "case_closed",
                    events[0].payload_hash, events[-1].hash, "a" * 64)])
    _check(store, N + 1, "gewijzigd")


def test_forged_event_inserted_in_the_middle_with_its_own_valid_hash(filled, db_path):
    """A careful forger shifts the later events up and gives the new one a correct hash:
    the event after it no longer links."""
    store, events = filled
    at = events[3].at
    ph = events[0].payload_hash
    forged = event_hash(4, at, "mallory", "MC-0001", "case_closed", ph, events[2].hash)
    tamper(db_path,
           "UPDATE events SET seq = -seq WHERE seq >= 4",
           "UPDATE events SET seq = -seq + 1 WHERE seq < 0",
           "INSERT INTO events VALUES (4, ?, 'mallory', 'MC-0001', 'case_closed', ?, ?, ?)",
           params=[(), (), (at, ph, events[2].hash, forged)])
    _check(store, 5, "vorige")


def _rewrite_from(db_path, start: int, change: dict):
    """Change event ``start`` and recompute every hash after it, consistently."""
    with closing(raw(db_path)) as conn:
        rows = conn.execute("SELECT seq, at, actor, case_id, kind, payload_hash, prev_hash "
                            "FROM events ORDER BY seq").fetchall()
        prev = GENESIS
        for seq, at, actor, case_id, kind, ph, _old_prev in rows:
            if seq == start:
                actor = change.get("actor", actor)
                if "payload" in change:
                    body = json.dumps(change["payload"], sort_keys=True, separators=(",", ":"))
                    ph = sha256(body.encode()).hexdigest()
                    conn.execute("INSERT OR IGNORE INTO payloads VALUES (?, ?)", (ph, body))
            h = event_hash(seq, at, actor, case_id, kind, ph, prev)
            conn.execute("UPDATE events SET actor = ?, payload_hash = ?, prev_hash = ?, "
                         "hash = ? WHERE seq = ?", (actor, ph, prev, h, seq))
            prev = h


def test_recomputed_chain_passes_alone_but_fails_the_checkpoint(filled, db_path):
    store, _ = filled
    cp_before_rewrite = (2, next(e.hash for e in store.events() if e.seq == 2))
    cp_head = store.checkpoint()
    _rewrite_from(db_path, 3, {"actor": "mallory",
                               "payload": {"description": "Er is nooit iets gemeld"}})
    assert store.verify().ok  # internally consistent again
    assert store.verify(cp_before_rewrite).ok  # history up to seq 2 is untouched
    result = store.verify(cp_head)
    assert not result.ok and result.bad_seq == cp_head[0]
    assert "herschreven" in result.problem


def test_separator_smuggled_into_a_field_with_recomputed_chain(filled, db_path):
    store, _ = filled
    _rewrite_from(db_path, 7, {"actor": "anna\x1fMC-0001"})
    _check(store, 7, "scheidingsteken")


def test_payload_deleted_without_erasure(filled, db_path):
    store, events = filled
    tamper(db_path, "DELETE FROM payloads WHERE hash = ?", params=[(events[7].payload_hash,)])
    _check(store, 8, "ontbreekt")


def test_erasure_row_without_erasure_event(filled, db_path):
    store, events = filled
    tamper(db_path,
           "INSERT INTO erasures(hash, seq) VALUES (?, 2)",
           "DELETE FROM payloads WHERE hash = ?",
           params=[(events[5].payload_hash,), (events[5].payload_hash,)])
    _check(store, 6, "wisactie")


def test_erasure_event_renamed_is_caught(filled, db_path):
    store, events = filled
    store.erase_payload("coordinator-anna", events[5].case_id, events[5].payload_hash,
                        "bewaartermijn")
    assert store.verify().ok
    tamper(db_path, f"UPDATE erasures SET seq = 1 WHERE hash = '{events[5].payload_hash}'")
    _check(store, 6, "wisactie")


def test_tampering_survives_reopen(filled, db_path):
    store, events = filled
    store.close()
    tamper(db_path, "UPDATE events SET actor = 'mallory' WHERE seq = 2")
    with closing(open_store(db_path, key=store._key)) as again:
        assert again.verify().bad_seq == 2


@pytest.mark.parametrize("batch", [1, 3, 7])
@pytest.mark.parametrize("bad", [1, 7, 8, 14, 20])
def test_batch_boundaries(store, db_path, monkeypatch, batch, bad):
    """verify reads in batches; a problem on either side of a boundary is still found."""
    from meldcode_tui.store import journal

    monkeypatch.setattr(journal, "BATCH", batch)
    fill(store, 20)
    assert store.verify(parallel=False).ok
    assert journal._chain_fast(store._conn, 20)
    tamper(db_path, "UPDATE events SET kind = 'x' WHERE seq = ?", params=[(bad,)])
    assert not journal._chain_fast(store._conn, 20)
    result = store.verify(parallel=False)
    assert result.bad_seq == bad, result
    tamper(db_path, "UPDATE events SET kind = 'signal_recorded' WHERE seq = ?", params=[(bad,)])
    tamper(db_path, "DELETE FROM events WHERE seq = ?", params=[(bad,)])
    expected = bad if bad < 20 else None  # the last one: only a checkpoint can tell
    assert store.verify(parallel=False).bad_seq == expected


def test_event_with_seq_zero_is_caught(filled, db_path):
    store, events = filled
    tamper(db_path, "INSERT INTO events VALUES (0, ?, 'mallory', 'MC-0001', 'x', ?, ?, ?)",
           params=[(events[0].at, events[0].payload_hash, GENESIS, "0" * 64)])
    assert not store.verify().ok
