"""Renderers of the anonymous figures (a ``domain.figures.Figures``: text cells only, already
protected): plain text for a terminal, CSV (one row per cell), JSON, Markdown."""

from __future__ import annotations

import csv
import io
import json

from ..domain.anonymity import MASKED, MIN_COUNT, SMALL
from ..domain.figures import Figures, Table
from ..i18n import _


def legend() -> str:
    return _("'{small}': minder dan {n}; '{masked}': verborgen zodat een totaal geen '{small}' "
             "verraadt.", small=SMALL, n=MIN_COUNT, masked=MASKED)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def table_text(t: Table, *, label_width: int = 28, cell_width: int = 5) -> str:
    widths = [max(cell_width, len(c) + 1) for c in t.columns]
    head = " " * label_width + "".join(c.rjust(w) for c, w in zip(t.columns, widths))
    lines = [t.title, head]
    for label, row in zip(t.rows, t.cells):
        lines.append(_fit(label, label_width - 1).ljust(label_width)
                     + "".join(v.rjust(w) for v, w in zip(row, widths)))
    if t.note:
        lines.append(t.note)
    return "\n".join(lines)


def render_text(f: Figures) -> str:
    parts = [f"{f.title} - {f.period}", legend(), ""]
    for t in f.tables:
        parts += [table_text(t), ""]
    return "\n".join(parts).rstrip() + "\n"


