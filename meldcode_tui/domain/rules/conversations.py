"""Rules of stap 3 of the school's protocol: the conversation with the pupil and/or the parents,
and the exceptions (no conversation, no informing, no contact, reporter not disclosed) that need
a written reason."""

from __future__ import annotations

from datetime import date

from ...i18n import N_, _
from ..case import CaseState
from ..payload import MIN_EXCEPTION_REASON, MIN_REASON_WORDS
from ..vocabulary import field_name, label
from .base import as_date, check_reason, handles, register_rules, violation

register_rules({
    "step3_conversation_pupil": N_("Stap 3 vraagt een gesprek met de leerling, of een uitzondering met reden."),
    "step3_conversation_parents": N_("Stap 3 vraagt een gesprek met de ouders, of een uitzondering met reden."),
    "conversation_four_elements": N_("Een gesprek telt als het doel is uitgelegd, de feiten zijn besproken, "
                                     "om een reactie is gevraagd en pas daarna is geduid."),
    "exception_needs_written_reason": N_("Een uitzondering vraagt een geschreven reden: minstens "
                                         "drie woorden en 20 tekens."),
    "exception_ground_allowed": N_("Een uitzondering kan alleen op een grond die het protocol noemt."),
    "pupil_without_informing_parents": N_("Een gesprek met de leerling zonder de ouders vooraf te "
                                          "informeren vraagt een uitzondering met reden."),
    "conversation_danger_consult_vt": N_("Bij een signaal van seksueel misbruik, eergerelateerd geweld of "
                                         "vrouwelijke genitale verminking wordt Veilig Thuis geraadpleegd "
                                         "vóór een gesprek met de ouders; zo nodig komt er geen gesprek "
                                         "(uitzondering, grond veiligheid)."),
    "reporter_not_disclosed_with_vt": N_("Dat het gezin niet hoort wie meldde, beslist de school samen met "
                                         "Veilig Thuis: de uitzondering noemt wie bij Veilig Thuis akkoord "
                                         "gaf en wanneer."),
})

# Which grounds each exception may rest on.
EXCEPTION_GROUNDS = {
    "no_conversation_pupil": ("safety", "out_of_sight", "age"),
    "pupil_without_informing_parents": ("safety",),
    "no_conversation_parents": ("safety", "out_of_sight"),
    "report_without_contact": ("safety",),
    # Veilig Thuis names three grounds for keeping the reporter's name from the family (child,
    # reporter, the relationship of trust); "safety" stays valid for records made before that.
    "reporter_not_disclosed": ("safety", "child_safety", "reporter_safety", "trust_relationship"),
}


@handles("exception_recorded")
def check_exception(state: CaseState, payload: dict, today: date, replay: bool = False, **_ctx) -> None:
    """``exception_needs_written_reason`` / ``exception_ground_allowed``: the school's protocol,
    stap 3 ("Geen gesprek met de cliënt/dader"), allows leaving out a conversation only in
    "uitzonderlijke situaties waarin er concrete aanwijzingen zijn dat door het voeren van het
    gesprek de veiligheid van een van de betrokkenen in het geding zou kunnen komen", or when the
    pupil would get out of sight ("uit het zicht raakt"); the reason is written down. The ground
    'young age' is for pupils under 12."""
    check_reason(payload, "exception_needs_written_reason", MIN_EXCEPTION_REASON,
                 min_words=MIN_REASON_WORDS)
    exc, ground = payload["exception"], payload["ground"]
    if exc == "reporter_not_disclosed" and not replay and not (
            payload.get("vt_agreed_by") and payload.get("vt_agreed_on")):
        # reporter_not_disclosed_with_vt: Veilig Thuis decides with the reporter whether the family
        # hears who reported (Veilig Thuis, meldformulier voor professionals: "open melden, tenzij";
        # DOMAIN.md "Whether the reporter's name is kept from the family is decided by Veilig Thuis
        # together with the reporter"). Older records stay valid as they are.
        raise violation("reporter_not_disclosed_with_vt",
                        _("Of het gezin niet hoort wie meldde, beslist u samen met Veilig Thuis: leg vast "
                          "wie bij Veilig Thuis akkoord gaf en wanneer."),
                        _("Vul 'akkoord van (Veilig Thuis)' en 'akkoord op' in."))
    if payload.get("vt_agreed_on") and not replay and as_date(payload["vt_agreed_on"]) > today:
        raise violation("date_not_in_future", _("De datum in '{field}' ligt in de toekomst.",
                                                field=field_name("vt_agreed_on")))
    allowed = EXCEPTION_GROUNDS[exc]
    if ground not in allowed:
        raise violation("exception_ground_allowed",
                        _("De uitzondering '{exception}' kan niet op de grond '{ground}'.",
                          exception=label(exc), ground=label(ground)),
                        _("Mogelijke gronden: {grounds}.", grounds=", ".join(label(g) for g in allowed)))
    if ground == "age":
        age = state.age_on(today)
        if age is not None and age >= 12:
            raise violation("exception_ground_allowed",
                            _("De grond 'jonge leeftijd' geldt alleen voor leerlingen jonger dan 12 jaar."),
                            _("Kies een andere grond of voer het gesprek."))


@handles("conversation_recorded", past_dates=("on",))
def check_conversation(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``conversation_danger_consult_vt``: the school's protocol, stap 3 ("Geen gesprek met de
    cliënt/dader"), and Veilig Thuis consulted first where a conversation with the parents may put
    the child in danger. ``pupil_without_informing_parents``: the school's protocol, stap 3, has
    the conversation "met de leerling (of met zijn ouders)"; talking with a minor without the
    parents knowing beforehand is an exception with its written reason."""
    participants = payload.get("participants", [])
    if "parents" in participants and state.conversation_danger_signals and not state.veilig_thuis_consulted:
        # conversation_danger_consult_vt: the school's protocol, step 3 "Geen gesprek met de
        # cliënt/dader": a suspicion of sexual abuse or honour-related violence is not yet
        # discussed with the (suspected) perpetrator when he may take it out on the child;
        # DOMAIN.md: Veilig Thuis is consulted first about whether and how to talk with whom.
        raise violation("conversation_danger_consult_vt",
                        _("Er is een signaal van seksueel misbruik, eergerelateerd geweld of vrouwelijke "
                          "genitale verminking: een gesprek met de ouders kan het kind in gevaar brengen."),
                        _("Raadpleeg eerst Veilig Thuis (0800-2000, advies) en leg dat vast; komt er geen "
                          "gesprek, leg dan de uitzondering 'geen gesprek met de ouders' vast (grond: "
                          "veiligheid) met de reden."))
    if "pupil" in participants and "parents" not in participants:
        # pupil_without_informing_parents: a minor's parents are told beforehand that the school
        # talks with their child; not telling them is an exception with its reason.
        age = state.age_on(payload["on"])
        minor = age is None or age < 18
        informed = payload.get("parents_informed_beforehand")
        if minor and informed is None:
            raise violation("pupil_without_informing_parents",
                            _("Leg vast of de ouders vooraf over dit gesprek met de leerling zijn geïnformeerd."),
                            _("Vul het veld 'parents_informed_beforehand' in."))
        if minor and informed is False and not state.exception("pupil_without_informing_parents"):
            raise violation("pupil_without_informing_parents",
                            _("Een gesprek met de leerling zonder de ouders vooraf te informeren is een "
                              "uitzondering; leg eerst de reden vast."),
                            _("Leg de uitzondering 'gesprek met de leerling zonder de ouders vooraf te "
                              "informeren' vast, met een reden van minstens {n} tekens.", n=MIN_EXCEPTION_REASON))
