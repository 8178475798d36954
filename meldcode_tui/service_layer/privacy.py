"""Data protection (area ``privacy``), also on a closed case: the pupil's leaving date (the
retention period counts from it), an access request decided, the parents' own view, and the
erasure of a case's words (the work is ``service_layer/erasure.py``'s)."""

from __future__ import annotations

from ..domain.case import CaseState
from .base import ServiceBase


class PrivacyIntents(ServiceBase):
    """The AVG's records on a case, and the erasure."""

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

    def erase_case(self, case_id: str, reason: str, *, policy: str = "retention", rule: str = "",
                   requested_by: str = "") -> int:
        """Erase the words of a closed case (``service_layer/erasure.py``)."""
        from .erasure import erase_case

        return erase_case(self, case_id, reason, policy=policy, rule=rule, requested_by=requested_by)


__all__ = ["PrivacyIntents"]
