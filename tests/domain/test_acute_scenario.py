"""The acute scenario through the service, against a real SQLite file: acute danger for a
9-year-old is reported at once at step 1 (Basismodel meldcode: act before step 2), then every
missing step is completed afterwards, guided by the open points, until the case is in a normal
state (all five steps done, Veilig Thuis feedback on record, closable on ground 'gemeld')."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from meldcode_tui.clock import SettableClock
from meldcode_tui.domain.rules import check_history
from meldcode_tui.errors import RuleViolation
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

TEAM = [
    {"role": "leerkracht", "name": "Juf Fictief", "user": "juf"},
    {"role": "interne_vertrouwenspersoon", "name": "IVP Fictief", "user": "ivp"},
    {"role": "ondersteuningscoach", "name": "Coach Fictief", "user": ""},
    {"role": "schoolleider", "name": "Directeur Fictief", "user": ""},
]
ACUTE = dict(on="2026-09-01", reported_to=["veilig_thuis_phone", "police"],
             by_whom="Aandachtsfunctionaris (fictief)",
             agreed="Veilig Thuis en politie komen vandaag naar school",
             child_safety="Kind blijft op school tot Veilig Thuis er is")


@pytest.fixture
def svc(db_path):
    store = open_store(db_path, create=True)
    yield CaseService(store, actor="anna",
                      clock=SettableClock(datetime(2026, 9, 2, 10, 0, tzinfo=timezone.utc)))
    store.close()


def rules_of(svc, cid):
    return {p.rule for p in svc.open_points(cid)}


def test_acute_report_at_step_one_then_steps_completed_afterwards(svc):
    cid = svc.create_case("Sanne de Vries (fictief)", "2017-03-01", "groep 5", "F-9",
                          [("Ouder (fictief)", "moeder")]).case_id
    assert svc.get_state(cid).age_on("2026-09-01") == 9
    state = svc.record(cid, "acute_report", dict(ACUTE))
    assert state.status == "gemeld" and state.step == 1 and state.has_report

    # The open points after the acute report name every missing step, none is refused.
    points = svc.open_points(cid)
    acute = [p for p in points if p.code.startswith("acute:")]
    texts = " ".join(p.text for p in acute)
    for n in (1, 2, 3, 4):
        assert f"stap {n}" in texts, n
    assert {"step1_signals", "step2_consultation", "step2_care_team", "step3_conversation_pupil",
            "step3_conversation_parents", "step4_weighing"} <= {p.rule for p in acute}
    assert "signaal" in texts and "zorgteam" in texts
    assert "vt_feedback_due" in rules_of(svc, cid)       # the Veilig Thuis deadline runs

    # Step 1 afterwards: the signals.
    svc.record_signal(cid, description="Kind vertelt over geweld thuis", observed_on="2026-09-01",
                      observed_by="juf", source="own")
    codes = {p.code for p in svc.open_points(cid)}
    assert "acute:step1:step1_signals" not in codes and "complete_step1" in codes
    svc.complete_step(cid, 1, "Signalen vastgelegd na de acute melding")
    # Step 2: consultation and the care team (here in reverse order: not refused).
    svc.set_care_team(cid, TEAM)
    svc.record_consultation(cid, kind="zorgteam", with_whom="Zorgteam (fictief)", on="2026-09-02",
                            question="Wat doet de school naast Veilig Thuis?", advice="Kind volgen")
    svc.complete_step(cid, 2, "Zorgteam alsnog overlegd")
    # Step 3: a conversation with the parents; an exception for the pupil's conversation.
    svc.record_conversation(cid, on="2026-09-02", participants=["parents"], purpose_explained=True,
                            facts_presented=True, reaction_invited=True, interpretation_after_reaction=True,
                            parents_informed_beforehand=None, summary="Ouders gesproken na de melding")
    svc.record_exception(cid, "no_conversation_pupil", "safety",
                         "Veilig Thuis voert het gesprek met het kind; een tweede gesprek belast het kind")
    svc.complete_step(cid, 3)
    # Step 4: the weighing (Q2 yes; the later questions go with Veilig Thuis).
    svc.answer_weighing(cid, 1, "yes", "Signalen en eigen verhaal van het kind")
    svc.answer_weighing(cid, 2, "yes", "Acute onveiligheid, daarom meteen gemeld")
    state = svc.complete_step(cid, 4)
    assert state.steps_completed == [1, 2, 3, 4]
    assert not any(p.code.startswith("acute:step") and not p.code.startswith("acute:step5")
                   for p in svc.open_points(cid))

    # Closing on "other" is possible (a report is on record), but the normal path goes on:
    # Veilig Thuis feedback, the decision, step 5.
    svc.record_vt_feedback(cid, on="2026-09-02", outcome="Veilig Thuis heeft het onderzoek overgenomen")
    assert "vt_feedback_due" not in rules_of(svc, cid)
    # Q2 yes: "melden noodzakelijk" right after Q2 (Q3-5 with Veilig Thuis); never "not report".
    with pytest.raises(RuleViolation) as info:
        svc.record(cid, "decision_recorded", {"report_needed": False, "help_possible": True,
                                              "reason": "Alleen hulp lijkt genoeg voor nu"})
    assert info.value.rule == "decision_consistent_with_weighing"
    state = svc.record(cid, "decision_recorded", {"report_needed": True, "help_possible": False,
                                                  "reason": "Melden was noodzakelijk en is gebeurd"})
    # Naming nobody: the one recording the decision is on record as having decided, for
    # the case's zorgteam, which can decide by itself (two or more, one of them second-line).
    assert state.decision["decided_by"] == [{"name": svc.actor, "role": "coordinator"}]
    state = svc.complete_step(cid, 5, "Gemeld (acuut) en afgerond")
    assert state.all_steps_completed and state.status == "gemeld"
    assert not any(p.code.startswith("acute:") for p in svc.open_points(cid))
    check_history(svc.journal(cid))
    assert svc.verify().ok
    svc.record_vt_feedback(cid, on="2026-09-02", outcome="Onderzoek afgerond, hulp ingezet", stage="final")
    svc.record(cid, "school_evaluation_recorded", {"on": "2026-09-02", "concerns_remain": False,
                                                   "summary": "Geen zorgen meer op school"})
    state = svc.close_case(cid, "other", "Veilig Thuis heeft de casus overgenomen na de acute melding")
    assert state.closed
