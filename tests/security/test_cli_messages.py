"""Click's usage errors in Dutch; hostile --user refused; a closed stdout ends quietly; no
'onverwachte fout' for hostile or malformed input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main

MELDCODE = Path(sys.executable).parent / "meldcode"


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("args", [("case", "lis"), ("export", "--bla"), ("retention", "--years", "x"),
                                  ("serve",), ("export", "MC-0001", "-f")])
def test_usage_errors_are_dutch(args):
    result = run(*args)
    assert result.exit_code == 2
    text = result.output
    assert "Fout:" in text
    for english in ("Usage:", "Error:", "No such", "Missing", "Try '", "is not a valid", "requires"):
        assert english not in text, english


@pytest.mark.parametrize("user", ["a\x1b]0;x\x07", "anouk\u202e", "", "a b", "x" * 65, "anouk\n"])
def test_hostile_user_names_are_refused(user, tmp_path):
    """Abuse (the issue's): `--user` with an OSC sequence reached the terminal and every event."""
    db = tmp_path / "s.sqlite"
    result = run("--user", user, "demo", "--db", str(db))
    assert result.exit_code == 1
    assert "gebruikersnaam" in result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    result = run("serve", "--user", user, "--db", str(db))
    assert result.exit_code == 1


def test_closed_stdout_ends_quietly(tmp_path):
    db = tmp_path / "s.sqlite"
    subprocess.run([str(MELDCODE), "--db", str(db), "demo"], check=True, capture_output=True)
    proc = subprocess.run(f"'{MELDCODE}' --db '{db}' case list | head -1", shell=True,
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.startswith("MC-0001")
    assert proc.stderr == ""
    proc = subprocess.run(f"'{MELDCODE}' --db '{db}' export MC-0001 -f markdown | head -1", shell=True,
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.startswith("# Chronologie")
    assert "onverwachte fout" not in proc.stderr and "Broken" not in proc.stderr and "Traceback" not in proc.stderr


def test_config_unknown_key_wrong_type_non_utf8_and_table(tmp_path):
    """Abuse (the issue's): a typo `blok = [...]` silently left a blocked plugin loaded."""
    cases = {
        "blok.toml": ('[plugins]\nblok = ["kinderopvang"]\n', "'plugins.blok' (regel 2)"),
        "type.toml": ('[retention]\nyears_after_close = "twee"\n', "retention.years_after_close"),
        "table.toml": ('[school]\nname = { x = 1 }\n', "geen tabel"),
        "top.toml": ('[scool]\nname = "x"\n', "onbekende tabel"),
        "ctl.toml": ('[school]\nname = "OBS\\u001b]0;x\\u0007"\n', "U+001B"),
        "host.toml": ('[server]\nssh_host = "a; rm -rf ~"\n', "server.ssh_host"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_text(content)
        result = run("--config", str(path), "plugins")
        assert result.exit_code == 1, name
        assert expected in result.output, (name, result.output)
        assert "onverwachte fout" not in result.output
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('[school]\nname = "Basisschool De Linde"\n# caf\xe9\n'.encode("latin-1"))
    result = run("--config", str(bad), "plugins")
    assert result.exit_code == 1 and "UTF-8" in result.output and "regel 3" in result.output
