"""The family in the TUI (``n`` on a case), by keys: a household member, linking a sibling's
case (both ways, shown in the header), and "geldt dit ook voor …?" from a selected signal."""

from __future__ import annotations

from textual.widgets import DataTable

from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.forms import FormScreen

from .conftest import make_app
from .helpers import fill, form_error, open_case_screen

SIZE = (120, 40)


async def _menu(pilot, downs: int) -> None:
    await pilot.press("n")
    await pilot.pause()
    for _ in range(downs):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def _save(pilot, app) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    if isinstance(app.screen, FormScreen):  # a confirmation or a refusal
        raise AssertionError(form_error(app))


async def test_household_link_and_reference_by_keys(svc):
    a = svc.create_case("Noor Jansen (fictief)", "2015-05-17", "6a", "1001").case_id
    b = svc.create_case("Bram Jansen (fictief)", "2018-01-09", "3b", "1002").case_id
    svc.record_signal(a, description="Vertelt dat er thuis hard wordt geschreeuwd.", observed_on="2026-03-02",
                      observed_by="Juf Mila (fictief)", source="own")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, a)
        await _menu(pilot, 0)
        assert isinstance(app.screen, FormScreen)
        fill(app, name="Petra Jansen (fictief)", relation="parent", relation_detail="moeder", gezag="yes",
             phone="06-00000000")
        await _save(pilot, app)
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.state.household[-1].payload["gezag"] == "yes"

        await _menu(pilot, 3)
        fill(app, other_case=b)
        await _save(pilot, app)
        assert svc.get_state(b).linked_cases == {a: "sibling"}
        await pilot.pause()
        assert f"gezin: {b}" in str(app.screen.query_one("#case-header").render())

        table = app.screen.query_one("#chronology", DataTable)
        table.focus()
        signal_seq = svc.get_state(a).signals[-1].seq
        for row in range(table.row_count):
            table.move_cursor(row=row)
            if app.screen.selected_seq() == signal_seq:
                break
        await _menu(pilot, 4)
        fill(app, note="Bram is er ook bij als er geschreeuwd wordt.")
        await _save(pilot, app)
    ref = svc.get_state(b).references[-1].payload
    assert (ref["source_case"], ref["source_seq"]) == (a, signal_seq)


async def test_withhold_a_source_by_keys(svc):
    a = svc.create_case("Noor Jansen (fictief)", "2015-05-17", "6a", "1001").case_id
    svc.record_signal(a, description="De buurvrouw hoorde geschreeuw.", observed_on="2026-03-02",
                      observed_by="Juf Mila (fictief)", source="other", source_name="Ilse Hoekstra (fictief)")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, a)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app, name="Ilse Hoekstra (fictief)", reason="Zij vreest voor haar eigen veiligheid.")
        await _save(pilot, app)
    from meldcode_tui.exports import export_case

    # Named, with the reason, only in the part that is not for the family.
    family_part, _sep, not_for_family = export_case(svc, a, "melding").data.decode().partition(
        "## 6. Niet bestemd voor het gezin")
    assert "Ilse Hoekstra" not in family_part and "Ilse Hoekstra (fictief)" in not_for_family
