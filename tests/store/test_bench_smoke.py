"""The benchmark tools still work (tiny sizes; the real benchmark is run by hand)."""

from __future__ import annotations

import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from meldcode_tui.store import open_store

BENCH = Path(__file__).resolve().parents[2] / "bench"

pytestmark = pytest.mark.slow


def test_make_board_db_and_bench_store_at_small_size(tmp_path):
    out = tmp_path / "board.sqlite"
    proc = subprocess.run([sys.executable, str(BENCH / "make_board_db.py"), "--cases", "25",
                           "--events", "600", str(out)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    with closing(open_store(out)) as store:
        result = store.verify()
        assert result.ok and result.count == 600
        assert len(store.case_rows()) == 25
        assert store.search("blauw") or store.search("ruzie")
    assert (out.stat().st_mode & 0o777) == 0o600
    proc = subprocess.run([sys.executable, str(BENCH / "bench_store.py"), str(out),
                           "--appends", "20", "--queries", "10"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "verify:" in proc.stdout and "appends" in proc.stdout
