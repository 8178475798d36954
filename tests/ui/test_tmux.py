"""The real `meldcode` console script in a real terminal (tmux), as a coordinator uses it."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.termkit import TmuxSession, tmux_available

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not tmux_available(), reason="tmux is not installed")]


def _meldcode() -> str:
    exe = Path(sys.executable).with_name("meldcode")
    return str(exe) if exe.exists() else (shutil.which("meldcode") or "meldcode")


def test_demo_data_and_open_a_case_in_tmux(tmp_path):
    db = tmp_path / "school.sqlite"
    env = {"MELDCODE_USER": "tmux-coordinator", "MELDCODE_LANG": "nl", "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "TERM": "xterm-256color"}
    command = f"{shlex.quote(_meldcode())} --db {shlex.quote(str(db))}"
    session = TmuxSession(command, width=120, height=40, env=env)
    try:
        session.wait_for("Welkom bij Meldcode")
        session.send("d")
        screen = session.wait_for("(fictief)")
        assert "Te laat" in screen
        assert "Nieuwe casus" in screen                       # footer, in Dutch
        session.send("Enter")
        session.wait_for("Wat nu?")
        screen = session.wait_for("Casus geopend")   # the chronology fills in right after
        assert "Chronologie" in screen
        assert "Signaal" in screen
        session.send("F1")
        screen = session.wait_for("Toetsen:")
        assert "Afwegen" in screen
        session.send("Escape")
        session.send("Escape")
        session.wait_for("Zoeken in alles")
        session.send("q")
        for _ in range(50):
            if session.pane_dead():
                break
            import time
            time.sleep(0.1)
        assert session.pane_dead()
        assert "Traceback" not in session.screen()
        assert oct(os.stat(db).st_mode & 0o777) == "0o600"
    finally:
        session.kill()
