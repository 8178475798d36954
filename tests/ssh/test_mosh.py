"""mosh as a door: the real ``mosh`` client against the real sshd on 127.0.0.1 with the README's
forced command; ``serve`` starts ``mosh-server`` with its own fixed command, whatever the client
asks mosh-server to run."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

import pytest

from meldcode_tui.cli.serve_cmds import CommandRefused, parse_remote

pytestmark = pytest.mark.slow


def test_the_forms_the_mosh_client_sends_are_allowed():
    verb, opts = parse_remote("mosh-server 'new' '-c' '256' '-s' '-l' 'LANG=C.UTF-8' "
                              "'-l' 'LC_ALL=nl_NL.UTF-8'")
    assert verb == "mosh"
    assert opts == {"colors": "256", "locale": ["LANG=C.UTF-8", "LC_ALL=nl_NL.UTF-8"],
                    "port": None, "ip": None, "s": True}
    assert parse_remote("mosh-server new -c 8 -p 60005 -i 127.0.0.1")[1]["port"] == "60005"


@pytest.mark.parametrize("remote", [
    "mosh-server new -s -c 256 -- sh",                       # a command of the client's own
    "mosh-server new -- /bin/bash -i",
    "mosh-server new -c 256 -l LANG=C.UTF-8 -- meldcode serve --user bram",
    "mosh-server new -l LD_PRELOAD=/tmp/x.so",               # only locale variables
    "mosh-server new -l 'LANG=C;sh'",
    "mosh-server new -p 22",                                 # outside the firewall's range
    "mosh-server new -p 60000:65535",
    "mosh-server new -i 'evil host'",
    "mosh-server new -c",
    "mosh-server new -v",
    "mosh-server",
    "mosh-server old",
    "sh -c 'mosh-server new'",
])
def test_a_mosh_request_with_anything_else_is_refused(remote):
    with pytest.raises(CommandRefused):
        parse_remote(remote)


def test_mosh_client_reaches_the_app_with_the_fixed_command(ssh_server, tmp_path):
    """The real mosh client logs in through sshd (forced command), serve starts mosh-server,
    the client connects over UDP and shows the app as anouk; a client-chosen command is
    refused with the one Dutch line."""
    from tests.termkit import TmuxSession, tmux_available

    if shutil.which("mosh") is None or shutil.which("mosh-server") is None or not tmux_available():
        pytest.skip("mosh and tmux are not installed (.ci/run installs them)")
    ssh = " ".join(shlex.quote(a) for a in ssh_server.ssh_command("anouk", tty=False)[:-1]
                   if a != "-T")
    target = f"{ssh_server.user}@127.0.0.1"
    mosh = f"mosh --ssh={shlex.quote(ssh)} {target}"
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    with TmuxSession(mosh, width=100, height=30, env=env) as session:
        session.wait_for("Meldcode — anouk", timeout=60)
        session.wait_for("Welkom")
        session.send("C-q")

    # The client asks mosh-server to run a shell: refused before anything starts.
    result = subprocess.run(["mosh", f"--ssh={ssh}", target, "--", "sh", "-c", "echo pwned"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, **env}, stdin=subprocess.DEVNULL)
    assert "pwned" not in result.stdout + result.stderr
    assert result.returncode != 0
    assert "niet toegestaan" in result.stdout + result.stderr
