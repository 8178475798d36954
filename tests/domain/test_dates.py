"""dd-mm-jjjj: one formatter and one parser for the whole code (screens, command line, open
points, messages sent out), and no second copy of the format anywhere else."""

from __future__ import annotations

import pathlib
import re
import time
from datetime import date, datetime

import pytest

import meldcode_tui
from meldcode_tui.domain.dates import format_date, format_datetime, parse_date
from meldcode_tui.errors import InputError


def test_format_date_takes_dates_timestamps_and_iso_text():
    assert format_date("2026-03-05") == "05-03-2026"
    assert format_date("2026-03-05T10:14:00Z") == "05-03-2026"
    assert format_date(date(2026, 3, 5)) == "05-03-2026"
    assert format_date(datetime(2026, 3, 5, 23, 59)) == "05-03-2026"
    assert format_date(None) == "" and format_date("") == ""
    assert format_date("ergens in maart") == "ergens in maart"    # shown as it is, not hidden


def test_format_datetime_is_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    try:
        assert format_datetime("2026-07-01T10:14:00Z") == "01-07-2026 12:14"
        assert format_datetime("2026-01-01T10:14:00+00:00") == "01-01-2026 11:14"
        assert format_datetime("kapot") == "kapot"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize("text", ["5-3-2026", "05-03-2026", "5/3/2026", "05.03.2026", "2026-03-05",
                                  " 2026-3-5 "])
def test_parse_date_accepts_the_ways_people_write_it(text):
    assert parse_date(text) == "2026-03-05"


@pytest.mark.parametrize("text", ["31-02-2026", "2026-13-01", "5 maart", "", "05-03-26"])
def test_parse_date_refuses_with_the_field_named(text):
    with pytest.raises(InputError) as err:
        parse_date(text, field="observed_on")
    assert err.value.field == "observed_on"
    assert "dd-mm-jjjj" in str(err.value)


# Not copies: the pupil register's configurable *input* formats for a school's export, and the
# journal screen's stamps, which show the recorded UTC time to the second (as the chain has it).
NOT_COPIES = {"domain/dates.py", "domain/pupil_register.py", "ui/journal_screen.py"}


def test_no_other_copy_of_the_format():
    root = pathlib.Path(meldcode_tui.__file__).parent
    copies = []
    for path in root.rglob("*.py"):
        if str(path.relative_to(root)) in NOT_COPIES:
            continue
        text = path.read_text()
        if "%d-%m-%Y" in text or re.search(r"\[8:10\]\}-\{\w+\[5:7\]", text):
            copies.append(str(path.relative_to(root)))
    assert not copies
