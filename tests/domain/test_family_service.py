"""The family through the service and a real SQLite file: siblings linked both ways (journalled in
both cases), a reference recorded into the sibling's case, visibility respected."""

from __future__ import annotations

import pytest

from meldcode_tui.errors import InputError, NotFound
from tests.exports.conftest import make_service


@pytest.fixture
def family(tmp_path):
    db = tmp_path / "school.sqlite"
    svc = make_service(db, actor="anouk")
    a = svc.create_case("Noor Jansen (fictief)", "2015-05-17", "6a", "1001").case_id
    b = svc.create_case("Bram Jansen (fictief)", "2018-01-09", "3b", "1002").case_id
    yield svc, a, b, db
    svc.store.close()


def test_siblings_linked_both_ways_in_one_transaction(family):
    svc, a, b, _db = family
    before = svc.store.checkpoint()[0]
    svc.link_cases(a, b)
    assert svc.get_state(a).linked_cases == {b: "sibling"}
    assert svc.get_state(b).linked_cases == {a: "sibling"}
    kinds = [(e.seq, e.case_id, e.kind) for e in svc.store.events(after_seq=before)]
    assert kinds == [(before + 1, a, "case_linked"), (before + 2, b, "case_linked")]
    assert [x["case_id"] for x in svc.linked_cases(a)] == [b]
    with pytest.raises(Exception):
        svc.link_cases(b, a)  # once
    assert svc.store.checkpoint()[0] == before + 2


def test_reference_into_the_siblings_case(family):
    svc, a, b, _db = family
    svc.link_cases(a, b)
    signal = svc.record_signal(a, description="Vertelt dat er thuis hard wordt geschreeuwd, ook tegen het broertje.",
                               observed_on="2026-03-02", observed_by="Juf Mila (fictief)", source="own")
    seq = signal.signals[-1].seq
    state = svc.refer_to_linked(b, a, seq, "Het geschreeuw thuis geldt ook voor Bram.")
    ref = state.references[-1]
    assert ref.payload == {"source_case": a, "source_seq": seq, "source_kind": "signal_recorded",
                           "note": "Het geschreeuw thuis geldt ook voor Bram."}
    # The text stays in the source case: the reference names it, it does not copy it.
    assert "Vertelt dat er thuis" not in str(ref.payload)
    with pytest.raises(NotFound):
        svc.refer_to_linked(b, a, 9999, "Bestaat niet")
    c = svc.create_case("Kim de Boer (fictief)", "2016-02-02", "4a", "1003").case_id
    with pytest.raises(InputError, match="niet gekoppeld"):
        svc.refer_to_linked(c, a, seq, "Geen familie")


def test_a_colleague_sees_only_the_linked_case_she_may_see(family, tmp_path):
    svc, _a, b, db = family
    svc.all_access = True  # the aandachtsfunctionaris; Mila owns only her pupil's case
    a = svc.create_case("Lieke Jansen (fictief)", "2014-07-07", "7a", "1004", owner="mila").case_id
    svc.link_cases(a, b)
    mila = make_service(db, actor="mila")
    try:
        assert mila.get_state(a).linked_cases == {b: "sibling"}   # the fact is in her case ...
        assert mila.linked_cases(a) == []                          # ... but Bram's case is not shown
        with pytest.raises(NotFound):
            mila.link_cases(a, "MC-0009")                          # linking does not probe for cases
        with pytest.raises(NotFound):
            mila.refer_to_linked(a, b, 1, "Poging om Brams dossier te lezen")
    finally:
        mila.store.close()


def test_household_and_professionals(family):
    svc, a, _b, _db = family
    state = svc.add_household_member(a, name="Petra Jansen (fictief)", relation="parent", relation_detail="moeder",
                                     gezag="yes", phone="06-00000000", language="Pools", interpreter_needed=True)
    mother = state.household[-1]
    svc.add_professional(a, name="Sem Bakker (fictief)", organisation="Wijkteam Fictief", role="gezinscoach",
                         since="2026-01-05")
    svc.correct_record(a, mother.seq, {"phone": "06-11111111"}, "Nieuw nummer doorgegeven door moeder.")
    state = svc.get_state(a)
    assert state.household[-1].payload["phone"] == "06-11111111"
    assert state.professionals[-1].payload["organisation"] == "Wijkteam Fictief"
    svc.record(a, "household_member_left", {"target_seq": mother.seq, "reason": "Moeder woont elders"})
    assert svc.get_state(a).household == []
    assert svc.verify().ok


def test_melding_shows_the_household_and_the_network_and_advies_knows_their_names(family):
    from meldcode_tui.domain.anonymity import case_pattern, find_identifiers
    from meldcode_tui.exports import export_case

    svc, a, _b, _db = family
    svc.add_household_member(a, name="Petra Jansen (fictief)", relation="parent", relation_detail="moeder",
                             gezag="yes", phone="06-12345678", language="Pools", interpreter_needed=True)
    svc.add_professional(a, name="Sem Bakker (fictief)", organisation="Wijkteam Fictief", role="gezinscoach")
    text = export_case(svc, a, "melding").data.decode()
    part1 = text.split("### Leerling, ouders en huishouden", 1)[1].split("\n## ", 1)[0]
    assert "Petra Jansen (fictief)" in part1 and "moeder" in part1 and "Pools" in part1 and "Tolk nodig" in part1
    network = text.split("## 4. Ondersteunend netwerk", 1)[1].split("\n## ", 1)[0]
    assert "Sem Bakker (fictief)" in network and "Wijkteam Fictief" in network
    pattern = case_pattern(svc.get_state(a))
    for identifying in ("Bakker belde", "Moeder Petra", "bel 06-12345678"):
        assert find_identifiers(identifying, pattern), identifying


def test_melding_names_the_linked_children_the_exporter_may_see(family):
    from meldcode_tui.exports import export_case

    svc, _a, b, db = family
    svc.all_access = True
    a = svc.create_case("Lieke Jansen (fictief)", "2014-07-07", "7a", "1004", owner="mila").case_id
    svc.link_cases(a, b)
    text = export_case(svc, a, "melding").data.decode()
    family_part = text.split("## 2. Betrokkenen", 1)[1].split("\n## ", 1)[0]
    assert "Andere kinderen in het gezin" in family_part and "Bram Jansen (fictief)" in family_part and b in family_part
    mila = make_service(db, actor="mila")
    try:
        text = export_case(mila, a, "melding").data.decode()
    finally:
        mila.store.close()
    assert "Bram Jansen" not in text and b not in text


def test_one_family_melding_with_a_part_per_child_journalled_in_each_case(family):
    from meldcode_tui.exports import export_case

    svc, a, b, db = family
    c = svc.create_case("Kim Jansen (fictief)", "2019-10-10", "1a", "1005").case_id
    svc.link_cases(a, b)
    svc.link_cases(a, c)
    result = export_case(svc, a, "melding-gezin")
    text = result.data.decode()
    assert "voor het gezin (3 kinderen)" in text
    for name, case_id in (("Noor Jansen", a), ("Bram Jansen", b), ("Kim Jansen", c)):
        assert f"{name} (fictief) (casus {case_id})" in text
    parts = [text.index(f"Deel {i} van 3") for i in (1, 2, 3)]
    assert parts == sorted(parts)
    for case_id in (a, b, c):
        last = svc.journal(case_id)[-1]
        assert (last.kind, last.payload["format"]) == ("case_exported", "melding-gezin")
    assert svc.verify().ok
