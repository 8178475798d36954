"""One entry per service intent: which form (or screen) records it from the case screen."""

from __future__ import annotations

from typing import Callable

from ..errors import InputError
from ..i18n import N_, _
from ..text_safety import safe_line
from .forms import Field, FormScreen
from .labels import (CONSULTATION_KINDS, CONVERSATION_ELEMENTS, EXCEPTION_GROUNDS, EXCEPTIONS,
                     PARTICIPANTS, STEP_NAMES, event_summary, field_label, kind_label)

YES_NO_UNKNOWN = [("yes", _("ja")), ("no", _("nee")), ("unknown", _("niet van toepassing / onbekend"))]


def _opts(pairs) -> list[tuple[str, str]]:
    return [(v, _(label)) for v, label in pairs]


def _close_grounds() -> list[tuple[str, str]]:
    from ..domain.kinds.case_file import CLOSE_GROUNDS
    from ..domain.vocabulary import label

    return [(g, label(g, "grounds")) for g in CLOSE_GROUNDS]


def _routed_to() -> list[tuple[str, str]]:
    from ..domain.kinds.staff_route import ROUTED_TO
    from ..domain.vocabulary import label

    return [(g, label(g)) for g in ROUTED_TO]


def start(screen, name: str, **kwargs) -> None:
    """Open the form for intent ``name`` on the case screen ``screen``."""
    handler = HANDLERS.get(name)
    if handler is None:
        screen.app.notify(_("Deze handeling is (nog) niet beschikbaar in de app."), severity="warning")
        return
    state = getattr(screen, "state", None)
    if state is not None and getattr(state, "staff_route", False) and name not in STAFF_ROUTE_INTENTS:
        # Say so before the form opens: nothing typed would be accepted on this route.
        from ..domain.rules import check
        from ..errors import RuleViolation

        try:
            check(state, "signal_recorded", {}, screen.app.today())
        except RuleViolation as exc:
            screen.app.notify(f"{exc.message}\n→ {exc.hint}" if exc.hint else exc.message,
                              title=_("Andere route"), severity="warning", timeout=12)
            return
        except Exception:  # noqa: BLE001 - let the form and the service decide
            pass
    handler(screen, **kwargs)


# What remains on a case about a member of staff (see domain/staff_route.py).
STAFF_ROUTE_INTENTS = frozenset({
    "route_staff_suspicion", "record_staff_route", "agree_follow_up", "complete_follow_up", "correct_record",
    "close_or_reopen", "close_case", "reopen_case", "export", "journal", "attachments",
    # the AVG applies to every file the school keeps
    "privacy", "decide_inzage", "export_inzage", "record_zienswijze", "record_pupil_left",
    "erase_on_request"})


def _form(screen, title: str, fields: list[Field], kind: str | None = None, *,
          build: Callable[[dict], dict] | None = None, run: Callable[[dict], object] | None = None,
          intro: str = "", confirm: str | None = None, form_id: str = "form",
          precheck_kind: str | None = None, start_at_first: bool = False) -> None:
    app = screen.app
    case_id = screen.case_id

    def submit(values: dict):
        # The case as the form was opened on it (FormScreen moves it on after "save anyway").
        expect = form.expect_seq
        if run is not None:
            app.svc.check_not_stale(case_id, expect)
            return run(values)
        payload = build(values) if build else values
        return app.svc.record(case_id, kind, payload, expect_seq=expect)

    def precheck(values: dict) -> None:
        """The protocol's own check, before the confirmation question (nothing is written)."""
        from ..domain.case import fold
        from ..domain.events import validate
        from ..domain.rules import check
        from ..errors import MeldcodeError

        app.svc.check_not_stale(case_id, form.expect_seq)   # a colleague's record first
        check_kind = precheck_kind or kind
        try:
            payload = validate(check_kind, dict(build(values) if build else values))
            state = fold(app.svc.journal(case_id))
        except MeldcodeError:
            raise
        except Exception:  # noqa: BLE001 - cannot tell here: the service decides on save
            return
        check(state, check_kind, payload, app.today(), policy=app.svc.care_team_policy)

    form = FormScreen(title, fields, submit, intro=intro, confirm=confirm, form_id=form_id,
                      on_exception=lambda code: start(screen, "record_exception", code=code),
                      on_concurrent=screen.reload, draft_key=f"{case_id}:{form_id}",
                      precheck=precheck if (confirm and (precheck_kind or kind)) else None,
                      start_at_first=start_at_first)
    form.expect_seq = getattr(getattr(screen, "state", None), "last_seq", None)
    form.decisive = form_id in DECISIVE_FORMS
    app.push_screen(form, screen.after_write)


# Forms whose save is a decision: when a colleague recorded something since the form opened,
# these always ask (what was added, then save anyway or go back); the others save with a notice.
# The zorgteam is one: a save replaces the whole team, and the team decides who sees the case,
# so a colleague's team saved meanwhile is never replaced without asking.
DECISIVE_FORMS = frozenset({"form-complete-step", "form-decision", "form-report", "form-close",
                            "form-care-team"})


def _today(screen) -> str:
    return screen.app.today().isoformat()


# --------------------------------------------------------------------------- intents
def record_signal(screen) -> None:
    from .signals import SignalPicker

    screen.app.push_screen(SignalPicker(screen.case_id, screen.state), screen.after_write)


def answer_weighing(screen) -> None:
    from .weighing import WeighingWizard

    screen.app.push_screen(WeighingWizard(screen.case_id, screen.state), screen.after_write)


def record_consultation(screen) -> None:
    fields = [
        Field("kind", _("Met wie (soort)"), kind="choice", required=True,
              options=_opts(CONSULTATION_KINDS), default="colleague",
              sets={"veilig_thuis_advice": {"anonymous": True}}),
        Field("with_whom", _("Naam / functie"), required=True),
        # What is typed first, then what the form fills in (today; anonymous for Veilig Thuis).
        Field("question", _("Vraag"), kind="area", required=True),
        Field("advice", _("Advies"), kind="area"),
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("anonymous", _("Anoniem (zonder gegevens van de leerling)"), kind="bool", default=False,
              help=_("Verplicht bij een advies van Veilig Thuis: noem geen naam of andere gegevens.")),
    ]

    _form(screen, _("Consultatie vastleggen (stap 2)"), fields, "consultation_recorded",
          intro=_("Een adviesvraag aan Veilig Thuis (0800-2000) gaat over anonieme gegevens."),
          form_id="form-consultation")


