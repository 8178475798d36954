"""The guide: what is missing or due now for a case.

``open_points(state, today)`` returns :class:`OpenPoint` items, most urgent first. Each names the
rule it comes from and the service method (``action``) that resolves it, so the TUI can offer it.
Severity: "overdue" (a date has passed), "due" (act now / within a week), "todo" (needed for
the next step), "info" (good to know).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import _
from . import afwegingskader as ak
from .ages import PARENTS, PUPIL, contact_rule
from .care_team import DEFAULT_POLICY, CareTeamPolicy, coordinator_word
from .case import CaseState
from .dates import format_date
from .deadlines import severity_for, vt_feedback_due
from .vocabulary import label
from .rules import disclosures, exception_after_last_report, report_allowed, report_outcome
from .steps import MEDICAL_CONSULTATIONS, requirements, step_name

SEVERITY_ORDER = {"overdue": 0, "due": 1, "todo": 2, "info": 3}


@dataclass(frozen=True)
class OpenPoint:
    code: str
    text: str            # Dutch sentence for the coordinator
    rule: str            # rule id (domain.rules.RULES) or guide id it comes from
    severity: str        # "overdue" | "due" | "todo" | "info"
    due: date | None = None
    action: str | None = None   # CaseService method that resolves it


def _d(value: str) -> date:
    return date.fromisoformat(value)


def review_due(state: CaseState) -> date | None:
    """When the running help must next be reviewed (None: nothing pending)."""
    plan = state.help_plan
    if plan is None or state.answer(5) is not None:
        return None
    reviews = [r for r in state.help_reviews if r.seq > plan.seq]
    if not reviews:
        return _d(plan["review_on"]) if plan.get("review_on") else None
    nxt = reviews[-1].get("next_review_on")
    return _d(nxt) if nxt else None


def open_points(state: CaseState, today: date, *, policy: CareTeamPolicy = DEFAULT_POLICY) -> list[OpenPoint]:
    """What the case needs next, as open points; ``policy`` is the school's zorgteam policy."""
    points: list[OpenPoint] = []
    add = points.append
    if not state.exists:
        return points
    _register_points(state, today, add)
    if state.closed:
        add(OpenPoint("case_closed", _("De casus is gesloten. Heropen hem (met een reden) om verder te werken."),
                      "case_closed_readonly", "info", None, "reopen_case"))
        return points

    # Follow-up agreements run on every route.
    for fu in state.open_follow_ups():
        if not fu.get("due_on"):
            continue  # erased (retention)
        due = _d(fu["due_on"])
        add(OpenPoint(f"follow_up:{fu.seq}",
                      _("Vervolgafspraak (nr. {seq}) afronden uiterlijk {due}.", seq=fu.seq, due=format_date(due)),
                      "follow_up_due", severity_for(due, today), due, "complete_follow_up"))

    if state.staff_route:
        if state.route is None:
            add(OpenPoint("staff_route", _(
                "Het vermoeden richt zich tegen een medewerker: dit is niet de Meldcode. Meld het bij het "
                "schoolbestuur (dat overlegt met de vertrouwensinspecteur) en leg de doorverwijzing vast."),
                "staff_route_no_meldcode", "due", None, "route_staff_suspicion"))
        else:
            done = {r.get("record_type") for r in state.staff_route_records}
            todo = [t for t in ("facts", "inspector_advice", "board_decision", "outcome") if t not in done]
            if todo:
                # The other route keeps its own record: the board and the vertrouwensinspecteur decide
                # on facts, the inspector's advice, a decision and an outcome, each written down.
                add(OpenPoint("staff_route_records", _(
                    "Andere route: leg nog vast: {what}.", what=", ".join(label(t) for t in todo)),
                    "staff_route_records_only", "todo", None, "record_staff_route"))
            add(OpenPoint("staff_routed", _(
                "Doorverwezen naar het schoolbestuur; de Meldcode-stappen gelden hier niet. Sluit de casus "
                "als de school klaar is."), "staff_route_no_meldcode", "info", None, "close_case"))
        return _sorted(points)

    # Acute help is not a melding: after 112, the police or the huisarts the school reports to
    # Veilig Thuis the same day (acute_help_not_a_melding).
    call = state.melding_needed_after_emergency
    if call is not None:
        due = _d(call["on"]) if call.get("on") else today
        add(OpenPoint("melding_after_acute", _(
            "Meld vandaag ook bij Veilig Thuis (0800-2000): acute hulp via 112, politie of huisarts is "
            "geen melding. Leg de melding vast (acute melding bij Veilig Thuis of het meldformulier)."),
            "acute_help_not_a_melding", "overdue" if today > due else "due", due, "record_acute_report"))

    # Reports: Veilig Thuis feedback within 5 working days.
    for rep in state.meldingen:
        if any(fb.seq > rep.seq for fb in state.vt_feedback) or not rep.get("on"):
            continue
        # Veilig Thuis aims to report back within 5 working days (its triage term, Uitvoeringsbesluit
        # Wmo 2015 art. 4.1.7; https://www.meldcode.nu/triage/). That is Veilig Thuis's term, not
        # the school's deadline: what the school does when it passes is call Veilig Thuis.
        due = vt_feedback_due(rep["on"])
        text = (_("Nog geen terugkoppeling van Veilig Thuis over de melding van {on}: neem contact op "
                  "met Veilig Thuis en leg de terugkoppeling vast.", on=format_date(rep["on"]))
                if today > due else
                _("Leg de terugkoppeling van Veilig Thuis vast (Veilig Thuis streeft naar uiterlijk {due}).",
                  due=format_date(due)))
        add(OpenPoint(f"vt_feedback:{rep.seq}", text, "vt_feedback_due", "due", due, "record_vt_feedback"))
    _feedback_follows(state, add)

    last_report_seq = state.meldingen[-1].seq if state.meldingen else 0
    _after_report(state, add)

    # Help running: review date, and reporting after all when the violence goes on.
    due = review_due(state)
    if due is not None:
        add(OpenPoint("help_review", _("Evalueer de hulp met het zorgteam uiterlijk {due}.", due=format_date(due)),
                      "help_review_due", severity_for(due, today), due, "review_help"))
    cont = [r for r in state.help_reviews if r.get("violence_continues") and r.seq > last_report_seq]
    if cont:
        add(OpenPoint("report_after_all", _(
            "Het geweld stopt niet of laait weer op: meld alsnog bij Veilig Thuis."),
            "help_violence_continues", "due", None, "record_report"))
    if state.answer(5) == "no" and state.weighing[5].seq > last_report_seq and not cont:
        add(OpenPoint("report_after_all", _(
            "De hulp bereikt de afgesproken resultaten niet (vraag 5): meld (opnieuw) bij Veilig Thuis."),
            "decision_consistent_with_weighing", "due", None, "record_report"))

    # The conversation took the worry away: the case may be closed.
    if state.concern_removed and not state.reports and not state.help_plans:
        add(OpenPoint("concern_removed", _(
            "Het gesprek heeft de zorg weggenomen: u kunt de casus sluiten (met een reden)."),
            "close_grounds_match", "info", None, "close_case"))

    # A pupil's own disclosure counts as acute unsafety (DOMAIN.md): discuss it today with the aandachtsfunctionaris, and
    # go straight to question 2 of the afwegingskader.
    disclosed = disclosures(state)
    if disclosed:
        first = disclosed[0]
        if not any(c.seq > first.seq for c in state.consultations):
            due = _d(first["observed_on"]) if first.get("observed_on") else None
            add(OpenPoint("disclosure_today", _(
                "Het kind heeft het zelf verteld: bespreek het vandaag met {who} en leg dat overleg vast.",
                who=coordinator_word(policy)), "disclosure_straight_to_q2",
                "overdue" if due is not None and today > due else "due", due, "record_consultation"))
        if state.answer(2) is None and not state.has_report:
            add(OpenPoint("disclosure_q2", _(
                "Het kind heeft het zelf verteld: beantwoord meteen vraag 1 en 2 van het afwegingskader "
                "(is er acute of structurele onveiligheid?)."), "disclosure_straight_to_q2", "due", None,
                "answer_weighing"))

    # A signal of sexual abuse, honour-related violence or FGM: warn before any conversation with
    # the parents and ask that Veilig Thuis is consulted first (conversation_danger_consult_vt).
    danger = bool(state.conversation_danger_signals) and not state.exception("no_conversation_parents") \
        and not any("parents" in c.get("participants", []) for c in state.conversations)
    if danger and not state.veilig_thuis_consulted:
        add(OpenPoint("conversation_danger", _(
            "Let op: voer nog geen gesprek met de ouders. Er is een signaal van seksueel misbruik, "
            "eergerelateerd geweld of vrouwelijke genitale verminking; raadpleeg eerst Veilig Thuis "
            "(0800-2000) over of en hoe er met wie gesproken wordt, en leg dat advies vast."),
            "conversation_danger_consult_vt", "due", None, "record_consultation"))

    # Step 1 extras: contradicting facts; injuries.
    if state.step <= 2 and state.signals and not state.signals_contradicting():
        add(OpenPoint("contradicting_facts", _(
            "Leg ook de feiten vast die het vermoeden weerspreken (of noteer dat die er niet zijn)."),
            "step1_signals", "info", None, "record_signal"))
    if any(s.get("injury") for s in state.signals) and not any(
            c.get("kind") in MEDICAL_CONSULTATIONS for c in state.consultations):
        add(OpenPoint("injury_consult", _(
            "Er is letsel vastgelegd: vraag zo nodig advies aan een vertrouwensarts van Veilig Thuis of een "
            "forensisch arts over de aard en oorzaak."), "injury_medical_consult", "todo", None,
            "record_consultation"))

    # The afwegingskader and the report.
    if state.answer(2) == "doubt" and not state.has_report and 4 not in state.steps_completed:
        # Twijfel: the afwegingskader says report by phone now; that call is also the advice the
        # school's protocol asks for at step 4 - no separate advice record first.
        add(OpenPoint("report_now", _(
            "Twijfel (vraag 2): meld nu telefonisch bij Veilig Thuis (0800-2000); dat gesprek is ook het "
            "advies dat het protocol bij twijfel vraagt. Leg de melding vast en beantwoord de vragen 3 "
            "tot en met 5 samen met Veilig Thuis."),
            "weighing_with_veilig_thuis", "due", None, "record_acute_report"))
    elif state.answer(2) in ("yes", "doubt") and not state.has_report:
        add(OpenPoint("report_now", _(
            "Acute of structurele onveiligheid (of twijfel): meld nu bij Veilig Thuis (telefonisch) en "
            "beantwoord de vragen 3 tot en met 5 samen met Veilig Thuis."),
            "weighing_with_veilig_thuis", "due", None,
            "record_report" if 4 in state.steps_completed else "complete_step"))
    if state.answer(1) == "no":
        add(OpenPoint("close_no_suspicion", _(
            "Er is geen vermoeden (vraag 1): sluit de casus en schrijf op waarom; organiseer zo nodig hulp."),
            "step5_no_suspicion", "todo", None, "close_case"))
    if state.answer(5) == "yes":
        add(OpenPoint("close_help_succeeded", _(
            "De hulp heeft het resultaat bereikt: sluit de casus met afspraken over hoe de veiligheid "
            "gevolgd blijft."), "close_grounds_match", "todo", None, "close_case"))
    if 4 in state.steps_completed or state.step == 4:
        q = ak.next_question(state)
        if q is not None and (q <= 2 or 4 in state.steps_completed):
            extra = (" " + _("Beantwoord deze vraag samen met Veilig Thuis.")) if (
                q >= 3 and ak.with_veilig_thuis_required(state)) else ""
            add(OpenPoint(f"weighing_q{q}", _("Afwegingskader, vraag {q}: {text}", q=q,
                                              text=ak.question_text(q)) + extra,
                          "weighing_order", "todo", None, "answer_weighing"))

    _last, _final, evaluation = report_outcome(state)
    again = evaluation is not None and bool(evaluation.get("concerns_remain"))
    pending_report = report_allowed(state) and (not state.has_report or cont or again or (
        state.answer(5) == "no" and state.weighing[5].seq > last_report_seq))
    if pending_report and 4 in state.steps_completed and call is None:
        if not state.contact_ok_for_report(today) and not exception_after_last_report(state):
            age = state.age_on(today)
            rule = contact_rule(age) if age is not None else None
            who = {PARENTS: _("de ouders (de leerling is jonger dan 12)"),
                   PUPIL: _("de leerling (16 jaar of ouder)")}.get(
                rule, _("de leerling en/of de ouders (leerling is 12 tot 16)"))
            add(OpenPoint("pre_report_contact", _(
                "Bespreek de melding vooraf met {who}: leg uit wat, waarom en wat het betekent, vraag een "
                "reactie en weeg bezwaren. Alleen bij gevaar voor iemands veiligheid mag dit achterwege "
                "blijven (uitzondering met reden).", who=who) + ((" " + _(
                "Bij dit signaal kan contact met de ouders het kind in gevaar brengen: overleg met Veilig "
                "Thuis over 'melden zonder contact vooraf' (grond: veiligheid).")) if state.conversation_danger_signals
                and rule != PUPIL else ""),
                "report_needs_contact", "todo", None, "record_pre_report_contact"))

    # After an acute report every missing step becomes an open point, caught up afterwards.
    if state.acute_reports and not state.all_steps_completed:
        for n in (s for s in range(1, 6) if s not in state.steps_completed):
            missing = requirements(state, n, today, policy=policy)
            for m in missing:
                if m.rule == "step5_report":
                    continue
                add(OpenPoint(f"acute:step{n}:{m.rule}", _(
                    "Na de acute melding alsnog, stap {n} ({name}): {what}", n=n, name=step_name(n),
                    what=m.text), m.rule, "todo", None, m.action))
            if not missing and n == state.step:
                add(OpenPoint(f"complete_step{n}", _(
                    "Stap {n} ({name}) heeft alles wat nodig is: rond de stap af.", n=n, name=step_name(n)),
                    "acute_catch_up", "todo", None, "complete_step"))
        return _sorted(points)

    # The current step: what it still needs, or that it can be completed.
    if not state.all_steps_completed:
        n = state.step
        missing = requirements(state, n, today, policy=policy)
        seen = {p.code for p in points}
        for m in missing:
            code = f"step{n}:{m.rule}"
            if m.rule in ("step5_no_suspicion",) and "close_no_suspicion" in seen:
                continue
            if m.rule == "step4_weighing" and any(c.startswith("weighing_q") for c in seen):
                continue
            if m.rule == "step5_report" and seen & {"report_now", "report_after_all"}:
                continue
            add(OpenPoint(code, _("Stap {n} ({name}): {what}", n=n, name=step_name(n), what=m.text),
                          m.rule, "todo", None, m.action))
        if not missing and not (n == 5 and "report_after_all" in seen):
            # After Q5 "nee" (or violence going on) only the report path is offered.
            add(OpenPoint(f"complete_step{n}", _("Stap {n} ({name}) heeft alles wat nodig is: rond de stap af.",
                                                 n=n, name=step_name(n)),
                          "step_order", "todo", None, "complete_step"))
    return _sorted(points)


