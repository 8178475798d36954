"""Read-only counts for the anonymous figures (domain/figures.py says what each one means).

Everything is counted in SQL over the journal (``events`` with their ``payloads``): kinds and
times always, a payload field only where the figure needs it (a signal's catalogue entry, a
consultation's kind, a decision, Veilig Thuis's feedback stage, a closing ground, a due date).
A payload erased by retention still counts, under the key ``?`` ("onbekend").

Nothing here writes: a board opens other schools' files with :func:`open_readonly`
(``mode=ro``, SQLCipher with the school's key) and calls :func:`collect` on that connection.
Rows leave this module as counts and day differences only: no case id, no name.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

from ..i18n import _
from .db import APPLICATION_ID, SCHEMA_VERSION, corrupt, translated, unreadable

# Case events only: case ids are "MC-nnnn" (the pseudo case ids 'beheer', 'toegang' and the
# teachers' concerns 'ZG-' are not cases). A range, so SQLite uses the case-id index.
_CASES = "e.case_id >= 'MC-' AND e.case_id < 'MC.'"

# Each counted event once, with its day (its payload's own date, else the day it was journalled)
# and the few payload fields the figures need, read here and nowhere else.
_EV = f"""
SELECT b.seq, b.case_id, b.kind, b.body IS NULL AS erased,
       coalesce(CASE WHEN b.kind = 'signal_recorded'
                       THEN nullif(json_extract(b.body, '$.observed_on'), '')
                     WHEN b.kind IN ('conversation_recorded', 'report_made', 'acute_report',
                                     'help_reviewed', 'consultation_recorded',
                                     'vt_feedback_recorded', 'follow_up_done',
                                     'staff_suspicion_routed')
                       THEN nullif(json_extract(b.body, '$.on'), '') END,
                substr(b.at, 1, 10)) AS day,
       CASE WHEN b.body IS NULL THEN '?'
            WHEN b.kind = 'signal_recorded' THEN
              coalesce(json_extract(b.body, '$.catalogue.catalogue_id') || ':'
                       || json_extract(b.body, '$.catalogue.signal_id'), '')
            WHEN b.kind = 'consultation_recorded' THEN json_extract(b.body, '$.kind')
            WHEN b.kind = 'decision_recorded' THEN
              (json_extract(b.body, '$.report_needed') = 1) || '/'
              || (json_extract(b.body, '$.help_possible') = 1)
            WHEN b.kind = 'vt_feedback_recorded' THEN coalesce(json_extract(b.body, '$.stage'), 'first')
            WHEN b.kind = 'case_closed' THEN json_extract(b.body, '$.grounds')
            WHEN b.kind = 'step_completed' THEN 'step' || json_extract(b.body, '$.step')
            WHEN b.kind = 'case_opened' THEN json_extract(b.body, '$.staff_suspicion') = 1
            WHEN b.kind = 'help_planned' THEN json_extract(b.body, '$.review_on')
            WHEN b.kind = 'help_reviewed' THEN json_extract(b.body, '$.next_review_on')
            WHEN b.kind = 'follow_up_agreed' THEN json_extract(b.body, '$.due_on')
            WHEN b.kind = 'follow_up_done' THEN json_extract(b.body, '$.target_seq')
       END AS key
FROM (SELECT e.seq, e.case_id, e.kind, e.at,
             CASE WHEN p.body IS NULL THEN NULL ELSE coalesce(f.body, p.body) END AS body
      FROM events e LEFT JOIN payloads p ON p.hash = e.payload_hash
                    LEFT JOIN temp.fixed f ON f.target = e.seq
      WHERE {_CASES} AND e.kind IN ('case_opened', 'case_reopened', 'conversation_recorded', 'exception_recorded',
  'report_made', 'acute_report', 'help_planned', 'help_reviewed', 'signal_recorded',
  'consultation_recorded', 'decision_recorded', 'vt_feedback_recorded', 'case_closed',
  'step_completed', 'follow_up_agreed', 'follow_up_done', 'staff_suspicion_routed')) b
