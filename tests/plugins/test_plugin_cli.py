"""`meldcode plugins` and `meldcode catalogue check|list|show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main

BASIS = Path(__file__).resolve().parents[2] / "catalogues" / "meldcode-basis.toml"


@pytest.fixture
def run():
    def invoke(*args, input=None):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return invoke


def test_plugins_lists_builtins(run):
    result = run("plugins")
    assert result.exit_code == 0
    assert "builtin_catalogues  (meldcode-tui" in result.output
    assert "status: geladen" in result.output
    assert "meldcode-basis (" in result.output and "signalen)" in result.output


def test_plugins_json_and_block_from_config(run, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[plugins]\nblock = ["builtin_catalogues"]\n', encoding="utf-8")
    data = json.loads(run("--config", str(cfg), "plugins", "--json").output)
    st = {p["name"]: p for p in data["plugins"]}
    assert st["builtin_catalogues"]["loaded"] is False
    assert "geblokkeerd" in st["builtin_catalogues"]["reason"]
    data = json.loads(run("plugins", "--json", "--db", str(tmp_path / "x.sqlite")).output)
    st = {p["name"]: p for p in data["plugins"]}
    assert st["builtin_catalogues"]["catalogues"][0]["id"] == "meldcode-basis"
    assert st["builtin_catalogues"]["catalogues"][0]["signals"] >= 150


def test_catalogue_check_clean_file(run):
    result = run("catalogue", "check", str(BASIS))
    assert result.exit_code == 0, result.output
    assert "in orde" in result.output


def test_catalogue_check_reports_every_problem_and_exits_1(run, tmp_path):
    syntax = tmp_path / "syntax.toml"
    syntax.write_text('[catalogue]\nid = "x"\ntitle = \n', encoding="utf-8")
    refs = tmp_path / "refs.toml"
    refs.write_text(BASIS.read_text(encoding="utf-8").replace('age_groups = ["0-4"]', 'age_groups = ["0-3"]', 1)
                    .replace('id = "mb-0002"', 'id = "mb-0001"'), encoding="utf-8")
    result = run("catalogue", "check", str(syntax), str(refs), str(BASIS))
    assert result.exit_code == 1
    assert f"{syntax}:3:" in result.output and "TOML-syntaxfout" in result.output
    assert "signals[1].id: dubbele signaal-id 'mb-0001'" in result.output
    assert "onbekende leeftijdsgroep '0-3'" in result.output
    assert f"{BASIS}: in orde" in result.output

    data = json.loads(run("catalogue", "check", "--json", str(syntax), str(BASIS)).output)
    assert data["ok"] is False
    assert data["files"][0]["problems"][0]["place"].startswith("3:")
    assert data["files"][1]["ok"] is True and data["files"][1]["signals"] >= 150


def test_catalogue_check_folder(run, tmp_path):
    (tmp_path / "a.toml").write_text(BASIS.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("catalogue", "check", str(tmp_path)).exit_code == 0


def test_catalogue_list_and_show(run):
    result = run("catalogue", "list")
    assert result.exit_code == 0 and "meldcode-basis" in result.output
    result = run("catalogue", "show", "meldcode-basis", "--age-group", "12-18", "--search", "loverboy")
    assert result.exit_code == 0
    assert "Signalen (" in result.output and "uitbuiting" in result.output
    data = json.loads(run("catalogue", "show", "meldcode-basis", "--concerns", "protective_factor", "--json").output)
    assert data["signals"] and all(s["concerns"] == "protective_factor" for s in data["signals"])


def test_catalogue_show_errors(run):
    result = CliRunner().invoke(main, ["catalogue", "show", "bestaat-niet"])
    assert result.exit_code == 4 and "niet geladen" in result.output
    result = CliRunner().invoke(main, ["catalogue", "show", "meldcode-basis", "--age-group", "3-5"])
    assert result.exit_code == 1 and "0-4, 4-12, 12-18" in result.output


@pytest.mark.parametrize("args", [["plugins"], ["catalogue"], ["catalogue", "check"],
                                  ["catalogue", "list"], ["catalogue", "show"]])
def test_help(run, args):
    result = run(*args, "--help")
    assert result.exit_code == 0 and "Gebruik" in result.output
