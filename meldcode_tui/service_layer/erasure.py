"""Erasing a case's words (retention, or on request): the use case behind ``meldcode retention
erase`` and ``retention apply``. Which cases are due is the retention policy's business
(``retention.py``); this module checks who may erase which case and erases it in one unit of
work: every payload (``payload_erased`` each, the chain keeps verifying), the case's drafts,
the personal fields of its case-list row, its full-text entries, and one ``case_erased`` record.
"""

from __future__ import annotations

from ..domain.events import validate
from ..domain.people import may_erase_cases
from ..domain.readmodel import case_row
from ..errors import InputError, RuleViolation
from ..i18n import _
from .unit_of_work import unit_of_work


def erase_case(service, case_id: str, reason: str, *, policy: str = "retention",
               rule: str = "", requested_by: str = "") -> int:
    """Erase every payload of ``case_id`` and record one ``case_erased``. ``policy``:
    "retention" or "request" (then ``requested_by`` says who asked). Returns how many payloads
    were erased. Call ``retention.finish_erasure`` once afterwards.

    Only a coordinator (or, without a user table, anyone with the database) erases, and only a
    case they may see: a case outside their zorgteam answers as if it did not exist, and the
    attempt is journalled."""
    service._require(may_erase_cases, "case_erased", case_id)
    if not isinstance(reason, str) or len(reason.strip()) < 10:
        raise InputError(_("Geef een reden voor het wissen (minstens 10 tekens)."), field="reason")
    if policy == "request" and not (requested_by or "").strip():
        raise InputError(_("Zeg wie om het wissen heeft gevraagd."), field="requested_by")
    record = validate("case_erased", {
        "policy": policy, "rule": rule or (_("op verzoek") if policy == "request" else "-"),
        "reason": reason, "requested_by": requested_by or "", "payloads": 0})
    with unit_of_work(service, "case_erased", case_id) as uow:
        case = uow.open_case(case_id)
        if case.state.erasure_records:
            raise RuleViolation("already_erased", _("Casus {case_id} is al gewist.", case_id=case_id))
        if not case.state.closed:
            raise RuleViolation("retention_only_closed", _(
                "Casus {case_id} is niet gesloten: alleen gesloten casussen worden gewist.",
                case_id=case_id), hint=_("Sluit de casus eerst (met een reden)."))
        # Identical words in another case are not this pupil's alone: they stay (the store
        # would refuse them anyway). Read inside the unit of work, under the write lock.
        erased = uow.erase_payloads(case, service.store.erasable_payloads(case_id), record["reason"])
        if erased == 0:
            raise RuleViolation("already_erased", _("Casus {case_id} is al gewist.", case_id=case_id))

        def erased_row(state) -> dict:
            row = case_row(state, uow.today)
            # The read model keeps no personal field of an erased case.
            row["pupil_name"] = (_("(gewist op verzoek)") if policy == "request"
                                 else _("(gewist na bewaartermijn)"))
            for field in ("group_name", "date_of_birth", "next_deadline_label"):
                if field in row:
                    row[field] = None
            return row

        uow.record(case, "case_erased", {**record, "payloads": erased}, validated=True,
                   replay=True, row=erased_row)
    return erased


__all__ = ["erase_case"]
