"""Teachers' concerns (``ZG-NNNN``): a teacher logs one, the coordinators' inbox reads them, a
coordinator takes one into a case (its signals recorded on the case, each with its author and
date) or answers "geen zorg nu". A concern is never a case: a teacher learns nothing of cases."""

from __future__ import annotations

from ..domain.events import validate
from ..domain.people import may_handle_concerns, may_log_concern
from ..errors import InputError, NotFound
from ..i18n import _
from .base import ServiceBase
from .unit_of_work import unit_of_work


class Concerns(ServiceBase):
    """The concern inbox and its writes, each in one unit of work."""

    def _concerns(self) -> dict[str, dict]:
        from ..domain.people import CONCERN_PREFIX

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
        from ..domain.people import concern_id_for

        self._require(may_log_concern, "concern_logged")
        payload = validate("concern_logged", {"pupil_name": pupil_name, "group": group,
                                              "signals": list(signals)})
        with unit_of_work(self, "concern_logged") as uow:
            concern_id = concern_id_for(uow.next_number("concern"))
            uow.append_to_stream(concern_id, "concern_logged", payload)
        return concern_id

    def my_concerns(self) -> list[dict]:
        """What this user logged, with whether a coordinator picked it up (the case id only
        for a role that reads cases: a teacher never learns that a case exists)."""
        mine = [c for c in self._concerns().values() if c["author"] == self.actor]
        if not self._reads_cases():
            for c in mine:
                c["case"] = ""
        return mine

    def pupil_names(self) -> list[str]:
        """The names a teacher picks from: pupils of her own earlier concerns (no case status,
        and nothing from the case list, which would show that a case exists)."""
        return sorted({c["pupil_name"] for c in self.my_concerns()})

    def concern_inbox(self, *, only_new: bool = True) -> list[dict]:
        self._require(may_handle_concerns, "concern_inbox")
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
        self._require(may_handle_concerns, "concern_taken", case_id or "")
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
        self._require(may_handle_concerns, "concern_answered")
        self._open_concern(concern_id)
        with unit_of_work(self, "concern_answered") as uow:
            if any(e.kind in ("concern_taken", "concern_answered") for e in uow.stream_events(concern_id)):
                raise InputError(_("Zorgmelding {id} is al afgehandeld.", id=concern_id), field="concern")
            uow.append_to_stream(concern_id, "concern_answered", {"reason": reason})


__all__ = ["Concerns"]
