"""The leak search for messages: every pupil's and person's name, every date of birth, every
word anyone wrote in the database (less the message's own fixed phrasing) must be absent from a
message body. test_notify.py proves it finds the suite's leak needles (tests/privacy/test_leak.py)."""

from __future__ import annotations

import re
from datetime import date

from meldcode_tui.domain import notify as dn

def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


# The words every message may use: those of its own fixed phrasing (all kinds, a probe).
FIXED = _words(" ".join([*dn.digest([dn.Item("MC-0001", k, date(2026, 1, 2)) for k in dn.KIND_LABELS]),
                         *dn.digest([dn.Item("MC-0001", "concern_new")]), *dn.probe_message()]))


def needles(store) -> tuple[set[str], set[str]]:
    """(whole strings, words) of everything people wrote in the database: every pupil's and
    person's name, every date of birth (also as dd-mm-jjjj), every free text; the words less
    the message's own fixed phrasing. Users' display names are in the user table."""
    whole, words = set(), set()
    for e in store.events():
        for s in _strings(e.payload or {}):
            s = s.strip()
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
                whole |= {s, f"{s[8:10]}-{s[5:7]}-{s[:4]}"}
            elif " " in s and len(s) >= 6:
                whole.add(s)
            words |= _words(s)
    for u in store.users():
        whole.add(u["display_name"])
        words |= _words(u["display_name"])
    # Dates of birth are whole strings above; a due date shown in a message is not one.
    dobs = {e.payload["pupil"]["date_of_birth"] for e in store.events()
            if e.kind == "case_opened" and e.payload}
    assert dobs and whole and words   # the search has something to look for
    whole = {w for w in whole if not re.fullmatch(r"[\d-]+", w) or w in dobs
             or any(w == f"{d[8:10]}-{d[5:7]}-{d[:4]}" for d in dobs)}
    return whole, words - FIXED


def assert_content_free(body: str, store) -> None:
    whole, words = needles(store)
    low = body.lower()
    for s in whole:
        assert s.lower() not in low, s
    found = _words(body) & words
    assert not found, found
    assert "Log in om te lezen" in body or body == dn.probe_message()[1]


