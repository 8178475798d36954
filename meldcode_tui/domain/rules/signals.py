"""Rules of the signals (stap 1 of the school's protocol: "Signalen in kaart brengen")."""

from __future__ import annotations

from datetime import date

from ...i18n import N_, _
from ..case import CaseState
from .base import dated, handles, register_rules, violation

register_rules({
    "step1_signals": N_("Stap 1 vraagt minstens één vastgelegd signaal."),
    "body_mark_on_signal": N_("Een letsel op de poptekening hoort bij een vastgelegd signaal van deze casus."),
    # Guide-only (prompts; they never refuse anything).
    "disclosure_straight_to_q2": N_("Vertelt het kind het zelf, dan gaat de casus meteen naar vraag 2 van "
                                    "het afwegingskader en bespreekt u het vandaag met de "
                                    "aandachtsfunctionaris."),
    "injury_medical_consult": N_("Bij letsel kan een vertrouwensarts of forensisch arts worden geraadpleegd."),
})

dated("signal_recorded", "observed_on")


@handles("body_mark_recorded", past_dates=("observed_on",))
def check_body_mark(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``body_mark_on_signal``: the school's protocol, stap 2, asks for "meer duidelijkheid over
    (aard en oorzaak van) letsel" from the signals mapped in stap 1; a mark on the body map is
    part of the signal it was seen with, not a signal of its own."""
    target = state.records_by_seq.get(payload["signal_seq"])
    if target is None or target.kind != "signal_recorded" or target.erased:
        raise violation("body_mark_on_signal",
                        _("#{seq} is geen signaal van deze casus.", seq=payload["signal_seq"]),
                        _("Kies in de chronologie het signaal waar het letsel bij hoort."))
