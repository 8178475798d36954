"""Erasure's holes, each tried as the attacker or the hurried user would:

- a user who may not see a case (``case show`` answers "bestaat niet") erases it anyway, with
  no user table (``meldcode retention erase``) and with one (a member outside the zorgteam);
- an erased case is reopened or gets new records, as a nameless case;
- ``case show`` of an erased case that had a decision prints "None" or ends in a KeyError.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner

from meldcode_tui.admin import UserAdmin
from meldcode_tui.cli import main
from meldcode_tui.clock import SettableClock
from meldcode_tui.errors import AccessDenied, NotFound, RuleViolation
from meldcode_tui.retention import erase_case
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store
from tests.exports.conftest import build_full_case

REASON = "Verzoek van de ouders, brief 12-11 (fictief)."


def _service(db, actor="coordinator", role=None) -> CaseService:
    clock = SettableClock(datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    return CaseService(open_store(db, create=True), actor=actor, clock=clock, role=role)


def _closed_case_with_decision(db) -> str:
    svc = _service(db)
    case_id = build_full_case(svc)
    svc.clock.set(date(2026, 3, 20))
    svc.close_case(case_id, "moved_away", "De leerling is verhuisd (fictief).",
                   new_school="Basisschool De Linde (fictief)")
    svc.store.close()
    return case_id


def _refusals(db) -> list[tuple]:
    store = open_store(db)
    try:
        return [(e.actor, e.payload["action"], e.payload["case"]) for e in store.events(case_id="toegang")]
    finally:
        store.close()


def _payloads_left(db, case_id) -> int:
    store = open_store(db)
    try:
        return sum(1 for e in store.case_events(case_id) if e.payload is not None
                   and e.kind not in ("payload_erased", "case_erased"))
    finally:
        store.close()


def test_a_user_who_may_not_see_the_case_cannot_erase_it_without_a_user_table(db_path):
    case_id = _closed_case_with_decision(db_path)
    before = _payloads_left(db_path, case_id)
    runner = CliRunner()
    shown = runner.invoke(main, ["--db", str(db_path), "--user", "indringer", "case", "show", case_id])
    assert shown.exit_code != 0 and "bestaat niet" in shown.stderr
    erased = runner.invoke(main, ["--db", str(db_path), "--user", "indringer", "retention", "erase",
                                  case_id, "--reason", REASON, "--requested-by", "ouders"])
    assert erased.exit_code == shown.exit_code, erased.output
    assert "bestaat niet of u heeft geen toegang" in erased.stderr and "gewist" not in erased.stdout
    assert _payloads_left(db_path, case_id) == before              # nothing erased
    assert ("indringer", "case_erased", case_id) in _refusals(db_path)
    # Through the service too: the same answer as a case that does not exist.
    svc = _service(db_path, actor="indringer")
    with pytest.raises(NotFound, match="bestaat niet of u heeft geen toegang"):
        erase_case(svc, case_id, REASON, policy="request", requested_by="ouders")
    svc.store.close()
    assert _payloads_left(db_path, case_id) == before


def test_with_a_user_table_only_a_coordinator_erases_and_a_member_outside_the_team_learns_nothing(db_path):
    case_id = _closed_case_with_decision(db_path)
    store = open_store(db_path)
    admin = UserAdmin(store, actor="beheerder")
    admin.add_user("bram", "Bram (fictief)", "member")
    admin.add_user("anouk", "Anouk (fictief)", "coordinator")
    store.close()
    before = _payloads_left(db_path, case_id)
    member = _service(db_path, actor="bram", role="member")
    with pytest.raises(AccessDenied):
        erase_case(member, case_id, REASON, policy="request", requested_by="ouders")
    member.store.close()
    assert ("bram", "case_erased", case_id) in _refusals(db_path)
    assert _payloads_left(db_path, case_id) == before
    coordinator = _service(db_path, actor="anouk", role="coordinator")
    assert erase_case(coordinator, case_id, REASON, policy="request", requested_by="ouders") > 0
    coordinator.store.close()


@pytest.fixture
def erased(db_path):
    case_id = _closed_case_with_decision(db_path)
    svc = _service(db_path)
    assert erase_case(svc, case_id, REASON, policy="request", requested_by="ouders") > 0
    yield svc, case_id
    svc.store.close()


def test_an_erased_case_is_not_reopened_and_gets_no_new_records(erased):
    svc, case_id = erased
    head = svc.store.checkpoint()
    with pytest.raises(RuleViolation) as info:
        svc.reopen_case(case_id, "Nieuwe zorgen gemeld door de leerkracht.")
    assert info.value.rule == "erased_case_final" and "gewist" in info.value.message
    with pytest.raises(RuleViolation) as info:
        svc.record_pupil_left(case_id, "2026-03-01")
    assert info.value.rule == "erased_case_final"
    assert svc.store.checkpoint() == head                           # nothing written
    assert svc.get_state(case_id).erasure_records                   # still readable as erased


@pytest.mark.parametrize("as_json", [False, True])
def test_case_show_of_an_erased_case_with_a_decision(erased, db_path, as_json):
    _svc, case_id = erased
    args = ["--db", str(db_path), "--user", "coordinator", "case", "show", case_id]
    result = CliRunner().invoke(main, args + (["--json"] if as_json else []))
    assert result.exit_code == 0, (result.output, result.stderr)
    assert "None" not in result.stdout and "KeyError" not in result.output
    assert "onverwachte fout" not in result.output
    if as_json:
        data = json.loads(result.stdout)
        assert data["erased"] is True and data["pupil"]["name"] == ""
        assert all(d["erased"] for d in data["decisions"])
    else:
        assert "gewist" in result.stdout


def test_retention_apply_by_a_user_who_may_not_see_the_case_erases_nothing(db_path):
    """The same hole through the periodic command: `retention apply` no longer widens a user's
    access to every case; it lists and erases only the cases she may see."""
    case_id = _closed_case_with_decision(db_path)
    before = _payloads_left(db_path, case_id)
    runner = CliRunner()
    base = ["--db", str(db_path), "--user", "indringer", "retention", "--years", "0",
            "--counted-from", "closing"]
    listed = runner.invoke(main, base)
    assert listed.exit_code == 0 and case_id not in listed.output
    applied = runner.invoke(main, [*base, "--apply"])
    assert applied.exit_code == 0 and case_id not in applied.output
    assert _payloads_left(db_path, case_id) == before
    owner = runner.invoke(main, ["--db", str(db_path), "--user", "coordinator", "retention", "--years", "0",
                                 "--counted-from", "closing"])
    assert case_id in owner.output                                 # the one who may see it does
