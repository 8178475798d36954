"""Snapshots of the main screens at 80x24 and 120x40, with a fixed clock and demo data.

Update with: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from .conftest import FIXED_TODAY, make_app, make_service

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def demo_app(db_path):
    from meldcode_tui.demo import create_demo

    svc = make_service(db_path)
    create_demo(svc, today=FIXED_TODAY)
    yield make_app(svc)
    svc.store.close()


def _case_in_step(app, step: int) -> str:
    rows = sorted(app.svc.list_cases(), key=lambda r: r["case_id"])
    for row in rows:
        if int(row["step"]) == step and row["status"] != "gesloten":
            return row["case_id"]
    return rows[0]["case_id"]


def _open(step: int, *keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_case(_case_in_step(pilot.app, step))
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_case_screen(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_open(3))


@pytest.mark.parametrize("size", SIZES)
def test_signal_picker(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_open(1, "s", "b", "l", "a", "u", "w"))


@pytest.mark.parametrize("size", SIZES)
def test_afwegingskader(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_open(4, "w"))


def _acute_from_dashboard():
    """Issue 11: '!' on the dashboard opens the acute melding form of the selected case."""
    async def run_before(pilot) -> None:
        from meldcode_tui.ui.forms import FormScreen

        await pilot.pause()
        await pilot.press("exclamation_mark")
        for _ in range(50):                 # the form opens after the case screen's first refresh
            await pilot.pause()
            if isinstance(pilot.app.screen, FormScreen):
                break
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_acute_form(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_acute_from_dashboard())
