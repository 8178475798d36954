"""The anonymous figures of one school: every figure equals an independent count from the
events, and every count under 5 is hidden in every output, also where a total would give it."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import random
import re
from datetime import date, datetime, timezone

import pytest

from meldcode_tui.clock import SettableClock
from meldcode_tui.domain import figures as F
from meldcode_tui.domain.anonymity import MASKED, MIN_COUNT, SMALL, protect
from meldcode_tui.errors import AccessDenied
from meldcode_tui.exports import figures as R
from meldcode_tui.service import CaseService
from meldcode_tui.service_layer.stats import FigureViews
from meldcode_tui.store import open_store

from .generate import YEAR, generate
from .independent import count

PERIOD = F.school_year(date(YEAR, 9, 1))
TODAY = date(YEAR + 1, 9, 1)


# --------------------------------------------------------------------------- suppression

def _completions(cells: list[list[str]], rows: int, cols: int):
    """Every table of data cells an attacker could fill in behind the published one (hidden
    '<5' is 0..4, hidden 'x' is 5 up to the grand total; totals as published or hidden within
    their own bounds)."""
    grand = cells[rows][cols]
    top = int(grand) if grand not in (SMALL, MASKED) else 40

    def domain(text):
        return (range(0, MIN_COUNT) if text == SMALL else range(MIN_COUNT, top + 1)
                if text == MASKED else [int(text)])

    def fits(text, value):
        return value in domain(text) if text in (SMALL, MASKED) else value == int(text)

    choices = [domain(cells[r][c]) for r in range(rows) for c in range(cols)]
    if math.prod(len(c) for c in choices) > 40_000:
        return None
    out = []
    for combo in itertools.product(*choices):
        grid = [list(combo[r * cols:(r + 1) * cols]) for r in range(rows)]
        full = [row + [sum(row)] for row in grid]
        full.append([sum(row[c] for row in full) for c in range(cols + 1)])
        if all(fits(cells[r][c], full[r][c]) for r in range(rows + 1) for c in range(cols + 1)):
            out.append(full)
    return out


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 2)])
def test_no_hidden_count_can_be_worked_out_from_the_totals(shape):
    """Brute force over everything consistent with the published table: each '<5' keeps at
    least two possible values (so no sum of shown cells and totals gives it back)."""
    rows, cols = shape
    rnd = random.Random(27 + rows * 10 + cols)
    checked = 0
    for _round in range(25):
        values = [[rnd.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 12]) for _c in range(cols)] for _r in range(rows)]
        cells = protect(values, column_totals=True)
        full = [row + [sum(row)] for row in values]
        full.append([sum(row[c] for row in full) for c in range(cols + 1)])
        # every count under 5 is shown as "<5"; a shown number is the true one
        for r in range(rows + 1):
            for c in range(cols + 1):
                if full[r][c] < MIN_COUNT:
                    assert cells[r][c] == SMALL
                elif cells[r][c] not in (SMALL, MASKED):
                    assert int(cells[r][c]) == full[r][c]
        seen: dict = {}
        completions = _completions(cells, rows, cols)
        if completions is None:
            continue
        checked += 1
        for grid in completions:
            for r in range(rows + 1):
                for c in range(cols + 1):
                    seen.setdefault((r, c), set()).add(grid[r][c])
        for (r, c), possible in seen.items():
            if cells[r][c] == SMALL:
                assert len(possible) >= 2, (values, cells, (r, c))
    assert checked >= 2


def test_a_single_small_cell_in_a_row_is_not_given_away_by_its_total():
    cells = protect([[3, 20, 30]], column_totals=False)
    assert cells[0][0] == SMALL
    assert cells[0].count(MASKED) == 1 and cells[0][1] == MASKED   # the smallest other cell
    assert cells[0][3] == "53"


# --------------------------------------------------------------------------- a generated school

@pytest.fixture(scope="module")
def school(tmp_path_factory):
    path = tmp_path_factory.mktemp("gen") / "school.sqlite"
    store = open_store(path, create=True)
    generate(store, 300, seed=7)
    # retention erased some payloads: those records still count, as "onbekend"
    events = list(store.events())
    hashes = [e.payload_hash for e in events]
    closed = [e for e in events if e.kind in ("case_closed", "signal_recorded", "consultation_recorded")
              and hashes.count(e.payload_hash) == 1][:60:3]
    for e in closed:
        store.erase_payload("beheerder", e.case_id, e.payload_hash, "bewaartermijn verstreken")
    yield store
    store.close()


def _service(store, role=None):
    svc = CaseService(store, actor="coordinator", role=role,
                      clock=SettableClock(datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=timezone.utc)))
    return svc


def test_every_count_equals_the_independent_count(school):
    raw = school.figure_counts(PERIOD.start.isoformat(), PERIOD.end.isoformat())
    expected = count(list(school.events()), PERIOD.start.isoformat(), PERIOD.end.isoformat())
    assert raw["counts"] == expected.counts
    assert {k: sorted(v) for k, v in raw["durations"].items()} == \
        {k: sorted(v) for k, v in expected.durations.items()}
    assert sorted(raw["deadlines"], key=repr) == sorted(expected.deadlines, key=repr)
    assert any(k[1] == "?" for k in raw["counts"])          # erased payloads counted as unknown


def test_published_tables_are_the_protected_independent_counts(school):
    figures = FigureViews(_service(school)).school_figures(PERIOD)
    expected = count(list(school.events()), PERIOD.start.isoformat(), PERIOD.end.isoformat())
    months = PERIOD.months
    act = figures.table("activity")
    grid = [[expected.counts.get(("activity", key, m), 0) for m in months] for key, _l in F.ACTIVITY]
    assert act.cells == protect(grid, column_totals=False)
    assert int(act.cells[0][-1]) == 300                      # cases opened in the school year
    closed = figures.table("closed")
    keys = [*F.CLOSE_GROUNDS, "?"]
    grid = [[expected.counts.get(("closed", k, m), 0) for m in months] for k in keys]
    assert closed.cells == protect(grid)
    consult = figures.table("consultations")
    keys = [*F.CONSULTATION_KINDS, "?"]
    grid = [[expected.counts.get(("consultation", k, m), 0) for m in months] for k in keys]
    assert consult.cells == protect(grid)
    dl = figures.table("deadlines")
    assert dl.cells == protect(F.deadline_grid(expected, PERIOD, TODAY))
    dur = figures.table("durations")
    step1 = sorted(expected.durations["step1"])
    assert dur.cells[0][0] == str(len(step1)) and dur.cells[0][2] == str(F.p90(step1))


def _cells_of_counts(figures):
    """Every published count cell (the durations' median and percentile are days, not people)."""
    for t in figures.tables:
        for row in t.cells:
            yield from (row[:1] if t.id == "durations" else row)


def test_every_count_under_five_is_hidden_in_every_output(school):
    figures = FigureViews(_service(school)).school_figures(PERIOD)
    cells = list(_cells_of_counts(figures))
    assert SMALL in cells and MASKED in cells
    for value in cells:
        assert value in (SMALL, MASKED) or int(value) >= MIN_COUNT
    data = json.loads(R.render_json(figures))
    for t in data["tables"]:
        for row in t["cells"]:
            for value in (row[:1] if t["id"] == "durations" else row):
                assert value in (SMALL, MASKED) or int(value) >= MIN_COUNT
    rows = list(csv.DictReader(io.StringIO(R.render_csv(figures))))
    dur = F.duration_table({}).title
    for r in rows:
        if r["tabel"] == dur and r["kolom"] != "casussen":
            continue
        assert r["waarde"] in (SMALL, MASKED) or int(r["waarde"]) >= MIN_COUNT
    for line in R.render_text(figures).splitlines():
        for token in re.findall(r"(?<![\w<>-])\d+(?![\w-])", line[28:]):
            if "dagen" not in line and not line.startswith(("Stap", "Besluit", "Melding")):
                assert int(token) >= MIN_COUNT, line


def test_no_name_no_case_number_no_day_in_any_output(school):
    figures = FigureViews(_service(school)).school_figures(PERIOD)
    for text in (R.render_text(figures), R.render_json(figures), R.render_csv(figures),
                 R.render_markdown(figures)):
        assert "MC-" not in text and "fictief" not in text.lower()
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_viewing_is_journalled_and_other_roles_are_refused(tmp_path):
    store = open_store(tmp_path / "s.sqlite", create=True)
    generate(store, 20, seed=3)
    svc = _service(store)
    FigureViews(svc).school_figures(PERIOD, output="json")
    last = list(store.events())[-1]
    assert (last.case_id, last.kind, last.actor) == ("toegang", "figures_viewed", "coordinator")
    assert last.payload == {"scope": "school", "period": "2025-08..2026-07", "output": "json",
                            "schools": 1}
    member = CaseService(store, actor="coordinator", role="member")
    member.role = "member"
    with pytest.raises(AccessDenied):
        FigureViews(member).school_figures(PERIOD)
    last = list(store.events())[-1]
    assert (last.kind, last.payload["action"]) == ("access_refused", "figures_viewed")
    store.close()


# --------------------------------------------------------------------------- the demo school

def test_demo_school_figures_equal_the_independent_count(tmp_path):
    from meldcode_tui.demo import create_demo

    store = open_store(tmp_path / "demo.sqlite", create=True)
    svc = CaseService(store, actor="coordinator")
    create_demo(svc)
    today = svc.today()
    period = F.months_period(f"{today.year - 2}-01", f"{today.year}-12")
    figures = FigureViews(svc).school_figures(period)
    expected = count(list(store.events()), period.start.isoformat(), period.end.isoformat())
    grid = [[expected.counts.get(("activity", key, m), 0) for m in period.months]
            for key, _l in F.ACTIVITY]
    assert figures.table("activity").cells == protect(grid, column_totals=False)
    assert figures.table("activity").cells[0][-1] == "11"      # the demo's eleven cases
    raw = store.figure_counts(period.start.isoformat(), period.end.isoformat())
    assert raw["counts"] == expected.counts
    for value in _cells_of_counts(figures):
        assert value in (SMALL, MASKED) or int(value) >= MIN_COUNT
    store.close()


def test_cli_stats_text_json_csv(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from meldcode_tui.cli import main

    db = tmp_path / "s.sqlite"
    store = open_store(db, create=True)
    generate(store, 60, seed=5)
    store.close()
    runner = CliRunner()
    out = runner.invoke(main, ["--db", str(db), "stats", "--year", str(YEAR), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["period"] == "schooljaar 2025-2026" and data["tables"][0]["cells"][0][-1] == "60"
    out = runner.invoke(main, ["--db", str(db), "stats", "--year", str(YEAR), "--csv"])
    assert out.exit_code == 0 and out.output.startswith("periode,tabel,rij,kolom,waarde")
    out = runner.invoke(main, ["--db", str(db), "stats", "--from", "2025-09", "--to", "2025-11"])
    assert out.exit_code == 0 and "sep t/m nov 2025" in out.output.replace("sep 2025", "sep")
    out = runner.invoke(main, ["--db", str(db), "stats", "--from", "2025-13"])
    assert out.exit_code != 0 and "periode" in out.output
