"""The Meldcode rules: may this event be added to this case now?

``check(state, kind, payload, today)`` raises :class:`RuleViolation` (``rule`` = a stable rule id
from :data:`RULES`, a Dutch message and a hint saying what would make it possible) or returns
None. ``payload`` is the normalised payload from :func:`events.validate`.

``check_history(events)`` re-validates a whole case journal event by event (used for
corrections, imports and the demo data).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from ..errors import InputError, RuleViolation
from ..i18n import N_, _
from . import afwegingskader as ak
from .ages import PARENTS, PUPIL, contact_rule, contact_satisfies
from .anonymity import find_identifiers
from .case import CaseState, SimpleEvent, apply_changes, extend, fold
from .events import AUDIT_KINDS, KINDS, validate
from .payload import MIN_EXCEPTION_REASON, MIN_REASON, MIN_REASON_WORDS, missing_words
from .staff_route import STAFF_ALLOWED_KINDS
from .steps import requirements, step_name, step_of
from .vocabulary import field_name, label

# Rule id -> what the rule says (Dutch; translate at use). Every id has a test named after it.
RULES: dict[str, str] = {
    "ended_names_a_current_person": N_("Iemand uit het huishouden of een hulpverlener kan alleen als 'niet meer "
                                       "betrokken' worden vastgelegd als die er nu staat."),
    "body_mark_on_signal": N_("Een letsel op de poptekening hoort bij een vastgelegd signaal van deze casus."),
    "case_link_once": N_("Twee casussen worden één keer gekoppeld, en een casus niet aan zichzelf."),
    "case_must_exist": N_("Een gebeurtenis hoort bij een bestaande casus."),
    "case_already_open": N_("Een casus wordt maar één keer geopend."),
    "case_closed_readonly": N_("Een gesloten casus krijgt geen nieuwe vastleggingen; heropen hem eerst."),
    "erased_case_final": N_("Een gewiste casus wordt niet heropend en krijgt geen nieuwe vastleggingen: "
                            "wat erin stond is weg."),
    "reopen_only_closed": N_("Alleen een gesloten casus kan worden heropend."),
    "reopen_needs_reason": N_("Heropenen vraagt een reden."),
    "close_needs_reason": N_("Sluiten vraagt een reden."),
    "close_grounds_match": N_("De grond voor sluiten moet blijken uit wat is vastgelegd."),
    "step_order": N_("Stappen worden op volgorde gezet; een stap kan pas als de stappen ervoor zijn afgerond."),
    "step_already_completed": N_("Een stap wordt één keer afgerond."),
    "step1_signals": N_("Stap 1 vraagt minstens één vastgelegd signaal."),
    "step2_consultation": N_("Stap 2 vraagt overleg met een deskundige collega of het zorgteam."),
    "step2_care_team": N_("Stap 2 vraagt een zorgteam met de rollen die de school daarvoor heeft "
                          "ingesteld ([zorgteam] required; zonder instelling: leerkracht, interne "
                          "vertrouwenspersoon, ondersteuningscoach en schoolleider)."),
    "step3_conversation_pupil": N_("Stap 3 vraagt een gesprek met de leerling, of een uitzondering met reden."),
    "step3_conversation_parents": N_("Stap 3 vraagt een gesprek met de ouders, of een uitzondering met reden."),
    "conversation_four_elements": N_("Een gesprek telt als het doel is uitgelegd, de feiten zijn besproken, "
                                     "om een reactie is gevraagd en pas daarna is geduid."),
    "step4_weighing": N_("Stap 4 vraagt de antwoorden op de vragen 1 en 2 van het afwegingskader."),
    "doubt_ask_veilig_thuis": N_("Bij twijfel wordt altijd (opnieuw) advies gevraagd aan Veilig Thuis; de "
                                 "telefonische melding bij Veilig Thuis telt daarvoor."),
    "step5_decision": N_("Stap 5 vraagt een besluit over melden en hulp."),
    "step5_report": N_("Als het besluit melden is, wordt de melding vastgelegd."),
    "step5_help_plan": N_("Als het besluit hulp is, wordt het hulpplan vastgelegd."),
    "step5_no_suspicion": N_("Zonder vermoeden wordt de casus gesloten in plaats van besloten."),
    "vt_advice_anonymous": N_("Advies van Veilig Thuis wordt gevraagd op basis van anonieme gegevens."),
    "exception_needs_written_reason": N_("Een uitzondering vraagt een geschreven reden: minstens "
                                         "drie woorden en 20 tekens."),
    "exception_ground_allowed": N_("Een uitzondering kan alleen op een grond die het protocol noemt."),
    "pupil_without_informing_parents": N_("Een gesprek met de leerling zonder de ouders vooraf te "
                                          "informeren vraagt een uitzondering met reden."),
    "weighing_order": N_("De vragen van het afwegingskader worden op volgorde beantwoord, elk één keer."),
    "weighing_answer_allowed": N_("Alleen vraag 2 kent het antwoord 'twijfel'."),
    "weighing_with_veilig_thuis": N_("Bij acute of structurele onveiligheid (of twijfel) worden de vragen "
                                     "3 tot en met 5 samen met Veilig Thuis beantwoord."),
    "weighing_q5_after_review": N_("Vraag 5 wordt beantwoord nadat de hulp is geëvalueerd."),
    "decision_after_weighing": N_("Het besluit volgt op de vragen van het afwegingskader."),
    "decision_consistent_with_weighing": N_("Het besluit past bij de antwoorden in het afwegingskader."),
    "help_plan_needs_decision": N_("Hulp wordt gepland na het besluit dat hulp mogelijk is."),
    "help_review_date_future": N_("De evaluatiedatum van de hulp ligt in de toekomst."),
    "help_review_after_start": N_("Bij hulp die al liep, ligt de evaluatiedatum na de startdatum."),
    "help_review_goal_results": N_("Een hulpplan met doelen wordt per doel geëvalueerd."),
    "help_review_needs_plan": N_("Een evaluatie hoort bij gepland hulp."),
    "report_needs_decision": N_("Een melding volgt op het besluit (of de weging) dat melden nodig is."),
    "report_needs_contact": N_("Voor een melding is er contact met leerling en/of ouders volgens de "
                               "leeftijdsregel, of een uitzondering met reden."),
    "age_contact_rule": N_("Onder 12 jaar is het contact met de ouders, van 12 tot 16 met leerling "
                           "en/of ouders, vanaf 16 met de leerling."),
    "open_melden_tenzij": N_("Open melden, tenzij: het gezin hoort wie meldde, behalve met een "
                             "uitzondering met reden."),
    "vt_feedback_needs_report": N_("Terugkoppeling van Veilig Thuis hoort bij een melding."),
    "follow_up_done_target": N_("Een afgeronde afspraak verwijst naar een open vervolgafspraak van deze casus."),
    "correction_target": N_("Een correctie verwijst naar een eerdere vastlegging van dezelfde casus."),
    "correction_field": N_("Een correctie verandert alleen bestaande velden die mogen veranderen."),
    "correction_consistent": N_("Na de correctie moet de casus nog steeds aan de regels voldoen."),
    "date_not_in_future": N_("Een datum van iets dat gebeurd is ligt niet in de toekomst."),
    "staff_route_no_meldcode": N_("Een vermoeden tegen een medewerker volgt niet de Meldcode maar de "
                                  "route via het schoolbestuur."),
    "staff_route_school_board": N_("Een vermoeden tegen een medewerker gaat in elk geval naar het schoolbestuur."),
    "staff_route_once": N_("Een casus wordt één keer doorverwezen."),
    "consultation_anonymous": N_("Een overleg dat als anoniem is aangemerkt, noemt geen naam of "
                                 "kenmerk van de casus."),
    "pupil_age_plausible": N_("Op de dag dat de casus opent is de leerling 0 tot en met 25 jaar oud."),
    "date_not_before_birth": N_("Wat is vastgelegd, gebeurde niet vóór de geboorte van de leerling."),
    "acute_catch_up": N_("Bij acuut gevaar wordt meteen gemeld (Veilig Thuis, 112 of politie); de "
                         "ontbrekende stappen worden daarna alsnog gezet en de volgorde houdt dat niet tegen."),
    "conversation_danger_consult_vt": N_("Bij een signaal van seksueel misbruik, eergerelateerd geweld of "
                                         "vrouwelijke genitale verminking wordt Veilig Thuis geraadpleegd "
                                         "vóór een gesprek met de ouders; zo nodig komt er geen gesprek "
                                         "(uitzondering, grond veiligheid)."),
    "vt_final_after_first": N_("De eindterugkoppeling van Veilig Thuis volgt op een eerste terugkoppeling "
                               "over dezelfde melding; een nieuwe melding begint opnieuw met de eerste."),
    "reporter_not_disclosed_with_vt": N_("Dat het gezin niet hoort wie meldde, beslist de school samen met "
                                         "Veilig Thuis: de uitzondering noemt wie bij Veilig Thuis akkoord "
                                         "gaf en wanneer."),
    "acute_help_not_a_melding": N_("Acute hulp (112, politie, huisarts) is geen melding: de school meldt "
                                   "dezelfde dag ook bij Veilig Thuis; pas die melding telt voor stap 5 "
                                   "en voor het sluiten."),
    "close_unsafety_needs_report": N_("Bij acute of structurele onveiligheid (vraag 2 ja of twijfel) of na "
                                      "een acute melding wordt de casus pas gesloten als er een melding is."),
    # Guide-only rules (deadlines and prompts; they never refuse anything).
    # --- issue 11: after the report
    "close_reported_needs_outcome": N_("Een gemelde casus sluit pas na de eindterugkoppeling van Veilig "
                                       "Thuis en de evaluatie van de school (of met de grond verhuisd)."),
    "close_concerns_remain": N_("Blijven er na de melding zorgen, dan meldt de school opnieuw voordat "
                                "de casus sluit."),
    "disclosure_straight_to_q2": N_("Vertelt het kind het zelf, dan gaat de casus meteen naar vraag 2 van "
                                    "het afwegingskader en bespreekt u het vandaag met de "
                                    "aandachtsfunctionaris."),
    "staff_route_records_only": N_("Vastleggingen van de andere route horen bij een vermoeden tegen een "
                                   "medewerker."),
    "decision_makers": N_("Het besluit noemt wie besloot (naam en rol): volgens de instellingen van de "
                          "school (standaard het zorgteam, minstens twee mensen, van wie één uit de "
                          "tweede lijn)."),
    "school_evaluation_needs_report": N_("De evaluatie van de school na de melding hoort bij een melding."),
    "vt_feedback_due": N_("Veilig Thuis streeft naar een terugkoppeling binnen 5 werkdagen; komt die niet, "
                          "dan neemt de school contact op met Veilig Thuis."),
    "vt_feedback_follows": N_("Wat Veilig Thuis besloot en van de school vraagt, wordt een open punt: een "
                              "vervolgafspraak, en afstemming met wie het overneemt."),
    "help_review_due": N_("Georganiseerde hulp wordt op de afgesproken datum geëvalueerd."),
    "help_violence_continues": N_("Stopt het geweld niet of laait het op, dan wordt alsnog gemeld."),
    "follow_up_due": N_("Vervolgafspraken worden op tijd afgerond."),
    "injury_medical_consult": N_("Bij letsel kan een vertrouwensarts of forensisch arts worden geraadpleegd."),
}

# Dates that describe something that happened (must not be after today).
_PAST_DATES = {
    "signal_recorded": ("observed_on",),
    "body_mark_recorded": ("observed_on",),
    "consultation_recorded": ("on",),
    "conversation_recorded": ("on",),
    "help_reviewed": ("on",),
    "pre_report_contact_recorded": ("on",),
    "report_made": ("on",),
    "acute_report": ("on",),
    "vt_feedback_recorded": ("on",),
    "school_evaluation_recorded": ("on",),
    "staff_route_recorded": ("on",),
    "follow_up_done": ("on",),
    "staff_suspicion_routed": ("on",),
}


def violation(rule: str, message: str, hint: str | None = None) -> RuleViolation:
    return RuleViolation(rule, message, hint=hint)


def _d(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def check(state: CaseState, kind: str, payload: dict, today: date, *, replay: bool = False) -> None:
    """Raise RuleViolation when the protocol does not allow ``kind`` with ``payload`` now."""
    if kind == "case_opened":
        if state.exists:
            raise violation("case_already_open", _("Deze casus is al geopend."))
        dob = (payload.get("pupil") or {}).get("date_of_birth")
        if dob and not replay and _d(dob) > today:
            raise violation("date_not_in_future", _("De geboortedatum ligt in de toekomst."),
                            _("Controleer het veld 'pupil.date_of_birth'."))
        _check_age_plausible(dob, today)
        return
    if not state.exists:
        raise violation("case_must_exist", _("Deze casus bestaat niet (nog niet geopend)."))
    if kind in AUDIT_KINDS or kind == "case_imported":
        return
    _check_not_erased(state)
    if kind in PRIVACY_KINDS:
        return _check_privacy(state, kind, payload, today, replay)
    _check_not_before_birth(state, kind, payload)
    if kind == "case_reopened":
        if not state.closed:
            raise violation("reopen_only_closed", _("Casus {case_id} is niet gesloten.", case_id=state.case_id))
        _check_reason(payload, "reopen_needs_reason", MIN_REASON)
        return
    if state.closed:
        raise violation("case_closed_readonly",
                        _("Casus {case_id} is gesloten; er kan niets meer worden vastgelegd.",
                          case_id=state.case_id),
                        _("Heropen de casus eerst (met een reden)."))
    if not replay:
        for f in _PAST_DATES.get(kind, ()):
            if payload.get(f) and _d(payload[f]) > today:
                raise violation("date_not_in_future",
                                _("De datum in '{field}' ligt in de toekomst.", field=field_name(f)),
                                _("Leg vast wat gebeurd is, met de datum waarop het gebeurde."))
    if state.staff_route and kind not in STAFF_ALLOWED_KINDS:
        raise violation("staff_route_no_meldcode",
                        _("Casus {case_id} gaat over een vermoeden tegen een medewerker: dat volgt niet "
                          "de Meldcode maar de route via het schoolbestuur.", case_id=state.case_id),
                        _("Het schoolbestuur overlegt met de vertrouwensinspecteur en doet zo nodig "
                          "aangifte. Leg alleen de doorverwijzing, vervolgafspraken en het sluiten vast."))
    if kind == "staff_suspicion_routed":
        return _check_staff_route(state, payload)
    if kind == "staff_route_recorded":
        if not state.staff_route:
            raise violation("staff_route_records_only",
                            _("Casus {case_id} volgt de Meldcode, niet de andere route.", case_id=state.case_id),
                            _("Leg signalen, gesprekken en besluiten vast met de Meldcode-stappen."))
        return
    if kind == "record_corrected":
        return _check_correction(state, payload, today)
    if kind == "case_closed":
        return _check_close(state, payload, replay)
    _check_step_order(state, kind, payload)
    handler = _HANDLERS.get(kind)
    if kind == "decision_recorded":
        _check_decision(state, payload, today, replay)
    elif kind == "exception_recorded":
        _check_exception(state, payload, today, replay)
    elif handler is not None:
        handler(state, payload, today)


# --------------------------------------------------------------------------- data protection

PRIVACY_KINDS = frozenset({"pupil_left", "case_erased", "inzage_decided", "zienswijze_recorded"})


def _check_not_erased(state: CaseState) -> None:
    """erased_case_final: the school's protocol has every step recorded "in het dossier van de
    leerling" (Stap 1); once that record is erased (retention, or on request under the AVG, art.
    17) there is no dossier left to add to, and a nameless case that grows again would be a new
    record about nobody. New concerns about the pupil start a new case."""
    if state.erasure_records:
        raise violation("erased_case_final", _(
            "Casus {case_id} is gewist: hij kan niet worden heropend en krijgt geen nieuwe "
            "vastleggingen.", case_id=state.case_id),
            _("Zijn er nieuwe zorgen over deze leerling, open dan een nieuwe casus."))


def _check_privacy(state: CaseState, kind: str, payload: dict, today: date, replay: bool) -> None:
    """Leaving date, inzage and zienswijze: also on a closed case. An erasure record is
    written by the retention code only, together with the erasure itself."""
    if kind == "case_erased":
        if not replay:
            raise violation("erase_via_retention", _(
                "Een casus wordt gewist met 'meldcode retention', niet als vastlegging."))
        return
    _check_not_before_birth(state, kind, payload)
    day = payload.get("on") or payload.get("decided_on")
    if day and not replay and _d(day) > today:
        raise violation("date_not_in_future", _("De datum ligt in de toekomst."),
                        _("Leg vast wat gebeurd is, met de datum waarop het gebeurde."))
    if kind == "zienswijze_recorded" and not state.inzage:
        raise violation("zienswijze_after_inzage", _(
            "Een zienswijze van de ouders hoort bij een inzage; leg eerst het besluit over de "
            "inzage vast."))


# --------------------------------------------------------------------------- plausible dates

MAX_PUPIL_AGE = 25          # the oldest pupil in (special) secondary education, with margin
# Payload fields that hold the date of something in the case (a correction changes them too).
_EVENT_DATE_FIELDS = ("observed_on", "on", "review_on", "due_on", "next_review_on")


def _age_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _check_age_plausible(dob: str | None, opened_on: date) -> None:
    """``pupil_age_plausible``: a date of birth in the year 0001 (or a typo of a century) makes
    every age rule (under 12 / 12-16 / 16+) answer nonsense."""
    if not dob:
        return
    age = _age_years(_d(dob), opened_on)
    if age < 0 or age > MAX_PUPIL_AGE:
        raise violation("pupil_age_plausible",
                        _("De geboortedatum maakt de leerling {age} jaar oud op de dag dat de casus "
                          "opent; dat kan niet (0 tot en met {max} jaar).", age=age, max=MAX_PUPIL_AGE),
                        _("Controleer het veld 'pupil.date_of_birth'."))


def _check_not_before_birth(state: CaseState, kind: str, payload: dict) -> None:
    """``date_not_before_birth``: an event dated before the pupil was born is a typo."""
    dob = getattr(getattr(state, "pupil", None), "date_of_birth", None)
    if not dob:
        return
    born = _d(dob)
    values = dict(payload)
    if kind == "record_corrected":
        values = dict(payload.get("changes") or {})
    for f in _EVENT_DATE_FIELDS:
        value = values.get(f)
        if isinstance(value, str) and value:
            try:
                when = _d(value)
            except ValueError:
                continue  # the validator reports a malformed date
            if when < born:
                raise violation("date_not_before_birth",
                                _("De datum in '{field}' ligt vóór de geboortedatum van de leerling.",
                                  field=field_name(f)),
                                _("Controleer de datum."))


# --------------------------------------------------------------------------- helpers

def _check_reason(payload: dict, rule: str, min_len: int, field: str = "reason", min_words: int = 0) -> None:
    value = payload.get(field)
    if not isinstance(value, str) or len(" ".join(value.split())) < min_len:
        raise violation(rule, _("Schrijf een reden op van minstens {n} tekens.", n=min_len),
                        _("Een reden zegt waarom; alleen spaties of een enkel woord is niet genoeg."))
    if min_words and (missing := missing_words(value, min_words)):
        raise violation(rule, _("Schrijf de reden in woorden: {missing}.", missing=missing),
                        _("Schrijf in minstens {n} woorden waarom deze uitzondering nodig is.", n=min_words))


def _check_step_order(state: CaseState, kind: str, payload: dict) -> None:
    if kind == "step_completed":
        n = payload["step"]
        if n in state.steps_completed:
            raise violation("step_already_completed", _("Stap {n} is al afgerond.", n=n))
        needed = [s for s in range(1, n) if s not in state.steps_completed]
    else:
        n = step_of(kind, payload)
        if n is None:
            return
        if state.acute_reports:
            return  # acute_catch_up: after an acute report the missing steps are caught up, not refused
        if kind == "weighing_answered" and payload.get("question") in (1, 2) and disclosures(state):
            return  # disclosure_straight_to_q2: a child's own disclosure goes straight to question 2
        needed = [s for s in range(1, n) if s not in state.steps_completed]
    if needed:
        first = needed[0]
        missing = requirements(state, first)
        if missing:
            hint = _("Nog nodig voor stap {first}: {what}", first=first, what=" ".join(m.text for m in missing))
        else:
            hint = _("Stap {first} heeft alles wat nodig is; rond die stap af.", first=first)
        raise violation("step_order",
                        _("Dit hoort bij stap {n}; rond eerst stap {first} af ({name}).",
                          n=n, first=first, name=step_name(first)), hint)


def _check_step_completed(state: CaseState, payload: dict, today: date) -> None:
    n = payload["step"]
    missing = requirements(state, n, today)
    if missing:
        first = missing[0]
        raise violation(first.rule, _("Stap {n} kan nog niet worden afgerond: {what}", n=n, what=first.text),
                        " ".join(m.text for m in missing[1:]) or None)


def _check_consultation(state: CaseState, payload: dict, today: date) -> None:
    if payload.get("kind") != "veilig_thuis_advice":
        if payload.get("anonymous"):
            _check_anonymous_text(state, payload)
        return
    if not payload.get("anonymous"):
        raise violation("vt_advice_anonymous",
                        _("Advies van Veilig Thuis wordt gevraagd op basis van anonieme leerlinggegevens."),
                        _("Zet 'anoniem' aan; noem geen namen. Wilt u de leerling wel noemen, dan is dat "
                          "een melding (stap 5)."))
    # 'Anonymous' must be true of what is written down as well: no name of the pupil or the
    # parents, no pupil number, no date of birth in the question or the advice.
    pattern = _family_pattern(state)
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
    from .anonymity import case_pattern

    places = [where for f, where in (("question", _("de vraag")), ("advice", _("het advies")))
              if find_identifiers(payload.get(f) or "", case_pattern(state))]
    if places:
        raise violation("consultation_anonymous",
                        _("Het overleg is als anoniem aangemerkt, maar in {places} staat een naam of "
                          "kenmerk van de casus.", places=" en ".join(places)),
                        _("Beschrijf de leerling zonder naam (bijv. 'een leerling van 9 jaar'), of "
                          "zet 'anoniem' uit."))


def _family_pattern(state: CaseState):
    # One anonymity check for everything marked anonymous (domain/anonymity.py).
    from .anonymity import case_pattern

    return case_pattern(state)


# Which grounds each exception may rest on.
EXCEPTION_GROUNDS = {
    "no_conversation_pupil": ("safety", "out_of_sight", "age"),
    "pupil_without_informing_parents": ("safety",),
    "no_conversation_parents": ("safety", "out_of_sight"),
    "report_without_contact": ("safety",),
    # Veilig Thuis names three grounds (issue 11); "safety" stays valid for older records.
    "reporter_not_disclosed": ("safety", "child_safety", "reporter_safety", "trust_relationship"),
}


def _check_exception(state: CaseState, payload: dict, today: date, replay: bool = False) -> None:
    _check_reason(payload, "exception_needs_written_reason", MIN_EXCEPTION_REASON,
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
    if payload.get("vt_agreed_on") and not replay and _d(payload["vt_agreed_on"]) > today:
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


def _check_conversation(state: CaseState, payload: dict, today: date) -> None:
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


def _check_weighing(state: CaseState, payload: dict, today: date) -> None:
    q, answer = payload["question"], payload["answer"]
    if q in state.weighing:
        raise violation("weighing_order", _("Vraag {q} van het afwegingskader is al beantwoord.", q=q),
                        _("Klopt het antwoord niet, corrigeer het dan (met een reden)."))
    expected = ak.next_question(state)
    if expected != q:
        if expected is None:
            msg = _("Vraag {q} van het afwegingskader is nu niet aan de orde.", q=q)
            hint = ak.stop_hint(state)
        else:
            msg = _("Beantwoord eerst vraag {e} van het afwegingskader.", e=expected)
            hint = _("De vragen worden op volgorde beantwoord.")
        if q == 5 and expected is None and state.answer(4) == "yes" and not state.help_reviews:
            raise violation("weighing_q5_after_review",
                            _("Vraag 5 wordt beantwoord nadat de hulp is geëvalueerd."),
                            _("Leg eerst de evaluatie van de hulp vast."))
        raise violation("weighing_order", msg, hint)
    if answer == "doubt" and q != 2:
        raise violation("weighing_answer_allowed",
                        _("Vraag {q} wordt met ja of nee beantwoord; twijfel kan alleen bij vraag 2.", q=q),
                        _("Twijfelt u, vraag dan advies aan Veilig Thuis en beantwoord de vraag daarna."))
    if q >= 3 and state.answer(2) in ("yes", "doubt") and not payload.get("with_veilig_thuis"):
        raise violation("weighing_with_veilig_thuis",
                        _("Bij acute of structurele onveiligheid (of twijfel) beantwoordt u vraag {q} samen "
                          "met Veilig Thuis.", q=q),
                        _("Meld nu bij Veilig Thuis en zet 'samen met Veilig Thuis' aan."))


def _check_decision(state: CaseState, payload: dict, today: date, replay: bool = False) -> None:
    missing = ak.missing_for_decision(state)
    if missing:
        raise violation("decision_after_weighing", missing,
                        _("Beantwoord eerst de vragen van het afwegingskader."))
    problem = ak.decision_problem(state, payload["report_needed"], payload["help_possible"])
    if problem:
        raise violation("decision_consistent_with_weighing", problem,
                        _("Pas het besluit aan of corrigeer het antwoord in het afwegingskader."))
    _check_decision_makers(payload, replay, state)


def _check_help_planned(state: CaseState, payload: dict, today: date) -> None:
    decision = state.decision
    if decision is None or not decision.get("help_possible"):
        raise violation("help_plan_needs_decision",
                        _("Er is (nog) geen besluit dat hulp mogelijk is."),
                        _("Leg eerst het besluit vast (stap 5)."))
    if payload.get("starts_on"):
        # Help that already started (issue 11): the review date follows the start, not today.
        if _d(payload["review_on"]) <= _d(payload["starts_on"]):
            raise violation("help_review_after_start",
                            _("De evaluatiedatum moet na de startdatum van de hulp liggen."),
                            _("Kies de datum waarop het effect van de hulp zichtbaar moet zijn."))
    elif _d(payload["review_on"]) <= today:
        raise violation("help_review_date_future",
                        _("De evaluatiedatum moet na vandaag liggen."),
                        _("Kies de datum waarop het effect van de hulp zichtbaar moet zijn, of vul "
                          "de startdatum in als de hulp al liep."))


def _check_help_reviewed(state: CaseState, payload: dict, today: date) -> None:
    if not state.help_plans:
        raise violation("help_review_needs_plan", _("Er is geen hulpplan om te evalueren."),
                        _("Leg eerst het hulpplan vast."))
    nxt = payload.get("next_review_on")
    if nxt and _d(nxt) <= _d(payload["on"]):
        raise violation("help_review_date_future",
                        _("De volgende evaluatiedatum moet na de evaluatie liggen."))
    _check_goal_results(state.help_plan, payload)


def _check_goal_results(plan, payload: dict) -> None:
    """``help_review_goal_results``: a plan with goals is reviewed goal by goal, and the overall
    'results reached' agrees with them."""
    goals = list(plan.get("goals") or []) if plan is not None else []
    results = payload.get("goal_results") or []
    seen = [r["goal"] for r in results]
    if not goals:
        if results:
            raise violation("help_review_goal_results",
                            _("Het hulpplan noemt geen doelen; er is geen resultaat per doel te geven."))
        return
    missing = [n for n in range(1, len(goals) + 1) if n not in seen]
    wrong = [n for n in seen if not 1 <= n <= len(goals)] or [n for n in set(seen) if seen.count(n) > 1]
    if missing or wrong:
        raise violation("help_review_goal_results",
                        _("Geef voor elk doel van het hulpplan (1 tot en met {n}) één keer het resultaat.",
                          n=len(goals)),
                        _("Ontbreekt: doel {missing}.", missing=", ".join(map(str, missing)))
                        if missing else None)
    if payload["results_reached"] != all(r["reached"] for r in results):
        raise violation("help_review_goal_results",
                        _("'Resultaten bereikt' past niet bij de resultaten per doel."),
                        _("Alleen als elk doel is bereikt, zijn de resultaten bereikt."))


def unsafe(state: CaseState) -> bool:
    """Acute and/or structural unsafety on record: question 2 yes or doubt, or an acute report."""
    return state.answer(2) in ("yes", "doubt") or bool(state.acute_reports) or bool(disclosures(state))


def disclosures(state: CaseState) -> list:
    """Signals that are the pupil's own disclosure (issue 11)."""
    return [s for s in state.signals if s.get("disclosure")]


