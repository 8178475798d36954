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
from dataclasses import dataclass
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
    if "members" in values:
        _put_members(conn, case_id, values["members"])


def _put_members(conn: sqlite3.Connection, case_id: str, members_json: str | None) -> None:
    """Keep ``case_members`` equal to the row's ``members`` (same transaction)."""
    try:
        members = json.loads(members_json) if members_json else []
    except ValueError:
        members = []
    conn.execute("DELETE FROM case_members WHERE case_id = ?", (case_id,))
    conn.executemany("INSERT OR IGNORE INTO case_members(case_id, user) VALUES (?, ?)",
                     [(case_id, m) for m in members if isinstance(m, str)])


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


# --------------------------------------------------------------------------- paging

CLOSED_STATUSES = ("closed", "gesloten")

# sort name -> ORDER BY; every order ends on the case list's own order (last change first,
# then case id), which is what a stable sort of that list gives on ties.
_TIE = "last_change_at DESC, case_id"
SORT_SQL = {
    "next_deadline": f"(coalesce(next_deadline, '') = ''), coalesce(next_deadline, ''), {_TIE}",
    "pupil_name": f"mc_lower(coalesce(pupil_name, '')), {_TIE}",
    "step": f"coalesce(step, 0), {_TIE}",
    "last_change_at": f"(coalesce(last_change_at, '') != ''), {_TIE}",
    "status": f"mc_lower(coalesce(status, '')), {_TIE}",
}


@dataclass(frozen=True)
class CaseFilter:
    """What the dashboard shows. ``actor`` None = every case (all_access); otherwise the rows
    ``actor`` may see (a member, or a case without members). ``search``: lowercased text that
    matches the pupil name or case id as a substring, or a case in ``hits`` (full text)."""

    actor: str | None = None
    include_closed: bool = True
    step: int | None = None
    status: str | None = None
    overdue_before: str | None = None      # ISO date: only next_deadline < this
    owner: str | None = None
    search: str | None = None
    hits: tuple[str, ...] = ()
    in_hits: bool = False                  # only the cases in ``hits`` (matched beforehand)


def _access(f: CaseFilter, args: list) -> str:
    if f.actor is None:
        return "1"
    args.append(f.actor)
    return ("(NOT EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = cases.case_id) "
            "OR EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = cases.case_id "
            "AND m.user = ?))")