def set_care_team(screen) -> None:
    from ..domain.care_team import role_label
    from ..errors import MeldcodeError

    # The school's roles from the config ([zorgteam] roles), plus "other"; the team as it stands.
    policy = screen.app.svc.care_team_policy
    roles = [(r, role_label(r)) for r in policy.roles] + [("other", _("Anders"))]
    current = [{"role": m.get("role", ""), "name": m.get("name", ""), "user": m.get("user", "")}
               for m in getattr(screen.state, "care_team", []) or []]
    try:
        directory = screen.app.svc.staff_directory()
    except MeldcodeError:
        directory = []
    fields = [Field("members", _("Zorgteam"), kind="team", required=True, options=roles,
                    default=current, extra={"required": list(policy.required),
                                            "directory": directory})]

    _form(screen, _("Zorgteam samenstellen"), fields, "care_team_set",
          # What step 2 requires is the line above the list, and it follows the typing.
          intro=_("Eén persoon per regel, elk met een rol. Een gebruikersnaam laat die collega de "
                  "casus zien."),
          form_id="form-care-team")


def record_conversation(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("participants", _("Met wie"), kind="multi", required=True, options=_opts(PARTICIPANTS)),
        # The protocol's four elements as one list: a digit ticks one, "+" all (issue 14).
        Field("elements", _("Zo gevoerd (1-4 of +: aanvinken)"), kind="multi",
              options=[(k, _(label)) for k, label in CONVERSATION_ELEMENTS],
              extra={"covers": [k for k, _l in CONVERSATION_ELEMENTS]}),
        Field("interpretation_not_needed", _("Of: waarom een interpretatie niet nodig was (\"zo nodig\")")),
        Field("parents_informed_beforehand", _("Ouders vooraf geïnformeerd (bij gesprek met de leerling)"),
              # No default: "onbekend" is refused for a talk with the pupil, and "ja" would
              # state a fact nobody checked (issue 14: defaults are values the rules accept).
              kind="tristate", options=YES_NO_UNKNOWN, default=None),
        Field("summary", _("Samenvatting"), kind="area", required=True),
        Field("outcome", _("Uitkomst"), kind="area"),
        Field("concern_removed", _("Het gesprek heeft de zorg weggenomen"), kind="bool"),
    ]

    def build(v):
        v = dict(v)
        ticked = set(v.pop("elements", None) or ())
        for key, _label in CONVERSATION_ELEMENTS:
            v[key] = key in ticked
        v["parents_informed_beforehand"] = {"yes": True, "no": False}.get(v["parents_informed_beforehand"])
        return v

    intro = ""
    if _conversation_danger(screen):
        from ..domain.steps import danger_text

        intro = danger_text()
    _form(screen, _("Gesprek vastleggen (stap 3)"), fields, "conversation_recorded", build=build,
          intro=intro, form_id="form-conversation")


def _min_exception_reason() -> int:
    from ..domain.payload import MIN_EXCEPTION_REASON

    return MIN_EXCEPTION_REASON


def _conversation_danger(screen) -> bool:
    """A signal of sexual abuse, honour-related violence or FGM on record, and no conversation
    with the parents or exception for it yet: the forms warn and propose the exception."""
    state = getattr(screen, "state", None)
    return bool(state is not None and state.conversation_danger_signals
                and not state.exception("no_conversation_parents")
                and not any("parents" in c.get("participants", []) for c in state.conversations))


def record_exception(screen, code: str | None = None) -> None:
    intro = _("Een uitzondering op de Meldcode mag alleen met een concrete, vastgelegde reden.")
    ground = reason = None
    if code is None and _conversation_danger(screen):
        # Proposed (conversation_danger_consult_vt): the exception, its ground and a reason the
        # coordinator reads, adjusts and saves (or replaces).
        code, ground = "no_conversation_parents", "safety"
        reason = _("Er is een signaal van seksueel misbruik, eergerelateerd geweld of genitale "
                   "verminking; een gesprek met de ouders kan het kind of anderen in gevaar brengen.")
        intro = _("Voorstel: geen gesprek met de ouders (veiligheid). Pas de reden aan naar wat Veilig "
                  "Thuis adviseerde.")
    from ..domain.rules import EXCEPTION_GROUNDS as ALLOWED

    grounds = dict(_opts(EXCEPTION_GROUNDS))
    # Every ground the form offers for an exception is one the rule accepts for it.
    by_exception = {exc: [(g, grounds.get(g, g)) for g in ALLOWED.get(exc, ())] for exc, _l in EXCEPTIONS}
    fields = [
        Field("exception", _("Uitzondering"), kind="choice", required=True, options=_opts(EXCEPTIONS),
              default=code or None, extra={"options_for": ("ground", by_exception)}),
        Field("ground", _("Grond"), kind="choice", required=True,
              options=by_exception.get(code) or _opts(EXCEPTION_GROUNDS), default=ground),
        Field("reason", _("Reden"), kind="area", required=True, default=reason,
              help=_("Concreet, in woorden (minstens drie woorden en {n} tekens): welke aanwijzing "
                     "maakt de uitzondering nodig?", n=_min_exception_reason())),
        # Only for "melder niet bekendmaken": decided together with Veilig Thuis.
        Field("vt_agreed_by", _("Bij 'melder niet bekendmaken': wie bij Veilig Thuis gaf akkoord")),
        Field("vt_agreed_on", _("Bij 'melder niet bekendmaken': akkoord op"), kind="date"),
    ]
    _form(screen, _("Uitzondering met reden vastleggen"), fields, "exception_recorded",
          intro=intro, form_id="form-exception")


