"""The zorgteam's roles, per school.

The school's protocol names four roles (leerkracht, interne vertrouwenspersoon,
ondersteuningscoach, schoolleider); other schools of a board name others (intern begeleider,
zorgcoördinator, aandachtsfunctionaris), so the roles and which of them step 2 requires come from
the config (``[zorgteam] roles`` / ``required``). The service builds one :class:`CareTeamPolicy`
from its config (``CaseService.care_team_policy``) and passes it to the rules, the steps, the
guide and the forms; nothing here is process-wide, so two services (or two tests) in one process
never see each other's zorgteam.

Roles that were built in stay valid in a care-team record even when a school's config no longer
lists them: an older record (or a case imported from another school) must keep validating.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..i18n import _
from .payload import ROLE_CODE
from .vocabulary import LABELS

BUILTIN_ROLES = ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider",
                 "aandachtsfunctionaris")
DEFAULT_REQUIRED = ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")
# The coordinator's roles: a step-5 decision names at least one of them among its decision makers.
COORDINATOR_ROLES = ("aandachtsfunctionaris", "coordinator", "zorgcoordinator")


# Who decides at step 5 (the school's protocol, stap 5: "de leerkracht met het zorgteam die binnen
# de school verantwoordelijk zijn voor de beslissing"). Second-line staff: those whose task is the
# care for pupils beyond the classroom (DOMAIN.md, question 3: "zorgcoördinator, vertrouwenspersoon
# - not a teacher alone"); the schoolleider answers for the school's decision and counts as well.
DEFAULT_SECOND_LINE = ("interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider",
                       "aandachtsfunctionaris", "coordinator", "zorgcoordinator", "intern_begeleider")
DEFAULT_MIN_DECIDERS = 2


@dataclass(frozen=True)
class CareTeamPolicy:
    roles: tuple[str, ...] = BUILTIN_ROLES
    required: tuple[str, ...] = DEFAULT_REQUIRED
    # ``[zorgteam] deciders`` (None: every zorgteam role and the coordinator's), ``second_line``
    # and ``min_deciders``: who may decide at step 5, and how many, one of them second-line staff.
    deciders: tuple[str, ...] | None = None
    second_line: tuple[str, ...] = DEFAULT_SECOND_LINE
    min_deciders: int = DEFAULT_MIN_DECIDERS

    def accepted(self) -> tuple[str, ...]:
        """Role codes a care-team record may carry: the configured ones, the built-in ones, other."""
        return tuple(dict.fromkeys((*self.roles, *BUILTIN_ROLES, "other")))

    def decider_roles(self) -> tuple[str, ...]:
        """Roles that may be named as having taken the step-5 decision."""
        if self.deciders is not None:
            return self.deciders
        return tuple(r for r in dict.fromkeys((*COORDINATOR_ROLES, *self.accepted())) if r != "other")

    @classmethod
    def from_config(cls, roles: tuple[str, ...] | list[str] = (),
                    required: tuple[str, ...] | list[str] | None = None,
                    deciders: tuple[str, ...] | list[str] | None = None,
                    second_line: tuple[str, ...] | list[str] | None = None,
                    min_deciders: int | None = None) -> "CareTeamPolicy":
        """The school's roles (empty: the built-in ones) and the roles step 2 requires (None: the
        protocol's four, as far as they are among the roles); who may decide at step 5 (None: the
        zorgteam's roles and the coordinator's), which roles are second-line staff and how many
        people at least decide (default 2). Raises InputError on a bad code."""
        roles = tuple(roles) or BUILTIN_ROLES
        for code in (*roles, *(deciders or ()), *(second_line or ())):
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
        if min_deciders is not None and not 1 <= min_deciders <= 10:
            raise InputError(_("Configuratie: 'zorgteam.min_deciders' moet tussen 1 en 10 liggen."),
                             field="zorgteam.min_deciders")
        accepted = cls(roles=roles).accepted()
        for key, codes in (("deciders", deciders), ("second_line", second_line)):
            unknown = [r for r in (codes or ()) if r not in accepted and r not in COORDINATOR_ROLES]
            if unknown:
                raise InputError(_("Configuratie: 'zorgteam.{key}' noemt een rol die niet in 'zorgteam.roles' "
                                   "staat: {role}.", key=key, role=unknown[0]), field=f"zorgteam.{key}")
        return cls(roles=roles, required=required,
                   deciders=tuple(deciders) if deciders else None,
                   second_line=tuple(second_line) if second_line else DEFAULT_SECOND_LINE,
                   min_deciders=min_deciders or DEFAULT_MIN_DECIDERS)

    @classmethod
    def of(cls, config) -> "CareTeamPolicy":
        """The policy of a loaded :class:`~meldcode_tui.config.Config` (its ``[zorgteam]`` table)."""
        return cls.from_config(config.care_team_roles, config.care_team_required,
                               config.care_team_deciders, config.care_team_second_line,
                               config.care_team_min_deciders)


# The protocol's own zorgteam: what every reader uses when no school policy is passed in.
DEFAULT_POLICY = CareTeamPolicy()


def role_label(code: str) -> str:
    """Dutch label of a role: the built-in label, else the code with spaces."""
    return _(LABELS[code]) if code in LABELS else code.replace("_", " ")


# Who the guide names as the one to go to, in order: the school's own role for it.
_COORDINATOR_WORDS = ("aandachtsfunctionaris", "zorgcoordinator", "coordinator", "intern_begeleider",
                      "interne_vertrouwenspersoon", "ondersteuningscoach")


def coordinator_word(policy: CareTeamPolicy = DEFAULT_POLICY) -> str:
    """The school's word for the Meldcode coordinator, from its configured roles (seen: the
    disclosure prompt named an "aandachtsfunctionaris" in a school whose roles have none)."""
    roles = policy.roles
    for code in _COORDINATOR_WORDS:
        if code in roles:
            return _("de {role}", role=role_label(code))
    return _("het zorgteam")
