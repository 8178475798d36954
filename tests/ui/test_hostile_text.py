"""Text already in the journal that holds control and bidi characters (written past the
service, as by an older version, a restored backup or an imported file) never reaches the
terminal: not in the TUI, not in ``case list``/``case show``, not in the exports.

Abuse (the issue's): a pupil's name with ``ESC ] 0 ; pwned BEL`` retitled the coordinator's
terminal; ``ESC [ 2 J`` clears it, ``ESC ] 52`` would write her clipboard, a CR overwrites a
line, U+202E reverses what she reads, C1 ``U+009B`` is a CSI on some terminals."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.domain.case import fold
from meldcode_tui.domain.readmodel import case_row
from tests.ui.conftest import FIXED_TODAY, make_app
from tests.ui.helpers import open_case_screen

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202e\x9b\r\x1b]52;c;cHduZWQ=\x07"
MARKERS = ("\x1b]0;", "\x07", "\x1b[2J", "\u202e", "\x9b", "\x1b]52", "\r")


def _write_past_the_service(svc) -> str:
    case_id = "MC-0001"
    with svc.store.write() as tx:
        tx.append("test-coordinator", case_id, "case_opened", {
            "pupil": {"name": f"Sanne{HOSTILE} (fictief)", "date_of_birth": "2016-04-03",
                      "group": f"5b{HOSTILE}", "pupil_number": ""},
            "parents": [], "owner": "test-coordinator", "note": f"Notitie{HOSTILE}",
            "staff_suspicion": False}, "2026-03-01T10:00:00.000000Z")
        tx.append("test-coordinator", case_id, "signal_recorded", {
            "description": f"Blauwe plek{HOSTILE}", "observed_on": "2026-03-02",
            "observed_by": f"Juf{HOSTILE}", "source": "other", "source_name": f"Buur{HOSTILE}",
            "contradicting": False, "catalogue": None, "injury": False}, "2026-03-02T10:00:00.000000Z")
        events = list(tx.case_events(case_id))
        tx.put_case_row(case_id, case_row(fold(events), FIXED_TODAY))
    return case_id


def _clean(text: str) -> None:
    for marker in MARKERS:
        assert marker not in text, repr(marker)


async def test_tui_shows_none_of_them(svc):
    case_id = _write_past_the_service(svc)
    app = make_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _step in ("dashboard", "case"):
            update = app.screen._compositor.render_update(full=True)
            output = update.render_segments(app.console)
            _clean(output.replace("\x1b[", "CSI["))   # Textual's own styling stays CSI
            if _step == "dashboard":
                await open_case_screen(pilot, app, case_id)
        from textual.widgets import DataTable, Static

        header = str(app.screen.query_one("#case-header", Static).render())
        assert "Sanne" in header and "\ufffd" in header          # visible placeholder
        _clean(header)
        table = app.screen.query_one(DataTable)
        cells = " ".join(str(c) for i in range(table.row_count) for c in table.get_row_at(i))
        assert "Blauwe plek" in cells
        _clean(cells)


def _run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_case_list_and_show_show_none_of_them(svc, db_path):
    case_id = _write_past_the_service(svc)
    for args in (("case", "list"), ("case", "list", "--json"), ("case", "show", case_id),
                 ("case", "show", case_id, "--json")):
        result = _run("--user", "test-coordinator", *args, "--db", str(db_path))
        assert result.exit_code == 0, result.output
        assert "Sanne" in result.stdout
        _clean(result.stdout)
        _clean(result.stderr)


@pytest.mark.parametrize("fmt", ["markdown", "melding", "advies", "pdf"])
def test_exports_show_none_of_them(svc, fmt):
    from meldcode_tui.errors import MeldcodeError
    from meldcode_tui.exports import available_formats, export_case

    case_id = _write_past_the_service(svc)
    formats = dict(available_formats(svc))
    if fmt == "pdf" and fmt not in formats:
        # The plugin from its source folder (tests/exports/test_pdf_plugin.py pip-installs it too).
        import importlib.util
        import sys
        from pathlib import Path

        pytest.importorskip("fpdf")
        folder = Path(__file__).resolve().parents[2] / "plugins" / "meldcode-export-pdf"
        spec = importlib.util.spec_from_file_location(
            "meldcode_export_pdf_hostile", folder / "meldcode_export_pdf" / "__init__.py",
            submodule_search_locations=[str(folder / "meldcode_export_pdf")])
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        formats.update({f.name: f for f in module.meldcode_export_formats()})
    try:
        result = export_case(svc, case_id, fmt, formats=formats)
    except MeldcodeError:          # advies refuses: the name is still in the text
        assert fmt == "advies"
        return
    data = result.data
    if fmt == "pdf":
        # The text as a PDF reader shows it (raw streams also hold embedded font bytes).
        import io
        import pypdf

        shown = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
        assert "Sanne" in shown
        _clean(shown)
        return
    text = data.decode("utf-8")
    assert "Blauwe plek" in text
    _clean(text)


async def test_pasted_control_characters_are_removed_visibly(svc):
    """A note pasted with ESC/CSI in it lands in the field without them, in its order, and the
    app says what it removed (it is never stored reordered, never refused silently)."""
    from textual import events
    from textual.widgets import Input

    from meldcode_tui.ui.signals import SignalPicker

    case_id = svc.create_case("Lotte Peters (fictief)", "2016-02-03", "5b", "").case_id
    app = make_app(svc)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_case_screen(pilot, app, case_id)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SignalPicker)
        field = app.screen.query_one("#signal-free", Input)
        field.focus()
        await pilot.pause()
        app.post_message(events.Paste("Abc\x1bDef\x1b[2J ghi\u202e"))
        await pilot.pause()
        await pilot.pause()
        assert field.value == "AbcDef[2J ghi"
        notes = [n.message for n in app._notifications]
        assert any("stuurteken" in m and "U+001B" in m and "U+202E" in m for m in notes)