"""

_COUNTS = """
SELECT CASE WHEN kind IN ('signal_recorded') THEN 'signal'
            WHEN kind = 'consultation_recorded' THEN 'consultation'
            WHEN kind = 'decision_recorded' THEN 'decision'
            WHEN kind = 'vt_feedback_recorded' THEN 'vt_feedback'
            WHEN kind = 'case_closed' THEN 'closed' ELSE 'activity' END,
       CASE kind WHEN 'case_opened' THEN 'opened' WHEN 'case_reopened' THEN 'reopened'
                 WHEN 'conversation_recorded' THEN 'conversation'
                 WHEN 'exception_recorded' THEN 'exception'
                 WHEN 'report_made' THEN 'report' WHEN 'acute_report' THEN 'acute'
                 WHEN 'help_planned' THEN 'help' ELSE coalesce(key, '?') END,
       substr(day, 1, 7), count(*)
FROM ev
WHERE day >= :start AND day < :end
  AND kind IN ('case_opened', 'case_reopened', 'conversation_recorded', 'exception_recorded',
               'report_made', 'acute_report', 'help_planned', 'signal_recorded',
               'consultation_recorded', 'decision_recorded', 'vt_feedback_recorded',
               'case_closed')
GROUP BY 1, 2, 3
UNION ALL
-- Cases on the staff route (suspicion against a member of staff), by the month they opened.
SELECT 'activity', 'staff_route', substr(o.day, 1, 7), count(*) FROM ev o
WHERE o.kind = 'case_opened' AND o.day >= :start AND o.day < :end
  AND (o.key = 1 OR EXISTS (SELECT 1 FROM ev r WHERE r.case_id = o.case_id
                            AND r.kind = 'staff_suspicion_routed'))
GROUP BY 3
"""

# A record as it stands after its corrections (record_corrected: each one's ``changes`` laid
# over the record in journal order, as the case's fold does); erased corrections are skipped.
_FIXED = f"""
WITH RECURSIVE c AS (
  SELECT json_extract(p.body, '$.target_seq') AS target, json_extract(p.body, '$.changes') AS ch,
         row_number() OVER (PARTITION BY json_extract(p.body, '$.target_seq') ORDER BY e.seq) AS n
  FROM events e JOIN payloads p ON p.hash = e.payload_hash
  WHERE {_CASES} AND e.kind = 'record_corrected'),
patched(target, body, n) AS (
  SELECT c.target, json_patch(p.body, c.ch), 1
  FROM c JOIN events t ON t.seq = c.target JOIN payloads p ON p.hash = t.payload_hash
  WHERE c.n = 1
  UNION ALL
  SELECT x.target, json_patch(x.body, c.ch), x.n + 1
  FROM patched x JOIN c ON c.target = x.target AND c.n = x.n + 1)
SELECT target, body FROM patched x
WHERE n = (SELECT max(n) FROM c WHERE c.target = x.target)
"""

# From a case's first signal (else its opening) to the first time each milestone was reached.
_DURATIONS = """
WITH first AS (
  SELECT case_id, coalesce(min(CASE WHEN kind = 'signal_recorded' THEN day END),
                           min(CASE WHEN kind = 'case_opened' THEN day END)) AS day
  FROM ev WHERE kind IN ('signal_recorded', 'case_opened') GROUP BY case_id),
reached AS (
  SELECT case_id, key AS milestone, min(day) AS day
  FROM ev WHERE kind = 'step_completed' AND NOT erased GROUP BY 1, 2
  UNION ALL
  SELECT case_id, 'decision', min(day) FROM ev WHERE kind = 'decision_recorded' GROUP BY 1
  UNION ALL
  SELECT case_id, 'report', min(day) FROM ev WHERE kind IN ('report_made', 'acute_report')
  GROUP BY 1)
SELECT r.milestone, max(0, CAST(julianday(r.day) - julianday(f.day) AS INTEGER))
FROM reached r JOIN first f ON f.case_id = r.case_id
WHERE r.day >= :start AND r.day < :end AND f.day IS NOT NULL
"""

# Deadlines with the day they were met (NULL: not met). VT feedback gives the melding's day
# (the due day is 5 working days later: domain/deadlines.py knows the holidays).
_DEADLINES = """
SELECT 'vt_feedback', r.day,
       (SELECT min(f.day) FROM ev f WHERE f.case_id = r.case_id
          AND f.kind = 'vt_feedback_recorded' AND f.seq > r.seq)
