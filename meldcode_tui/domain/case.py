"""CaseState: what a case is now, folded from its events.

``fold(events)`` takes the events of ONE case in seq order (:class:`Event`, or anything with
``seq, at, actor, case_id, kind, payload``) and returns a :class:`CaseState`. Corrections
(``record_corrected``) never overwrite: each :class:`Record` shows its current (corrected)
payload and keeps ``original`` and ``corrections``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from .ages import age_on as _age_on
from .ages import contact_satisfies


@dataclass
class Correction:
    seq: int
    at: str
    actor: str
    changes: dict
    reason: str


@dataclass
class Record:
    """One recorded event of the case with its current (corrected) payload."""

    seq: int
    at: str
    actor: str
    kind: str
    payload: dict
    original: dict
    corrections: list[Correction] = field(default_factory=list)
    erased: bool = False

    def __getitem__(self, key: str) -> Any:
        return self.payload[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.payload.get(key, default)

    @property
    def corrected(self) -> bool:
        return bool(self.corrections)

    @property
    def on(self) -> str:
        """The date the record is about: its own date field, else the day it was written."""
        for key in ("on", "observed_on", "due_on"):
            if self.payload.get(key):
                return self.payload[key]
        return self.at[:10]


@dataclass
class Pupil:
    name: str = ""
    date_of_birth: str = ""
    group: str = ""
    pupil_number: str = ""
    address: str = ""
    gender: str = ""


# The one event type of the code base: the store builds it from its rows (it imports it from
# here, the domain being the lower layer), the transfer file's parser and the rules' replays too.
@dataclass(frozen=True)
class Event:
    """One journal event. The chain fields (``payload_hash``, ``prev_hash``, ``hash``) are empty
    for a record that is not appended yet; ``case_prev`` is set only in a transfer file."""

    seq: int
    at: str
    actor: str
    case_id: str
    kind: str
    payload: dict | None     # None when erased (retention)
    payload_hash: str = ""
    prev_hash: str = ""
    hash: str = ""
    # In a transfer file: the hash of the previous event *of this case* in the file ("" first).
    case_prev: str = ""


@dataclass
class CaseState:
    case_id: str = ""
    pupil: Pupil = field(default_factory=Pupil)
    parents: list[dict] = field(default_factory=list)
    owner: str = ""
    opened_at: str = ""
    note: str = ""
    staff_suspicion: bool = False
    steps_completed: list[int] = field(default_factory=list)
    step_records: dict[int, Record] = field(default_factory=dict)
    signals: list[Record] = field(default_factory=list)
    consultations: list[Record] = field(default_factory=list)
    care_team: list[dict] = field(default_factory=list)
    care_team_records: list[Record] = field(default_factory=list)
    conversations: list[Record] = field(default_factory=list)
    exceptions: list[Record] = field(default_factory=list)
    weighing: dict[int, Record] = field(default_factory=dict)
    decisions: list[Record] = field(default_factory=list)
    help_plans: list[Record] = field(default_factory=list)
    help_reviews: list[Record] = field(default_factory=list)
    pre_report_contacts: list[Record] = field(default_factory=list)
    reports: list[Record] = field(default_factory=list)
    acute_reports: list[Record] = field(default_factory=list)
    vt_feedback: list[Record] = field(default_factory=list)
    school_evaluations: list[Record] = field(default_factory=list)
    staff_route_records: list[Record] = field(default_factory=list)
    follow_ups: list[Record] = field(default_factory=list)
    follow_ups_done: dict[int, Record] = field(default_factory=dict)
    route: Record | None = None
    closures: list[Record] = field(default_factory=list)
    reopenings: list[Record] = field(default_factory=list)
    open_close_history: list[Record] = field(default_factory=list)
    views: list[Record] = field(default_factory=list)
    exports: list[Record] = field(default_factory=list)
    household_records: list[Record] = field(default_factory=list)
    professional_records: list[Record] = field(default_factory=list)
    ended: set[int] = field(default_factory=set)      # seqs of household members/professionals gone
    linked_cases: dict[str, str] = field(default_factory=dict)   # other case id -> relation
    references: list[Record] = field(default_factory=list)
    body_marks: list[Record] = field(default_factory=list)
    attachments: list[Record] = field(default_factory=list)
    corrections: list[Record] = field(default_factory=list)
    records_by_seq: dict[int, Record] = field(default_factory=dict)
    last_change_at: str = ""
    last_seq: int = 0
    imported_from: dict | None = None
    # Data protection: the leaving date, inzage and the parents' view, kept apart from the steps.
    departures: list[Record] = field(default_factory=list)
    inzage: list[Record] = field(default_factory=list)
    zienswijzen: list[Record] = field(default_factory=list)
    erasure_records: list[Record] = field(default_factory=list)

    @property
    def left_on(self) -> str | None:
        """The pupil's leaving date (the last one recorded, as corrected), or None."""
        days = [r.get("on") for r in self.departures if r.get("on")]
        return days[-1] if days else None

    # ----------------------------------------------------------------- derived

    @property
    def exists(self) -> bool:
        return bool(self.opened_at)

    @property
    def household(self) -> list[Record]:
        """The people in the pupil's life now (added, not left), with corrections applied."""
        return [r for r in self.household_records if r.seq not in self.ended and not r.erased]

    @property
    def professionals(self) -> list[Record]:
        return [r for r in self.professional_records if r.seq not in self.ended and not r.erased]

    @property
    def step(self) -> int:
        """The current step: the first one not completed (5 when all are)."""
        for n in range(1, 6):
            if n not in self.steps_completed:
                return n
        return 5

    @property
    def all_steps_completed(self) -> bool:
        return all(n in self.steps_completed for n in range(1, 6))

    @property
    def closed(self) -> bool:
        return bool(self.open_close_history) and self.open_close_history[-1].kind == "case_closed"

    @property
    def closure(self) -> Record | None:
        return self.closures[-1] if self.closed else None

    @property
    def staff_route(self) -> bool:
        """The case is (to be) handled outside the Meldcode: suspicion against staff."""
        return self.staff_suspicion or self.route is not None

    @property
    def status(self) -> str:
        """Dutch status shown in the UI: open, hulp, gemeld, gesloten, doorverwezen."""
        if self.closed:
            return "gesloten"   # also a routed case, once the school is done with it
        if self.staff_route:
            return "doorverwezen"
        if self.has_report:
            return "gemeld"
        if self.acute_reports:
            return "acuut"     # acute help was called (112, police, huisarts): not (yet) a melding
        if self.help_plans:
            return "hulp"
        return "open"

    @property
    def vt_acute_reports(self) -> list[Record]:
        """Acute records that include a melding at Veilig Thuis by phone."""
        return [r for r in self.acute_reports if acute_is_melding(r.payload)]

    @property
    def emergency_calls(self) -> list[Record]:
        """Acute records of help called now (112, police, huisarts) without Veilig Thuis."""
        return [r for r in self.acute_reports if not acute_is_melding(r.payload)]

    @property
    def meldingen(self) -> list[Record]:
        """The reports at Veilig Thuis, in journal order: the written melding (``report_made``) and
        the acute melding by phone to Veilig Thuis. A call to 112, the police or the huisarts
        protects the child now but is no melding: only Veilig Thuis investigates and follows the
        family (Veilig Thuis, "Melden" for professionals, https://vooreenveiligthuis.nl/professional/:
        a melding is made at Veilig Thuis, by phone 0800-2000 or its form; the Basismodel
        meldcode step 5: "melden bij Veilig Thuis")."""
        return sorted([*self.reports, *self.vt_acute_reports], key=lambda r: r.seq)

    @property
    def has_report(self) -> bool:
        """A melding at Veilig Thuis is on record (written, or acute by phone to Veilig Thuis)."""
        return bool(self.reports) or any(acute_is_melding(r.payload) for r in self.acute_reports)

    @property
    def melding_needed_after_emergency(self) -> Record | None:
        """The latest emergency call (112, police, huisarts) with no melding at Veilig Thuis
        after it: the school still has to report to Veilig Thuis, the same day."""
        return last_unsettled(self.emergency_calls, self.meldingen)

    @property
    def decision(self) -> Record | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def help_plan(self) -> Record | None:
        return self.help_plans[-1] if self.help_plans else None

    @property
    def members(self) -> list[str]:
        """User names that may see the case: the owner plus care-team members with a user."""
        names = [self.owner] if self.owner else []
        for m in self.care_team:
            user = (m.get("user") or "").strip()
            if user and user not in names:
                names.append(user)
        return names

    def age_on(self, on: date | str) -> int | None:
        if not self.pupil.date_of_birth:
            return None
        return _age_on(self.pupil.date_of_birth, on)

    def answer(self, question: int) -> str | None:
        rec = self.weighing.get(question)
        return rec["answer"] if rec else None

    def exception(self, name: str) -> Record | None:
        for rec in reversed(self.exceptions):
            if rec.get("exception") == name:
                return rec
        return None

    def valid_conversations(self, participant: str | None = None) -> list[Record]:
        """Conversations that followed the four elements (and include ``participant``)."""
        out = []
        for rec in self.conversations:
            if not conversation_complete(rec.payload):
                continue
            if participant and participant not in rec.get("participants", []):
                continue
            out.append(rec)
        return out

    @property
    def concern_removed(self) -> bool:
        return any(rec.get("concern_removed") for rec in self.valid_conversations())

    def contact_ok_for_report(self, report_on: date | str) -> bool:
        """A pre-report contact that meets the age rule on its date exists - after the last written
        melding, so a re-report is discussed again (the contact was about the earlier melding)."""
        after = self.reports[-1].seq if self.reports else 0
        for rec in self.pre_report_contacts:
            if not rec.get("on") or rec.seq < after:
                continue
            age = self.age_on(rec["on"])
            if age is not None and contact_satisfies(age, rec.get("with", [])):
                return True
        return False

    def open_follow_ups(self) -> list[Record]:
        return [r for r in self.follow_ups if r.seq not in self.follow_ups_done]

    @property
    def conversation_danger_signals(self) -> list[Record]:
        """Signals of a form where talking with the parents may endanger the child (sexual
        abuse, honour-related violence, female genital mutilation): the catalogue category's
        flag recorded with the signal, or the signal marked so itself (e.g. the child's own
        account). The school's protocol, step 3 "Geen gesprek met de cliënt/dader"."""
        return [r for r in self.signals if not r.erased and not r.get("contradicting") and (
            r.get("conversation_danger") is True
            or (isinstance(r.get("catalogue"), dict) and r["catalogue"].get("conversation_danger") is True))]

    @property
    def veilig_thuis_consulted(self) -> bool:
        """Veilig Thuis (or its vertrouwensarts) was consulted, or a melding made."""
        return self.has_report or any(c.get("kind") in ("veilig_thuis_advice", "vertrouwensarts")
                                      for c in self.consultations)

    def signals_supporting(self) -> list[Record]:
        return [r for r in self.signals if not r.get("contradicting")]

    def signals_contradicting(self) -> list[Record]:
        return [r for r in self.signals if r.get("contradicting")]


