from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from meldcode_tui.clock import SettableClock
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

DATA = Path(__file__).parent / "data"


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def make_service(db: Path, on: date = date(2026, 11, 2), *, role=None, actor="anouk") -> CaseService:
    clock = SettableClock(datetime(on.year, on.month, on.day, 9, tzinfo=timezone.utc))
    return CaseService(open_store(db, create=True), actor=actor, clock=clock, all_access=True,
                       role=role)


@pytest.fixture
def svc(db_path):
    service = make_service(db_path)
    yield service
    service.store.close()
