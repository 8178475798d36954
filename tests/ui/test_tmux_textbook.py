"""The textbook case end to end in the real app, in a real terminal (tmux) at 80x24.

The same case as ``test_key_count.py`` (which counts the keys in Pilot at 120x40): a 10-year-old;
a catalogue signal and one from a named other source; step 1; IB consultation and anonymous
Veilig Thuis advice; a zorgteam of four; step 2; the conversation with the parents and an
exception for the pupil's; step 3; questions 1-2; step 4; question 3; the decision; the contact
with the parents before the report; the report; an export. Here it is the installed console
script, on a fresh database file, with the real date, keys sent by tmux as a terminal sends them
(Ctrl+S, Shift+Tab, arrows, digits, "+"), on the smallest screen the app supports. Each form is
waited for by its title, each save by the title going away; the record is then read back from the
database: every step, the decision makers, the report, the export (0600) and the chain.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.termkit import TmuxSession, tmux_available

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not tmux_available(), reason="tmux is not installed")]

USER = "tmux-coordinator"


def _meldcode() -> str:
    exe = Path(sys.executable).with_name("meldcode")
    return str(exe) if exe.exists() else (shutil.which("meldcode") or "meldcode")


class Terminal:
    """The tmux session with the few moves the script needs."""

    def __init__(self, session: TmuxSession):
        self.s = session

    def open(self, key: str, title: str) -> None:
        """Press the key that opens a form and wait until its title is on screen and the form
        has settled (its cursor placed) before typing into it."""
        self.s.send(key)
        self.s.wait_for(title)

    def keys(self, *keys: str) -> None:
        self.s.send(*keys)

    def type(self, text: str) -> None:
        self.s.type(text)

    def save(self, title: str, *, confirm: bool = False) -> None:
        """Ctrl+S, the confirmation when the form asks one, and wait for the form to go."""
        self.s.send("C-s")
        if confirm:
            self.s.wait_for("J: ja")
            self.s.send("j")
        self.wait_gone(title)

    def wait_gone(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.s.screen()
            if text not in screen:
                return
            time.sleep(0.2)
        raise AssertionError(f"{text!r} is still on screen after {timeout}s:\n{screen}")

    def complete_step(self, n: int) -> None:
        self.open("v", "Stap afronden")
        self.save("Stap afronden")
        self.s.wait_for(f"✔ {n} ")                    # the step line ticks it off


def test_the_textbook_case_end_to_end_in_tmux_at_80x24(tmp_path):
    db = tmp_path / "school.sqlite"
    env = {"MELDCODE_USER": USER, "MELDCODE_LANG": "nl", "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "TERM": "xterm-256color"}
    command = f"{shlex.quote(_meldcode())} --db {shlex.quote(str(db))}"
    session = TmuxSession(command, width=80, height=24, env=env)
    t = Terminal(session)
    try:
        session.wait_for("Welkom bij Meldcode")
        session.send("Escape")                        # an empty school: no demo data
        session.wait_for("Nieuwe casus")

        t.open("n", "Nieuwe casus")
        t.type("Sanne de Vries (fictief)")
        t.keys("Tab"); t.type("01-09-2016")
        t.keys("Tab"); t.type("6")
        session.send("C-s")
        session.wait_for("Chronologie")

        # Step 1: a catalogue signal, then one in own words from a named other source.
        t.open("s", "Signalen vastleggen (stap 1)")
        t.type("blauwe plekken")
        t.keys("Enter", "Space")
        t.save("Signalen vastleggen (stap 1)")
        t.open("s", "Signalen vastleggen (stap 1)")
        t.keys("Tab", "Tab"); t.type("Buurvrouw hoort 's avonds geschreeuw.")
        t.keys("Tab", "a", "Tab"); t.type("Buurvrouw (fictief)")
        t.save("Signalen vastleggen (stap 1)")
        t.complete_step(1)

        # Step 2: IB consultation, anonymous Veilig Thuis advice, the zorgteam of four.
        t.open("c", "Consultatie vastleggen (stap 2)")
        t.type("Intern begeleider (fictief)")
        t.keys("Tab"); t.type("Hoe wegen wij deze signalen?")
        t.save("Consultatie vastleggen (stap 2)")
        t.open("c", "Consultatie vastleggen (stap 2)")
        t.keys("BTab", "v", "Tab"); t.type("Veilig Thuis (advies)")
        t.keys("Tab"); t.type("Een kind met blauwe plekken; wat raadt u aan?")
        t.save("Consultatie vastleggen (stap 2)")
        t.open("z", "Zorgteam samenstellen")
        for name in ("Juf Anna (fictief)", "Piet (fictief)", "Fatima (fictief)", "Directeur Bos (fictief)"):
            t.type(name)
            t.keys("Enter")
        session.wait_for("Alle rollen")
        t.save("Zorgteam samenstellen")
        t.complete_step(2)

        # Step 3: the conversation with the parents (2, then + for the four elements); an
        # exception with a written reason for the pupil's.
        t.open("g", "Gesprek vastleggen (stap 3)")
        t.keys("2", "Tab", "+", "Tab", "Tab", "Tab")
        t.type("Zorgen besproken; ouders herkennen de signalen deels.")
        t.save("Gesprek vastleggen (stap 3)")
        t.open("u", "Uitzondering met reden vastleggen")
        t.keys("g", "Tab", "v", "Tab")
        t.type("Een gesprek nu brengt de leerling thuis in gevaar.")
        t.save("Uitzondering met reden vastleggen")
        t.complete_step(3)

        # Step 4: questions 1 (ja) and 2 (nee), each with a reason; then question 3 (nee).
        t.open("w", "vraag 1 van 5")
        t.keys("Tab"); t.type("Besproken in het zorgteam (vraag 1).")
        t.keys("C-s")
        session.wait_for("vraag 2 van 5")
        t.keys("Down", "Tab"); t.type("Besproken in het zorgteam (vraag 2).")
        t.keys("C-s")
        t.wait_gone("vraag 2 van 5")
        t.complete_step(4)
        t.open("w", "vraag 3 van 5")
        t.keys("Down", "Tab"); t.type("Effectieve hulp is niet mogelijk.")
        t.keys("C-s")
        t.wait_gone("vraag 3 van 5")

        # Step 5: the decision (report), the contact before the report, the report.
        t.open("b", "Besluiten (stap 5)")
        t.type("Effectieve hulp is niet mogelijk; daarom melden.")
        t.keys("BTab", "BTab", "Space")
        t.save("Besluiten (stap 5)")
        t.open("p", "Contact vóór de melding")
        t.type("Uitgelegd dat wij gaan melden en waarom.")
        t.keys("Tab"); t.type("Ouders begrijpen het.")
        t.save("Contact vóór de melding")
        t.open("m", "Melding bij Veilig Thuis vastleggen")
        t.type("Veilig Thuis regio (fictief)")
        t.keys("Tab", "Tab"); t.type("Signalen en gesprekken gemeld.")
        t.save("Melding bij Veilig Thuis vastleggen", confirm=True)

        # The export: the chronology (the format after the whole journal, which asks its
        # basis first), to a file beside the database.
        t.open("x", "exporteren")
        session.send("Down")
        session.send("C-s")
        session.wait_for("J: ja")
        session.send("j")
        t.wait_gone("exporteren")
        screen = session.screen()
        assert "Traceback" not in screen

        session.send("Escape")
        session.wait_for("Zoeken in alles")
        session.send("q")
        for _ in range(50):
            if session.pane_dead():
                break
            time.sleep(0.1)
        assert session.pane_dead()
        assert "Traceback" not in session.screen()
    finally:
        session.kill()

    # Read the record back from the file the app wrote.
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    store = open_store(db)
    try:
        svc = CaseService(store, actor=USER)
        (row,) = svc.list_cases()
        state = svc.get_state(row["case_id"])
        assert state.steps_completed == [1, 2, 3, 4]
        assert len(state.signals) == 2
        assert {m["role"] for m in state.care_team} == {
            "leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider"}
        assert state.decision["report_needed"] is True
        assert state.decision["decided_by"][0]["role"] == "coordinator"
        assert state.status == "gemeld"
        kinds = [e.kind for e in svc.journal(row["case_id"])]
        assert "case_exported" in kinds and "exception_recorded" in kinds
        assert svc.verify().ok
    finally:
        store.close()
    exports = [p for p in tmp_path.rglob("*") if p.is_file() and "MC-" in p.name and p != db]
    assert exports, sorted(str(p) for p in tmp_path.rglob("*"))
    for path in exports:
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