def complete_step(screen) -> None:
    step = getattr(screen.state, "step", 1)
    fields = [
        Field("step", _("Stap"), kind="choice", required=True,
              options=[(n, f"{n} {_(STEP_NAMES[n])}") for n in STEP_NAMES], default=step),
        Field("summary", _("Samenvatting"), kind="area"),
    ]
    _form(screen, _("Stap afronden"), fields, "step_completed", form_id="form-complete-step")


def record_decision(screen) -> None:
    from ..domain.care_team import role_label
    from ..errors import MeldcodeError

    # Who decided (Basismodel stap 5: the professional "met het zorgteam"): a list of people with a
    # role, starting with the coordinator recording it and the case's zorgteam members whose role
    # may decide; the rules want the school's minimum (default two), one of them second-line. The
    # form offers only roles the rule accepts.
    try:
        directory = screen.app.svc.staff_directory()
    except MeldcodeError:
        directory = []
    actor = screen.app.svc.actor
    me = next((d["display_name"] for d in directory if d["user"] == actor), actor)
    allowed = screen.app.svc.care_team_policy.decider_roles()
    roles = [(r, role_label(r)) for r in ("coordinator", "aandachtsfunctionaris") if r in allowed]
    roles += [(r, role_label(r)) for r in allowed if r not in dict(roles)]
    team = [{"role": m.get("role"), "name": m.get("name", ""), "user": m.get("user", "")}
            for m in getattr(getattr(screen, "state", None), "care_team", None) or []
            if m.get("role") in allowed and m.get("name")]
    default = ([{"role": "coordinator", "name": me, "user": actor}] if "coordinator" in allowed else []) + [
        m for m in team if (m["name"] or "").casefold() != (me or "").casefold()]
    fields = [
        Field("report_needed", _("Melden is noodzakelijk"), kind="bool"),
        Field("help_possible", _("Hulp bieden of organiseren is (ook) mogelijk"), kind="bool"),
        Field("reason", _("Reden (onderbouwing)"), kind="area", required=True),
        Field("decided_by", _("Besloten door"), kind="team", required=True, options=roles,
              default=default, extra={"directory": directory}),
    ]

    def build(v):
        out = {k: v[k] for k in ("report_needed", "help_possible", "reason")}
        out["decided_by"] = [{"name": m["name"], "role": m["role"]} for m in v.get("decided_by") or []]
        return out

    _form(screen, _("Besluiten (stap 5)"), fields, "decision_recorded", build=build,
          intro=_("Beide besluiten kunnen tegelijk gelden: melden én hulp."), form_id="form-decision")


def plan_help(screen) -> None:
    fields = [
        Field("description", _("Welke hulp"), kind="area", required=True),
        Field("agreements", _("Afspraken"), kind="area", required=True),
        Field("roles", _("Rollen"), required=True),
        Field("case_manager", _("Casemanager"), required=True),
        Field("review_on", _("Evalueren op (termijn waarop effect zichtbaar moet zijn)"), kind="date",
              required=True),
        Field("results_expected", _("Verwachte resultaten (veiligheid en welzijn)"), kind="area",
              required=True),
        Field("starts_on", _("Gestart op (leeg: vandaag; vul in als de hulp al liep)"), kind="date"),
        Field("goals", _("Doelen (één per regel; bij de evaluatie per doel beoordeeld)"), kind="area"),
    ]

    def build(v):
        v = dict(v)
        v["goals"] = [g.strip() for g in (v.get("goals") or "").splitlines() if g.strip()]
        return v

    _form(screen, _("Hulp plannen"), fields, "help_planned", build=build, form_id="form-plan-help")


def review_help(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("results_reached", _("Afgesproken resultaten bereikt"), kind="bool"),
        Field("violence_continues", _("Het geweld gaat door of komt terug"), kind="bool"),
        Field("notes", _("Toelichting"), kind="area", required=True),
        Field("next_review_on", _("Volgende evaluatie (leeg: geen)"), kind="date"),
    ]
    plan = getattr(getattr(screen, "state", None), "help_plan", None)
    goals = list(plan.get("goals") or []) if plan is not None else []
    for i, goal in enumerate(goals, start=1):
        fields.append(Field(f"goal{i}.reached", _("Doel {n} bereikt: {goal}", n=i, goal=goal[:50]),
                            kind="bool"))
        fields.append(Field(f"goal{i}.note", _("Doel {n}: toelichting", n=i)))

    def build(v):
        out = {k: val for k, val in v.items() if not k.startswith("goal")}
        if goals:
            out["goal_results"] = [{"goal": i, "reached": bool(v.get(f"goal{i}.reached")),
                                    "note": v.get(f"goal{i}.note", "")}
                                   for i in range(1, len(goals) + 1)]
        return out

    _form(screen, _("Hulp evalueren met het zorgteam"), fields, "help_reviewed", build=build,
          form_id="form-review-help")


def record_pre_report_contact(screen) -> None:
    age = screen.state.age_on(screen.app.today()) if screen.state else None
    default = ["parents"] if age is not None and age < 12 else (["pupil"] if age is not None and age >= 16 else [])
    rule = (_("Onder 12 jaar: contact met de ouders.") if age is not None and age < 12 else
            _("Vanaf 16 jaar: contact met de leerling.") if age is not None and age >= 16 else
            _("12 tot 16 jaar: met de leerling en/of de ouders (overleg met het zorgteam)."))
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("with", _("Met wie"), kind="multi", required=True, options=_opts(PARTICIPANTS), default=default),
        Field("explained", _("Uitgelegd: wat, waarom en wat het betekent"), kind="area", required=True),
        Field("reaction", _("Reactie"), kind="area", required=True),
        Field("objections", _("Bezwaren"), kind="area"),
        Field("weighing", _("Afweging van de bezwaren tegen de bescherming"), kind="area"),
    ]
    _form(screen, _("Contact vóór de melding"), fields, "pre_report_contact_recorded",
          intro=rule + " " + gezag_line(getattr(screen, "state", None)), form_id="form-pre-report")


