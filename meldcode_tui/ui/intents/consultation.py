"""Step 2: consultations and the zorgteam."""

from __future__ import annotations

from ...domain.care_team import role_label
from ...errors import MeldcodeError
from ...i18n import _
from ..forms import Field
from ..intent_form import choice_options, open_form, today_iso
from ..labels import CONSULTATION_KINDS
from . import register


@register("record_consultation")
def record_consultation(screen) -> None:
    fields = [
        Field("kind", _("Met wie (soort)"), kind="choice", required=True,
              options=choice_options(CONSULTATION_KINDS), default="colleague",
              sets={"veilig_thuis_advice": {"anonymous": True}}),
        Field("with_whom", _("Naam / functie"), required=True),
        # What is typed first, then what the form fills in (today; anonymous for Veilig Thuis).
        Field("question", _("Vraag"), kind="area", required=True),
        Field("advice", _("Advies"), kind="area"),
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("anonymous", _("Anoniem (zonder gegevens van de leerling)"), kind="bool", default=False,
              help=_("Verplicht bij een advies van Veilig Thuis: noem geen naam of andere gegevens.")),
    ]

    open_form(screen, _("Consultatie vastleggen (stap 2)"), fields, "consultation_recorded",
              intro=_("Een adviesvraag aan Veilig Thuis (0800-2000) gaat over anonieme gegevens."),
              form_id="form-consultation")


@register("set_care_team")
def set_care_team(screen) -> None:
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

    open_form(screen, _("Zorgteam samenstellen"), fields, "care_team_set",
              # What step 2 requires is the line above the list, and it follows the typing.
              intro=_("Eén persoon per regel, elk met een rol. Een gebruikersnaam laat die collega de "
                      "casus zien."),
              form_id="form-care-team")
