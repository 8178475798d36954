"""The end-to-end test: four people of one school logged in AT THE SAME TIME over the
real sshd (authorized_keys written by `meldcode admin keys write`), each in a pty running the
real TUI through `meldcode serve`: a coordinator, a zorgteam member, a teacher and an auditor.

What the single-role tests (tests/ssh/test_ssh_admin_keys.py, tests/people/) prove one at a
time, this proves with all four sessions open on one database: what each screen shows is
what the role allows; the teacher's concern reaches the coordinator's live dashboard and is
taken into a case while the others are connected; the journal names the right actor for every
event and `meldcode verify` passes; disabling the member ends her open session with "Uw
toegang is ingetrokken." while the other three keep working, and her key gets no new session.

Waits are on screen text (generous timeouts, polled), never fixed sleeps: CI is a 2-core box.
"""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.termkit import TmuxSession, tmux_available

pytestmark = pytest.mark.slow

SIGNAL = "Blauwe plek op de bovenarm (fictief)"
CONCERN = "Komt al dagen zonder jas en zonder eten (fictief)"
SECOND = "Zegt dat ze thuis niet mag eten (fictief)"
ANSWER = "Navraag bij moeder gedaan, uitleg klopt (fictief)"
START = 90.0   # four apps starting at once over ssh on two shared cores


def _seed(server):
    """Two cases: the member is in Lotte's zorgteam, not in Sem's."""
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    svc = CaseService(open_store(server.db), actor="anouk", role="coordinator")
    try:
        lotte = svc.create_case("Lotte Peters (fictief)", "2015-04-01", "6a").case_id
        svc.record_signal(lotte, description=SIGNAL, observed_on="2026-11-02",
                          observed_by="Juf Sanne (fictief)", source="own")
        svc.complete_step(lotte, 1, "Signalen in kaart gebracht (fictief)")
        svc.set_care_team(lotte, [{"role": "leerkracht", "name": "Bram (fictief)", "user": "bram"}])
        sem = svc.create_case("Sem Bakker (fictief)", "2014-01-01", "7b").case_id
        return lotte, sem, svc.store.checkpoint()[0]
    finally:
        svc.store.close()


def _events(db, after=0):
    from meldcode_tui.store import open_store

    store = open_store(db)
    try:
        return list(store.events(after_seq=after))
    finally:
        store.close()


