"""Steps 4 and 5: the afwegingskader, completing a step, the decision."""

from __future__ import annotations

from ...domain.care_team import role_label
from ...errors import MeldcodeError
from ...i18n import _
from ..forms import Field
from ..intent_form import open_form
from ...domain.steps import STEP_SHORT_NAMES
from . import register


@register("answer_weighing")
def answer_weighing(screen) -> None:
    from ..weighing import WeighingWizard

    screen.app.push_screen(WeighingWizard(screen.case_id, screen.state), screen.after_write)


@register("complete_step")
def complete_step(screen) -> None:
    step = getattr(screen.state, "step", 1)
    fields = [
        Field("step", _("Stap"), kind="choice", required=True,
              options=[(n, f"{n} {_(STEP_SHORT_NAMES[n])}") for n in STEP_SHORT_NAMES], default=step),
        Field("summary", _("Samenvatting"), kind="area"),
    ]
    open_form(screen, _("Stap afronden"), fields, "step_completed", form_id="form-complete-step")


@register("record_decision")
def record_decision(screen) -> None:
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

    open_form(screen, _("Besluiten (stap 5)"), fields, "decision_recorded", build=build,
              intro=_("Beide besluiten kunnen tegelijk gelden: melden én hulp."), form_id="form-decision")
