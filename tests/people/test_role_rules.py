"""The role rules in one place: domain/people.py answers every "may this role ...?" and the
service never compares role names itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from meldcode_tui.domain import people as P

ROOT = Path(__file__).resolve().parents[2] / "meldcode_tui"

# role -> the rules that say yes (every other rule says no). None: no user table.
YES = {
    "coordinator": {"may_open_cases", "sees_every_case", "may_create_case", "may_log_concern",
                    "may_handle_concerns", "may_read_staff_directory", "may_join_care_team",
                    "may_erase_cases", "may_read_journal_metadata", "may_view_figures",
                    "may_keep_school_records", "may_read_trainings", "may_use_pupil_register"},
    "member": {"may_open_cases", "may_log_concern", "may_read_staff_directory",
               "may_join_care_team"},
    "teacher": {"may_log_concern", "may_join_care_team"},
    "auditor": {"may_read_journal_metadata", "may_view_figures", "may_read_trainings"},
    # Without a user table the database's user acts as the coordinator would; whether she sees
    # every case is the config's [access] all_cases, and a user row without a role is on no
    # zorgteam.
    None: {"may_open_cases", "may_create_case", "may_log_concern", "may_handle_concerns",
           "may_read_staff_directory", "may_erase_cases", "may_read_journal_metadata",
           "may_view_figures", "may_keep_school_records", "may_read_trainings",
           "may_use_pupil_register"},
}
RULES = sorted(set().union(*YES.values()))


@pytest.mark.parametrize("role", list(YES))
def test_each_role_rule(role):
    said_yes = {name for name in RULES if getattr(P, name)(role)}
    assert said_yes == YES[role]


def test_an_unknown_role_may_nothing():
    assert not any(getattr(P, name)("janitor") for name in RULES)
    assert not P.may_record("janitor", "signal_recorded", {})


def test_may_record_by_role():
    assert P.may_record("coordinator", "decision_recorded", {})
    assert P.may_record(None, "decision_recorded", {})
    assert P.may_record("member", "signal_recorded", {})
    assert P.may_record("member", "step_completed", {"step": 3})
    assert not P.may_record("member", "step_completed", {"step": 4})
    assert not P.may_record("member", "decision_recorded", {})
    assert not P.may_record("member", "case_imported", {})
    assert not P.may_record("teacher", "case_exported", {})
    assert not P.may_record("auditor", "case_viewed", {})


def test_the_service_asks_domain_people_and_compares_no_role_names():
    """A role rule written inline in the service drifts from the one in domain/people.py (it
    did: may_create_case was unused while the service checked the role itself)."""
    inline = re.compile(r"\brole\s*(==|!=|\bin\b|\bnot in\b)")
    offenders = []
    for path in [ROOT / "service.py", *sorted((ROOT / "service_layer").glob("*.py"))]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if inline.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []
