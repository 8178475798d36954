"""Helpers for the export tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from meldcode_tui.exports import export_case
from meldcode_tui.exports.toml_format import decode_value, encode_value
from meldcode_tui.store.journal import GENESIS, body_hash, canonical_json, event_hash


# A whole-journal (toml) transfer records its basis; the tests' transfers go within one board.
BASIS = {"basis": "same_board",
         "basis_reason": "De leerling gaat naar een school van hetzelfde bestuur."}
BASIS_ARGS = ["--grondslag", BASIS["basis"], "--toelichting", BASIS["basis_reason"]]


def do_export(svc, case_id: str, fmt: str, **kwargs):
    """Through ``CaseService.export`` once the service delegates to it, else directly."""
    if hasattr(svc, "export") and not kwargs:
        return svc.export(case_id, fmt)
    return export_case(svc, case_id, fmt, **kwargs)


def file_state(path: Path) -> bytes:
    """The database's bytes (and those of its WAL, if any): 'untouched' means equal."""
    out = Path(path).read_bytes()
    wal = Path(str(path) + "-wal")
    if wal.exists():
        out += b"--wal--" + wal.read_bytes()
    return out


def db_content(path: Path) -> str:
    """The database's whole content as SQL (independent of page layout and WAL state)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def load(data: bytes) -> dict:
    return tomllib.loads(data.decode("utf-8"))


def dump(doc: dict) -> bytes:
    return tomli_w.dumps(doc).encode("utf-8")


def rehash(doc: dict) -> dict:
    """Recompute every hash in a parsed case file, as a careful forger would, so that a test
    reaches the payload and rule checks behind the chain check."""
    prev = None
    case_id = doc["source_case_id"]
    for i, ev in enumerate(doc["events"]):
        payload = decode_value(ev["payload"])
        if ev["kind"] == "case_exported" and isinstance(payload, dict) and "case_head" in payload \
                and i == len(doc["events"]) - 1 and prev is not None:
            # ... including the export event's binding to the case chain before it.
            payload["case_head"], payload["case_events"] = prev["hash"], i
        ev["payload_hash"] = body_hash(canonical_json(payload))
        if prev is not None and ev["seq"] == prev["seq"] + 1:
            ev["prev_hash"] = prev["hash"]
        elif prev is None and ev["seq"] == 1:
            ev["prev_hash"] = GENESIS
        ev["hash"] = event_hash(ev["seq"], ev["at"], ev["actor"], case_id, ev["kind"],
                                ev["payload_hash"], ev["prev_hash"])
        ev["payload"] = encode_value(payload)
        ev["case_prev"] = prev["hash"] if prev is not None else ""
        prev = ev
    doc["source_head"] = doc["events"][-1]["hash"]
    doc["event_count"] = len(doc["events"])
    return doc


def renumber(doc: dict) -> dict:
    """Make the seqs consecutive again (after removing or reordering events), then rehash."""
    first = doc["events"][0]["seq"]
    for i, ev in enumerate(doc["events"]):
        ev["seq"] = first + i
    return rehash(doc)
