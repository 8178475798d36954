"""The zorgteam's roles, per school (issue 11).

The school's protocol names four roles (leerkracht, interne vertrouwenspersoon,
ondersteuningscoach, schoolleider); other schools of a board name others (intern begeleider,
zorgcoördinator, aandachtsfunctionaris), so the roles and which of them step 2 requires come from
the config (``[zorgteam] roles`` / ``required``). The policy is set once per process when the
service is built (``configure``), so the rules, the guide and the forms all read the same one.

Roles that were built in stay valid in a care-team record even when a school's config no longer
lists them: an older record (or a case imported from another school) must keep validating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ..i18n import _

BUILTIN_ROLES = ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider",
                 "aandachtsfunctionaris")
DEFAULT_REQUIRED = ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")
# The coordinator's roles: a step-5 decision names at least one of them among its decision makers.
COORDINATOR_ROLES = ("aandachtsfunctionaris", "coordinator", "zorgcoordinator")
ROLE_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


@dataclass(frozen=True)
class CareTeamPolicy:
    roles: tuple[str, ...] = BUILTIN_ROLES
    required: tuple[str, ...] = DEFAULT_REQUIRED

    def accepted(self) -> tuple[str, ...]:
        """Role codes a care-team record may carry: the configured ones, the built-in ones, other."""
        return tuple(dict.fromkeys((*self.roles, *BUILTIN_ROLES, "other")))


_policy = CareTeamPolicy()


def policy() -> CareTeamPolicy:
    return _policy


def configure(roles: tuple[str, ...] | list[str] = (), required: tuple[str, ...] | list[str] | None = None
              ) -> CareTeamPolicy:
    """Set the school's roles (empty: the built-in ones) and the roles step 2 requires (None: the
    protocol's four, as far as they are among the roles). Raises InputError on a bad code."""
    global _policy
    roles = tuple(roles) or BUILTIN_ROLES
    for code in roles:
        if not ROLE_CODE.fullmatch(code):
            raise InputError(_("Configuratie: zorgteamrol '{code}' is geen geldige code (kleine letters, "
                               "cijfers en _).", code=code), field="zorgteam.roles")
    if required is None:
        required = tuple(r for r in DEFAULT_REQUIRED if r in roles)
    required = tuple(required)
    unknown = [r for r in required if r not in roles]
    if unknown:
        raise InputError(_("Configuratie: 'zorgteam.required' noemt een rol die niet in 'zorgteam.roles' "
                           "staat: {role}.", role=unknown[0]), field="zorgteam.required")
    _policy = CareTeamPolicy(roles=roles, required=required)
    return _policy


def reset() -> None:
    global _policy
    _policy = CareTeamPolicy()


def role_label(code: str) -> str:
    """Dutch label of a role: the built-in label, else the code with spaces."""
    from .events import LABELS

    return _(LABELS[code]) if code in LABELS else code.replace("_", " ")
