"""Who sees which case, end to end through the command line and the config file."""

from __future__ import annotations

import json

from click.testing import CliRunner

from meldcode_tui.cli import main


def _case_ids(runner, db_path, *args):
    result = runner.invoke(main, ["--db", str(db_path), *args, "case", "list", "--json"])
    assert result.exit_code == 0, result.output
    return {row["case_id"] for row in json.loads(result.stdout)}


def test_only_owner_care_team_and_configured_users_see_cases(db_path, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db_path), "--user", "anouk", "demo"]).exit_code == 0
    config = tmp_path / "config.toml"
    config.write_text('[access]\nall_cases = ["bram"]\n', encoding="utf-8")

    owner_sees = _case_ids(runner, db_path, "--user", "anouk")
    assert len(owner_sees) >= 8
    assert _case_ids(runner, db_path, "--user", "carla") == set()
    assert _case_ids(runner, db_path, "--user", "bram", "--config", str(config)) == owner_sees
    # Without the config, bram is just another colleague.
    assert _case_ids(runner, db_path, "--user", "bram") == set()

    # Asking for a case one may not see gives the same answer as a case that does not exist.
    hidden = runner.invoke(main, ["--db", str(db_path), "--user", "carla", "case", "show", sorted(owner_sees)[0]])
    missing = runner.invoke(main, ["--db", str(db_path), "--user", "carla", "case", "show", "MC-9999"])
    assert hidden.exit_code == missing.exit_code == 4
    assert hidden.stderr.replace(sorted(owner_sees)[0], "X") == missing.stderr.replace("MC-9999", "X")
