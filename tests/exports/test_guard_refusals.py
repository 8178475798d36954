"""The session guard in exports/ and the importer: every refusal of the session or the role is
journalled as an access attempt (who, what, which case; never content), allowed and refused,
on real SQLite files through the real service and the real `meldcode` command.

The write guard (a disabled user) is checked twice: before anything is read, rendered or
asked for confirmation, and inside the write transaction for a revocation that lands while
the attempt is in flight. Either way exactly one ``access_refused`` event, nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from meldcode_tui.admin import UserAdmin
from meldcode_tui.errors import AccessDenied, AccessRevoked, NotFound
from meldcode_tui.exports import export_case, precheck
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

from .conftest import make_service
from .helpers import BASIS

MELDCODE = str(Path(sys.executable).parent / "meldcode")
SIGNAL = {"description": "Blauwe plek op de arm (fictief)", "observed_on": "2026-11-02",
          "observed_by": "Juf Sanne (fictief)", "source": "own"}


@pytest.fixture
def school(tmp_path):
    """The receiving school: its people, and one case whose zorgteam names the member."""
    db = tmp_path / "school.sqlite"
    store = open_store(db, create=True)
    admin = UserAdmin(store, actor="beheerder")
    for name, role in (("anouk", "coordinator"), ("bram", "member"), ("carla", "member"),
                       ("dirk", "teacher"), ("eva", "auditor")):
        admin.add_user(name, f"{name.title()} (fictief)", role)
    store.close()
    services = []

    def svc(name, role):
        s = CaseService(open_store(db), actor=name, role=role)
        services.append(s)
        return s

    c = svc("anouk", "coordinator")
    case_id = c.create_case("Lotte Peters (fictief)", "2015-04-01", "6a").case_id
    c.record_signal(case_id, **SIGNAL)
    c.complete_step(case_id, 1, "Signalen in kaart (fictief)")
    c.set_care_team(case_id, [{"role": "leerkracht", "name": "Bram (fictief)", "user": "bram"}])
    yield db, svc, case_id
    for s in services:
        s.store.close()


@pytest.fixture
def transfer(tmp_path):
    """A transfer file from another school (its own database, no user table)."""
    sender = make_service(tmp_path / "andere-school.sqlite", actor="zorgcoordinator")
    case_id = sender.create_case("Sem Bakker (fictief)", "2014-01-01", "7b").case_id
    sender.record_signal(case_id, **{**SIGNAL, "observed_on": "2026-03-02"})
    data = export_case(sender, case_id, "toml", **BASIS).data
    sender.store.close()
    return data


def _journal(db):
    store = open_store(db)
    try:
        return list(store.events())
    finally:
        store.close()


def _refusals(db):
    return [(e.actor, e.payload["action"], e.payload["case"], e.payload["role"])
            for e in _journal(db) if e.kind == "access_refused"]


def _head(db):
    store = open_store(db)
    try:
        return store.checkpoint()[0]
    finally:
        store.close()


def _disable(db, name):
    """The admin, on another connection (as `meldcode admin user disable` is)."""
    store = open_store(db)
    try:
        UserAdmin(store, actor="beheerder").disable(name, "Vertrokken naar andere school (fictief)")
    finally:
        store.close()


# --------------------------------------------------------------------------- exports

def test_coordinator_and_member_export_and_nothing_is_refused(school):
    db, svc, case_id = school
    for name, role in (("anouk", "coordinator"), ("bram", "member")):
        s = svc(name, role)
        precheck(s, case_id, "markdown")
        assert s.export(case_id, "markdown").data.startswith(f"# Chronologie casus {case_id}".encode())
    assert [e.actor for e in _journal(db) if e.kind == "case_exported"] == ["anouk", "bram"]
    assert _refusals(db) == []


def test_a_member_exporting_a_case_outside_her_team_is_refused_as_missing_and_journalled(school):
    """Same answer as a case that does not exist (never reveal that it does); the attempt on
    an existing case is journalled, the one on a missing case is not (there was no case)."""
    db, svc, case_id = school
    c = svc("anouk", "coordinator")
    other = c.create_case("Sem Bakker (fictief)", "2014-01-01", "7b").case_id
    m = svc("carla", "member")                      # on neither team
    head = _head(db)
    with pytest.raises(NotFound) as hidden:
        m.export(other, "markdown")
    with pytest.raises(NotFound) as missing:
        m.export("MC-9999", "markdown")
    assert hidden.value.message.replace(other, "X") == missing.value.message.replace("MC-9999", "X")
    assert _refusals(db) == [("carla", "case_exported", other, "member")]
    assert _head(db) == head + 1                      # the refusal, nothing else
    assert not [e for e in _journal(db) if e.kind == "case_exported" and e.actor == "carla"]


@pytest.mark.parametrize("fmt", ["markdown", "toml", "bestaat-niet"])
@pytest.mark.parametrize("name,role", [("dirk", "teacher"), ("eva", "auditor")])
def test_a_role_that_may_not_export_is_refused_and_journalled_whatever_the_format(school, name, role, fmt):
    """Before, an unknown format answered "Onbekend exportformaat …" to a teacher without a
    journal entry: the format was looked up before the role. Now the role comes first."""
    db, svc, case_id = school
    s = svc(name, role)
    before = _head(db)
    for attempt in (lambda: precheck(s, case_id, fmt), lambda: s.export(case_id, fmt)):
        with pytest.raises(NotFound) as err:
            attempt()
        assert err.value.message == f"Casus {case_id} bestaat niet of u heeft geen toegang."
    assert _refusals(db) == [(name, "case_exported", case_id, role)] * 2
    new = [e for e in _journal(db) if e.seq > before]
    assert [e.kind for e in new] == ["access_refused", "access_refused"]
    assert "Lotte" not in json.dumps([e.payload for e in new]) and fmt not in json.dumps(
        [e.payload for e in new])                                     # who, what, which case: no more


def test_a_disabled_user_cannot_export_and_the_refusal_is_journalled(school):
    db, svc, case_id = school
    m = svc("bram", "member")
    m.export(case_id, "markdown")
    _disable(db, "bram")
    before = _head(db)
    for attempt in (lambda: precheck(m, case_id, "markdown"), lambda: m.export(case_id, "markdown"),
                    lambda: m.export(case_id, "bestaat-niet")):
        with pytest.raises(AccessRevoked) as err:
            attempt()
        assert err.value.message == "Uw toegang is ingetrokken."
    new = [e for e in _journal(db) if e.seq > before]
    assert [(e.actor, e.kind, e.case_id, e.payload) for e in new] == [
        ("bram", "access_refused", "toegang", {"action": "case_exported", "case": case_id, "role": "member"})] * 3


class _DisablingFormats(dict):
    """The formats of an export, looked up after the early check and before the write: the
    admin disables the user right then, so the revocation is in flight when the write begins."""

    def __init__(self, db, name):
        from meldcode_tui.exports import builtin_formats

        super().__init__(builtin_formats())
        self.db, self.name = db, name

    def get(self, key, default=None):
        _disable(self.db, self.name)
        return super().get(key, default)


def test_an_export_in_flight_when_the_user_is_disabled_is_refused_inside_the_write(school):
    db, svc, case_id = school
    m = svc("bram", "member")
    before = _head(db)
    with pytest.raises(AccessRevoked):
        export_case(m, case_id, "markdown", formats=_DisablingFormats(db, "bram"))
    new = [e for e in _journal(db) if e.seq > before]
    # The disable itself, then the refusal; no case_exported (the write rolled back).
    assert [(e.actor, e.kind) for e in new] == [("beheerder", "user_disabled"), ("bram", "access_refused")]
    assert new[1].payload == {"action": "case_exported", "case": case_id, "role": "member"}


# --------------------------------------------------------------------------- imports

def test_a_coordinator_imports_and_nothing_is_refused(school, transfer):
    db, svc, _case_id = school
    c = svc("anouk", "coordinator")
    result = c.import_case(transfer)
    imported = [e for e in _journal(db) if e.kind == "case_imported"]
    assert [(e.actor, e.case_id) for e in imported] == [("anouk", result.case_id)]
    assert _refusals(db) == []
    assert c.verify().ok


@pytest.mark.parametrize("name,role", [("bram", "member"), ("dirk", "teacher"), ("eva", "auditor")])
def test_only_a_coordinator_imports_a_case_and_every_refusal_is_journalled(school, transfer, name, role):
    """An import makes a new case (the importer becomes its owner): before, a member, a
    teacher or an auditor could take one in -- the importer checked no role at all."""
    db, svc, _case_id = school
    s = svc(name, role)
    cases = svc("anouk", "coordinator").list_cases()
    before = _head(db)
    with pytest.raises(AccessDenied) as err:
        s.import_case(transfer)
    assert "Dit mag uw rol" in err.value.message
    # Refused before the file is read: a broken file gets the same answer, nothing about it.
    with pytest.raises(AccessDenied):
        s.import_case(b"geen overdrachtsbestand")
    new = [e for e in _journal(db) if e.seq > before]
    assert [(e.actor, e.kind, e.payload) for e in new] == [
        (name, "access_refused", {"action": "case_imported", "case": "", "role": role})] * 2
    assert svc("anouk", "coordinator").list_cases() == cases


def test_a_disabled_coordinator_cannot_import_and_the_refusal_is_journalled(school, transfer):
    db, svc, _case_id = school
    c = svc("anouk", "coordinator")
    _disable(db, "anouk")
    before = _head(db)
    with pytest.raises(AccessRevoked):
        c.import_case(transfer)
    new = [e for e in _journal(db) if e.seq > before]
    assert [(e.actor, e.kind, e.payload) for e in new] == [
        ("anouk", "access_refused", {"action": "case_imported", "case": "", "role": "coordinator"})]
    assert not [e for e in _journal(db) if e.kind == "case_imported"]


class _DisablingConfig:
    """The receiving school's [transfer] table, read after the early check and before the
    write: the admin disables the importing user right then."""

    def __init__(self, db, name):
        self.db, self.name = db, name

    @property
    def transfer_allowed_signers(self):
        _disable(self.db, self.name)
        return None

    transfer_require_signature = False


def test_an_import_in_flight_when_the_user_is_disabled_is_refused_inside_the_write(school, transfer):
    db, svc, _case_id = school
    c = svc("anouk", "coordinator")
    before = _head(db)
    with pytest.raises(AccessRevoked):
        c.import_case(transfer, config=_DisablingConfig(db, "anouk"))
    new = [e for e in _journal(db) if e.seq > before]
    assert [(e.actor, e.kind) for e in new] == [("beheerder", "user_disabled"), ("anouk", "access_refused")]
    assert new[1].payload == {"action": "case_imported", "case": "", "role": "coordinator"}
    assert not [e for e in _journal(db) if e.kind == "case_imported"]    # rolled back, all of it


def test_import_check_on_the_command_line_follows_the_same_rule(school, transfer, tmp_path):
    """`meldcode import --check` reads the database too ("already imported as MC-…", "this
    file comes from case MC-…"): the same role rule, refusals journalled."""
    db, svc, _case_id = school
    path = tmp_path / "overdracht.toml"
    path.write_bytes(transfer)

    def check(user):
        return subprocess.run([MELDCODE, "--db", str(db), "--user", user, "import", "--check", str(path)],
                              capture_output=True, text=True, timeout=60)

    ok = check("anouk")
    assert ok.returncode == 0, ok.stderr
    assert "Bestand in orde" in ok.stdout
    refused = check("dirk")
    assert refused.returncode == 1 and not refused.stdout
    assert "Dit mag uw rol (leerkracht) niet." in refused.stderr
    assert _refusals(db) == [("dirk", "case_imported", "", "teacher")]
