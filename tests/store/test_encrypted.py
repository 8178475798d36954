"""Encrypted store (SQLCipher, optional extra): key, wrong key, backup stays encrypted."""

from __future__ import annotations

import pytest

from meldcode_tui.store import open_store
from meldcode_tui.store.crypto import KeyError_

pytest.importorskip("sqlcipher3", reason="extra 'encrypted' (sqlcipher3) not installed")

KEY = "fictieve-sleutel-voor-tests"
WORD = "Zeldzaamwoordfictief"


def test_encrypted_store_round_trip_wrong_key_and_encrypted_backup(tmp_path, capfd):
    db = tmp_path / "enc.sqlite"
    store = open_store(db, create=True, key=KEY)
    with store.write() as tx:
        tx.append("coordinator", "MC-0001", "note", {"text": WORD})
    assert store.verify().ok
    backup = tmp_path / "kopie.sqlite"
    assert store.backup(backup).ok
    store.close()
    for path in (db, backup):
        raw = b"".join(open(p, "rb").read() for p in (path, f"{path}-wal") if __import__("os").path.exists(p))
        assert WORD.encode() not in raw and not raw.startswith(b"SQLite format 3")
    with pytest.raises(KeyError_) as exc:
        open_store(db, key="een-verkeerde-sleutel")
    assert "sleutel" in str(exc.value) and "\n" not in str(exc.value)
    again = open_store(backup, key=KEY)
    assert next(again.events()).payload == {"text": WORD}
    again.close()
    out, err = capfd.readouterr()
    assert "ERROR" not in err and "hmac" not in err   # SQLCipher's own logging is silenced