def _after_report(state: CaseState, add) -> None:
    """After the report, a phase of its own: the first feedback no longer prompts
    closing. Veilig Thuis reports back again at the end of its involvement; the school keeps
    following the child, evaluates whether concerns remain, and reports again if they do.
    Sources: Veilig Thuis for professionals ("na de melding": feedback within 5 working days and
    at the end), Basismodel meldcode step 5 ("doet alsnog een melding ... als het geweld niet
    blijkt te stoppen of opnieuw oplaait")."""
    last, final, evaluation = report_outcome(state)
    if last is None:
        return
    first_given = any(fb.seq > last.seq for fb in state.vt_feedback)
    if final is None:
        if first_given:
            add(OpenPoint("vt_final_feedback", _(
                "Veilig Thuis is betrokken: volg het kind intussen en voer de afspraken uit. Leg de "
                "eindterugkoppeling vast als Veilig Thuis zijn betrokkenheid afsluit."),
                "close_reported_needs_outcome", "info", None, "record_vt_feedback"))
        return
    if evaluation is None:
        add(OpenPoint("school_evaluation", _(
            "Veilig Thuis heeft de eindterugkoppeling gegeven: evalueer als school of er zorgen blijven "
            "en hoe u het kind blijft volgen."), "close_reported_needs_outcome", "todo", None,
            "record_school_evaluation"))
    elif evaluation.get("concerns_remain"):
        add(OpenPoint("report_again", _(
            "Volgens de evaluatie van de school blijven er zorgen: meld opnieuw bij Veilig Thuis."),
            "close_concerns_remain", "due", None, "record_report"))
    else:
        add(OpenPoint("close_reported", _(
            "Eindterugkoppeling van Veilig Thuis en evaluatie van de school zijn vastgelegd: sluit de "
            "casus als de school niets meer te doen heeft (grond: gemeld)."),
            "close_grounds_match", "info", None, "close_case"))


