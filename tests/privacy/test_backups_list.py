"""`meldcode admin backups`: lists backups with their date and says which still hold content
that was erased from the database since (real files, real backups, the real command)."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.demo import create_demo
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store


def test_backups_before_an_erasure_are_flagged(db_path, tmp_path):
    svc = CaseService(open_store(db_path, create=True), actor="beheer", all_access=True)
    create_demo(svc, today=date(2026, 11, 29))
    closed = next(r["case_id"] for r in svc.store.case_rows() if r["status"] == "gesloten")
    svc.store.close()
    folder = tmp_path / "kopieen"
    folder.mkdir()
    run = lambda *a: CliRunner().invoke(main, ["--db", str(db_path), "--user", "beheer", *map(str, a)])  # noqa: E731
    assert run("backup", folder / "voor.sqlite").exit_code == 0
    res = run("retention", "erase", closed, "--reason", "Verzoek van de ouders (fictief).",
              "--requested-by", "ouder met gezag (fictief)")
    assert res.exit_code == 0, res.output
    assert run("backup", folder / "na.sqlite").exit_code == 0
    (folder / "notities.txt").write_text("geen database\n")

    res = run("admin", "backups", folder)
    assert res.exit_code == 1, res.output                  # one still holds erased content
    lines = {line.split()[0].rsplit("/", 1)[-1]: line for line in res.output.splitlines()}
    assert closed in lines["voor.sqlite"] and "verwijderen" in lines["voor.sqlite"]
    assert "NIET versleuteld" in lines["voor.sqlite"] and "stand " in lines["voor.sqlite"]
    assert "gewiste" not in lines["na.sqlite"]
    assert "niet gelezen" in lines["notities.txt"]
    (folder / "voor.sqlite").unlink()
    assert run("admin", "backups", folder).exit_code == 0
