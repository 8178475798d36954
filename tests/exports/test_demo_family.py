"""The demo's family (case 6 and his sister, case 11) as Veilig Thuis receives it —
the melding checked section by section under the meldformulier's five headings, the family
melding with a part per child, and the PDF read back with pypdf."""

from __future__ import annotations

import hashlib
import io
import sys
from datetime import date
from pathlib import Path

import pytest

from meldcode_tui.demo import create_demo
from meldcode_tui.exports import builtin_formats, export_case

from .conftest import make_service

TODAY = date(2026, 6, 1)
BROTHER, SISTER = "MC-0006", "MC-0011"
PARTS = ("## 1. Melder", "## 2. Betrokkenen", "## 3. Melding", "## 4. Ondersteunend netwerk",
         "## 5. Overige informatie")


@pytest.fixture(scope="module")
def family(tmp_path_factory):
    svc = make_service(tmp_path_factory.mktemp("family") / "m.db", actor="demo", start=TODAY)
    create_demo(svc, today=TODAY)
    return svc


def _parts(text: str) -> dict[str, str]:
    """The melding cut at its five headings (in order; each present once)."""
    at = [text.index(h) for h in PARTS]
    assert at == sorted(at), "the five parts are out of order"
    assert all(text.count(h) == 1 for h in PARTS)
    return {h: text[a:b] for h, a, b in zip(PARTS, at, at[1:] + [len(text)])}


def test_demo_has_one_linked_family(family):
    rows = {r["case_id"]: r for r in family.list_cases()}
    assert rows[BROTHER]["family"] == [SISTER] and rows[SISTER]["family"] == [BROTHER]
    assert sorted(cid for cid, r in rows.items() if r["family"]) == [BROTHER, SISTER]
    sister = family.get_state(SISTER)
    refs = [r for r in sister.records_by_seq.values() if r.kind == "reference_recorded"]
    assert len(refs) == 1 and refs[0].payload["source_case"] == BROTHER


def test_melding_of_the_demo_family_part_by_part(family):
    text = family.export(BROTHER, "melding").data.decode("utf-8")
    warning = text.index("Let op: Veilig Thuis kan deze melding laten inzien")
    assert warning < text.index(PARTS[0])
    parts = _parts(text)

    melder = parts["## 1. Melder"]
    assert "**Naam:** demo" in melder and "**Functie:**" in melder

    betrokkenen = parts["## 2. Betrokkenen"]
    for fact in ("Sem de Boer (fictief)", "F-1006", "10 jaar",
                 "Ouder de Boer (fictief)", "**Gezag:** ja", "Lindelaan 1, Fictiefdorp", "06-00000001",
                 "Partner de Boer (fictief)", "stiefvader", "**Gezag:** nee", "**Tolk nodig:** ja", "Pools",
                 "### Andere kinderen in het gezin (gekoppelde casussen)", "Lotte de Boer (fictief)", SISTER):
        assert fact in betrokkenen, fact

    melding = parts["## 3. Melding"]
    own = melding[melding.index("### Eigen waarnemingen"):melding.index("### Waarnemingen van anderen")]
    assert "striemen op de rug gezien" in own
    assert "**Poptekening:** bovenrug (achterkant): blauwe plek" in own
    assert "onderrug (achterkant)" in own and "Drie striemen, rood, in een rij" in own
    assert "### Weging (afwegingskader)" in melding and "### Besluiten" in melding

    netwerk = parts["## 4. Ondersteunend netwerk"]
    for fact in ("Sem Bakker (fictief)", "Wijkteam Fictiefdorp", "gezinscoach",
                 "Dokter Yilmaz (fictief)", "Huisartsenpraktijk De Linde", "huisarts"):
        assert fact in netwerk, fact

    overig = parts["## 5. Overige informatie"]
    assert "Moeder is boos maar begrijpt het." in overig and "Bang voor gevolgen." in overig
    rec = next(r for r in family.get_state(BROTHER).records_by_seq.values() if r.kind == "attachment_added")
    _att, body = family.fetch_attachment(BROTHER, rec.seq)
    assert "Aantekening gymles (fictief)" in overig
    assert hashlib.sha256(body).hexdigest() in overig
    # Nothing of one part leaks into another: the professionals are not "betrokkenen".
    assert "Wijkteam Fictiefdorp" not in betrokkenen


def test_family_melding_has_a_part_per_child(family):
    text = family.export(BROTHER, "melding-gezin").data.decode("utf-8")
    assert text.startswith("# Melding aan Veilig Thuis voor het gezin (2 kinderen)")
    one = text.index("Deel 1 van 2 — casus " + BROTHER)
    two = text.index("Deel 2 van 2 — casus " + SISTER)
    assert one < two
    first, second = text[one:two], text[two:]
    assert all(h in first for h in PARTS) and all(h in second for h in PARTS)
    assert "Lotte de Boer (fictief)" in second and "onder de dekens" in second
    assert "onder de dekens" not in first
    # The sister's case journalled the export too (both are exported).
    assert family.journal(SISTER)[-1].kind == "case_exported"


def test_family_melding_as_pdf_read_back(family, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("fpdf")
    plugin_dir = Path(__file__).resolve().parents[2] / "plugins" / "meldcode-export-pdf"
    monkeypatch.syspath_prepend(str(plugin_dir))
    sys.modules.pop("meldcode_export_pdf", None)
    import meldcode_export_pdf

    formats = {**builtin_formats(), **{f.name: f for f in meldcode_export_pdf.meldcode_export_formats()}}
    result = export_case(family, BROTHER, "pdf", formats=formats)
    reader = pypdf.PdfReader(io.BytesIO(result.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    heads = [text.index(h[3:]) for h in PARTS]
    assert heads == sorted(heads)
    for fact in ("Sem de Boer", "Lotte de Boer", "Wijkteam Fictiefdorp", "bovenrug (achterkant): blauwe plek",
                 "Aantekening gymles"):
        assert fact in text, fact
    sys.modules.pop("meldcode_export_pdf", None)
