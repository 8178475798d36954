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


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "school.sqlite"
