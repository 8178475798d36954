"""Every role rule in the service layer, allowed and refused, and each refusal journalled
(who, what, which case; no content). Real SQLite files; revocation across real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from meldcode_tui.admin import UserAdmin
from meldcode_tui.errors import AccessDenied, AccessRevoked, NotFound
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

D = "2026-11-02"
SIGNAL = {"description": "Blauwe plek op de arm (fictief)", "observed_on": D,
          "observed_by": "Leerkracht", "source": "own"}
MELDCODE = str(Path(sys.executable).parent / "meldcode")


@pytest.fixture
def school(tmp_path):
    db = tmp_path / "school.sqlite"
    store = open_store(db, create=True)
    admin = UserAdmin(store, actor="beheerder")
    for name, role in (("anouk", "coordinator"), ("bram", "member"), ("carla", "member"),
                       ("dirk", "teacher"), ("eva", "auditor")):
        admin.add_user(name, f"{name.title()} (fictief)", role)
    store.close()
    services = []

    def svc(name, role):
        s = CaseService(open_store(db), actor=name, role=role)
        services.append(s)
        return s

    coordinator = svc("anouk", "coordinator")
    case_id = coordinator.create_case("Lotte Peters (fictief)", "2015-04-01", "6a", "9001").case_id
    coordinator.record_signal(case_id, **SIGNAL)
    coordinator.complete_step(case_id, 1, "Signalen in kaart (fictief)")
    coordinator.set_care_team(case_id, [{"role": "leerkracht", "name": "Bram (fictief)", "user": "bram"}])
    other = coordinator.create_case("Sem Bakker (fictief)", "2014-01-01", "7b", "9002").case_id
    yield db, svc, case_id, other
    for s in services:
        s.store.close()


def refusals(db):
    store = open_store(db)
    try:
        return [(e.actor, e.payload["action"], e.payload["case"], e.payload["role"])
                for e in store.events(case_id="toegang")]
    finally:
        store.close()


def test_coordinator_sees_and_runs_every_case(school):
    db, svc, case_id, other = school
    c = svc("anouk", "coordinator")
    assert {r["case_id"] for r in c.list_cases()} == {case_id, other}
    c.record_signal(other, **SIGNAL)
    assert c.verify().ok
    assert refusals(db) == []


def test_member_sees_her_teams_cases_and_records_but_does_not_decide(school):
    db, svc, case_id, other = school
    m = svc("bram", "member")
    assert [r["case_id"] for r in m.list_cases()] == [case_id]
    assert [r["case_id"] for r in m.case_page(m.case_filter())] == [case_id]
    m.open_case(case_id)
    m.record_signal(case_id, **SIGNAL)
    with pytest.raises(NotFound) as hidden:
        m.record_signal(other, **SIGNAL)      # not her team: as if it did not exist ...
    with pytest.raises(NotFound) as missing:
        m.record_signal("MC-9999", **SIGNAL)
    assert hidden.value.message.replace(other, "X") == missing.value.message.replace("MC-9999", "X")
    with pytest.raises(NotFound):
        m.open_case(other)
    for attempt, kind in (
            (lambda: m.record(case_id, "decision_recorded", {
                "report_needed": True, "help_possible": True, "reason": "Besluit genomen (fictief)"}),
             "decision_recorded"),
            (lambda: m.close_case(case_id, "other", "Zorg weggenomen (fictief)"), "case_closed"),
            (lambda: m.set_care_team(case_id, [{"role": "leerkracht", "name": "X", "user": "bram"}]), "care_team_set"),
            (lambda: m.complete_step(case_id, 5, "klaar"), "step_completed")):
        with pytest.raises(AccessDenied) as err:
            attempt()
        assert "zorgteamlid" in err.value.message
    with pytest.raises(AccessDenied):
        m.create_case("Nieuw (fictief)", "2015-01-01")
    # ... but the attempts on an existing case are journalled (a missing one is not).
    assert refusals(db) == [("bram", "signal_recorded", other, "member"),
                            ("bram", "case_viewed", other, "member"),
                            ("bram", "decision_recorded", case_id, "member"),
                            ("bram", "case_closed", case_id, "member"),
                            ("bram", "care_team_set", case_id, "member"),
                            ("bram", "step_completed", case_id, "member"),
                            ("bram", "case_opened", "", "member")]


def test_teacher_never_sees_a_case_or_that_it_exists(school):
    db, svc, case_id, other = school
    t = svc("dirk", "teacher")
    assert t.list_cases() == []
    assert t.case_page(t.case_filter()) == [] and t.case_count(t.case_filter()) == 0
    assert t.case_counts()["total"] == 0
    for attempt in (lambda: t.open_case(case_id), lambda: t.get_state(case_id),
                    lambda: t.journal(case_id), lambda: t.record_signal(case_id, **SIGNAL),
                    lambda: t.open_case("MC-9999")):
        with pytest.raises(NotFound) as err:
            attempt()
        assert "bestaat niet of u heeft geen toegang" in err.value.message
    with pytest.raises(AccessDenied):
        t.verify()
    with pytest.raises(AccessDenied):
        t.journal_metadata()
    got = refusals(db)
    assert got == [("dirk", "case_viewed", case_id, "teacher"), ("dirk", "case_read", case_id, "teacher"),
                   ("dirk", "case_read", case_id, "teacher"), ("dirk", "signal_recorded", case_id, "teacher"),
                   ("dirk", "case_viewed", "MC-9999", "teacher"), ("dirk", "verify", "", "teacher"),
                   ("dirk", "journal_metadata", "", "teacher")]


def test_auditor_verifies_and_reads_metadata_and_access_log_only(school):
    db, svc, case_id, other = school
    svc("bram", "member").open_case(case_id)
    with pytest.raises(NotFound):
        svc("dirk", "teacher").open_case(other)
    a = svc("eva", "auditor")
    assert a.verify().ok
    meta = a.journal_metadata()
    assert meta and set(meta[0]) == {"seq", "at", "actor", "kind", "case_id"}
    assert "Lotte" not in json.dumps(meta)
    from meldcode_tui.service_layer.stats import FigureViews

    FigureViews(svc("anouk", "coordinator")).school_figures()     # a look at the figures is an access too
    log = a.access_log()
    assert [(r["actor"], r["action"], r["case"]) for r in log] == [
        ("bram", "case_viewed", case_id), ("dirk", "case_viewed", other), ("anouk", "figures_viewed", "")]
    for attempt in (lambda: a.get_state(case_id), lambda: a.open_case(case_id)):
        with pytest.raises(NotFound):
            attempt()
    assert a.list_cases() == []
    with pytest.raises(AccessDenied):
        a.create_case("Nieuw (fictief)", "2015-01-01")


def test_disabled_in_another_process_refuses_the_next_record_of_an_open_session(school):
    db, svc, case_id, other = school
    m = svc("bram", "member")
    m.record_signal(case_id, **SIGNAL)
    assert m.session_status() is None
    r = subprocess.run([MELDCODE, "--db", str(db), "admin", "user", "disable", "bram",
                        "--reason", "Vertrokken (fictief)"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert m.session_status() == "Uw toegang is ingetrokken."
    store = open_store(db)
    before = store.checkpoint()
    store.close()
    with pytest.raises(AccessRevoked) as err:
        m.record_signal(case_id, **SIGNAL)
    assert err.value.message == "Uw toegang is ingetrokken."
    with pytest.raises(AccessRevoked):
        m.export(case_id, "markdown")
    store = open_store(db)
    new = [e for e in store.events(after_seq=before[0])]
    store.close()
    # Both refusals journalled (the export's too: it used to refuse without a trace).
    assert [(e.actor, e.kind, e.case_id, e.payload["action"], e.payload["case"]) for e in new] == [
        ("bram", "access_refused", "toegang", "signal_recorded", case_id),
        ("bram", "access_refused", "toegang", "case_exported", case_id)]
    # Enabled again: the same open session works again.
    subprocess.run([MELDCODE, "--db", str(db), "admin", "user", "enable", "bram"], check=True,
                   capture_output=True, timeout=60)
    m.record_signal(case_id, **SIGNAL)


def test_a_role_change_applies_from_the_next_action(school):
    db, svc, case_id, other = school
    c = svc("carla", "member")
    with pytest.raises(NotFound):
        c.record_signal(other, **SIGNAL)
    store = open_store(db)
    UserAdmin(store, actor="beheerder").set_role("carla", "coordinator")
    store.close()
    # The open session's screens were built for the old role: the live check ends them.
    assert c.session_status() == "Uw rol is gewijzigd in coördinator (aandachtsfunctionaris); start Meldcode opnieuw."
    c.record_signal(other, **SIGNAL)   # the guard picks up the new role inside the write


def test_a_teacher_in_the_zorgteam_still_cannot_export_the_case(school):
    """The zorgteam lists the teacher (role 'leerkracht', user 'dirk'): as a *user* with the
    teacher role she still never gets the case, not even through an export."""
    db, svc, case_id, other = school
    c = svc("anouk", "coordinator")
    c.set_care_team(case_id, [{"role": "leerkracht", "name": "Dirk (fictief)", "user": "dirk"}])
    t = svc("dirk", "teacher")
    with pytest.raises(NotFound):
        t.export(case_id, "markdown")
    with pytest.raises(NotFound):
        svc("eva", "auditor").export(case_id, "markdown")
    assert refusals(db)[-2:] == [("dirk", "case_exported", case_id, "teacher"),
                                 ("eva", "case_exported", case_id, "auditor")]


def test_only_a_coordinator_erases_a_case_on_request_and_a_refusal_is_journalled(school):
    """In the app: erasure on request is the school's act (coordinator or admin)."""
    from meldcode_tui.retention import erase_case

    db, svc, case_id, other = school
    c = svc("anouk", "coordinator")
    c.close_case(case_id, "other", "Leerling is verhuisd (fictief).")
    m = svc("bram", "member")
    with pytest.raises(AccessDenied):
        erase_case(m, case_id, "Verzoek van de ouders (fictief).", policy="request",
                   requested_by="ouders")
    assert ("bram", "case_erased", case_id, "member") in refusals(db)
    assert erase_case(c, case_id, "Verzoek van de ouders (fictief).", policy="request",
                      requested_by="ouders") > 0
