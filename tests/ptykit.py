"""Run a program in a real pseudo-terminal and read what it writes through a terminal emulator
(pyte): the bytes on the wire, and the screen a user would see."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time

import pyte

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"   # as a modern terminal answers: synchronized output supported


def terminal_env(**extra: str) -> dict:
    """The environment of an SSH session: xterm-256color, no COLORTERM, no test runner's sizes."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "LINES", "COLORTERM", "TMUX", "NO_COLOR")
           and not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", **extra)
    return env


class PtyProgram:
    """One program in a pseudo-terminal: everything it writes is kept with its arrival time and
    fed to a terminal emulator (the screen a user sees); the synchronized-output query is
    answered as a modern terminal answers it. The tests use it, and so does
    bench/pty_bench.py (which counts the bytes)."""

    def __init__(self, argv: list[str], *, cols: int = 80, rows: int = 24, env: dict | None = None,
                 cwd: str | None = None):
        self.cols, self.rows = cols, rows
        self.t0 = time.monotonic()     # before the fork: a start is measured from here
        pid, fd = pty.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if cwd:
                    os.chdir(cwd)
                os.execvpe(argv[0], argv, env or terminal_env())
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.chunks: list[tuple[float, bytes]] = []
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)

    @property
    def written(self) -> bytes:
        return b"".join(data for _t, data in self.chunks)

    @property
    def last_write(self) -> float:
        return self.chunks[-1][0] if self.chunks else self.t0

    def pump(self, seconds: float) -> None:
        """Read for ``seconds``, feeding the emulator and answering the sync-output query."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _w, _x = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self.chunks.append((time.monotonic(), data))
            if SYNC_QUERY in data:
                os.write(self.fd, SYNC_REPLY)
            self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.text():
                return
            self.pump(0.05)
        raise AssertionError(f"{text!r} did not appear within {timeout}s; screen was:\n{self.text()}")

    def settle(self, quiet: float = 1.0, timeout: float = 20.0) -> None:
        """Read until nothing was written for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        start = time.monotonic()
        while time.monotonic() < deadline:
            if time.monotonic() - max(self.last_write, start) >= quiet:
                return
            self.pump(0.05)

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            self.pump(0.05)
            if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                break
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
