"""A leaving pupil noticed: a load in which a pupil with a case is gone (or has a leaving date)
puts an open point on that case with the date proposed; one key confirms it (the existing
``pupil_left`` record), and retention then counts from that date."""

from __future__ import annotations

from datetime import date

from meldcode_tui.domain.guide import open_points
from meldcode_tui.retention import RetentionPolicy, review
from meldcode_tui.service_layer import pupils as sp

from .conftest import make_service, sample

PARNASSYS = "parnassys"


def _load(svc, name, data=None):
    return sp.load_register(svc, data if data is not None else sample(name), sp.mappings()[PARNASSYS])


def _point(svc, case_id):
    return [p for p in svc.open_points(case_id) if p.code == "pupil_left_register"]


def test_gone_pupil_gets_the_point_once_and_one_confirm_records_the_date(db_path):
    svc = make_service(db_path, date(2026, 11, 2))
    _load(svc, "parnassys_cp1252.csv")
    noah = sp.create_case_from_register(svc, "1004").case_id
    sanne = sp.create_case_from_register(svc, "1001").case_id
    assert _point(svc, noah) == []
    svc.clock.set(date(2027, 1, 11))
    report = _load(svc, "parnassys_cp1252_second.csv")
    assert report.gone == 1 and report.noticed == [noah]
    assert any(noah in line for line in report.lines())
    [point] = _point(svc, noah)
    assert "niet meer in de leerlingadministratie" in point.text and "voorstel: 11-01-2027" in point.text
    assert point.action == "confirm_pupil_left"
    assert _point(svc, sanne) == []
    # the same export again: told once
    assert _load(svc, "parnassys_cp1252_second.csv").noticed == []
    assert [e.kind for e in svc.journal(noah)].count("pupil_gone_from_register") == 1

    sp.confirm_pupil_left(svc, noah)
    state = svc.get_state(noah)
    assert state.left_on == "2027-01-11" and _point(svc, noah) == []


def test_leaving_date_in_the_export_is_proposed_also_on_a_closed_case(db_path):
    svc = make_service(db_path, date(2026, 11, 2))
    _load(svc, "parnassys_cp1252.csv")
    case_id = sp.create_case_from_register(svc, "1002").case_id
    svc.close_case(case_id, "other", "Geen zorgen meer na gesprek met ouders en leerkracht (fictief).")
    svc.clock.set(date(2027, 2, 1))
    left = sample("parnassys_cp1252.csv").replace(b"1234 CD;Dorpstad;Ingrid Jansen (fictief);moeder;ja;06-33333333;;;;;;;",
                                                  b"1234 CD;Dorpstad;Ingrid Jansen (fictief);moeder;ja;06-33333333;;;;;;;20-12-2026")
    report = _load(svc, "x", left)
    assert report.noticed == [case_id]
    [point] = _point(svc, case_id)
    assert "voorstel: 20-12-2026" in point.text
    # retention waits for a leaving date before, and counts from the confirmed one after
    policy = RetentionPolicy(2, "leaving")
    assert review(svc, policy)[1] == [case_id]
    sp.confirm_pupil_left(svc, case_id)
    assert svc.get_state(case_id).left_on == "2026-12-20"
    svc.clock.set(date(2029, 2, 2))
    [due], _waiting = review(svc, policy)
    assert due.case_id == case_id and due.counted_from == date(2026, 12, 20)


def test_guide_point_is_in_its_own_function(db_path):
    svc = make_service(db_path)
    _load(svc, "parnassys_cp1252.csv")
    case_id = sp.create_case_from_register(svc, "1004").case_id
    _load(svc, "parnassys_cp1252_second.csv")
    state = svc.get_state(case_id)
    assert [p.code for p in open_points(state, svc.today())][0] == "pupil_left_register"
