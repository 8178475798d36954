"""The declared field lists of ``meldcode case kinds`` agree with the validators they describe:
every field a valid sample carries is declared, a required field's absence is refused by the
validator, an optional field's absence is not, and every recordable kind has a list."""

from __future__ import annotations

import pytest

from meldcode_tui.domain.events import KINDS, validate
from meldcode_tui.domain.intent_fields import (FIELDS, NOT_RECORDABLE, apply_setting, describe,
                                               recordable_kinds)
from meldcode_tui.errors import InputError

from .test_text_hygiene import SAMPLES


def test_every_recordable_kind_declares_its_fields():
    assert set(recordable_kinds()) == set(KINDS) - NOT_RECORDABLE
    assert set(FIELDS) == set(recordable_kinds()), "declare the fields of each new kind"


@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_declared_fields_match_the_validator(kind):
    sample = SAMPLES[kind]
    declared = {f.name: f for f in FIELDS[kind]}
    assert set(sample) <= set(declared), set(sample) - set(declared)
    for name, spec in declared.items():
        if name not in sample:
            continue
        without = {k: v for k, v in sample.items() if k != name}
        if spec.required:
            with pytest.raises(InputError):
                validate(kind, without)
        elif not spec.note:          # a conditional field ("verplicht bij …") may be required here
            validate(kind, without)


def test_describe_is_dutch_and_complete():
    d = describe("acute_report")
    assert d["title"] == "Acute melding"
    names = {f["name"]: f for f in d["fields"]}
    assert names["reported_to"]["type"] == "choices" and names["reported_to"]["required"]
    assert {c["value"] for c in names["reported_to"]["choices"]} == {
        "veilig_thuis_phone", "emergency_112", "police", "huisarts"}
    assert names["agreed"]["label"] == "afgesproken" and not names["reference"]["required"]


def test_settings_are_typed_and_typos_refused():
    p = apply_setting("conversation_recorded", {}, "purpose_explained=ja")
    p = apply_setting("conversation_recorded", p, "participants=pupil")
    p = apply_setting("conversation_recorded", p, "participants=parents")
    p = apply_setting("conversation_recorded", p, "parents_informed_beforehand=onbekend")
    assert p == {"purpose_explained": True, "participants": ["pupil", "parents"],
                 "parents_informed_beforehand": None}
    assert apply_setting("weighing_answered", {}, "question=2") == {"question": 2}
    assert apply_setting("signal_recorded", {}, "catalogue.signal_id=x-1") == {
        "catalogue": {"signal_id": "x-1"}}
    with pytest.raises(InputError) as info:
        apply_setting("report_made", {}, "ofice=Regio")
    assert info.value.field == "ofice"
    with pytest.raises(InputError):
        apply_setting("decision_recorded", {}, "report_needed=misschien")
    with pytest.raises(InputError):
        apply_setting("care_team_set", {}, "members=[niet json")
