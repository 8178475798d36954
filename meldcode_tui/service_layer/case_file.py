"""The case file itself: a new case, closing and reopening it, and correcting a record
(a correction supersedes, never edits). Area ``case_file`` of the protocol."""

from __future__ import annotations

from typing import Any, Iterable

from ..domain.case import CaseState
from ..domain.events import validate
from ..domain.people import may_create_case
from .base import ServiceBase
from .unit_of_work import unit_of_work


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


class CaseFileIntents(ServiceBase):
    """Open, close, reopen and correct."""

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
        self._require(may_create_case, "case_opened")
        with unit_of_work(self, "case_opened") as uow:
            return uow.new_case(payload).state

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


__all__ = ["CaseFileIntents"]
