"""The README's server chapters as a real deployment on this machine (root only): each
``<!-- server:NAME -->`` block taken verbatim from README.md, run with ``sudo`` as a shell
function (root here), the folders moved under a temporary one and the service account given a
test name. Used by test_readme_server.py and the ``admin check`` tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
from tests.sshkit import SSHD, free_port, start_sshd
CHAPTERS = ("## Running it on the school's server (SSH)", "## Plugins and signal catalogues")
# Lines the test does not run: the suite's own venv stands in for /opt/meldcode/venv.
NOT_RUN = re.compile(r"apt-get install|python3 -m venv|/bin/pip install")
SUDO = ('sudo() { if [ "$1" = "-u" ]; then _u="$2"; shift 2; runuser -u "$_u" -- "$@"; '
        'else "$@"; fi; }\n')


def server_chapters() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index(CHAPTERS[0]):text.index(CHAPTERS[1])]


def blocks() -> dict[str, tuple[str, str]]:
    """name -> (language, text) of every marked fenced block in the server chapters."""
    out = {}
    pattern = re.compile(r"<!-- (server|ssh):([a-z-]+)[^>]*-->\s*\n([ \t]*)```(\w*)\n(.*?)\n[ \t]*```",
                         re.S)
    for match in pattern.finditer(server_chapters()):
        name = f"{match.group(1)}:{match.group(2)}"
        indent = match.group(3)
        body = "\n".join(line[len(indent):] if line.startswith(indent) else line
                         for line in match.group(5).splitlines())
        out[name] = (match.group(4), textwrap.dedent(body) + "\n")
    return out


def debian_sshd_config(include: Path, port: int, hostkey: Path, pidfile: Path) -> str:
    """Debian 12's /etc/ssh/sshd_config (its non-comment lines), on a test port."""
    return "\n".join([
        f"Include {include}/*.conf",
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {hostkey}", f"PidFile {pidfile}",
        "KbdInteractiveAuthentication no", "UsePAM yes", "X11Forwarding yes", "PrintMotd no",
        "AcceptEnv LANG LC_*", "Subsystem sftp /usr/lib/openssh/sftp-server", "LogLevel ERROR",
    ]) + "\n"


