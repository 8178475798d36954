"""The attachments screen (``i`` on a case): lists what is attached and copies the commands that
fetch or add one; over SSH the commands run on the coordinator's own computer."""

from __future__ import annotations

import pytest

from meldcode_tui.config import load_config
from meldcode_tui.ui.app import MeldcodeApp

from .conftest import FIXED_TODAY, make_app
from .helpers import open_case_screen

PDF = b"%PDF-1.4\n% brief (fictief)\n%%EOF\n"


@pytest.fixture
def case_with_attachment(svc):
    case_id = svc.create_case("Lotte Peters (fictief)", "2016-04-01", "5b", "9003").case_id
    seq = svc.add_attachment(case_id, PDF, "Brief van de huisarts (fictief)").attachments[-1].seq
    return case_id, seq


async def test_lists_and_copies_the_local_commands(svc, case_with_attachment):
    case_id, seq = case_with_attachment
    app = make_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("i")
        await pilot.pause()
        from textual.widgets import DataTable

        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert "Brief van de huisarts" in str(table.get_row_at(0))
        await pilot.press("enter")
        assert app.clipboard == f"meldcode fetch {case_id} {seq} -o {case_id}-bijlage-{seq}.pdf"
        await pilot.press("n")
        assert app.clipboard.startswith(f"meldcode attach {case_id} ")
        await pilot.press("escape")
        await pilot.pause()
    # Looking at the list and copying commands journals nothing; the fetch itself will.
    assert [e.kind for e in svc.journal(case_id)][-1] == "case_viewed"


async def test_server_mode_offers_ssh_commands(svc, db_path, tmp_path, case_with_attachment):
    case_id, seq = case_with_attachment
    cfg = tmp_path / "config.toml"
    cfg.write_text('[server]\nssh_host = "meldcode@server.fictief.example"\n')
    app = MeldcodeApp(svc, plugin_host=svc.plugins, actor=svc.actor, today=FIXED_TODAY,
                      refresh_seconds=3600, server_mode=True, config=load_config(cfg))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("enter")
        assert app.clipboard == (f"ssh -T meldcode@server.fictief.example fetch {case_id} {seq} "
                                 f"> {case_id}-bijlage-{seq}.pdf")
        await pilot.press("n")
        assert app.clipboard == (f"ssh -T meldcode@server.fictief.example attach {case_id} --title "
                                 f"'waar het over gaat' < BESTAND")


def test_snapshot_80x24(snap_compare, svc, case_with_attachment):
    case_id, _seq = case_with_attachment

    async def run_before(pilot):
        await pilot.pause()
        pilot.app.open_case(case_id)
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()

    assert snap_compare(make_app(svc), terminal_size=(80, 24), run_before=run_before)
