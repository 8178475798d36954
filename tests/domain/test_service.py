"""CaseService against a real SQLite file: one transaction per intent, rules applied,
read model and full-text index kept, access journalled, membership respected."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from meldcode_tui.demo import DemoRefused, create_demo
from meldcode_tui.domain.case import fold
from meldcode_tui.domain.rules import check_history
from meldcode_tui.errors import InputError, NotFound, RuleViolation
from meldcode_tui.clock import SettableClock
from meldcode_tui.domain.access import can_see
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

TEAM = [
    {"role": "leerkracht", "name": "Juf Fictief", "user": "juf"},
    {"role": "interne_vertrouwenspersoon", "name": "IVP Fictief", "user": "ivp"},
    {"role": "ondersteuningscoach", "name": "Coach Fictief", "user": ""},
    {"role": "schoolleider", "name": "Directeur Fictief", "user": ""},
]


@pytest.fixture
def store(db_path):
    s = open_store(db_path, create=True)
    yield s
    s.close()


@pytest.fixture
def clock():
    return SettableClock(datetime(2026, 9, 1, 10, 0, tzinfo=timezone.utc))


@pytest.fixture
def svc(store, clock):
    return CaseService(store, actor="anna", clock=clock)


def new_case(svc, dob="2017-03-01"):
    return svc.create_case("Sanne de Vries (fictief)", dob, "5b", "F-1", [("Ouder (fictief)", "moeder")])


def signal(svc, cid, **kw):
    p = dict(description="Komt hongerig op school", observed_on="2026-08-31", observed_by="juf", source="own")
    p.update(kw)
    return svc.record_signal(cid, **p)


def test_create_case_writes_event_row_and_id(svc, store):
    s = new_case(svc)
    assert s.case_id == "MC-0001" and s.owner == "anna"
    assert new_case(svc).case_id == "MC-0002"
    row = store.case_row("MC-0001")
    assert row["step"] == 1 and row["status"] == "open" and row["members"] == ["anna"]
    assert row["pupil_name"] == "Sanne de Vries (fictief)" and row["date_of_birth"] == "2017-03-01"
    assert row["opened_at"].startswith("2026-09-01T10:00:00")   # the service clock


def test_record_updates_read_model_and_search(svc, store):
    cid = new_case(svc).case_id
    signal(svc, cid, description="Blauwe plekken op de bovenarm")
    s = svc.complete_step(cid, 1, "klaar")
    assert s.step == 2 and store.case_row(cid)["step"] == 2
    assert [h["case_id"] for h in svc.search("bovenarm")] == [cid]


def test_input_error_and_rule_violation_write_nothing(svc, store):
    cid = new_case(svc).case_id
    before = len(store.case_events(cid))
    with pytest.raises(InputError) as info:
        signal(svc, cid, observed_on="gisteren")
    assert info.value.field == "observed_on"
    with pytest.raises(RuleViolation) as info:
        svc.complete_step(cid, 1)
    assert info.value.rule == "step1_signals"
    with pytest.raises(RuleViolation) as info:
        svc.set_care_team(cid, TEAM)
    assert info.value.rule == "step_order" and info.value.hint
    assert len(store.case_events(cid)) == before
    with pytest.raises(NotFound):
        signal(svc, "MC-0999")


def test_open_case_journals_access_but_open_points_does_not(svc, store):
    cid = new_case(svc).case_id
    n = len(store.case_events(cid))
    svc.open_points(cid)
    svc.get_state(cid)
    assert len(store.case_events(cid)) == n
    s = svc.open_case(cid)
    assert len(s.views) == 1 and store.case_events(cid)[-1].kind == "case_viewed"
    assert store.case_events(cid)[-1].actor == "anna"


def test_membership_owner_and_care_team(svc, store, clock):
    cid = new_case(svc).case_id
    other = CaseService(store, actor="bram", clock=clock)
    assert other.list_cases() == []
    with pytest.raises(NotFound):
        other.open_case(cid)
    with pytest.raises(NotFound):
        signal(other, cid)
    signal(svc, cid); svc.complete_step(cid, 1)
    svc.set_care_team(cid, TEAM)
    juf = CaseService(store, actor="juf", clock=clock)
    assert [r["case_id"] for r in juf.list_cases()] == [cid]
    assert juf.open_case(cid).case_id == cid
    assert can_see({"members": []}, "iedereen")           # no members recorded: everyone with access
    assert CaseService(store, actor="bram", all_access=True).list_cases()


def test_concurrent_coordinators_see_each_others_writes(db_path, store, clock):
    a = CaseService(store, actor="anna", clock=clock)
    cid = new_case(a).case_id
    signal(a, cid)
    other_store = open_store(db_path)
    try:
        b = CaseService(other_store, actor="anna", clock=clock)
        b.complete_step(cid, 1)
        with pytest.raises(RuleViolation) as info:
            a.complete_step(cid, 1)        # A's write sees B's step in its own transaction
        assert info.value.rule == "step_already_completed"
        a.record_consultation(cid, kind="colleague", with_whom="IB", on="2026-09-01", question="Duiding?")
        assert len(b.get_state(cid).consultations) == 1
    finally:
        other_store.close()
    assert store.verify().ok


def test_correction_normalises_and_indexes(svc):
    cid = new_case(svc).case_id
    s = signal(svc, cid)
    seq = s.signals[0].seq
    s = svc.correct_record(cid, seq, {"description": "  Komt zonder lunch op school  "}, "Tikfout na overleg")
    assert s.signals[0]["description"] == "Komt zonder lunch op school"
    assert s.signals[0].corrections[0].actor == "anna"
    assert svc.search("lunch")
    with pytest.raises(RuleViolation) as info:
        svc.correct_record(cid, 999, {"description": "x"}, "Verkeerde verwijzing hier")
    assert info.value.rule == "correction_target"


def test_close_and_reopen(svc, store):
    cid = new_case(svc).case_id
    with pytest.raises(InputError):
        svc.close_case(cid, "other", " ")
    s = svc.close_case(cid, "other", "Leerling is naar het buitenland verhuisd")
    assert s.status == "gesloten" and store.case_row(cid)["status"] == "gesloten"
    assert svc.list_cases(include_closed=False) == []
    with pytest.raises(RuleViolation) as info:
        signal(svc, cid)
    assert info.value.rule == "case_closed_readonly"
    svc.open_case(cid)   # viewing a closed case is fine
    s = svc.reopen_case(cid, "Leerling is teruggekomen, nieuwe signalen")
    assert s.status == "open"


def test_deadline_in_read_model(svc, store, clock):
    cid = new_case(svc).case_id
    svc.agree_follow_up(cid, "Navragen", "2026-09-03", "IB")
    row = store.case_row(cid)
    assert row["next_deadline"] == "2026-09-03" and row["next_deadline_label"]
    clock.set(date(2026, 9, 10))
    assert svc.list_cases()[0]["overdue"] is True


def test_staff_suspicion_case_via_service(svc, store):
    s = svc.create_case("Emma Bos (fictief)", "2014-01-01", "8a", staff_suspicion=True)
    assert s.status == "doorverwezen" and store.case_row(s.case_id)["route"] == "staff"
    with pytest.raises(RuleViolation) as info:
        signal(svc, s.case_id)
    assert info.value.rule == "staff_route_no_meldcode"
    s = svc.route_staff_suspicion(s.case_id, ["school_board"], "Bestuur ingelicht over het vermoeden")
    assert s.route is not None


# --------------------------------------------------------------------------- demo

def test_demo_data_passes_the_rules(store):
    svc = CaseService(store, actor="anna")
    ids = create_demo(svc)
    assert len(ids) >= 8
    statuses = {r["case_id"]: r["status"] for r in svc.list_cases()}
    assert set(statuses.values()) >= {"open", "hulp", "gemeld", "gesloten", "doorverwezen"}
    assert {r["step"] for r in svc.list_cases()} >= {1, 2, 3, 4, 5}
    assert any(r["overdue"] for r in svc.list_cases())
    for cid in ids:
        events = store.case_events(cid)
        state = check_history(events, strict_dates=True)   # every event re-validated in order
        assert state.case_id == cid and "(fictief)" in state.pupil.name
    states = [fold(store.case_events(c)) for c in ids]
    assert any(s.vt_feedback for s in states)
    assert any(s.help_plans and not s.reports for s in states)
    assert any(s.staff_route for s in states)
    assert any(s.signals_contradicting() for s in states)
    assert any(s.exceptions for s in states)
    assert store.verify().ok
    from meldcode_tui.domain.guide import open_points
    from meldcode_tui.domain.rules import RULES
    from meldcode_tui.ui.intents import HANDLERS   # the TUI offers a point's action by name

    for s in states:
        for p in open_points(s, svc.today()):
            assert p.rule in RULES and (p.action is None or p.action in HANDLERS)


def test_demo_refuses_a_non_empty_database(store):
    svc = CaseService(store, actor="anna")
    new_case(svc)
    with pytest.raises(DemoRefused):
        create_demo(store)
    assert len(svc.list_cases()) == 1


def test_signal_from_a_catalogue_keeps_its_reference(store, clock):
    from meldcode_tui.plugins import load_plugins

    host = load_plugins()
    cat = next((c for c in host.catalogues() if c.id == "meldcode-basis"), None)
    if cat is None:
        pytest.skip("built-in catalogue not installed")
    sig = cat.signals[0]
    svc = CaseService(store, actor="anna", plugins=host, clock=clock)
    cid = new_case(svc).case_id
    s = signal(svc, cid, catalogue={"catalogue_id": cat.id, "signal_id": sig.id})
    ref = s.signals[0]["catalogue"]
    assert ref["text"] == sig.text and ref["catalogue_version"] == cat.version
    with pytest.raises(InputError) as info:
        signal(svc, cid, catalogue={"catalogue_id": cat.id, "signal_id": "bestaat-niet"})
    assert info.value.field == "catalogue.signal_id"


def test_acute_report_at_step_one_through_the_service(svc, store):
    """A 9-year-old in acute danger is reported at once, before step 2; the read model says
    'gemeld' with the Veilig Thuis deadline, the journal verifies and the history replays."""
    state = svc.create_case("Sanne de Vries (fictief)", "2017-03-01", "groep 5")
    cid = state.case_id
    state = svc.record(cid, "acute_report", dict(
        on="2026-09-01", reported_to=["veilig_thuis_phone", "police"],
        by_whom="Aandachtsfunctionaris (fictief)",
        agreed="Veilig Thuis en politie komen vandaag naar school",
        child_safety="Kind blijft op school tot Veilig Thuis er is"))
    assert state.status == "gemeld" and state.step == 1
    row = store.case_row(cid)
    assert row["status"] == "gemeld" and row["next_deadline"] == "2026-09-08"
    points = svc.open_points(cid)
    assert any(p.code.startswith("acute:step1") and p.action == "record_signal" for p in points)
    # Catching up: a conversation (step 3) is no longer refused by the step order.
    svc.record_conversation(cid, on="2026-09-01", participants=["pupil"], purpose_explained=True,
                            facts_presented=True, reaction_invited=True, interpretation_after_reaction=True,
                            parents_informed_beforehand=True, summary="Kind vertelde wat er gebeurde")
    check_history(svc.journal(cid))
    assert svc.verify().ok


def test_each_service_keeps_its_own_zorgteam(store, clock):
    """The school's [zorgteam] is passed in (CaseService.care_team_policy), not set for the
    process: a service built with a school's roles accepts them, and a second service in the
    same process, built without, still refuses them - before, the last configured policy won."""
    from meldcode_tui.domain.care_team import CareTeamPolicy

    school = CareTeamPolicy.from_config(["leerkracht", "intern_begeleider", "schoolleider"],
                                        ["leerkracht", "intern_begeleider"])
    theirs = CaseService(store, actor="anna", clock=clock, care_team_policy=school)
    ours = CaseService(store, actor="anna", clock=clock)
    team = [{"role": "leerkracht", "name": "Juf Fictief", "user": "juf"},
            {"role": "intern_begeleider", "name": "IB Fictief", "user": ""}]
    cid = new_case(theirs).case_id
    signal(theirs, cid)
    theirs.complete_step(cid, 1, "Signalen vastgelegd")
    with pytest.raises(RuleViolation) as info:
        ours.set_care_team(cid, team)
    assert info.value.rule == "care_team_role_accepted"
    state = theirs.set_care_team(cid, team)
    assert [m["role"] for m in state.care_team] == ["leerkracht", "intern_begeleider"]
    # Step 2 asks for the roles the school requires: the school's service finds none missing,
    # the default's asks for the protocol's four.
    assert not [p for p in theirs.open_points(cid) if p.rule == "step2_care_team"]
    assert [p for p in ours.open_points(cid) if p.rule == "step2_care_team"]
    assert theirs.care_team_policy is school and ours.care_team_policy == CareTeamPolicy()


@pytest.mark.parametrize("kind, payload", [
    ("user_added", {"name": "mallory", "display_name": "Mallory (fictief)", "role": "coordinator",
                    "os_user": "root"}),
    ("access_refused", {"action": "case_viewed", "case": "MC-0001", "role": "teacher"}),
    ("figures_viewed", {"scope": "school", "period": "2025-08..2026-07", "output": "text",
                        "schools": 1}),
    ("concern_answered", {"reason": "Geen zorg nu, besproken met de leerkracht."}),
])
def test_a_school_record_is_never_appended_to_a_case(svc, store, kind, payload):
    """People, access, concerns and the figures have their own streams: through the one write
    door they are refused on a pupil's case (they would show in its chronology and travel with
    its exports), whoever asks and whatever the caller checked."""
    cid = new_case(svc).case_id
    before = len(store.case_events(cid))
    with pytest.raises(InputError) as info:
        svc.record(cid, kind, payload)
    assert info.value.field == "kind" and "geen vastlegging bij een casus" in str(info.value)
    assert len(store.case_events(cid)) == before
