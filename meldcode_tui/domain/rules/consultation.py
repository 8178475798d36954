"""Rules of stap 2 of the school's protocol: consultation with an expert colleague, Veilig Thuis's
anonymous advice, and the zorgteam."""

from __future__ import annotations

from datetime import date

from ...i18n import N_, _
from ..anonymity import case_pattern, find_identifiers
from ..care_team import DEFAULT_POLICY, CareTeamPolicy
from ..case import CaseState
from .base import check_roles_accepted, handles, register_rules, violation

register_rules({
    "step2_consultation": N_("Stap 2 vraagt overleg met een deskundige collega of het zorgteam."),
    "step2_care_team": N_("Stap 2 vraagt een zorgteam met de rollen die de school daarvoor heeft "
                          "ingesteld ([zorgteam] required; zonder instelling: leerkracht, interne "
                          "vertrouwenspersoon, ondersteuningscoach en schoolleider)."),
    "vt_advice_anonymous": N_("Advies van Veilig Thuis wordt gevraagd op basis van anonieme gegevens."),
    "consultation_anonymous": N_("Een overleg dat als anoniem is aangemerkt, noemt geen naam of "
                                 "kenmerk van de casus."),
    "care_team_role_accepted": N_("Een lid van het zorgteam, of wie meebesliste, heeft een rol die de "
                                  "school kent ([zorgteam] roles, de ingebouwde rollen of 'overig')."),
})


@handles("consultation_recorded", past_dates=("on",))
def check_consultation(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``vt_advice_anonymous``: the school's protocol, stap 2: "Zo nodig kan op basis van anonieme
    leerlinggegevens Veilig Thuis worden geraadpleegd" - anonymous in the tick box and in what is
    written down (no name of the pupil or the parents, no pupil number, no date of birth)."""
    if payload.get("kind") != "veilig_thuis_advice":
        if payload.get("anonymous"):
            _check_anonymous_text(state, payload)
        return
    if not payload.get("anonymous"):
        raise violation("vt_advice_anonymous",
                        _("Advies van Veilig Thuis wordt gevraagd op basis van anonieme leerlinggegevens."),
                        _("Zet 'anoniem' aan; noem geen namen. Wilt u de leerling wel noemen, dan is dat "
                          "een melding (stap 5)."))
    pattern = case_pattern(state)
    places = [where for f, where in (("question", _("de vraag")), ("advice", _("het advies")))
              if find_identifiers(payload.get(f) or "", pattern)]
    if places:
        raise violation("vt_advice_anonymous",
                        _("Het adviesgesprek is anoniem, maar in {places} staat een naam of kenmerk van de "
                          "leerling of de ouders.", places=" en ".join(places)),
                        _("Beschrijf de leerling zonder naam (bijv. 'een leerling van 9 jaar')."))


def _check_anonymous_text(state: CaseState, payload: dict) -> None:
    """``consultation_anonymous``: a consultation ticked "anoniem" (any kind) is anonymous in
    what is written too - the same check as the VT advice and the ``advies`` export."""
    places = [where for f, where in (("question", _("de vraag")), ("advice", _("het advies")))
              if find_identifiers(payload.get(f) or "", case_pattern(state))]
    if places:
        raise violation("consultation_anonymous",
                        _("Het overleg is als anoniem aangemerkt, maar in {places} staat een naam of "
                          "kenmerk van de casus.", places=" en ".join(places)),
                        _("Beschrijf de leerling zonder naam (bijv. 'een leerling van 9 jaar'), of "
                          "zet 'anoniem' uit."))


@handles("care_team_set")
def check_care_team(state: CaseState, payload: dict, today: date, *,
                    policy: CareTeamPolicy = DEFAULT_POLICY, **_ctx) -> None:
    """``care_team_role_accepted``: the school's protocol, stap 2, "Na dit overleg wordt er een
    zorgteam samengesteld"; its members carry roles the school accepts (see
    ``base.check_roles_accepted``)."""
    check_roles_accepted([m.get("role") for m in payload.get("members") or []], policy)