def _register_points(state: CaseState, today: date, add) -> None:
    """The pupil register's point (a pupil with a case left the administration) and the
    overstapdossier's (its receipt not yet recorded), also on a closed case:
    domain/pupil_register.py, domain/overstap.py."""
    from .overstap import receipt_point
    from .pupil_register import leaving_point

    for point in (leaving_point(state, today), receipt_point(state, today)):
        if point is not None:
            add(point)


# Points that come before everything else: the child is in acute danger and Veilig Thuis has not
# been told yet.
FIRST_CODES = ("melding_after_acute",)


def _feedback_follows(state: CaseState, add) -> None:
    """``vt_feedback_follows``: the open points that follow from Veilig Thuis's latest structured
    feedback on the latest melding - what it asks of the school becomes a follow-up agreement, and
    a hand-over names with whom the school keeps in touch."""
    meldingen = state.meldingen
    if not meldingen:
        return
    last = meldingen[-1]
    feedback = [fb for fb in state.vt_feedback if fb.seq > last.seq and fb.get("decision")]
    if not feedback:
        return
    fb = feedback[-1]
    asks = (fb.get("asks_of_school") or "").strip()
    if asks and not any(f.seq > fb.seq for f in state.follow_ups):
        add(OpenPoint(f"vt_asks:{fb.seq}", _(
            "Veilig Thuis vraagt van de school: {asks} Maak er een vervolgafspraak van (wie, wanneer).",
            asks=asks if asks.endswith(".") else asks + "."), "vt_feedback_follows", "todo", None,
            "agree_follow_up"))
    org = (fb.get("taken_over_by") or "").strip()
    if org:
        contact = (fb.get("contact_person") or "").strip()
        add(OpenPoint(f"vt_handover:{fb.seq}", _(
            "{org} neemt het over van Veilig Thuis{contact}: stem af hoe de school het kind blijft "
            "volgen en met wie u contact houdt.", org=org,
            contact=_(" (contactpersoon: {name})", name=contact) if contact else ""),
            "vt_feedback_follows", "info", None, "agree_follow_up"))


def _sorted(points: list[OpenPoint]) -> list[OpenPoint]:
    return sorted(points, key=lambda p: (p.code not in FIRST_CODES, SEVERITY_ORDER.get(p.severity, 9),
                                         p.due or date.max))


def next_deadline(points: list[OpenPoint]) -> OpenPoint | None:
    dated = [p for p in points if p.due is not None]
    return min(dated, key=lambda p: p.due) if dated else None
