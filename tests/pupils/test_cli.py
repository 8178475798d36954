"""`meldcode admin pupils load FILE|-` and `meldcode case new --pupil NUMMER` through the real
command on a real file."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.store import open_store

from .conftest import DATA


def run(db, *args, input=None):
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input)


def test_load_from_a_file_and_from_stdin(db_path):
    r = run(db_path, "admin", "pupils", "load", str(DATA / "parnassys_cp1252.csv"), "--system", "parnassys")
    assert r.exit_code == 0, r.output
    assert "nieuw 4, gewijzigd 0, verdwenen 0" in r.stdout
    r = run(db_path, "admin", "pupils", "load", "-", "--system", "parnassys",
            input=(DATA / "parnassys_cp1252_second.csv").read_bytes())
    assert r.exit_code == 0, r.output
    assert "nieuw 0, gewijzigd 1, verdwenen 1" in r.stdout


def test_broken_lines_exit_3_with_line_and_field(db_path):
    r = run(db_path, "admin", "pupils", "load", str(DATA / "somtoday_broken_line.csv"), "--system", "somtoday")
    assert r.exit_code == 3
    assert "regel 4, veld geboortedatum: geen geldige datum" in r.stdout
    assert "Dekker" not in r.output and "Mulder" not in r.output


def test_only_regular_files_and_a_size_limit(db_path, tmp_path):
    r = run(db_path, "admin", "pupils", "load", str(tmp_path), "--system", "parnassys")
    assert r.exit_code == 1 and "geen gewoon bestand" in r.output
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    r = run(db_path, "admin", "pupils", "load", str(fifo), "--system", "parnassys")
    assert r.exit_code == 1 and "geen gewoon bestand" in r.output
    link = tmp_path / "link.csv"
    link.symlink_to(DATA / "parnassys_cp1252.csv")
    r = run(db_path, "admin", "pupils", "load", str(link), "--system", "parnassys")
    assert r.exit_code == 1                               # no symlinks followed
    cfg = tmp_path / "c.toml"
    cfg.write_text("[pupils]\nsystem = \"parnassys\"\nmax_mb = 1\n")
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    r = CliRunner().invoke(main, ["--db", str(db_path), "--config", str(cfg), "admin", "pupils", "load", str(big)])
    assert r.exit_code == 1 and "groter dan 1 MB" in r.output


def test_case_new_from_the_register(db_path):
    run(db_path, "admin", "pupils", "load", str(DATA / "parnassys_cp1252.csv"), "--system", "parnassys")
    r = run(db_path, "case", "new", "--pupil", "1001", "--group", "Groep 5b")
    assert r.exit_code == 0, r.output
    case_id = r.stdout.strip()
    shown = json.loads(run(db_path, "case", "show", case_id, "--json").stdout)
    assert shown["pupil"]["group"] == "Groep 5b" and shown["pupil"]["pupil_number"] == "1001"
    store = open_store(db_path)
    events = list(store.events(case_id))
    text = json.dumps([e.payload for e in events], ensure_ascii=False)
    store.close()
    assert [e.kind for e in events].count("household_member_added") == 2
    assert "Sanne de Vries (fictief)" in text and "2016-03-12" in text
    assert "Lindelaan 4, 1234 AB Dorpstad" in text and '"gender": "female"' in text
    assert '"source": "ParnasSys"' in text and '"edited": ["group"]' in text
    assert "Groep 5b" in text
    assert '"gezag": "yes"' in text and '"phone": "06-11111111"' in text
    r = run(db_path, "case", "new", "--pupil", "9999")
    assert r.exit_code != 0 and "9999" in r.output
    r = run(db_path, "case", "new")
    assert r.exit_code != 0 and "--pupil" in r.output


def test_pupils_load_on_the_ssh_allow_list():
    import pytest as _pytest

    from meldcode_tui.cli.serve_cmds import CommandRefused, parse_remote

    assert parse_remote("pupils-load") == ("pupils-load", {"system": None})
    assert parse_remote("pupils-load --system magister") == ("pupils-load", {"system": "magister"})
    assert parse_remote("pupils-load --system=somtoday") == ("pupils-load", {"system": "somtoday"})
    for bad in ("pupils-load /etc/passwd", "pupils-load --system ../x", "pupils-load --system a b",
                "pupils-load --file x.csv", "pupils-load; sh", "pupils-load --system $(id)"):
        with _pytest.raises(CommandRefused):
            parse_remote(bad)


def test_case_from_the_register_warns_of_a_look_alike_case(db_path):
    """A hand-made case of the same child under a look-alike spelling (a Cyrillic "а") is named
    when the register's case is opened, as the plain `case new` does."""
    run(db_path, "admin", "pupils", "load", str(DATA / "parnassys_cp1252.csv"), "--system", "parnassys")
    typed = run(db_path, "case", "new", "--json", "-",
                input=json.dumps({"name": "S\u0430nne de Vries (fictief)", "date_of_birth": "2016-03-12"}))
    assert typed.exit_code == 0, typed.output
    r = run(db_path, "case", "new", "--pupil", "1001")
    assert r.exit_code == 0, r.output
    assert typed.stdout.strip() in r.stderr and "andere letters" in r.stderr
    assert r.stdout.strip() != typed.stdout.strip()
