"""Retention: closed cases lose their words after the school's period; the chain still verifies."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.demo import create_demo
from meldcode_tui.errors import InputError, RuleViolation
from meldcode_tui.retention import due_for_erasure, erase_case
from meldcode_tui.clock import SettableClock
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

TODAY = date(2026, 11, 29)


def _service(db_path, on: date) -> CaseService:
    clock = SettableClock(datetime(on.year, on.month, on.day, 9, tzinfo=timezone.utc))
    return CaseService(open_store(db_path, create=True), actor="beheer", clock=clock, all_access=True)


@pytest.fixture
def demo_db(db_path):
    svc = _service(db_path, TODAY)
    create_demo(svc, today=TODAY)
    svc.store.close()
    return db_path


def _closed_case(svc) -> dict:
    return next(r for r in svc.store.case_rows() if r["status"] == "gesloten")


def test_nothing_is_due_before_the_period_has_passed(demo_db):
    svc = _service(demo_db, TODAY)
    assert due_for_erasure(svc, 2) == []
    svc.store.close()


def test_closed_case_is_erased_after_the_period_and_the_chain_still_verifies(demo_db):
    svc = _service(demo_db, date(2029, 1, 15))
    closed = _closed_case(svc)
    name = closed["pupil_name"]
    due = due_for_erasure(svc, 2)
    assert [c.case_id for c in due] == [closed["case_id"]]          # open cases are never due
    others_before = {r["case_id"]: r for r in svc.store.case_rows() if r["case_id"] != closed["case_id"]}

    erased = erase_case(svc, closed["case_id"], "Bewaartermijn van 2 jaar verstreken.")
    assert erased >= 3
    events = svc.store.case_events(closed["case_id"])
    assert next(e for e in events if e.kind == "case_opened").payload is None   # the name is gone
    # What is left are words other cases hold too (generic texts), never this pupil's alone.
    for e in events:
        if e.payload is not None and e.kind not in ("payload_erased", "case_erased"):
            assert any(o.payload_hash == e.payload_hash and o.case_id != e.case_id for o in svc.store.events())
    assert all(e.payload["reason"] == "Bewaartermijn van 2 jaar verstreken."
               for e in events if e.kind == "payload_erased")
    assert svc.verify().ok
    assert svc.search(name.split()[0]) == []                        # nothing left to find
    row = svc.store.case_row(closed["case_id"])
    assert name not in (row["pupil_name"] or "") and "gewist" in row["pupil_name"]
    assert {r["case_id"]: r for r in svc.store.case_rows() if r["case_id"] != closed["case_id"]} == others_before
    assert due_for_erasure(svc, 2) == []                            # done once
    svc.store.close()


def test_open_cases_and_empty_reasons_are_refused(demo_db):
    svc = _service(demo_db, date(2030, 1, 1))
    open_case = next(r for r in svc.store.case_rows() if r["status"] == "open")
    head = svc.store.checkpoint()
    with pytest.raises(RuleViolation) as exc:
        erase_case(svc, open_case["case_id"], "Bewaartermijn verstreken, volgens beleid.")
    assert exc.value.rule == "retention_only_closed"
    with pytest.raises(InputError):
        erase_case(svc, _closed_case(svc)["case_id"], "kort")
    assert svc.store.checkpoint() == head                            # nothing written
    svc.store.close()


def test_retention_command_lists_then_applies(demo_db):
    runner = CliRunner()
    listed = runner.invoke(main, ["--db", str(demo_db), "--user", "beheer", "retention", "--years", "0", "--counted-from", "closing"])
    assert listed.exit_code == 0, listed.output
    assert "wissen vanaf" in listed.stdout and "retention apply" in listed.stdout
    applied = runner.invoke(main, ["--db", str(demo_db), "--user", "beheer", "retention", "--years", "0", "--counted-from", "closing", "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "gewist" in applied.stdout
    again = runner.invoke(main, ["--db", str(demo_db), "retention", "--years", "0", "--counted-from", "closing"])
    assert again.exit_code == 0 and "Geen casussen waarvan" in again.stdout
    assert runner.invoke(main, ["--db", str(demo_db), "verify"]).exit_code == 0


def test_the_listing_names_copies_taken_out_of_the_file(demo_db, tmp_path):
    """Erasure cannot reach an export on a coordinator's computer: the listing says who took a
    copy of a due case, when and in what form, so the privacy officer can ask for it."""
    svc = _service(demo_db, TODAY)
    closed = _closed_case(svc)["case_id"]
    svc.export(closed, "markdown")
    svc.store.close()
    runner = CliRunner()
    listed = runner.invoke(main, ["--db", str(demo_db), "--user", "beheer", "retention", "--years", "0",
                                  "--counted-from", "closing"])
    assert listed.exit_code == 0, listed.output
    line = next(x for x in listed.stdout.splitlines() if "kopieën buiten het bestand" in x)
    assert "beheer 2026-11-29 (markdown)" in line
