"""The family around a case (area ``family``): household members, professionals, cases of one
family linked both ways, and a reference from one linked case to a record of another. A link
or reference never tells anyone that a case they may not see exists."""

from __future__ import annotations

from ..domain.case import CaseState
from ..errors import InputError, NotFound
from ..i18n import _
from .base import ServiceBase
from .unit_of_work import unit_of_work


class Family(ServiceBase):
    """Household, professionals and linked cases."""

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


__all__ = ["Family"]
