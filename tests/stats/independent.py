"""The figures counted again, independently of the SQL: a plain walk over the journal's events
(``store.events()``) with the definitions written out in Python (domain/figures.py's docstring)."""

from __future__ import annotations

from meldcode_tui.domain.figures import Counts

ACTIVITY_KINDS = {"case_opened": "opened", "case_reopened": "reopened",
                  "conversation_recorded": "conversation", "exception_recorded": "exception",
                  "report_made": "report", "acute_report": "acute", "help_planned": "help"}


def _day(e) -> str:
    p = e.payload or {}
    return (p.get("on") or p.get("observed_on") or e.at[:10])[:10]


def _corrected(events):
    """Each record as it stands after its corrections (the case fold's apply_changes)."""
    import dataclasses

    from meldcode_tui.domain.case import apply_changes

    current = {e.seq: e for e in events}
    for e in events:
        if e.kind == "record_corrected" and e.payload is not None:
            target = current.get(e.payload["target_seq"])
            if target is not None and target.payload is not None:
                current[target.seq] = dataclasses.replace(
                    target, payload=apply_changes(target.payload, e.payload["changes"]))
    return [current[e.seq] for e in events]


def count(events, start: str, end: str) -> Counts:
    events = _corrected([e for e in events if e.case_id.startswith("MC-")])
    counts: dict = {}

    def add(measure, key, day):
        if start <= day < end:
            k = (measure, key, day[:7])
            counts[k] = counts.get(k, 0) + 1

    routed = {e.case_id for e in events if e.kind == "staff_suspicion_routed"}
    for e in events:
        p, day = e.payload, _day(e)
        if e.kind in ACTIVITY_KINDS:
            add("activity", ACTIVITY_KINDS[e.kind], day)
        if e.kind == "case_opened" and ((p or {}).get("staff_suspicion") or e.case_id in routed):
            add("activity", "staff_route", day)
        elif e.kind == "signal_recorded":
            cat = None if p is None else p.get("catalogue")
            add("signal", "?" if p is None else "" if not cat else f"{cat['catalogue_id']}:{cat['signal_id']}", day)
        elif e.kind == "consultation_recorded":
            add("consultation", "?" if p is None else p["kind"], day)
        elif e.kind == "decision_recorded":
            add("decision", "?" if p is None else f"{int(bool(p['report_needed']))}/{int(bool(p['help_possible']))}", day)
        elif e.kind == "vt_feedback_recorded":
            add("vt_feedback", "?" if p is None else p.get("stage") or "first", day)
        elif e.kind == "case_closed":
            add("closed", "?" if p is None else p["grounds"], day)
    # durations
    by_case: dict[str, list] = {}
    for e in events:
        by_case.setdefault(e.case_id, []).append(e)
    durations: dict[str, list[int]] = {}
    from datetime import date

    for evs in by_case.values():
        signals = [_day(e) for e in evs if e.kind == "signal_recorded"]
        opened = [_day(e) for e in evs if e.kind == "case_opened"]
        first = min(signals) if signals else (min(opened) if opened else None)
        if first is None:
            continue
        reached: dict[str, str] = {}
        for e in evs:
            name = None
            if e.kind == "step_completed" and e.payload is not None:
                name = f"step{e.payload['step']}"
            elif e.kind == "decision_recorded":
                name = "decision"
            elif e.kind in ("report_made", "acute_report"):
                name = "report"
            if name and (name not in reached or _day(e) < reached[name]):
                reached[name] = _day(e)
        for name, day in reached.items():
            if start <= day < end:
                durations.setdefault(name, []).append(
                    max(0, (date.fromisoformat(day) - date.fromisoformat(first)).days))
    # deadlines
    deadlines = []
    for evs in by_case.values():
        for e in evs:
            later = [f for f in evs if f.seq > e.seq]
            if e.kind == "report_made":
                met = [_day(f) for f in later if f.kind == "vt_feedback_recorded"]
                deadlines.append(("vt_feedback", _day(e), min(met) if met else None))
            elif e.kind in ("help_planned", "help_reviewed") and e.payload is not None:
                due = e.payload.get("review_on" if e.kind == "help_planned" else "next_review_on")
                if due:
                    met = [_day(f) for f in later if f.kind == "help_reviewed"]
                    deadlines.append(("help_review", due, met[0] if met else None))
            elif e.kind == "follow_up_agreed" and e.payload is not None:
                met = [_day(f) for f in evs if f.kind == "follow_up_done"
                       and (f.payload or {}).get("target_seq") == e.seq]
                deadlines.append(("follow_up", e.payload["due_on"], min(met) if met else None))
    return Counts(counts, durations, deadlines)
