"""The unit of work: the one place where the application writes.

Every write -- a record on a case, a new case, an export, an import, an erasure, a concern, an
admin act, a refused attempt -- runs inside ONE ``store.write()`` transaction opened here
(``BEGIN IMMEDIATE``: the write lock is taken before anything is read, so what the checks see is
what the write changes). The steps that every earlier hand-written copy had to remember live
here once:

- ``open_case``: read the case's events inside the transaction, fold them, check that this user
  may see the case (``HiddenCase``, the same message as a case that does not exist) and that the
  caller's screen is not stale (``expect_seq``: only records by *others* count);
- ``record``: validate the payload, check the protocol's rules on the folded state, append,
  extend the fold, write the case-list row and the full-text entry, plus any extra writes that
  belong with the event (an attachment's bytes) -- all or nothing;
- ``new_case``: the case number, its first event, its row and its text;
- ``append_to_stream``: the records that do not belong to a case (a concern ``ZG-NNNN``, the
  admin's acts on ``beheer``, a refused attempt on ``toegang``);
- after a rollback caused by a revoked session or a hidden case, the refused attempt is
  journalled (``journal_refusal``), in its own transaction, because the failed one is gone.

Use cases (``CaseService``, ``service_layer/exporting.py``, ``importing.py``, ``erasure.py``,
``admin.UserAdmin``) open a unit of work with :func:`unit_of_work` (a session's write: the
session guard runs first) or :func:`admin_unit_of_work` (the server admin: not a session).
Nothing else in the application calls ``store.write(``; ``tests/test_import_hygiene.py``
enforces it. (Cosmic Python's unit of work; Datasette's single write path.)
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterator

from ..clock import format_at
from ..domain.access import can_see
from ..domain.case import CaseState, apply_changes, extend, fold
from ..domain.events import AUDIT_KINDS, KINDS, text_of, validate
from ..domain.readmodel import case_id_for, case_row
from ..domain.care_team import DEFAULT_POLICY, CareTeamPolicy
from ..domain.rules import check
from ..errors import AccessDenied, AccessRevoked, HiddenCase, InputError, NotFound, StaleCase
from ..i18n import _

# Failures after which the attempt itself is journalled (after the rollback): the user lost
# access or her role while the write was in flight, or asked for a case that is not hers to see.
REFUSALS = (AccessRevoked, AccessDenied, HiddenCase)


def _hidden(case_id: str) -> HiddenCase:
    return HiddenCase(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))


def _missing(case_id: str) -> NotFound:
    return NotFound(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))


def stale_records(events: list, expect_seq: int, actor: str) -> list[dict]:
    """What was added to a case after ``expect_seq`` that should make a screen ask again:
    records by someone else, never views or exports, never the user's own records (an
    exception recorded through F2 from inside a form is not "a colleague"). Who looked at or
    took out a case (``AUDIT_KINDS``) does not change what a decision rests on."""
    return [{"seq": e.seq, "at": e.at, "actor": e.actor, "kind": e.kind}
            for e in events
            if e.seq > expect_seq and e.kind not in AUDIT_KINDS and e.actor != actor]


def check_not_stale(case_id: str, events: list, expect_seq: int, actor: str) -> None:
    """StaleCase when someone else recorded on the case after ``expect_seq``. An
    ``expect_seq`` past the case's last record (or negative) was never seen by anyone, so it
    cannot stand for "nothing changed": refused."""
    head = events[-1].seq if events else 0
    if expect_seq < 0 or expect_seq > head:
        raise InputError(_("Stand #{n} is geen record van casus {case_id}: het laatste record is "
                           "#{head}.", n=expect_seq if expect_seq < 10**12 else "…",
                           case_id=case_id, head=head), field="expect_seq")
    added = stale_records(events, expect_seq, actor)
    if added:
        raise StaleCase(_(
            "Op casus {case_id} is intussen iets vastgelegd ({n}× sinds #{seq}); er is niets "
            "opgeslagen.", case_id=case_id, n=len(added), seq=expect_seq),
            added=added, head=events[-1].seq,
            hint=_("Bekijk wat er is toegevoegd en bevestig opnieuw."))


def normalise_correction(state: CaseState, payload: dict) -> dict:
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


@dataclass
class OpenCase:
    """A case as read inside the unit of work: its events and its fold, kept current by
    ``UnitOfWork.record``."""

    case_id: str
    events: list
    state: CaseState


class UnitOfWork:
    """One write transaction of one actor (see the module docstring). Only valid inside
    ``with unit_of_work(...)`` / ``with admin_unit_of_work(...)``."""

    def __init__(self, tx, *, actor: str, at: str, today: date, all_access: bool = False,
                 role: str | None = None, policy: CareTeamPolicy = DEFAULT_POLICY):
        self._tx = tx
        self.policy = policy      # the school's zorgteam, for the rules and the case-list row
        self.actor = actor
        # The role as the session guard found it inside this transaction (None: no user table).
        self.role = role
        self.at = at
        self.today = today
        self.all_access = all_access
        # The case a refusal is journalled for, when it was not known when the work began.
        self.refusal_case = ""

    # ------------------------------------------------------------------ cases

    def open_case(self, case_id: str, *, expect_seq: int | None = None) -> OpenCase:
        """Read and fold ``case_id`` inside the transaction. NotFound when there is no such
        case, HiddenCase when this user may not see it (same message), StaleCase when someone
        else recorded on it after ``expect_seq``."""
        events = list(self._tx.case_events(case_id))
        if not events:
            raise _missing(case_id)
        state = fold(events)
        if not can_see({"members": state.members}, self.actor, all_access=self.all_access):
            raise _hidden(case_id)
        if expect_seq is not None:
            check_not_stale(case_id, events, int(expect_seq), self.actor)
        return OpenCase(case_id, events, state)

    def check(self, case: OpenCase, kind: str, payload: dict, *, validated: bool = False,
              replay: bool = False) -> dict:
        """Validate ``payload`` (unless the caller did just now: ``validated``) and check the
        protocol's rules for it on ``case`` as it is now, without writing. Returns the payload
        ``record`` appends."""
        if not validated:
            payload = validate(kind, payload)
        if kind == "record_corrected":
            payload = normalise_correction(case.state, payload)
        check(case.state, kind, payload, self.today, replay=replay, policy=self.policy)
        return payload

    def record(self, case: OpenCase, kind: str, payload: dict, *,
               with_event: Callable[[Any, Any], None] | None = None, validated: bool = False,
               replay: bool = False, row: Callable[[CaseState], dict] | None = None):
        """Append one record to ``case`` under the protocol's rules and keep every read model
        in step. Returns the event; ``case.state`` is the state after it.

        ``with_event(tx, event)``: more to write with this event in this transaction (an
        attachment's bytes). ``validated``: the caller validated ``payload`` (to check the role
        on clean values), so it is not validated twice. ``replay``: the rules as for a replayed
        record -- only for a record its own use case writes together with what it records (the
        erasure's ``case_erased``). ``row``: the case-list row from the new state (default:
        ``case_row``)."""
        spec = KINDS.get(kind)
        if spec is not None and not spec.on_a_case:
            # A school record (people, access, concerns, notifications, figures) on a pupil's
            # case would show in its chronology and travel with its exports.
            raise InputError(_("'{kind}' is geen vastlegging bij een casus.", kind=kind), field="kind")
        self._check_role(case.case_id, kind, payload)
        payload = self.check(case, kind, payload, validated=validated, replay=replay)
        event = self._tx.append(self.actor, case.case_id, kind, payload, self.at)
        if with_event is not None:
            with_event(self._tx, event)
        case.events.append(event)
        # A correction can change any earlier record: fold again. Anything else only adds.
        case.state = fold(case.events) if kind == "record_corrected" else extend(case.state, event)
        self._tx.put_case_row(case.case_id, row(case.state) if row else case_row(case.state, self.today, policy=self.policy))
        text = text_of(kind, payload)
        if kind == "record_corrected":
            text = "\n".join([text, *(v for v in payload["changes"].values() if isinstance(v, str))])
        self._tx.add_text(case.case_id, event.seq, text)
        return event

    def _check_role(self, case_id: str, kind: str, payload: dict) -> None:
        """The role may append ``kind``, as it is now: a use case checks it before asking
        anything, and it is checked again here because a role changed in the meantime applies
        to this very write. A role that may not read cases learns nothing about this one."""
        from ..domain.people import may_open_cases, may_record, role_label

        if may_record(self.role, kind, payload):
            return
        if not may_open_cases(self.role):
            raise _hidden(case_id)
        raise AccessDenied(_("Dit mag uw rol ({role}) niet.", role=role_label(self.role)))

    def new_case(self, payload: dict) -> OpenCase:
        """A new case: its number, its ``case_opened`` event, its row and its text."""
        payload = validate("case_opened", payload)
        check(CaseState(), "case_opened", payload, self.today)
        case_id = case_id_for(self._tx.next_case_number())
        event = self._tx.append(self.actor, case_id, "case_opened", payload, self.at)
        state = fold([event])
        self._tx.put_case_row(case_id, case_row(state, self.today, policy=self.policy))
        self._tx.add_text(case_id, event.seq, text_of("case_opened", payload))
        return OpenCase(case_id, [event], state)

    def replay_case(self, events, *, attachments: dict[int, bytes],
                    local_payload: Callable[[Any, str], dict]) -> OpenCase:
        """A case taken over from elsewhere (a transfer): a new local number, the events with
        their own actor and time (already checked against the sender's chain and the rules),
        each attachment's bytes with its event. ``local_payload(event, case_id)``: the payload
        as stored here."""
        case_id = case_id_for(self._tx.next_case_number())
        appended = []
        for ev in events:
            new = self._tx.append(ev.actor, case_id, ev.kind, local_payload(ev, case_id), at=ev.at)
            appended.append(new)
            if ev.seq in attachments:
                self._tx.put_attachment(new, attachments[ev.seq])
        state = fold(appended)
        self._tx.put_case_row(case_id, case_row(state, self.today, policy=self.policy))
        for ev in appended:
            text = text_of(ev.kind, ev.payload or {})
            if text:
                self._tx.add_text(case_id, ev.seq, text)
        return OpenCase(case_id, appended, state)

    def erase_payloads(self, case: OpenCase, payload_hashes, reason: str) -> int:
        """Retention: remove the words of ``case`` (each ``payload_erased`` in the chain), and
        every user's drafts of it. Returns how many payloads were erased."""
        n = 0
        for payload_hash in payload_hashes:
            self._tx.erase_payload(self.actor, case.case_id, payload_hash, reason)
            n += 1
        self._tx.erase_drafts(case.case_id)
        case.events = list(self._tx.case_events(case.case_id))
        case.state = fold(case.events)
        return n

    def events_of_kind(self, kind: str) -> list:
        return self._tx.events_of_kind(kind)

    def stream_events(self, stream: str) -> list:
        """The events of a stream that is not a case (a concern), read inside the write."""
        return list(self._tx.case_events(stream))

    # ------------------------------------------------------------------ other streams

    def append_to_stream(self, stream: str, kind: str, payload: dict):
        """A record on a stream that is not a case (``toegang``, ``beheer``, ``ZG-NNNN``):
        validated, appended, no case-list row or text."""
        return self._tx.append(self.actor, stream, kind, validate(kind, payload), self.at)

    def next_number(self, counter: str) -> int:
        return self._tx.next_counter(counter)

    # ------------------------------------------------------------------ users (the admin)

    def user(self, name: str) -> dict | None:
        return self._tx.user(name)

    def put_user(self, row: dict) -> None:
        self._tx.put_user(row)

    def put_key(self, name: str, fingerprint: str, key_type: str, blob: str, comment: str) -> None:
        self._tx.put_key(name, fingerprint, key_type, blob, comment, self.at)

    def delete_key(self, name: str, fingerprint: str) -> int:
        return self._tx.delete_key(name, fingerprint)

    def key_owner(self, fingerprint: str) -> str | None:
        return self._tx.key_owner(fingerprint)

    def put_channel(self, name: str, url: str | None) -> None:
        """A user's notification channel (its URL may hold a secret: never in the journal)."""
        self._tx.put_channel(name, url, self.at)

    # ------------------------------------------------------------------ the pupil register

    def replace_pupils(self, rows: list[dict], meta: dict) -> dict[str, str]:
        """Replace the pupil register whole (not records: no journal, no history); returns
        the digests it held before."""
        return self._tx.replace_pupils(rows, meta)


def journal_refusal(store, actor: str, role: str | None, action: str, case_id: str, at: str) -> None:
    """Every refused attempt is journalled on ``toegang``: who, what, which case; no content.
    Unguarded: a revoked user's attempt is exactly what must be recorded."""
    from ..domain.people import ACCESS_CASE

    payload = {"action": action, "case": case_id or "", "role": role or ""}
    try:
        with store.write(guarded=False) as tx:
            UnitOfWork(tx, actor=actor, at=at, today=date.today()).append_to_stream(
                ACCESS_CASE, "access_refused", payload)
    except Exception:  # noqa: BLE001 - the refusal itself must still reach the user
        pass


@contextmanager
def unit_of_work(service, action: str | None = None, case_id: str = "") -> Iterator[UnitOfWork]:
    """A session's unit of work: ``service`` (a ``CaseService``) gives the actor, the access
    rule and the clock; the session guard (disabled user, changed role) runs first, inside the
    transaction. A revoked session or a hidden case rolls everything back and then journals the
    refused ``action`` (when given) on ``case_id`` (or ``uow.refusal_case``)."""
    now = service.now()
    work = None
    try:
        with service.store.write() as tx:
            # Built after the session guard ran: it has brought the role up to date.
            work = UnitOfWork(tx, actor=service.actor, at=format_at(now), today=now.date(),
                              all_access=getattr(service, "all_access", False),
                              role=getattr(service, "role", None),
                              policy=getattr(service, "care_team_policy", DEFAULT_POLICY))
            work.refusal_case = case_id
            yield work
    except REFUSALS:
        if action is not None:
            service._journal_refusal(action, work.refusal_case if work is not None else case_id)
        raise


@contextmanager
def admin_unit_of_work(store, actor: str, now) -> Iterator[UnitOfWork]:
    """The server admin's unit of work (``meldcode admin user …``): not a session, so the
    session guard does not apply; every act is an event on ``beheer`` with the user table
    change in the same transaction."""
    with store.write(guarded=False) as tx:
        yield UnitOfWork(tx, actor=actor, at=format_at(now), today=now.date(), all_access=True)


__all__ = ["OpenCase", "UnitOfWork", "admin_unit_of_work", "check_not_stale",
           "journal_refusal", "normalise_correction", "stale_records", "unit_of_work"]