VT_PHONE = "veilig_thuis_phone"


def last_unsettled(records: list[Record], settled_by: Iterable[Record]) -> Record | None:
    """The last of ``records`` (in journal order), unless one of ``settled_by`` was recorded
    after it: an emergency call not yet followed by a melding, a notice not yet by a date."""
    if not records:
        return None
    last = records[-1]
    return None if any(r.seq > last.seq for r in settled_by) else last


def acute_is_melding(payload: dict) -> bool:
    """An acute record is a melding only when Veilig Thuis was called (old records too: their
    ``reported_to`` is the same list)."""
    return VT_PHONE in (payload.get("reported_to") or [])


def conversation_complete(payload: dict) -> bool:
    """The four elements: purpose explained, facts presented, reaction invited, and
    interpretation only after the reaction."""
    return all(bool(payload.get(k)) for k in ("purpose_explained", "facts_presented", "reaction_invited")) and (
        bool(payload.get("interpretation_after_reaction"))
        or bool((payload.get("interpretation_not_needed") or "").strip()))   # the protocol's "zo nodig"


_LISTS = {
    "signal_recorded": "signals",
    "consultation_recorded": "consultations",
    "conversation_recorded": "conversations",
    "exception_recorded": "exceptions",
    "decision_recorded": "decisions",
    "help_planned": "help_plans",
    "help_reviewed": "help_reviews",
    "pre_report_contact_recorded": "pre_report_contacts",
    "report_made": "reports",
    "acute_report": "acute_reports",
    "vt_feedback_recorded": "vt_feedback",
    "school_evaluation_recorded": "school_evaluations",
    "staff_route_recorded": "staff_route_records",
    "follow_up_agreed": "follow_ups",
    "case_viewed": "views",
    "case_exported": "exports",
    "record_corrected": "corrections",
    "attachment_added": "attachments",
    "household_member_added": "household_records",
    "professional_added": "professional_records",
    "reference_recorded": "references",
    "body_mark_recorded": "body_marks",
    "pupil_left": "departures", "inzage_decided": "inzage",
    "zienswijze_recorded": "zienswijzen", "case_erased": "erasure_records",
}


