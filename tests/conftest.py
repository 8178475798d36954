"""Shared fixtures. Per-area fixtures live in each folder's own conftest.py.

The fast subset (``pytest -m "not slow"``, README: Development) is chosen here, in one place,
by what a test uses rather than by a mark in each file: see ``pytest_collection_modifyitems``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent

# Whole folders or files whose every test starts something outside this process (a server, a
# terminal, the installed `meldcode` or a fresh interpreter) or drives a long scripted session.
# The reason goes into the mark, so `pytest -m slow --collect-only -q` can be read back.
SLOW_PATHS = {
    "ssh": "a real sshd on 127.0.0.1",
    "ui/test_tmux.py": "the real meldcode in tmux",
    "ui/test_tmux_textbook.py": "the real meldcode in tmux",
    "ui/test_type_ahead.py": "keys typed ahead into a running app, timing-bound",
    "ui/test_snapshots.py": "SVG snapshots of whole screens",
    "ui/test_walkthrough.py": "long scripted sessions through every screen",
    "ui/test_workflow.py": "the whole protocol in one scripted session",
    "ui/test_live.py": "two sessions, within-a-second waits",
    # Whole-app Pilot scripts that walk many screens or forms each (measured: together about
    # two thirds of the Pilot time); the other screens' Pilot tests stay in the fast subset.
    "ui/test_key_count.py": "every screen's keys counted in one app",
    "ui/test_case_keys.py": "every case key driven through the app",
    "ui/test_team_field.py": "long Pilot scripts",
    "ui/test_records.py": "a form per record kind through the app",
    "ui/test_stale_prompt.py": "two sessions through the app",
    "ui/test_drafts.py": "apps started and ended mid-form",
    "plugins/test_distributions.py": "plugins pip-installed into fresh venvs",
    "store/test_processes.py": "several processes on one file",
    "store/test_bench_smoke.py": "the benchmarks, small",
    "people/test_admin_users.py": "the installed meldcode in subprocesses",
    "privacy/test_leak.py": "the installed meldcode in subprocesses",
    "security/test_cli_messages.py": "the installed meldcode in subprocesses",
    "store/test_cli.py": "the installed meldcode in subprocesses",
    "ui/test_weighing_drafts.py": "apps started and ended mid-form",
    "ui/test_export_basis.py": "whole export dialogs through the app",
    "ui/test_stats_screen.py": "the figures, training and evaluation screens through the app",
    # One test of a file (path::name): a whole screen replayed through a terminal emulator.
    "ui/test_wire.py::test_the_layer_draws_what_textual_draws": "16 frames through a terminal emulator",
}

# Fixtures that start a server or a terminal.
SLOW_FIXTURES = {"ssh_server": "a real sshd on 127.0.0.1",
                 "snap_compare": "SVG snapshots of whole screens"}


def _slow_reason(item) -> str | None:
    try:
        rel = Path(str(item.path)).resolve().relative_to(_TESTS).as_posix()
    except ValueError:
        return None
    node = f"{rel}::{getattr(item, 'originalname', item.name)}"
    for path, reason in SLOW_PATHS.items():
        if rel == path or rel.startswith(path + "/") or node == path:
            return reason
    for name in getattr(item, "fixturenames", ()):
        if name in SLOW_FIXTURES:
            return SLOW_FIXTURES[name]
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "encrypted" in callspec.id.split("-"):
        # SQLCipher derives its key on every open; the same test's plain variant stays fast.
        return "the SQLCipher variant (key derivation on every open)"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("slow") is None:
            reason = _slow_reason(item)
            if reason is not None:
                item.add_marker(pytest.mark.slow(reason=reason))


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
