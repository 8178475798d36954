"""Dashboard: demo data on first start, counts, sort, search, filters, help, palette."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import DataTable, Input

from meldcode_tui.ui.case_table import CaseTable

from meldcode_tui.ui.dialogs import HelpScreen
from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.dashboard import DashboardScreen, WelcomeScreen

from .conftest import FIXED_TODAY, make_app
from .helpers import open_case_screen

SIZE = (120, 40)


def _names(app) -> list[str]:
    """The pupil names shown, without the family mark."""
    from meldcode_tui.ui.dashboard import FAMILY_MARK

    table = app.screen.query_one(CaseTable)
    return [str(table.get_row_at(i)[0]).removeprefix(FAMILY_MARK) for i in range(table.row_count)]


async def test_empty_database_offers_demo_data(svc):
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one(CaseTable).row_count > 0
        strip = str(app.screen.query_one("#dash-strip").render())
        assert "Te laat" in strip and "Signalen" in strip


async def test_sort_search_filters_and_open(svc):
    from meldcode_tui.demo import create_demo

    create_demo(svc, today=FIXED_TODAY)
    rows = svc.list_cases()
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dash = app.screen
        assert isinstance(dash, DashboardScreen)
        open_count = len(_names(app))
        await pilot.press("g")                       # show closed ones too
        assert len(_names(app)) == len(rows) >= open_count
        before = _names(app)
        await pilot.press("s")                       # cycle sort: pupil name
        assert _names(app) == sorted(before, key=str.lower)
        await pilot.press("f")                       # step filter: step 1
        assert all(int(r["step"]) == 1 for r in dash.visible_rows())
        await pilot.press("f", "f", "f", "f", "f")   # back to all steps
        assert dash.step_filter is None
        await pilot.press("o")                       # only overdue
        assert all(r.get("overdue") for r in dash.visible_rows())
        await pilot.press("o")
        # Incremental search over what was written (full text) and names.
        first = rows[0]
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        app.focused.value = first["pupil_name"].split()[0]
        await pilot.pause()
        assert first["pupil_name"] in _names(app)
        await pilot.press("enter")                   # to the table
        await pilot.press("enter")                   # open
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_f1_lists_the_keys_of_the_screen_in_dutch(svc):
    svc.create_case("Sanne (fictief)", "2015-09-01", "6", "")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_case_screen(pilot, app, "MC-0001")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        descriptions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"Signaal", "Afwegen", "Melding", "Exporteren", "Journaal", "Terug"} <= descriptions
        assert not any("Focus" in d or "Copy" in d for d in descriptions)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)


async def test_palette_jumps_to_a_case_by_pupil_name(svc):
    svc.create_case("Sanne (fictief)", "2015-09-01", "6", "")
    svc.create_case("Daan (fictief)", "2012-01-01", "8", "")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        for ch in "Daan":
            await pilot.press(ch)
        await pilot.pause(0.5)
        await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case_id == "MC-0002"


async def test_dashboard_picks_up_changes_from_another_session(svc, db_path):
    from .conftest import make_service

    svc.create_case("Sanne (fictief)", "2015-09-01", "6", "")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(CaseTable).row_count == 1
        other = make_service(db_path, actor="collega")
        other.create_case("Daan (fictief)", "2012-01-01", "8", "", owner=svc.actor)
        other.store.close()
        app.screen.reload()                          # what the 30-second timer does
        await pilot.pause()
        assert app.screen.query_one(CaseTable).row_count == 2


async def test_a_broken_plugin_is_reported_at_start(svc):
    from meldcode_tui.config import Config
    from meldcode_tui.plugins import load_plugins

    class Broken:
        def meldcode_catalogues(self):
            raise RuntimeError("kapot")

    host = load_plugins(Config(), plugins=[("kapotte-plugin", Broken())])
    assert host.warnings()
    svc.plugins = host
    svc.create_case("Daan (fictief)", "2012-01-01", "8", "")
    app = make_app(svc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        # One short toast says there is something; the text is on the F9 screen,
        # and the header keeps the count after the toast is gone.
        assert any("F9" in n.message for n in app._notifications)
        assert not any("kapot" in n.message for n in app._notifications)
        assert "meldingen: 1" in str(app.screen.query_one("#dash-title").render())
        await pilot.press("f9")
        await pilot.pause()
        from meldcode_tui.ui.dialogs import MessagesScreen

        assert isinstance(app.screen, MessagesScreen)
        table = app.screen.query_one("#messages-table")
        assert "kapotte-plugin" in str(table.get_row_at(0)[2])
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MessagesScreen)


async def test_messages_screen_is_in_the_palette_and_says_when_there_is_nothing(svc):
    from meldcode_tui.ui.dialogs import MessagesScreen

    svc.create_case("Daan (fictief)", "2012-01-01", "8", "")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = [b.binding.description for b in app.screen.active_bindings.values()]
        assert "Meldingen" in names                  # so the palette lists it too
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, MessagesScreen)
        assert "Geen meldingen" in str(app.screen.query_one("#messages-none").render())


async def test_family_mark_and_the_other_route_apart(svc, db_path):
    """The demo family's two cases carry the family mark; a user who may see only
    one of them sees no mark (it would tell her the other case exists). The
    staff-route case is counted as 'Andere route', not under step 1, and the step filter
    leaves it out."""
    from meldcode_tui.demo import create_demo
    from meldcode_tui.ui.dashboard import FAMILY_MARK

    from .conftest import make_service

    create_demo(svc, today=FIXED_TODAY)
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        cells = {table.key_at(i): " ".join(map(str, table.get_row_at(i))) for i in range(table.row_count)}
        assert FAMILY_MARK + "Sem de Boer (fictief)" in cells["MC-0006"]
        assert FAMILY_MARK + "Lotte de Boer (fictief)" in cells["MC-0011"]
        assert sum(FAMILY_MARK in c for c in cells.values()) == 2
        strip = str(app.screen.query_one("#dash-strip").render())
        assert "Andere route: 1" in strip
        assert app.screen.counts["open"].get(1) == 2          # MC-0001 and the sister, not MC-0009
        await pilot.press("f")                                # step 1
        assert "MC-0009" not in {r["case_id"] for r in app.screen.visible_rows()}

    # A colleague in the sister's care team, not in case 6's, sees the sister's case only.
    svc.complete_step("MC-0011", 1, "Signaal vastgelegd.")
    svc.set_care_team("MC-0011", [{"role": "leerkracht", "name": "Meester Joris (fictief)",
                                   "user": "iemand-anders"}])
    other = make_service(db_path, actor="iemand-anders")
    rows = {r["case_id"]: r for r in other.list_cases()}
    assert "MC-0006" not in rows and rows["MC-0011"]["family"] == []
    app = make_app(other)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        assert not any(FAMILY_MARK in " ".join(map(str, table.get_row_at(i))) for i in range(table.row_count))


async def test_messages_screen_shows_plugin_text_without_control_characters(svc):
    """A plugin's warning is hostile text: escape sequences and bidi marks never reach the
    terminal through the Meldingen screen."""
    from meldcode_tui.config import Config
    from meldcode_tui.plugins import load_plugins
    from meldcode_tui.ui.dialogs import MessagesScreen

    class Hostile:
        def meldcode_catalogues(self):
            raise RuntimeError("kapot\x1b[2J\u202eneddiverb")

    svc.plugins = load_plugins(Config(), plugins=[("vijandige-plugin", Hostile())])
    svc.create_case("Daan (fictief)", "2012-01-01", "8", "")
    app = make_app(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, MessagesScreen)
        cell = str(app.screen.query_one("#messages-table").get_row_at(0)[2])
        assert "vijandige-plugin" in cell
        assert "\x1b" not in cell and "\u202e" not in cell
