"""In a real pseudo-terminal: after a run of cursor moves on the dashboard, each sent as only
the cells that changed (ui/wire.py), the terminal shows exactly what a whole repaint of the
same screen shows (an emulator, pyte, fed with everything the app wrote)."""

from __future__ import annotations

import fcntl
import re
import struct
import subprocess
import sys
import termios

import pytest
from pyte.graphics import FG_BG_256

from tests.ptykit import PtyProgram, terminal_env

pytestmark = pytest.mark.slow
USER = "anouk"


def _cells(screen) -> list:
    return [[(c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse)
             for c in (screen.buffer[y][x] for x in range(screen.columns))]
            for y in range(screen.lines)]


def _resize(app: PtyProgram, cols: int, rows: int) -> None:
    """The window changes size (the kernel tells the program with SIGWINCH)."""
    fcntl.ioctl(app.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    app.screen.resize(rows, cols)


def test_cursor_moves_leave_the_screen_a_whole_repaint_draws(tmp_path):
    db, config = tmp_path / "school.sqlite", tmp_path / "config.toml"
    config.write_text(f'[access]\nall_cases = ["{USER}"]', encoding="utf-8")
    argv = [sys.executable, "-m", "meldcode_tui", "--db", str(db), "--config", str(config),
            "--user", USER]
    subprocess.run(argv + ["demo"], check=True, capture_output=True, timeout=120)
    app = PtyProgram(argv, cols=80, rows=24, env=terminal_env())
    try:
        app.wait_for("Per stap")
        app.settle(1.5)
        sizes = []
        for key in ["\x1b[B"] * 6 + ["\x1b[A"] * 3:
            before = len(app.written)
            app.send(key)
            app.settle(0.4)
            sizes.append(len(app.written) - before)
        moved = _cells(app.screen)
        # One row has the cursor's background (colour 32 of 256): the fourth case, where
        # six downs and three ups put it.
        highlighted = [y for y, row in enumerate(moved) if row[2][2] == FG_BG_256[32]]
        assert len(highlighted) == 1, highlighted
        header = next(y for y, line in enumerate(app.screen.display) if "Leerling" in line)
        assert highlighted == [header + 4]
        # Each move: the two rows' cells (2 x 78) and a few pen changes, nothing else.
        assert all(0 < n <= 2 * 78 + 100 for n in sizes), sizes
        assert not any(b"\x1b[?2026h" in app.written[-n:] for n in sizes)
        # A whole repaint of the same screen: another size and back (the layer forgets what
        # the terminal showed when the size changes and sends every cell).
        _resize(app, 100, 24)
        app.settle(1.0)
        _resize(app, 80, 24)
        app.settle(1.0)
        repainted = _cells(app.screen)
    finally:
        app.close()
    differ = [y for y in range(24) if moved[y] != repainted[y]]
    assert not differ, differ
    assert re.search(r"\d+ van \d+ casussen", "\n".join(app.screen.display))
