"""The case exported."""

from __future__ import annotations

from . import register


@register("export")
def export(screen) -> None:
    from ..export_dialog import ExportScreen

    screen.app.push_screen(ExportScreen(screen.case_id), screen.after_write)
