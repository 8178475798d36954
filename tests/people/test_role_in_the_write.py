"""The role is checked inside the write, as the session guard finds it: a role taken away
between the service's first check and the write applies to that very write (refused, nothing
written, the attempt journalled)."""

from __future__ import annotations

import pytest

from meldcode_tui.admin import UserAdmin
from meldcode_tui.errors import AccessDenied
from meldcode_tui.store import open_store

from .test_roles import refusals, school  # noqa: F401  (the fixture)


def test_a_role_lowered_during_the_attempt_refuses_that_write(school):  # noqa: F811
    db, svc, case_id, _other = school
    c = svc("anouk", "coordinator")
    lowered: dict = {}

    def lower_role_first(values):
        # What another process does between the service's check and the write lock.
        if not lowered:
            store = open_store(db)
            UserAdmin(store, actor="beheerder").set_role("anouk", "member")
            store.close()
            lowered["done"] = True
        return values

    before = len(c.store.case_events(case_id))
    original = c._check_record

    def check_then_lower(kind, cid, payload):
        original(kind, cid, payload)          # passes: still a coordinator here
        lower_role_first(payload)

    c._check_record = check_then_lower
    with pytest.raises(AccessDenied):
        c.record(case_id, "decision_recorded", {"report_needed": True, "help_possible": False,
                                                "reason": "Melden is nodig (fictief)."})
    assert len(c.store.case_events(case_id)) == before   # nothing written on the case
    assert ("anouk", "decision_recorded", case_id, "member") in refusals(db)
