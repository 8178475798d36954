"""Built-in plugin: the core export formats (``toml``, ``markdown``, ``melding``, ``advies``).

Registered by the ``builtin_exports`` entry point exactly like a third-party plugin. The
renderers live in :mod:`meldcode_tui.exports` and are imported lazily, on first render.
"""

from __future__ import annotations

from meldcode_tui.i18n import _
from meldcode_tui.plugins import hookimpl
from meldcode_tui.plugins.exporting import ExportFormat


def _lazy(module: str, func: str):
    def render(request) -> bytes:
        from importlib import import_module

        return getattr(import_module(f"meldcode_tui.exports.{module}"), func)(request)

    render.__name__ = func
    return render


def builtin_formats() -> list[ExportFormat]:
    return [
        ExportFormat(
            name="toml", title=_("Volledige casus (TOML, voor overdracht)"), extension="toml",
            media_type="application/toml", render=_lazy("toml_format", "render_toml"),
            description=_("Alle journaalregels met hashes; in te lezen met 'meldcode import'."),
        ),
        ExportFormat(
            name="markdown", title=_("Chronologie (Markdown)"), extension="md",
            media_type="text/markdown", render=_lazy("markdown", "render_markdown"),
            description=_("Leesbaar verloop van de casus, met correcties als correcties."),
        ),
        ExportFormat(
            name="melding", title=_("Melding aan Veilig Thuis (tekst)"), extension="md",
            media_type="text/markdown", render=_lazy("melding", "render_melding"),
            description=_("Gegevens, feiten, contact vooraf, weging en besluiten."),
        ),
        ExportFormat(
            name="melding-gezin", title=_("Melding aan Veilig Thuis voor het hele gezin (tekst)"), extension="md",
            media_type="text/markdown", render=_lazy("melding", "render_family_melding"), family=True,
            description=_("Eén melding met een deel per kind: deze casus en de gekoppelde casussen van broers en "
                          "zussen die u mag zien; in elke casus vastgelegd."),
        ),
        ExportFormat(
            name="advies", title=_("Adviesvraag, geanonimiseerd (tekst)"), extension="md",
            media_type="text/markdown", render=_lazy("advies", "render_advies"),
            description=_("Zonder namen en kenmerken; geweigerd zolang er nog namen in staan."),
        ),
    ]


@hookimpl
def meldcode_export_formats():
    return builtin_formats()


def builtin_reports():
    """The built-in whole-school reports over the anonymous figures (exports/figures.py)."""
    from meldcode_tui.plugins.reporting import ReportFormat

    def lazy(func: str):
        def render(figures) -> bytes:
            from importlib import import_module

            out = getattr(import_module("meldcode_tui.exports.figures"), func)(figures)
            return out if isinstance(out, bytes) else out.encode("utf-8")

        render.__name__ = func
        return render

    return [
        ReportFormat("csv", _("Cijfers (CSV, een regel per cel)"), "csv", "text/csv", lazy("render_csv")),
        ReportFormat("json", _("Cijfers (JSON)"), "json", "application/json", lazy("render_json")),
        ReportFormat("markdown", _("Cijfers (Markdown, voor het jaarverslag)"), "md", "text/markdown",
                     lazy("render_markdown")),
        ReportFormat("pdf", _("Cijfers met grafieken (PDF)"), "pdf", "application/pdf", lazy("render_pdf")),
    ]


@hookimpl
def meldcode_report_formats():
    return builtin_reports()
