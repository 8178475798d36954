"""``A`` on a case: the AVG's intents in the app - an access request decided and
exported (names of others replaced, the file 0600), the parents' view, erasure on request."""

from __future__ import annotations

import os

import pytest

from textual.widgets import Input, OptionList

from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.dialogs import ConfirmScreen
from meldcode_tui.ui.export_dialog import ExportScreen
from meldcode_tui.ui.forms import FormScreen
from meldcode_tui.ui.privacy_menu import CHOICES, PrivacyMenu

from .conftest import make_app
from .helpers import fill, form_error, journal_kinds, open_case_screen

SIZE = (100, 36)
SOURCE = "Buurvrouw Jansen (fictief)"


def _case(svc) -> str:
    case_id = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6", "").case_id
    svc.record_signal(case_id, description="Hoort 's avonds geschreeuw.", observed_on="2026-03-10",
                      observed_by="juf (fictief)", source="other", source_name=SOURCE)
    return case_id


async def _menu(pilot, app, choice: str) -> None:
    await pilot.press("A")
    await pilot.pause()
    assert isinstance(app.screen, PrivacyMenu)
    menu = app.screen.query_one(OptionList)
    menu.highlighted = [name for name, _label in CHOICES].index(choice)
    await pilot.press("enter")
    await pilot.pause()


async def test_inzage_decided_and_exported_with_the_source_replaced(svc, tmp_path):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        # No decision yet: the export refuses before anything is confirmed.
        await _menu(pilot, app, "export_inzage")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "besluit over inzage" in str(app.screen.query_one("#form-error").render())
        await pilot.press("escape")
        await pilot.pause()

        await _menu(pilot, app, "decide_inzage")
        assert isinstance(app.screen, FormScreen) and app.screen.id == "form-inzage"
        fill(app, requester="parent_with_authority", requester_name="Moeder De Vries (fictief)",
             approved_by="Directeur (fictief)", outcome="granted",
             withheld="ongeldig zonder reden",
             reason="Moeder vraagt wat de school heeft vastgelegd.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)            # a line without "::" is refused
        assert "::" in form_error(app)
        fill(app, withheld="")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)

        await _menu(pilot, app, "export_inzage")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert screen.query_one(OptionList).option_count == 1   # only the inzage format
        target = tmp_path / "inzage.md"
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
    text = target.read_text(encoding="utf-8")
    assert "Hoort 's avonds geschreeuw." in text
    assert SOURCE not in text                                 # the source's name is replaced
    assert oct(os.stat(target).st_mode & 0o777) == "0o600"
    kinds = journal_kinds(svc, case_id)
    assert "inzage_decided" in kinds and "case_exported" in kinds


async def test_the_parents_view_is_a_record_of_its_own(svc):
    case_id = _case(svc)
    svc.record_inzage(case_id, requester="parent_with_authority", requester_name="Moeder (fictief)",
                      legal_basis="AVG art. 15", approved_by="Directeur (fictief)",
                      decided_on="2026-03-11", outcome="granted", withheld=[], keep_identities=[],
                      reason="Moeder vraagt wat de school heeft vastgelegd.")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await _menu(pilot, app, "record_zienswijze")
        assert isinstance(app.screen, FormScreen)
        fill(app, by="beide ouders", zienswijze="Wij herkennen ons niet in de signalen.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    assert svc.get_state(case_id).zienswijzen[-1].payload["by"] == "beide ouders"


async def test_erasure_on_request_only_for_a_closed_case_and_after_asking(svc):
    case_id = _case(svc)
    app = make_app(svc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_case_screen(pilot, app, case_id)
        await _menu(pilot, app, "erase_on_request")
        assert isinstance(app.screen, CaseScreen)            # open: refused before any typing
        assert any("gesloten" in n.message for n in app._notifications)
    svc.close_case(case_id, "other", "Leerling is verhuisd naar het buitenland.")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, case_id)
        await _menu(pilot, app, "erase_on_request")
        assert isinstance(app.screen, FormScreen) and app.screen.id == "form-erase"
        fill(app, requested_by="Moeder met gezag, brief 12-11 (fictief)",
             reason="Verzoek om wissen na vertrek naar het buitenland.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)          # it asks: this cannot be undone
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    kinds = journal_kinds(svc, case_id)
    assert "case_erased" in kinds and "payload_erased" in kinds
    blob = svc.store.path.read_bytes()
    assert SOURCE.encode() not in blob and "Hoort 's avonds".encode() not in blob
    assert svc.verify().ok


@pytest.mark.slow
async def test_erasure_under_a_readers_snapshot_warns_instead_of_saying_gewist(db_path, monkeypatch):
    """A backup or a colleague's app holds a read snapshot while the coordinator erases: the
    app says the words leave the file once that session closes, and the next start cleans."""
    import subprocess
    import sys

    from meldcode_tui.store import open_store

    from ..retention.test_erasure_bytes import _READER, _pending
    from .conftest import make_service

    monkeypatch.setenv("MELDCODE_BUSY_TIMEOUT_MS", "300")
    svc = make_service(db_path)
    case_id = _case(svc)
    svc.close_case(case_id, "other", "Leerling is verhuisd naar het buitenland.")
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        app = make_app(svc)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await open_case_screen(pilot, app, case_id)
            await _menu(pilot, app, "erase_on_request")
            fill(app, requested_by="Moeder met gezag, brief 12-11 (fictief)",
                 reason="Verzoek om wissen na vertrek naar het buitenland.")
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("j")
            await pilot.pause()
            assert isinstance(app.screen, CaseScreen), form_error(app)
            said = [n.message for n in app._notifications]
            assert any("andere sessie" in m and "volgende start" in m for m in said), said
        assert "case_erased" in journal_kinds(svc, case_id)
        assert _pending(db_path)
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
        svc.store.close()
    open_store(db_path).close()                 # the next start cleans
    assert not _pending(db_path)
    raw = b"".join(open(p, "rb").read() for p in (db_path, f"{db_path}-wal") if os.path.exists(p))
    assert SOURCE.encode() not in raw
