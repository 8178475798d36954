"""The melding at Veilig Thuis: the contact before it, the report (also acute), its
feedback, the school's evaluation and the follow-up agreements."""

from __future__ import annotations

from ...domain.kinds.reporting import ACUTE_REPORTED_TO, VT_DECISIONS, VT_FEEDBACK_STAGES
from ...domain.vocabulary import label
from ...domain.rules import feedback_stage_due
from ...domain.vocabulary import record_word
from ...i18n import _
from ...text_safety import safe_line
from ..forms import Field
from ..intent_form import choice_options, open_form, today_iso
from ..labels import PARTICIPANTS
from . import register


@register("record_pre_report_contact")
def record_pre_report_contact(screen) -> None:
    age = screen.state.age_on(screen.app.today()) if screen.state else None
    default = ["parents"] if age is not None and age < 12 else (["pupil"] if age is not None and age >= 16 else [])
    rule = (_("Onder 12 jaar: contact met de ouders.") if age is not None and age < 12 else
            _("Vanaf 16 jaar: contact met de leerling.") if age is not None and age >= 16 else
            _("12 tot 16 jaar: met de leerling en/of de ouders (overleg met het zorgteam)."))
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("with", _("Met wie"), kind="multi", required=True, options=choice_options(PARTICIPANTS), default=default),
        Field("explained", _("Uitgelegd: wat, waarom en wat het betekent"), kind="area", required=True),
        Field("reaction", _("Reactie"), kind="area", required=True),
        Field("objections", _("Bezwaren"), kind="area"),
        Field("weighing", _("Afweging van de bezwaren tegen de bescherming"), kind="area"),
    ]
    open_form(screen, _("Contact vóór de melding"), fields, "pre_report_contact_recorded",
              intro=rule + " " + gezag_line(getattr(screen, "state", None)), form_id="form-pre-report")


def gezag_line(state) -> str:
    """Who has gezag (from Gezin en netwerk, n): the contact about a melding is with the parents
    who have it (seen: the contact form for an 8-year-old did not say which parent that is)."""
    if state is None:
        return ""
    holders = [safe_line(r.get("name", "")) for r in state.household if r.get("gezag") == "yes"]
    if holders:
        return _("Gezag: {names}.", names=", ".join(holders))
    return _("Wie het gezag heeft, is nog niet vastgelegd (Gezin en netwerk, n).")


@register("record_report")
def record_report(screen) -> None:
    fields = [
        Field("on", _("Datum melding"), kind="date", required=True, default=today_iso(screen)),
        Field("office", _("Veilig Thuis-regio"), required=True),
        Field("reference", _("Kenmerk van Veilig Thuis")),
        Field("summary", _("Wat is gemeld (feiten)"), kind="area", required=True),
        Field("reporter_disclosed_to_family", _("Het gezin weet wie heeft gemeld (open melden)"),
              kind="bool", default=True),
    ]
    open_form(screen, _("Melding bij Veilig Thuis vastleggen"), fields, "report_made",
              confirm=_("De melding vastleggen? Dit kan daarna alleen nog gecorrigeerd worden."),
              form_id="form-report")


@register("record_acute_report")
def record_acute_report(screen) -> None:
    """Acute danger: report at once (Veilig Thuis 0800-2000 by phone, 112/the police), at any step."""
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("reported_to", _("Gebeld of ingeschakeld"), kind="multi", required=True, options=[(c, label(c)) for c in ACUTE_REPORTED_TO],
              default=["veilig_thuis_phone"]),
        Field("by_whom", _("Door wie"), required=True, default=screen.app.actor),
        Field("agreed", _("Wat is afgesproken"), kind="area", required=True),
        Field("child_safety", _("Veiligheid van het kind op dit moment"), kind="area", required=True),
        Field("reference", _("Kenmerk")),
    ]
    open_form(screen, _("Acute melding vastleggen"), fields, "acute_report",
              intro=_("Bij acuut gevaar: bel eerst Veilig Thuis (0800-2000) of 112, leg het daarna vast. "
                      "Alleen Veilig Thuis bellen is een melding: na 112, politie of huisarts meldt u "
                      "vandaag ook bij Veilig Thuis. De ontbrekende stappen zet u daarna alsnog."),
              confirm=_("De acute melding vastleggen? Dit kan daarna alleen nog gecorrigeerd worden."),
              form_id="form-acute-report")


@register("record_vt_feedback")
def record_vt_feedback(screen) -> None:
    state = getattr(screen, "state", None)
    # The default follows what is on record for the latest melding (a re-report starts over
    # with the first feedback); the rules accept the final one only after a first.
    stage = feedback_stage_due(state) if state is not None else "first"
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("stage", _("Soort terugkoppeling"), kind="choice", required=True,
              options=[(s, label(s)) for s in VT_FEEDBACK_STAGES], default=stage),
        # Structured (Handelingsprotocol Veilig Thuis: what it decided after its assessment); the
        # open points follow from the decision, the hand-over and what it asks of the school.
        Field("decision", _("Besluit van Veilig Thuis"), kind="choice", required=True,
              options=[(d, record_word(d, "decision")[:1].upper() + record_word(d, "decision")[1:])
                       for d in VT_DECISIONS]),
        Field("taken_over_by", _("Wie neemt het over (organisatie; verplicht bij overdracht)")),
        Field("contact_person", _("Contactpersoon (bij Veilig Thuis of wie het overneemt)")),
        Field("asks_of_school", _("Wat Veilig Thuis van de school vraagt"), kind="area"),
        Field("outcome", _("Wat doet Veilig Thuis / de uitkomst"), kind="area", required=True),
        Field("notes", _("Toelichting"), kind="area"),
    ]
    open_form(screen, _("Terugkoppeling van Veilig Thuis"), fields, "vt_feedback_recorded",
              form_id="form-vt-feedback")


@register("record_school_evaluation")
def record_school_evaluation(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("concerns_remain", _("Er blijven zorgen (dan opnieuw melden)"), kind="bool"),
        Field("summary", _("Evaluatie van de school"), kind="area", required=True),
        Field("agreements", _("Hoe de school het kind blijft volgen"), kind="area"),
    ]
    open_form(screen, _("Evaluatie van de school na de melding"), fields, "school_evaluation_recorded",
              intro=_("Na de eindterugkoppeling van Veilig Thuis: blijven er zorgen, meld dan opnieuw."),
              form_id="form-school-evaluation")


@register("agree_follow_up")
def agree_follow_up(screen) -> None:
    fields = [
        Field("description", _("Afspraak"), kind="area", required=True),
        Field("due_on", _("Uiterlijk"), kind="date", required=True),
        Field("who", _("Wie"), required=True, default=screen.app.actor),
    ]
    open_form(screen, _("Vervolgafspraak maken"), fields, "follow_up_agreed", form_id="form-follow-up")


@register("complete_follow_up")
def complete_follow_up(screen) -> None:
    open_ = screen.state.open_follow_ups() if screen.state else []
    if not open_:
        screen.app.notify(_("Er zijn geen open afspraken."), severity="warning")
        return
    fields = [
        Field("target_seq", _("Afspraak"), kind="choice", required=True,
              options=[(r.seq, f"#{r.seq} {r.get('description', '')}"[:70]) for r in open_],
              default=open_[0].seq),
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("notes", _("Toelichting"), kind="area"),
    ]
    open_form(screen, _("Afspraak afronden"), fields, "follow_up_done", form_id="form-follow-up-done")
