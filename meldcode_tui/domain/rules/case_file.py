"""Rules of the case file itself: opening, closing, reopening and correcting a case.

The school's protocol keeps every step "in het dossier van de leerling" (stap 1); these rules keep
that dossier one coherent record: opened once, closed on grounds that show from what is recorded,
reopened with a reason, corrected only where the result still follows the protocol.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from ...errors import InputError, RuleViolation
from ...i18n import N_, _
from ..ages import age_on
from ..case import CaseState, Event, apply_changes
from ..events import KINDS, validate
from ..payload import MIN_REASON
from ..vocabulary import field_name
from .base import (as_date, check_reason, register_rules, report_outcome, unsafe,
                   violation)

register_rules({
    "case_must_exist": N_("Een gebeurtenis hoort bij een bestaande casus."),
    "case_already_open": N_("Een casus wordt maar één keer geopend."),
    "case_closed_readonly": N_("Een gesloten casus krijgt geen nieuwe vastleggingen; heropen hem eerst."),
    "reopen_only_closed": N_("Alleen een gesloten casus kan worden heropend."),
    "reopen_needs_reason": N_("Heropenen vraagt een reden."),
    "close_needs_reason": N_("Sluiten vraagt een reden."),
    "close_grounds_match": N_("De grond voor sluiten moet blijken uit wat is vastgelegd."),
    "correction_target": N_("Een correctie verwijst naar een eerdere vastlegging van dezelfde casus."),
    "correction_field": N_("Een correctie verandert alleen bestaande velden die mogen veranderen."),
    "correction_consistent": N_("Na de correctie moet de casus nog steeds aan de regels voldoen."),
    "pupil_age_plausible": N_("Op de dag dat de casus opent is de leerling 0 tot en met 25 jaar oud."),
    "acute_help_not_a_melding": N_("Acute hulp (112, politie, huisarts) is geen melding: de school meldt "
                                   "dezelfde dag ook bij Veilig Thuis; pas die melding telt voor stap 5 "
                                   "en voor het sluiten."),
    "close_unsafety_needs_report": N_("Bij acute of structurele onveiligheid (vraag 2 ja of twijfel) of na "
                                      "een acute melding wordt de casus pas gesloten als er een melding is."),
    "close_reported_needs_outcome": N_("Een gemelde casus sluit pas na de eindterugkoppeling van Veilig "
                                       "Thuis en de evaluatie van de school (of met de grond verhuisd)."),
    "close_concerns_remain": N_("Blijven er na de melding zorgen, dan meldt de school opnieuw voordat "
                                "de casus sluit."),
})

MAX_PUPIL_AGE = 25          # the oldest pupil in (special) secondary education, with margin


def check_opened(state: CaseState, payload: dict, today: date, replay: bool) -> None:
    """``case_already_open``: one case, one dossier (the school's protocol, stap 1: "in het
    dossier van de leerling"); the date of birth is not in the future and makes a plausible
    pupil."""
    if state.exists:
        raise violation("case_already_open", _("Deze casus is al geopend."))
    dob = (payload.get("pupil") or {}).get("date_of_birth")
    if dob and not replay and as_date(dob) > today:
        raise violation("date_not_in_future", _("De geboortedatum ligt in de toekomst."),
                        _("Controleer het veld 'pupil.date_of_birth'."))
    check_age_plausible(dob, today)


def check_exists(state: CaseState) -> None:
    """``case_must_exist``: the school's protocol, stap 1, records every signal, conversation,
    step and decision "in het dossier van de leerling": a record belongs to a dossier that was
    opened."""
    if not state.exists:
        raise violation("case_must_exist", _("Deze casus bestaat niet (nog niet geopend)."))


def check_age_plausible(dob: str | None, opened_on: date) -> None:
    """``pupil_age_plausible``: a date of birth in the year 0001 (or a typo of a century) makes
    every age rule (under 12 / 12-16 / 16+, the school's protocol and Veilig Thuis's
    leeftijdsregel) answer nonsense."""
    if not dob:
        return
    age = age_on(dob, opened_on)
    if age < 0 or age > MAX_PUPIL_AGE:
        raise violation("pupil_age_plausible",
                        _("De geboortedatum maakt de leerling {age} jaar oud op de dag dat de casus "
                          "opent; dat kan niet (0 tot en met {max} jaar).", age=age, max=MAX_PUPIL_AGE),
                        _("Controleer het veld 'pupil.date_of_birth'."))


def check_reopened(state: CaseState, payload: dict) -> None:
    """``reopen_only_closed`` / ``reopen_needs_reason``: new concerns after closing are added to
    the same dossier (the school's protocol, stap 1), with the reason written down."""
    if not state.closed:
        raise violation("reopen_only_closed", _("Casus {case_id} is niet gesloten.", case_id=state.case_id))
    check_reason(payload, "reopen_needs_reason", MIN_REASON)


def check_not_closed(state: CaseState) -> None:
    """``case_closed_readonly``: a closed case is the record of what was done and why it ended
    (the school's protocol, stap 3: when the conversation takes the concern away "zijn de
    volgende stappen van het stappenplan niet nodig"); what comes after it is recorded after
    reopening it, with a reason."""
    if state.closed:
        raise violation("case_closed_readonly",
                        _("Casus {case_id} is gesloten; er kan niets meer worden vastgelegd.",
                          case_id=state.case_id),
                        _("Heropen de casus eerst (met een reden)."))


def _check_reported_close(state: CaseState, grounds: str) -> None:
    """``close_reported_needs_outcome`` / ``close_concerns_remain``: a reported case closes after
    Veilig Thuis's final feedback and the school's own evaluation, unless the pupil moved away."""
    if grounds == "moved_away" or not state.has_report:
        return
    _last, final, evaluation = report_outcome(state)
    if final is None:
        raise violation("close_reported_needs_outcome",
                        _("Casus {case_id} is gemeld: sluiten kan na de eindterugkoppeling van Veilig "
                          "Thuis (de uitkomst van zijn betrokkenheid).", case_id=state.case_id),
                        _("Leg de eindterugkoppeling vast (soort: eindterugkoppeling), daarna de "
                          "evaluatie van de school; is de leerling verhuisd, sluit dan met die grond."))
    if evaluation is None:
        raise violation("close_reported_needs_outcome",
                        _("De school heeft na de eindterugkoppeling nog niet geëvalueerd of er zorgen "
                          "blijven."),
                        _("Leg de evaluatie van de school vast."))
    if evaluation.get("concerns_remain"):
        raise violation("close_concerns_remain",
                        _("Volgens de evaluatie van de school blijven er zorgen."),
                        _("Meld opnieuw bij Veilig Thuis en leg die melding vast."))


def check_close(state: CaseState, payload: dict, today: date, replay: bool = False) -> None:
    """``close_needs_reason`` / ``close_grounds_match`` / ``acute_help_not_a_melding`` /
    ``close_unsafety_needs_report``: the afwegingskader ends in melden in every case of acute
    and/or structural unsafety, and a call to 112 is help, not that melding (Veilig Thuis:
    "Bel bij acuut gevaar 112", then report); the grounds for closing show from the record."""
    check_reason(payload, "close_needs_reason", MIN_REASON)
    grounds = payload["grounds"]
    if replay and state.emergency_calls and not state.has_report:
        # An older journal: a call to 112 or the police counted as the report when it was closed;
        # it stays readable (corrections, imports) as it was recorded.
        return
    if state.emergency_calls and not state.has_report:
        raise violation("acute_help_not_a_melding",
                        _("Voor casus {case_id} is acute hulp ingeschakeld, maar er is nog geen melding bij "
                          "Veilig Thuis: sluiten kan pas na die melding.", case_id=state.case_id),
                        _("Meld bij Veilig Thuis (telefonisch 0800-2000 of met het meldformulier) en leg "
                          "de melding vast."))
    if unsafe(state) and not state.has_report:
        raise violation("close_unsafety_needs_report",
                        _("Casus {case_id} kent acute of structurele onveiligheid (of twijfel): sluiten kan pas "
                          "als de melding bij Veilig Thuis is vastgelegd.", case_id=state.case_id),
                        _("Meld bij Veilig Thuis en leg de melding vast (afwegingskader: melden in alle "
                          "gevallen van acute en/of structurele onveiligheid)."))
    _check_reported_close(state, grounds)
    problem = None
    if grounds == "concern_removed" and not state.concern_removed:
        problem = _("Er is geen (volledig) gesprek vastgelegd dat de zorg heeft weggenomen.")
    elif grounds == "no_suspicion" and state.answer(1) != "no":
        problem = _("Vraag 1 van het afwegingskader is niet met 'nee' beantwoord.")
    elif grounds == "help_succeeded":
        if state.answer(5) != "yes":
            problem = _("Vraag 5 van het afwegingskader (resultaat bereikt) is niet met 'ja' beantwoord.")
        elif not (payload.get("monitoring_agreements") or "").strip():
            problem = _("Leg vast hoe de veiligheid gevolgd blijft (afspraken over monitoring).")
    elif grounds == "reported" and not state.has_report:   # a melding at Veilig Thuis
        problem = _("Er is geen melding vastgelegd.")
    elif grounds == "staff_route" and not state.route:
        problem = _("De doorverwijzing (vermoeden tegen een medewerker) is niet vastgelegd.")
    elif grounds != "staff_route" and state.staff_route:
        problem = _("Deze casus volgt de route voor een vermoeden tegen een medewerker; sluit met die grond.")
    if problem:
        raise violation("close_grounds_match", problem,
                        _("Kies de grond die past bij wat is vastgelegd, of 'overig' met een reden."))


def check_correction(state: CaseState, payload: dict, today: date,
                     history: Callable[..., CaseState]) -> None:
    """``correction_target`` / ``correction_field`` / ``correction_consistent``: a record is never
    changed, a correction is recorded next to it (the school's protocol: the dossier shows what
    was done, and when); the corrected case must still follow every rule, so the whole journal is
    replayed through ``history`` (``check_history``) with the correction in it."""
    target = state.records_by_seq.get(payload["target_seq"])
    if target is None:
        raise violation("correction_target",
                        _("Nummer {seq} is geen vastlegging van casus {case_id}.",
                          seq=payload["target_seq"], case_id=state.case_id))
    spec = KINDS.get(target.kind)
    if spec is None or not spec.correctable or target.erased:
        raise violation("correction_target",
                        _("Vastlegging {seq} kan niet worden gecorrigeerd.", seq=target.seq))
    changes = payload["changes"]
    for f in changes:
        if f not in target.payload or f in spec.locked_fields:
            raise violation("correction_field",
                            _("Het veld '{field}' kan in deze vastlegging niet worden gecorrigeerd.", field=field_name(f)),
                            _("Leg zo nodig een nieuwe vastlegging aan."))
    merged = apply_changes(target.payload, changes)
    try:
        validate(target.kind, merged)
    except InputError as exc:
        raise InputError(exc.message, field=f"changes.{exc.field}" if exc.field else "changes",
                         hint=exc.hint) from None
    if not any(merged.get(k) != target.payload.get(k) for k in changes):
        raise violation("correction_field", _("De correctie verandert niets."))
    events = [Event(r.seq, r.at, r.actor, state.case_id, r.kind, r.original)
              for r in state.records_by_seq.values()]
    at = f"{today.isoformat()}T23:59:59.999999Z"
    events.append(Event(state.last_seq + 1, at, "", state.case_id, "record_corrected", payload))
    try:
        history(events)
    except RuleViolation as exc:
        raise violation("correction_consistent",
                        _("Met deze correctie klopt de casus niet meer: {problem}", problem=exc.message),
                        _("Corrigeer ook wat ervan afhangt, of leg een nieuwe vastlegging aan.")) from None