def report_allowed(state: CaseState) -> bool:
    """Whether the weighing or decision calls for a report (now or after all)."""
    if state.answer(2) in ("yes", "doubt") or state.acute_reports or disclosures(state):
        return True
    if state.decision is not None and state.decision.get("report_needed"):
        return True
    if state.answer(5) == "no":
        return True
    return any(r.get("violence_continues") for r in state.help_reviews)


def _check_pre_report_contact(state: CaseState, payload: dict, today: date) -> None:
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


def _check_report(state: CaseState, payload: dict, today: date) -> None:
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


def exception_after_last_report(state: CaseState):
    """``report_without_contact`` recorded after the last written melding (a re-report needs its
    own contact beforehand, or its own exception)."""
    rec = state.exception("report_without_contact")
    after = state.reports[-1].seq if state.reports else 0
    return rec if rec is not None and rec.seq > after else None


def _check_vt_feedback(state: CaseState, payload: dict, today: date) -> None:
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


def feedback_stage_due(state: CaseState) -> str:
    """Which Veilig Thuis feedback the latest melding waits for: "first" until a first feedback
    after it is on record, then "final" (also after the final one: a correction is the way to
    change it). The form's default follows this, so a re-report starts the cycle over."""
    meldingen = state.meldingen
    if not meldingen:
        return "first"
    last = meldingen[-1]
    if any(fb.seq > last.seq and fb.get("stage", "first") == "first" for fb in state.vt_feedback):
        return "final"
    return "first"