def gezag_line(state) -> str:
    """Who has gezag (from Gezin en netwerk, n): the contact about a melding is with the parents
    who have it (seen: the contact form for an 8-year-old did not say which parent that is)."""
    from .labels import safe_line

    if state is None:
        return ""
    holders = [safe_line(r.get("name", "")) for r in state.household if r.get("gezag") == "yes"]
    if holders:
        return _("Gezag: {names}.", names=", ".join(holders))
    return _("Wie het gezag heeft, is nog niet vastgelegd (Gezin en netwerk, n).")


def record_report(screen) -> None:
    fields = [
        Field("on", _("Datum melding"), kind="date", required=True, default=_today(screen)),
        Field("office", _("Veilig Thuis-regio"), required=True),
        Field("reference", _("Kenmerk van Veilig Thuis")),
        Field("summary", _("Wat is gemeld (feiten)"), kind="area", required=True),
        Field("reporter_disclosed_to_family", _("Het gezin weet wie heeft gemeld (open melden)"),
              kind="bool", default=True),
    ]
    _form(screen, _("Melding bij Veilig Thuis vastleggen"), fields, "report_made",
          confirm=_("De melding vastleggen? Dit kan daarna alleen nog gecorrigeerd worden."),
          form_id="form-report")


def record_acute_report(screen) -> None:
    """Acute danger: report at once (Veilig Thuis 0800-2000 by phone, 112/the police), at any step."""
    from ..domain.kinds.reporting import ACUTE_REPORTED_TO
    from ..domain.vocabulary import label

    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("reported_to", _("Gebeld of ingeschakeld"), kind="multi", required=True, options=[(c, label(c)) for c in ACUTE_REPORTED_TO],
              default=["veilig_thuis_phone"]),
        Field("by_whom", _("Door wie"), required=True, default=screen.app.actor),
        Field("agreed", _("Wat is afgesproken"), kind="area", required=True),
        Field("child_safety", _("Veiligheid van het kind op dit moment"), kind="area", required=True),
        Field("reference", _("Kenmerk")),
    ]
    _form(screen, _("Acute melding vastleggen"), fields, "acute_report",
          intro=_("Bij acuut gevaar: bel eerst Veilig Thuis (0800-2000) of 112, leg het daarna vast. "
                  "Alleen Veilig Thuis bellen is een melding: na 112, politie of huisarts meldt u "
                  "vandaag ook bij Veilig Thuis. De ontbrekende stappen zet u daarna alsnog."),
          confirm=_("De acute melding vastleggen? Dit kan daarna alleen nog gecorrigeerd worden."),
          form_id="form-acute-report")


def record_vt_feedback(screen) -> None:
    from ..domain.kinds.reporting import VT_DECISIONS, VT_FEEDBACK_STAGES
    from ..domain.vocabulary import label
    from ..domain.vocabulary import record_word

    from ..domain.rules import feedback_stage_due

    state = getattr(screen, "state", None)
    # The default follows what is on record for the latest melding (a re-report starts over
    # with the first feedback); the rules accept the final one only after a first.
    stage = feedback_stage_due(state) if state is not None else "first"
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
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
    _form(screen, _("Terugkoppeling van Veilig Thuis"), fields, "vt_feedback_recorded",
          form_id="form-vt-feedback")


def record_school_evaluation(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("concerns_remain", _("Er blijven zorgen (dan opnieuw melden)"), kind="bool"),
        Field("summary", _("Evaluatie van de school"), kind="area", required=True),
        Field("agreements", _("Hoe de school het kind blijft volgen"), kind="area"),
    ]
    _form(screen, _("Evaluatie van de school na de melding"), fields, "school_evaluation_recorded",
          intro=_("Na de eindterugkoppeling van Veilig Thuis: blijven er zorgen, meld dan opnieuw."),
          form_id="form-school-evaluation")


def agree_follow_up(screen) -> None:
    fields = [
        Field("description", _("Afspraak"), kind="area", required=True),
        Field("due_on", _("Uiterlijk"), kind="date", required=True),
        Field("who", _("Wie"), required=True, default=screen.app.actor),
    ]
    _form(screen, _("Vervolgafspraak maken"), fields, "follow_up_agreed", form_id="form-follow-up")


def complete_follow_up(screen) -> None:
    open_ = screen.state.open_follow_ups() if screen.state else []
    if not open_:
        screen.app.notify(_("Er zijn geen open afspraken."), severity="warning")
        return
    fields = [
        Field("target_seq", _("Afspraak"), kind="choice", required=True,
              options=[(r.seq, f"#{r.seq} {r.get('description', '')}"[:70]) for r in open_],
              default=open_[0].seq),
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("notes", _("Toelichting"), kind="area"),
    ]
    _form(screen, _("Afspraak afronden"), fields, "follow_up_done", form_id="form-follow-up-done")


def route_staff_suspicion(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("routed_to", _("Doorgegeven aan"), kind="multi", required=True, options=_routed_to(),
              default=["school_board"]),
        Field("reason", _("Reden"), kind="area", required=True),
    ]
    _form(screen, _("Vermoeden tegen een medewerker: andere route"), fields, "staff_suspicion_routed",
          intro=_("Bij een vermoeden van een zedendelict door een medewerker geldt niet de Meldcode: "
                  "het schoolbestuur overlegt met de vertrouwensinspecteur."),
          confirm=_("Deze casus via de andere route laten lopen?"), form_id="form-route")


def record_staff_route(screen) -> None:
    """The other route's records: facts, conversations, the vertrouwensinspecteur's advice, the
    board's decision and the outcome (issue 11)."""
    from ..domain.kinds.staff_route import STAFF_RECORD_TYPES
    from ..domain.vocabulary import label

    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("record_type", _("Soort"), kind="choice", required=True,
              options=[(t, label(t)) for t in STAFF_RECORD_TYPES], default="facts"),
        Field("with_whom", _("Met / van wie")),
        Field("summary", _("Wat"), kind="area", required=True),
    ]
    _form(screen, _("Andere route: vastleggen"), fields, "staff_route_recorded", form_id="form-staff-route")


def close_or_reopen(screen) -> None:
    if screen.state is not None and screen.state.closed:
        reopen_case(screen)
    else:
        close_case(screen)


