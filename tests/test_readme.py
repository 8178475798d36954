"""The README is part of the product: its two setup commands exist exactly once each, and it
holds no control or bidi characters (a README is also printed to terminals)."""

from __future__ import annotations

import re
from pathlib import Path

from meldcode_tui.text_safety import bad_character

README = Path(__file__).resolve().parents[1] / "README.md"


def test_two_setup_commands_each_in_a_fenced_block():
    text = README.read_text(encoding="utf-8")
    for marker in ("<!-- setup:run -->", "<!-- setup:test -->"):
        assert text.count(marker) == 1, marker
        after = text.split(marker, 1)[1].lstrip("\n")
        block = re.match(r"```bash\n(.+?)\n```", after, re.S)
        assert block and block.group(1).count("\n") == 0, marker  # one command line
    assert "pytest" in text.split("<!-- setup:test -->", 1)[1].split("```")[1]


def test_no_control_or_bidi_characters():
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        assert bad_character(line) is None, f"README.md line {number}"
