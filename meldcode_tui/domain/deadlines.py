"""Working days and the deadlines the Meldcode keeps.

Veilig Thuis aims to decide on a report within 5 working days and tells the reporter; the guide
flags the feedback as overdue after that. Working days skip weekends and the Dutch public holidays
(Nieuwjaarsdag, Pasen, Koningsdag, Bevrijdingsdag in lustrum years, Hemelvaart, Pinksteren, Kerst).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

VT_FEEDBACK_WORKING_DAYS = 5
# A deadline within this many days counts as "due" (shown prominently) rather than "info".
DUE_SOON_DAYS = 7


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    kings = date(year, 4, 27)
    if kings.weekday() == 6:  # Sunday -> Saturday before
        kings = date(year, 4, 26)
    days = {
        date(year, 1, 1),
        easter, easter + timedelta(days=1),
        kings,
        easter + timedelta(days=39),            # Hemelvaartsdag
        easter + timedelta(days=49), easter + timedelta(days=50),  # Pinksteren
        date(year, 12, 25), date(year, 12, 26),
    }
    if year % 5 == 0:
        days.add(date(year, 5, 5))              # Bevrijdingsdag, a day off in lustrum years
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, n: int) -> date:
    """The date ``n`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def vt_feedback_due(report_on: date | str) -> date:
    if isinstance(report_on, str):
        report_on = date.fromisoformat(report_on)
    return add_working_days(report_on, VT_FEEDBACK_WORKING_DAYS)


def severity_for(due: date, today: date) -> str:
    """"overdue" after the date, "due" within DUE_SOON_DAYS, else "info"."""
    if today > due:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due"
    return "info"

