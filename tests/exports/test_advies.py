"""The ``advies`` export: anonymised, or refused with the places that still identify."""

from __future__ import annotations

from datetime import date

import pytest

from meldcode_tui.domain.anonymity import name_terms, normalise
from meldcode_tui.exports.advies import AnonymisationError

from .conftest import FATHER, GROUP, MOTHER, NEIGHBOUR, PUPIL, PUPIL_NUMBER, TEACHER, make_service
from .helpers import do_export


def identifiers_of(state) -> list[str]:
    """Every name part and identifier of a case, as the advies must not show them."""
    names = [state.pupil.name] + [p.get("name", "") for p in state.parents]
    names += [m.get("name", "") for m in state.care_team]
    for rec in state.signals:
        names.append(rec.get("observed_by") or "")
        if rec.get("source") == "other":
            names.append(rec.get("source_name") or "")
    terms = set()
    for name in names:
        terms |= name_terms(name)
    terms |= {normalise(x) for x in (state.pupil.pupil_number, state.pupil.group, state.pupil.date_of_birth,
                                     state.case_id) if x}
    return sorted(terms)


def assert_anonymous(text: str, state) -> None:
    import re

    plain = normalise(text)
    for term in identifiers_of(state):
        assert not re.search(rf"(?<!\w){re.escape(term)}(?!\w)", plain), term


def test_name_terms():
    assert name_terms("Sanne de Vries (fictief)") == {"sanne de vries", "sanne", "vries"}
    assert name_terms("Meester Daan Kuipers") >= {"daan", "kuipers"}
    assert "meester" not in name_terms("Meester Daan Kuipers")
    assert name_terms("Els Jansen-Bos") >= {"els jansen-bos", "els", "jansen", "bos"}
    assert name_terms("Jo") == {"jo"}  # the full name always counts


def test_full_case_advies_has_no_identifiers(svc, full_case):
    result = do_export(svc, full_case, "advies")
    text = result.data.decode()
    state = svc.get_state(full_case)
    assert_anonymous(text, state)
    for raw in (PUPIL, MOTHER, FATHER, TEACHER, NEIGHBOUR, GROUP, PUPIL_NUMBER, "2014-05-17", full_case):
        assert raw not in text
    assert "dag 0" in text and "dag 1" in text
    assert "jaar (op dag 0)" in text
    assert result.journal_ref in text


def _refused_places(svc, case_id) -> list[str]:
    before = len(svc.journal(case_id))
    with pytest.raises(AnonymisationError) as info:
        do_export(svc, case_id, "advies")
    assert len(svc.journal(case_id)) == before  # no export event without an export
    message = str(info.value)
    assert "Noor" not in message and "noor" not in message  # places, never content
    return info.value.places


def test_first_name_in_notes_is_refused_with_the_place(svc, full_case):
    svc.review_help if False else None
    state = svc.record_signal(full_case, description="Juf hoorde NÓÓR zeggen dat ze bang is thuis.",
                              observed_on="2026-03-12", observed_by=TEACHER, source="own")
    seq = state.signals[-1].seq
    places = _refused_places(svc, full_case)
    assert places == [f"signaal #{seq} (omschrijving)"]
    svc.correct_record(full_case, seq, {"description": "De leerling zegt dat ze bang is thuis."},
                       "Naam verwijderd voor de adviesvraag.")
    text = do_export(svc, full_case, "advies").data.decode()
    assert "bang is thuis" in text
    assert_anonymous(text, svc.get_state(full_case))


@pytest.mark.parametrize("text", [
    "Gesprek met mevrouw Van den Berg over de zorgen.",   # surname part, any case
    "Kuipers zag het in de gymles.",                         # care team / observer
    "Leerlingnummer 4711-815 staat in het dossier.",          # pupil number
    "Alle kinderen van groep 7c waren erbij.",                # group name
    "Hoekstra belde de school.",                              # other source
])
def test_identifiers_in_free_text_are_refused(svc, full_case, text):
    state = svc.record_consultation(full_case, kind="colleague", with_whom="Intern begeleider",
                                    on="2026-03-12", question=text, advice="Geen.")
    seq = state.consultations[-1].seq
    assert _refused_places(svc, full_case) == [f"consultatie #{seq} (vraag)"]


def test_word_boundaries_do_not_overmatch(svc, full_case):
    # "Bergen" contains "berg"; "Smitje" contains "smit": neither is the name itself.
    svc.record_consultation(full_case, kind="colleague", with_whom="Intern begeleider", on="2026-03-12",
                            question="Past hulp uit Bergen op Zoom? Smitje is een hond.", advice="Ja.")
    assert do_export(svc, full_case, "advies")


def test_case_opening_note_with_first_name(tmp_path):
    svc = make_service(tmp_path / "n.sqlite")
    state = svc.create_case("Sanne de Vries (fictief)", "2016-04-03", "Groep 5a", "777",
                            note="Sanne is vaak moe en heeft blauwe plekken.")
    svc.record_signal(state.case_id, description="Blauwe plek op de wang.", observed_on="2026-03-02",
                      observed_by="Juf Anna Mol (fictief)", source="own")
    assert _refused_places(svc, state.case_id) == ["casus #1 (notitie)"]
    svc.store.close()


def test_every_demo_case_is_anonymised(tmp_path):
    demo = pytest.importorskip("meldcode_tui.demo")
    svc = make_service(tmp_path / "demo.sqlite")
    case_ids = demo.create_demo(svc, today=date(2026, 6, 1))
    refused = {}
    for case_id in case_ids:
        try:
            text = do_export(svc, case_id, "advies").data.decode()
        except AnonymisationError as exc:
            refused[case_id] = exc.places
            continue
        state = svc.get_state(case_id)
        assert_anonymous(text, state)
        assert demo.DEMO_SCHOOL not in text
    assert not refused, refused
    svc.store.close()
