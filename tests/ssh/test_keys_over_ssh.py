"""The app's keys through a plain OpenSSH client ("check each binding through tmux and
a plain SSH client"): a terminal (tmux, TERM=xterm-256color) runs `ssh -tt` to the real sshd on
127.0.0.1, whose forced command is the README's `meldcode serve` line; inside, the remote
terminal is what ssh passes on. Function keys, Ctrl keys, Shift+Tab, Delete, digits and "+"
are the keys whose escape sequences differ between terminals, so each is pressed here and its
effect read back from the screen (or the database)."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.slow


def _wait_gone(t, text: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while text in t.screen():
        assert time.monotonic() < deadline, t.screen()
        time.sleep(0.2)


def _escape(t, text: str) -> None:
    t.send("Escape")
    _wait_gone(t, text)


def test_function_and_control_keys_work_over_ssh(ssh_server):
    from tests.termkit import TmuxSession, tmux_available

    if not tmux_available():
        pytest.skip("tmux not installed (.ci/run installs it)")
    with TmuxSession(" ".join(ssh_server.ssh_command("anouk")), width=100, height=32,
                     env={"TERM": "xterm-256color"}) as t:
        t.wait_for("Meldcode — anouk", timeout=30)
        t.wait_for("Welkom")
        t.send("d")
        t.wait_for("Demogegevens (fictief) zijn aangemaakt")

        # Escape is also the first byte of every function key's sequence: a key sent right
        # behind it reads as Alt+key in any terminal program, so each Escape is waited out.
        t.send("F1")                                   # every key, scrollable
        t.wait_for("Toetsen:")
        _escape(t, "Toetsen:")
        t.send("F9")                                   # Meldingen
        t.wait_for("Meldingen (")
        _escape(t, "Meldingen (")
        t.send("C-p")                                  # the command palette
        t.wait_for("Zoek een opdracht")
        _escape(t, "Zoek een opdracht")

        t.send("/")                                    # find Daan (at step 2) and open the case
        t.type("Daan")
        t.wait_for("Daan Jansen (fictief)  5a")
        t.send("Enter", "Down", "Enter")
        t.wait_for("MC-0002  Daan Jansen")
        t.wait_for("Wat nu?")
        t.send("s")                                    # signal picker: F4, Ctrl+O, F5
        t.wait_for("Signalen vastleggen (stap 1)")
        t.send("F4")
        t.wait_for("Alle leeftijdsgroepen")
        t.send("F4")
        t.wait_for("signalen voor leeftijdsgroep")
        t.send("C-o", "Down", "Enter")                 # a category from the list
        t.wait_for("categorie:")
        t.send("F5")
        t.type("blauwe")                               # back in the search field
        t.wait_for("blauwe")
        t.send("Escape")
        t.wait_for("Formulier sluiten?")               # something was typed: it asks
        t.send("w")                                    # discard
        t.wait_for("Wat nu?")

        t.send("c")                                    # consultation: F7/F8, Shift+Tab, Ctrl+S
        t.wait_for("Consultatie vastleggen (stap 2)")
        t.type("weg te halen tekst")
        t.send("F7")                                   # select all in the field ...
        t.type("Intern begeleider (fictief)")          # ... typing replaces it
        t.send("Tab")
        t.type("nog meer weg")
        t.send("F8")                                   # clear the field
        t.send("BTab")
        t.wait_for("Intern begeleider (fictief)")
        _wait_gone(t, "nog meer weg")                  # F8 emptied the question ...
        assert "weg te halen" not in t.screen()         # ... and F7's selection was replaced
        t.send("Tab")
        t.type("Hoe wegen wij dit?")
        t.send("C-s")
        _wait_gone(t, "Consultatie vastleggen (stap 2)")

        t.send("g")                                    # conversation: digits and "+"
        t.wait_for("Gesprek vastleggen (stap 3)")
        t.send("2", "Tab", "+")                        # ticks: the form has changes now,
        t.send("Escape")
        t.wait_for("Formulier sluiten?")               # so Esc asks
        t.send("w")
        t.wait_for("Wat nu?")

        t.send("C-q")                                  # quits, also from the case screen
        deadline = time.monotonic() + 15
        while not t.pane_dead() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert t.pane_dead()
        assert "Traceback" not in t.screen()

    from meldcode_tui.store import open_store

    store = open_store(ssh_server.db)
    try:
        consultations = [e for e in store.events() if e.kind == "consultation_recorded"
                         and e.actor == "anouk"]
        assert consultations and consultations[-1].payload["with_whom"] == "Intern begeleider (fictief)"
        assert consultations[-1].payload["question"] == "Hoe wegen wij dit?"
    finally:
        store.close()
