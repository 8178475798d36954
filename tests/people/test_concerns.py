"""A teacher logs a concern; it reaches the coordinators' inbox; taken into a case (signals
keep author and date) or answered "geen zorg nu". The teacher sees only her own concerns and
their status; never a case."""

from __future__ import annotations

import pytest

from meldcode_tui.admin import UserAdmin
from meldcode_tui.errors import AccessDenied, InputError
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

SIG = {"description": "Komt al dagen zonder jas (fictief)", "observed_on": "2026-11-20",
       "source": "own"}
OTHER = {"description": "Buurvrouw hoort geschreeuw (fictief)", "observed_on": "2026-11-18",
         "source": "other", "source_name": "Buurvrouw (fictief)"}


@pytest.fixture
def people(tmp_path):
    db = tmp_path / "school.sqlite"
    store = open_store(db, create=True)
    admin = UserAdmin(store, actor="beheerder")
    admin.add_user("anouk", "Anouk (fictief)", "coordinator")
    admin.add_user("dirk", "Meester Dirk (fictief)", "teacher")
    admin.add_user("fenna", "Juf Fenna (fictief)", "teacher")
    admin.add_user("bram", "Bram (fictief)", "member")
    store.close()
    made = []

    def svc(name, role):
        s = CaseService(open_store(db), actor=name, role=role)
        made.append(s)
        return s

    yield db, svc
    for s in made:
        s.store.close()


def test_concern_to_inbox_to_new_case(people):
    db, svc = people
    t, c = svc("dirk", "teacher"), svc("anouk", "coordinator")
    cid = t.log_concern("Lotte Peters (fictief)", [SIG, OTHER], group="6a")
    assert [x["concern_id"] for x in c.concern_inbox()] == [cid]
    assert [x["status"] for x in t.my_concerns()] == ["new"]
    case_id = c.take_concern(cid, date_of_birth="2015-04-01")
    assert c.concern_inbox() == []
    state = c.get_state(case_id)
    signals = [e for e in c.journal(case_id) if e.kind == "signal_recorded"]
    assert [(e.payload["observed_by"], e.payload["observed_on"], e.payload["source"])
            for e in signals] == [("Meester Dirk (fictief)", "2026-11-20", "own"),
                                  ("Meester Dirk (fictief)", "2026-11-18", "other")]
    assert state.pupil.name == "Lotte Peters (fictief)"
    mine = t.my_concerns()
    assert [(x["status"], x["case"]) for x in mine] == [("taken", "")]   # no case id for her
    assert t.list_cases() == []
    assert svc("fenna", "teacher").my_concerns() == []                    # only her own
    store = open_store(db)
    assert store.verify().ok
    store.close()


def test_two_coordinators_taking_one_concern_at_the_same_moment_make_one_case(people):
    """Both saw the concern as new (the check before the write passed for both); the write
    checks again, inside its transaction: the second is told it was handled, nothing of it
    is written (no second case, no signals twice)."""
    db, svc = people
    t = svc("dirk", "teacher")
    first, second = svc("anouk", "coordinator"), svc("anouk", "coordinator")
    cid = t.log_concern("Lotte Peters (fictief)", [SIG, OTHER], group="6a")
    seen_as_new = second._open_concern(cid)
    second._open_concern = lambda concern_id: seen_as_new      # the moment both looked
    case_id = first.take_concern(cid, date_of_birth="2015-04-01")
    head = second.store.checkpoint()
    with pytest.raises(InputError) as info:
        second.take_concern(cid, date_of_birth="2015-04-01")
    assert "al afgehandeld" in info.value.message
    assert second.store.checkpoint() == head
    assert [r["case_id"] for r in first.list_cases()] == [case_id]
    assert len([e for e in first.journal(case_id) if e.kind == "signal_recorded"]) == 2


def test_concern_into_a_known_case_and_geen_zorg_nu(people):
    db, svc = people
    t, c = svc("dirk", "teacher"), svc("anouk", "coordinator")
    case_id = c.create_case("Sem Bakker (fictief)", "2014-01-01", "7b").case_id
    first = t.log_concern("Sem Bakker (fictief)", [SIG])
    second = t.log_concern("Sem Bakker (fictief)", [OTHER])
    assert t.pupil_names() == ["Sem Bakker (fictief)"]
    assert c.take_concern(first, case_id) == case_id
    c.answer_concern(second, "Geen zorg nu: navraag gedaan, uitleg klopt (fictief)")
    assert [(x["status"], x["answer"]) for x in t.my_concerns()] == [
        ("taken", ""), ("answered", "Geen zorg nu: navraag gedaan, uitleg klopt (fictief)")]
    with pytest.raises(InputError):
        c.answer_concern(first, "Al opgepakt dus kan niet")


def test_only_coordinators_handle_the_inbox_and_bad_concerns_are_refused(people):
    db, svc = people
    t, m = svc("dirk", "teacher"), svc("bram", "member")
    cid = t.log_concern("Lotte Peters (fictief)", [SIG])
    for who in (t, m):
        with pytest.raises(AccessDenied):
            who.concern_inbox()
        with pytest.raises(AccessDenied):
            who.take_concern(cid, date_of_birth="2015-04-01")
        with pytest.raises(AccessDenied):
            who.answer_concern(cid, "Geen zorg nu want")
    with pytest.raises(InputError):
        t.log_concern("Lotte (fictief)", [])
    with pytest.raises(InputError):
        t.log_concern("Lotte (fictief)", [{**OTHER, "source_name": ""}])
    with pytest.raises(InputError):
        t.log_concern("Lotte\x1b[2J (fictief)", [SIG])
    store = open_store(db)
    refused = [(e.actor, e.payload["action"]) for e in store.events(case_id="toegang")]
    store.close()
    assert refused == [("dirk", "concern_inbox"), ("dirk", "concern_taken"), ("dirk", "concern_answered"),
                       ("bram", "concern_inbox"), ("bram", "concern_taken"), ("bram", "concern_answered")]