def _where(f: CaseFilter) -> tuple[str, list]:
    args: list[Any] = []
    parts = [_access(f, args)]
    if not f.include_closed and f.status not in CLOSED_STATUSES:
        parts.append("coalesce(status, '') NOT IN ('closed', 'gesloten')")
    if f.step:
        # A staff-route case is not at a Meldcode step: never under "stap 1".
        parts.append("coalesce(step, 0) = ? AND coalesce(route, '') != 'staff'")
        args.append(int(f.step))
    if f.status:
        parts.append("status = ?")
        args.append(f.status)
    if f.overdue_before:
        parts.append("coalesce(next_deadline, '') != '' AND next_deadline < ?")
        args.append(f.overdue_before)
    if f.owner is not None:
        parts.append("owner = ?")
        args.append(f.owner)
    if f.search is not None:
        parts.append("(instr(mc_lower(coalesce(pupil_name, '')), ?) > 0 "
                     "OR instr(mc_lower(case_id), ?) > 0 "
                     "OR case_id IN (SELECT value FROM json_each(?)))")
        args += [f.search, f.search, json.dumps(list(f.hits))]
    elif f.in_hits:
        parts.append("case_id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(list(f.hits)))
    return " AND ".join(parts), args


def case_page(conn: sqlite3.Connection, f: CaseFilter, sort: str = "next_deadline",
              offset: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """One page of the filtered, sorted case list (read-model rows)."""
    where, args = _where(f)
    order = SORT_SQL.get(sort, SORT_SQL["next_deadline"])
    cur = conn.execute(f"SELECT {_SELECT} FROM cases WHERE {where} ORDER BY {order} "
                       "LIMIT ? OFFSET ?", (*args, max(int(limit), 0), max(int(offset), 0)))
    return [_to_dict(r) for r in cur.fetchall()]


def case_count(conn: sqlite3.Connection, f: CaseFilter) -> int:
    where, args = _where(f)
    return conn.execute(f"SELECT count(*) FROM cases WHERE {where}", args).fetchone()[0]


def case_widths(conn: sqlite3.Connection, f: CaseFilter, today: str) -> dict[str, Any]:
    """For laying out the dashboard without reading its rows: over the filtered rows, the
    count and the longest text of each free-text column (characters), the distinct steps and
    statuses, and the longest deadline cell (``! `` mark when overdue, date, label)."""
    where, args = _where(f)
    row = conn.execute(
        "SELECT count(*), max(length(pupil_name) + CASE WHEN json_valid(extra) AND "
        "json_array_length(coalesce(json_extract(extra, '$.family'), '[]')) > 0 THEN 2 ELSE 0 END), "
        "max(length(group_name)), "
        "max(length(CASE WHEN lower(substr(group_name, 1, 6)) = 'groep ' "
        "THEN substr(group_name, 7) ELSE group_name END)), max(length(owner)), "
        "max(CASE WHEN coalesce(next_deadline, '') != '' THEN "
        "(CASE WHEN next_deadline < ? THEN 2 ELSE 0 END) + 10 + "
        "(CASE WHEN coalesce(next_deadline_label, '') != '' "
        "THEN 1 + length(next_deadline_label) ELSE 0 END) END), "
        "max(CASE WHEN coalesce(next_deadline, '') != '' THEN "
        "(CASE WHEN next_deadline < ? THEN 2 ELSE 0 END) END), "
        "max(coalesce(last_change_at, '') != ''), max(coalesce(date_of_birth, '') != ''), "
        "min(CASE WHEN coalesce(date_of_birth, '') != '' THEN date_of_birth END), "
        "json_group_array(DISTINCT coalesce(step, 0)), json_group_array(DISTINCT status) "
        f"FROM cases WHERE {where}", [today, today, *args]).fetchone()
    (n, pupil, group, group_short, owner, deadline, mark, changed, any_dob, oldest,
     steps, statuses) = row
    return {"count": n, "pupil": pupil or 0, "group": group or 0,
            "group_short": group_short or 0, "owner": owner or 0,
            "deadline": deadline or 0, "deadline_mark": mark, "changed": bool(changed),
            "dob": bool(any_dob), "oldest_dob": oldest,
            "steps": sorted(s for s in json.loads(steps) if s is not None),
            "statuses": sorted(s for s in json.loads(statuses) if s)}


def case_position(conn: sqlite3.Connection, f: CaseFilter, sort: str, case_id: str) -> int | None:
    """Where ``case_id`` stands (0-based) in the filtered, sorted list, or None if not in it."""
    where, args = _where(f)
    order = SORT_SQL.get(sort, SORT_SQL["next_deadline"])
    row = conn.execute(
        f"SELECT pos FROM (SELECT case_id, row_number() OVER (ORDER BY {order}) - 1 AS pos "
        f"FROM cases WHERE {where}) WHERE case_id = ?", (*args, case_id)).fetchone()
    return row[0] if row else None


def case_counts(conn: sqlite3.Connection, actor: str | None, today: str) -> dict[str, Any]:
    """One grouped query over the rows ``actor`` may see: ``total`` (all), ``open`` per step
    (not closed, Meldcode route), ``other_route`` (open staff-route cases), ``overdue`` (open
    with next_deadline < today), ``statuses`` present."""
    args: list[Any] = [today]
    where = _access(CaseFilter(actor=actor), args)
    # Grouped on the bare columns (no expression): about half the cost on 10,000 rows.
    rows = conn.execute(
        "SELECT step, status, route, count(*), "
        "sum(coalesce(next_deadline, '') != '' AND next_deadline < ?) "
        f"FROM cases WHERE {where} GROUP BY step, status, route", args).fetchall()
    out: dict[str, Any] = {"total": 0, "open": {}, "overdue": 0, "statuses": [], "other_route": 0}
    statuses = set()
    for step, status, route, n, late in rows:
        step, status = step or 0, status or ""
        out["total"] += n
        if status:
            statuses.add(status)
        if status not in CLOSED_STATUSES:
            if route == "staff":        # counted apart, not under a Meldcode step
                out["other_route"] += n
            else:
                out["open"][step] = out["open"].get(step, 0) + n
            out["overdue"] += late or 0
    out["statuses"] = sorted(statuses)
    return out


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
    """Remove indexed text of these events (after an erasure).

    ``seq`` is an UNINDEXED column of the FTS table: ``WHERE seq = ?`` scans every row (0.3 s
    on a board-sized file, per erased payload). FTS5 keeps the column values in its content
    table (``texts_content``: id = rowid, c0 text, c1 case_id, c2 seq), an ordinary table: an
    index on its ``c2`` finds the rowid at once. Made on the first erasure (one scan, in the
    erasure's transaction), kept up to date by SQLite from then on; no schema version needed."""
    conn.execute("CREATE INDEX IF NOT EXISTS texts_content_seq ON texts_content(c2)")
    for seq in seqs:
        conn.execute("DELETE FROM texts WHERE rowid IN "
                     "(SELECT id FROM texts_content WHERE c2 = ?)", (seq,))


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


def case_names(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(case_id, pupil_name) of every case (for matching names as typed)."""
    return [(r[0], r[1] or "") for r in conn.execute("SELECT case_id, pupil_name FROM cases")]


def _ranked_rowids(conn: sqlite3.Connection, query: str, limit: int) -> list[int]:
    """The full-text rowids matching ``query``, best first (``_SEARCH_SQL``); [] for no query."""
    match = fts_query(query)
    if match is None or limit <= 0:
        return []
    return [r[0] for r in conn.execute(_SEARCH_SQL, (match, RECENT_WINDOW, int(limit)))]


def search_case_ids(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[str]:
    """The case ids of ``search``'s hits, in its order, without building snippets."""
    ids = _ranked_rowids(conn, query, limit)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = dict(conn.execute(f"SELECT rowid, case_id FROM texts WHERE rowid IN ({marks})", ids))
    return list(dict.fromkeys(rows[i] for i in ids if i in rows))


def search(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[dict[str, Any]]:
    """Ranked hits ``{case_id, seq, snippet}``: every word of ``query`` must occur as a word
    prefix (accents and case ignored); bm25 ranks the newest ``RECENT_WINDOW`` matches.
    ``snippet`` is plain text (no markup) with ``…`` where it was cut."""
    ids = _ranked_rowids(conn, query, limit)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {r[0]: r[1:] for r in conn.execute(
        f"SELECT rowid, case_id, seq, text FROM texts WHERE rowid IN ({marks})", ids)}
    words = _WORD.findall(query)
    return [{"case_id": rows[i][0], "seq": rows[i][1], "snippet": snippet(rows[i][2], words)}
            for i in ids if i in rows]
