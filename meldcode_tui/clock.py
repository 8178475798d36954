"""Time for the whole app: the service clock, and the one timestamp format of the journal.

Below the service, the exports and the UI alike (they all format event times the same way), so
none of them has to borrow it from a layer above.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def format_at(moment: datetime) -> str:
    """An aware (or naive = UTC) datetime as the journal writes it: ISO 8601 UTC, microseconds, Z."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class SettableClock:
    """A clock for back-dated writes (demo data, tests): ``clock.set(date or datetime)``."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment

    def set(self, value: date | datetime, hour: int = 10, minute: int = 0) -> None:
        if not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day, hour, minute, tzinfo=timezone.utc)
        self.moment = value
