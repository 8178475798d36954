"""Transfers: import --check runs exactly import's checks; a case is never imported into the
database it came from; malformed timestamps are refused with a place, never 'onverwachte fout'."""

from __future__ import annotations

import re

from click.testing import CliRunner

from meldcode_tui.cli import main
from tests.exports.conftest import build_full_case, make_service
from tests.exports.helpers import BASIS_ARGS


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _exported(tmp_path):
    db = tmp_path / "bron.sqlite"
    svc = make_service(db, actor="test-coordinator")
    case_id = build_full_case(svc)
    svc.store.close()
    out = tmp_path / "overdracht.toml"
    assert run("export", case_id, "-f", "toml", *BASIS_ARGS, "-o", str(out), "--db", str(db)).exit_code == 0
    return db, case_id, out


def test_import_into_the_source_database_is_refused_with_its_case_id(tmp_path):
    """Abuse: re-import a case into the school it came from, doubling it under a new number
    (two diverging copies of one pupil's file)."""
    db, case_id, out = _exported(tmp_path)
    for args in (("import", str(out)), ("import", "--check", str(out))):
        result = run(*args, "--db", str(db))
        assert result.exit_code == 1, result.output
        assert case_id in result.stderr and "uit deze database" in result.stderr


def test_check_refuses_what_import_refuses(tmp_path):
    """Abuse (the issue's): `import --check` passed a file that `import` then refused."""
    _db, _case_id, out = _exported(tmp_path)
    target = tmp_path / "doel.sqlite"
    assert run("import", str(out), "--db", str(target)).exit_code == 0
    check = run("import", "--check", str(out), "--db", str(target))
    again = run("import", str(out), "--db", str(target))
    assert check.exit_code == again.exit_code == 1
    assert "al ingelezen" in check.stderr and "al ingelezen" in again.stderr


def test_malformed_timestamp_is_refused_with_its_place(tmp_path):
    _db, _case_id, out = _exported(tmp_path)
    text = out.read_text()
    bad = re.sub(r'(?m)^at = "\d{4}-\d\d-\d\dT[^"]*"', 'at = "2026-13-45T99:00:00.000000Z"', text, count=1)
    assert bad != text
    out.write_text(bad)
    for args in (("import", str(out)), ("import", "--check", str(out))):
        result = run(*args, "--db", str(tmp_path / "doel.sqlite"))
        assert result.exit_code == 1
        assert "onverwachte fout" not in result.stderr
        assert "events[0].at" in result.stderr
