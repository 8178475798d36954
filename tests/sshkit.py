"""A real OpenSSH server for the tests, and waiting for what it runs: shared by the SSH tests
(``tests/ssh``) and the README's deployment (``tests/deploy``)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

SSHD = Path("/usr/sbin/sshd")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sshd(config: Path, port: int) -> subprocess.Popen:
    """``sshd -D -e -f config``, returned once it listens on 127.0.0.1:``port``; its output
    (``-e``: the log on stderr) is the error when it exits first."""
    process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process
        if process.poll() is not None:
            raise RuntimeError(f"sshd exited: {process.stdout.read().decode(errors='replace')}")
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("sshd did not start listening")


def wait_until_session_ends(db: Path, user: str, timeout: float = 20) -> None:
    """Fail unless the server-side ``meldcode serve --user USER`` on ``db`` is gone within
    ``timeout`` seconds (after the client's terminal was killed: the hang-up must end it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # "--": the pattern starts with a dash; without it pgrep reads it as an option, prints
        # nothing, and the check would pass at once whatever was still running.
        ps = subprocess.run(["pgrep", "-f", "--", f"--db {db} serve --user {user}"],
                            capture_output=True, text=True)
        if not ps.stdout.strip():
            return
        time.sleep(0.3)
    pytest.fail("meldcode kept running after the SSH connection dropped")
