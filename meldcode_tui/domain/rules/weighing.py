"""Rules of the steps' order, stap 4 (weighing with the afwegingskader) and the decision of
stap 5 of the school's protocol."""

from __future__ import annotations

from datetime import date

from ...i18n import N_, _
from .. import afwegingskader as ak
from ..care_team import COORDINATOR_ROLES, DEFAULT_POLICY, CareTeamPolicy, role_label
from ..case import CaseState
from ..steps import requirements, step_name, step_of
from .base import check_decider_roles, disclosures, handles, register_rules, violation

register_rules({
    "step_order": N_("Stappen worden op volgorde gezet; een stap kan pas als de stappen ervoor zijn afgerond."),
    "step_already_completed": N_("Een stap wordt één keer afgerond."),
    "acute_catch_up": N_("Bij acuut gevaar wordt meteen gemeld (Veilig Thuis, 112 of politie); de "
                         "ontbrekende stappen worden daarna alsnog gezet en de volgorde houdt dat niet tegen."),
    "step4_weighing": N_("Stap 4 vraagt de antwoorden op de vragen 1 en 2 van het afwegingskader."),
    "doubt_ask_veilig_thuis": N_("Bij twijfel wordt altijd (opnieuw) advies gevraagd aan Veilig Thuis; de "
                                 "telefonische melding bij Veilig Thuis telt daarvoor."),
    "step5_decision": N_("Stap 5 vraagt een besluit over melden en hulp."),
    "step5_report": N_("Als het besluit melden is, wordt de melding vastgelegd."),
    "step5_help_plan": N_("Als het besluit hulp is, wordt het hulpplan vastgelegd."),
    "step5_no_suspicion": N_("Zonder vermoeden wordt de casus gesloten in plaats van besloten."),
    "weighing_order": N_("De vragen van het afwegingskader worden op volgorde beantwoord, elk één keer."),
    "weighing_answer_allowed": N_("Alleen vraag 2 kent het antwoord 'twijfel'."),
    "weighing_with_veilig_thuis": N_("Bij acute of structurele onveiligheid (of twijfel) worden de vragen "
                                     "3 tot en met 5 samen met Veilig Thuis beantwoord."),
    "weighing_q5_after_review": N_("Vraag 5 wordt beantwoord nadat de hulp is geëvalueerd."),
    "decision_after_weighing": N_("Het besluit volgt op de vragen van het afwegingskader."),
    "decision_consistent_with_weighing": N_("Het besluit past bij de antwoorden in het afwegingskader."),
    "decision_makers": N_("Het besluit noemt wie besloot (naam en rol): volgens de instellingen van de "
                          "school (standaard het zorgteam, minstens twee mensen, van wie één uit de "
                          "tweede lijn)."),
})


def check_step_order(state: CaseState, kind: str, payload: dict,
                     policy: CareTeamPolicy = DEFAULT_POLICY) -> None:
    """``step_order`` / ``step_already_completed``: the school's protocol is a "stappenplan"
    whose steps follow each other; ``acute_catch_up``: in acute danger the school reports at once
    (afwegingskader; Veilig Thuis: "Bel bij acuut gevaar 112") and catches up the steps after;
    ``disclosure_straight_to_q2``: a child's own disclosure goes straight to question 2."""
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
        missing = requirements(state, first, policy=policy)
        if missing:
            hint = _("Nog nodig voor stap {first}: {what}", first=first, what=" ".join(m.text for m in missing))
        else:
            hint = _("Stap {first} heeft alles wat nodig is; rond die stap af.", first=first)
        raise violation("step_order",
                        _("Dit hoort bij stap {n}; rond eerst stap {first} af ({name}).",
                          n=n, first=first, name=step_name(first)), hint)


@handles("step_completed")
def check_step_completed(state: CaseState, payload: dict, today: date, *,
                         policy: CareTeamPolicy = DEFAULT_POLICY, **_ctx) -> None:
    """A step is completed when it has what the school's protocol asks of it (``steps.requirements``:
    the ``step1_*`` to ``step5_*`` rules, ``doubt_ask_veilig_thuis``, the conversation rules)."""
    n = payload["step"]
    missing = requirements(state, n, today, policy=policy)
    if missing:
        first = missing[0]
        raise violation(first.rule, _("Stap {n} kan nog niet worden afgerond: {what}", n=n, what=first.text),
                        " ".join(m.text for m in missing[1:]) or None)


@handles("weighing_answered")
def check_weighing(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``weighing_order`` / ``weighing_answer_allowed`` / ``weighing_with_veilig_thuis`` /
    ``weighing_q5_after_review``: the afwegingskader's five questions are answered in order; only
    question 2 knows 'twijfel' ("Bij twijfel moet altijd (opnieuw) advies worden gevraagd aan
    Veilig Thuis", the school's protocol, stap 4); with acute or structural unsafety the rest is
    weighed together with Veilig Thuis; question 5 (is the result reached) follows the review."""
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


@handles("decision_recorded")
def check_decision(state: CaseState, payload: dict, today: date, replay: bool = False, *,
                   policy: CareTeamPolicy = DEFAULT_POLICY, **_ctx) -> None:
    """``decision_after_weighing`` / ``decision_consistent_with_weighing``: the school's protocol,
    stap 5: "Na de weging van stap 4 komt de leerkracht met het zorgteam ... tot een besluit";
    the decision follows from the afwegingskader's answers (a report in every case of acute or
    structural unsafety)."""
    missing = ak.missing_for_decision(state)
    if missing:
        raise violation("decision_after_weighing", missing,
                        _("Beantwoord eerst de vragen van het afwegingskader."))
    problem = ak.decision_problem(state, payload["report_needed"], payload["help_possible"])
    if problem:
        raise violation("decision_consistent_with_weighing", problem,
                        _("Pas het besluit aan of corrigeer het antwoord in het afwegingskader."))
    check_decider_roles(payload, policy)
    _check_decision_makers(payload, replay, state, policy=policy)


def _check_decision_makers(payload: dict, replay: bool = False, state: CaseState | None = None, *,
                           policy: CareTeamPolicy = DEFAULT_POLICY) -> None:
    """``decision_makers``: the zorgteam decides (the school's protocol, stap 5: "de leerkracht met
    het zorgteam die binnen de school verantwoordelijk zijn voor de beslissing"). Who may decide is
    the school's to configure (``[zorgteam] deciders``, ``second_line``, ``min_deciders``; default:
    the zorgteam's roles and the coordinator's, at least two people, one of them second-line
    staff). Older records (a replay) keep the names as they were recorded."""
    makers = payload.get("decided_by") or []
    if not makers or replay:
        return
    allowed = policy.decider_roles()
    if state is not None and len(makers) == 1 and makers[0].get("role") in COORDINATOR_ROLES:
        # The coordinator records the decision of the case's zorgteam (what the service names
        # when the caller names nobody): accepted when that zorgteam can decide by itself.
        team = [{"name": m.get("name", ""), "role": m.get("role")} for m in state.care_team
                if m.get("role") in allowed]
        if _deciders_problem(team + makers, policy) is None:
            return
    problem = _deciders_problem(makers, policy)
    if problem is not None:
        raise violation("decision_makers", *problem)


def _deciders_problem(makers: list, pol: CareTeamPolicy) -> tuple[str, str] | None:
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
