"""Snapshots (80x24, 120x40) of the protocol's warnings and forms: the warning before a
conversation with the parents (a signal of honour-related violence).

Update with: pytest tests/ui/test_protocol_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from .conftest import make_app, make_service

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
TEAM = [{"role": r, "name": f"{r} (fictief)", "user": ""}
        for r in ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")]


@pytest.fixture
def danger_app(db_path):
    """A 14-year-old at step 3 with a catalogue signal of honour-related violence."""
    svc = make_service(db_path)
    cid = svc.create_case("Yara Demir (fictief)", "2011-09-01", group="3 havo").case_id
    svc.record_signal(cid, description="Vertelt dat de familie een partner heeft gekozen",
                      observed_on="2026-03-10", observed_by="mentor", source="own",
                      catalogue={"catalogue_id": "meldcode-basis", "signal_id": "mb-0120"})
    svc.record(cid, "step_completed", {"step": 1})
    svc.record(cid, "consultation_recorded", {"kind": "colleague", "with_whom": "IVP (fictief)",
                                              "on": "2026-03-11", "question": "Duiding",
                                              "advice": "Zorgteam"})
    svc.record(cid, "care_team_set", {"members": TEAM})
    svc.record(cid, "step_completed", {"step": 2})
    app = make_app(svc)
    app.case_under_test = cid
    yield app
    svc.store.close()


def _open(*keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_case(pilot.app.case_under_test)
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_conversation_danger_on_the_case(snap_compare, danger_app, size):
    assert snap_compare(danger_app, terminal_size=size, run_before=_open())


@pytest.mark.parametrize("size", SIZES)
def test_conversation_danger_in_the_form(snap_compare, danger_app, size):
    assert snap_compare(danger_app, terminal_size=size, run_before=_open("g"))


@pytest.mark.parametrize("size", SIZES)
def test_conversation_danger_proposed_exception(snap_compare, danger_app, size):
    assert snap_compare(danger_app, terminal_size=size, run_before=_open("u"))


@pytest.fixture
def reported_app(db_path, monkeypatch):
    """A case with a melding at Veilig Thuis: the structured feedback form, the export dialog (its
    default path under a fixed home folder, so the snapshot is the same on every machine)."""
    from .test_protocol_forms import reported_case

    monkeypatch.setenv("HOME", "/home/coordinator")
    svc = make_service(db_path)
    app = make_app(svc)
    app.case_under_test = reported_case(svc)
    yield app
    svc.store.close()


@pytest.mark.parametrize("size", SIZES)
def test_structured_feedback_form(snap_compare, reported_app, size):
    assert snap_compare(reported_app, terminal_size=size, run_before=_open("t"))


@pytest.mark.parametrize("size", SIZES)
def test_melding_completeness_check(snap_compare, reported_app, size):
    """'Is de melding compleet?' in the export dialog, on the melding format (the address, the
    gender, the parents and who has gezag are not on record in this case)."""
    assert snap_compare(reported_app, terminal_size=size, run_before=_open("x", "down", "down"))
