"""Help organised and reviewed with the zorgteam."""

from __future__ import annotations

from ...i18n import _
from ..forms import Field
from ..intent_form import open_form, today_iso
from . import register


@register("plan_help")
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

    open_form(screen, _("Hulp plannen"), fields, "help_planned", build=build, form_id="form-plan-help")


@register("review_help")
def review_help(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
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

    open_form(screen, _("Hulp evalueren met het zorgteam"), fields, "help_reviewed", build=build,
              form_id="form-review-help")
