"""A suspicion against a member of staff: the other route and its records."""

from __future__ import annotations

from ...domain.kinds.staff_route import ROUTED_TO, STAFF_RECORD_TYPES
from ...domain.vocabulary import label
from ...i18n import _
from ..forms import Field
from ..intent_form import open_form, today_iso
from . import register


def _routed_to() -> list[tuple[str, str]]:
    return [(g, label(g)) for g in ROUTED_TO]


@register("route_staff_suspicion")
def route_staff_suspicion(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("routed_to", _("Doorgegeven aan"), kind="multi", required=True, options=_routed_to(),
              default=["school_board"]),
        Field("reason", _("Reden"), kind="area", required=True),
    ]
    open_form(screen, _("Vermoeden tegen een medewerker: andere route"), fields, "staff_suspicion_routed",
              intro=_("Bij een vermoeden van een zedendelict door een medewerker geldt niet de Meldcode: "
                      "het schoolbestuur overlegt met de vertrouwensinspecteur."),
              confirm=_("Deze casus via de andere route laten lopen?"), form_id="form-route")


@register("record_staff_route")
def record_staff_route(screen) -> None:
    """The other route's records: facts, conversations, the vertrouwensinspecteur's advice, the
    board's decision and the outcome: on this route these take the place of the Meldcode's steps."""
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("record_type", _("Soort"), kind="choice", required=True,
              options=[(t, label(t)) for t in STAFF_RECORD_TYPES], default="facts"),
        Field("with_whom", _("Met / van wie")),
        Field("summary", _("Wat"), kind="area", required=True),
    ]
    open_form(screen, _("Andere route: vastleggen"), fields, "staff_route_recorded", form_id="form-staff-route")
