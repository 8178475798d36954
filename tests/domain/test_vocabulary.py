"""The words for codes, in one place (domain/vocabulary.py): every kind and every
stored code has its Dutch words; the screen, the record and the form may word them differently,
never by leaving a code unworded."""

from __future__ import annotations

import pytest

from meldcode_tui.domain import events as E
from meldcode_tui.domain import vocabulary as V
from meldcode_tui.domain.kinds import (case_file, consultation, conversations, privacy, reporting,
                                       signals, staff_route, weighing)
from meldcode_tui.exports import common as X
from meldcode_tui.ui import labels as U

CHOICE_TUPLES = {"SOURCES": signals, "CONSULTATION_KINDS": consultation, "PARTICIPANTS": conversations,
                 "EXCEPTIONS": conversations, "GROUNDS": conversations, "ANSWERS": weighing,
                 "ROUTED_TO": staff_route, "ACUTE_REPORTED_TO": reporting, "CLOSE_GROUNDS": case_file,
                 "VT_FEEDBACK_STAGES": reporting, "STAFF_RECORD_TYPES": staff_route,
                 "INZAGE_REQUESTERS": privacy, "INZAGE_OUTCOMES": privacy, "ERASURE_POLICIES": privacy}


@pytest.mark.parametrize("kind", sorted(E.KINDS))
def test_every_kind_has_a_title_and_a_screen_word_in_dutch(kind):
    """Before: the acute report and the staff route's records showed as their English code
    in the chronology (the TUI's own table lacked them)."""
    title, screen = V.kind_title(kind), U.kind_label(kind)
    assert title != kind and screen != kind
    assert "_" not in (title + screen).replace("authorized_keys", "")   # a file's name may stay
    assert len(screen) <= 28                   # the chronology's "Soort" column
    assert E.KINDS[kind].title == V.KIND_WORDS[kind].title
    assert X.kind_label(kind) == title         # a document prints the record's title


@pytest.mark.parametrize("name", sorted(CHOICE_TUPLES))
def test_every_stored_code_has_record_words(name):
    for code in getattr(CHOICE_TUPLES[name], name):
        assert code in V.CODE_WORDS, (name, code)
        assert "_" not in V.record_word(code), (name, code)


def test_form_options_come_from_the_vocabulary():
    assert dict(U.EXCEPTION_GROUNDS)["age"] == V.CODE_WORDS["age"].option
    # where no option wording is written, the record's, capitalised
    assert dict(U.CONSULTATION_KINDS)["colleague"] == "Deskundige collega"
    for options in (U.CONSULTATION_KINDS, U.EXCEPTIONS, U.EXCEPTION_GROUNDS, U.PARTICIPANTS):
        assert all(text[:1].isupper() for _code, text in options)


def test_other_means_something_else_per_field():
    assert V.record_word("other") == "andere bron"
    assert V.record_word("other", "kind") == "andere deskundige"
    assert X.value_label("other", "grounds") == "andere reden"
