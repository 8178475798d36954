"""Dates as Dutch readers write them (dd-mm-jjjj), and back: the one place for that format, so
the screens, the command line, the open points and the messages sent out never disagree."""

from __future__ import annotations

import re
from datetime import date, datetime

from ..errors import InputError
from ..i18n import _

FORMAT = "%d-%m-%Y"


def format_date(value) -> str:
    """A date, datetime or ISO date/timestamp as dd-mm-jjjj; empty stays empty, and text that is
    no ISO date is shown as it is (an imported record is never hidden for its spelling)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime(FORMAT)
    text = str(value)
    try:
        return date.fromisoformat(text[:10]).strftime(FORMAT)
    except ValueError:
        return text


def format_datetime(value: str) -> str:
    """An ISO UTC timestamp as 'dd-mm-jjjj uu:mm' in the server's local time."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return moment.astimezone().strftime(FORMAT + " %H:%M")


def parse_date(text: str, field: str | None = None) -> str:
    """dd-mm-jjjj or jjjj-mm-dd (also with / or .) as an ISO date; InputError naming ``field``."""
    text = (text or "").strip()
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        pass
    raise InputError(_("Geen geldige datum: gebruik dd-mm-jjjj of jjjj-mm-dd."), field=field)
