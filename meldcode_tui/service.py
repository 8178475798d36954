"""CaseService: one method per user intent. The TUI and the CLI call only this.

This module holds what every area shares: the session (user, role, clock), the session guard,
the refusal journal and the one generic write ``record``. The intents and queries live by area
in ``service_layer/<area>.py`` as mixins that ``CaseService`` inherits (``case_reads``,
``audit``, ``concerns``, ``case_file``, ``protocol``, ``family``, ``attachments``, ``privacy``,
``drafts``, ``transfer``); ``service_layer/base.py`` states what they rely on.

Every write runs in ONE unit of work (``service_layer/unit_of_work.py``): inside one write
transaction (BEGIN IMMEDIATE) it loads the case's events, folds, checks visibility and staleness,
validates the payload (InputError with ``field``), checks the rules (RuleViolation with ``rule``
and ``hint``), appends, extends the fold, updates the case-list row and the full-text index,
commits -- and journals a refused attempt after a rollback. Because the events are read inside
the write transaction, an edit another coordinator made a moment ago is seen by the rules and
never lost.

Visibility (case membership): a case may be seen by its owner and by the care-team members that
have a ``user`` name. A case with no members at all (no owner recorded) is visible to everyone with
access to the database. Users named in the config's ``[access] all_cases`` (e.g. the
aandachtsfunctionaris) see every case (``all_access=True``).
"""

from __future__ import annotations

from datetime import date, datetime

from .clock import Clock, SettableClock, format_at, utc_now
from .domain.access import can_see
from .domain.case import CaseState
from .domain.events import validate
from .domain.people import ROLES, may_open_cases, may_record, role_label, sees_every_case
from .domain.readmodel import case_id_for, case_row
from .errors import AccessDenied, AccessRevoked, InputError, NotFound
from .i18n import _
from .service_layer.attachments import Attachments
from .service_layer.audit import AuditReads
from .service_layer.case_file import CaseFileIntents
from .service_layer.case_reads import CaseReads
from .service_layer.concerns import Concerns
from .service_layer.drafts import Drafts
from .service_layer.family import Family
from .service_layer.privacy import PrivacyIntents
from .service_layer.protocol import ProtocolIntents
from .service_layer.transfer import Transfer
from .service_layer.unit_of_work import unit_of_work
from .service_layer.unit_of_work import journal_refusal as _journal_refusal


