"""The family melding carries the shared household (with gezag) and the professionals into every
child's part, each person once under their own name (seen: part 1 said 'Ouders/verzorgers: Niet
vastgelegd.' right above the two parents under a repeated heading; part 2 showed no household and
no professionals)."""

from __future__ import annotations

from meldcode_tui.exports import export_case

from tests.exports.conftest import make_service


def _parts(text: str) -> list[str]:
    return text.split("# Deel ")[1:]


def test_every_child_part_has_the_household_and_the_network_once(tmp_path):
    svc = make_service(tmp_path / "school.sqlite", actor="anouk")
    try:
        a = svc.create_case("Noor Jansen (fictief)", "2015-05-17", "6a", "1001").case_id
        b = svc.create_case("Bram Jansen (fictief)", "2018-01-09", "3b", "1002").case_id
        svc.link_cases(a, b)
        svc.add_household_member(a, name="Petra Jansen (fictief)", relation="parent", relation_detail="moeder",
                                 gezag="yes")
        svc.add_household_member(a, name="Karel Jansen (fictief)", relation="parent", relation_detail="vader",
                                 gezag="yes")
        svc.add_professional(b, name="Sem Bakker (fictief)", organisation="Wijkteam Fictief", role="gezinscoach")
        text = export_case(svc, a, "melding-gezin").data.decode()
    finally:
        svc.store.close()
    parts = _parts(text)
    assert len(parts) == 2
    for part in parts:
        assert part.count("#### Petra Jansen (fictief)") == 1 and part.count("#### Karel Jansen (fictief)") == 1
        assert part.count("#### Sem Bakker (fictief)") == 1
        assert "Niet vastgelegd." not in part and "Geen hulpverleners of netwerk vastgelegd." not in part
        assert "Huishouden en verwanten" not in part                 # no repeated generic heading
        assert "- **Gezag:** ja" in part
    # What comes from the sibling's case says so (its journal numbers are not this case's).
    assert "een andere casus van het gezin" in parts[1] and "een andere casus van het gezin" in parts[0]