def apply_changes(payload: dict, changes: dict) -> dict:
    out = copy.deepcopy(payload)
    for key, value in changes.items():
        out[key] = copy.deepcopy(value)
    return out


def fold(events: Iterable[Any]) -> CaseState:
    """Fold the events of one case (seq order) into its current state."""
    events = sorted(events, key=lambda e: e.seq)
    state = CaseState()
    # Pass 1: records and the corrections that apply to them.
    records: list[Record] = []
    by_seq: dict[int, Record] = {}
    for ev in events:
        if not state.case_id:
            state.case_id = ev.case_id
        payload = ev.payload
        erased = payload is None
        payload = dict(payload or {})
        # `original` and `payload` start as the same dict: corrections replace `payload` with a
        # new dict (apply_changes) and never mutate it, so no copy is needed on the hot path.
        rec = Record(seq=ev.seq, at=ev.at, actor=ev.actor, kind=ev.kind, payload=payload,
                     original=payload, erased=erased)
        records.append(rec)
        by_seq[ev.seq] = rec
        if ev.kind == "record_corrected" and not erased:
            target = by_seq.get(payload.get("target_seq"))
            if target is not None and target.kind not in ("record_corrected", "case_viewed"):
                target.corrections.append(Correction(ev.seq, ev.at, ev.actor,
                                                     dict(payload.get("changes") or {}),
                                                     payload.get("reason", "")))
                target.payload = apply_changes(target.payload, payload.get("changes") or {})
    state.records_by_seq = by_seq
    # Pass 2: derive the state from the current payloads.
    for rec in records:
        _derive(state, rec)
    state.steps_completed.sort()
    return state


