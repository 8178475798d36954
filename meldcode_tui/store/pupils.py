"""The pupil register's table (see store/db.py, the pupil_register migration): replaced as a whole
inside one write transaction, read by number or all at once. No journal, no history."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def replace_all(conn: sqlite3.Connection, rows: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    """Delete every row and insert ``rows`` (each with its ``digest``); ``meta`` is the load
    (loaded_at, source, actor). The caller holds the write transaction."""
    conn.execute("DELETE FROM pupil_register")
    conn.executemany(
        "INSERT INTO pupil_register(pupil_number, name, date_of_birth, group_name, left_on, digest, body) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r["pupil_number"], r["name"], r["date_of_birth"], r.get("group", ""), r.get("left_on", ""),
          r["digest"], json.dumps({k: v for k, v in r.items() if k != "digest"}, ensure_ascii=False,
                                  sort_keys=True)) for r in rows])
    conn.execute("INSERT OR REPLACE INTO pupil_register_load(id, loaded_at, source, actor, count) "
                 "VALUES (1, ?, ?, ?, ?)", (meta["loaded_at"], meta["source"], meta["actor"], len(rows)))


def digests(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT pupil_number, digest FROM pupil_register").fetchall())


def all_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [json.loads(b) for (b,) in conn.execute(
        "SELECT body FROM pupil_register ORDER BY name, pupil_number").fetchall()]


def row(conn: sqlite3.Connection, number: str) -> dict[str, Any] | None:
    found = conn.execute("SELECT body FROM pupil_register WHERE pupil_number = ?", (number,)).fetchone()
    return json.loads(found[0]) if found else None


def last_load(conn: sqlite3.Connection) -> dict[str, Any] | None:
    found = conn.execute("SELECT loaded_at, source, actor, count FROM pupil_register_load "
                         "WHERE id = 1").fetchone()
    return None if found is None else dict(zip(("loaded_at", "source", "actor", "count"), found))
