"""Drive real terminal programs in tmux (used by the tmux and SSH end-to-end tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


class TmuxSession:
    """A detached tmux session running one command at a fixed size, on a private tmux server
    (its own socket): no interference with a developer's tmux or with other tests, and the same
    behaviour whether or not some tmux server is already running."""

    def __init__(self, command: str, *, width: int = 120, height: int = 40, env: dict | None = None):
        self.name = f"mc-{uuid.uuid4().hex[:8]}"
        self.socket = self.name
        args = ["new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height)]
        for key, value in (env or {}).items():
            args += ["-e", f"{key}={value}"]
        # One tmux invocation, so both options are in place before the program can draw or exit:
        # with no client attached, a fresh server sizes windows by `default-size` (80x24), and
        # `remain-on-exit` keeps the pane (and the program's last words) readable.
        self._tmux(*args, command,
                   ";", "set-option", "-g", "default-size", f"{width}x{height}",
                   ";", "set-option", "-g", "remain-on-exit", "on")

    def _tmux(self, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
        # The server copies this environment to every program it starts: COLUMNS/LINES (which
        # test runners may set) would make the program ignore the real window size.
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              check=not capture, capture_output=capture, text=True, env=env)

    def send(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name, capture=True).stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear within {timeout}s; screen was:\n{screen}")

    def cursor(self) -> tuple[int, int]:
        """The terminal cursor (column, row). Textual puts it on the focused text field."""
        out = self._tmux("display-message", "-p", "-t", self.name, "#{cursor_x} #{cursor_y}",
                         capture=True).stdout.split()
        return int(out[0]), int(out[1])

    def wait_for_focus(self, text: str, timeout: float = 20.0, *, occurrence: int | None = None) -> None:
        """Wait until the cursor is in the field showing ``text`` (its placeholder while empty,
        or its value); ``occurrence`` picks one of several lines showing it (-1: the last).

        Textual moves focus one event-loop turn after ``tab``: keys that arrive in the same
        burst still reach the field before, so a test that types right after ``tab`` loses the
        tab. Waiting for the cursor to land is the screen's own proof that focus moved."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            rows = [i for i, line in enumerate(screen.splitlines()) if text in line]
            if occurrence is not None:
                rows = rows[occurrence:][:1]
            if rows and self.cursor()[1] in rows:
                return
            time.sleep(0.1)
        raise AssertionError(f"the cursor did not reach {text!r} within {timeout}s "
                             f"(cursor {self.cursor()}); screen was:\n{screen}")

    def pane_dead(self) -> bool:
        return self._tmux("display-message", "-p", "-t", self.name, "#{pane_dead}",
                          capture=True).stdout.strip() == "1"

    def kill(self) -> None:
        self._tmux("kill-server", capture=True)
        # tmux leaves the socket file of a killed server behind: tidy up after ourselves.
        folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
