"""The school's own records, not a case's: the anonymous figures looked at, the staff's Meldcode
training and the yearly evaluation of the Meldcode. They live on pseudo case ids ('toegang',
'scholing', 'JE-2025' for the school year 2025-2026), journalled and hash-chained like everything
else; who looked at the figures is journalled like any access (no content: the period and how
they were shown)."""

from __future__ import annotations

import re

from ...errors import InputError
from ...i18n import _
from ..payload import KindSpec, choice, clean_tree, integer, iso_date, multiline_fields, register, text

FIGURE_SCOPES = ("school", "board")
FIGURE_OUTPUTS = ("text", "json", "csv", "screen", "report")

multiline_fields("went_well", "to_improve", "agreements_vt", "agreements_wijkteam")


def _figures_viewed(p: dict) -> dict:
    period = text(p, "period")
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}\.\.[0-9]{4}-[0-9]{2}", period):
        raise InputError(_("Een periode zoals 2025-08..2026-07, graag."), field="period")
    return {"scope": choice(p, "scope", FIGURE_SCOPES), "period": period,
            "output": choice(p, "output", FIGURE_OUTPUTS),
            "schools": integer(p, "schools", 1, 10_000) if p.get("schools") is not None else 1}


def _training_recorded(p: dict) -> dict:
    return {"name": text(p, "name"), "course": text(p, "course"), "on": iso_date(p, "on"),
            "provider": text(p, "provider", required=False)}


def _meldcode_evaluation_recorded(p: dict) -> dict:
    year = text(p, "school_year")
    if not re.fullmatch(r"(20[0-9]{2})-(20[0-9]{2})", year) or int(year[5:]) != int(year[:4]) + 1:
        raise InputError(_("Een schooljaar zoals 2025-2026, graag."), field="school_year")
    figures = p.get("figures") or {}
    if not isinstance(figures, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in figures.items()):
        raise InputError(_("De cijfers hebben een onjuiste vorm."), field="figures")
    clean_tree(figures, "figures")
    return {"school_year": year,
            "went_well": text(p, "went_well"), "to_improve": text(p, "to_improve"),
            "hours_per_week": integer(p, "hours_per_week", 0, 40),
            "agreements_vt": text(p, "agreements_vt", required=False),
            "agreements_wijkteam": text(p, "agreements_wijkteam", required=False),
            "figures": dict(figures)}


register(
    KindSpec("figures_viewed", _figures_viewed, correctable=False, on_a_case=False),
    KindSpec("training_recorded", _training_recorded, correctable=False, on_a_case=False),
    KindSpec("meldcode_evaluation_recorded", _meldcode_evaluation_recorded, correctable=False,
             on_a_case=False),
)