def _check_decision_makers(payload: dict, replay: bool = False, state: CaseState | None = None) -> None:
    """``decision_makers``: the zorgteam decides (the school's protocol, stap 5: "de leerkracht met
    het zorgteam die binnen de school verantwoordelijk zijn voor de beslissing"). Who may decide is
    the school's to configure (``[zorgteam] deciders``, ``second_line``, ``min_deciders``; default:
    the zorgteam's roles and the coordinator's, at least two people, one of them second-line
    staff). Older records (a replay) keep the names as they were recorded."""
    from .care_team import COORDINATOR_ROLES
    from .care_team import policy as care_team_policy

    makers = payload.get("decided_by") or []
    if not makers or replay:
        return
    pol = care_team_policy()
    allowed = pol.decider_roles()
    if state is not None and len(makers) == 1 and makers[0].get("role") in COORDINATOR_ROLES:
        # The coordinator records the decision of the case's zorgteam (what the service names
        # when the caller names nobody): accepted when that zorgteam can decide by itself.
        team = [{"name": m.get("name", ""), "role": m.get("role")} for m in state.care_team
                if m.get("role") in allowed]
        if _deciders_problem(team + makers, pol) is None:
            return
    problem = _deciders_problem(makers, pol)
    if problem is not None:
        raise violation("decision_makers", *problem)


