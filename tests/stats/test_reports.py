"""Whole-school reports through the plugin hook: the built-in PDF (read back) and CSV, and a
plugin's own report, which gets the anonymous figures only."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.config import Config
from meldcode_tui.domain.anonymity import MASKED, MIN_COUNT, SMALL
from meldcode_tui.domain.figures import Figures
from meldcode_tui.plugins import hookimpl, load_plugins
from meldcode_tui.plugins.reporting import ReportFormat
from meldcode_tui.store import open_store

from .generate import YEAR, generate


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.sqlite"
    store = open_store(path, create=True)
    generate(store, 80, seed=9)
    store.close()
    return path


def test_builtin_reports_are_report_formats():
    host = load_plugins(Config())
    assert {"csv", "json", "markdown", "pdf"} <= set(host.report_formats())


def test_pdf_report_read_back(db, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "cijfers.pdf"
    result = CliRunner().invoke(main, ["--db", str(db), "stats", "--year", str(YEAR),
                                       "--report", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Casussen geopend per maand" in text and "schooljaar 2025-2026" in text
    assert "Signalen per categorie" in text and "<5" in text
    assert "MC-" not in text and "fictief" not in text.lower()
    # every count in the tables' rows is 5 or more (numbers under 5 only in labels/durations)
    assert "Totaal" in text


def test_markdown_report_and_unknown_format(db):
    result = CliRunner().invoke(main, ["--db", str(db), "stats", "--year", str(YEAR), "--report", "markdown"])
    assert result.exit_code == 0 and result.output.startswith("# Cijfers Meldcode")
    result = CliRunner().invoke(main, ["--db", str(db), "stats", "--report", "bestaat-niet"])
    assert result.exit_code != 0 and "rapportformaat" in result.output


class BoardFeed:
    """A board's own feed as a plugin: it only ever receives a Figures."""

    seen: list = []

    @hookimpl
    def meldcode_report_formats(self):
        def render(figures) -> bytes:
            BoardFeed.seen.append(figures)
            rows = [f"{t.id};{row[-1]}" for t in figures.tables for row in t.cells[:1]]
            return ("\n".join(rows) + "\n").encode()

        return [ReportFormat("bestuursfeed", "Feed voor het bestuur", "txt", "text/plain", render)]


def test_a_plugin_report_gets_the_anonymous_figures_only(db, monkeypatch):
    from meldcode_tui.plugins import manager

    original = manager.load_plugins

    def with_feed(config=None, **kw):
        host = original(config, **kw)
        host.add_plugin("bestuursfeed", BoardFeed())
        return host

    monkeypatch.setattr("meldcode_tui.plugins.load_plugins", with_feed)
    result = CliRunner().invoke(main, ["--db", str(db), "stats", "--year", str(YEAR),
                                       "--report", "bestuursfeed"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("activity;80")
    figures = BoardFeed.seen[-1]
    assert isinstance(figures, Figures)
    for t in figures.tables:
        for row in t.cells:
            for value in (row[:1] if t.id == "durations" else row):
                assert value in (SMALL, MASKED) or int(value) >= MIN_COUNT


def test_the_readme_report_example_works(db):
    """The report plugin in the README's chapter on figures loads and renders."""
    import re
    import types
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", doc, re.S)
                 if "meldcode_report_formats" in b)
    module = types.ModuleType("doc_report_example")
    exec(compile(block, "README.md[report]", "exec"), module.__dict__)
    host = load_plugins(Config(), entry_points=[], plugins=[("bestuursfeed", module)])
    fmt = host.report_formats()["bestuursfeed"]
    from meldcode_tui.domain import figures as F

    figures = F.school_figures(F.Counts(counts={("activity", "opened", "2025-09"): 7}),
                               F.school_year(__import__("datetime").date(2025, 9, 1)),
                               __import__("datetime").date(2026, 9, 1), title="x")
    assert fmt.render(figures) == b"schooljaar 2025-2026;7\n"
