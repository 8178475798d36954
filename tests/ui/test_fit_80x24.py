"""Nothing cut off at 80x24: the dashboard's header drops whole parts in order of importance,
and every body-map region name shows whole at 80 and 120 columns."""

from __future__ import annotations

import pytest

from meldcode_tui.ui.dashboard import fit_heading

WARNING = "geen bewaartermijn ingesteld ([retention])"
INBOX = " — zorgmeldingen: 3 nieuw (i)"
MESSAGES = "  meldingen: 2 (F9)"


@pytest.mark.parametrize("width", [40, 50, 60, 70, 78, 90, 118, 200])
def test_the_heading_drops_parts_whole_and_never_cuts_a_word(width):
    heading = fit_heading(width, "anouk", "07-12-2026", INBOX, MESSAGES, WARNING).plain
    assert len(heading) <= width
    assert heading.startswith("Meldcode — anouk")
    # Each part is there whole or not at all.
    for part in ("07-12-2026", INBOX, MESSAGES.strip()):
        assert part in heading or part.strip()[:12] not in heading
    assert WARNING in heading or "geen bewaartermijn ingesteld" in heading \
        or "bewaartermijn" not in heading
    if width >= 130:
        assert all(p.strip() in heading for p in (INBOX, MESSAGES, WARNING, "07-12-2026"))


def test_at_80_columns_the_warning_and_the_inbox_stay():
    heading = fit_heading(78, "anouk", "07-12-2026", INBOX, MESSAGES, WARNING).plain
    assert "geen bewaartermijn ingesteld" in heading and "zorgmeldingen: 3 nieuw" in heading


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_body_map_names_fit(svc, size):
    from meldcode_tui.domain.body_map import BY_ID, VIEWS
    from meldcode_tui.ui.body_map import BodyFigure, short_label
    from textual.app import App

    class Host(App):
        def compose(self):
            for view in VIEWS:
                yield BodyFigure(view, "chest", {r.id: 1 for r in BY_ID.values()}, id=f"fig-{view}")

    app = Host()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for view in VIEWS:
            figure = app.query_one(f"#fig-{view}", BodyFigure)
            text = figure.render().plain
            assert max(len(line) for line in text.splitlines()) <= size[0] - 8
            for region in (r for r in BY_ID.values() if r.view == view):
                assert f"{region.key}:{short_label(region)}" in text, region.id
