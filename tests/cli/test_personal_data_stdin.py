"""Personal data never needs the command line: `case new` takes every field of the pupil from
standard input (a command line is readable by every local user in /proc/PID/cmdline and stays
in the shell's history); options still work, with a warning."""

from __future__ import annotations

import json

from click.testing import CliRunner

from meldcode_tui.cli import main


def run(db, *args, input=None):
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input)


PUPIL = {"name": "Lotte Bakker (fictief)", "date_of_birth": "2015-02-03", "group": "5a",
         "pupil_number": "1234", "note": "Doorgestuurd door de leerkracht",
         "parents": [{"name": "Piet Bakker (fictief)", "relation": "vader"}]}


def test_case_new_takes_every_field_from_json_on_stdin_without_a_warning(db_path):
    result = run(db_path, "case", "new", "--json", "-", input=json.dumps(PUPIL))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    cid = result.stdout.strip()
    shown = json.loads(run(db_path, "case", "show", cid, "--json").stdout)
    assert shown["pupil"]["name"] == PUPIL["name"]
    assert shown["pupil"]["date_of_birth"] == PUPIL["date_of_birth"]
    assert shown["pupil"]["group"] == "5a" and shown["pupil"]["pupil_number"] == "1234"
    assert shown["parents"][0]["name"] == "Piet Bakker (fictief)"


def test_case_new_takes_toml_too(db_path):
    doc = 'name = "Sem Visser (fictief)"\ndate_of_birth = "2012-06-01"\nstaff_suspicion = false\n'
    result = run(db_path, "case", "new", "--toml", "-", input=doc)
    assert result.exit_code == 0 and result.stdout.startswith("MC-")


def test_a_name_given_as_an_option_warns_once(db_path):
    result = run(db_path, "case", "new", "--name", "Noah Jansen (fictief)", "--dob", "2017-03-01")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Let op")]
    assert len(warnings) == 1
    assert "--name" in warnings[0] and "--dob" in warnings[0] and "--json -" in warnings[0]
    assert "Noah" not in result.stderr   # the warning names the option, never the value


def test_case_record_with_set_warns(db_path):
    cid = run(db_path, "case", "new", "--json", "-", input=json.dumps(PUPIL)).stdout.strip()
    result = run(db_path, "case", "record", cid, "signal_recorded", "--set", "description=Komt vaak te laat",
                 "--set", "observed_on=2026-01-05", "--set", "observed_by=juf", "--set", "source=own")
    assert result.exit_code == 0
    assert result.stderr.count("Let op") == 1


def test_unknown_or_missing_fields_are_named(db_path):
    result = run(db_path, "case", "new", "--json", "-", input='{"name": "X (fictief)", "nickname": "x"}')
    assert result.exit_code == 1 and "'nickname'" in result.stderr
    result = run(db_path, "case", "new", "--json", "-", input='{"name": "X (fictief)"}')
    assert result.exit_code == 1 and "geboortedatum" in result.stderr
    result = run(db_path, "case", "new", "--json", "-", input='["a"]')
    assert result.exit_code == 1 and "één object" in result.stderr
