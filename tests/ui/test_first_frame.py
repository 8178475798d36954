"""The first frame is the dashboard with its rows; what the rows do not need comes after it.

At the start a user waits for the first frame. It needs the table's layout and the page of
rows in view (two queries); the counts per step, the totals, the inbox badge (a grouped query
over every case the user may see) and "Voor u vandaag" (it folds the user's open cases) follow
once the terminal shows that frame (``MeldcodeApp.after_first_frame``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyte
import pytest

from meldcode_tui.ui.app import MeldcodeApp
from meldcode_tui.ui.case_table import CaseTable
from meldcode_tui.ui.dashboard import DashboardScreen

from .conftest import FIXED_TODAY


class OrderApp(MeldcodeApp):
    """The app, noting each frame (a compositor update outside a batch) among the service's
    reads, and what the dashboard showed in the first one."""

    CSS_PATH = str(Path(__file__).resolve().parents[2] / "meldcode_tui" / "ui" / "app.tcss")

    def __init__(self, svc, calls: list[str]):
        super().__init__(svc, plugin_host=svc.plugins, actor=svc.actor, today=FIXED_TODAY,
                         refresh_seconds=3600)
        self.calls = calls
        self.first_frame: dict | None = None

    def _display(self, screen, renderable) -> None:
        from textual._compositor import ChopsUpdate, LayoutUpdate

        if isinstance(renderable, (ChopsUpdate, LayoutUpdate)) and not self._batch_count:
            self.calls.append("frame")
            if self.first_frame is None and isinstance(self.screen, DashboardScreen):
                dash = self.screen
                self.first_frame = {
                    "rows": dash.query_one(CaseTable).row_count,
                    "counts_loaded": dash.counts_loaded,
                    "strip": str(dash.query_one("#dash-strip").render()),
                    "status": str(dash.query_one("#dash-status").render()),
                }
        super()._display(screen, renderable)


def _record(svc, calls: list[str], *names: str) -> None:
    """Note each call of the real service's ``names`` (the methods still run)."""
    for name in names:
        method = getattr(svc, name)

        def recorded(*args, __method=method, __name=name, **kwargs):
            calls.append(__name)
            return __method(*args, **kwargs)

        setattr(svc, name, recorded)


async def test_the_counts_come_after_the_first_frame_which_shows_the_rows(svc):
    from meldcode_tui.demo import create_demo

    create_demo(svc, today=FIXED_TODAY)
    calls: list[str] = []
    _record(svc, calls, "case_widths", "case_page", "case_counts", "concern_inbox")
    app = OrderApp(svc, calls)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        first = calls.index("frame")
        # The rows' two queries before the first frame; the counts and the badge after it.
        assert "case_widths" in calls[:first] and "case_page" in calls[:first]
        assert "case_counts" not in calls[:first] and "concern_inbox" not in calls[:first]
        assert "case_counts" in calls[first:] and "concern_inbox" in calls[first:]
        shown = app.first_frame
        assert shown["rows"] > 0 and not shown["counts_loaded"]
        assert shown["strip"] == ""                       # no zeros shown as counts
        assert re.match(r"\d+ casussen · sortering", shown["status"]), shown["status"]
        # Then the screen as it always was: the counts, the totals.
        dash = app.screen
        assert dash.counts_loaded
        assert "Te laat" in str(dash.query_one("#dash-strip").render())
        assert re.match(r"\d+ van \d+ casussen", str(dash.query_one("#dash-status").render()))
        assert "Voor u vandaag" in str(dash.query_one("#dash-today").render())
        # "Voor u vandaag" was read once, not again by the screen's first resume.
        assert dash._today_version is not None


async def test_what_waits_for_the_first_frame_runs_once_it_was_shown(svc):
    """A callback asked for after the first frame runs at once (on the next turn)."""
    app = OrderApp(svc, [])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ran: list[int] = []
        app.after_first_frame(lambda: ran.append(1))
        await pilot.pause()
        assert ran == [1]


@pytest.mark.slow
def test_in_a_terminal_the_first_whole_frame_has_the_rows_and_not_yet_the_counts(tmp_path):
    """Through a real pseudo-terminal and an emulator: the first frame the app completes
    (written in one synchronized update) shows the header, the table with its rows and the
    status line; the counts per step arrive after it, and then the screen is as before."""
    from tests.ptykit import PtyProgram, terminal_env

    user = "anouk"
    db, config = tmp_path / "school.sqlite", tmp_path / "config.toml"
    config.write_text(f'[access]\nall_cases = ["{user}"]', encoding="utf-8")
    argv = [sys.executable, "-m", "meldcode_tui", "--db", str(db), "--config", str(config),
            "--user", user]
    subprocess.run(argv + ["demo"], check=True, capture_output=True, timeout=120)
    app = PtyProgram(argv, cols=80, rows=24, env=terminal_env())
    try:
        app.wait_for("Per stap")
        app.settle(1.0)
        written = app.written
    finally:
        app.close()
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    # Fed piece by piece, a piece per cursor placement: the first moment the terminal shows
    # the whole dashboard (title, table with rows, status line) is caught even when the
    # updates around it came in one read.
    pieces = re.split(rb"(?=\x1b\[\d+;\d+H)", written)
    for n, piece in enumerate(pieces):
        stream.feed(piece)
        text = "\n".join(screen.display)
        rows = [line for line in screen.display if re.search(r"\d\d-\d\d-\d\d  ", line)]
        if "Meldcode — anouk" in text and len(rows) >= 5 and " casussen · sortering" in text:
            break
    else:
        raise AssertionError("the dashboard never showed:\n" + "\n".join(screen.display))
    assert re.search(r"\d+ casussen · sortering", text), text
    assert "Per stap" not in text and " van " not in text, text
    stream.feed(b"".join(pieces[n + 1:]))
    text = "\n".join(screen.display)
    assert "Per stap" in text and re.search(r"\d+ van \d+ casussen", text), text
