"""A real OpenSSH server on 127.0.0.1, set up the way the README's SSH chapter says: one service
account, each coordinator's key in authorized_keys with the README's own line
(``restrict,pty,command="… serve --user NAME"``, taken verbatim from README.md; only the paths
and the key are this test's). (The test runs as whoever runs the suite; CI runs as root.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sshkit import SSHD, free_port, start_sshd
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_authorized_keys_line() -> str:
    """The authorized_keys line of the README's server chapter, verbatim."""
    text = README.read_text(encoding="utf-8")
    marker = text.index("<!-- ssh:authorized-keys")
    block = re.search(r"```text\n(.*?)\n\s*```", text[marker:], re.S)
    line = block.group(1).strip()
    assert line.startswith('restrict,pty,command="') and "serve --user anouk" in line, line
    return line


class SshServer:
    def __init__(self, root: Path, db: Path):
        self.root = root
        self.db = db
        self.port = free_port()
        self.meldcode = Path(sys.executable).parent / "meldcode"
        self.user = os.environ.get("USER") or __import__("getpass").getuser()
        self.process: subprocess.Popen | None = None
        self.keys: dict[str, Path] = {}

    def add_coordinator(self, name: str) -> Path:
        key = self.root / f"id_{name}"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key), "-C", name], check=True)
        self.keys[name] = key
        return key

    def admin(self, *args: str) -> subprocess.CompletedProcess:
        """``meldcode admin …`` as the server's admin would run it."""
        return subprocess.run([str(self.meldcode), "--db", str(self.db), "admin", *args],
                              capture_output=True, text=True, timeout=60, check=True)

    def add_users(self, *users: tuple[str, str]) -> None:
        for name, role in users:
            self.admin("user", "add", name, "--display-name", f"{name.title()} (fictief)",
                       "--role", role, "--key", f"{self.keys[name]}.pub")

    def write_authorized_keys(self) -> None:
        template = readme_authorized_keys_line()
        self.config = self.root / "config.toml"
        self.config.write_text('[server]\nssh_host = "meldcode@linde.example"\n')
        lines = []
        for name, key in self.keys.items():
            line = (template
                    .replace("/opt/meldcode/venv/bin/meldcode", str(self.meldcode))
                    .replace("/etc/meldcode/meldcode.toml", str(self.config))
                    .replace("/srv/meldcode/data/school.sqlite", str(self.db))
                    .replace("--user anouk", f"--user {name}")
                    .replace("ssh-ed25519 AAAA... anouk@laptop", key.with_suffix(".pub").read_text().strip()))
            lines.append(line)
        path = self.root / "authorized_keys"
        path.write_text("\n".join(lines) + "\n")
        path.chmod(0o600)

    def start(self) -> None:
        hostkey = self.root / "hostkey"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(hostkey)], check=True)
        config = self.root / "sshd_config"
        config.write_text(
            "\n".join([
                f"Port {self.port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {hostkey}",
                f"AuthorizedKeysFile {self.root / 'authorized_keys'}",
                f"PidFile {self.root / 'sshd.pid'}",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PrintMotd no",
                "AcceptEnv LANG LC_*",
                "LogLevel ERROR",
            ]) + "\n"
        )
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)
        self.process = start_sshd(config, self.port)

    def ssh_command(self, name: str, *, tty: bool = True, remote: str | list[str] | None = None) -> list[str]:
        args = ["ssh", "-tt" if tty else "-T", "-i", str(self.keys[name]), "-p", str(self.port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", f"{self.user}@127.0.0.1"]
        if remote:
            args.extend([remote] if isinstance(remote, str) else remote)
        return args

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def ssh_server(tmp_path):
    if not SSHD.exists() or shutil.which("ssh") is None:
        pytest.skip("OpenSSH server/client not installed (.ci/run installs them)")
    if os.geteuid() != 0:
        pytest.skip("sshd with a custom config needs root (CI runs as root)")
    db = tmp_path / "school.sqlite"
    server = SshServer(tmp_path, db)
    server.add_coordinator("anouk")
    server.add_coordinator("bram")
    server.add_users(("anouk", "coordinator"), ("bram", "member"))
    server.write_authorized_keys()
    server.start()
    yield server
    server.stop()