FROM ev r WHERE r.kind = 'report_made'
UNION ALL
SELECT 'help_review', h.key,
       (SELECT f.day FROM ev f WHERE f.case_id = h.case_id AND f.kind = 'help_reviewed'
          AND f.seq > h.seq ORDER BY f.seq LIMIT 1)
FROM ev h WHERE h.kind IN ('help_planned', 'help_reviewed') AND NOT h.erased
  AND coalesce(h.key, '') != ''
UNION ALL
SELECT 'follow_up', a.key,
       (SELECT min(d.day) FROM ev d WHERE d.case_id = a.case_id AND d.kind = 'follow_up_done'
          AND d.key = a.seq)
FROM ev a WHERE a.kind = 'follow_up_agreed' AND NOT a.erased
"""


def collect(conn: Any, start: str, end: str) -> dict[str, Any]:
    """Counts of one school between ``start`` and ``end`` (ISO days, end excluded), read in
    one snapshot: ``counts`` {(measure, key, month): n}, ``durations`` {milestone: [days]},
    ``deadlines`` [(kind, day, met)] (all deadlines: the domain picks the period's)."""
    args = {"start": start, "end": end}
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        # The counted events once, in a temporary table in memory (temp_store = MEMORY) with an
        # index per case: the per-case look-ups below (staff route, deadlines) stay cheap. The
        # school's file is not written (a read-only connection can still hold temp tables).
        conn.execute("DROP TABLE IF EXISTS temp.ev")
        conn.execute("DROP TABLE IF EXISTS temp.fixed")
        conn.execute("CREATE TEMP TABLE fixed (target INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO temp.fixed " + _FIXED)
        conn.execute("CREATE TEMP TABLE ev AS " + _EV)
        conn.execute("CREATE INDEX temp.ev_case ON ev(case_id, kind, seq)")
        counts: dict[tuple[str, str, str], int] = {}
        for measure, key, month, n in conn.execute(_COUNTS, args):
            k = (measure, str(key if key is not None else "?"), month)
            counts[k] = counts.get(k, 0) + n
        durations: dict[str, list[int]] = {}
        for milestone, days in conn.execute(_DURATIONS, args):
            durations.setdefault(milestone, []).append(int(days))
        deadlines = [(k, d, m) for k, d, m in conn.execute(_DEADLINES) if d]
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.ev")
        conn.execute("DROP TABLE IF EXISTS temp.fixed")
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
    return {"counts": counts, "durations": durations, "deadlines": deadlines}


def open_readonly(path: str | Path, key: str | None = None) -> Any:
    """Another school's database, read-only (``mode=ro``: nothing is written, not even a
    migration), encrypted ones with their key. Refuses a file that is not a Meldcode database
    or is newer than this version, with a Dutch line."""
    from . import crypto
    from ..errors import DatabaseMissing

    path = Path(path).expanduser()
    if not path.exists():
        raise DatabaseMissing(_("Database {path} bestaat niet.", path=path))
    if not path.is_file():
        raise unreadable(path)
    if key is None and not crypto.looks_plain(path):
        raise crypto.KeyError_(_("Database {path} is versleuteld (of beschadigd) en er is geen "
                                 "sleutel opgegeven.", path=path))
    uri = "file:" + urllib.parse.quote(str(path.absolute())) + "?mode=ro"
    with translated(path):
        try:
            if key is None:
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                conn = crypto.connect(uri, key, uri=True, check_same_thread=False)
        except crypto.error_classes() as exc:
            raise unreadable(path) from exc
    try:
        with translated(path):
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            except crypto.error_classes() as exc:
                if key is not None and "not a database" in str(exc).lower():
                    raise crypto.wrong_key(path) from None
                raise
            if app_id != APPLICATION_ID or version < 1 or version > SCHEMA_VERSION:
                raise corrupt(path)
            conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    return conn
