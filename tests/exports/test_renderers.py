"""The ``markdown`` and ``melding`` exports, and that every export is an event in the journal."""

from __future__ import annotations

import pytest

from meldcode_tui.errors import NotFound, PluginError
from meldcode_tui.exports import builtin_formats, export_case
from meldcode_tui.exports.melding import melding_document
from meldcode_tui.plugins.exporting import ExportFormat

from .conftest import MOTHER, NEIGHBOUR, PUPIL, PUPIL_NUMBER, TEACHER
from .helpers import BASIS, do_export


@pytest.mark.parametrize("fmt", ["toml", "markdown", "melding", "advies"])
def test_every_export_is_journalled(svc, full_case, fmt):
    before = svc.journal(full_case)
    result = do_export(svc, full_case, fmt, **(BASIS if fmt == "toml" else {}))
    after = svc.journal(full_case)
    assert len(after) == len(before) + 1
    event = after[-1]
    assert event.kind == "case_exported"
    assert event.payload["format"] == fmt
    assert event.payload["title"]
    assert event.actor == svc.actor
    assert result.event.seq == event.seq
    assert result.journal_ref == f"{event.seq}:{event.hash[:16]}"
    assert result.journal_ref in result.data.decode()
    assert result.filename == f"{full_case}-{fmt}.{builtin_formats()[fmt].extension}"
    assert svc.verify().ok


def test_failing_renderer_leaves_no_event(svc, full_case):
    def broken(request):
        raise ValueError("kapot")

    formats = {"kapot": ExportFormat("kapot", "Kapot", "txt", "text/plain", broken)}
    before = svc.store.checkpoint()
    with pytest.raises(PluginError):
        export_case(svc, full_case, "kapot", formats=formats)
    assert svc.store.checkpoint() == before


def test_unknown_format_and_case(svc, full_case):
    with pytest.raises(NotFound):
        export_case(svc, full_case, "bestaat-niet")
    with pytest.raises(NotFound):
        export_case(svc, "MC-9999", "markdown")


def test_markdown_is_a_chronology(svc, full_case):
    svc.open_case(full_case)
    svc.open_case(full_case)
    text = do_export(svc, full_case, "markdown").data.decode()
    assert text.startswith(f"# Chronologie casus {full_case}")
    assert "## Verloop" in text
    # one entry per record, in journal order; access log summarised, not listed
    headings = [line for line in text.splitlines() if line.startswith("### #")]
    seqs = [int(h.split("#")[-1].split(" ")[0]) for h in headings]
    assert seqs == sorted(seqs)
    assert "Casus ingezien" not in text
    assert "De casus is 2 keer ingezien" in text
    # corrections are shown as corrections
    assert "### #5 · Correctie" in text
    assert "*(gecorrigeerd; oorspronkelijk:" in text
    assert "Gecorrigeerd in: #5" in text
    assert "Afwegingsvraag 2 beantwoord" in text


def test_melding_sections(svc, full_case):
    text = do_export(svc, full_case, "melding").data.decode()
    # The meldformulier's five parts, in order, each with its sections.
    order = ["# Melding aan Veilig Thuis", "## 1. Melder", "## 2. Betrokkenen", "### Leerling, ouders en huishouden",
             "## 3. Melding", "### Eigen waarnemingen", "### Waarnemingen van anderen",
             "### Gesprekken en consultaties", "### Weging (afwegingskader)", "### Besluiten",
             "## 4. Ondersteunend netwerk", "### Wat beschermt of het vermoeden tegenspreekt",
             "## 5. Overige informatie", "### Contact vooraf over de melding, bezwaren en open melden"]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)
    # First the warning and the names of colleagues and sources it holds.
    warning = text.index("Let op: Veilig Thuis kan deze melding laten inzien")
    assert warning < text.index("## 1. Melder")
    names_line = text[warning:].split("\n")[2]
    assert TEACHER in names_line and NEIGHBOUR in names_line and PUPIL not in names_line
    for fact in (PUPIL, MOTHER, PUPIL_NUMBER, "17 mei 2014", "Bang voor gevolgen op het werk.",
                 "Bescherming weegt zwaarder dan het bezwaar.", "Herhaald letsel: structurele onveiligheid."):
        assert fact in text
    own = text.index("### Eigen waarnemingen")
    other = text.index("### Waarnemingen van anderen")
    # the other source is named, in the others' section; own facts in their own
    assert own < text.index("Blauwe plekken op beide bovenarmen") < other
    assert text.index(NEIGHBOUR, own) > other   # (the names list at the top names her too)
    assert "feit dat het vermoeden tegenspreekt" in text
    # corrected text shown (the correction itself is referenced)
    assert "Blauwe plekken op beide bovenarmen — in de gymles gezien." in text
    assert TEACHER in text


