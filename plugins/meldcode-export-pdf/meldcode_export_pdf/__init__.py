"""Meldcode plugin: the ``pdf`` export format (the report for Veilig Thuis as an A4 PDF).

Renders :func:`meldcode_tui.exports.melding.melding_document` (the same sections the core
``melding`` text export prints) with fpdf2. Footer on every page: "Pagina X van Y" and the
export's journal reference.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from meldcode_tui.i18n import _
from meldcode_tui.plugins import hookimpl
from meldcode_tui.plugins.exporting import ExportFormat

__version__ = "0.1.0"

FONT_FAMILY = "MeldcodeSans"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)

# Typographic characters with a plain Latin-1 stand-in (used with the core font only).
LATIN1_MAP = {
    "\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2026": "...", "\u2022": "*", "\u00b7": "\u00b7", "\u20ac": "EUR", "\u2192": "->",
    "\u2190": "<-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "", "\u2122": "(TM)",
    "\u2264": "<=", "\u2265": ">=", "\u2248": "~", "\u00bd": "1/2",
}


def to_latin1(text: str) -> str:
    """Map text to Latin-1 for the PDF core fonts without losing letters: typographic
    characters get a stand-in, accented letters outside Latin-1 lose the accent, anything
    else becomes '?'."""
    out: list[str] = []
    for ch in str(text):
        if ch in LATIN1_MAP:
            out.append(LATIN1_MAP[ch])
            continue
        try:
            ch.encode("latin-1")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode("latin-1")
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def find_font() -> Path | None:
    """A Unicode TTF font, or None for the core-font fallback (``MELDCODE_PDF_FONT=core``)."""
    choice = os.environ.get("MELDCODE_PDF_FONT", "").strip()
    if choice.lower() in ("core", "none", "latin1"):
        return None
    if choice:
        path = Path(choice).expanduser()
        return path if path.is_file() else None
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    return None


def draw_body_map(pdf, family: str, clean, marked: set[str]) -> None:
    """The poptekening: front and back side by side, each region a box on the body's grid
    (``domain/body_map.py``), the marked ones filled and labelled."""
    from meldcode_tui.domain.body_map import REGIONS, VIEWS

    cell_w, cell_h, gap = 15.0, 6.0, 12.0
    height = 8 * cell_h + 8
    if pdf.get_y() + height > pdf.h - 25:
        pdf.add_page()
    top = pdf.get_y() + 5
    pdf.set_font(family, "", 6.5)
    for v, view in enumerate(("front", "back")):
        left = pdf.l_margin + v * (5 * cell_w + gap)
        pdf.set_xy(left, top - 5)
        pdf.cell(5 * cell_w, 4, clean(_(VIEWS[view])), align="C")
        for region in (r for r in REGIONS if r.view == view):
            x, y = left + region.col * cell_w, top + region.row * cell_h
            filled = region.id in marked
            pdf.set_fill_color(200, 40, 40) if filled else pdf.set_fill_color(255, 255, 255)
            pdf.set_text_color(255, 255, 255) if filled else pdf.set_text_color(60, 60, 60)
            pdf.rect(x + 0.5, y + 0.5, cell_w - 1, cell_h - 1, style="DF")
            pdf.set_xy(x + 0.5, y + 1)
            pdf.cell(cell_w - 1, cell_h - 2, clean(_(region.label).replace(" (achter)", ""))[:14], align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, top + 8 * cell_h + 2)


def render_pdf(request) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from meldcode_tui.exports.melding import melding_document

    doc = melding_document(request)
    font_path = find_font()
    clean = (lambda s: str(s)) if font_path else to_latin1
    footer_ref = doc.journal_ref

    class MeldingPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font(family, "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, clean(_("Journaal: {ref}", ref=footer_ref)), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, clean(_("Pagina {page} van {total}", page=self.page_no(), total="{nb}")),
                      align="R")

    pdf = MeldingPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_title(clean(doc.title))
    pdf.set_creator("meldcode-export-pdf")
    if font_path:
        family = FONT_FAMILY
        pdf.add_font(family, "", str(font_path))
        bold = font_path.with_name(font_path.stem + "-Bold" + font_path.suffix)
        pdf.add_font(family, "B", str(bold if bold.is_file() else font_path))
    else:
        family = "Helvetica"
    pdf.add_page()

    def para(text: str, size: float = 10, style: str = "", height: float = 5.2, gap: float = 0) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, height, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if gap:
            pdf.ln(gap)

    para(doc.title, size=17, style="B", height=8, gap=1)
    para(_("Vertrouwelijk — bevat persoonsgegevens."), size=9, gap=2)
    for label, value in doc.meta:
        para(f"{label}: {value}", size=9.5, height=5)
    pdf.ln(3)
    warning = getattr(doc, "warning", "")
    if warning:  # on the first page: who may come to read this, and which names it holds
        para(warning, size=10, style="B", height=5.2)
        names = ", ".join(getattr(doc, "names", []) or []) or _("geen")
        para(_("Namen van collega's en bronnen in deze melding: {names}.", names=names), size=9.5, gap=3)
    part = None
    for section in doc.sections:
        if pdf.get_y() > pdf.h - 50:
            pdf.add_page()
        if getattr(section, "part", "") and section.part != part:
            part = section.part
            para(part, size=15, style="B", height=8, gap=1)
        para(section.title, size=13, style="B", height=7, gap=1)
        if section.intro:
            para(section.intro, size=9, height=4.8, gap=1)
        for block in section.blocks:
            if block.heading:
                para(block.heading, size=10.5, style="B", height=5.6)
            for label, value in block.fields:
                para(f"{label}: {value}", size=10)
            if block.text:
                para(block.text, size=10, gap=0.5)
            if getattr(block, "body_marks", None):
                draw_body_map(pdf, family, clean, set(block.body_marks))
            pdf.ln(2)
        pdf.ln(2)
    return bytes(pdf.output())


@hookimpl
def meldcode_export_formats():
    return [ExportFormat(
        name="pdf", title=_("Melding aan Veilig Thuis (PDF)"), extension="pdf",
        media_type="application/pdf", render=render_pdf,
        description=_("De melding als A4-PDF met paginanummers en journaalverwijzing."),
    )]
