"""`meldcode demo`, `meldcode case list` and `meldcode case show`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.store import open_store


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def demo_db(runner, db_path):
    result = runner.invoke(main, ["--db", str(db_path), "demo"])
    assert result.exit_code == 0, result.output
    return db_path


def test_demo_fills_an_empty_database(runner, db_path):
    result = runner.invoke(main, ["demo", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "fictieve democasussen" in result.stdout and "MC-0010" in result.stdout


def test_demo_refuses_a_non_empty_database(runner, demo_db):
    store = open_store(demo_db)
    before = store.checkpoint()
    store.close()
    result = runner.invoke(main, ["demo", "--db", str(demo_db)])
    assert result.exit_code == 1
    assert "niet leeg" in result.stderr
    store = open_store(demo_db)
    assert store.checkpoint() == before    # nothing touched
    store.close()


def test_case_list_text_and_json(runner, demo_db):
    result = runner.invoke(main, ["case", "list", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert "MC-0001" in result.stdout and "stap" in result.stdout and "gemeld" in result.stdout
    assert "(te laat)" in result.stdout
    result = runner.invoke(main, ["--db", str(demo_db), "case", "list", "--json"])
    rows = json.loads(result.stdout)
    assert len(rows) == 11
    assert {"case_id", "step", "status", "next_deadline", "open_points", "overdue", "age"} <= set(rows[0])
    assert {r["status"] for r in rows} == {"open", "hulp", "gemeld", "gesloten", "doorverwezen"}
    result = runner.invoke(main, ["case", "list", "--open", "--json", "--db", str(demo_db)])
    assert all(r["status"] != "gesloten" for r in json.loads(result.stdout))


def test_case_list_respects_membership(runner, demo_db):
    result = runner.invoke(main, ["--user", "iemand-anders", "--db", str(demo_db), "case", "list", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_case_show_json_and_access_log(runner, demo_db):
    result = runner.invoke(main, ["case", "show", "MC-0007", "--json", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "gemeld" and data["step"] == 5
    overdue = [p for p in data["open_points"] if p["rule"] == "vt_feedback_due"]
    # Veilig Thuis's 5 working days are its aim, not the school's deadline: no "te laat", but
    # "nog geen terugkoppeling: neem contact op met Veilig Thuis".
    assert overdue and overdue[0]["severity"] == "due" and overdue[0]["action"] == "record_vt_feedback"
    assert overdue[0]["text"].startswith("Nog geen terugkoppeling van Veilig Thuis")
    store = open_store(demo_db)
    try:
        last = store.case_events("MC-0007")[-1]
    finally:
        store.close()
    assert last.kind == "case_viewed" and last.actor == "test-coordinator"


def test_case_show_text(runner, demo_db):
    result = runner.invoke(main, ["case", "show", "mc-0010", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert "Casus MC-0010" in result.stdout and "Open punten:" in result.stdout
    assert "alsnog" in result.stdout


def test_case_show_unknown_case(runner, demo_db):
    result = runner.invoke(main, ["case", "show", "MC-0999", "--db", str(demo_db)])
    assert result.exit_code == 4
    assert "MC-0999" in result.stderr


def test_case_commands_have_help(runner):
    for args in (["case", "--help"], ["case", "list", "--help"], ["case", "show", "--help"], ["demo", "--help"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "--db" in result.stdout or args == ["case", "--help"]


def test_case_list_on_missing_database(runner, tmp_path):
    result = runner.invoke(main, ["case", "list", "--db", str(tmp_path / "bestaat-niet.sqlite")])
    assert result.exit_code == 3
