"""Over SSH every byte counts: the app in a real pseudo-terminal writes nothing at all while
nobody types (no cursor blink, no timer that repaints what did not change), on the dashboard
and in a text field; and what it does write for a key is only what changed (ui/wire.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.ptykit import PtyProgram, terminal_env

pytestmark = pytest.mark.slow
USER = "anouk"


@pytest.fixture
def demo_db(tmp_path):
    db, config = tmp_path / "school.sqlite", tmp_path / "config.toml"
    config.write_text(f'[access]\nall_cases = ["{USER}"]', encoding="utf-8")
    subprocess.run([sys.executable, "-m", "meldcode_tui", "--db", str(db), "--config", str(config),
                    "--user", USER, "demo"], check=True, capture_output=True, timeout=120)
    return [sys.executable, "-m", "meldcode_tui", "--db", str(db), "--config", str(config),
            "--user", USER]


def test_nothing_is_written_while_idle_on_the_dashboard_and_in_a_text_field(demo_db):
    app = PtyProgram(demo_db, cols=80, rows=24, env=terminal_env())
    try:
        app.wait_for("casussen")
        app.settle(2.0)     # the plugins load right after the first frame (ui/__init__.py)
        before = len(app.written)
        app.pump(5.0)
        assert len(app.written) == before, bytes(app.written[before:])[:200]

        app.send("n")                                   # the new-case form
        app.wait_for("Naam leerling")
        app.settle()
        for _ in range(4):                              # to its first text area (parents)
            app.send("\t")
            app.settle(0.5)
        app.settle()
        before = len(app.written)
        app.pump(5.0)
        assert len(app.written) == before, bytes(app.written[before:])[:200]

        # Typing still shows, through the layer that sends only changed cells.
        start = len(app.written)
        app.send("Sanne de Vries")
        app.wait_for("Sanne de Vries")
        app.settle(0.5)
        assert len(app.written) - start < 14 * 120, bytes(app.written[start:])
    finally:
        app.close()