def render_json(f: Figures) -> str:
    return json.dumps(f.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _csv_safe(text: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula: a catalogue title or a
    school name from a config could; such a cell gets a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(f: Figures) -> str:
    """One row per cell: table, row, column, value (the value as shown: a number, '<5' or 'x')."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["periode", "tabel", "rij", "kolom", "waarde"])
    for t in f.tables:
        for label, row in zip(t.rows, t.cells):
            for col, value in zip(t.columns, row):
                w.writerow([_csv_safe(x) for x in (f.period, t.title, label, col, value)])
    return out.getvalue()


def render_markdown(f: Figures) -> str:
    lines = [f"# {f.title}", "", f"{f.period}", "", legend(), ""]
    for t in f.tables:
        lines += [f"## {t.title}", "", "| | " + " | ".join(t.columns) + " |",
                  "|---|" + "---:|" * len(t.columns)]
        for label, row in zip(t.rows, t.cells):
            lines.append(f"| {label} | " + " | ".join(row) + " |")
        if t.note:
            lines += ["", t.note]
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- PDF (fpdf2)

def _latin1(text: str) -> str:
    """The PDF core fonts are Latin-1: typographic characters get a stand-in, the rest '?'."""
    import unicodedata

    out = []
    for ch in str(text).replace("\u2026", "...").replace("\u2013", "-").replace("\u2014", "-"):
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


def _bars(pdf, labels: list[str], cells: list[str], *, label_w: float, width: float) -> None:
    """Horizontal bars drawn from the published cells only: a number to scale, '<5' a stub."""
    numbers = [int(c) if c.isdigit() else None for c in cells]
    top = max([n for n in numbers if n is not None] or [1]) or 1
    room = width - label_w - 14
    for label, cell, n in zip(labels, cells, numbers):
        y = pdf.get_y()
        pdf.set_x(pdf.l_margin)
        pdf.cell(label_w, 4.5, _latin1(label[:48]))
        length = (n * room / top) if n else (1.0 if cell == SMALL else 0.0)
        if length:
            pdf.set_fill_color(90, 90, 90)
            pdf.rect(pdf.l_margin + label_w, y + 0.8, length, 3, style="F")
        pdf.set_xy(pdf.l_margin + label_w + length + 1.5, y)
        pdf.cell(12, 4.5, cell, new_x="LMARGIN", new_y="NEXT")


def _table(pdf, t: Table, width: float) -> None:
    label_w = min(62.0, width * 0.35)
    col_w = (width - label_w) / max(1, len(t.columns))
    pdf.set_font("Helvetica", "B", 6.5)
    pdf.cell(label_w, 4, "")
    for c in t.columns:
        pdf.cell(col_w, 4, _latin1(c[:12]), align="R")
    pdf.ln(4)
    for i, (label, row) in enumerate(zip(t.rows, t.cells)):
        bold = t.total_row and i == len(t.rows) - 1
        pdf.set_font("Helvetica", "B" if bold else "", 6.5)
        pdf.cell(label_w, 3.8, _latin1(label[:52]))
        for v in row:
            pdf.cell(col_w, 3.8, v, align="R")
        pdf.ln(3.8)
    if t.note:
        pdf.set_font("Helvetica", "I", 6.5)
        pdf.multi_cell(width, 3.5, _latin1(t.note))


def _new_pdf(title: str, *, wide: bool = False):
    try:
        from fpdf import FPDF
    except ImportError:
        from ..errors import MeldcodeError

        raise MeldcodeError(_("Voor een PDF is het pakket fpdf2 nodig (pip install fpdf2).")) from None
    pdf = FPDF(orientation="L" if wide else "P", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_title(_latin1(title))
    pdf.set_creator("Meldcode TUI")
    pdf.add_page()
    return pdf


def _figures_into(pdf, f: Figures) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(width, 7, _latin1(f.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(width, 5, _latin1(f"{f.period}. " + legend()), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    act = f.table("activity")
    charts = []
    if f.schools:
        charts.append((_("Casussen geopend per school"), act.columns, act.cells[0]))
    else:
        charts.append((_("Casussen geopend per maand"), act.columns[:-1], act.cells[0][:-1]))
    sig = f.table("signals")
    charts.append((_("Signalen per categorie"), sig.rows[:-1], [r[-1] for r in sig.cells[:-1]]))
    closed = f.table("closed")
    charts.append((_("Afgesloten casussen per reden"), closed.rows[:-1],
                   [r[-1] for r in closed.cells[:-1]]))
    dur = f.table("durations")
    charts.append((_("Mediaan dagen van het eerste signaal tot elke stap"), dur.rows,
                   [r[1].split(",")[0] if r[1] not in ("-", "") else SMALL for r in dur.cells]))
    for title, labels, cells in charts:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(width, 6, _latin1(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 7)
        _bars(pdf, [_latin1(x) for x in labels], cells, label_w=min(70.0, width * 0.4), width=width)
        pdf.ln(2)
    for t in f.tables:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(width, 6, _latin1(t.title), new_x="LMARGIN", new_y="NEXT")
        _table(pdf, t, width)
        pdf.ln(2)


def render_pdf(f: Figures) -> bytes:
    """An A4 report: the charts (bars per month and per category, step durations) and every
    table, with the same cells as every other output."""
    pdf = _new_pdf(f.title, wide=any(len(t.columns) > 14 for t in f.tables))
    _figures_into(pdf, f)
    return bytes(pdf.output())


# --------------------------------------------------------------------------- the evaluation

def evaluation_markdown(ev) -> str:
    """The yearly Meldcode evaluation (service_layer.evaluation.Evaluation) for the annual report:
    the school's answers, the training of staff in the year, then the anonymous figures."""
    a = ev.answers or {}
    none = _("(nog niet ingevuld)")
    lines = [f"# {_('Jaarevaluatie Meldcode, schooljaar {year}', year=ev.school_year)}", ""]
    if ev.recorded_at:
        lines += [_("Vastgesteld in {month} door {who}.", month=ev.recorded_at, who=ev.recorded_by), ""]
    lines += [f"## {_('Wat ging goed')}", "", a.get("went_well") or none, "",
              f"## {_('Wat kan beter')}", "", a.get("to_improve") or none, "",
              f"## {_('Aandachtsfunctionaris')}", "",
              _("{n} uur per week.", n=a["hours_per_week"]) if "hours_per_week" in a else none, "",
              f"## {_('Afspraken met Veilig Thuis')}", "", a.get("agreements_vt") or none, "",
              f"## {_('Afspraken met het wijkteam')}", "", a.get("agreements_wijkteam") or none, "",
              f"## {_('Scholing van medewerkers')}", ""]
    if ev.trainings:
        lines += [f"| {_('wie')} | {_('wanneer')} | {_('cursus')} | {_('aanbieder')} |", "|---|---|---|---|"]
        lines += [f"| {t['name']} | {t['on']} | {t['course']} | {t.get('provider') or ''} |"
                  for t in ev.trainings]
    else:
        lines.append(_("Geen scholing vastgelegd in dit schooljaar."))
    lines += ["", render_markdown(ev.figures).replace("# ", "## ", 1)]
    return "\n".join(lines)


def evaluation_pdf(ev) -> bytes:
    """The same evaluation as an A4 PDF (fpdf2): the answers, the trainings, then the figures
    with their charts."""
    title = _("Jaarevaluatie Meldcode, schooljaar {year}", year=ev.school_year)
    pdf = _new_pdf(title)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(width, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    a = ev.answers or {}
    none = _("(nog niet ingevuld)")
    sections = [(_("Wat ging goed"), a.get("went_well") or none),
                (_("Wat kan beter"), a.get("to_improve") or none),
                (_("Aandachtsfunctionaris"), _("{n} uur per week.", n=a["hours_per_week"])
                 if "hours_per_week" in a else none),
                (_("Afspraken met Veilig Thuis"), a.get("agreements_vt") or none),
                (_("Afspraken met het wijkteam"), a.get("agreements_wijkteam") or none)]
    trainings = "\n".join(f"{t['on']}  {t['name']}: {t['course']}"
                           + (f" ({t['provider']})" if t.get("provider") else "") for t in ev.trainings)
    sections.append((_("Scholing van medewerkers"),
                     trainings or _("Geen scholing vastgelegd in dit schooljaar.")))
    for head, body in sections:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(width, 7, _latin1(head), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9.5)
        pdf.multi_cell(width, 5, _latin1(body), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.add_page()
    _figures_into(pdf, ev.figures)
    return bytes(pdf.output())
