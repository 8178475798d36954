"""Drive real terminal programs in tmux (used by the tmux and SSH end-to-end tests)."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


class TmuxSession:
    """A detached tmux session running one command at a fixed size."""

    def __init__(self, command: str, *, width: int = 120, height: int = 40, env: dict | None = None):
        self.name = f"mc-{uuid.uuid4().hex[:8]}"
        args = ["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height)]
        for key, value in (env or {}).items():
            args += ["-e", f"{key}={value}"]
        # Keep the pane after the program exits, so its last words can be read.
        subprocess.run(args + [command], check=True)
        subprocess.run(["tmux", "set-option", "-t", self.name, "remain-on-exit", "on"], check=True)

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)

    def screen(self) -> str:
        out = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return out.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear within {timeout}s; screen was:\n{screen}")

    def pane_dead(self) -> bool:
        out = subprocess.run(["tmux", "display-message", "-p", "-t", self.name, "#{pane_dead}"],
                             capture_output=True, text=True)
        return out.stdout.strip() == "1"

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
