"""The case-list read model as the domain defines it: one row per case (see docs/ARCHITECTURE.md).

Built from a folded ``CaseState`` by every writer (the service, the importer, retention, the
exports), so it lives below all of them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .care_team import DEFAULT_POLICY, CareTeamPolicy
from .case import CaseState
from .guide import next_deadline, open_points


def case_id_for(number: int) -> str:
    return f"MC-{number:04d}"


def case_row(state: CaseState, today: date, *, policy: CareTeamPolicy = DEFAULT_POLICY) -> dict[str, Any]:
    """The case-list read-model row for ``state`` (next_deadline = earliest dated open point)."""
    points = open_points(state, today, policy=policy)
    nd = next_deadline(points)
    return {
        "case_id": state.case_id,
        "pupil_name": state.pupil.name,
        "group_name": state.pupil.group,
        "date_of_birth": state.pupil.date_of_birth,
        "step": state.step,
        "status": state.status,
        "owner": state.owner,
        "opened_at": state.opened_at,
        "last_change_at": state.last_change_at,
        "next_deadline": nd.due.isoformat() if nd else None,
        "next_deadline_label": nd.text if nd else None,
        "route": "staff" if state.staff_route else "meldcode",
        "members": state.members,
        # Linked cases of the same family (kept in the row's ``extra``): the dashboard's family
        # mark. Which of them a user may see is decided when the row is shown, not here.
        "family": sorted(state.linked_cases),
    }
