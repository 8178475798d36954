"""Hostile input, within bounds: every odd input gets its own Dutch line and a non-zero exit,
nothing hangs, nothing grows without bound (meldcode_tui/bounded_input.py).

The hang cases run the real command in a subprocess with a timeout: a regression shows up as
a failed test, not as a stuck run."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.demo import create_demo
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

MELDCODE = [sys.executable, "-m", "meldcode_tui"]


@pytest.fixture
def demo_db(db_path):
    store = open_store(db_path, create=True)
    create_demo(CaseService(store, actor="test-coordinator"))
    store.close()
    return db_path


def run(args, *, input=None, timeout=30, env=None):
    full_env = {**os.environ, "MELDCODE_USER": "test-coordinator", **(env or {})}
    return subprocess.run([*MELDCODE, *args], input=input, capture_output=True, timeout=timeout,
                          env=full_env)


def cli(db, *args, input=None):
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input)


def one_dutch_line(result) -> str:
    err = result.stderr if isinstance(result.stderr, str) else result.stderr.decode()
    assert "onverwachte fout" not in err and "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


# --- reading files: only regular ones, within a size limit -------------------------------

@pytest.mark.slow
def test_a_config_that_is_a_fifo_is_refused_without_hanging(tmp_path, demo_db):
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    result = run(["--config", str(fifo), "--db", str(demo_db), "case", "list"], timeout=20)
    assert result.returncode != 0
    assert "geen gewoon bestand" in one_dutch_line(result)


@pytest.mark.slow
def test_dev_zero_as_config_is_refused_without_reading_it(demo_db):
    result = run(["--config", "/dev/zero", "--db", str(demo_db), "case", "list"], timeout=20)
    assert result.returncode != 0
    assert "geen gewoon bestand" in one_dutch_line(result)


def test_a_huge_config_is_refused_by_its_size(tmp_path, demo_db):
    big = tmp_path / "config.toml"
    big.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    result = CliRunner().invoke(main, ["--config", str(big), "--db", str(demo_db), "case", "list"])
    assert result.exit_code != 0
    assert "te groot" in result.stderr


@pytest.mark.parametrize("doc", [
    "x = " + "[" * 100_000 + "]" * 100_000,
    "x = " + "[" * 40 + "]" * 40,          # below the recursion limit, above ours
])
def test_a_deeply_nested_config_is_refused(tmp_path, demo_db, doc):
    cfg = tmp_path / "config.toml"
    cfg.write_text(doc)
    result = CliRunner().invoke(main, ["--config", str(cfg), "--db", str(demo_db), "case", "list"])
    assert result.exit_code == 1
    assert "te diep genest" in result.stderr and "onverwachte" not in result.stderr


def test_a_transfer_file_with_an_unknown_top_level_key_is_refused(tmp_path, demo_db):
    from meldcode_tui.exports import export_case
    from tests.exports.helpers import BASIS

    store = open_store(demo_db)
    data = export_case(CaseService(store, actor="test-coordinator"), "MC-0001", "toml", **BASIS).data
    store.close()
    odd = tmp_path / "odd.toml"
    odd.write_bytes(b"unexpected_payload = \"x\"\n" + data)
    result = cli(demo_db, "import", str(odd), "--check")
    assert result.exit_code != 0
    assert "onbekend onderdeel" in result.stderr


def test_a_transfer_file_that_is_a_directory_or_fifo_is_refused(tmp_path, demo_db):
    result = cli(demo_db, "import", str(tmp_path), "--check")
    assert result.exit_code != 0 and "onverwachte" not in result.stderr
    fifo = tmp_path / "t.toml"
    os.mkfifo(fifo)
    result = cli(demo_db, "import", str(fifo), "--check")
    assert result.exit_code != 0 and "geen gewoon bestand" in result.stderr


# --- documents on standard input ----------------------------------------------------------

def test_a_lone_surrogate_in_json_is_named_by_its_field(demo_db):
    doc = '{"description": "\\ud800", "observed_on": "2026-01-01", "observed_by": "x", "source": "own"}'
    result = cli(demo_db, "case", "record", "MC-0001", "signal_recorded", "--json", "-", input=doc)
    assert result.exit_code == 1
    assert "description" in result.stderr and "surrogaat" in result.stderr
    assert "onverwachte" not in result.stderr


@pytest.mark.parametrize("fmt,doc", [
    ("json", "[" * 200_000 + "]" * 200_000),
    ("json", '{"a":' * 100_000 + "1" + "}" * 100_000),
    ("toml", "x = " + "[" * 100_000 + "]" * 100_000),
])
def test_deep_nesting_on_stdin_is_one_line(demo_db, fmt, doc):
    result = cli(demo_db, "case", "record", "MC-0001", "signal_recorded", f"--{fmt}", "-", input=doc)
    assert result.exit_code == 1
    assert "te diep genest" in result.stderr and "onverwachte" not in result.stderr


def test_invalid_utf8_on_stdin_names_the_byte(demo_db):
    result = CliRunner().invoke(main, ["--db", str(demo_db), "case", "record", "MC-0001",
                                       "signal_recorded", "--json", "-"], input=b'{"a": "\xff"}')
    assert result.exit_code == 1
    assert "geen UTF-8" in result.stderr and "byte 7" in result.stderr


@pytest.mark.parametrize("n", ["99999999999999999999999", "-1", "999999"])
def test_expect_seq_past_the_case_is_refused(demo_db, n):
    result = cli(demo_db, "case", "record", "MC-0001", "case_reopened", "--set", "reason=x" * 3,
                 "--expect-seq", n)
    assert result.exit_code == 1
    assert "--expect-seq" in result.stderr and "laatste record" in result.stderr


# --- odd databases -------------------------------------------------------------------------

def _stamp(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_a_schema_stamp_older_than_the_tables_is_named(demo_db):
    _stamp(demo_db, 5)
    result = cli(demo_db, "case", "list")
    assert result.exit_code == 3
    assert "schemanummer (5) past niet bij de tabellen" in result.stderr
    assert "onverwachte" not in result.stderr


def test_a_negative_schema_stamp_is_named(demo_db):
    _stamp(demo_db, -1)
    result = cli(demo_db, "case", "list")
    assert result.exit_code == 3
    assert "ongeldig schemanummer (-1)" in result.stderr


def test_a_text_file_as_database_is_not_called_encrypted(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("Dit is een boodschappenlijst, geen database.\n")
    result = cli(text, "case", "list")
    assert result.exit_code == 3
    assert "geen Meldcode-database" in result.stderr and "versleuteld (of" not in result.stderr


# --- values that passed but should not -----------------------------------------------------

@pytest.mark.parametrize("name", ["\u200b", "\u0301\u0302", " \u200b\u2060 "])
def test_a_name_of_only_invisible_characters_is_refused(demo_db, name):
    doc = json.dumps({"name": name, "date_of_birth": "2015-01-01"})
    result = cli(demo_db, "case", "new", "--json", "-", input=doc)
    assert result.exit_code == 1
    assert "onzichtbare tekens" in result.stderr


@pytest.mark.parametrize("years", ["1000000", "100000000000000000000"])
def test_an_absurd_retention_period_is_refused(tmp_path, demo_db, years):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[retention]\nyears = {years}\n")
    result = CliRunner().invoke(main, ["--config", str(cfg), "--db", str(demo_db), "retention"])
    assert result.exit_code == 1
    assert "0 tot en met 100" in result.stderr


@pytest.mark.parametrize("keys,expected", [
    ('"nonsense.id" = "ctrl+g"', "geen bekende actie"),
    ('"app.help" = ""', "heeft geen toets"),
    ('"app.help" = "ctrl+nonsense+blah"', "geen toets die de terminal"),
])
def test_a_keymap_that_cannot_work_stops_the_start(tmp_path, keys, expected):
    from meldcode_tui.config import load_config
    from meldcode_tui.errors import InputError
    from meldcode_tui.ui.keymap import checked_keymap

    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[keys]\n{keys}\n")
    with pytest.raises(InputError, match=expected):
        checked_keymap(load_config(cfg).extra["keys"])


def test_a_good_keymap_passes():
    from meldcode_tui.ui.keymap import checked_keymap

    assert checked_keymap({"app.help": "f2", "app.quit": "ctrl+q,ctrl+x"}) == {
        "app.help": "f2", "app.quit": "ctrl+q,ctrl+x"}


# --- transfer files a careful forger made consistent --------------------------------------

@pytest.fixture
def transfer(tmp_path):
    from tests.exports.conftest import build_full_case, make_service
    from tests.exports.helpers import BASIS, do_export, load

    svc = make_service(tmp_path / "a.sqlite", actor="test-coordinator")
    case_id = build_full_case(svc)
    doc = load(do_export(svc, case_id, "toml", **BASIS).data)
    svc.store.close()
    return doc


def test_a_transfer_with_an_event_far_in_the_future_is_refused(transfer):
    from meldcode_tui.exports.importer import check_case_file
    from meldcode_tui.exports.toml_format import ImportRefused
    from tests.exports.helpers import dump, rehash

    transfer["events"][1]["at"] = "9999-12-31T10:00:00.000000Z"
    with pytest.raises(ImportRefused, match="toekomst") as info:
        check_case_file(dump(rehash(transfer)))
    assert "events[1].at" in str(info.value)


def test_a_transfer_with_a_payload_field_case_record_would_refuse_is_refused(transfer):
    from meldcode_tui.exports.importer import check_case_file
    from meldcode_tui.exports.toml_format import ImportRefused, decode_value, encode_value
    from tests.exports.helpers import dump, rehash

    i = next(i for i, ev in enumerate(transfer["events"]) if ev["kind"] == "signal_recorded")
    payload = decode_value(transfer["events"][i]["payload"])
    payload["hidden_note"] = "niet via de app vastgelegd"
    transfer["events"][i]["payload"] = encode_value(payload)
    with pytest.raises(ImportRefused, match="onbekend veld") as info:
        check_case_file(dump(rehash(transfer)))
    assert f"events[{i}].payload.hidden_note" in str(info.value)
