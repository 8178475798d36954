"""The export dialog asks the basis of a whole-journal (toml) transfer - a ground and a reason,
by keyboard - and only when toml is chosen; the export records it."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.dialogs import ConfirmScreen
from meldcode_tui.ui.export_dialog import ExportScreen
from tests.ui.conftest import make_app
from tests.ui.helpers import form_error, journal_kinds, open_case_screen, type_text

REASON = "De leerling gaat naar een school van hetzelfde bestuur."


async def _open(pilot, app, case_id) -> ExportScreen:
    await open_case_screen(pilot, app, case_id)
    await pilot.press("x")
    await pilot.pause()
    assert isinstance(app.screen, ExportScreen)
    return app.screen


async def test_toml_asks_a_ground_and_a_reason_by_keyboard_and_records_them(svc, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app, state.case_id)
        assert screen._chosen_quietly() == "toml"                    # the first format
        box = screen.query_one("#export-basis-box")
        assert box.display

        # Without a basis nothing is asked or written: the dialog says what to add.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "grondslag" in form_error(app)
        assert "case_exported" not in journal_kinds(svc, state.case_id)

        # The keyboard: the ground list has the focus now; choose, Enter, type the reason.
        assert app.focused is screen.query_one("#export-basis", OptionList)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.focused is screen.query_one("#export-basis-reason", Input)
        await type_text(pilot, REASON)
        await pilot.press("enter")                                   # on to the file
        await pilot.pause()
        assert app.focused is screen.query_one("#export-path", Input)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
    (event,) = [e for e in svc.journal(state.case_id) if e.kind == "case_exported"]
    assert event.payload["format"] == "toml"
    assert event.payload["basis"] == "same_board" and event.payload["basis_reason"] == REASON
    (written,) = tmp_path.glob(f"{state.case_id}-toml*.toml")
    assert b'basis = "same_board"' in written.read_bytes()


async def test_other_formats_do_not_ask_a_basis(svc, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    app = make_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app, state.case_id)
        await pilot.press("down")                                    # markdown
        await pilot.pause()
        assert screen._chosen_quietly() == "markdown"
        assert not screen.query_one("#export-basis-box").display
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
    (event,) = [e for e in svc.journal(state.case_id) if e.kind == "case_exported"]
    assert "basis" not in event.payload


async def test_a_reason_with_control_or_bidi_characters_is_refused_in_the_dialog(svc, tmp_path, monkeypatch):
    """Abuse: a reason pasted with an escape sequence or a bidi override is refused before
    anything is confirmed, and nothing is journalled."""
    monkeypatch.setenv("HOME", str(tmp_path))
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app, state.case_id)
        screen.query_one("#export-basis", OptionList).highlighted = 0
        for bad in ("\x1b[2J", "\u202e"):
            screen.query_one("#export-basis-reason", Input).value = f"De leerling {bad}gaat naar het bestuur."
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen)
            assert form_error(app) and bad not in form_error(app)
    assert "case_exported" not in journal_kinds(svc, state.case_id)
    assert not list(tmp_path.glob("*.toml"))


async def test_server_mode_puts_the_basis_in_the_fetch_command(svc, tmp_path, monkeypatch):
    from meldcode_tui.config import load_config
    from meldcode_tui.ui.app import MeldcodeApp
    from tests.ui.conftest import FIXED_TODAY

    monkeypatch.setenv("HOME", str(tmp_path))
    cfg = tmp_path / "config.toml"
    cfg.write_text('[server]\nssh_host = "meldcode@linde.example"\n')
    app = MeldcodeApp(svc, plugin_host=svc.plugins, actor=svc.actor, today=FIXED_TODAY,
                      refresh_seconds=3600, server_mode=True, config=load_config(cfg))
    state = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app, state.case_id)
        await pilot.press("ctrl+s")                                  # no basis: nothing copied
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen) and "grondslag" in form_error(app)
        await pilot.press("down", "enter")
        await type_text(pilot, REASON)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.clipboard == (f"ssh meldcode@linde.example export {state.case_id} --format toml "
                             f"--grondslag same_board --toelichting '{REASON}' > {state.case_id}-toml.toml")
    from meldcode_tui.cli.serve_cmds import parse_remote

    verb, args = parse_remote(app.clipboard.split(" ", 2)[2].rsplit(" > ", 1)[0])
    assert verb == "export" and args["basis_reason"] == REASON