def close_case(screen) -> None:
    fields = [
        Field("grounds", _("Grond"), kind="choice", required=True, options=_close_grounds()),
        Field("reason", _("Reden"), kind="area", required=True),
        Field("monitoring_agreements", _("Afspraken over het volgen van de veiligheid"), kind="area"),
        Field("new_school", _("Nieuwe school (bij verhuisd)")),
    ]

    def run(v):
        return screen.app.svc.close_case(screen.case_id, v["grounds"], v["reason"],
                                         v["monitoring_agreements"], new_school=v.get("new_school", ""))

    _form(screen, _("Casus sluiten"), fields, run=run, precheck_kind="case_closed",
          confirm=_("De casus sluiten? Heropenen kan later, met een reden."), form_id="form-close")


def reopen_case(screen) -> None:
    fields = [Field("reason", _("Reden"), kind="area", required=True)]
    _form(screen, _("Casus heropenen"), fields, "case_reopened",
          run=lambda v: screen.app.svc.reopen_case(screen.case_id, v["reason"]), form_id="form-reopen")


def _selected_record(screen):
    """``(seq, record)`` of the chronology row the cursor is on; record None if there is none."""
    seq = screen.selected_seq()
    state = screen.state
    return seq, (state.records_by_seq.get(seq) if (state is not None and seq) else None)


_DATE_NAMES = ("on", "date_of_birth", "observed_on", "review_on", "due_on", "left_on", "since")


def correction_fields(kind: str, payload: dict) -> list[tuple[str, Field]]:
    """The fields a correction of one record may change, as the record was entered (issue 14):
    in the order of its form, with Dutch labels, dates as dd-mm-jjjj and choices as selects
    (from the kind's field table, ``domain.intent_fields``); locked fields and structured
    values (lists, objects) and fields the record does not hold are not offered. Returns (payload key, form field) pairs."""
    from ..domain.events import KINDS
    from ..domain.vocabulary import label as value_label
    from ..domain.intent_fields import FIELDS

    spec = KINDS[kind]
    out: list[tuple[str, Field]] = []
    table = FIELDS.get(kind)
    if table is None:     # kinds recorded by their own act (the case opening): the payload's own
        if kind == "case_opened":
            out.extend(_pupil_detail_fields(payload))
        for k, v in payload.items():
            if k in spec.locked_fields or not isinstance(v, (str, bool)):
                continue
            if isinstance(v, bool):
                out.append((k, Field(f"c.{k}", field_label(k), kind="bool", default=v)))
            elif k in _DATE_NAMES or k.endswith("_on"):
                out.append((k, Field(f"c.{k}", field_label(k), kind="date", default=v or None)))
            else:
                out.append((k, Field(f"c.{k}", field_label(k), kind="area" if len(v) > 40 else "text",
                                     default=v)))
        return out
    for f in table:
        # Only what the record holds: the rules refuse a correction that adds a field.
        if f.name in spec.locked_fields or f.name not in payload:
            continue
        v = payload.get(f.name)
        name, lab = f"c.{f.name}", field_label(f.name)
        if f.type in ("text", "long_text") and (v is None or isinstance(v, str)):
            out.append((f.name, Field(name, lab, kind="area" if f.type == "long_text" else "text",
                                      default=v or "")))
        elif f.type == "date" and (v is None or isinstance(v, str)):
            out.append((f.name, Field(name, lab, kind="date", required=f.required, default=v or None)))
        elif f.type == "bool" and (v is None or isinstance(v, bool)):
            out.append((f.name, Field(name, lab, kind="bool", default=bool(v))))
        elif f.type == "bool_or_none":
            out.append((f.name, Field(name, lab, kind="tristate", options=YES_NO_UNKNOWN,
                                      default={True: "yes", False: "no"}.get(v, "unknown"))))
        elif f.type == "choice" and f.choices:
            options = [(c, value_label(c, f.name)) for c in f.choices]
            out.append((f.name, Field(name, lab, kind="choice", required=f.required, options=options,
                                      default=v if v in f.choices else None)))
        elif f.type == "choices" and f.choices and (v is None or isinstance(v, list)):
            options = [(c, value_label(c, f.name)) for c in f.choices]
            out.append((f.name, Field(name, lab, kind="multi", options=options, default=list(v or []))))
    return out


def _form_value(field: Field, value):
    """A form value back in the record's own terms (tristate → True/False/None)."""
    if field.kind == "tristate":
        return {"yes": True, "no": False}.get(value)
    return value


def _pupil_detail_fields(payload: dict) -> list[tuple[str, Field]]:
    """What Veilig Thuis's meldformulier asks about the child and the parents that the case opening
    may lack: the pupil's address and gender, each parent's address ("Is de melding compleet?").
    Keys ``pupil.<field>`` and ``parents.<n>.address`` are merged into their object on save."""
    from ..domain.kinds.case_file import GENDERS
    from ..domain.vocabulary import label as value_label

    pupil = payload.get("pupil") or {}
    out = [("pupil.address", Field("c.pupil.address", _("Adres van de leerling"), default=pupil.get("address", ""))),
           ("pupil.gender", Field("c.pupil.gender", _("Geslacht van de leerling"), kind="choice",
                                  options=[(g, value_label(g, "gender")) for g in GENDERS],
                                  default=pupil.get("gender") or None))]
    for i, parent in enumerate(payload.get("parents") or []):
        out.append((f"parents.{i}.address", Field(
            f"c.parents.{i}.address", _("Adres van {name}", name=safe_line(str(parent.get("name") or i + 1))),
            default=parent.get("address", ""))))
    return out


def _merge_nested(payload: dict, changes: dict) -> dict:
    """``pupil.x`` / ``parents.n.address`` changes as whole ``pupil`` / ``parents`` values."""
    import copy

    out = {k: v for k, v in changes.items() if not k.startswith(("pupil.", "parents."))}
    for key, value in changes.items():
        if key.startswith("pupil."):
            pupil = out.setdefault("pupil", copy.deepcopy(payload.get("pupil") or {}))
            if value in ("", None):
                pupil.pop(key.split(".", 1)[1], None)
            else:
                pupil[key.split(".", 1)[1]] = value
        elif key.startswith("parents."):
            parents = out.setdefault("parents", copy.deepcopy(payload.get("parents") or []))
            i = int(key.split(".")[1])
            if value in ("", None):
                parents[i].pop("address", None)
            else:
                parents[i]["address"] = value
    return out