def _wait_event(db, after, wanted, timeout=40.0, count=1):
    """Until ``wanted`` (actor, kind, case id; a case id of None matches any) is journalled
    ``count`` times: a case screen records its view just after it is painted, so "Wat nu?" on
    screen does not yet mean the view is in the journal."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = [(e.actor, e.kind, e.case_id if wanted[2] is not None else None)
               for e in _events(db, after)]
        if got.count(wanted) >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"{wanted} was not journalled {count}x within {timeout}s")


class _Session(TmuxSession):
    """Generous waits: CI is a 2-core box that also runs the rest of the suite."""

    def wait_for(self, text, timeout=40.0):
        return super().wait_for(text, timeout)

    def wait_for_focus(self, text, timeout=40.0, **kwargs):
        return super().wait_for_focus(text, timeout, **kwargs)


def _wait_dead(session, timeout=40.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if session.pane_dead():
            return True
        time.sleep(0.2)
    return False


def _log_concern(teacher, pupil, description, group="", *, known=False):
    """The teacher's form, by keys: the pupil (typed; or, ``known``, picked from her earlier
    concerns by its first letter, which fills in the name), the group, what she saw; the date
    stays today, the source her own observation. One key at a time where focus moves."""
    teacher.send("n")
    teacher.wait_for("Naam van de leerling" if not known else "Eerder gemelde leerling")
    if known:
        teacher.type(pupil[0])
        deadline = time.monotonic() + 40
        while teacher.screen().count(pupil) < 2:         # the list's choice and the name field
            assert time.monotonic() < deadline, teacher.screen()
            time.sleep(0.1)
        teacher.send("Tab")
        teacher.wait_for_focus(pupil, occurrence=-1)
    else:
        teacher.type(pupil)
        teacher.wait_for(pupil)
    teacher.send("Tab")
    teacher.wait_for_focus("Groep (mag leeg)")
    if group:
        teacher.type(group)
    teacher.send("Tab")
    teacher.wait_for_focus("Wat heeft u gezien of gehoord?")
    teacher.type(description)
    teacher.wait_for(description)
    teacher.send("C-s")


def _login(server, name):
    """A fresh interactive login (pty forced by -tt), no terminal of ours needed."""
    return subprocess.run(server.ssh_command(name), capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_four_roles_at_once_over_ssh(ssh_server):
    if not tmux_available():
        pytest.skip("tmux not installed (.ci/run installs it)")
    server = ssh_server
    for name in ("dirk", "eva"):
        server.add_coordinator(name)               # (only makes the key pair)
    server.add_users(("dirk", "teacher"), ("eva", "auditor"))
    # Only what the app writes: the fixture's hand-made README lines go.
    keys = server.root / "authorized_keys"
    keys.write_text("")
    server.admin("keys", "write", "--file", str(keys))
    assert keys.read_text().count('restrict,pty,command="') == 4
    lotte, sem, seeded = _seed(server)

    sessions = {name: _Session(" ".join(server.ssh_command(name)), width=120, height=40)
                for name in ("anouk", "bram", "dirk", "eva")}
    anouk, bram, dirk, eva = (sessions[n] for n in ("anouk", "bram", "dirk", "eva"))
    try:
        # -- all four are in, each on the screen of her role -----------------------------------
        screen = anouk.wait_for("Meldcode — anouk", timeout=START)
        screen = anouk.wait_for("Sem Bakker (fictief)")
        assert "Lotte Peters (fictief)" in screen

        screen = bram.wait_for("Meldcode — bram", timeout=START)
        screen = bram.wait_for("Lotte Peters (fictief)")
        assert "Sem Bakker" not in screen and sem not in screen      # only her zorgteam's case

        screen = dirk.wait_for("mijn zorgmeldingen", timeout=START)
        for hidden in ("Lotte", "Sem", "MC-", SIGNAL):                # no case, not even that one exists
            assert hidden not in screen

        screen = eva.wait_for("Journaal in orde", timeout=START)
        screen = eva.wait_for("case_opened")                          # the journal's metadata ...
        assert lotte in screen and "anouk" in screen
        for hidden in ("Lotte", "Sem", "Blauwe", "(fictief)"):        # ... and no payload at all
            assert hidden not in screen

        # -- the teacher logs a concern; it reaches the coordinator's open dashboard -------------
        _log_concern(dirk, "Noor de Vries (fictief)", CONCERN, group="5b")
        screen = dirk.wait_for("ZG-0001")
        assert "Noor de Vries (fictief)" in screen and "nieuw" in screen

        anouk.wait_for("zorgmeldingen: 1 nieuw")                     # live: nobody pressed a key
        anouk.send("i")
        screen = anouk.wait_for(CONCERN)
        assert "Noor de Vries (fictief)" in screen and "dirk" in screen
        anouk.send("n")                                               # into a new case: a form
        anouk.wait_for("Geboortedatum van de leerling")
        anouk.wait_for_focus("dd-mm-jjjj")
        anouk.type("12-05-2016")
        anouk.wait_for("12-05-2016")
        anouk.send("C-s")                                             # saves like every form
        anouk.wait_for("Chronologie")                                 # and opens the new case
        anouk.send("Escape")
        screen = anouk.wait_for("Noor de Vries (fictief)")           # the new case on her dashboard
        assert "zorgmeldingen: 1 nieuw" not in screen

        dirk.send("r")
        screen = dirk.wait_for("opgepakt")
        assert "MC-" not in screen                                    # she learns no case number
        new = _events(server.db, seeded)
        noor = next(e.case_id for e in new if e.kind == "case_opened")
        assert noor not in (lotte, sem)
        _wait_event(server.db, seeded, ("anouk", "case_viewed", noor))   # she is in the new case
        # The member opens her case; back on her dashboard (re-read on return, after the new
        # case was made) she still has only her zorgteam's case.
        bram.send("Enter")
        screen = bram.wait_for("Wat nu?")
        assert "Lotte Peters (fictief)" in screen
        _wait_event(server.db, seeded, ("bram", "case_viewed", lotte))   # journalled after the paint
        bram.send("Escape")
        screen = bram.wait_for("Meldcode — bram")
        assert "Lotte Peters (fictief)" in screen
        assert "Noor" not in screen and "Sem Bakker" not in screen and noor not in screen
        bram.send("Enter")
        bram.wait_for("Wat nu?")
        # (Disabled before this view is written, the view would be refused: wait for it.)
        _wait_event(server.db, seeded, ("bram", "case_viewed", lotte), count=2)
        # The auditor sees what happened (who, what, which case), not what was written.
        eva.send("a")                                                 # the access log ...
        screen = eva.wait_for("case_viewed")
        eva.send("a")                                                 # ... and the whole journal again
        screen = eva.wait_for("concern_taken")
        assert "dirk" in screen and noor in screen
        for hidden in ("Noor", "jas", "Lotte", "(fictief)"):
            assert hidden not in screen

        # -- revocation: the member is disabled while all four are connected -------------------
        server.admin("user", "disable", "bram", "--reason", "Vertrokken naar andere school (fictief)")
        bram.wait_for("Uw toegang is ingetrokken")
        assert _wait_dead(bram), "bram's session did not end"
        # ... and the other three keep working, with each other.
        _log_concern(dirk, "Noor de Vries (fictief)", SECOND, known=True)
        dirk.wait_for("ZG-0002")
        anouk.wait_for("zorgmeldingen: 1 nieuw")
        anouk.send("i")
        anouk.wait_for(SECOND)
        anouk.send("z")                                               # "geen zorg nu", with a reason
        anouk.wait_for("Geen zorg nu: de reden")
        anouk.type(ANSWER)
        anouk.wait_for(ANSWER)
        anouk.send("Enter")
        anouk.wait_for("Geen nieuwe zorgmeldingen")
        anouk.send("Escape")
        anouk.wait_for("Meldcode — anouk")
        anouk.send("Enter")                                           # she opens a case
        anouk.wait_for("Wat nu?")
        _wait_event(server.db, seeded, ("anouk", "case_viewed", None))
        dirk.send("r")
        dirk.wait_for(ANSWER)
        eva.send("a", "a")
        screen = eva.wait_for("concern_answered")
        assert "user_disabled" in screen and "Vertrokken" not in screen
        for name in ("anouk", "dirk", "eva"):
            assert not sessions[name].pane_dead(), f"{name}'s session ended too"

        # A new login with his key: `disable` rewrote the managed authorized_keys in the same
        # command, so sshd does not even accept the key any more.
        assert "--user bram" not in keys.read_text() and keys.read_text().count("serve --user") == 3
        assert _login(server, "bram").returncode == 255

        for name, quit_key in (("anouk", "C-q"), ("dirk", "q"), ("eva", "q")):
            sessions[name].send(quit_key)
            assert _wait_dead(sessions[name]), f"{name}'s app did not quit"
    finally:
        for s in sessions.values():
            s.kill()

    # -- the journal: the right actor for every event, and it verifies ---------------------------
    new = _events(server.db, seeded)
    admin = server.user
    got = [(e.actor, e.kind, e.case_id) for e in new]
    # bram's open session closed by the live check (journalled as session_closed), at some
    # moment after the disable: its place among the admin's two events is a race.
    closed = got.index(("bram", "access_refused", "toegang"))
    assert closed > got.index((server.user, "user_disabled", "beheer"))
    assert new[closed].payload["action"] == "session_closed"
    del got[closed]
    viewed = [e.case_id for e in new if (e.actor, e.kind) == ("anouk", "case_viewed")]
    # The new case opened at once after taking the concern in, and one view later on.
    assert len(viewed) == 2 and viewed[0] == noor and viewed[1] in (lotte, sem, noor)
    assert got == [
        ("dirk", "concern_logged", "ZG-0001"),
        ("anouk", "case_opened", noor),          # taking the concern in: a new case ...
        ("anouk", "signal_recorded", noor),      # ... with the teacher's signal ...
        ("anouk", "concern_taken", "ZG-0001"),   # ... and the concern marked as taken
        ("anouk", "case_viewed", noor),          # ... and the new case opens
        ("bram", "case_viewed", lotte),
        ("bram", "case_viewed", lotte),          # she opened it twice
        (admin, "user_disabled", "beheer"),      # the OS account that ran `meldcode admin`
        (admin, "keys_written", "beheer"),       # ... in the same command
        ("dirk", "concern_logged", "ZG-0002"),
        ("anouk", "concern_answered", "ZG-0002"),
        ("anouk", "case_viewed", viewed[1]),
    ]
    taken = [e for e in new if e.kind == "signal_recorded"]
    assert [(e.case_id, e.payload["observed_by"], e.payload["description"]) for e in taken] == [
        (noor, "Dirk (fictief)", CONCERN)]                            # the teacher stays the observer
    verify = subprocess.run([str(server.meldcode), "--db", str(server.db), "verify"],
                            capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0, verify.stdout + verify.stderr
