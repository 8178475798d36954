"""Rules of the other route: a suspicion against a member of staff does not follow the Meldcode
but goes to the school board, which consults the vertrouwensinspecteur (DOMAIN.md, "When a member
of staff is suspected"; the meld- en aangifteplicht of the Wet op het onderwijstoezicht)."""

from __future__ import annotations

from datetime import date

from ...i18n import N_, _
from ..case import CaseState
from ..staff_route import STAFF_ALLOWED_KINDS
from .base import handles, register_rules, violation

register_rules({
    "staff_route_no_meldcode": N_("Een vermoeden tegen een medewerker volgt niet de Meldcode maar de "
                                  "route via het schoolbestuur."),
    "staff_route_school_board": N_("Een vermoeden tegen een medewerker gaat in elk geval naar het schoolbestuur."),
    "staff_route_once": N_("Een casus wordt één keer doorverwezen."),
    "staff_route_records_only": N_("Vastleggingen van de andere route horen bij een vermoeden tegen een "
                                   "medewerker."),
})


def check_meldcode_kind(state: CaseState, kind: str) -> None:
    """``staff_route_no_meldcode``: a suspicion against a member of staff is not a Meldcode case
    (DOMAIN.md: staff tell the school board, which consults the vertrouwensinspecteur); once
    routed, only the routing, its own records, follow-ups and closing."""
    if state.staff_route and kind not in STAFF_ALLOWED_KINDS:
        raise violation("staff_route_no_meldcode",
                        _("Casus {case_id} gaat over een vermoeden tegen een medewerker: dat volgt niet "
                          "de Meldcode maar de route via het schoolbestuur.", case_id=state.case_id),
                        _("Het schoolbestuur overlegt met de vertrouwensinspecteur en doet zo nodig "
                          "aangifte. Leg alleen de doorverwijzing, vervolgafspraken en het sluiten vast."))


@handles("staff_suspicion_routed", past_dates=("on",))
def check_staff_route(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``staff_route_once`` / ``staff_route_school_board``: the board is told in every case (it
    consults the vertrouwensinspecteur and reports to the police where the law asks it to)."""
    if state.route is not None:
        raise violation("staff_route_once", _("Casus {case_id} is al doorverwezen.", case_id=state.case_id))
    if "school_board" not in payload.get("routed_to", []):
        raise violation("staff_route_school_board",
                        _("Een vermoeden tegen een medewerker meldt u bij het schoolbestuur."),
                        _("Kies in elk geval 'schoolbestuur'; dat overlegt met de vertrouwensinspecteur."))


@handles("staff_route_recorded", past_dates=("on",))
def check_staff_route_record(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``staff_route_records_only``: the other route's records (facts, the inspector's advice,
    the board's decision, the outcome; DOMAIN.md) belong to a case on that route."""
    if not state.staff_route:
        raise violation("staff_route_records_only",
                        _("Casus {case_id} volgt de Meldcode, niet de andere route.", case_id=state.case_id),
                        _("Leg signalen, gesprekken en besluiten vast met de Meldcode-stappen."))