def correct_record(screen) -> None:
    from ..domain.events import KINDS

    seq, rec = _selected_record(screen)
    spec = KINDS.get(rec.kind) if rec is not None else None
    if rec is None or spec is None or not spec.correctable:
        screen.app.notify(_("Kies eerst in de chronologie een regel die gecorrigeerd kan worden "
                            "(Tab naar de chronologie, dan K)."), severity="warning")
        return
    pairs = correction_fields(rec.kind, rec.payload)
    if not pairs:
        screen.app.notify(_("Aan deze vastlegging valt niets te corrigeren in een formulier; leg een "
                            "nieuwe vastlegging vast of een notitie met de juiste gegevens."),
                          severity="warning")
        return
    fields = [f for _k, f in pairs] + [Field("reason", _("Reden van de correctie"), kind="area",
                                            required=True)]

    def run(v):
        changes = {}
        for key, field in pairs:
            new = _form_value(field, v[field.name])
            if key.startswith(("pupil.", "parents.")):
                parts = key.split(".")
                holder = rec.payload.get(parts[0]) or ({} if parts[0] == "pupil" else [])
                try:
                    old = holder[int(parts[1])].get(parts[2]) if parts[0] == "parents" else holder.get(parts[1])
                except (IndexError, ValueError, AttributeError):
                    old = None
            else:
                old = rec.payload.get(key)
            if field.kind == "multi":
                same = sorted(new or []) == sorted(old or [])
            else:
                same = new == old or (new in ("", None) and old in ("", None))
            if not same:
                changes[key] = new
        if not changes:
            raise InputError(_("Er is niets gewijzigd."), field=pairs[0][1].name)
        if rec.kind == "case_opened":
            changes = _merge_nested(rec.payload, changes)
        return screen.app.svc.correct_record(screen.case_id, seq, changes, v["reason"])

    _form(screen, _("Correctie van #{seq} ({kind})", seq=seq, kind=kind_label(rec.kind)), fields, run=run,
          intro=_("Een correctie overschrijft niets: het origineel blijft in het journaal. Was: {s}",
                  s=event_summary(rec.kind, rec.payload)[:120]),
          confirm=_("Deze correctie vastleggen? Ze blijft zichtbaar in het journaal."), start_at_first=True,
          form_id="form-correct")


def export(screen) -> None:
    from .export_dialog import ExportScreen

    screen.app.push_screen(ExportScreen(screen.case_id), screen.after_write)


# -- the family and the network (issue 12) -------------------------------------------------

HOUSEHOLD_RELATIONS = [("parent", N_("Ouder")), ("carer", N_("Verzorger / pleegouder")),
                       ("sibling", N_("Broer of zus")), ("other", N_("Ander lid van het huishouden"))]
GEZAG = [("yes", N_("ja")), ("no", N_("nee")), ("unknown", N_("onbekend"))]


def family(screen) -> None:
    """``n``: the family and the network around the pupil (a small menu of intents)."""
    from .family import FamilyMenu

    screen.app.push_screen(FamilyMenu(), lambda name: name and start(screen, name))


def add_household_member(screen) -> None:
    fields = [
        Field("name", _("Naam"), required=True),
        Field("relation", _("Relatie tot de leerling"), kind="choice", required=True,
              options=_opts(HOUSEHOLD_RELATIONS)),
        Field("relation_detail", _("Precies (bijv. moeder, stiefvader, halfbroer)")),
        Field("gezag", _("Gezag"), kind="choice", options=_opts(GEZAG), default="unknown"),
        Field("date_of_birth", _("Geboortedatum (als bekend)"), kind="date"),
        Field("lives_with_pupil", _("Woont bij de leerling"), kind="bool", default=True),
        Field("address", _("Adres (als bekend)")),
        Field("phone", _("Telefoon (als bekend)")),
        Field("language", _("Taal (als het niet Nederlands is)")),
        Field("interpreter_needed", _("Tolk nodig"), kind="bool"),
    ]
    _form(screen, _("Persoon in het leven van de leerling"), fields, "household_member_added",
          intro=_("Ouders en verzorgers (met gezag), broers en zussen, anderen in het huishouden. Een "
                  "wijziging later: corrigeren (K) of 'niet meer betrokken'."), form_id="form-household")


def add_professional(screen) -> None:
    fields = [
        Field("name", _("Naam"), required=True),
        Field("organisation", _("Organisatie (wijkteam, huisarts, jeugdbescherming …)"), required=True),
        Field("role", _("Functie (bijv. gezinsvoogd)")),
        Field("contact", _("Bereikbaar via")),
        Field("since", _("Betrokken sinds"), kind="date"),
    ]
    _form(screen, _("Betrokken hulpverlener"), fields, "professional_added", form_id="form-professional")


def end_person(screen) -> None:
    """The selected household member or professional is no longer involved."""
    seq, rec = _selected_record(screen)
    kinds = {"household_member_added": "household_member_left", "professional_added": "professional_ended"}
    if rec is None or rec.kind not in kinds:
        screen.app.notify(_("Kies eerst in de chronologie de persoon of hulpverlener (Tab naar de chronologie)."),
                          severity="warning")
        return
    fields = [Field("reason", _("Waarom niet meer betrokken"), kind="area", required=True)]
    _form(screen, _("{who} niet meer betrokken", who=safe_line(rec.payload.get("name", ""))), fields,
          kinds[rec.kind], build=lambda v: {"target_seq": seq, "reason": v["reason"]}, form_id="form-end-person")


def _visible_other_cases(screen) -> list[tuple[str, str]]:
    linked = set(getattr(screen.state, "linked_cases", {}) or {})
    out = []
    for row in screen.app.svc.list_cases(include_closed=False):
        cid = row["case_id"]
        if cid != screen.case_id and cid not in linked:
            out.append((cid, f"{cid}  {safe_line(row.get('pupil_name') or '')}"))
    return out