def _deciders_problem(makers: list, pol) -> tuple[str, str] | None:
    from .care_team import role_label

    allowed = pol.decider_roles()
    makers = [m for m in makers if (m.get("name") or "").strip()]
    wrong = [m.get("role") for m in makers if m.get("role") not in allowed]
    if wrong:
        return (_("De rol '{role}' beslist volgens de instellingen van de school niet mee over "
                  "melden en hulp.", role=role_label(wrong[0])),
                _("Mogelijke rollen: {roles}.", roles=", ".join(role_label(r) for r in allowed)))
    if not any(m.get("role") in pol.second_line for m in makers):
        return (_("Bij de besluitvormers staat geen medewerker uit de tweede lijn (bijv. interne "
                  "vertrouwenspersoon, ondersteuningscoach of aandachtsfunctionaris)."),
                _("Noem wie uit de tweede lijn mee besliste: {roles}.",
                  roles=", ".join(role_label(r) for r in pol.second_line if r in allowed)))
    names = {" ".join((m.get("name") or "").split()).casefold() for m in makers}
    if len(names) < pol.min_deciders:
        return (_("Het zorgteam besluit: noem minstens {n} besluitvormers (naam en rol).",
                  n=pol.min_deciders),
                _("Noem de leden van het zorgteam die het besluit namen."))
    return None


