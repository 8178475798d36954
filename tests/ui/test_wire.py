"""The cell-diffing output layer (ui/wire.py) draws the same screen as Textual's own output.

Every compositor update of a real session (dashboard, cursor moves, a case, a form with typing,
a modal, help, a resize) is rendered both ways, Textual's bytes and the layer's bytes, each into
its own terminal emulator (pyte); after every update both screens must show the same characters
with the same colours and attributes, and the cursor in the same place. The layer must also
send far less, and nothing for an update that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.control import Control
from rich.style import Style

from meldcode_tui.ui.app import MeldcodeApp
from meldcode_tui.ui.wire import ScreenCopy, pen_change

from .conftest import FIXED_TODAY
from .helpers import type_text


class RecordingApp(MeldcodeApp):
    CSS_PATH = str(Path(__file__).resolve().parents[2] / "meldcode_tui" / "ui" / "app.tcss")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.updates: list = []

    def _display(self, screen, renderable) -> None:
        from textual._compositor import ChopsUpdate, LayoutUpdate

        if isinstance(renderable, (ChopsUpdate, LayoutUpdate)) and not self._batch_count:
            # Where the app leaves the terminal's cursor: at a focused text field's cursor,
            # else nowhere in particular (None).
            self.updates.append((renderable, self._text_cursor(), (self.size.width, self.size.height)))
        super()._display(screen, renderable)


def _terminal(width: int, height: int):
    screen = pyte.Screen(width, height)
    return screen, pyte.Stream(screen)


def _state(screen: pyte.Screen):
    cells = [[(c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse)
              for c in (screen.buffer[y][x] for x in range(screen.columns))]
             for y in range(screen.lines)]
    return cells, (screen.cursor.x, screen.cursor.y)


def _replay(app, updates, wire=None):
    """Each update through Textual's own output and through the layer, each into its own
    emulator; both must show the same after every update. Returns (bytes Textual sent,
    bytes the layer sent, the layer's bytes per update)."""
    console = app.console
    wire = wire or ScreenCopy()
    size = updates[0][2]
    full, full_stream = _terminal(*size)
    diff, diff_stream = _terminal(*size)
    sent_full = sent_diff = 0
    per_update = []
    for n, (update, cursor, upd_size) in enumerate(updates):
        if upd_size != (full.columns, full.lines):
            full.resize(upd_size[1], upd_size[0])
            diff.resize(upd_size[1], upd_size[0])
        data = update.render_segments(console) + Control.move_to(*(cursor or (0, 0))).segment.text
        full_stream.feed(data)
        out = wire.render(update, console, cursor, upd_size)
        diff_stream.feed(out)
        sent_full += len(data.encode())
        sent_diff += len(out.encode())
        per_update.append(len(out.encode()))
        expected, got = _state(full), _state(diff)
        if cursor is None:          # the cursor is hidden and its place does not matter
            expected, got = expected[0], got[0]
        if expected != got:
            rows = [y for y in range(full.lines) if expected[0][y] != got[0][y]]
            raise AssertionError(f"update {n}: rows {rows} differ; cursor {expected[1]} vs {got[1]}\n"
                                 + "\n".join(full.display[y] + " | " + diff.display[y] for y in rows))
    # The same updates again (the terminal already shows all of it): nothing to send.
    assert all(wire.render(u, console, c, s) == "" for u, c, s in updates[-1:])
    return sent_full, sent_diff, per_update


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
    sent_full, sent_diff, _per = _replay(app, app.updates)
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


async def test_a_cursor_move_on_the_dashboard_sends_its_two_rows_once(svc):
    """Eight moves down and eight up on the dashboard (the rows in view): after each, the
    terminal fed with the layer's bytes shows what Textual's full repaint shows, and each move
    sent no more than the two rows' characters and a few pen changes and cursor moves, with
    no trailing cursor move (no text field in focus) and no synchronized-output brackets."""
    from meldcode_tui.demo import create_demo

    create_demo(svc, today=FIXED_TODAY)
    app = RecordingApp(svc, plugin_host=svc.plugins, actor=svc.actor, today=FIXED_TODAY,
                       refresh_seconds=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        start = len(app.updates)
        for key in ["down"] * 8 + ["up"] * 8:
            await pilot.press(key)
            await pilot.pause()
    wire = ScreenCopy()
    _full, _diff, per_update = _replay(app, app.updates, wire)
    moves = [n for n in per_update[start:] if n]
    assert len(moves) == 16, per_update[start:]
    rows_chars = 2 * 78                  # two table rows at 80 columns, all of their cells
    for n in moves:
        assert n <= rows_chars + 100, moves
    assert not any(u[1] for u in app.updates[start:])        # no text cursor on the dashboard


PENS = st.builds(
    lambda fg, bg, bold, dim, italic, underline, reverse, strike: Style(
        color=fg, bgcolor=bg, bold=bold, dim=dim, italic=italic, underline=underline,
        reverse=reverse, strike=strike),
    st.sampled_from([None, "red", "color(197)", "color(253)", "#336699"]),
    st.sampled_from([None, "blue", "color(32)", "color(234)"]),
    *[st.sampled_from([None, True, False])] * 6)


@settings(max_examples=300, deadline=None)
@given(st.lists(PENS, min_size=2, max_size=6))
def test_each_pen_change_draws_what_a_reset_and_the_new_pen_draw(pens):
    """The short SGR from one pen to the next (an attribute switched off by its own code, e.g.
    bold by 22, which also ends dim) leaves the terminal with the very pen a reset and the
    new pen's full SGR give: the same text written after it looks the same in both."""
    from rich.color import ColorSystem

    full, fs = _terminal(40, 1)
    short, ss = _terminal(40, 1)
    previous = None
    for i, pen in enumerate(pens):
        codes = pen._make_ansi_codes(ColorSystem.EIGHT_BIT)
        fs.feed((f"\x1b[0;{codes}m" if codes else "\x1b[0m") + f"x{i}")
        ss.feed(pen_change(previous, codes) + f"x{i}")
        previous = codes
    assert _state(full) == _state(short)
