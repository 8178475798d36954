"""The separately installable ``meldcode-export-pdf`` plugin (plugins/meldcode-export-pdf).

The fast tests import the plugin from its source folder; the slow one pip-installs it into a
fresh venv and exports through the real ``meldcode`` command and plugin host.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

from meldcode_tui.exports import builtin_formats, export_case

from .conftest import PUPIL, build_full_case, make_service

PLUGIN_DIR = Path(__file__).resolve().parents[2] / "plugins" / "meldcode-export-pdf"

pytest.importorskip("fpdf", reason="fpdf2 is needed for the PDF plugin (test extra)")
pypdf = pytest.importorskip("pypdf")


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def pdf_plugin(monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGIN_DIR))
    sys.modules.pop("meldcode_export_pdf", None)
    import meldcode_export_pdf

    yield meldcode_export_pdf
    sys.modules.pop("meldcode_export_pdf", None)


def test_latin1_mapping(pdf_plugin):
    assert pdf_plugin.to_latin1("café — ‘zo’ … “ja” ő €") == "café - 'zo' ... \"ja\" o EUR"


@pytest.mark.parametrize("font", ["", "core"])
def test_pdf_of_the_melding(pdf_plugin, svc, full_case, monkeypatch, font):
    monkeypatch.setenv("MELDCODE_PDF_FONT", font)
    formats = {**builtin_formats(), **{f.name: f for f in pdf_plugin.meldcode_export_formats()}}
    result = export_case(svc, full_case, "pdf", formats=formats)
    assert result.data.startswith(b"%PDF")
    assert result.filename.endswith(".pdf")
    pages, text = pdf_text(result.data)
    assert "Noor van den Berg" in text
    assert "Pagina 1 van" in text and f"Pagina {pages} van {pages}" in text
    assert result.journal_ref in text
    assert "Eigen waarnemingen" in text
    # The meldformulier's five parts, in order, and the warning on the first page.
    parts = [text.index(p) for p in ("1. Melder", "2. Betrokkenen", "3. Melding", "4. Ondersteunend netwerk",
                                     "5. Overige informatie")]
    assert parts == sorted(parts)
    first = pypdf.PdfReader(io.BytesIO(result.data)).pages[0].extract_text()
    assert "Let op: Veilig Thuis kan deze melding" in first and "Namen van collega" in first
    reader = pypdf.PdfReader(io.BytesIO(result.data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert svc.journal(full_case)[-1].payload["format"] == "pdf"


def _parent_site_packages() -> list[str]:
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return sorted(p for p in paths if p and Path(p).is_dir())


@pytest.mark.slow
def test_pip_install_into_a_fresh_venv(tmp_path):
    env_dir = tmp_path / "venv"
    # system_site_packages only reaches the base interpreter's packages, not the ones of the
    # venv running the tests: a .pth file adds those (textual, fpdf2, meldcode_tui itself).
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site_dir = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
    lines = [f"import site; site.addsitedir({p!r})" for p in _parent_site_packages()]
    Path(site_dir, "_meldcode_test_parent.pth").write_text("\n".join(lines) + "\n")

    pip = [str(python), "-m", "pip", "install", "--no-deps", "--quiet"]
    if importlib.util.find_spec("wheel") is not None:
        pip.append("--no-build-isolation")  # everything needed is already here
    # Build from a copy: pip/setuptools write build/ and *.egg-info next to the sources.
    source = tmp_path / "meldcode-export-pdf"
    shutil.copytree(PLUGIN_DIR, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    proc = subprocess.run([*pip, str(source)], capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]

    db = tmp_path / "school.sqlite"
    svc = make_service(db, actor="test-coordinator")
    case_id = build_full_case(svc)
    svc.store.close()

    env = {**os.environ, "MELDCODE_USER": "test-coordinator", "MELDCODE_DB": str(db)}
    listed = subprocess.run([str(python), "-m", "meldcode_tui.cli", "export", "--list"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "pdf" in listed.stdout

    out = tmp_path / "melding.pdf"
    proc = subprocess.run([str(python), "-m", "meldcode_tui.cli", "export", case_id, "--format", "pdf",
                           "-o", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    pages, text = pdf_text(out.read_bytes())
    assert PUPIL.split(" (")[0] in text
    assert "Pagina 1 van" in text

    svc = make_service(db, actor="test-coordinator")
    event = svc.journal(case_id)[-1]
    svc.store.close()
    assert event.kind == "case_exported" and event.payload["format"] == "pdf"
    ref = f"{event.seq}:{event.hash[:16]}"
    assert ref in text

    check = textwrap.dedent("""
        import importlib.metadata as m
        print(m.version("meldcode-export-pdf"))
    """)
    version = subprocess.run([str(python), "-c", check], capture_output=True, text=True, env=env)
    assert version.stdout.strip() == "0.1.0"


def test_pdf_draws_the_body_map(pdf_plugin, svc, full_case):
    state = svc.get_state(full_case)
    seq = state.signals[0].seq
    svc.record(full_case, "body_mark_recorded", {"signal_seq": seq, "region": "arm_left", "what": "bruise",
                                                 "observed_on": "2026-03-02", "observed_by": "Meester (fictief)"})
    formats = {**builtin_formats(), **{f.name: f for f in pdf_plugin.meldcode_export_formats()}}
    result = export_case(svc, full_case, "pdf", formats=formats)
    _pages, text = pdf_text(result.data)
    assert "voorkant" in text and "achterkant" in text and "billen" in text   # both outlines drawn
    assert "arm links (voorkant): blauwe plek" in text