def _check_school_evaluation(state: CaseState, payload: dict, today: date) -> None:
    if not state.has_report:
        raise violation("school_evaluation_needs_report", _("Er is nog geen melding gedaan."),
                        _("Leg eerst de melding vast; tot dan volgt de school de Meldcode-stappen."))


def report_outcome(state: CaseState) -> tuple[Any, Any, Any]:
    """After the latest report (written or acute): ``(report, final_feedback, evaluation)``, the
    Veilig Thuis final feedback after it and the school's evaluation after that (None where
    missing). Veilig Thuis reports back within 5 working days and again at the end of its
    involvement (Veilig Thuis for professionals; DOMAIN.md "After the report")."""
    reports = state.meldingen
    if not reports:
        return None, None, None
    last = max(reports, key=lambda r: r.seq)
    final = next((fb for fb in reversed(state.vt_feedback)
                  if fb.seq > last.seq and fb.get("stage") == "final"), None)
    evaluation = None
    if final is not None:
        evaluation = next((ev for ev in reversed(state.school_evaluations) if ev.seq > final.seq), None)
    return last, final, evaluation


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


def _check_follow_up_done(state: CaseState, payload: dict, today: date) -> None:
    target = state.records_by_seq.get(payload["target_seq"])
    if target is None or target.kind != "follow_up_agreed":
        raise violation("follow_up_done_target",
                        _("Nummer {seq} is geen vervolgafspraak van casus {case_id}.",
                          seq=payload["target_seq"], case_id=state.case_id))
    if target.seq in state.follow_ups_done:
        raise violation("follow_up_done_target", _("Vervolgafspraak {seq} is al afgerond.", seq=target.seq))


