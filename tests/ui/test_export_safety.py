"""The TUI export dialog: locally through the same path policy as ``export -o``; in server mode
(``meldcode serve``) it never writes a file on the server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from meldcode_tui.ui.dialogs import ConfirmScreen
from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.export_dialog import ExportScreen
from tests.ui.conftest import make_app
from tests.ui.helpers import form_error, journal_kinds, open_case_screen


def _tree(*folders: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            for name in files + dirs:
                p = Path(root) / name
                st = p.lstat()
                out[str(p)] = (st.st_size, st.st_mtime_ns) if p.suffix not in (".sqlite-wal", ".sqlite-shm") else (0, 0)
    return out


async def _open_export(pilot, app, case_id, fmt):
    await open_case_screen(pilot, app, case_id)
    await pilot.press("x")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    screen.query_one(OptionList).highlighted = list(screen.formats).index(fmt)
    await pilot.pause()
    return screen


async def test_dialog_refuses_the_database(svc, db_path):
    """Abuse (the issue's): type the database's path in the export dialog; the app said
    'Geëxporteerd' and the journal was destroyed."""
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    before = db_path.read_bytes()
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_export(pilot, app, state.case_id, "markdown")
        screen.query_one("#export-path", Input).value = str(db_path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)          # no confirmation even asked
        assert "database" in form_error(app)
    assert svc.store.verify().ok
    assert "case_exported" not in journal_kinds(svc, state.case_id)


async def test_dialog_refuses_an_existing_file_and_suggests_a_free_one(svc, tmp_path):
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    target = tmp_path / "export.md"
    target.write_text("ander bestand")
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_export(pilot, app, state.case_id, "markdown")
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "export-2.md" in form_error(app)
    assert target.read_text() == "ander bestand"


async def test_dialog_refuses_ssh_folder(svc, tmp_path, monkeypatch):
    """Abuse (the issue's): write a public key into ~/.ssh/authorized_keys via the dialog."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_export(pilot, app, state.case_id, "markdown")
        screen.query_one("#export-path", Input).value = "~/.ssh/authorized_keys"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
    assert not (home / ".ssh" / "authorized_keys").exists()


@pytest.fixture
def server_app(svc, tmp_path, monkeypatch):
    from meldcode_tui.config import load_config
    from meldcode_tui.ui.app import MeldcodeApp

    home = tmp_path / "srv-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    cfg = tmp_path / "config.toml"
    cfg.write_text('[server]\nssh_host = "meldcode@linde.example"\n')
    from tests.ui.conftest import FIXED_TODAY

    app = MeldcodeApp(svc, plugin_host=svc.plugins, actor=svc.actor, today=FIXED_TODAY,
                      refresh_seconds=3600, server_mode=True, config=load_config(cfg))
    return app, home


async def test_server_mode_writes_no_file_and_offers_the_fetch_command(svc, db_path, server_app):
    """Abuse: on the server every file the app writes is the service account's (authorized_keys,
    ~/.ssh/rc, the database, a .pth in the venv). In server mode the dialog has no path at all:
    it copies the command to run on the coordinator's own computer, and on request the
    document (text formats) to her clipboard; the home and the database folder are unchanged."""
    app, home = server_app
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    before = _tree(home, db_path.parent)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await _open_export(pilot, app, state.case_id, "melding")
        assert not screen.query("#export-path")
        command = f"ssh meldcode@linde.example export {state.case_id} --format melding > {state.case_id}-melding.md"
        assert command in str(screen.query_one("#export-command").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.clipboard == command
        assert isinstance(app.screen, CaseScreen)

        screen = await _open_export(pilot, app, state.case_id, "markdown")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("j")
        await pilot.pause()
        assert app.clipboard.startswith(f"# Chronologie casus {state.case_id}")
    kinds = journal_kinds(svc, state.case_id)
    assert kinds.count("case_exported") == 1     # the clipboard copy; the fetch journals itself
    after = _tree(home, db_path.parent)
    assert set(after) == set(before)
    changed = {p for p in after if after[p] != before[p] and not p.startswith(str(db_path))}
    assert not changed


async def test_advies_refuses_before_it_asks_to_confirm(svc, tmp_path):
    """The advies export of a case whose note names the pupil: the dialog says where at once,
    instead of asking 'Exporteren?' and refusing after the 'ja'."""
    state = svc.create_case("Sanne de Vries (fictief)", "2016-04-03", "5a", "777",
                            note="Sanne is vaak moe.")
    app = make_app(svc)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_export(pilot, app, state.case_id, "advies")
        screen.query_one("#export-path", Input).value = str(tmp_path / "advies.md")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "notitie" in form_error(app) and "Sanne" not in form_error(app)
    assert not (tmp_path / "advies.md").exists()
    assert "case_exported" not in journal_kinds(svc, state.case_id)
