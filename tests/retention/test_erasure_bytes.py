"""Erasure down to the file's bytes: after `retention --apply` the erased pupil's name and a
word only its notes held are absent from the database file and its -wal (free pages, WAL and
full-text segments included); the open case's name is still there; the chain verifies."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main

from .test_retention import TODAY, _closed_case, _service, demo_db  # noqa: F401 (fixture)



def _raw(db_path: Path) -> bytes:
    data = Path(db_path).read_bytes()
    wal = Path(str(db_path) + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _words(payload) -> set[str]:
    # Lower case: the FTS index keeps tokens folded, so the folded word is what must go.
    return {w.lower() for w in re.findall(r"[^\W\d_]{9,}", json.dumps(payload, ensure_ascii=False))}


def test_retention_apply_leaves_no_erased_byte_in_db_or_wal(demo_db):
    svc = _service(demo_db, TODAY)
    due = _closed_case(svc)
    due_id, due_name = due["case_id"], due["pupil_name"]
    open_row = next(r for r in svc.store.case_rows() if r["status"] != "gesloten")
    open_name = open_row["pupil_name"]
    erasable = set(svc.store.erasable_payloads(due_id))
    mine, theirs = set(), set()
    for r in svc.store.case_rows():
        for e in svc.store.case_events(r["case_id"]):
            if e.payload is None:
                continue
            if r["case_id"] == due_id and e.payload_hash in erasable:
                mine |= _words(e.payload)
            else:
                theirs |= _words(e.payload)
    word = sorted(mine - theirs - {w.lower() for w in due_name.split()})[0]   # only this case's notes hold it
    # A half-typed form for the due case (and one for the open case, which must stay).
    svc.store.save_draft("beheer", f"{due_id}:form-notitie", {"text": f"concept {word}"})
    svc.store.save_draft("beheer", f"{open_row['case_id']}:form-notitie", {"text": "blijft"})
    svc.store.close()
    before = _raw(demo_db)
    assert due_name.encode() in before and word.encode() in before.lower()   # can fail

    db = str(demo_db)
    res = CliRunner().invoke(main, ["--db", db, "--user", "beheer", "retention", "--years", "0",
                                    "--counted-from", "closing", "--apply"])
    assert res.exit_code == 0, res.output
    assert due_id in res.output and open_row["case_id"] not in res.output

    after = _raw(demo_db)
    assert due_name.encode() not in after
    assert word.encode() not in after.lower()             # as written and as FTS token
    assert open_name.encode() in after                    # exactly the due case was erased

    svc = _service(demo_db, TODAY)
    assert svc.store.verify().ok
    assert svc.store.load_draft("beheer", f"{due_id}:form-notitie") is None
    assert svc.store.load_draft("beheer", f"{open_row['case_id']}:form-notitie") is not None
    row = next(r for r in svc.store.case_rows() if r["case_id"] == due_id)
    assert row["date_of_birth"] is None and row["group_name"] is None
    svc.store.close()


# A second process that holds a read snapshot open (a backup running, a colleague's open app):
# it starts a read transaction, says "ready", and keeps it until its stdin closes.
_READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT count(*) FROM events").fetchone()
print("ready", flush=True)
sys.stdin.read()
conn.execute("COMMIT")
conn.close()
"""


def _pending(db_path) -> bool:
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM counters WHERE name = 'erasure_clean_pending'"
                            ).fetchone()[0] == 1
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["erase", "apply"])
def test_erase_under_a_readers_snapshot_never_says_gewist_and_cleans_at_the_next_run(
        demo_db, monkeypatch, command):
    monkeypatch.setenv("MELDCODE_BUSY_TIMEOUT_MS", "300")   # the bounded wait for readers
    svc = _service(demo_db, TODAY)
    due = _closed_case(svc)
    due_id, due_name = due["case_id"], due["pupil_name"]
    svc.store.close()
    assert due_name.encode() in _raw(demo_db)

    reader = subprocess.Popen([sys.executable, "-c", _READER, str(demo_db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        if command == "erase":
            args = ["retention", "erase", due_id, "--reason", "Verzoek van de ouders, brief 12-11.",
                    "--requested-by", "ouder met gezag"]
        else:
            args = ["retention", "apply", "--years", "0", "--counted-from", "closing"]
        res = CliRunner().invoke(main, ["--db", str(demo_db), "--user", "beheer", *args])
        # Recorded in the journal, but not "gewist" while the words are still in the bytes.
        assert res.exit_code == 6, res.output
        assert "gewist op verzoek" not in res.output and "casus(sen) gewist" not in res.output
        assert "andere sessie" in res.output and "volgende start" in res.output
        assert due_name.encode() in _raw(demo_db)       # the message tells the truth
        assert _pending(demo_db)
        # While the reader is still open, a next run cannot clean either, and says nothing false.
        res = CliRunner().invoke(main, ["--db", str(demo_db), "--user", "beheer", "retention"])
        assert _pending(demo_db)
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert reader.returncode == 0

    # The next run of any command finishes the clean.
    res = CliRunner().invoke(main, ["--db", str(demo_db), "--user", "beheer", "retention"])
    assert res.exit_code == 0, res.output
    assert not _pending(demo_db)
    after = _raw(demo_db)
    assert due_name.encode() not in after
    assert due_name.split()[0].lower().encode() not in after.lower()
    svc = _service(demo_db, TODAY)
    assert svc.store.verify().ok
    svc.store.close()


def test_erase_without_a_reader_says_gewist_and_leaves_nothing_pending(demo_db):
    svc = _service(demo_db, TODAY)
    due_id = _closed_case(svc)["case_id"]
    svc.store.close()
    res = CliRunner().invoke(main, [
        "--db", str(demo_db), "--user", "beheer", "retention", "erase", due_id,
        "--reason", "Verzoek van de ouders, brief 12-11.", "--requested-by", "ouder met gezag"])
    assert res.exit_code == 0, res.output
    assert "gewist op verzoek" in res.output
    assert not _pending(demo_db)


def test_an_erasure_whose_compaction_never_ran_is_cleaned_at_the_next_open(demo_db):
    """The process ended between the erasure's commit and the compaction (a crash, a kill):
    the pending mark was written in the erasure's own transaction, so the next open cleans."""
    from meldcode_tui.retention import erase_case
    from meldcode_tui.store import open_store

    svc = _service(demo_db, TODAY)
    due = _closed_case(svc)
    erase_case(svc, due["case_id"], "Verzoek van de ouders, brief 12-11.", policy="request",
               requested_by="ouder met gezag")
    svc.store.close()                                  # no finish_erasure
    assert _pending(demo_db)
    open_store(demo_db).close()
    assert not _pending(demo_db)
    assert due["pupil_name"].encode() not in _raw(demo_db)