def link_case(screen) -> None:
    options = _visible_other_cases(screen)
    if not options:
        screen.app.notify(_("Er is geen andere open casus om te koppelen."), severity="warning")
        return
    fields = [Field("other_case", _("Broer of zus (casus)"), kind="choice", required=True, options=options),
              Field("relation", _("Verband"), kind="choice", required=True,
                    options=[("sibling", _("broer of zus")), ("household", _("zelfde huishouden"))],
                    default="sibling")]
    _form(screen, _("Casussen van één gezin koppelen"), fields,
          run=lambda v: screen.app.svc.link_cases(screen.case_id, v["other_case"], v["relation"]),
          intro=_("De koppeling komt in beide casussen te staan."), form_id="form-link")


def refer_to_linked(screen) -> None:
    """'Geldt dit ook voor …?' for the record selected in the chronology."""
    seq, rec = _selected_record(screen)
    siblings = [(x["case_id"], f"{x['case_id']}  {safe_line(x['row'].get('pupil_name') or '')}")
                for x in screen.app.svc.linked_cases(screen.case_id)]
    if rec is None or rec.kind in ("case_viewed", "case_exported", "case_linked"):
        screen.app.notify(_("Kies eerst in de chronologie het signaal of besluit dat ook voor een broer of zus "
                            "geldt (Tab naar de chronologie)."), severity="warning")
        return
    if not siblings:
        screen.app.notify(_("Deze casus is niet gekoppeld aan een casus die u mag zien."), severity="warning")
        return
    fields = [Field("target", _("Geldt ook voor"), kind="choice", required=True, options=siblings,
                    default=siblings[0][0]),
              Field("note", _("Waarom en hoe het voor die leerling geldt"), kind="area", required=True)]
    _form(screen, _("Geldt #{seq} ook voor …?", seq=seq), fields,
          run=lambda v: screen.app.svc.refer_to_linked(v["target"], screen.case_id, seq, v["note"]),
          intro=_("In de andere casus komt een verwijzing naar #{seq} van {case_id}, geen kopie.",
                  seq=seq, case_id=screen.case_id), form_id="form-reference")


def body_map(screen) -> None:
    """``P``: the body map of the signal selected in the chronology."""
    from .body_map import BodyMapScreen

    seq, rec = _selected_record(screen)
    if rec is None or rec.kind != "signal_recorded":
        screen.app.notify(_("Kies eerst in de chronologie het signaal waar het letsel bij hoort (Tab naar de "
                            "chronologie, dan P)."), severity="warning")
        return
    screen.app.push_screen(BodyMapScreen(screen, seq), screen.after_write)


def withhold_source(screen) -> None:
    """``d``: leave a colleague's or source's name out of the melding (with a reason)."""
    from ..exports.common import case_facts
    from ..exports.melding import named_people

    names = named_people(case_facts(screen.app.svc.journal(screen.case_id)))
    if not names:
        screen.app.notify(_("Er staan nog geen namen van collega's of bronnen in deze casus."), severity="warning")
        return
    fields = [Field("name", _("Niet noemen in de melding"), kind="choice", required=True,
                    options=[(n, safe_line(n)) for n in names]),
              Field("reason", _("Waarom niet noemen"), kind="area", required=True,
                    help=_("Bijvoorbeeld: de bron vreest voor de eigen veiligheid of de vertrouwensrelatie."))]
    _form(screen, _("Bron of collega niet noemen in de melding"), fields, "source_withheld",
          intro=_("Veilig Thuis kan de melding laten inzien door de ouders en door kinderen vanaf 12 jaar. "
                  "De naam blijft in het dossier; in de melding staat hij met de reden in het deel "
                  "'Niet bestemd voor het gezin', elders een verwijzing daarheen."),
          form_id="form-withhold")


def attachments(screen) -> None:
    from .attachments import AttachmentsScreen

    screen.app.push_screen(AttachmentsScreen(screen.case_id))


def journal(screen) -> None:
    from .journal_screen import JournalScreen

    screen.app.push_screen(JournalScreen(screen.case_id))


def record_pupil_left(screen) -> None:
    """"Leerling heeft de school verlaten op …": also on a closed case; retention counts from it."""
    fields = [
        Field("on", _("Datum van vertrek"), kind="date", required=True, default=_today(screen)),
        Field("note", _("Toelichting (bijv. naar welke school)"), kind="area"),
    ]
    _form(screen, _("Leerling heeft de school verlaten"), fields, "pupil_left",
          run=lambda v: screen.app.svc.record_pupil_left(screen.case_id, v["on"], v["note"]),
          intro=_("De bewaartermijn telt vanaf deze datum of het sluiten van de casus, het "
                  "laatste van beide."), form_id="form-pupil-left")


def privacy(screen) -> None:
    """``A``: the AVG's intents for this pupil (a small menu)."""
    from .privacy_menu import PrivacyMenu

    screen.app.push_screen(PrivacyMenu(), lambda name: name and start(screen, name))


def _why_lines(text: str, key: str, field: str) -> list[dict]:
    """"wat :: waarom" per line (the form's way of writing a list of items with a reason)."""
    from ..errors import InputError

    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        what, sep, why = line.partition("::")
        if not sep:
            raise InputError(_("Schrijf per regel '… :: waarom' (twee dubbele punten)."), field=field)
        out.append({key: what.strip(), "why": why.strip()})
    return out