def _check_staff_route(state: CaseState, payload: dict) -> None:
    if state.route is not None:
        raise violation("staff_route_once", _("Casus {case_id} is al doorverwezen.", case_id=state.case_id))
    if "school_board" not in payload.get("routed_to", []):
        raise violation("staff_route_school_board",
                        _("Een vermoeden tegen een medewerker meldt u bij het schoolbestuur."),
                        _("Kies in elk geval 'schoolbestuur'; dat overlegt met de vertrouwensinspecteur."))


def _check_close(state: CaseState, payload: dict, replay: bool = False) -> None:
    _check_reason(payload, "close_needs_reason", MIN_REASON)
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


def _check_correction(state: CaseState, payload: dict, today: date) -> None:
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
    events = [SimpleEvent(r.seq, r.at, r.actor, state.case_id, r.kind, r.original)
              for r in state.records_by_seq.values()]
    at = f"{today.isoformat()}T23:59:59.999999Z"
    events.append(SimpleEvent(state.last_seq + 1, at, "", state.case_id, "record_corrected", payload))
    try:
        check_history(events)
    except RuleViolation as exc:
        raise violation("correction_consistent",
                        _("Met deze correctie klopt de casus niet meer: {problem}", problem=exc.message),
                        _("Corrigeer ook wat ervan afhangt, of leg een nieuwe vastlegging aan.")) from None


def check_history(events: Iterable[Any], *, strict_dates: bool = False) -> CaseState:
    """Re-validate a case journal in order, with corrections applied to what they target.

    Raises the first RuleViolation/InputError. Time-relative checks (dates not in the future,
    review dates after today) use each event's own timestamp when ``strict_dates``, else are
    skipped (a correction may legitimately change a date later).
    """
    events = sorted(events, key=lambda e: e.seq)
    current = fold(events).records_by_seq
    state = CaseState()
    for ev in events:
        if ev.kind == "record_corrected" or ev.kind not in KINDS or ev.payload is None:
            continue
        payload = current[ev.seq].payload if ev.seq in current else ev.payload
        payload = validate(ev.kind, payload)
        day = datetime.fromisoformat(ev.at.replace("Z", "+00:00")).date()
        if ev.kind in ("help_planned",) and not strict_dates:
            # The review date was in the future when the plan was written.
            day = min(day, _d(payload["review_on"]) - _one_day())
        check(state, ev.kind, payload, day, replay=not strict_dates)
        extend(state, SimpleEvent(ev.seq, ev.at, ev.actor, ev.case_id, ev.kind, payload))
    return fold(events)


def _one_day():
    from datetime import timedelta

    return timedelta(days=1)


def _check_ended(kind_added: str):
    def check_it(state: CaseState, payload: dict, today: date) -> None:
        target = state.records_by_seq.get(payload["target_seq"])
        if target is None or target.kind != kind_added or target.seq in state.ended:
            raise violation("ended_names_a_current_person",
                            _("#{seq} is niet iemand die nu bij deze casus staat.", seq=payload["target_seq"]),
                            _("Kies het nummer uit de chronologie."))
    return check_it


