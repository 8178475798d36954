"""``meldcode export`` and ``meldcode import`` on the command line."""

from __future__ import annotations

import os
import stat

from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.plugins.exporting import ExportFormat

from .conftest import build_full_case, make_service
from .helpers import BASIS_ARGS, db_content


def run(*args, **kwargs):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def make_db(path, actor="test-coordinator"):
    svc = make_service(path, actor=actor)
    case_id = build_full_case(svc)
    svc.store.close()
    return case_id


def test_help_on_each_command():
    for cmd in ("export", "import"):
        result = run(cmd, "--help")
        assert result.exit_code == 0
        assert "--db" in result.output


def test_list_formats(db_path):
    result = run("export", "--list")
    assert result.exit_code == 0
    for name in ("toml", "markdown", "melding", "advies"):
        assert name in result.output


def test_export_to_stdout_and_file(db_path, tmp_path):
    case_id = make_db(db_path)
    result = run("export", case_id, "--format", "markdown", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert f"# Chronologie casus {case_id}" in result.stdout

    out = tmp_path / "uit" / "melding.md"
    out.parent.mkdir()
    result = run("export", case_id, "-f", "melding", "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Melding aan Veilig Thuis")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["melding.md"]  # no temp files left

    # an existing file is never overwritten; a free name is suggested
    result = run("export", case_id, "-f", "melding", "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 1
    assert "melding-2.md" in result.stderr


def test_export_errors_have_exit_codes(db_path):
    case_id = make_db(db_path)
    assert run("export", "MC-9999", "-f", "markdown", "--db", str(db_path)).exit_code == 4
    assert run("export", case_id, "-f", "bestaat-niet", "--db", str(db_path)).exit_code == 4
    assert run("export", case_id, "--db", str(db_path)).exit_code == 2


def test_binary_format_is_not_written_to_a_terminal(db_path, monkeypatch):
    import meldcode_tui.cli.export_cmds as cmds
    import meldcode_tui.exports as exports

    case_id = make_db(db_path)
    fake = ExportFormat("bin", "Binair", "bin", "application/octet-stream", lambda req: b"\x00\x01")
    real = exports.available_formats
    monkeypatch.setattr(exports, "available_formats", lambda svc=None: {**real(svc), "bin": fake})
    monkeypatch.setattr(cmds, "_stdout_is_terminal", lambda: True)
    before = db_content(db_path)
    result = run("export", case_id, "-f", "bin", "--db", str(db_path))
    assert result.exit_code == 2
    assert "-o" in result.output
    assert db_content(db_path) == before  # refused before anything was journalled


def test_refused_advies_on_the_command_line(tmp_path):
    db = tmp_path / "a.sqlite"
    svc = make_service(db, actor="test-coordinator")
    state = svc.create_case("Sanne de Vries (fictief)", "2016-04-03", "Groep 5a", "777",
                            note="Sanne is vaak moe.")
    svc.store.close()
    result = run("export", state.case_id, "-f", "advies", "--db", str(db))
    assert result.exit_code == 1
    assert "casus #1 (notitie)" in result.stderr
    assert "Sanne" not in result.stderr


def test_import_round_trip_and_refusal(db_path, tmp_path):
    case_id = make_db(db_path)
    transfer = tmp_path / "overdracht.toml"
    assert run("export", case_id, "-f", "toml", *BASIS_ARGS, "-o", str(transfer), "--db", str(db_path)).exit_code == 0

    target = tmp_path / "nieuw" / "school.sqlite"
    result = run("import", "--check", str(transfer), "--db", str(target))
    assert result.exit_code == 0 and not target.exists()
    result = run("import", str(transfer), "--db", str(target))
    assert result.exit_code == 0, result.output
    assert "Ingelezen als casus MC-0001" in result.output
    assert run("verify", "--db", str(target)).exit_code == 0

    broken = tmp_path / "kapot.toml"
    broken.write_bytes(transfer.read_bytes().replace(b"2026-03-04", b"2026-13-04", 1))
    before = db_content(target)
    result = run("import", str(broken), "--db", str(target))
    assert result.exit_code == 1
    assert "Import geweigerd: events[" in result.stderr
    assert db_content(target) == before


def test_school_from_config_goes_into_the_transfer(db_path, tmp_path):
    case_id = make_db(db_path)
    config = tmp_path / "config.toml"
    config.write_text('[school]\nname = "OBS De Fictieve Linde"\n')
    result = run("--config", str(config), "export", case_id, "-f", "toml", *BASIS_ARGS, "--db", str(db_path))
    assert result.exit_code == 0
    assert 'school = "OBS De Fictieve Linde"' in result.stdout

    target = tmp_path / "doel.sqlite"
    transfer = tmp_path / "t.toml"
    transfer.write_text(result.stdout)
    assert run("import", str(transfer), "--db", str(target)).exit_code == 0
    svc = make_service(target, actor="test-coordinator")
    origin = svc.get_state("MC-0001").imported_from
    svc.store.close()
    assert origin["school"] == "OBS De Fictieve Linde"
