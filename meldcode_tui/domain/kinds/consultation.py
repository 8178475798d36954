"""Consultation and the zorgteam (step 2): a colleague, Veilig Thuis or a doctor consulted, and
who is on the case's zorgteam."""

from __future__ import annotations

from ...errors import InputError
from ...i18n import _
from ..payload import (KindSpec, boolean, choice, iso_date, list_of_dicts, prefixed, register,
                       role_code, text)

CONSULTATION_KINDS = ("colleague", "zorgteam", "veilig_thuis_advice", "vertrouwensarts",
                      "forensisch_arts", "other")


def _consultation_recorded(p: dict) -> dict:
    kind = choice(p, "kind", CONSULTATION_KINDS)
    return {
        "kind": kind,
        "with_whom": text(p, "with_whom"),
        "on": iso_date(p, "on"),
        "anonymous": bool(boolean(p, "anonymous", required=False, default=False)),
        "question": text(p, "question"),
        "advice": text(p, "advice", required=False),
    }


def _care_team_set(p: dict) -> dict:
    """Each member's role is checked for its form only: which roles the school accepts is its
    configuration's (``[zorgteam] roles``), checked by the rules with the policy passed in, so
    this check does not depend on process-wide settings and an older or imported record keeps
    validating."""
    members = []
    raw = list_of_dicts(p, "members")
    if not raw:
        raise InputError(_("Kies minstens één lid van het zorgteam."), field="members")
    for i, m in enumerate(raw):
        members.append(prefixed(f"members[{i}]", lambda m=m: {
            "role": role_code(m, "role"),
            "name": text(m, "name"),
            "user": text(m, "user", required=False),
        }))
    return {"members": members}


register(
    KindSpec("consultation_recorded", _consultation_recorded,
             text_fields=("question", "advice")),
    KindSpec("care_team_set", _care_team_set),
)
