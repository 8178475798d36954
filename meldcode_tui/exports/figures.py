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


def render_csv(f: Figures) -> str:
    """One row per cell: table, row, column, value (the value as shown: a number, '<5' or 'x')."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["periode", "tabel", "rij", "kolom", "waarde"])
    for t in f.tables:
        for label, row in zip(t.rows, t.cells):
            for col, value in zip(t.columns, row):
                w.writerow([f.period, t.title, label, col, value])
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
