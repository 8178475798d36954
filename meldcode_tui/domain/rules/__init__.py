"""The Meldcode rules: may this event be added to this case now?

``check(state, kind, payload, today)`` raises :class:`RuleViolation` (``rule`` = a stable rule id
from :data:`RULES`, a Dutch message and a hint saying what would make it possible) or returns
None. ``payload`` is the normalised payload from :func:`events.validate`.

``check_history(events)`` re-validates a whole case journal event by event (used for
corrections, imports and the demo data).

Each area of the protocol has its module (``case_file``, ``signals``, ``consultation``,
``conversations``, ``weighing``, ``help``, ``reporting``, ``staff_route``, ``family``,
``privacy``): its rule ids with their Dutch text, and its checks registered per kind.
``base`` holds what they share; this module runs the checks every kind goes through, in order,
then the kind's own.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Iterable

from ..care_team import DEFAULT_POLICY, CareTeamPolicy
from ..case import CaseState, Event, extend, fold
from ..events import AUDIT_KINDS, KINDS, validate
# Each area registers its rule ids and its checks when imported.
from . import (case_file, consultation, conversations, family, help, privacy,  # noqa: F401
               reporting, signals, staff_route, weighing)
from .base import (HANDLERS, RULES, as_date, check_not_before_birth, check_past_dates, disclosures,
                   exception_after_last_report, feedback_stage_due, report_allowed, report_outcome,
                   unsafe, violation)
from .case_file import MAX_PUPIL_AGE
from .conversations import EXCEPTION_GROUNDS
from .privacy import PRIVACY_KINDS
from .weighing import _check_decision_makers

__all__ = ["RULES", "PRIVACY_KINDS", "EXCEPTION_GROUNDS", "MAX_PUPIL_AGE", "check", "check_history",
           "violation", "unsafe", "disclosures", "report_allowed", "feedback_stage_due",
           "report_outcome", "exception_after_last_report", "_check_decision_makers"]


def check(state: CaseState, kind: str, payload: dict, today: date, *, replay: bool = False,
          policy: CareTeamPolicy = DEFAULT_POLICY) -> None:
    """Raise RuleViolation when the protocol does not allow ``kind`` with ``payload`` now.
    ``policy`` is the school's zorgteam policy (the service's ``care_team_policy``)."""
    if kind == "case_opened":
        return case_file.check_opened(state, payload, today, replay)
    case_file.check_exists(state)
    if kind in AUDIT_KINDS or kind == "case_imported":
        return
    privacy.check_not_erased(state)
    if kind in PRIVACY_KINDS:
        return privacy.check_privacy(state, kind, payload, today, replay)
    check_not_before_birth(state, kind, payload)
    if kind == "case_reopened":
        return case_file.check_reopened(state, payload)
    case_file.check_not_closed(state)
    if not replay:
        check_past_dates(kind, payload, today)
    staff_route.check_meldcode_kind(state, kind)
    if kind == "record_corrected":
        return case_file.check_correction(state, payload, today,
                                          history=lambda events: check_history(events, policy=policy))
    if kind == "case_closed":
        return case_file.check_close(state, payload, today, replay)
    weighing.check_step_order(state, kind, payload, policy)
    handler = HANDLERS.get(kind)
    if handler is not None:
        handler(state, payload, today, replay=replay, policy=policy)


def check_history(events: Iterable[Any], *, strict_dates: bool = False,
                  policy: CareTeamPolicy = DEFAULT_POLICY) -> CaseState:
    """Re-validate a case journal in order, with corrections applied to what they target.

    Raises the first RuleViolation/InputError. Time-relative checks (dates not in the future,
    review dates after today) use each event's own timestamp when ``strict_dates``, else are
    skipped (a correction may legitimately change a date later).
    """
    events = sorted(events, key=lambda e: e.seq)
    current = fold(events).records_by_seq
    state = CaseState()
    for ev in events:
        if ev.kind == "record_corrected" or ev.kind not in KINDS or ev.payload is None:
            continue
        payload = current[ev.seq].payload if ev.seq in current else ev.payload
        payload = validate(ev.kind, payload)
        day = datetime.fromisoformat(ev.at.replace("Z", "+00:00")).date()
        if ev.kind in ("help_planned",) and not strict_dates:
            # The review date was in the future when the plan was written.
            day = min(day, as_date(payload["review_on"]) - timedelta(days=1))
        check(state, ev.kind, payload, day, replay=not strict_dates, policy=policy)
        extend(state, Event(ev.seq, ev.at, ev.actor, ev.case_id, ev.kind, payload))
    return fold(events)
