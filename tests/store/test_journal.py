"""The journal and read models through the public Store API."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from hashlib import sha256

import pytest

from meldcode_tui.errors import InputError, NotFound, RuleViolation
from meldcode_tui.store import GENESIS, Event, VerifyResult, open_store
from meldcode_tui.store.journal import SEP, event_hash

from .conftest import fill, raw


def test_append_builds_a_chain_from_genesis(store):
    assert store.is_empty()
    assert store.checkpoint() == (0, GENESIS)
    e1, e2, e3 = fill(store, 3)
    assert (e1.seq, e2.seq, e3.seq) == (1, 2, 3)
    assert e1.prev_hash == GENESIS and e2.prev_hash == e1.hash and e3.prev_hash == e2.hash
    body = json.dumps(e1.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert e1.payload_hash == sha256(body.encode()).hexdigest()
    msg = SEP.join([str(e1.seq), e1.at, e1.actor, e1.case_id, e1.kind, e1.payload_hash,
                    GENESIS])
    assert e1.hash == sha256(msg.encode()).hexdigest() == event_hash(
        1, e1.at, e1.actor, e1.case_id, e1.kind, e1.payload_hash, GENESIS)
    assert e1.at.endswith("Z") and len(e1.at) == len("2026-01-01T00:00:00.000000Z")
    assert not store.is_empty()
    assert store.checkpoint() == (3, e3.hash)
    assert dataclasses.is_dataclass(Event) and Event.__dataclass_params__.frozen


def test_events_read_back_identically(store):
    written = fill(store, 7, cases=2)
    assert list(store.events()) == written
    assert list(store.events(after_seq=5)) == written[5:]
    assert list(store.events("MC-0002")) == [e for e in written if e.case_id == "MC-0002"]
    assert store.case_events("MC-0001") == [e for e in written if e.case_id == "MC-0001"]
    with store.write() as tx:
        assert tx.case_events("MC-0001") == store.case_events("MC-0001")


def test_explicit_at_and_unicode_payload(store):
    with store.write() as tx:
        ev = tx.append("coördinator", "MC-0001", "case_opened",
                       {"note": "Zoë (fictief) — ‘aanhalingstekens’"},
                       at="2025-01-02T03:04:05.000006Z")
    assert ev.at == "2025-01-02T03:04:05.000006Z"
    payload = store.case_events("MC-0001")[0].payload
    assert payload == {"note": "Zoë (fictief) — ‘aanhalingstekens’"}
    assert store.verify().ok


@pytest.mark.parametrize("field,value", [
    ("actor", "anna\x1fbas"), ("case_id", "MC-1\n"), ("kind", ""), ("actor", None),
    ("at", "2025-01-02 03:04:05"), ("at", "2025-13-02T03:04:05.000000Z"),
    ("payload", ["not", "a", "dict"]),
    ("payload", {"x": float("nan")}),
])
def test_append_refuses_bad_fields(store, field, value):
    args = {"actor": "anna", "case_id": "MC-0001", "kind": "signal_recorded",
            "payload": {"a": 1}, "at": None}
    args[field] = value
    with pytest.raises(InputError) as info:
        with store.write() as tx:
            tx.append(**args)
    assert info.value.field == field
    assert store.is_empty()


def test_exception_rolls_back_everything(store):
    fill(store, 2)
    with pytest.raises(RuntimeError):
        with store.write() as tx:
            ev = tx.append("anna", "MC-0009", "case_opened", {"note": "x"})
            tx.put_case_row("MC-0009", {"pupil_name": "Weg (fictief)", "last_change_at": ev.at})
            tx.add_text("MC-0009", ev.seq, "verdwijnt weer")
            tx.next_case_number()
            raise RuntimeError("boom")
    assert store.checkpoint()[0] == 2
    assert store.case_row("MC-0009") is None
    assert store.search("verdwijnt") == []
    with store.write() as tx:
        assert tx.next_case_number() == 1
        assert tx.append("anna", "MC-0009", "case_opened", {}).seq == 3
    assert store.verify().ok


def test_write_is_not_reentrant_and_tx_expires(store):
    with store.write() as tx:
        with pytest.raises(RuntimeError):
            with store.write():
                pass
    with pytest.raises(RuntimeError):
        tx.append("anna", "MC-0001", "x", {})


def test_next_case_number_counts_up(store):
    with store.write() as tx:
        assert [tx.next_case_number() for _ in range(3)] == [1, 2, 3]
    with store.write() as tx:
        assert tx.next_case_number() == 4


def test_case_rows_upsert_and_order(store):
    with store.write() as tx:
        tx.put_case_row("MC-0001", {"pupil_name": "Sanne de Vries (fictief)", "step": 1,
                                    "status": "open",
                                    "last_change_at": "2026-01-01T00:00:00.000000Z",
                                    "members": ["anna", "bas"], "next_deadline": "2026-02-01",
                                    "colour": "rood"})
        tx.put_case_row("MC-0002", {"pupil_name": "Daan Jansen (fictief)", "step": 2,
                                    "last_change_at": "2026-01-03T00:00:00.000000Z"})
    with store.write() as tx:
        tx.put_case_row("MC-0001", {"step": 3, "last_change_at": "2026-01-05T00:00:00.000000Z"})
    rows = store.case_rows()
    assert [r["case_id"] for r in rows] == ["MC-0001", "MC-0002"]
    first = rows[0]
    assert first["step"] == 3 and first["pupil_name"] == "Sanne de Vries (fictief)"
    assert first["members"] == ["anna", "bas"] and first["colour"] == "rood"
    assert first["next_deadline"] == "2026-02-01"
    assert rows[1]["members"] == []
    assert store.case_row("MC-0002")["step"] == 2
    assert store.case_row("MC-9999") is None
    assert store.db["cases"].count == 2  # sqlite-utils view of the same connection


def test_search_ranks_prefixes_and_survives_fts_syntax(store):
    with store.write() as tx:
        a = tx.append("anna", "MC-0001", "signal_recorded", {"d": 1})
        tx.add_text("MC-0001", a.seq, "Blauwe plekken op de arm gezien na de gymles")
        b = tx.append("anna", "MC-0002", "signal_recorded", {"d": 2})
        tx.add_text("MC-0002", b.seq, "Ruzie thuis; blauwe plek, blauwe plek en nog eens blauw")
        c = tx.append("anna", "MC-0003", "signal_recorded", {"d": 3})
        tx.add_text("MC-0003", c.seq, "Geen bijzonderheden. Coördinatie met Veilig Thuis")
    hits = store.search("blauw")
    assert {h["case_id"] for h in hits} == {"MC-0001", "MC-0002"}
    assert hits[0]["case_id"] == "MC-0002"  # more matches rank first
    assert all(set(h) == {"case_id", "seq", "snippet"} for h in hits)
    assert [h["seq"] for h in store.search("gym")] == [a.seq]  # prefix of "gymles"
    assert store.search("blauwe gym")[0]["case_id"] == "MC-0001"  # all words required
    assert store.search("coordinatie")[0]["case_id"] == "MC-0003"  # diacritics folded
    for nasty in ['"', "blauw*", "(", "a OR", "NOT", "-x", "col:blauw", "^", "AND AND",
                  "'; DROP TABLE events; --", "ü\"\"\"", "", "   ", "*"]:
        store.search(nasty)  # never raises
    assert store.search("") == []
    assert len(store.search("blauw", limit=1)) == 1


def test_triggers_refuse_update_and_delete(store, db_path):
    fill(store, 3)
    conn = raw(db_path, drop_triggers=False)
    for sql in ("UPDATE events SET actor = 'mallory' WHERE seq = 2",
                "DELETE FROM events WHERE seq = 3",
                "UPDATE payloads SET body = '{}'",
                "DELETE FROM payloads",
                "INSERT INTO events VALUES (9, 'a', 'b', 'c', 'd', 'e', 'f', 'g')",
                "INSERT INTO events VALUES (4, 'a', 'b', 'c', 'd', 'e', 'f', 'g')"):
        with pytest.raises(Exception) as err:    # sqlite3's or SQLCipher's IntegrityError
            conn.execute(sql)
        assert type(err.value).__name__ == "IntegrityError"
    conn.close()
    assert store.verify().ok


def test_erasure_keeps_chain_verifiable(store):
    events = fill(store, 4, cases=2)
    target = events[2]  # MC-0001
    cp = store.checkpoint()
    erased = store.erase_payload("coordinator-anna", "MC-0001", target.payload_hash,
                                 "bewaartermijn verstreken")
    assert erased.kind == "payload_erased" and erased.payload["payload_hash"] == target.payload_hash
    after = {e.seq: e for e in store.events()}
    assert after[target.seq].payload is None
    assert after[target.seq].hash == target.hash
    assert after[1].payload is not None
    assert all(h["seq"] != target.seq for h in store.search("Signaal"))
    result = store.verify(cp)
    assert result.ok and result.count == 5, result
    with pytest.raises(RuleViolation):
        store.erase_payload("coordinator-anna", "MC-0001", target.payload_hash, "nogmaals")
    with pytest.raises(NotFound):
        store.erase_payload("coordinator-anna", "MC-0002", target.payload_hash, "verkeerd")
    with pytest.raises(RuleViolation):
        store.erase_payload("coordinator-anna", "MC-0001", erased.payload_hash, "het wisbewijs")
    with pytest.raises(InputError):
        store.erase_payload("coordinator-anna", "MC-0001", events[0].payload_hash, "  ")
    assert store.verify().ok


def test_erasure_of_shared_payload_is_refused(store):
    with store.write() as tx:
        a = tx.append("anna", "MC-0001", "case_viewed", {"purpose": "inzien"})
        tx.append("anna", "MC-0002", "case_viewed", {"purpose": "inzien"})
    with pytest.raises(RuleViolation):
        store.erase_payload("anna", "MC-0001", a.payload_hash, "bewaartermijn")
    assert store.verify().ok


def test_checkpoint_and_verify_result(store):
    assert store.verify() == VerifyResult(True, 0, 0, GENESIS)
    assert store.verify((0, GENESIS)).ok
    fill(store, 5)
    seq, h = store.checkpoint()
    fill(store, 2)
    res = store.verify((seq, h))
    assert res.ok and res.count == 7 and res.head_seq == 7
    assert res.head_hash == store.checkpoint()[1]
    bad = store.verify((3, "f" * 64))
    assert not bad.ok and bad.bad_seq == 3 and "controlepunt" in bad.problem
    beyond = store.verify((8, "f" * 64))
    assert not beyond.ok and beyond.bad_seq == 8 and "verwijderd" in beyond.problem


def test_verify_worker_process_gives_same_answers(store, db_path):
    events = fill(store, 50)
    assert store.verify(parallel=True).ok
    from .conftest import tamper
    tamper(db_path, "UPDATE payloads SET body = '{\"x\":1}' WHERE hash = ?",
           params=[(events[10].payload_hash,)])
    inline, worker = store.verify(parallel=False), store.verify(parallel=True)
    assert inline == worker and worker.bad_seq == 11


def test_backup_is_private_verified_and_never_overwrites(store, tmp_path):
    fill(store, 20)
    dest = tmp_path / "kopie" / "backup.sqlite"
    result = store.backup(dest)
    assert result.ok and result.count == 20 and result.head_hash == store.checkpoint()[1]
    assert dest.stat().st_mode & 0o777 == 0o600
    assert dest.parent.stat().st_mode & 0o777 == 0o700
    copy = open_store(dest, key=store._key)
    assert list(copy.events()) == list(store.events())
    assert copy.search("ruzie")
    copy.close()
    before = dest.read_bytes()
    with pytest.raises(InputError):
        store.backup(dest)
    assert dest.read_bytes() == before


def test_case_event_cache_sees_other_sessions_and_erasures(store, db_path):
    fill(store, 6, cases=2)
    other = open_store(db_path, key=store._key)
    try:
        assert store.case_events("MC-0001") == other.case_events("MC-0001")  # both cached
        with other.write() as tx:
            new = tx.append("bas", "MC-0001", "signal_recorded", {"d": "nieuw"})
        assert store.case_events("MC-0001")[-1] == new
        with store.write() as tx:
            assert tx.case_events("MC-0001")[-1] == new
        target = store.case_events("MC-0001")[0]
        other.erase_payload("bas", "MC-0001", target.payload_hash, "bewaartermijn")
        assert store.case_events("MC-0001")[0].payload is None
        with store.write() as tx:
            assert tx.case_events("MC-0001")[0].payload is None
    finally:
        other.close()


def test_case_event_cache_forgets_rolled_back_events(store):
    fill(store, 2, cases=1)
    with pytest.raises(KeyError):
        with store.write() as tx:
            tx.append("anna", "MC-0001", "signal_recorded", {"d": "weg"})
            assert len(tx.case_events("MC-0001")) == 3
            raise KeyError("boom")
    assert len(store.case_events("MC-0001")) == 2
    with store.write() as tx:
        ev = tx.append("anna", "MC-0001", "signal_recorded", {"d": "blijft"})
        assert [e.seq for e in tx.case_events("MC-0001")] == [1, 2, 3]
    assert store.case_events("MC-0001")[-1] == ev
    assert store.verify().ok


def test_verify_worker_really_runs(store):
    if store._key:
        pytest.skip("the worker process has no key: an encrypted file is verified in one process")
    from meldcode_tui.store import journal

    fill(store, 5)
    proc = journal._start_worker(store._uri("ro"), 5, 2000)
    assert proc is not None
    assert journal._finish_worker(proc) == []  # None would mean it failed


def test_backup_of_a_tampered_database_reports_it(store, db_path, tmp_path):
    from .conftest import tamper

    fill(store, 5)
    tamper(db_path, "UPDATE events SET actor = 'mallory' WHERE seq = 4")
    result = store.backup(tmp_path / "bewijs.sqlite")
    assert not result.ok and result.bad_seq == 4
    assert (tmp_path / "bewijs.sqlite").exists()
