"""Shared fixtures. Per-area fixtures live in each folder's own conftest.py."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path, monkeypatch):
    """No test touches the developer's real data or config, and every test speaks Dutch."""
    monkeypatch.delenv("MELDCODE_CONFIG", raising=False)
    monkeypatch.delenv("MELDCODE_DB", raising=False)
    monkeypatch.delenv("MELDCODE_LANG", raising=False)
    monkeypatch.setenv("MELDCODE_USER", "test-coordinator")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    yield


@pytest.fixture(autouse=True, scope="session")
def _pilot_waits_for_the_key_pipeline():
    """Pilot waits for the screen's queues after each key; the app also holds keys while the
    one before is still having its effects (meldcode_tui/ui/key_order.py). On a loaded machine
    a pause could end while a held key was still waiting: let the pilot wait for both."""
    import asyncio
    import time

    from textual.pilot import Pilot

    original = Pilot._wait_for_screen

    async def wait_for_screen(self, timeout: float = 30.0) -> bool:
        result = await original(self, timeout)
        deadline = time.monotonic() + timeout
        while getattr(self.app, "keys_pending", False) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
            result = await original(self, timeout)
        return result

    Pilot._wait_for_screen = wait_for_screen
    yield
    Pilot._wait_for_screen = original


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "school.sqlite"
