"""The other route: a suspicion against a member of staff goes to the board, which consults the
vertrouwensinspecteur and, on reasonable suspicion, reports to the police (not the Meldcode's
steps). Which kinds such a case takes: ``domain/staff_route.py``."""

from __future__ import annotations

from ..payload import KindSpec, choice, iso_date, reason, register, subset, text

ROUTED_TO = ("school_board", "vertrouwensinspecteur", "police")
# The route's own records, one per part of what the board does.
STAFF_RECORD_TYPES = ("facts", "conversation", "inspector_advice", "board_decision", "outcome")


def _staff_route_recorded(p: dict) -> dict:
    return {"on": iso_date(p, "on"), "record_type": choice(p, "record_type", STAFF_RECORD_TYPES),
            "with_whom": text(p, "with_whom", required=False), "summary": text(p, "summary")}


def _staff_suspicion_routed(p: dict) -> dict:
    return {"on": iso_date(p, "on"), "routed_to": subset(p, "routed_to", ROUTED_TO), "reason": reason(p)}


register(
    KindSpec("staff_route_recorded", _staff_route_recorded,
             text_fields=("summary", "with_whom")),
    KindSpec("staff_suspicion_routed", _staff_suspicion_routed,
             text_fields=("reason",)),
)
