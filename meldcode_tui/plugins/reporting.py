"""Whole-school report formats: the contract between the app and a report plugin.

A plugin returns :class:`ReportFormat` objects from its ``meldcode_report_formats`` hook. The
app calls ``fmt.render(figures)`` with a ``domain.figures.Figures`` -- the school's (or the
board's) ANONYMOUS figures, already protected: text cells only, every count under 5 shown as
"<5", no case, no name, no date finer than a month. A report plugin never sees a case.

Nothing here imports pluggy, textual or the domain at runtime.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from .exporting import FORMAT_NAME_PATTERN

if TYPE_CHECKING:  # types only
    from ..domain.figures import Figures


@dataclass(frozen=True)
class ReportFormat:
    """One way to write the figures out.

    name:        stable, lowercase id (``meldcode stats --report NAME``)
    title:       Dutch title
    extension:   file extension without the dot (``"csv"``, ``"pdf"``)
    media_type:  e.g. ``"text/csv"``
    render:      ``render(figures: Figures) -> bytes``
    """

    name: str
    title: str
    extension: str
    media_type: str
    render: Callable[["Figures"], bytes] = field(compare=False)
    description: str = ""


def validate_report_format(fmt: Any) -> list[str]:
    """Reasons (Dutch) why ``fmt`` is not a usable :class:`ReportFormat`; empty when fine."""
    from ..i18n import _

    if not isinstance(fmt, ReportFormat):
        return [_("geen ReportFormat-object maar {kind}", kind=type(fmt).__name__)]
    reasons = []
    if not isinstance(fmt.name, str) or not FORMAT_NAME_PATTERN.match(fmt.name):
        reasons.append(_("ongeldige formaatnaam {value!r} (kleine letters, cijfers, '_' of '-')",
                         value=fmt.name))
    for key in ("title", "extension", "media_type"):
        value = getattr(fmt, key)
        if not isinstance(value, str) or not value.strip():
            reasons.append(_("veld {key} ontbreekt", key=key))
    if not callable(fmt.render):
        reasons.append(_("render is geen functie"))
    return reasons
