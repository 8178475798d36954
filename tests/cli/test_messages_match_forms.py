"""Every refusal names the field as its form labels it and states the rule the form states."""

from __future__ import annotations

from meldcode_tui.domain.intent_fields import describe
from meldcode_tui.domain.rules import RULES


def test_the_exception_reason_rule_reads_the_same_everywhere():
    field = next(f for f in describe("exception_recorded")["fields"] if f["name"] == "reason")
    assert "drie woorden en 20 tekens" in field["note"]
    assert "drie woorden en 20 tekens" in str(RULES["exception_needs_written_reason"])


