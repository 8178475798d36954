"""The Cijfers screen: reached from the dashboard by a key, journalled, snapshots."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meldcode_tui.ui.stats_screen import StatsScreen

from ..stats.generate import generate
from .conftest import make_app, make_service


def _plot_lines(screen, part: str) -> list[str]:
    widget = screen.query_one(f"#stats-{part}")
    return [widget.render_line(y).text for y in range(widget.size.height)]


def _screen_text(app) -> str:
    from textual.widgets import Static

    texts = [str(s.render()) for s in app.screen.query(Static)]
    for part in ("opened", "reports", "signals", "durations"):
        texts += _plot_lines(app.screen, part)
    return "\n".join(texts)


@pytest.fixture
def gen_app(db_path):
    svc = make_service(db_path)
    generate(svc.store, 150, seed=11)
    yield make_app(svc)
    svc.store.close()


async def test_c_opens_the_figures_and_each_view_is_journalled(gen_app):
    async with gen_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(gen_app.screen, StatsScreen)
        text = str(gen_app.screen.query_one("#stats-opened-title").render())
        assert "Casussen geopend per maand (totaal 150)" in text
        assert "MC-" not in _screen_text(gen_app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert "schooljaar 2024-2025" in str(gen_app.screen.query_one("#stats-title").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(gen_app.screen, StatsScreen)
    views = [e for e in gen_app.svc.store.events(case_id="toegang") if e.kind == "figures_viewed"]
    assert [v.payload["period"] for v in views] == ["2025-08..2026-07", "2024-08..2025-07"]
    assert {v.payload["output"] for v in views} == {"screen"}


async def test_a_zorgteam_member_gets_no_figures(gen_app):
    gen_app.svc.role = "member"
    gen_app.svc.session_status = lambda: None     # no user table in this test database
    async with gen_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(gen_app.screen, StatsScreen)
        assert gen_app.screen.__class__.__name__ == "DashboardScreen"


async def _open_figures(pilot):
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()


def test_snapshot_120x40(snap_compare, gen_app):
    assert snap_compare(gen_app, terminal_size=(120, 40), run_before=_open_figures)


def test_snapshot_80x24_no_color(snap_compare, db_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    svc = make_service(db_path)
    generate(svc.store, 150, seed=11)
    app = make_app(svc)
    assert app.no_color
    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=_open_figures)
    finally:
        svc.store.close()


async def test_training_register_in_the_tui(gen_app):
    async with gen_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        for text in ("Karin Dekker (fictief)", "Meldcode basis", "2025-10-02"):
            for ch in text:
                await pilot.press("space" if ch == " " else ch)
            await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        from textual.widgets import DataTable

        table = gen_app.screen.query_one("#trainings", DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)] == ["2025-10-02", "Karin Dekker (fictief)",
                                                          "Meldcode basis", ""]
    kinds = [e.kind for e in gen_app.svc.store.events(case_id="scholing")]
    assert kinds == ["training_recorded"]


async def test_the_auditor_reaches_the_figures_from_her_screen(gen_app):
    gen_app.svc.role = "auditor"
    gen_app.svc.session_status = lambda: None     # no user table in this test database
    async with gen_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        from meldcode_tui.ui.people_screens import AuditorScreen

        if not isinstance(gen_app.screen, AuditorScreen):
            gen_app.push_screen(AuditorScreen())
            await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(gen_app.screen, StatsScreen)
        assert "totaal 150" in str(gen_app.screen.query_one("#stats-opened-title").render())


async def test_the_yearly_evaluation_in_the_tui(gen_app):
    from meldcode_tui.ui.training_screen import EvaluationScreen

    async with gen_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(gen_app.screen, EvaluationScreen)
        assert "Casussen geopend: 150" in str(gen_app.screen.query_one("#evaluation-figures").render())
        for text in ("Vroeg overlegd", "Termijnen volgen", "4"):
            for ch in text:
                await pilot.press("space" if ch == " " else ch)
            await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(gen_app.screen, EvaluationScreen)
    [ev] = [e for e in gen_app.svc.store.events(case_id="JE-2025")]
    assert ev.kind == "meldcode_evaluation_recorded"
    assert ev.payload["went_well"] == "Vroeg overlegd" and ev.payload["hours_per_week"] == 4
    assert ev.payload["figures"]["Casussen geopend"] == "150"


def test_bars_are_drawn_from_the_shown_cells_only():
    from meldcode_tui.ui.stats_screen import STUB, bar_lines

    lines = bar_lines(["a", "b", "c"], ["<5", "x", "20"], width=40, label_width=4)
    assert lines[0] == f"a    {STUB} <5"            # a stub, never the true length
    assert lines[1] == "b    · x"
    assert lines[2].endswith(" 20") and lines[2].count("█") > 10


def test_plotted_values_are_the_shown_cells_only():
    from meldcode_tui.ui.stats_screen import shown_values

    assert shown_values(["<5", "x", "0", "17"]) == [0, 0, 0, 17]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_small_cell_is_never_drawn_as_a_bar_in_the_plots(gen_app, monkeypatch, size):
    """The category plot draws "<5" and hidden cells as nothing (plotext rounds bars up to whole
    rows: a long bar must not spill onto a small cell's row), next to a label saying "<5"."""
    from meldcode_tui.ui.stats_screen import BAR, HALF

    monkeypatch.setenv("NO_COLOR", "1")
    async with gen_app.run_test(size=size) as pilot:
        await _open_figures(pilot)
        await pilot.pause()
        signals = _plot_lines(gen_app.screen, "signals")
        cell = {line: line.split("┤")[0].split()[-1] for line in signals if "┤" in line}
        small = [line for line, c in cell.items() if c in ("<5", "x")]
        shown = [line for line, c in cell.items() if c.isdigit() and c != "0"]
        assert len(small) >= 10 and shown                # the generated school has both kinds
        assert all(BAR not in line for line in small)
        assert all(BAR in line for line in shown)
        months = "\n".join(_plot_lines(gen_app.screen, "reports"))
        assert "<5" in months and " 5 " in months           # each month's cell, as published
        durations = _plot_lines(gen_app.screen, "durations")
        assert any(BAR in line and HALF in line for line in durations)


def test_a_step_with_too_few_cases_is_labelled_not_drawn():
    from textual_plotext.plot import Plot

    from meldcode_tui.domain.figures import Table
    from meldcode_tui.ui.stats_screen import BAR, HALF, plot_durations

    table = Table("durations", "Duur", ["Stap 1 afgerond", "Melding (ook acuut)"],
                  ["casussen", "mediaan (dagen)", "90e percentiel (dagen)"],
                  [["12", "7", "12"], ["<5", "-", "-"]])
    plt = Plot()
    plot_durations(plt, table, 24)
    plt.plot_size(60, 8)
    lines = plt.uncolorize(plt.build()).splitlines()
    [step] = [line for line in lines if line.startswith("Stap 1")]
    [few] = [line for line in lines if line.startswith("Melding")]
    assert "7/12┤" in step and BAR in step and HALF in step
    assert "<5 cas.┤" in few and BAR not in few and HALF not in few


_cells = st.lists(st.one_of(st.sampled_from(["<5", "x", "0"]),
                            st.integers(5, 400).map(str)), min_size=1, max_size=20)


def _built(draw, rows: int, width: int) -> list[str]:
    from textual_plotext.plot import Plot

    plt = Plot()
    draw(plt)
    plt.plot_size(width, rows + 3)         # as the screen sizes the widget
    return plt.uncolorize(plt.build()).splitlines()


@settings(max_examples=60, deadline=None)
@given(cells=_cells, wide=st.booleans())
def test_each_row_bar_stands_next_to_its_own_label(cells, wide):
    """Whatever the figures: a "<5", hidden or 0 row has no bar on its line, no bar stands on a
    line without a label, and the largest figure has its bar (plotext places bars on its own
    grid: a plot of the wrong height put a long bar next to a "<5")."""
    from meldcode_tui.ui.stats_screen import BAR, plot_rows

    width, label_w = (116, 34) if wide else (76, 24)
    labels = [f"Categorie {i}" for i in range(len(cells))]
    lines = _built(lambda plt: plot_rows(plt, labels, cells, label_w), len(cells), width)
    rows = [line for line in lines if line.startswith("Categorie")]
    assert len(rows) == len(cells)
    for line in lines:
        if not line.startswith("Categorie"):
            assert BAR not in line
    for line, cell in zip(rows, cells):
        assert line.split("┤")[0].split()[-1] == cell
        if not cell.isdigit() or cell == "0":
            assert BAR not in line
    top = max((int(c) for c in cells if c.isdigit()), default=0)
    if top:
        assert BAR in rows[[c == str(top) for c in cells].index(True)]


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(st.one_of(st.sampled_from(["<5", "x", "0"]),
                                st.integers(5, 400).map(str)), min_size=12, max_size=12))
def test_each_month_bar_stands_over_its_own_month(cells):
    from meldcode_tui.ui.stats_screen import BAR, plot_months

    months = ["aug", "sep", "okt", "nov", "dec", "jan", "feb", "mrt", "apr", "mei", "jun", "jul"]
    from textual_plotext.plot import Plot

    plt = Plot()
    plot_months(plt, months, cells)
    plt.plot_size(76, 12)
    lines = plt.uncolorize(plt.build()).splitlines()
    ticks, base = lines[-1], next(line for line in lines if line.lstrip().startswith("0┤"))
    for month, cell in zip(months, cells):
        col = ticks.index(month) + 1                     # the middle of the month's name
        assert (base[col] == BAR) == (cell.isdigit() and cell != "0"), (month, cell)