def extend(state: CaseState, ev: Any) -> CaseState:
    """Add one event to ``state`` in place (no correction handling: for replays whose payloads
    already carry their corrections). Much cheaper than re-folding a long journal."""
    if not state.case_id:
        state.case_id = ev.case_id
    payload = dict(ev.payload or {})
    rec = Record(seq=ev.seq, at=ev.at, actor=ev.actor, kind=ev.kind, payload=payload,
                 original=payload, erased=ev.payload is None)
    state.records_by_seq[ev.seq] = rec
    _derive(state, rec)
    state.steps_completed.sort()
    return state


def _derive(state: CaseState, rec: Record) -> None:
    p = rec.payload
    state.last_seq = rec.seq
    if rec.kind not in ("case_viewed", "case_exported", "attachment_fetched"):
        state.last_change_at = rec.at
    kind = rec.kind
    if kind in _LISTS:
        getattr(state, _LISTS[kind]).append(rec)
    if kind == "case_opened":
        pupil = p.get("pupil") or {}
        state.pupil = Pupil(name=pupil.get("name", ""), date_of_birth=pupil.get("date_of_birth", ""),
                            group=pupil.get("group", ""), pupil_number=pupil.get("pupil_number", ""),
                            address=pupil.get("address", ""), gender=pupil.get("gender", ""))
        state.parents = list(p.get("parents") or [])
        state.owner = p.get("owner", rec.actor)
        state.opened_at = rec.at
        state.note = p.get("note", "")
        state.staff_suspicion = bool(p.get("staff_suspicion"))
    elif kind == "case_imported":
        state.imported_from = p.get("origin")
        # A transfer: the importing coordinator takes the case over, and the sending school's
        # logins mean nothing here (a same-named user at this school must not see the case).
        state.owner = rec.actor
        state.care_team = [{**m, "user": ""} for m in state.care_team]
    elif kind in ("household_member_left", "professional_ended"):
        state.ended.add(p.get("target_seq"))
    elif kind == "case_linked":
        state.linked_cases[p.get("other_case", "")] = p.get("relation", "")
    elif kind == "care_team_set":
        state.care_team = list(p.get("members") or [])
        state.care_team_records.append(rec)
    elif kind == "step_completed":
        step = p.get("step")
        if isinstance(step, int) and step not in state.steps_completed:
            state.steps_completed.append(step)
            state.step_records[step] = rec
    elif kind == "weighing_answered":
        q = p.get("question")
        if isinstance(q, int):
            state.weighing[q] = rec
    elif kind == "follow_up_done":
        state.follow_ups_done[p.get("target_seq")] = rec
    elif kind == "staff_suspicion_routed":
        state.route = rec
    elif kind == "case_closed":
        state.closures.append(rec)
        state.open_close_history.append(rec)
    elif kind == "case_reopened":
        state.reopenings.append(rec)
        state.open_close_history.append(rec)
