"""The pure parts: what a channel URL may show, the digest's shape, quiet days, item keys."""

from __future__ import annotations

from datetime import date

import pytest

from meldcode_tui.domain import notify as dn
from meldcode_tui.errors import InputError


@pytest.mark.parametrize("url, shown", [
    ("mailtos://relay-user:geheim@smtp.school.example:587?to=a@school.example", "mailtos://smtp.school.example"),
    ("json://hookuser:hookpass@127.0.0.1:8080/pad/geheim", "json://127.0.0.1"),
    ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "slack://…"),
    ("tgram://123456789:ABCdefGHI/987654321", "tgram://…"),
    ("workflows://prod-161.westeurope.logic.azure.com/ABCD/DEFG", "workflows://prod-161.westeurope.logic.azure.com"),
    ("ntfys://ntfy.school.example/onderwerp-geheim", "ntfys://ntfy.school.example"),
])
def test_a_channel_shows_its_scheme_and_host_never_a_secret(url, shown):
    assert dn.channel_summary(url) == shown


def test_channel_urls_are_checked():
    for bad in ("", "geen url", "mailto:x@y", "json://a\x1b[31m"):
        with pytest.raises(InputError):
            dn.check_channel_url(bad)
    assert dn.check_channel_url("  json://127.0.0.1/x ") == "json://127.0.0.1/x"


def test_digest_names_ids_kinds_dates_and_says_log_in():
    items = [dn.Item("ZG-0004", "concern_new"),
             dn.Item("MC-0042", "vt_feedback_overdue", date(2026, 11, 24), "17")]
    title, body = dn.digest(items)
    assert title == "Meldcode: 2 punten voor u"
    assert "- MC-0042: terugkoppeling van Veilig Thuis uitgebleven (24-11-2026)" in body
    assert "- ZG-0004: nieuwe zorgmelding van een leerkracht" in body
    assert body.rstrip().endswith("Log in om te lezen. Dit bericht bevat bewust geen namen of inhoud.")


def test_an_item_moved_to_a_new_date_is_a_new_item():
    a = dn.Item("MC-0001", "help_review_due", date(2026, 12, 1))
    b = dn.Item("MC-0001", "help_review_due", date(2026, 12, 15))
    assert a.key != b.key and a.key == dn.Item("MC-0001", "help_review_due", date(2026, 12, 1)).key


def test_quiet_days_weekend_and_dutch_holidays():
    assert dn.is_quiet_day(date(2026, 12, 5), ["weekend"])          # Saturday
    assert not dn.is_quiet_day(date(2026, 12, 5), [])
    assert dn.is_quiet_day(date(2026, 4, 27), ["feestdagen"])       # Koningsdag (Monday)
    assert not dn.is_quiet_day(date(2026, 4, 27), ["weekend"])
    assert not dn.is_quiet_day(date(2026, 4, 28), ["weekend", "feestdagen"])
