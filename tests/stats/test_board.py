"""The board: several schools' databases (one encrypted) side by side, read-only."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date

import pytest

from meldcode_tui.domain import figures as F
from meldcode_tui.domain.anonymity import MASKED, MIN_COUNT, SMALL, protect
from meldcode_tui.store import crypto, open_store

from .generate import YEAR, generate
from .independent import count

KEY = "een-fictieve-sleutel-voor-de-test"
PERIOD = F.school_year(date(YEAR, 9, 1))


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def schools(tmp_path_factory):
    if not crypto.available():
        pytest.skip("extra 'encrypted' (sqlcipher3) not installed")
    base = tmp_path_factory.mktemp("board")
    out = []
    for name, n, seed, key in (("De Linde", 120, 1, None), ("Het Anker", 40, 2, None),
                               ("De Regenboog", 80, 3, KEY)):
        path = base / f"{seed}.sqlite"
        store = open_store(path, create=True, key=key)
        generate(store, n, seed=seed)
        events = list(store.events())
        store.close()
        key_file = None
        if key:
            key_file = base / f"{seed}.key"
            key_file.write_text(key + "\n")
            os.chmod(key_file, 0o600)
        out.append((name, path, key_file, count(events, PERIOD.start.isoformat(), PERIOD.end.isoformat())))
    return out


def _args(schools):
    args = []
    for name, path, key_file, _c in schools:
        args += ["--school", f"{name}={path}" + (f":{key_file}" if key_file else "")]
    return args


def test_board_side_by_side_equals_the_independent_counts(schools):
    from click.testing import CliRunner

    from meldcode_tui.cli import main

    before = {p: _digest(p) for _n, p, _k, _c in schools}
    out = CliRunner().invoke(main, ["stats", "--year", str(YEAR), "--json", *_args(schools)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["schools"] == ["De Linde", "Het Anker", "De Regenboog"]
    act = next(t for t in data["tables"] if t["id"] == "activity")
    assert act["columns"][-1] == "totaal"
    grid = [[sum(v for (m, k, _mo), v in c.counts.items() if m == "activity" and k == key)
             for _n, _p, _k, c in schools] for key, _l in F.ACTIVITY]
    assert act["cells"] == protect(grid, column_totals=False)
    assert act["cells"][0] == ["120", "40", "80", "240"]
    closed = next(t for t in data["tables"] if t["id"] == "closed")
    keys = [*F.CLOSE_GROUNDS, "?"]
    grid = [[sum(v for (m, k, _mo), v in c.counts.items() if m == "closed" and k == key)
             for _n, _p, _k, c in schools] for key in keys]
    assert closed["cells"] == protect(grid)
    for t in data["tables"]:
        for row in t["cells"]:
            for value in (row[:1] if t["id"] == "durations" else row):
                assert value in (SMALL, MASKED) or int(value) >= MIN_COUNT
    # read-only: not a byte of any school's file changed, no journal line added
    assert {p: _digest(p) for _n, p, _k, _c in schools} == before


def test_board_config_file_and_text_output(schools, tmp_path):
    from click.testing import CliRunner

    from meldcode_tui.cli import main

    lines = ['[board]', 'name = "Stichting Fictief"', '']
    for name, path, key_file, _c in schools:
        lines += ["[[schools]]", f'name = "{name}"', f'db = "{path}"']
        if key_file:
            lines.append(f'key_file = "{key_file}"')
    cfg = tmp_path / "bestuur.toml"
    cfg.write_text("\n".join(lines) + "\n")
    out = CliRunner().invoke(main, ["stats", "--year", str(YEAR), "--board", str(cfg)])
    assert out.exit_code == 0, out.output
    assert "Cijfers Meldcode Stichting Fictief" in out.output and "De Regenboog" in out.output


def test_wrong_or_missing_key_and_a_foreign_file_give_one_dutch_line(schools, tmp_path):
    from click.testing import CliRunner

    from meldcode_tui.cli import main

    name, path, key_file, _c = schools[2]
    out = CliRunner().invoke(main, ["stats", "--school", f"{name}={path}"])
    assert out.exit_code != 0 and "versleuteld" in out.output and "Traceback" not in out.output
    wrong = tmp_path / "wrong.key"
    wrong.write_text("een-andere-sleutel-die-niet-past\n")
    os.chmod(wrong, 0o600)
    out = CliRunner().invoke(main, ["stats", "--school", f"{name}={path}:{wrong}"])
    assert out.exit_code != 0 and "sleutel" in out.output
    foreign = tmp_path / "other.sqlite"
    import sqlite3

    sqlite3.connect(foreign).execute("CREATE TABLE t(x)")
    out = CliRunner().invoke(main, ["stats", "--school", f"X={foreign}"])
    assert out.exit_code != 0 and "Traceback" not in out.output
    out = CliRunner().invoke(main, ["stats", "--school", "zonder-database"])
    assert out.exit_code != 0 and "NAAM=DATABASE" in out.output


def test_a_board_view_is_journalled_in_the_boards_own_database(schools, tmp_path):
    from click.testing import CliRunner

    from meldcode_tui.cli import main

    own = tmp_path / "bestuur.sqlite"
    open_store(own, create=True).close()
    out = CliRunner().invoke(main, ["--db", str(own), "stats", "--year", str(YEAR), "--csv", *_args(schools)])
    assert out.exit_code == 0, out.output
    store = open_store(own)
    events = list(store.events())
    store.close()
    assert [(e.case_id, e.kind) for e in events] == [("toegang", "figures_viewed")]
    assert events[0].payload == {"scope": "board", "period": f"{YEAR}-08..{YEAR + 1}-07",
                                 "output": "csv", "schools": 3}


def test_hostile_board_file_and_names_are_refused_or_neutralised(tmp_path):
    """A school name with a control or bidi character is refused (one Dutch line); one that a
    spreadsheet would run as a formula is written with a leading apostrophe in the CSV."""
    from click.testing import CliRunner

    from meldcode_tui.cli import main
    from meldcode_tui.exports.figures import render_csv

    db = tmp_path / "a.sqlite"
    store = open_store(db, create=True)
    generate(store, 10, seed=1)
    store.close()
    out = CliRunner().invoke(main, ["stats", "--school", f"De Linde\u202e={db}"])
    assert out.exit_code != 0 and "Traceback" not in out.output and "\u202e" not in out.output
    cfg = tmp_path / "bestuur.toml"
    cfg.write_text("[[schools]]\nname = 3\ndb = 'x'\n")
    out = CliRunner().invoke(main, ["stats", "--board", str(cfg)])
    assert out.exit_code != 0 and "School 1" in out.output
    cfg.write_text("dit is geen toml [")
    out = CliRunner().invoke(main, ["stats", "--board", str(cfg)])
    assert out.exit_code != 0 and "TOML" in out.output
    from meldcode_tui.service_layer.stats import School, board_figures

    figures = board_figures([School("=SUM(A1)", db)], PERIOD, date(YEAR + 1, 9, 1))
    assert ",'=SUM(A1)," in render_csv(figures).replace("\n", ",")
