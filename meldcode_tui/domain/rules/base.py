"""What every area's rules share: the :data:`RULES` registry (rule id -> Dutch text), the per-kind
registries the areas fill, :func:`violation`, and the readings of a case that more than one area
(and the guide) asks about: is it unsafe, may it be reported, which feedback is due.

Areas import this module and nothing else of the package, so the package has no import circle.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from ...errors import RuleViolation
from ...i18n import N_, _
from ..care_team import COORDINATOR_ROLES, DEFAULT_POLICY, CareTeamPolicy, role_label
from ..case import CaseState
from ..payload import missing_words
from ..vocabulary import field_name

# Rule id -> what the rule says (Dutch; translate at use). Every id has a test named after it
# (tests/domain/test_rules.py), and every id raised anywhere in the code is one of these.
RULES: dict[str, str] = {}

# Kind -> the area's check, called as ``check(state, payload, today, replay=..., policy=...)``
# after the checks every kind goes through (exists, not erased, not closed, step order).
HANDLERS: dict[str, Callable[..., None]] = {}

# Kind -> payload fields that date something that happened (so they must not be after today).
PAST_DATES: dict[str, tuple[str, ...]] = {}


def register_rules(table: dict[str, str]) -> None:
    """Add an area's rule ids; an id belongs to one area only."""
    twice = RULES.keys() & table.keys()
    if twice:
        raise ValueError(f"rule ids registered twice: {sorted(twice)}")
    RULES.update(table)


def handles(kind: str, *, past_dates: tuple[str, ...] = ()):
    """Register the decorated function as the area's check of ``kind``."""
    def register(fn):
        if kind in HANDLERS:
            raise ValueError(f"two rule checks for {kind}")
        HANDLERS[kind] = fn
        dated(kind, *past_dates)
        return fn
    return register


def dated(kind: str, *fields: str) -> None:
    """``fields`` of ``kind`` date something that happened (``date_not_in_future``)."""
    if fields:
        PAST_DATES[kind] = fields


def violation(rule: str, message: str, hint: str | None = None) -> RuleViolation:
    return RuleViolation(rule, message, hint=hint)


