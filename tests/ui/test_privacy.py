"""Data protection in the app: the pupil's leaving date from the case screen (D), also on a
closed case; the header warns while the school set no retention period."""

from __future__ import annotations

from textual.widgets import Static

from meldcode_tui.config import Config
from meldcode_tui.ui.app import MeldcodeApp
from meldcode_tui.ui.case import CaseScreen
from meldcode_tui.ui.forms import FormScreen

from .conftest import FIXED_TODAY
from .helpers import fill, form_error, open_case_screen

SIZE = (110, 36)


def _app(svc, config):
    return MeldcodeApp(svc, plugin_host=svc.plugins, actor=svc.actor, today=FIXED_TODAY,
                       refresh_seconds=3600, config=config)


async def test_leaving_date_on_a_closed_case_from_the_case_screen(svc):
    case_id = svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6", "").case_id
    svc.close_case(case_id, "other", "Zorg besproken en afgerond (fictief).")
    app = _app(svc, Config(retention_years=5, retention_reason="Reglement (fictief)"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title = str(app.screen.query_one("#dash-title", Static).render())
        assert "bewaartermijn" not in title                 # set: no warning
        await open_case_screen(pilot, app, case_id)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        fill(app, on="01-07-2099")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "toekomst" in form_error(app)                # refused in place, nothing written
        fill(app, on="15-07-2025", note="Naar het voortgezet onderwijs (fictief)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen), form_error(app)
    state = svc.get_state(case_id)
    assert state.closed and state.left_on == "2025-07-15"


async def test_header_warns_while_no_retention_period_is_set(svc):
    svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6", "")
    app = _app(svc, Config())
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        title = str(app.screen.query_one("#dash-title", Static).render())
        assert "geen bewaartermijn ingesteld" in title
