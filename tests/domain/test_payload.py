"""The kinds by area: each area of the protocol registers its kinds in ``domain.payload``, and
``domain.events`` loads them all. The layout is what a new engineer reads first, so it is held
here: a kind in the wrong area, a kind registered twice, or an area module that reaches back into
the policy or the rules (the circle care_team <-> events that function-level imports hid) fails."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from meldcode_tui.domain import events, payload
from meldcode_tui.errors import InputError

DOMAIN = Path(events.__file__).resolve().parent

AREAS = {
    "case_file": {"case_opened", "case_viewed", "case_closed", "case_reopened", "record_corrected",
                  "source_withheld", "attachment_added", "attachment_fetched"},
    "signals": {"signal_recorded", "body_mark_recorded"},
    "consultation": {"consultation_recorded", "care_team_set"},
    "conversations": {"conversation_recorded", "exception_recorded"},
    "weighing": {"weighing_answered", "decision_recorded", "step_completed"},
    "help": {"help_planned", "help_reviewed"},
    "reporting": {"pre_report_contact_recorded", "report_made", "acute_report", "vt_feedback_recorded",
                  "follow_up_agreed", "follow_up_done", "school_evaluation_recorded"},
    "staff_route": {"staff_route_recorded", "staff_suspicion_routed"},
    "family": {"household_member_added", "household_member_left", "professional_added",
               "professional_ended", "case_linked", "reference_recorded"},
    "transfer": {"case_exported", "case_imported", "overstap_exported", "overstap_receipt",
                 "overstap_received"},
    "privacy": {"pupil_left", "case_erased", "inzage_decided", "zienswijze_recorded",
                "pupil_gone_from_register"},
    "school": {"figures_viewed", "training_recorded", "meldcode_evaluation_recorded"},
}


def test_every_kind_is_validated_in_its_area():
    where = {kind: spec.validate.__module__ for kind, spec in events.KINDS.items()}
    for area, kinds in AREAS.items():
        for kind in kinds:
            assert where.pop(kind) == f"meldcode_tui.domain.kinds.{area}", kind
    # What is left is the people's and the notifications' kinds, in their own domain modules.
    assert set(where.values()) == {"meldcode_tui.domain.people", "meldcode_tui.domain.notify"}, where


def test_events_is_the_one_import_with_the_registry_and_nothing_else():
    assert events.KINDS is payload.KINDS and events.validate is payload.validate
    public = {n for n in vars(events) if not n.startswith("_") and n != "annotations"}
    assert public == {"AUDIT_KINDS", "KINDS", "KindSpec", "text_of", "validate"}


def test_a_kind_registered_twice_is_refused():
    spec = events.KINDS["case_viewed"]
    with pytest.raises(ValueError, match="case_viewed"):
        payload.register(payload.KindSpec("case_viewed", spec.validate))
    assert events.KINDS["case_viewed"] is spec


@pytest.mark.parametrize("path", sorted((DOMAIN / "kinds").glob("*.py")) + [
    DOMAIN / "payload.py", DOMAIN / "vocabulary.py"], ids=lambda p: p.name)
def test_payload_checks_do_not_reach_into_policy_or_rules(path):
    """The payload checks are shape only: the zorgteam policy, the rules and the guide are read by
    the rules, which import the kinds, never the other way round."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.add((node.module or "").split(".")[-1])
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[-1] for alias in node.names)
    assert not found & {"care_team", "rules", "guide", "steps", "events", "case"}, path.name


def _team(role) -> dict:
    return {"members": [{"role": role, "name": "Sanne de Vries (fictief)"}]}


def test_a_care_team_role_is_checked_for_its_form():
    """Which roles a school accepts is its configuration's, judged by the rules with the policy
    passed in; the payload only refuses what cannot be a role code."""
    assert events.validate("care_team_set", _team("intern_begeleider"))["members"][0]["role"] == \
        "intern_begeleider"
    for bad in ("Rector!", "a", "x" * 41, "rol met spaties", "leerkracht\n", 7):
        with pytest.raises(InputError) as info:
            events.validate("care_team_set", _team(bad))
        assert info.value.field == "members[0].role"
        assert "rol" in info.value.message
    with pytest.raises(InputError) as info:
        events.validate("decision_recorded", {"report_needed": False, "help_possible": True,
                                              "reason": "Besloten met het zorgteam",
                                              "decided_by": [{"name": "Anouk (fictief)", "role": "Baas"}]})
    assert info.value.field == "decided_by[0].role"


def test_multiline_fields_registered_by_the_areas():
    for name in ("interpretation_not_needed", "asks_of_school", "exception_reason", "why", "zienswijze",
                 "went_well", "agreements_wijkteam", "description", "reason"):
        assert name in payload.MULTILINE_FIELDS, name
    assert "name" not in payload.MULTILINE_FIELDS