def _check_case_linked(state: CaseState, payload: dict, today: date) -> None:
    other = payload["other_case"]
    if other == state.case_id or other in state.linked_cases:
        raise violation("case_link_once",
                        _("Casus {other} is al gekoppeld aan {case_id} (of is dezelfde casus).",
                          other=other, case_id=state.case_id))


def _check_body_mark(state: CaseState, payload: dict, today: date) -> None:
    target = state.records_by_seq.get(payload["signal_seq"])
    if target is None or target.kind != "signal_recorded" or target.erased:
        raise violation("body_mark_on_signal",
                        _("#{seq} is geen signaal van deze casus.", seq=payload["signal_seq"]),
                        _("Kies in de chronologie het signaal waar het letsel bij hoort."))


_HANDLERS = {
    "body_mark_recorded": _check_body_mark,
    "household_member_left": _check_ended("household_member_added"),
    "professional_ended": _check_ended("professional_added"),
    "case_linked": _check_case_linked,
    "step_completed": _check_step_completed,
    "consultation_recorded": _check_consultation,
    "exception_recorded": _check_exception,
    "conversation_recorded": _check_conversation,
    "weighing_answered": _check_weighing,
    "decision_recorded": _check_decision,
    "help_planned": _check_help_planned,
    "help_reviewed": _check_help_reviewed,
    "pre_report_contact_recorded": _check_pre_report_contact,
    "report_made": _check_report,
    "vt_feedback_recorded": _check_vt_feedback,
    "school_evaluation_recorded": _check_school_evaluation,
    "follow_up_done": _check_follow_up_done,
}


# The pupil register's notice that a pupil left the administration: like the leaving date itself
# it also lands on a closed case (retention counts from the leaving, closed or not).
PRIVACY_KINDS = PRIVACY_KINDS | {"pupil_gone_from_register", "overstap_exported", "overstap_receipt"}
