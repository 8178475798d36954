"""Rules of the melding at Veilig Thuis and what follows it (stap 5 of the school's protocol,
"Melden"; Veilig Thuis's pages for professionals)."""

from __future__ import annotations

from datetime import date

from ...i18n import N_, _
from ..ages import PARENTS, PUPIL, contact_rule, contact_satisfies
from ..case import CaseState
from .base import (dated, exception_after_last_report, feedback_stage_due, handles, register_rules,
                   report_allowed, violation)

register_rules({
    "report_needs_decision": N_("Een melding volgt op het besluit (of de weging) dat melden nodig is."),
    "report_needs_contact": N_("Voor een melding is er contact met leerling en/of ouders volgens de "
                               "leeftijdsregel, of een uitzondering met reden."),
    "age_contact_rule": N_("Onder 12 jaar is het contact met de ouders, van 12 tot 16 met leerling "
                           "en/of ouders, vanaf 16 met de leerling."),
    "open_melden_tenzij": N_("Open melden, tenzij: het gezin hoort wie meldde, behalve met een "
                             "uitzondering met reden."),
    "vt_feedback_needs_report": N_("Terugkoppeling van Veilig Thuis hoort bij een melding."),
    "vt_final_after_first": N_("De eindterugkoppeling van Veilig Thuis volgt op een eerste terugkoppeling "
                               "over dezelfde melding; een nieuwe melding begint opnieuw met de eerste."),
    "follow_up_done_target": N_("Een afgeronde afspraak verwijst naar een open vervolgafspraak van deze casus."),
    "school_evaluation_needs_report": N_("De evaluatie van de school na de melding hoort bij een melding."),
    # Guide-only (deadlines and prompts; they never refuse anything).
    "vt_feedback_due": N_("Veilig Thuis streeft naar een terugkoppeling binnen 5 werkdagen; komt die niet, "
                          "dan neemt de school contact op met Veilig Thuis."),
    "vt_feedback_follows": N_("Wat Veilig Thuis besloot en van de school vraagt, wordt een open punt: een "
                              "vervolgafspraak, en afstemming met wie het overneemt."),
    "follow_up_due": N_("Vervolgafspraken worden op tijd afgerond."),
})

dated("acute_report", "on")


@handles("pre_report_contact_recorded", past_dates=("on",))
def check_pre_report_contact(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``age_contact_rule``: the school's protocol, stap 5, "Positie van de jeugdige leerling en
    zijn ouder(s)": under 12 the conversation about the report is with the parents, from 12 to 16
    with the pupil and/or the parents, from 16 with the pupil (age on the day of the contact)."""
    age = state.age_on(payload["on"])
    if age is None:
        return
    if not contact_satisfies(age, payload.get("with", [])):
        rule = contact_rule(age)
        if rule == PARENTS:
            msg = _("De leerling is jonger dan 12 jaar: het contact over de melding is met de ouders.")
        elif rule == PUPIL:
            msg = _("De leerling is 16 jaar of ouder: het contact over de melding is met de leerling.")
        else:
            msg = _("De leerling is 12 tot 16 jaar: het contact is met de leerling en/of de ouders.")
        raise violation("age_contact_rule", msg,
                        _("Leeftijd berekend op de datum van het contact."))


@handles("report_made", past_dates=("on",))
def check_report(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``report_needs_decision`` / ``report_needs_contact`` / ``open_melden_tenzij``: the school's
    protocol, stap 5: a melding follows the decision (or the weighing) that it is needed; "Als
    hoofdregel geldt dat de leerkracht, voordat hij een melding doet, contact zoekt met de
    leerling over de melding", except where that conversation endangers someone ("Melding zonder
    gesprek"); Veilig Thuis: the family hears who reported unless there is a reason not to."""
    if not report_allowed(state):
        raise violation("report_needs_decision",
                        _("Er is (nog) geen besluit of weging die tot melden leidt."),
                        _("Beantwoord het afwegingskader en leg het besluit vast (stap 5)."))
    if not state.contact_ok_for_report(payload["on"]) and not exception_after_last_report(state):
        age = state.age_on(payload["on"])
        who = {PARENTS: _("de ouders"), PUPIL: _("de leerling")}.get(
            contact_rule(age) if age is not None else "", _("de leerling en/of de ouders"))
        raise violation("report_needs_contact",
                        _("Bespreek de melding eerst met {who}.", who=who),
                        _("Leg het contact vast, of leg de uitzondering 'melden zonder contact' vast met "
                          "een reden (alleen bij gevaar voor iemands veiligheid)."))
    if payload.get("reporter_disclosed_to_family") is False and not state.exception("reporter_not_disclosed"):
        raise violation("open_melden_tenzij",
                        _("Open melden, tenzij: het gezin hoort wie heeft gemeld, behalve met een "
                          "vastgelegde dringende reden."),
                        _("Leg de uitzondering 'het gezin hoort niet wie heeft gemeld' vast met een reden, "
                          "of meld open."))


@handles("vt_feedback_recorded", past_dates=("on",))
def check_vt_feedback(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``vt_feedback_needs_report`` / ``vt_final_after_first``: Veilig Thuis reports back on a
    melding, first within 5 working days and again at the end of its involvement."""
    if not state.has_report:
        raise violation("vt_feedback_needs_report", _("Er is nog geen melding gedaan."),
                        _("Leg eerst de melding vast."))
    if payload.get("stage") == "final" and feedback_stage_due(state) != "final":
        # vt_final_after_first: Veilig Thuis reports back within 5 working days (what it does
        # now) and again at the end of its involvement (Veilig Thuis, "Wat gebeurt er na een
        # melding", vooreenveiligthuis.nl for professionals). After a new melding the cycle
        # starts over: a final feedback on the earlier melding says nothing about the new one.
        raise violation("vt_final_after_first",
                        _("Over de laatste melding is nog geen eerste terugkoppeling van Veilig Thuis "
                          "vastgelegd; de eindterugkoppeling volgt daarop."),
                        _("Leg eerst de eerste terugkoppeling vast (soort: eerste terugkoppeling)."))


@handles("school_evaluation_recorded", past_dates=("on",))
def check_school_evaluation(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``school_evaluation_needs_report``: after Veilig Thuis's final feedback the school
    evaluates whether concerns remain (DOMAIN.md "After the report"); that belongs to a melding."""
    if not state.has_report:
        raise violation("school_evaluation_needs_report", _("Er is nog geen melding gedaan."),
                        _("Leg eerst de melding vast; tot dan volgt de school de Meldcode-stappen."))


@handles("follow_up_done", past_dates=("on",))
def check_follow_up_done(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``follow_up_done_target``: what Veilig Thuis asks of the school becomes a follow-up
    agreement (DOMAIN.md "After the report"); done is said of an open one of this case."""
    target = state.records_by_seq.get(payload["target_seq"])
    if target is None or target.kind != "follow_up_agreed":
        raise violation("follow_up_done_target",
                        _("Nummer {seq} is geen vervolgafspraak van casus {case_id}.",
                          seq=payload["target_seq"], case_id=state.case_id))
    if target.seq in state.follow_ups_done:
        raise violation("follow_up_done_target", _("Vervolgafspraak {seq} is al afgerond.", seq=target.seq))
