"""Messages name fields in Dutch (the CLI shows them as they are); the key stays on the error."""

from __future__ import annotations

import pytest

from meldcode_tui.domain.events import validate
from meldcode_tui.domain.vocabulary import field_name
from meldcode_tui.errors import InputError


def test_field_names_are_dutch():
    assert field_name("observed_on") == "waargenomen op"
    assert field_name("changes.observed_on") == "waargenomen op"
    assert field_name("some_new_field") == "some new field"


def test_input_error_names_the_field_in_dutch_and_keeps_the_key():
    with pytest.raises(InputError) as info:
        validate("signal_recorded", {"description": "Blauwe plek", "observed_on": "2026-13-01",
                                      "observed_by": "juf (fictief)", "source": "own"})
    assert info.value.field == "observed_on"
    assert "waargenomen op" in info.value.message
    assert "observed_on" not in info.value.message
