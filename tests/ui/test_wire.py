"""The cell-diffing output layer (ui/wire.py) draws the same screen as Textual's own output.

Every compositor update of a real session (dashboard, cursor moves, a case, a form with typing,
a modal, help, a resize) is rendered both ways, Textual's bytes and the layer's bytes, each into
its own terminal emulator (pyte); after every update both screens must show the same characters
with the same colours and attributes, and the cursor in the same place. The layer must also
send far less, and nothing for an update that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pyte
from rich.control import Control

from meldcode_tui.ui.app import MeldcodeApp
from meldcode_tui.ui.wire import ScreenCopy

from .conftest import FIXED_TODAY
from .helpers import type_text


class RecordingApp(MeldcodeApp):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "meldcode_tui" / "ui" / "app.tcss")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.updates: list = []

    def _display(self, screen, renderable) -> None:
        from textual._compositor import ChopsUpdate, LayoutUpdate

        if isinstance(renderable, (ChopsUpdate, LayoutUpdate)):
            cursor = self.screen.outer_size.clamp_offset(self.cursor_position)
            self.updates.append((renderable, (cursor.x, cursor.y), (self.size.width, self.size.height)))
        super()._display(screen, renderable)


def _terminal(width: int, height: int):
    screen = pyte.Screen(width, height)
    return screen, pyte.Stream(screen)


def _state(screen: pyte.Screen):
    cells = [[(c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse)
              for c in (screen.buffer[y][x] for x in range(screen.columns))]
             for y in range(screen.lines)]
    return cells, (screen.cursor.x, screen.cursor.y)


def _replay(app, updates):
    console = app.console
    wire = ScreenCopy()
    size = updates[0][2]
    full, full_stream = _terminal(*size)
    diff, diff_stream = _terminal(*size)
    sent_full = sent_diff = 0
    for n, (update, cursor, upd_size) in enumerate(updates):
        if upd_size != (full.columns, full.lines):
            full.resize(upd_size[1], upd_size[0])
            diff.resize(upd_size[1], upd_size[0])
        data = update.render_segments(console) + Control.move_to(*cursor).segment.text
        full_stream.feed(data)
        out = wire.render(update, console, cursor, upd_size)
        diff_stream.feed(out)
        sent_full += len(data.encode())
        sent_diff += len(out.encode())
        expected, got = _state(full), _state(diff)
        if expected != got:
            rows = [y for y in range(full.lines) if expected[0][y] != got[0][y]]
            raise AssertionError(f"update {n}: rows {rows} differ; cursor {expected[1]} vs {got[1]}\n"
                                 + "\n".join(full.display[y] + " | " + diff.display[y] for y in rows))
    # The same updates again (the terminal already shows all of it): nothing to send.
    assert all(wire.render(u, console, c, s) == "" for u, c, s in updates[-1:])
    return sent_full, sent_diff


async def test_the_layer_draws_what_textual_draws(svc):
    from meldcode_tui.demo import create_demo

    create_demo(svc, today=FIXED_TODAY)
    app = RecordingApp(svc, plugin_host=svc.plugins, actor=svc.actor, today=FIXED_TODAY,
                       refresh_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(4):
            await pilot.press("down")
            await pilot.pause()
        await pilot.press("enter")                      # a case
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")                          # the new-case form: typing
        await pilot.pause(0.3)
        await type_text(pilot, "Sanne de Vries (fictief) é ü")
        await pilot.press("tab")
        await type_text(pilot, "01-02-2015")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause(0.3)
        await pilot.press("f1")                         # help on top of the dashboard
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        await pilot.press("down", "down", "up")
        await pilot.pause()
    assert len(app.updates) > 10
    sent_full, sent_diff = _replay(app, app.updates)
    assert sent_diff < sent_full / 2, (sent_full, sent_diff)


def test_wide_and_combining_characters_and_nothing_twice():
    """Wide characters cover two cells; replacing one with narrow ones (and back) keeps both
    terminals alike; the same update twice sends nothing the second time."""
    from rich.console import Console
    from rich.segment import Segment
    from rich.style import Style
    from textual._compositor import LayoutUpdate
    from textual.geometry import Region
    from textual.strip import Strip

    console = Console(color_system="256", force_terminal=True, width=12, height=2)

    def update(text: str, style: Style):
        strips = [[Strip([Segment(text.ljust(12)[:12] if "界" not in text else text, style)])],
                  [Strip([Segment(" " * 12, None)])]]
        return LayoutUpdate(strips, Region(0, 0, 12, 2))

    red, blue = Style(color="red"), Style(color="blue", bold=True)
    wire = ScreenCopy()
    full, fs = _terminal(12, 2)
    diff, ds = _terminal(12, 2)
    for text, style in [("ab界cd      ", red), ("abxycd      ", red), ("ab界cd      ", blue),
                        ("e\u0301bc         ", blue), ("ab界cd      ", blue)]:
        u = update(text, style)
        fs.feed(u.render_segments(console) + Control.move_to(3, 1).segment.text)
        ds.feed(wire.render(u, console, (3, 1), (12, 2)))
        assert _state(full) == _state(diff), text
        assert wire.render(u, console, (3, 1), (12, 2)) == ""