def decide_inzage(screen) -> None:
    """An access request (AVG art. 15) decided: who asked, the legal basis, who approved, what is
    withheld and why, whose names stay. The export follows the latest decision."""
    from ..domain.kinds.privacy import INZAGE_OUTCOMES, INZAGE_REQUESTERS
    from ..domain.vocabulary import option_words

    fields = [
        Field("requester", _("Wie vraagt"), kind="choice", required=True,
              options=_opts(option_words(INZAGE_REQUESTERS))),
        Field("requester_name", _("Naam van wie het vraagt"), required=True),
        Field("legal_basis", _("Wettelijke grondslag"), required=True, default=_("AVG art. 15")),
        Field("approved_by", _("Goedgekeurd door"), required=True),
        Field("decided_on", _("Datum van het besluit"), kind="date", required=True, default=_today(screen)),
        Field("outcome", _("Besluit"), kind="choice", required=True,
              options=_opts(option_words(INZAGE_OUTCOMES))),
        Field("withheld", _("Niet verstrekt (per regel: #nummer omschrijving :: waarom)"), kind="area"),
        Field("keep_identities", _("Namen van anderen die blijven staan (per regel: naam :: waarom)"),
              kind="area"),
        Field("reason", _("Toelichting bij het besluit"), kind="area", required=True),
    ]

    def build(v):
        out = {k: v[k] for k in ("requester", "requester_name", "legal_basis", "approved_by",
                                 "decided_on", "outcome", "reason")}
        out["withheld"] = _why_lines(v.get("withheld", ""), "what", "withheld")
        out["keep_identities"] = _why_lines(v.get("keep_identities", ""), "name", "keep_identities")
        return out

    _form(screen, _("Inzageverzoek: besluit"), fields, "inzage_decided", build=build,
          intro=_("Ouders met gezag (en een leerling vanaf 16) mogen zien wat de school over de "
                  "leerling vastlegt. In de export worden namen van anderen (bronnen, melders, "
                  "collega's) vervangen, behalve wie u hier met een reden laat staan."),
          form_id="form-inzage")


def export_inzage(screen) -> None:
    from .export_dialog import ExportScreen
    from ..exports.inzage import inzage_format

    screen.app.push_screen(ExportScreen(screen.case_id, formats={"inzage": inzage_format()}),
                           screen.after_write)


def record_zienswijze(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=_today(screen)),
        Field("by", _("Van wie (bijv. 'beide ouders')"), required=True),
        Field("zienswijze", _("De zienswijze, in hun woorden"), kind="area", required=True),
    ]
    _form(screen, _("Zienswijze van de ouders"), fields, "zienswijze_recorded",
          intro=_("Een eigen vastlegging naast het dossier: wat er al staat, verandert niet."),
          form_id="form-zienswijze")


def erase_on_request(screen) -> None:
    """Erasure of one closed case on request (AVG art. 17), as ``meldcode retention erase``:
    payloads, drafts, the search index and the file's bytes; the chain stays verifiable."""
    from ..retention import clean_pending_message, erase_case, finish_erasure

    state = getattr(screen, "state", None)
    if state is not None and not state.closed:
        # Refused before anything is typed: only a closed case is erased.
        screen.app.notify(_("Alleen een gesloten casus kan worden gewist. Sluit de casus eerst "
                            "(L), met een reden."), severity="warning", timeout=10)
        return
    fields = [
        Field("requested_by", _("Wie heeft om het wissen gevraagd"), required=True,
              help=_("Bijvoorbeeld: ouder met gezag, brief van 12-11.")),
        Field("reason", _("Waarom wissen"), kind="area", required=True),
    ]

    def run(values):
        erase_case(screen.app.svc, screen.case_id, values["reason"], policy="request",
                   requested_by=values["requested_by"])
        if not finish_erasure(screen.app.svc):
            # Recorded, but a reader keeps the words in the file: say so, not "gewist".
            screen.app.notify(clean_pending_message(), severity="warning", timeout=20)
        return screen.app.svc.get_state(screen.case_id)

    _form(screen, _("Wissen op verzoek"), fields, run=run,
          confirm=_("Casus {case_id} wissen? Namen, data en alles wat is geschreven verdwijnen; "
                    "dit kan niet ongedaan worden gemaakt. Het journaal houdt vast dát er is "
                    "gewist, door wie en waarom.", case_id=screen.case_id),
          intro=_("Alleen een gesloten casus. Zo wist ook de bewaartermijn."), form_id="form-erase")


HANDLERS: dict[str, Callable] = {
    "privacy": privacy,
    "decide_inzage": decide_inzage,
    "export_inzage": export_inzage,
    "record_zienswijze": record_zienswijze,
    "erase_on_request": erase_on_request,
    "withhold_source": withhold_source,
    "body_map": body_map,
    "family": family,
    "add_household_member": add_household_member,
    "add_professional": add_professional,
    "end_person": end_person,
    "link_case": link_case,
    "refer_to_linked": refer_to_linked,
    "attachments": attachments,
    "record_pupil_left": record_pupil_left,
    "record_acute_report": record_acute_report,
    "record_signal": record_signal,
    "record_consultation": record_consultation,
    "set_care_team": set_care_team,
    "record_conversation": record_conversation,
    "record_exception": record_exception,
    "complete_step": complete_step,
    "answer_weighing": answer_weighing,
    "record_decision": record_decision,
    "plan_help": plan_help,
    "review_help": review_help,
    "record_pre_report_contact": record_pre_report_contact,
    "record_report": record_report,
    "record_vt_feedback": record_vt_feedback,
    "record_school_evaluation": record_school_evaluation,
    "agree_follow_up": agree_follow_up,
    "complete_follow_up": complete_follow_up,
    "route_staff_suspicion": route_staff_suspicion,
    "record_staff_route": record_staff_route,
    "correct_record": correct_record,
    "close_or_reopen": close_or_reopen,
    "close_case": close_case,
    "reopen_case": reopen_case,
    "export": export,
    "journal": journal,
}


def confirm_pupil_left(screen) -> None:
    """One key: the leaving date the pupil register proposes becomes the recorded leaving date
    (retention counts from it). The open point says the date; nothing to type."""
    from ..errors import MeldcodeError
    from ..service_layer.pupils import confirm_pupil_left as confirm

    try:
        confirm(screen.app.svc, screen.case_id,
                expect_seq=getattr(getattr(screen, "state", None), "last_seq", None))
    except MeldcodeError as exc:
        screen.app.report_error(exc)
        return
    screen.app.notify(_("Vertrekdatum vastgelegd; de bewaartermijn telt vanaf die datum."))
    screen.reload()


HANDLERS["confirm_pupil_left"] = confirm_pupil_left
STAFF_ROUTE_INTENTS = STAFF_ROUTE_INTENTS | {"confirm_pupil_left"}