class CaseService(CaseReads, AuditReads, Concerns, CaseFileIntents, ProtocolIntents, Family,
                  Attachments, PrivacyIntents, Drafts, Transfer):
    """The session's service: its user, role and clock (set here), the session guard, the
    refusal journal and the one generic write ``record``. Each area's methods are in its mixin
    (``service_layer/<area>.py``); ``service_layer/base.py`` lists what they rely on."""

    def __init__(self, store, actor: str, plugins=None, clock: Clock | None = None, *,
                 all_access: bool = False, role: str | None = None, care_team_policy=None):
        from .domain.care_team import DEFAULT_POLICY

        if not actor or not str(actor).strip():
            raise InputError(_("Er is geen gebruiker bekend die handelt."), field="actor")
        self.store = store
        self.actor = str(actor).strip()
        self.plugins = plugins
        self.clock: Clock = clock or utc_now
        self.all_access = all_access
        # The school's zorgteam ([zorgteam] in the config): the rules, the steps and the guide read it.
        self.care_team_policy = care_team_policy or DEFAULT_POLICY
        # ``role`` None = no user table in use (single school PC, tests): the owner / zorgteam /
        # all_access rule alone. With a role, see the "roles" block below.
        self.role = role
        # The role the session's screens were built for: a change of it ends the session
        # (session_status), whatever the next write already applied.
        self.session_role = role
        # The search box's name keys, read again only after a commit (case_reads._name_keys).
        self._names_cache: tuple[int, list[tuple[str, str]]] | None = None
        if role is not None:
            self.all_access = all_access or sees_every_case(role)
            store.write_guard = self._guard_session

    # ------------------------------------------------------------------ roles

    def _journal_refusal(self, action: str, case_id: str = "") -> None:
        """Every refused attempt is journalled: who (actor), what, which case; no content."""
        _journal_refusal(self.store, self.actor, self.role, action, case_id, format_at(self.now()))

    def _refuse(self, action: str, case_id: str = "", *, hide: bool = False):
        self._journal_refusal(action, case_id)
        if hide and case_id:
            return NotFound(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
        return AccessDenied(_("Dit mag uw rol ({role}) niet.", role=role_label(self.role)))

    def _require(self, allowed, action: str, case_id: str = "") -> None:
        """Refuse (journalled) unless ``allowed(role)``: one of domain/people.py's role rules."""
        if not allowed(self.role):
            raise self._refuse(action, case_id)

    def _reads_cases(self) -> bool:
        return may_open_cases(self.role)

    def session_status(self) -> str | None:
        """None while this session's user is enabled with a role; else the Dutch line that ends
        it. Read on every write (inside the transaction) and by the TUI's live timer."""
        if self.role is None:
            return None
        user = self.store.user(self.actor)
        line = self._status_line(user)
        if line is None and user.get("role") != self.session_role:
            # The open screens show what the old role may see: they close, as for a disabled
            # user; a new start builds the new role's screens.
            line = _("Uw rol is gewijzigd in {role}; start Meldcode opnieuw.",
                     role=role_label(user["role"]))
        return line

    def session_closed(self) -> None:
        """The live check ended this session (access revoked or role changed): journalled
        with the refusals (who, which role), so the access log shows when her screens closed."""
        self._journal_refusal("session_closed")

    @staticmethod
    def _status_line(user: dict | None) -> str | None:
        if user is None or user.get("status") != "enabled" or user.get("role") not in ROLES:
            return _("Uw toegang is ingetrokken.")
        return None

    def _guard_session(self, tx) -> None:
        user = tx.user(self.actor)
        line = self._status_line(user)
        if line is not None:
            raise AccessRevoked(line)
        if user["role"] != self.role:  # a role change applies from the next action
            self.role = user["role"]
            self.all_access = self.all_access or sees_every_case(self.role)

    def _check_record(self, kind: str, case_id: str, payload: dict) -> None:
        if not may_record(self.role, kind, payload):
            raise self._refuse(kind, case_id, hide=not self._reads_cases())

    # ------------------------------------------------------------------ time

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.now().date()

    # ------------------------------------------------------------------ writing

    def record(self, case_id: str, kind: str, payload: dict | None = None, *,
               expect_seq: int | None = None, _with_event=None) -> CaseState:
        """The generic write path every intent uses.

        ``expect_seq``: the case's last event seq the caller's screen (or script) was based on.
        If anything but an access-log event (``domain.events.AUDIT_KINDS``) was recorded on the case
        after it, nothing is written and ``StaleCase`` says what was added (who, what, when)."""
        if kind == "case_opened":
            raise InputError(_("Een casus maak je aan met 'nieuwe casus'."), field="kind")
        # Validated here, before the role is checked on its values; the unit of work does not
        # validate it again.
        payload = validate(kind, payload or {})
        self._check_record(kind, case_id, payload)
        if kind == "decision_recorded" and not payload.get("decided_by"):
            payload = {**payload, "decided_by": [self._actor_as_decision_maker()]}
        with unit_of_work(self, kind, case_id) as uow:
            case = uow.open_case(case_id, expect_seq=expect_seq)
            uow.record(case, kind, payload, with_event=_with_event, validated=True)
        return case.state

    def _actor_as_decision_maker(self) -> dict:
        """A step-5 decision always names who decided (Basismodel stap 5: the
        professional "met het zorgteam" is responsible for it). When the caller names nobody,
        the one recording it is the decision maker: only a coordinator may record a decision
        (``domain.people.may_record``), so the role is "coordinator"."""
        user = self.store.user(self.actor) if self.role is not None else None
        return {"name": (user or {}).get("display_name") or self.actor, "role": "coordinator"}

    def _with_catalogue_text(self, payload: dict) -> dict:
        """A signal's catalogue reference completed from the loaded catalogue (shared by a
        recorded signal and a concern's signals taken into a case)."""
        ref = payload.get("catalogue")
        if isinstance(ref, dict) and self.plugins is not None and not ref.get("text"):
            try:
                payload["catalogue"] = {**ref, **self.plugins.signal_ref(str(ref.get("catalogue_id")),
                                                                         str(ref.get("signal_id")))}
            except NotFound as exc:
                raise InputError(exc.message, field="catalogue.signal_id") from None
        return payload


# Re-exported for scripts and tests that import them from here (their homes are lower layers).
__all__ = ["CaseService", "SettableClock", "can_see", "case_row", "case_id_for", "format_at"]