def test_melding_document_is_data(svc, full_case):
    from meldcode_tui.plugins.exporting import ExportRequest
    from meldcode_tui.domain.case import fold

    events = svc.journal(full_case)
    doc = melding_document(ExportRequest(case=fold(events), events=events, journal_ref="1:abc",
                                         exported_at="2026-03-12T10:00:00.000000Z", actor="x"))
    assert doc.journal_ref == "1:abc"
    assert [s.part[:2] for s in doc.sections] == sorted(s.part[:2] for s in doc.sections)
    assert {s.part[:2] for s in doc.sections} == {"1.", "2.", "3.", "4.", "5."}
    weighing = next(s for s in doc.sections if s.title.startswith("Weging"))
    assert [b.heading.split(":")[0] for b in weighing.blocks] == ["Vraag 1", "Vraag 2", "Vraag 3"]


def test_builtin_plugin_registers_formats():
    from meldcode_tui.plugins import load_plugins

    formats = load_plugins().export_formats()
    assert {"toml", "markdown", "melding", "advies"} <= set(formats)


def test_other_reads_by_its_field(svc, full_case):
    """'other' is a source in a signal, an expert in a consultation, a reason for closing."""
    from meldcode_tui.domain.vocabulary import label

    assert label("other") == "andere bron"
    assert label("other", "grounds") == "andere reden"
    assert label("other", "kind") == "andere deskundige"
    svc.record_consultation(full_case, kind="other", with_whom="Schoolmaatschappelijk werk (fictief)",
                            on=svc.today().isoformat(), question="Wat zien jullie?", advice="Blijven volgen.")
    text = do_export(svc, full_case, "markdown").data.decode("utf-8")
    assert "andere deskundige" in text
    melding = do_export(svc, full_case, "melding").data.decode("utf-8")
    assert "andere deskundige" in melding


def test_melding_moves_a_withheld_source_to_not_for_the_family(svc, full_case):
    """The neighbour asked not to be named to the family: the protocol still wants the other source
    named in the melding, so her name and the reason move to the part 'Niet bestemd voor het gezin'
    (Veilig Thuis's form has such a part); everywhere else the melding points there."""
    svc.record(full_case, "source_withheld", {"name": NEIGHBOUR.upper(),
                                              "reason": "De buurvrouw vreest voor haar eigen veiligheid."})
    text = do_export(svc, full_case, "melding").data.decode()
    family_part, _sep, not_for_family = text.partition("## 6. Niet bestemd voor het gezin")
    assert not_for_family, "the part is missing"
    assert NEIGHBOUR not in family_part and NEIGHBOUR.upper() not in family_part
    assert "[bron: zie 'Niet bestemd voor het gezin']" in family_part
    assert "1 alleen in het deel 'Niet bestemd voor het gezin'" in family_part
    assert NEIGHBOUR.upper() in not_for_family and "vreest voor haar eigen veiligheid" in not_for_family
    assert TEACHER in text
    assert any(r.payload.get("name") == NEIGHBOUR.upper() for r in svc.get_state(full_case).records_by_seq.values()
               if r.kind == "source_withheld")
