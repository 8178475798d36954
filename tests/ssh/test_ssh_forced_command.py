"""The SSH deployment path against a real sshd on 127.0.0.1."""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.slow


def test_client_cannot_choose_the_command(ssh_server):
    """With a forced command, what the client asks to run is ignored: no shell, no file access."""
    result = subprocess.run(ssh_server.ssh_command("anouk", tty=False, remote="echo pwned; cat /etc/passwd"),
                            capture_output=True, text=True, timeout=30)
    assert "pwned" not in result.stdout
    assert "root:" not in result.stdout
    assert result.returncode == 2
    assert "terminal nodig" in result.stderr


def test_unknown_key_is_refused(ssh_server, tmp_path):
    stranger = tmp_path / "id_stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    args = ssh_server.ssh_command("anouk", tty=False, remote="true")
    args[args.index(str(ssh_server.keys["anouk"]))] = str(stranger)
    result = subprocess.run(args, capture_output=True, text=True, timeout=30)
    assert result.returncode == 255
    assert not ssh_server.db.exists()
