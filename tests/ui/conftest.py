"""UI test fixtures: a real SQLite file in tmp_path, a fixed clock, the real plugins."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

FIXED_NOW = datetime(2026, 3, 16, 10, 0, tzinfo=timezone.utc)
FIXED_TODAY = FIXED_NOW.date()
ACTOR = "test-coordinator"


def make_service(db_path, *, now: datetime = FIXED_NOW, actor: str = ACTOR):
    from meldcode_tui.config import Config
    from meldcode_tui.plugins import load_plugins
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    host = load_plugins(Config())
    store = open_store(db_path, create=True)
    return CaseService(store, actor=actor, plugins=host, clock=lambda: now)


def make_app(svc, today: date = FIXED_TODAY):
    from meldcode_tui.ui.app import MeldcodeApp

    return MeldcodeApp(svc, plugin_host=svc.plugins, actor=svc.actor, today=today,
                       refresh_seconds=3600)


@pytest.fixture
def svc(db_path):
    service = make_service(db_path)
    yield service
    service.store.close()


@pytest.fixture
def app(svc):
    return make_app(svc)
