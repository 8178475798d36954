"""The user table (a projection of the admin events in the journal, kept in the same
transaction): who may log in, with which role and which keys. ``serve`` and every write of a
session read it, so a change takes effect at once."""

from __future__ import annotations

import sqlite3
from typing import Any

USER_COLUMNS = ("name", "display_name", "role", "status", "disabled_reason", "created_at",
                "last_seen")


def user(conn: sqlite3.Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {', '.join(USER_COLUMNS)} FROM users WHERE name = ?",
                       (name,)).fetchone()
    return None if row is None else dict(zip(USER_COLUMNS, row))


def users(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(f"SELECT {', '.join(USER_COLUMNS)} FROM users ORDER BY name").fetchall()
    out = [dict(zip(USER_COLUMNS, r)) for r in rows]
    keys: dict[str, list[dict]] = {}
    for k in conn.execute("SELECT user, fingerprint, key_type, key_blob, comment, added_at "
                          "FROM user_keys ORDER BY added_at, fingerprint"):
        keys.setdefault(k[0], []).append({"fingerprint": k[1], "key_type": k[2], "key_blob": k[3],
                                          "comment": k[4], "added_at": k[5]})
    for u in out:
        u["keys"] = keys.get(u["name"], [])
    return out


def user_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM users").fetchone()[0]


def put_user(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    cols = [c for c in USER_COLUMNS if c in row]
    conn.execute(
        f"INSERT INTO users({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT(name) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in cols if c != "name"),
        [row[c] for c in cols])


def key_owner(conn: sqlite3.Connection, fingerprint: str) -> str | None:
    row = conn.execute("SELECT user FROM user_keys WHERE fingerprint = ?", (fingerprint,)).fetchone()
    return row[0] if row else None


def put_key(conn: sqlite3.Connection, name: str, fingerprint: str, key_type: str, blob: str,
            comment: str, at: str) -> None:
    conn.execute("INSERT INTO user_keys(fingerprint, user, key_type, key_blob, comment, added_at) "
                 "VALUES (?, ?, ?, ?, ?, ?)", (fingerprint, name, key_type, blob, comment, at))


def delete_key(conn: sqlite3.Connection, name: str, fingerprint: str) -> int:
    return conn.execute("DELETE FROM user_keys WHERE user = ? AND fingerprint = ?",
                        (name, fingerprint)).rowcount


def touch(conn: sqlite3.Connection, name: str, at: str) -> None:
    conn.execute("UPDATE users SET last_seen = ? WHERE name = ?", (at, name))


# --- notification channels: one apprise URL per user (kept out of the journal: it holds secrets)

def channel(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT url FROM user_channels WHERE user = ?", (name,)).fetchone()
    return row[0] if row else None


def channels(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT user, url FROM user_channels ORDER BY user").fetchall())


def put_channel(conn: sqlite3.Connection, name: str, url: str | None, at: str) -> None:
    if url is None:
        conn.execute("DELETE FROM user_channels WHERE user = ?", (name,))
        return
    conn.execute("INSERT INTO user_channels(user, url, set_at) VALUES (?, ?, ?) ON CONFLICT(user) "
                 "DO UPDATE SET url = excluded.url, set_at = excluded.set_at", (name, url, at))
