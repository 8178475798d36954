"""Who may see a case (pure: the service, the exports and the listing all ask this one rule).

A case may be seen by its owner and by the care-team members that have a ``user`` name (the
case's ``members``). A case with no members at all (no owner recorded) is visible to everyone
with access to the database. ``all_access`` is set for users who see every case.
"""

from __future__ import annotations


def can_see(case_row: dict | None, actor: str, *, all_access: bool = False) -> bool:
    """Whether ``actor`` may see the case described by ``case_row`` (anything with ``members``)."""
    if case_row is None:
        return False
    if all_access:
        return True
    members = case_row.get("members") or []
    if not members:
        return True
    return actor in members
