"""CaseService: one method per user intent. The TUI and the CLI call only this.

Every write runs in ONE ``store.write()`` transaction (BEGIN IMMEDIATE): load the case's events,
fold, validate the payload (InputError with ``field``), check the rules (RuleViolation with
``rule`` and ``hint``), append, fold again, update the case-list row and the full-text index,
commit. Because the events are read inside the write transaction, an edit another coordinator
made a moment ago is seen by the rules and never lost.

Visibility (case membership): a case may be seen by its owner and by the care-team members that
have a ``user`` name. A case with no members at all (no owner recorded) is visible to everyone with
access to the database. Users named in the config's ``[access] all_cases`` (e.g. the
aandachtsfunctionaris) see every case (``all_access=True``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from .clock import Clock, SettableClock, format_at, utc_now
from .domain.access import can_see
from .domain.case import CaseState, apply_changes, extend, fold
from .domain.events import KINDS, text_of, validate
from .domain.guide import OpenPoint, open_points
from .domain.readmodel import case_id_for, case_row
from .domain.rules import check
from .errors import InputError, NotFound, StaleCase
from .i18n import _

def _parents(parents: Iterable[Any]) -> list[dict]:
    out = []
    for p in parents or ():
        if isinstance(p, dict):
            out.append(dict(p))
        elif isinstance(p, (tuple, list)):
            out.append({"name": p[0], "relation": p[1] if len(p) > 1 else ""})
        else:
            out.append({"name": str(p), "relation": ""})
    return out


# Records of who looked at or took out a case: they do not change what a decision rests on,
# so they never make a screen stale.
ACCESS_LOG_KINDS = frozenset({"case_viewed", "case_exported"})


class CaseService:
    def __init__(self, store, actor: str, plugins=None, clock: Clock | None = None, *,
                 all_access: bool = False):
        if not actor or not str(actor).strip():
            raise InputError(_("Er is geen gebruiker bekend die handelt."), field="actor")
        self.store = store
        self.actor = str(actor).strip()
        self.plugins = plugins
        self.clock: Clock = clock or utc_now
        self.all_access = all_access

    # ------------------------------------------------------------------ time

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.now().date()

    # ------------------------------------------------------------------ reading

    def _visible_row(self, case_id: str) -> dict:
        row = self.store.case_row(case_id)
        if row is None or not can_see(row, self.actor, all_access=self.all_access):
            # Same message either way: do not reveal that a case exists.
            raise NotFound(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
        return row

    def can_see(self, row: dict) -> bool:
        return can_see(row, self.actor, all_access=self.all_access)

    def get_state(self, case_id: str) -> CaseState:
        """The current state without an access-log entry (refresh after ``open_case``)."""
        self._visible_row(case_id)
        return fold(self.store.case_events(case_id))

    def open_case(self, case_id: str, purpose: str = "bekijken") -> CaseState:
        """Open a case for viewing: journals ``case_viewed`` (access log)."""
        return self.record(case_id, "case_viewed", {"purpose": purpose})

    @staticmethod
    def _decorate(row: dict, today: date) -> dict:
        """A read-model row as the lists show it: plus ``age`` and ``overdue``."""
        row = dict(row)
        dob = row.get("date_of_birth")
        try:
            from .domain.ages import age_on

            row["age"] = age_on(dob, today) if dob else None
        except ValueError:
            row["age"] = None
        nd = row.get("next_deadline")
        row["overdue"] = bool(nd) and date.fromisoformat(nd) < today
        return row

    def list_cases(self, include_closed: bool = True) -> list[dict]:
        today = self.today()
        rows = []
        for row in self.store.case_rows():
            if not self.can_see(row):
                continue
            if not include_closed and row.get("status") == "gesloten":
                continue
            rows.append(self._decorate(row, today))
        return rows

    # -- the dashboard: SQL does the filtering, sorting, paging and access rule ---------------
    def case_filter(self, *, include_closed: bool = True, step: int | None = None,
                    status: str | None = None, overdue: bool = False, mine: bool = False,
                    search: str | None = None):
        """The dashboard's filters as a store query for this user (access rule included).
        ``search`` (2+ characters): name/case-id substring or a full-text hit."""
        from .store.readmodels import CaseFilter

        text = (search or "").strip()
        hits: tuple[str, ...] = ()
        if len(text) >= 2:
            try:
                hits = tuple(dict.fromkeys(h["case_id"] for h in self.store.search(text)))
            except NotFound:
                hits = ()
        return CaseFilter(
            actor=None if self.all_access else self.actor, include_closed=include_closed,
            step=step, status=status,
            overdue_before=self.today().isoformat() if overdue else None,
            owner=self.actor if mine else None,
            search=text.lower() if len(text) >= 2 else None, hits=hits)

    def case_page(self, filters, sort: str = "next_deadline", offset: int = 0,
                  limit: int = 100) -> list[dict]:
        """Rows ``offset`` .. ``offset + limit`` of the filtered list (``filters`` from
        ``case_filter``), decorated like ``list_cases``."""
        today = self.today()
        return [self._decorate(r, today) for r in self.store.case_page(filters, sort, offset, limit)]

    def case_count(self, filters) -> int:
        return self.store.case_count(filters)

    def case_counts(self) -> dict:
        """Per step the open cases this user may see, overdue ones, the total and the
        statuses present (one grouped query)."""
        return self.store.case_counts(None if self.all_access else self.actor,
                                      self.today().isoformat())

    def search(self, text: str) -> list[dict]:
        visible = {r["case_id"] for r in self.list_cases()}
        return [hit for hit in self.store.search(text) if hit.get("case_id") in visible]

    def open_points(self, case_id: str) -> list[OpenPoint]:
        return open_points(self.get_state(case_id), self.today())

    def journal(self, case_id: str) -> list:
        self._visible_row(case_id)
        return self.store.case_events(case_id)

    def verify(self):
        return self.store.verify()

    # ------------------------------------------------------------------ writing

    def create_case(self, pupil_name: str, date_of_birth: str, group: str = "", pupil_number: str = "",
                    parents: Iterable[Any] = (), note: str = "", *, staff_suspicion: bool = False,
                    owner: str | None = None) -> CaseState:
        payload = validate("case_opened", {
            "pupil": {"name": pupil_name, "date_of_birth": date_of_birth, "group": group,
                      "pupil_number": pupil_number},
            "parents": _parents(parents),
            "owner": owner or self.actor,
            "note": note,
            "staff_suspicion": staff_suspicion,
        })
        today, at = self.today(), format_at(self.now())
        check(CaseState(), "case_opened", payload, today)
        with self.store.write() as tx:
            case_id = case_id_for(tx.next_case_number())
            event = tx.append(self.actor, case_id, "case_opened", payload, at)
            state = fold([event])
            tx.put_case_row(case_id, case_row(state, today))
            tx.add_text(case_id, event.seq, text_of("case_opened", payload))
        return state

    def record(self, case_id: str, kind: str, payload: dict | None = None, *,
               expect_seq: int | None = None) -> CaseState:
        """The generic write path every intent uses.

        ``expect_seq``: the case's last event seq the caller's screen (or script) was based on.
        If anything but an access-log event (``ACCESS_LOG_KINDS``) was recorded on the case
        after it, nothing is written and ``StaleCase`` says what was added (who, what, when)."""
        if kind == "case_opened":
            raise InputError(_("Een casus maak je aan met 'nieuwe casus'."), field="kind")
        payload = validate(kind, payload or {})
        today, at = self.today(), format_at(self.now())
        with self.store.write() as tx:
            events = tx.case_events(case_id)
            if not events:
                raise NotFound(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
            state = fold(events)
            row = {"members": state.members}
            if not can_see(row, self.actor, all_access=self.all_access):
                raise NotFound(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
            if expect_seq is not None:
                self._check_not_stale(case_id, events, int(expect_seq))
            if kind == "record_corrected":
                payload = self._normalise_correction(state, payload)
            check(state, kind, payload, today)
            event = tx.append(self.actor, case_id, kind, payload, at)
            # A correction can change any earlier record: fold again. Anything else only adds.
            state = fold([*events, event]) if kind == "record_corrected" else extend(state, event)
            tx.put_case_row(case_id, case_row(state, today))
            text = text_of(kind, payload)
            if kind == "record_corrected":
                text = "\n".join([text, *(v for v in payload["changes"].values() if isinstance(v, str))])
            tx.add_text(case_id, event.seq, text)
        return state

    def check_not_stale(self, case_id: str, expect_seq: int | None) -> None:
        """The ``expect_seq`` check on its own, outside a write (for callers whose write goes
        through a path without the parameter). Raises StaleCase."""
        if expect_seq is not None:
            events = self.journal(case_id)
            if events:
                self._check_not_stale(case_id, events, int(expect_seq))

    @staticmethod
    def _check_not_stale(case_id: str, events: list, expect_seq: int) -> None:
        added = [{"seq": e.seq, "at": e.at, "actor": e.actor, "kind": e.kind}
                 for e in events if e.seq > expect_seq and e.kind not in ACCESS_LOG_KINDS]
        if added:
            raise StaleCase(_(
                "Op casus {case_id} is intussen iets vastgelegd ({n}× sinds #{seq}); er is niets "
                "opgeslagen.", case_id=case_id, n=len(added), seq=expect_seq),
                added=added, head=events[-1].seq,
                hint=_("Bekijk wat er is toegevoegd en bevestig opnieuw."))

    @staticmethod
    def _normalise_correction(state: CaseState, payload: dict) -> dict:
        """Store corrected values in their normalised form (stripped text, ISO dates)."""
        target = state.records_by_seq.get(payload["target_seq"])
        spec = KINDS.get(target.kind) if target else None
        if target is None or spec is None or not spec.correctable or target.erased:
            return payload  # the rules refuse it with a clear message
        changes = payload["changes"]
        known = {k: v for k, v in changes.items() if k in target.payload and k not in spec.locked_fields}
        try:
            merged = validate(target.kind, apply_changes(target.payload, known))
        except InputError as exc:
            raise InputError(exc.message, field=f"changes.{exc.field}" if exc.field else "changes",
                             hint=exc.hint) from None
        normalised = {k: (merged[k] if k in known else v) for k, v in changes.items()}
        return {**payload, "changes": normalised}

    # ------------------------------------------------------------------ intents

    def record_signal(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        """``catalogue`` may be just ``{"catalogue_id", "signal_id"}``: with plugins loaded, the
        version and the signal's text are filled in from the catalogue (so the record keeps what
        it was chosen from, even after the catalogue changes)."""
        ref = payload.get("catalogue")
        if isinstance(ref, dict) and self.plugins is not None and not ref.get("text"):
            try:
                payload["catalogue"] = {**ref, **self.plugins.signal_ref(str(ref.get("catalogue_id")),
                                                                         str(ref.get("signal_id")))}
            except NotFound as exc:
                raise InputError(exc.message, field="catalogue.signal_id") from None
        return self.record(case_id, "signal_recorded", payload, expect_seq=expect_seq)

    def record_consultation(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "consultation_recorded", payload, expect_seq=expect_seq)

    def set_care_team(self, case_id: str, members: list[dict], *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "care_team_set", {"members": list(members)}, expect_seq=expect_seq)

    def record_conversation(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "conversation_recorded", payload, expect_seq=expect_seq)

    def record_exception(self, case_id: str, exception: str, ground: str, reason: str, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "exception_recorded",
                           {"exception": exception, "ground": ground, "reason": reason}, expect_seq=expect_seq)

    def complete_step(self, case_id: str, step: int, summary: str = "", *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "step_completed", {"step": step, "summary": summary}, expect_seq=expect_seq)

    def answer_weighing(self, case_id: str, question: int, answer: str, reason: str,
                        with_veilig_thuis: bool = False, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "weighing_answered", {
            "question": question, "answer": answer, "reason": reason, "with_veilig_thuis": with_veilig_thuis}, expect_seq=expect_seq)

    def record_decision(self, case_id: str, report_needed: bool, help_possible: bool, reason: str, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "decision_recorded",
                           {"report_needed": report_needed, "help_possible": help_possible, "reason": reason}, expect_seq=expect_seq)

    def plan_help(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "help_planned", payload, expect_seq=expect_seq)

    def review_help(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "help_reviewed", payload, expect_seq=expect_seq)

    def record_pre_report_contact(self, case_id: str, with_: list[str] | None = None, *, expect_seq: int | None = None, **payload) -> CaseState:
        """``with_`` (or ``**{"with": [...]}``): who the contact was with, "pupil" and/or "parents"."""
        if with_ is not None:
            payload["with"] = list(with_)
        return self.record(case_id, "pre_report_contact_recorded", payload, expect_seq=expect_seq)

    def record_report(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "report_made", payload, expect_seq=expect_seq)

    def record_acute_report(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        """Acute danger: reported at once (Veilig Thuis by phone, 112, police), at any step."""
        return self.record(case_id, "acute_report", payload, expect_seq=expect_seq)

    def record_vt_feedback(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "vt_feedback_recorded", payload, expect_seq=expect_seq)

    def agree_follow_up(self, case_id: str, description: str, due_on: str, who: str, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "follow_up_agreed", {"description": description, "due_on": due_on, "who": who}, expect_seq=expect_seq)

    def complete_follow_up(self, case_id: str, target_seq: int, on: str | None = None,
                           notes: str = "", *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "follow_up_done", {
            "target_seq": target_seq, "on": on or self.today().isoformat(), "notes": notes}, expect_seq=expect_seq)

    def route_staff_suspicion(self, case_id: str, routed_to: list[str], reason: str,
                              on: str | None = None, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "staff_suspicion_routed", {
            "on": on or self.today().isoformat(), "routed_to": list(routed_to), "reason": reason}, expect_seq=expect_seq)

    def correct_record(self, case_id: str, target_seq: int, changes: dict, reason: str, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "record_corrected",
                           {"target_seq": target_seq, "changes": dict(changes or {}), "reason": reason}, expect_seq=expect_seq)

    def close_case(self, case_id: str, grounds: str, reason: str, monitoring_agreements: str = "", *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "case_closed", {
            "grounds": grounds, "reason": reason, "monitoring_agreements": monitoring_agreements}, expect_seq=expect_seq)

    def reopen_case(self, case_id: str, reason: str, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "case_reopened", {"reason": reason}, expect_seq=expect_seq)

    # -- data protection (issue 15): also on a closed case
    def record_pupil_left(self, case_id: str, on: str, note: str = "", *,
                          expect_seq: int | None = None) -> CaseState:
        """"Leerling heeft de school verlaten op …": the retention period counts from it."""
        return self.record(case_id, "pupil_left", {"on": on, "note": note}, expect_seq=expect_seq)

    def record_inzage(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        """An access request decided: who asked, legal basis, who approved, what is withheld."""
        return self.record(case_id, "inzage_decided", payload, expect_seq=expect_seq)

    def record_zienswijze(self, case_id: str, on: str, by: str, zienswijze: str, *,
                          expect_seq: int | None = None) -> CaseState:
        """The parents' own view, added after an inzage, as a record of its own."""
        return self.record(case_id, "zienswijze_recorded",
                           {"on": on, "by": by, "zienswijze": zienswijze}, expect_seq=expect_seq)

    # ------------------------------------------------------------------ drafts

    def save_draft(self, key: str, data: dict) -> None:
        """Keep a half-filled form of this user (not a record; see Store.save_draft)."""
        self.store.save_draft(self.actor, key, data)

    def load_draft(self, key: str) -> tuple[dict, str] | None:
        return self.store.load_draft(self.actor, key)

    def discard_draft(self, key: str) -> None:
        self.store.discard_draft(self.actor, key)

    # ------------------------------------------------------------------ leaving the app

    def export(self, case_id: str, format_name: str):
        """Render ``case_id`` with a plugin's export format; the export itself is journalled
        (``case_exported``) in the same transaction, so there is no export without a record."""
        from .exports import export_case

        return export_case(self, case_id, format_name)

    def import_case(self, data: bytes | str):
        """Take in a case exported as ``toml`` by another school (checked, all or nothing)."""
        from .exports.importer import import_case

        return import_case(self, data)


# Re-exported for scripts and tests that import them from here (their homes are lower layers).
__all__ = ["CaseService", "SettableClock", "can_see", "case_row", "case_id_for", "format_at"]