class Deployment:
    """Paths and account of one README deployment under ``base`` (created by ``build``)."""

    _made = 0

    def __init__(self):
        # Under /srv, not /tmp: sshd's StrictModes refuses a keys file below a world-writable
        # folder (/tmp), and the README's folders must be reachable by the service account.
        parent = Path("/srv") if Path("/srv").is_dir() else Path("/var/lib")
        self.base = Path(tempfile.mkdtemp(prefix="mc-readme-", dir=parent))
        self.base.chmod(0o755)
        Deployment._made += 1
        self.user = f"mct{os.getpid() % 100000}x{Deployment._made}"
        self.venv = self.base / "opt/meldcode/venv"
        self.meldcode = self.venv / "bin" / "meldcode"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.ran: list[str] = []
        self.skipped: list[str] = []
        for sub in ("srv", "etc/ssh/sshd_config.d", "etc/cron.d", "var/lib", "keys", "shim"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        self.home = self.base / "srv/meldcode"
        self.db = self.home / "data/school.sqlite"
        self.config = self.base / "etc/meldcode/meldcode.toml"
        self.keyfile = self.base / "etc/meldcode/db.key"
        self.keys_file = self.home / ".ssh/authorized_keys"
        self.backups = self.home / "backup"
        self.checkpoints = self.base / "var/lib/meldcode/checkpoints"
        self.sshd_config = self.base / "etc/ssh/sshd_config"
        self.mail_out = self.base / "mail.out"

    # ------------------------------------------------------------------ text of the README

    def substitute(self, text: str) -> str:
        paths = {
            "/opt/meldcode/venv": str(self.venv),
            "/srv/meldcode": f"{self.base}/srv/meldcode",
            "/etc/meldcode": f"{self.base}/etc/meldcode",
            "/var/lib/meldcode": f"{self.base}/var/lib/meldcode",
            "/etc/ssh/sshd_config.d": f"{self.base}/etc/ssh/sshd_config.d",
            "/etc/ssh/sshd_config": str(self.sshd_config),
            "/etc/cron.d": f"{self.base}/etc/cron.d",
            "/mnt/meldcode-replica": f"{self.base}/mnt/meldcode-replica",
            "sudo sshd -t": f"sudo {SSHD} -t -f {self.sshd_config}",
        }
        text = re.sub("|".join(re.escape(k) for k in paths), lambda m: paths[m.group(0)], text)
        return re.sub(r"(?<=[\s:])meldcode(?=[\s:]|$)", self.user, text, flags=re.M)

    def env(self) -> dict[str, str]:
        # What cron or a root shell has: none of the test run's MELDCODE_* variables.
        return {"PATH": f"{self.base / 'shim'}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root",
                "LANG": "C.UTF-8", "SHELL": "/bin/sh"}

    def run_block(self, name: str, *, cwd: Path | None = None) -> subprocess.CompletedProcess:
        _lang, text = blocks()[name]
        lines = []
        for line in self.substitute(text).splitlines():
            if NOT_RUN.search(line):
                self.skipped.append(line)
                continue
            lines.append(line)
        self.ran.append(name)
        script = SUDO + "set -e\n" + "\n".join(lines) + "\n"
        result = subprocess.run(["bash", "-c", script], cwd=cwd or self.base, env=self.env(),
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, f"README block {name} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def as_root(self, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.meldcode), "--config", str(self.config), "--db",
                               str(self.db), *args], env=self.env(), capture_output=True,
                              text=True, timeout=120, check=check)

    def as_service(self, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", self.user, "--", str(self.meldcode), "--config",
                               str(self.config), "--db", str(self.db), *args], env=self.env(),
                              capture_output=True, text=True, timeout=120, check=check)

    # ------------------------------------------------------------------ the whole path

    def _other_account_can_import(self) -> bool:
        return subprocess.run(["runuser", "-u", "nobody", "--", str(self.venv / "bin/python"),
                               "-c", "import meldcode_tui.cli, sqlcipher3"], cwd="/",
                              capture_output=True).returncode == 0

    def make_venv(self, *, force_copy: bool = False) -> str | None:
        """The stand-in for the README's venv and pip lines: a venv of the system's python3
        (as the README's `python3 -m venv`) that sees this suite's installed packages, and its
        `meldcode` script. None, or why it cannot be made here."""
        python = Path("/usr/bin/python3")
        if not python.exists():
            return "no /usr/bin/python3 for the service account's venv"
        version = subprocess.run([str(python), "-c", "import sys; print(sys.version_info[:2])"],
                                 capture_output=True, text=True).stdout.strip()
        if version != str(tuple(sys.version_info[:2])):
            return f"/usr/bin/python3 is {version}, the suite runs {sys.version_info[:2]}"
        subprocess.run([str(python), "-m", "venv", "--without-pip", str(self.venv)], check=True)
        purelib = sysconfig.get_paths()["purelib"]
        site = subprocess.run([str(self.venv / "bin/python"), "-c",
                               "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
        pth = Path(site, "meldcode-suite.pth")
        pth.write_text(f"import site; site.addsitedir({purelib!r})\n")
        if force_copy or not self._other_account_can_import():
            # The checkout lies where other accounts cannot read it (e.g. under /root): copy the
            # packages and the app into the venv, as pip would have installed them.
            pth.unlink()
            for entry in Path(purelib).iterdir():
                if entry.name.startswith("__editable__") or entry.name == "__pycache__":
                    continue
                target = Path(site, entry.name)
                if entry.is_dir():
                    shutil.copytree(entry, target, symlinks=True)
                else:
                    shutil.copy2(entry, target)
            shutil.copytree(ROOT / "meldcode_tui", Path(site, "meldcode_tui"),
                            ignore=shutil.ignore_patterns("__pycache__"))
            for dirpath, dirnames, filenames in os.walk(self.base / "opt"):
                for name in dirnames + filenames:
                    p = Path(dirpath, name)
                    if not p.is_symlink():
                        p.chmod(p.stat().st_mode | 0o444 | (0o111 if p.is_dir() else 0))
            if not self._other_account_can_import():
                return "another account cannot import the app even from a copy in the venv"
        self.meldcode.write_text(f"#!{self.venv}/bin/python\nimport sys\n"
                                 "from meldcode_tui.cli import main\nsys.exit(main())\n")
        self.meldcode.chmod(0o755)
        return None

    def build(self, people: tuple[str, ...] = ("anouk", "dirk")) -> None:
        """Steps 1-5 of 'Installing on a school server', as written."""
        shim = self.base / "shim/mail"
        shim.write_text(f"#!/bin/sh\ncat >> {self.mail_out}\n")
        shim.chmod(0o755)
        self.run_block("server:install")
        self.run_block("server:keys-file")       # the Running chapter's by-hand keys file
        self.run_block("server:key")
        self._sshd_base_config()
        self.run_block("server:sshd-install", cwd=ROOT)
        self._moved(self.base / "etc/ssh/sshd_config.d/meldcode.conf")
        keydir = self.base / "keys"
        keydir.chmod(0o700)          # root's own folder, as /root would be
        for name in people:
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                            str(keydir / name)], check=True)
            (keydir / f"{name}.pub").chmod(0o600)     # as copied into root's home
        self.run_block("server:users", cwd=keydir)
        self.run_block("server:cron-install", cwd=ROOT)
        self._moved(self.base / "etc/cron.d/meldcode")

    def _moved(self, installed: Path) -> None:
        """A shipped file as installed, with this test's folders and account in it."""
        mode = installed.stat().st_mode
        installed.write_text(self.substitute(installed.read_text()))
        installed.chmod(mode)

    def _sshd_base_config(self) -> None:
        hostkey = self.base / "etc/ssh/hostkey"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(hostkey)],
                       check=True)
        self.sshd_config.write_text(debian_sshd_config(self.base / "etc/ssh/sshd_config.d",
                                                       self.port, hostkey, self.base / "sshd.pid"))
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)

    def start_sshd(self) -> None:
        self.process = start_sshd(self.sshd_config, self.port)

    def ssh(self, name: str, *, tty: bool = False, remote: str | None = None,
            extra: tuple[str, ...] = ()) -> list[str]:
        args = ["ssh", "-tt" if tty else "-T", "-i", str(self.base / "keys" / name), "-p",
                str(self.port), "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes",
                *extra, f"{self.user}@127.0.0.1"]
        return args + ([remote] if remote else [])

    def cron_jobs(self, text: str | None = None) -> list[tuple[str, str]]:
        """(account, command) of each job line of the installed cron file (or ``text``), as
        cron runs it."""
        jobs = []
        if text is None:
            text = (self.base / "etc/cron.d/meldcode").read_text()
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#") or re.match(r"^[A-Z]+=", line):
                continue
            fields = line.split(None, 6)
            # cron: an unescaped % ends the command (the rest is its stdin); \% is a %
            assert re.search(r"(?<!\\)%", fields[6]) is None, line
            jobs.append((fields[5], fields[6].replace("\\%", "%")))
        return jobs

    def run_cron_job(self, account: str, command: str) -> subprocess.CompletedProcess:
        argv = ["/bin/sh", "-c", command]
        if account != "root":
            argv = ["runuser", "-u", account, "--", *argv]
        return subprocess.run(argv, env=self.env(), cwd="/", capture_output=True, text=True,
                              timeout=180)

    def uid(self) -> int:
        import pwd

        return pwd.getpwnam(self.user).pw_uid

    def cleanup(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        subprocess.run(["userdel", self.user], capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


def can_deploy() -> str | None:
    """Why this machine cannot run the deployment tests, or None."""
    if os.geteuid() != 0:
        return "the README deployment needs root (useradd, sshd, runuser; CI runs as root)"
    for tool in ("useradd", "userdel", "runuser", "ssh-keygen", "ssh"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            return f"{tool} is not installed (.ci/run installs openssh)"
    if not SSHD.exists():
        return "OpenSSH server not installed (.ci/run installs it)"
    return None