def as_date(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# --------------------------------------------------------------------------- dates on record

register_rules({
    "date_not_in_future": N_("Een datum van iets dat gebeurd is ligt niet in de toekomst."),
    "date_not_before_birth": N_("Wat is vastgelegd, gebeurde niet vóór de geboorte van de leerling."),
})

# Payload fields that hold the date of something in the case (a correction changes them too).
EVENT_DATE_FIELDS = ("observed_on", "on", "review_on", "due_on", "next_review_on")


def check_past_dates(kind: str, payload: dict, today: date) -> None:
    """``date_not_in_future``: the school's protocol, stap 1, has the signals, conversations, steps
    and decisions recorded as they happened ("Hij legt de signalen vast, evenals (de uitkomsten
    van) de gesprekken ..."): a date after today is a typo or a guess."""
    for f in PAST_DATES.get(kind, ()):
        if payload.get(f) and as_date(payload[f]) > today:
            raise violation("date_not_in_future",
                            _("De datum in '{field}' ligt in de toekomst.", field=field_name(f)),
                            _("Leg vast wat gebeurd is, met de datum waarop het gebeurde."))


def check_not_before_birth(state: CaseState, kind: str, payload: dict) -> None:
    """``date_not_before_birth``: an event dated before the pupil was born is a typo."""
    dob = getattr(getattr(state, "pupil", None), "date_of_birth", None)
    if not dob:
        return
    born = as_date(dob)
    values = dict(payload)
    if kind == "record_corrected":
        values = dict(payload.get("changes") or {})
    for f in EVENT_DATE_FIELDS:
        value = values.get(f)
        if isinstance(value, str) and value:
            try:
                when = as_date(value)
            except ValueError:
                continue  # the validator reports a malformed date
            if when < born:
                raise violation("date_not_before_birth",
                                _("De datum in '{field}' ligt vóór de geboortedatum van de leerling.",
                                  field=field_name(f)),
                                _("Controleer de datum."))


def check_reason(payload: dict, rule: str, min_len: int, field: str = "reason", min_words: int = 0) -> None:
    value = payload.get(field)
    if not isinstance(value, str) or len(" ".join(value.split())) < min_len:
        raise violation(rule, _("Schrijf een reden op van minstens {n} tekens.", n=min_len),
                        _("Een reden zegt waarom; alleen spaties of een enkel woord is niet genoeg."))
    if min_words and (missing := missing_words(value, min_words)):
        raise violation(rule, _("Schrijf de reden in woorden: {missing}.", missing=missing),
                        _("Schrijf in minstens {n} woorden waarom deze uitzondering nodig is.", n=min_words))


# --------------------------------------------------------------------------- zorgteam roles

def check_roles_accepted(roles: list, policy: CareTeamPolicy, *,
                         extra: tuple[str, ...] = ()) -> None:
    """``care_team_role_accepted``: the school's protocol, stap 2, names the zorgteam's roles
    (leerkracht, interne vertrouwenspersoon, ondersteuningscoach, schoolleider); other schools of
    a board name their own (``[zorgteam] roles``). A role the school does not know is refused;
    the built-in roles stay valid so older records and cases from another school still read."""
    accepted = (*extra, *policy.accepted())
    for i, role in enumerate(roles):
        if role not in accepted:
            raise violation("care_team_role_accepted",
                            _("Rol {n} ('{role}') is geen rol die de school kent.",
                              n=i + 1, role=role_label(role)),
                            _("Mogelijke rollen: {roles}.",
                              roles=", ".join(role_label(r) for r in dict.fromkeys(accepted))))


def check_decider_roles(payload: dict, policy: CareTeamPolicy = DEFAULT_POLICY) -> None:
    """Who is named as having decided carries a zorgteam role or the coordinator's
    (``care_team_role_accepted``; whether those people may decide is ``decision_makers``)."""
    check_roles_accepted([m.get("role") for m in payload.get("decided_by") or []], policy,
                         extra=COORDINATOR_ROLES)


# --------------------------------------------------------------------------- readings of a case

def disclosures(state: CaseState) -> list:
    """Signals that are the pupil's own disclosure: the child telling it counts as acute or
    structural unsafety straight away (afwegingskader, vraag 2)."""
    return [s for s in state.signals if s.get("disclosure")]


def unsafe(state: CaseState) -> bool:
    """Acute and/or structural unsafety on record: question 2 yes or doubt, or an acute report."""
    return state.answer(2) in ("yes", "doubt") or bool(state.acute_reports) or bool(disclosures(state))


def report_allowed(state: CaseState) -> bool:
    """Whether the weighing or decision calls for a report (now or after all)."""
    if state.answer(2) in ("yes", "doubt") or state.acute_reports or disclosures(state):
        return True
    if state.decision is not None and state.decision.get("report_needed"):
        return True
    if state.answer(5) == "no":
        return True
    return any(r.get("violence_continues") for r in state.help_reviews)


def exception_after_last_report(state: CaseState):
    """``report_without_contact`` recorded after the last written melding (a re-report needs its
    own contact beforehand, or its own exception)."""
    rec = state.exception("report_without_contact")
    after = state.reports[-1].seq if state.reports else 0
    return rec if rec is not None and rec.seq > after else None


def feedback_stage_due(state: CaseState) -> str:
    """Which Veilig Thuis feedback the latest melding waits for: "first" until a first feedback
    after it is on record, then "final" (also after the final one: a correction is the way to
    change it). The form's default follows this, so a re-report starts the cycle over."""
    meldingen = state.meldingen
    if not meldingen:
        return "first"
    last = meldingen[-1]
    if any(fb.seq > last.seq and fb.get("stage", "first") == "first" for fb in state.vt_feedback):
        return "final"
    return "first"


def report_outcome(state: CaseState) -> tuple[Any, Any, Any]:
    """After the latest report (written or acute): ``(report, final_feedback, evaluation)``, the
    Veilig Thuis final feedback after it and the school's evaluation after that (None where
    missing). Veilig Thuis reports back within 5 working days and again at the end of its
    involvement (Veilig Thuis for professionals; DOMAIN.md "After the report")."""
    reports = state.meldingen
    if not reports:
        return None, None, None
    last = max(reports, key=lambda r: r.seq)
    final = next((fb for fb in reversed(state.vt_feedback)
                  if fb.seq > last.seq and fb.get("stage") == "final"), None)
    evaluation = None
    if final is not None:
        evaluation = next((ev for ev in reversed(state.school_evaluations) if ev.seq > final.seq), None)
    return last, final, evaluation
