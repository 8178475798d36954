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


def test_plain_exports_are_told_from_encrypted_databases(tmp_path):
    """A markdown or PDF export in the backup folder is plain text a pupil's name can be read
    from: it is named as such, never as "versleuteld" (issue: exports listed as encrypted)."""
    from meldcode_tui.store import crypto

    if not crypto.available():
        import pytest

        pytest.skip("sqlcipher3 not installed")
    key = "fictieve-sleutel-123456"
    db = tmp_path / "data" / "school.sqlite"
    svc = CaseService(open_store(db, create=True, key=key), actor="beheer", all_access=True)
    svc.create_case("Sanne de Vries (fictief)", "2015-04-01", "6a")
    svc.store.close()
    folder = tmp_path / "kopieen"
    folder.mkdir()
    keyfile = tmp_path / "db.key"
    keyfile.write_text(key + "\n")
    keyfile.chmod(0o600)
    config = tmp_path / "meldcode.toml"
    config.write_text(f'[encryption]\nkey_file = "{keyfile}"\n')
    run = lambda *a: CliRunner().invoke(main, ["--config", str(config), "--db", str(db), "--user", "beheer", *map(str, a)])  # noqa: E731
    assert run("backup", folder / "school-2026-12-01.sqlite").exit_code == 0
    (folder / "MC-0001.md").write_text("# Chronologie casus MC-0001\nSanne de Vries (fictief)\n")
    (folder / "MC-0001.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    (folder / "kapot.sqlite").write_bytes(bytes(range(256)) * 16)     # 4096 bytes, no key fits

    res = run("admin", "backups", folder)
    lines = {line.split()[0].rsplit("/", 1)[-1]: line for line in res.output.splitlines()}
    assert "versleuteld" in lines["school-2026-12-01.sqlite"]
    assert "NIET" not in lines["school-2026-12-01.sqlite"]
    for export in ("MC-0001.md", "MC-0001.pdf"):
        assert "NIET versleuteld" in lines[export] and "export" in lines[export], lines[export]
        assert "geen sleutel" not in lines[export]
    # Listing leaves nothing behind (a read-only open of a WAL file used to add -wal/-shm).
    assert sorted(p.name for p in folder.iterdir()) == ["MC-0001.md", "MC-0001.pdf", "kapot.sqlite",
                                                        "school-2026-12-01.sqlite"]
    assert "andere sleutel of beschadigd" in lines["kapot.sqlite"] or \
        "kan niet worden geopend" in lines["kapot.sqlite"], lines["kapot.sqlite"]
