"""Rules of the people around the pupil: household, professionals, linked cases."""

from __future__ import annotations

from datetime import date

from ...i18n import N_, _
from ..case import CaseState
from .base import handles, register_rules, violation

register_rules({
    "ended_names_a_current_person": N_("Iemand uit het huishouden of een hulpverlener kan alleen als 'niet meer "
                                       "betrokken' worden vastgelegd als die er nu staat."),
    "case_link_once": N_("Twee casussen worden één keer gekoppeld, en een casus niet aan zichzelf."),
})


def _check_ended(kind_added: str):
    def check_it(state: CaseState, payload: dict, today: date, **_ctx) -> None:
        """``ended_names_a_current_person``: Veilig Thuis's meldformulier asks for the household
        and the professionals involved (Betrokkenen, Ondersteunend netwerk; DOMAIN.md); someone
        leaves that list only when they are on it now."""
        target = state.records_by_seq.get(payload["target_seq"])
        if target is None or target.kind != kind_added or target.seq in state.ended:
            raise violation("ended_names_a_current_person",
                            _("#{seq} is niet iemand die nu bij deze casus staat.", seq=payload["target_seq"]),
                            _("Kies het nummer uit de chronologie."))
    return check_it


handles("household_member_left")(_check_ended("household_member_added"))
handles("professional_ended")(_check_ended("professional_added"))


@handles("case_linked")
def check_case_linked(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``case_link_once``: Veilig Thuis's meldformulier names the siblings with the child
    (Betrokkenen; DOMAIN.md), so the cases of one family are linked; one link per pair."""
    other = payload["other_case"]
    if other == state.case_id or other in state.linked_cases:
        raise violation("case_link_once",
                        _("Casus {other} is al gekoppeld aan {case_id} (of is dezelfde casus).",
                          other=other, case_id=state.case_id))
