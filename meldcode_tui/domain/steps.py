"""The five steps: their names, which step each intent belongs to, and what each step needs
on record before it can be completed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import N_, _
from .care_team import DEFAULT_POLICY, CareTeamPolicy
from .vocabulary import label

STEP_NAMES = {
    1: N_("Signalen in kaart brengen"),
    2: N_("Collegiale consultatie en zorgteam"),
    3: N_("Gesprek met leerling en/of ouders"),
    4: N_("Wegen met het afwegingskader"),
    5: N_("Beslissen: hulp organiseren en/of melden"),
}
# The same steps in the words a screen's header, step list and chronology row have room for.
STEP_SHORT_NAMES = {
    1: N_("Signalen in kaart brengen"),
    2: N_("Collegiale consultatie"),
    3: N_("Gesprek"),
    4: N_("Wegen"),
    5: N_("Beslissen"),
}

# The step an intent belongs to; it is refused until the steps before it are completed.
# Signals (1) and consultations (1) may be added at any later step too.
KIND_STEP = {
    "signal_recorded": 1,
    "consultation_recorded": 1,
    "care_team_set": 2,
    "conversation_recorded": 3,
    "decision_recorded": 5,
    "help_planned": 5,
    "help_reviewed": 5,
    "pre_report_contact_recorded": 5,
    "report_made": 5,
    "vt_feedback_recorded": 5,
}
EXCEPTION_STEP = {
    "no_conversation_pupil": 3,
    "pupil_without_informing_parents": 3,
    "no_conversation_parents": 3,
    "report_without_contact": 5,
    "reporter_not_disclosed": 5,
}
# Consultations that count as "overleg met een deskundige collega" for step 2.
EXPERT_CONSULTATIONS = ("colleague", "zorgteam")
MEDICAL_CONSULTATIONS = ("vertrouwensarts", "forensisch_arts")


def step_name(n: int) -> str:
    return _(STEP_NAMES[n])


def step_of(kind: str, payload: dict) -> int | None:
    """The step an intent belongs to (None: allowed at any step)."""
    if kind == "weighing_answered":
        return 4 if payload.get("question") in (1, 2) else 5
    if kind == "exception_recorded":
        return EXCEPTION_STEP.get(payload.get("exception"))
    return KIND_STEP.get(kind)


@dataclass(frozen=True)
class Missing:
    """Something a step needs that is not on record yet."""

    rule: str
    text: str          # Dutch, translated
    action: str | None  # service method that resolves it


def danger_text() -> str:
    """The warning before a conversation with the parents (conversation_danger_consult_vt)."""
    return _("Let op: er is een signaal van seksueel misbruik, eergerelateerd geweld of vrouwelijke "
             "genitale verminking. Een gesprek met de ouders kan het kind in gevaar brengen: raadpleeg "
             "eerst Veilig Thuis en leg zo nodig de uitzondering 'geen gesprek met de ouders' vast "
             "(grond: veiligheid) met de reden.")


def missing_care_team_roles(state, policy: CareTeamPolicy = DEFAULT_POLICY) -> list[str]:
    roles = {m.get("role") for m in state.care_team}
    return [r for r in policy.required if r not in roles]


def requirements(state, n: int, today: date | None = None, *,
                 policy: CareTeamPolicy = DEFAULT_POLICY) -> list[Missing]:
    """What step ``n`` still needs on record (empty: it can be completed)."""
    out: list[Missing] = []
    if n == 1:
        if not state.signals_supporting():
            out.append(Missing("step1_signals", _(
                "Leg minstens één signaal vast: wat er is gezien of gehoord, wanneer, door wie, "
                "en of het een eigen waarneming is of van een andere bron komt."), "record_signal"))
    elif n == 2:
        if not any(c.get("kind") in EXPERT_CONSULTATIONS for c in state.consultations):
            out.append(Missing("step2_consultation", _(
                "Overleg over de signalen met een deskundige collega of het zorgteam en leg dat vast."),
                "record_consultation"))
        roles = missing_care_team_roles(state, policy)
        if roles:
            out.append(Missing("step2_care_team", _(
                "Stel het zorgteam samen; nog niet ingevuld: {roles}.",
                roles=", ".join(label(r) for r in roles)), "set_care_team"))
    elif n == 3:
        pupil_ok = bool(state.valid_conversations("pupil")) or state.exception("no_conversation_pupil")
        if not pupil_ok:
            if any("pupil" in c.get("participants", []) for c in state.conversations):
                out.append(Missing("conversation_four_elements", _(
                    "Het gesprek met de leerling volgt niet de vier onderdelen (doel uitleggen, feiten "
                    "bespreken, reactie vragen, pas daarna duiden). Voer en leg een volledig gesprek vast."),
                    "record_conversation"))
            else:
                out.append(Missing("step3_conversation_pupil", _(
                    "Voer het gesprek met de leerling en leg het vast, of leg vast waarom er geen gesprek "
                    "komt (uitzondering met reden)."), "record_conversation"))
        age = state.age_on(today or date.today())
        parents_needed = age is None or age < 18
        parents_ok = bool(state.valid_conversations("parents")) or state.exception("no_conversation_parents")
        if parents_needed and not parents_ok:
            if any("parents" in c.get("participants", []) for c in state.conversations):
                out.append(Missing("conversation_four_elements", _(
                    "Het gesprek met de ouders volgt niet de vier onderdelen (doel uitleggen, feiten "
                    "bespreken, reactie vragen, pas daarna duiden). Voer en leg een volledig gesprek vast."),
                    "record_conversation"))
            elif state.conversation_danger_signals:
                out.append(Missing("conversation_danger_consult_vt", danger_text(), "record_exception"))
            else:
                out.append(Missing("step3_conversation_parents", _(
                    "Voer het gesprek met de ouders en leg het vast, of leg vast waarom er geen gesprek "
                    "komt (uitzondering met reden)."), "record_conversation"))
    elif n == 4:
        q1, q2 = state.answer(1), state.answer(2)
        if q1 is None:
            out.append(Missing("step4_weighing", _(
                "Beantwoord vraag 1 van het afwegingskader: is er een vermoeden?"), "answer_weighing"))
        elif q1 == "yes" and q2 is None:
            out.append(Missing("step4_weighing", _(
                "Beantwoord vraag 2 van het afwegingskader: is er acute en/of structurele onveiligheid?"),
                "answer_weighing"))
        # The school's protocol (stap 4): "Bij twijfel moet altijd (opnieuw) advies worden gevraagd
        # aan Veilig Thuis"; the afwegingskader onderwijs: twijfel -> meld nu telefonisch. One call
        # does both: the melding at Veilig Thuis counts as the advice asked (no separate record).
        if q2 == "doubt" and not state.has_report and not any(
                c.get("kind") == "veilig_thuis_advice" for c in state.consultations):
            out.append(Missing("doubt_ask_veilig_thuis", _(
                "Bij twijfel vraagt u altijd (opnieuw) advies aan Veilig Thuis; leg dat advies vast."),
                "record_consultation"))
    elif n == 5:
        if state.answer(1) == "no":
            out.append(Missing("step5_no_suspicion", _(
                "Er is geen vermoeden (vraag 1): sluit de casus en schrijf op waarom."), "close_case"))
            return out
        decision = state.decision
        if decision is None:
            out.append(Missing("step5_decision", _(
                "Neem het besluit: is melden noodzakelijk, en is hulp bieden of organiseren (ook) mogelijk?"),
                "record_decision"))
            return out
        if decision.get("report_needed") and not state.has_report:
            out.append(Missing("step5_report", _(
                "Het besluit is melden: doe de melding bij Veilig Thuis en leg die vast."), "record_report"))
        if decision.get("help_possible") and not state.help_plans:
            out.append(Missing("step5_help_plan", _(
                "Het besluit is hulp: leg het hulpplan vast met afspraken, rollen, casemanager en "
                "evaluatiedatum."), "plan_help"))
    return out
