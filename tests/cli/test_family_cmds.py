"""``meldcode family …`` through the real CLI on a real SQLite file."""

from __future__ import annotations

import json

from click.testing import CliRunner

from meldcode_tui.cli import main
from tests.exports.conftest import make_service


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


def test_family_from_the_command_line(tmp_path):
    db = tmp_path / "school.sqlite"
    svc = make_service(db, actor="anouk")
    a = svc.create_case("Noor Jansen (fictief)", "2015-05-17", "6a", "1001").case_id
    b = svc.create_case("Bram Jansen (fictief)", "2018-01-09", "3b", "1002").case_id
    seq = svc.record_signal(a, description="Vertelt over geschreeuw thuis.", observed_on="2026-03-02",
                            observed_by="Juf Mila (fictief)", source="own").signals[-1].seq
    svc.store.close()
    u = ("--user", "anouk")
    assert run(*u, "family", "add-person", a, "--name", "Petra Jansen (fictief)", "--relation", "parent",
               "--gezag", "yes", "--language", "Pools", "--interpreter-needed", "--db", db).exit_code == 0
    assert run(*u, "family", "add-professional", a, "--name", "Sem Bakker (fictief)", "--organisation",
               "Wijkteam Fictief", "--db", db).exit_code == 0
    assert run(*u, "family", "link", a, b, "--db", db).exit_code == 0
    again = run(*u, "family", "link", b, a, "--db", db)
    assert again.exit_code == 1 and "al gekoppeld" in again.stderr
    assert run(*u, "family", "refer", b, a, seq, "--note", "Geldt ook voor Bram.", "--db", db).exit_code == 0
    shown = json.loads(run(*u, "family", "show", a, "--json", "--db", db).stdout)
    assert shown["household"][0]["gezag"] == "yes" and shown["household"][0]["interpreter_needed"] is True
    assert shown["professionals"][0]["organisation"] == "Wijkteam Fictief"
    assert shown["linked"] == [{"case_id": b, "relation": "sibling"}]
    hostile = run(*u, "family", "add-person", a, "--name", "X\x1b]0;pwned\x07", "--relation", "other", "--db", db)
    assert hostile.exit_code == 1 and "\x1b" not in hostile.stderr
    stranger = run("--user", "bram", "family", "show", a, "--db", db)
    assert stranger.exit_code == 4
    text = run(*u, "family", "show", b, "--db", db).stdout
    assert a in text
