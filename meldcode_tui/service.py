"""CaseService: one method per user intent. The TUI and the CLI call only this.

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
from pathlib import Path
from typing import Any, Iterable

from .clock import Clock, SettableClock, format_at, utc_now
from .domain.access import can_see
from .domain.case import CaseState, fold
from .domain.events import validate
from .domain.guide import OpenPoint, open_points
from .domain.readmodel import case_id_for, case_row
from .errors import AccessDenied, AccessRevoked, InputError, NotFound
from .i18n import _
from .service_layer.unit_of_work import ACCESS_LOG_KINDS, stale_records, unit_of_work
from .service_layer.unit_of_work import check_not_stale as _check_not_stale
from .service_layer.unit_of_work import journal_refusal as _journal_refusal

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



class CaseService:
    def __init__(self, store, actor: str, plugins=None, clock: Clock | None = None, *,
                 all_access: bool = False, role: str | None = None):
        if not actor or not str(actor).strip():
            raise InputError(_("Er is geen gebruiker bekend die handelt."), field="actor")
        self.store = store
        self.actor = str(actor).strip()
        self.plugins = plugins
        self.clock: Clock = clock or utc_now
        self.all_access = all_access
        # ``role`` None = no user table in use (single school PC, tests): the owner / zorgteam /
        # all_access rule alone. With a role, see the "roles" block below.
        self.role = role
        # The role the session's screens were built for: a change of it ends the session
        # (session_status), whatever the next write already applied.
        self.session_role = role
        if role is not None:
            self.all_access = all_access or role == "coordinator"
            store.write_guard = self._guard_session

    # ------------------------------------------------------------------ roles

    def _journal_refusal(self, action: str, case_id: str = "") -> None:
        """Every refused attempt is journalled: who (actor), what, which case; no content."""
        _journal_refusal(self.store, self.actor, self.role, action, case_id, format_at(self.now()))

    def _refuse(self, action: str, case_id: str = "", *, hide: bool = False):
        from .domain.people import role_label

        self._journal_refusal(action, case_id)
        if hide and case_id:
            return NotFound(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
        return AccessDenied(_("Dit mag uw rol ({role}) niet.", role=role_label(self.role)))

    def _reads_cases(self) -> bool:
        from .domain.people import may_open_cases

        return self.role is None or may_open_cases(self.role)

    def session_status(self) -> str | None:
        """None while this session's user is enabled with a role; else the Dutch line that ends
        it. Read on every write (inside the transaction) and by the TUI's live timer."""
        if self.role is None:
            return None
        user = self.store.user(self.actor)
        line = self._status_line(user)
        if line is None and user.get("role") != self.session_role:
            from .domain.people import role_label

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
        from .domain.people import ROLES

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
            self.all_access = self.all_access or self.role == "coordinator"

    def _check_record(self, kind: str, case_id: str, payload: dict) -> None:
        from .domain.people import may_record

        if self.role is not None and not may_record(self.role, kind, payload):
            raise self._refuse(kind, case_id, hide=not self._reads_cases())

    def verify(self):
        from .domain.people import may_read_journal_metadata

        if self.role is not None and not may_read_journal_metadata(self.role):
            raise self._refuse("verify")
        return self.store.verify()

    def journal_metadata(self, after_seq: int = 0, limit: int = 1000) -> list[dict]:
        """seq, time, actor, kind, case id of the whole journal (no payloads): the auditor's
        and the coordinator's view."""
        from .domain.people import may_read_journal_metadata

        if self.role is not None and not may_read_journal_metadata(self.role):
            raise self._refuse("journal_metadata")
        out = []
        for e in self.store.events(after_seq=after_seq):
            out.append({"seq": e.seq, "at": e.at, "actor": e.actor, "kind": e.kind,
                        "case_id": e.case_id})
            if len(out) >= limit:
                break
        return out

    def access_log(self) -> list[dict]:
        """Views, exports and refused attempts (who, what, which case; no content)."""
        rows = []
        for m in self.journal_metadata(limit=10**9):
            if m["kind"] in ("case_viewed", "case_exported"):
                rows.append({**m, "action": m["kind"], "case": m["case_id"]})
            elif m["kind"] == "access_refused":
                rows.append(m)
        refused = {e.seq: e.payload for e in self.store.events(case_id="toegang")}
        for r in rows:
            if r["seq"] in refused and refused[r["seq"]]:
                r["action"], r["case"] = refused[r["seq"]]["action"], refused[r["seq"]]["case"]
        return rows

    # ------------------------------------------------------------------ time

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.now().date()

    # ------------------------------------------------------------------ reading

    def _visible_row(self, case_id: str) -> dict:
        if not self._reads_cases():
            raise self._refuse("case_read", case_id, hide=True)
        row = self.store.case_row(case_id)
        if row is None or not can_see(row, self.actor, all_access=self.all_access):
            # Same message either way: do not reveal that a case exists.
            raise NotFound(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
        return row

    def can_see(self, row: dict) -> bool:
        if not self._reads_cases():
            return False
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
        return self._with_family(rows)

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
            low = text.lower()
            names = [cid for cid, key in self._name_keys() if low in key]
            try:
                found = self.store.search_case_ids(text)
            except NotFound:
                found = []
            hits = tuple(dict.fromkeys([*names, *found]))
        return CaseFilter(
            actor=None if self.all_access else self.actor, include_closed=include_closed,
            step=step, status=status,
            overdue_before=self.today().isoformat() if overdue else None,
            owner=self.actor if mine else None, hits=hits, in_hits=len(text) >= 2)

    def _name_keys(self) -> list[tuple[str, str]]:
        """(case_id, "lowercased name\nlowercased case id") per case, read again only when
        someone committed (data_version): a keystroke in the search box then matches names
        in Python in ~1 ms instead of lowercasing every row in SQL. The access rule stays in
        SQL (these are only candidates)."""
        version = self.store.data_version()
        cached = getattr(self, "_names_cache", None)
        if cached is None or cached[0] != version:
            keys = [(cid, f"{name.lower()}\n{cid.lower()}") for cid, name in self.store.case_names()]
            cached = self._names_cache = (version, keys)
        return cached[1]

    def case_page(self, filters, sort: str = "next_deadline", offset: int = 0,
                  limit: int = 100) -> list[dict]:
        """Rows ``offset`` .. ``offset + limit`` of the filtered list (``filters`` from
        ``case_filter``), decorated like ``list_cases``."""
        if not self._reads_cases():
            return []
        today = self.today()
        return self._with_family([self._decorate(r, today)
                                  for r in self.store.case_page(filters, sort, offset, limit)])

    def _with_family(self, rows: list[dict]) -> list[dict]:
        """Keep in each row's ``family`` only the linked cases this user may see: the family
        mark must not tell anyone that a case they may not see exists."""
        seen: dict[str, bool] = {}

        def visible(case_id: str) -> bool:
            if case_id not in seen:
                row = self.store.case_row(case_id)
                seen[case_id] = row is not None and self.can_see(row)
            return seen[case_id]

        for row in rows:
            row["family"] = [c for c in (row.get("family") or ()) if visible(c)]
        return rows

    def case_count(self, filters) -> int:
        if not self._reads_cases():
            return 0
        return self.store.case_count(filters)

    def case_widths(self, filters) -> dict:
        """Count and longest cell texts of the filtered list (dashboard layout, no rows read)."""
        return self.store.case_widths(filters, self.today().isoformat())

    def case_position(self, filters, sort: str, case_id: str) -> int | None:
        """Index of ``case_id`` in the filtered, sorted list (None: not in it)."""
        return self.store.case_position(filters, sort, case_id)

    def case_counts(self) -> dict:
        """Per step the open cases this user may see, overdue ones, the total and the
        statuses present (one grouped query)."""
        if not self._reads_cases():
            return {"total": 0, "open": {}, "overdue": 0, "statuses": [], "other_route": 0}
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

    # ------------------------------------------------------------------ concerns

    def _concerns(self) -> dict[str, dict]:
        from .domain.people import CONCERN_PREFIX

        out: dict[str, dict] = {}
        for e in self.store.events_with_prefix(CONCERN_PREFIX):
            if e.kind == "concern_logged":
                out[e.case_id] = {"concern_id": e.case_id, "seq": e.seq, "at": e.at,
                                  "author": e.actor, "status": "new", "answer": "", "case": "",
                                  **(e.payload or {})}
            elif e.case_id in out and e.kind == "concern_taken":
                out[e.case_id].update(status="taken", case=(e.payload or {}).get("case", ""))
            elif e.case_id in out and e.kind == "concern_answered":
                out[e.case_id].update(status="answered", answer=(e.payload or {}).get("reason", ""))
        return out

    def log_concern(self, pupil_name: str, signals: list[dict], group: str = "") -> str:
        """A teacher (or a coordinator) logs a concern for a pupil: signals with date and source.
        Returns the concern id (ZG-NNNN)."""
        from .domain.people import concern_id_for

        if self.role not in (None, "teacher", "coordinator", "member"):
            raise self._refuse("concern_logged")
        payload = validate("concern_logged", {"pupil_name": pupil_name, "group": group,
                                              "signals": list(signals)})
        with unit_of_work(self, "concern_logged") as uow:
            concern_id = concern_id_for(uow.next_number("concern"))
            uow.append_to_stream(concern_id, "concern_logged", payload)
        return concern_id

    def my_concerns(self) -> list[dict]:
        """What this user logged, with whether a coordinator picked it up (the case id only
        for coordinators: a teacher never learns that a case exists)."""
        mine = [c for c in self._concerns().values() if c["author"] == self.actor]
        if self.role == "teacher":
            for c in mine:
                c["case"] = ""
        return mine

    def pupil_names(self) -> list[str]:
        """The names a teacher picks from: pupils of her own earlier concerns (no case status,
        and nothing from the case list, which would show that a case exists)."""
        return sorted({c["pupil_name"] for c in self.my_concerns()})

    def concern_inbox(self, *, only_new: bool = True) -> list[dict]:
        if self.role not in (None, "coordinator"):
            raise self._refuse("concern_inbox")
        rows = list(self._concerns().values())
        return [c for c in rows if c["status"] == "new"] if only_new else rows

    def _open_concern(self, concern_id: str) -> dict:
        c = self._concerns().get(concern_id)
        if c is None:
            raise NotFound(_("Zorgmelding {id} bestaat niet.", id=concern_id))
        if c["status"] != "new":
            raise InputError(_("Zorgmelding {id} is al afgehandeld.", id=concern_id), field="concern")
        return c

    def take_concern(self, concern_id: str, case_id: str | None = None, *,
                     date_of_birth: str = "", group: str | None = None) -> str:
        """Take a concern into ``case_id`` (or a new case for its pupil, then ``date_of_birth``
        is needed): every signal is recorded on the case with the teacher as observer and her
        date; ``concern_taken`` names the case. Returns the case id.

        One write transaction, which checks again that the concern is still new: two
        coordinators taking the same concern at the same moment make one case, not two."""
        if self.role not in (None, "coordinator"):
            raise self._refuse("concern_taken", case_id or "")
        c = self._open_concern(concern_id)
        author = self.store.user(c["author"]) if self.role is not None else None
        observer = (author or {}).get("display_name") or c["author"]
        opened = None
        if case_id is None:
            opened = {"pupil": {"name": c["pupil_name"], "date_of_birth": date_of_birth,
                                "group": group if group is not None else c.get("group", ""),
                                "pupil_number": ""},
                      "parents": [], "owner": self.actor, "note": "", "staff_suspicion": False}
        signals = []
        for s in c["signals"]:
            payload = {"description": s["description"], "observed_on": s["observed_on"],
                       "observed_by": observer, "source": s["source"],
                       "source_name": s.get("source_name") or ""}
            if s.get("catalogue"):
                payload["catalogue"] = s["catalogue"]
            signals.append(validate("signal_recorded", self._with_catalogue_text(payload)))
        with unit_of_work(self, "concern_taken", case_id or "") as uow:
            if any(e.kind in ("concern_taken", "concern_answered") for e in uow.stream_events(concern_id)):
                raise InputError(_("Zorgmelding {id} is al afgehandeld.", id=concern_id), field="concern")
            case = uow.new_case(opened) if opened is not None else uow.open_case(case_id)
            seqs = [uow.record(case, "signal_recorded", payload, validated=True).seq
                    for payload in signals]
            uow.append_to_stream(concern_id, "concern_taken", {"case": case.case_id, "signal_seqs": seqs})
        return case.case_id

    def answer_concern(self, concern_id: str, reason: str) -> None:
        """"Geen zorg nu", with a reason the teacher sees."""
        if self.role not in (None, "coordinator"):
            raise self._refuse("concern_answered")
        self._open_concern(concern_id)
        with unit_of_work(self, "concern_answered") as uow:
            if any(e.kind in ("concern_taken", "concern_answered") for e in uow.stream_events(concern_id)):
                raise InputError(_("Zorgmelding {id} is al afgehandeld.", id=concern_id), field="concern")
            uow.append_to_stream(concern_id, "concern_answered", {"reason": reason})

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
        if self.role is not None and self.role != "coordinator":
            raise self._refuse("case_opened")
        with unit_of_work(self, "case_opened") as uow:
            return uow.new_case(payload).state

    def record(self, case_id: str, kind: str, payload: dict | None = None, *,
               expect_seq: int | None = None, _with_event=None) -> CaseState:
        """The generic write path every intent uses.

        ``expect_seq``: the case's last event seq the caller's screen (or script) was based on.
        If anything but an access-log event (``ACCESS_LOG_KINDS``) was recorded on the case
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

    def check_not_stale(self, case_id: str, expect_seq: int | None) -> None:
        """The ``expect_seq`` check on its own, outside a write (for callers whose write goes
        through a path without the parameter). Raises StaleCase."""
        if expect_seq is not None:
            events = self.journal(case_id)
            if events:
                _check_not_stale(case_id, events, int(expect_seq), self.actor)

    def added_by_others(self, case_id: str, since_seq: int) -> list[dict]:
        """What others recorded on ``case_id`` after ``since_seq`` (views and exports left
        out): what a screen opened at ``since_seq`` has not seen. The user's own records are
        not in it."""
        return stale_records(self.journal(case_id), int(since_seq), self.actor)

    # ------------------------------------------------------------------ intents

    def record_signal(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        """``catalogue`` may be just ``{"catalogue_id", "signal_id"}``: with plugins loaded, the
        version and the signal's text are filled in from the catalogue (so the record keeps what
        it was chosen from, even after the catalogue changes)."""
        return self.record(case_id, "signal_recorded", self._with_catalogue_text(payload),
                           expect_seq=expect_seq)

    def _with_catalogue_text(self, payload: dict) -> dict:
        ref = payload.get("catalogue")
        if isinstance(ref, dict) and self.plugins is not None and not ref.get("text"):
            try:
                payload["catalogue"] = {**ref, **self.plugins.signal_ref(str(ref.get("catalogue_id")),
                                                                         str(ref.get("signal_id")))}
            except NotFound as exc:
                raise InputError(exc.message, field="catalogue.signal_id") from None
        return payload

    def record_consultation(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "consultation_recorded", payload, expect_seq=expect_seq)

    def staff_directory(self) -> list[dict]:
        """The school's people a zorgteam can be put together from: enabled users (user name and
        display name only; no role, keys or last seen) for who may compose a zorgteam. Empty in
        a local single-user setup without a user table."""
        if self.role not in (None, "coordinator", "member"):
            raise self._refuse("staff_directory")
        from .domain.people import ROLES

        return [{"user": u["name"], "display_name": u.get("display_name") or u["name"]}
                for u in self.store.users()
                if u.get("status") == "enabled" and u.get("role") in ROLES and u.get("role") != "auditor"]

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

    def record_school_evaluation(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        """After the report: the school's own evaluation (do concerns remain; how it keeps following)."""
        return self.record(case_id, "school_evaluation_recorded", payload, expect_seq=expect_seq)

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

    def record_staff_route(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        """The other route's records: facts, conversations, the vertrouwensinspecteur's advice,
        the board's decision, the outcome (``record_type``)."""
        return self.record(case_id, "staff_route_recorded", payload, expect_seq=expect_seq)

    def correct_record(self, case_id: str, target_seq: int, changes: dict, reason: str, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "record_corrected",
                           {"target_seq": target_seq, "changes": dict(changes or {}), "reason": reason}, expect_seq=expect_seq)

    def close_case(self, case_id: str, grounds: str, reason: str, monitoring_agreements: str = "", *,
                   new_school: str = "", expect_seq: int | None = None) -> CaseState:
        """``new_school``: where the pupil went (required with grounds ``moved_away``)."""
        payload = {"grounds": grounds, "reason": reason, "monitoring_agreements": monitoring_agreements}
        if new_school or grounds == "moved_away":
            payload["new_school"] = new_school
        return self.record(case_id, "case_closed", payload, expect_seq=expect_seq)

    def reopen_case(self, case_id: str, reason: str, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "case_reopened", {"reason": reason}, expect_seq=expect_seq)

    # -- data protection: also on a closed case
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

    def save_draft(self, key: str, data: dict, *, typed_at=None) -> bool:
        """Keep a half-filled form of this user (not a record; see Store.save_draft: newest
        wins across the user's sessions). False: a newer draft or record is there."""
        return self.store.save_draft(self.actor, key, data, typed_at=typed_at)

    def load_draft(self, key: str) -> tuple[dict, str] | None:
        return self.store.load_draft(self.actor, key)

    def discard_draft(self, key: str, *, unless_newer_than=None) -> bool:
        return self.store.discard_draft(self.actor, key, unless_newer_than=unless_newer_than)

    # ------------------------------------------------------------------ the family

    def add_household_member(self, case_id: str, *, expect_seq: int | None = None, **person) -> CaseState:
        return self.record(case_id, "household_member_added", person, expect_seq=expect_seq)

    def add_professional(self, case_id: str, *, expect_seq: int | None = None, **person) -> CaseState:
        return self.record(case_id, "professional_added", person, expect_seq=expect_seq)

    def link_cases(self, case_id: str, other_case: str, relation: str = "sibling") -> CaseState:
        """Link two cases of one family both ways, in one transaction (a ``case_linked`` event
        in each). Both must be visible to this user: linking is not a way to learn that a case
        exists."""
        for cid, other in ((case_id, other_case), (other_case, case_id)):
            self._check_record("case_linked", cid, {"other_case": other, "relation": relation})
            self._visible_row(cid)
        with unit_of_work(self, "case_linked", case_id) as uow:
            cases = {cid: uow.open_case(cid) for cid in (case_id, other_case)}
            for cid, other in ((case_id, other_case), (other_case, case_id)):
                uow.record(cases[cid], "case_linked", {"other_case": other, "relation": relation})
        return cases[case_id].state

    def linked_cases(self, case_id: str) -> list[dict]:
        """The cases linked to ``case_id`` that this user may see (others are left out, not
        named): each ``{"case_id", "relation", "row"}``."""
        state = self.get_state(case_id)
        out = []
        for other, relation in sorted(state.linked_cases.items()):
            row = self.store.case_row(other)
            if row is not None and self.can_see(row):
                out.append({"case_id": other, "relation": relation, "row": row})
        return out

    def refer_to_linked(self, case_id: str, source_case: str, source_seq: int, note: str, *,
                        expect_seq: int | None = None) -> CaseState:
        """'Geldt dit ook voor …?': record in ``case_id`` that record #``source_seq`` of the linked
        ``source_case`` applies here too (a reference with its own event, not a copy)."""
        state = self.get_state(case_id)
        if source_case not in state.linked_cases:
            raise InputError(_("Casus {other} is niet gekoppeld aan {case_id}.", other=source_case,
                               case_id=case_id), field="source_case")
        source = self.get_state(source_case)  # NotFound when this user may not see it
        rec = source.records_by_seq.get(int(source_seq))
        if rec is None or rec.erased:
            raise NotFound(_("Casus {case_id} heeft geen vastlegging #{seq}.", case_id=source_case, seq=source_seq))
        return self.record(case_id, "reference_recorded",
                           {"source_case": source_case, "source_seq": int(source_seq), "source_kind": rec.kind,
                            "note": note}, expect_seq=expect_seq)

    # ------------------------------------------------------------------ attachments

    def add_attachment(self, case_id: str, data: bytes, title: str, *, filename: str = "",
                       max_bytes: int | None = None, expect_seq: int | None = None) -> CaseState:
        """Attach a file (PDF, PNG, JPEG, plain text: judged by its bytes) to a case: one
        ``attachment_added`` event with its sha256, and the bytes in the same transaction."""
        from .domain.attachments import DEFAULT_MAX_MB, sniff

        limit = max_bytes if max_bytes is not None else DEFAULT_MAX_MB * 1024 * 1024
        found = sniff(data, max_bytes=limit)
        name = Path(str(filename or "")).name.lstrip(".")[:120] if filename else ""
        payload = {"case": case_id, "title": title, "filename": name, "media_type": found.media_type,
                   "size": found.size, "sha256": found.sha256}
        return self.record(case_id, "attachment_added", payload, expect_seq=expect_seq,
                           _with_event=lambda tx, event: tx.put_attachment(event, bytes(data)))

    def attachment(self, case_id: str, seq: int) -> Any:
        """The ``attachment_added`` record number ``seq`` of a visible case (no access log)."""
        state = self.get_state(case_id)
        for rec in state.attachments:
            if rec.seq == seq:
                return rec
        raise NotFound(_("Casus {case_id} heeft geen bijlage #{seq}.", case_id=case_id, seq=seq))

    def fetch_attachment(self, case_id: str, seq: int, *, how: str = "cli") -> tuple[Any, bytes]:
        """The bytes of attachment #``seq``; journals ``attachment_fetched`` (access log) in the
        same transaction that reads them. Refused once retention erased it."""
        rec = self.attachment(case_id, seq)
        if rec.erased:
            raise NotFound(_("Bijlage #{seq} van casus {case_id} is gewist (bewaartermijn).",
                             case_id=case_id, seq=seq))
        event = next(e for e in self.store.case_events(case_id) if e.seq == seq)
        out: dict[str, bytes] = {}

        def read(tx, _fetched) -> None:
            body = self.store.attachment_body(event.payload_hash)
            if body is None:
                raise NotFound(_("Bijlage #{seq} van casus {case_id} is gewist (bewaartermijn).",
                                 case_id=case_id, seq=seq))
            out["body"] = body

        self.record(case_id, "attachment_fetched", {"target_seq": seq, "how": how}, _with_event=read)
        return rec, out["body"]

    # ------------------------------------------------------------------ leaving the app

    def export(self, case_id: str, format_name: str, *, school: str | None = None,
               formats: dict | None = None, basis: str = "", basis_reason: str = ""):
        """Render ``case_id`` with a plugin's export format; the export itself is journalled
        (``case_exported``) in the same transaction, so there is no export without a record
        (``service_layer/exporting.py``)."""
        from .service_layer.exporting import export_case

        return export_case(self, case_id, format_name, school=school, formats=formats,
                           basis=basis, basis_reason=basis_reason)

    def precheck_export(self, case_id: str, format_name: str, formats: dict | None = None) -> None:
        """Refuse an export before anyone is asked to confirm it (``service_layer/exporting.py``)."""
        from .service_layer.exporting import precheck

        precheck(self, case_id, format_name, formats)

    def import_case(self, data: bytes | str, *, expect_head: str | None = None, config=None):
        """Take in a case exported as ``toml`` by another school (checked, all or nothing);
        ``expect_head`` is the sending school's control value (``service_layer/importing.py``)."""
        from .service_layer.importing import import_case

        return import_case(self, data, expect_head=expect_head, config=config)

    def erase_case(self, case_id: str, reason: str, *, policy: str = "retention", rule: str = "",
                   requested_by: str = "") -> int:
        """Erase the words of a closed case (``service_layer/erasure.py``)."""
        from .service_layer.erasure import erase_case

        return erase_case(self, case_id, reason, policy=policy, rule=rule, requested_by=requested_by)


# Re-exported for scripts and tests that import them from here (their homes are lower layers).
__all__ = ["ACCESS_LOG_KINDS", "CaseService", "SettableClock", "can_see", "case_row", "case_id_for", "format_at"]
