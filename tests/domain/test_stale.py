"""No decision on a stale screen: ``record(..., expect_seq=N)`` refuses when someone recorded
something on the case after N (access-log events do not count), and says what was added."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from meldcode_tui.errors import ConcurrentEdit, StaleCase
from meldcode_tui.service import CaseService
from meldcode_tui.service_layer.unit_of_work import stale_records
from meldcode_tui.store import open_store

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=timezone.utc)
SIGNAL = dict(description="Blauwe plek op de arm (fictief)", observed_on="2026-03-10",
              observed_by="leerkracht", source="own", source_name="", contradicting=False,
              catalogue=None)


@pytest.fixture
def two(tmp_path):
    """Two sessions (two connections) on one file: the coordinator and a colleague."""
    path = tmp_path / "stale.sqlite"
    a = CaseService(open_store(path, create=True), actor="anna", clock=lambda: NOW, all_access=True)
    b = CaseService(open_store(path), actor="bas", clock=lambda: NOW, all_access=True)
    case_id = a.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a").case_id
    a.record_signal(case_id, **SIGNAL)
    yield a, b, case_id
    a.store.close()
    b.store.close()


def seen(svc, case_id) -> int:
    return svc.get_state(case_id).last_seq


INTENTS = {
    "complete_step": lambda s, c, e: s.complete_step(c, 1, "Signalen in kaart", expect_seq=e),
    "decision_recorded": lambda s, c, e: s.record(c, "decision_recorded", {
        "report_needed": True, "help_possible": False, "reason": "Melden nodig"}, expect_seq=e),
    "record_report": lambda s, c, e: s.record_report(c, on="2026-03-16", office="VT (fictief)",
                                                     reference="", summary="feiten",
                                                     reporter_disclosed_to_family=True, expect_seq=e),
    "close_case": lambda s, c, e: s.close_case(c, "other", "Verhuisd naar elders", expect_seq=e),
    "record_signal": lambda s, c, e: s.record_signal(c, expect_seq=e, **SIGNAL),
    "generic record": lambda s, c, e: s.record(c, "signal_recorded", dict(SIGNAL), expect_seq=e),
}


@pytest.mark.parametrize("intent", sorted(INTENTS))
def test_a_colleagues_record_after_the_screen_was_read_refuses_the_save(two, intent):
    a, b, case_id = two
    opened_on = seen(a, case_id)
    b.record_signal(case_id, **{**SIGNAL, "description": "Letsel aan de pols (fictief)"})
    head_before = a.store.checkpoint()
    with pytest.raises(StaleCase) as info:
        INTENTS[intent](a, case_id, opened_on)
    err = info.value
    assert isinstance(err, ConcurrentEdit)
    assert a.store.checkpoint() == head_before            # nothing written
    assert [(x["actor"], x["kind"]) for x in err.added] == [("bas", "signal_recorded")]
    assert err.added[0]["at"] and err.head == err.added[0]["seq"]
    assert "Letsel" not in str(err) and "Sanne" not in str(err)   # no content in the message
    assert case_id in str(err)


def test_with_the_new_seq_the_save_goes_through(two):
    a, b, case_id = two
    opened_on = seen(a, case_id)
    b.record_signal(case_id, **SIGNAL)
    with pytest.raises(StaleCase) as info:
        a.complete_step(case_id, 1, "", expect_seq=opened_on)
    state = a.complete_step(case_id, 1, "", expect_seq=info.value.head)   # "save anyway"
    assert 1 in state.steps_completed


def test_access_log_events_do_not_make_a_screen_stale(two):
    a, b, case_id = two
    opened_on = seen(a, case_id)
    b.open_case(case_id)                           # case_viewed by a colleague
    a.open_case(case_id)                           # and our own view
    b.export(case_id, "markdown") if b.plugins else None
    state = a.complete_step(case_id, 1, "", expect_seq=opened_on)
    assert 1 in state.steps_completed


def test_without_expect_seq_nothing_changes(two):
    a, b, case_id = two
    b.record_signal(case_id, **SIGNAL)
    assert a.record_signal(case_id, **SIGNAL).signals


def test_own_records_never_make_a_screen_stale(tmp_path):
    """Only others' records count: what the user recorded herself since the form opened (an
    exception through F2 from inside the form, or her own other terminal) is not "a colleague"
    and must not teach her to confirm the stale prompt without reading it."""
    path = tmp_path / "own.sqlite"
    a = CaseService(open_store(path, create=True), actor="anna", clock=lambda: NOW)
    a2 = CaseService(open_store(path), actor="anna", clock=lambda: NOW)
    case_id = a.create_case("Daan Jansen (fictief)", "2016-01-02", "5b").case_id
    opened_on = seen(a, case_id)
    a.record_signal(case_id, **SIGNAL)             # her own record, as F2 makes from a form
    a2.record_signal(case_id, **SIGNAL)            # same user, other terminal
    assert stale_records(a.journal(case_id), opened_on, "anna") == []
    a.check_not_stale(case_id, opened_on)
    a.record_signal(case_id, expect_seq=opened_on, **SIGNAL)
    b = CaseService(open_store(path), actor="bas", clock=lambda: NOW, all_access=True)
    b.record_signal(case_id, **SIGNAL)             # a colleague: that one counts, alone
    with pytest.raises(StaleCase) as info:
        a.record_signal(case_id, expect_seq=opened_on, **SIGNAL)
    assert [x["actor"] for x in info.value.added] == ["bas"]
    b.store.close()
    a.store.close()
    a2.store.close()


@pytest.mark.parametrize("past", [1, 10**22])
def test_an_expect_seq_nobody_saw_is_refused_for_every_caller(two, past):
    """A number after the case's last record (or below zero) cannot stand for "nothing changed
    since I looked": refused in the unit of work, for the TUI and the CLI alike."""
    from meldcode_tui.errors import InputError

    a, _b, case_id = two
    head = seen(a, case_id)
    for expect in (head + past, -1):
        with pytest.raises(InputError, match="het laatste record is") as info:
            a.complete_step(case_id, 1, "", expect_seq=expect)
        assert info.value.field == "expect_seq"
    assert 1 in a.complete_step(case_id, 1, "", expect_seq=head).steps_completed
