"""Age rules: who the pre-report contact is with, computed from the date of birth on a date.

Under 12 the contact about a report is with the parents; from 12 to (not including) 16 with the
pupil and/or the parents; from 16 with the pupil.
"""

from __future__ import annotations

from datetime import date

PARENTS = "parents"
PUPIL_OR_PARENTS = "pupil_or_parents"
PUPIL = "pupil"


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def age_on(date_of_birth: date | str, on: date | str) -> int:
    """Age in whole years on ``on`` (a birthday on 29 February counts on 1 March in other years)."""
    dob, day = _as_date(date_of_birth), _as_date(on)
    years = day.year - dob.year
    if (day.month, day.day) < (dob.month, dob.day):
        years -= 1
    return years


def contact_rule(age: int) -> str:
    """Who the contact before a report must be with, for a pupil of ``age``."""
    if age < 12:
        return PARENTS
    if age < 16:
        return PUPIL_OR_PARENTS
    return PUPIL


def contact_satisfies(age: int, with_: list[str] | tuple[str, ...]) -> bool:
    """Whether a contact with ``with_`` (subset of pupil/parents) meets the age rule."""
    rule = contact_rule(age)
    if rule == PARENTS:
        return "parents" in with_
    if rule == PUPIL:
        return "pupil" in with_
    return bool(set(with_) & {"pupil", "parents"})

