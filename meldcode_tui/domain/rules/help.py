"""Rules of the help the school organises (stap 5 of the school's protocol, "Hulp organiseren en
effecten volgen")."""

from __future__ import annotations

from datetime import date

from ...i18n import N_, _
from ..case import CaseState
from .base import as_date, handles, register_rules, violation

register_rules({
    "help_plan_needs_decision": N_("Hulp wordt gepland na het besluit dat hulp mogelijk is."),
    "help_review_date_future": N_("De evaluatiedatum van de hulp ligt in de toekomst."),
    "help_review_after_start": N_("Bij hulp die al liep, ligt de evaluatiedatum na de startdatum."),
    "help_review_goal_results": N_("Een hulpplan met doelen wordt per doel geëvalueerd."),
    "help_review_needs_plan": N_("Een evaluatie hoort bij gepland hulp."),
    # Guide-only (deadlines and prompts; they never refuse anything).
    "help_review_due": N_("Georganiseerde hulp wordt op de afgesproken datum geëvalueerd."),
    "help_violence_continues": N_("Stopt het geweld niet of laait het op, dan wordt alsnog gemeld."),
})


@handles("help_planned")
def check_help_planned(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``help_plan_needs_decision`` / ``help_review_date_future`` / ``help_review_after_start``:
    the school's protocol, stap 5: help is organised when the zorgteam decided it can offer it,
    and "Hij volgt de effecten van deze hulp" - so the plan names a review date still to come
    (or, for help that was already running, one after its start)."""
    decision = state.decision
    if decision is None or not decision.get("help_possible"):
        raise violation("help_plan_needs_decision",
                        _("Er is (nog) geen besluit dat hulp mogelijk is."),
                        _("Leg eerst het besluit vast (stap 5)."))
    if payload.get("starts_on"):
        # Help that was already running when it is recorded: the review follows its start, and
        # today may already be past that start.
        if as_date(payload["review_on"]) <= as_date(payload["starts_on"]):
            raise violation("help_review_after_start",
                            _("De evaluatiedatum moet na de startdatum van de hulp liggen."),
                            _("Kies de datum waarop het effect van de hulp zichtbaar moet zijn."))
    elif as_date(payload["review_on"]) <= today:
        raise violation("help_review_date_future",
                        _("De evaluatiedatum moet na vandaag liggen."),
                        _("Kies de datum waarop het effect van de hulp zichtbaar moet zijn, of vul "
                          "de startdatum in als de hulp al liep."))


@handles("help_reviewed", past_dates=("on",))
def check_help_reviewed(state: CaseState, payload: dict, today: date, **_ctx) -> None:
    """``help_review_needs_plan``: the effects followed are those of planned help (the school's
    protocol, stap 5, "bespreekt die met het zorgteam"); a next review comes after this one."""
    if not state.help_plans:
        raise violation("help_review_needs_plan", _("Er is geen hulpplan om te evalueren."),
                        _("Leg eerst het hulpplan vast."))
    nxt = payload.get("next_review_on")
    if nxt and as_date(nxt) <= as_date(payload["on"]):
        raise violation("help_review_date_future",
                        _("De volgende evaluatiedatum moet na de evaluatie liggen."))
    _check_goal_results(state.help_plan, payload)


def _check_goal_results(plan, payload: dict) -> None:
    """``help_review_goal_results``: a plan with goals is reviewed goal by goal, and the overall
    'results reached' agrees with them (afwegingskader, vraag 5: does the help reach the
    agreed results on safety and wellbeing in the agreed time; DOMAIN.md)."""
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
