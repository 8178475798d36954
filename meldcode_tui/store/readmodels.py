"""Read models: the case list (``cases``) and the full-text index (``texts``, FTS5).

Both are projections of the journal, written in the same transaction as the events they
reflect. The chronology of a case is not duplicated: it is the case's events (indexed by
``case_id``).
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from typing import Any

CASE_COLUMNS = (
    "case_id", "pupil_name", "group_name", "date_of_birth", "step", "status", "owner",
    "opened_at", "last_change_at", "next_deadline", "next_deadline_label", "route", "members",
)
_STORED = CASE_COLUMNS[1:]
_SELECT = ", ".join(CASE_COLUMNS) + ", extra"


def put_case_row(conn: sqlite3.Connection, case_id: str, row: dict[str, Any]) -> None:
    """Upsert: given columns are replaced, others keep their value. ``members`` is a list
    (stored as JSON). Keys outside the contract are kept in the ``extra`` JSON column and
    come back in ``case_rows`` as ordinary keys."""
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in row.items():
        if key == "case_id":
            continue
        if key in _STORED:
            if key == "members" and not isinstance(value, str):
                value = json.dumps(list(value or ()), ensure_ascii=False)
            values[key] = value
        else:
            extra[key] = value
    if extra:
        old = conn.execute("SELECT extra FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        merged = json.loads(old[0]) if old and old[0] else {}
        merged.update(extra)
        values["extra"] = json.dumps(merged, ensure_ascii=False, sort_keys=True, default=str)
    cols = ["case_id", *values]
    marks = ", ".join("?" * len(cols))
    if values:
        updates = ", ".join(f"{c} = excluded.{c}" for c in values)
        conflict = f"ON CONFLICT(case_id) DO UPDATE SET {updates}"
    else:
        conflict = "ON CONFLICT(case_id) DO NOTHING"
    conn.execute(f"INSERT INTO cases ({', '.join(cols)}) VALUES ({marks}) {conflict}",
                 (case_id, *values.values()))


def _to_dict(row: tuple) -> dict[str, Any]:
    d = dict(zip(CASE_COLUMNS, row))
    members = d["members"]
    d["members"] = json.loads(members) if members else []
    extra = row[-1]
    if extra:
        for key, value in json.loads(extra).items():
            d.setdefault(key, value)
    return d


def case_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """All cases, most recently changed first."""
    cur = conn.execute(f"SELECT {_SELECT} FROM cases ORDER BY last_change_at DESC, case_id")
    return [_to_dict(r) for r in cur.fetchall()]


def case_row(conn: sqlite3.Connection, case_id: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {_SELECT} FROM cases WHERE case_id = ?", (case_id,)).fetchone()
    return _to_dict(row) if row else None


def next_case_number(conn: sqlite3.Connection) -> int:
    return conn.execute(
        "INSERT INTO counters(name, value) VALUES ('case', 1) "
        "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value").fetchone()[0]


# --------------------------------------------------------------------------- full text


def add_text(conn: sqlite3.Connection, case_id: str, seq: int, text: str) -> None:
    if text and text.strip():
        conn.execute("INSERT INTO texts(text, case_id, seq) VALUES (?, ?, ?)",
                     (text, case_id, seq))


def drop_texts(conn: sqlite3.Connection, seqs: list[int]) -> None:
    """Remove indexed text of these events (after an erasure)."""
    for seq in seqs:
        conn.execute("DELETE FROM texts WHERE seq = ?", (seq,))


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(query: str) -> str | None:
    """User text -> a safe FTS5 query: every word a quoted prefix term, all required.
    FTS syntax characters (quotes, ``*``, ``:``, ``-``, ``^``, parentheses, AND/OR/NOT)
    are never interpreted."""
    words = _WORD.findall(query or "")
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words[:32])


# Ranking looks at the most recent matches only: bm25 over every hit of a common prefix
# ("de*") costs O(hits); the newest RECENT_WINDOW hits are what a coordinator looks for.
RECENT_WINDOW = 2000
_SEARCH_SQL = (
    "SELECT rowid FROM (SELECT rowid, bm25(texts) AS r FROM texts WHERE texts MATCH ? "
    "ORDER BY rowid DESC LIMIT ?) ORDER BY r, rowid DESC LIMIT ?"
)


def _fold(text: str) -> str:
    """Lowercase without diacritics, same length as ``text`` (for locating matches)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else ch
        out.append(base.lower()[:1] or ch)
    return "".join(out)


def snippet(text: str, words: list[str], width: int = 90) -> str:
    """Plain-text excerpt around the first word that starts with one of ``words``;
    ``…`` marks a cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    folded = _fold(text)
    best = None
    for word in words:
        m = re.search(r"(?<!\w)" + re.escape(_fold(word)), folded)
        if m and (best is None or m.start() < best):
            best = m.start()
    start = max(0, (best or 0) - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 15 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def search(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[dict[str, Any]]:
    """Ranked hits ``{case_id, seq, snippet}``: every word of ``query`` must occur as a word
    prefix (accents and case ignored); bm25 ranks the newest ``RECENT_WINDOW`` matches.
    ``snippet`` is plain text (no markup) with ``…`` where it was cut."""
    match = fts_query(query)
    if match is None or limit <= 0:
        return []
    ids = [r[0] for r in conn.execute(_SEARCH_SQL, (match, RECENT_WINDOW, int(limit)))]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {r[0]: r[1:] for r in conn.execute(
        f"SELECT rowid, case_id, seq, text FROM texts WHERE rowid IN ({marks})", ids)}
    words = _WORD.findall(query)
    return [{"case_id": rows[i][0], "seq": rows[i][1], "snippet": snippet(rows[i][2], words)}
            for i in ids if i in rows]
