"""``meldcode stats``: the anonymous figures of the school, or of a board's schools side by side.

Every output goes through a report format (plugins/reporting.py, hook ``meldcode_report_formats``):
the plain text here, ``--csv``/``--json`` and ``--report NAME`` (the built-in ``pdf`` and
``markdown`` or a plugin's) all get the same protected figures."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import click

from ..i18n import _
from . import db_option, handle_errors, main, pass_env


@main.command("stats", help=_(
    "Anonieme cijfers over het gebruik van de Meldcode (standaard het huidige schooljaar, per "
    "maand): geen namen, geen casusnummers, geen data fijner dan een maand; elk getal onder 5 "
    "staat er als '<5'. Met --school of --board: de cijfers van meerdere scholen naast elkaar "
    "en voor het bestuur (de databases worden alleen gelezen)."))
@click.option("--year", "year", type=click.IntRange(2000, 2100), default=None,
              help=_("Het schooljaar dat in dit jaar begint (1 augustus - 31 juli)."))
@click.option("--from", "first", default=None, metavar="JJJJ-MM",
              help=_("Eerste maand van de periode (in plaats van een schooljaar)."))
@click.option("--to", "last", default=None, metavar="JJJJ-MM",
              help=_("Laatste maand van de periode."))
@click.option("--json", "as_json", is_flag=True, help=_("Uitvoer als JSON."))
@click.option("--csv", "as_csv", is_flag=True, help=_("Uitvoer als CSV (een regel per cel)."))
@click.option("--report", "report", default=None, metavar="NAAM",
              help=_("Een rapportformaat (csv, json, markdown, pdf of van een plugin; zie --list)."))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help=_("Schrijf naar dit (nieuwe) bestand in plaats van naar het scherm."))
@click.option("--list", "list_reports", is_flag=True, help=_("Toon de rapportformaten en stop."))
@click.option("--school", "schools", multiple=True, metavar="NAAM=DB[:SLEUTEL]",
              help=_("Een school van het bestuur (herhaal de optie); een versleutelde database "
                     "met zijn sleutelbestand na een dubbele punt."))
@click.option("--board", "board", type=click.Path(dir_okay=False), default=None,
              help=_("Bestuursconfiguratie (TOML) met de databases van de scholen."))
@db_option
@pass_env
@handle_errors
def stats_cmd(env, year, first, last, as_json, as_csv, report, output, list_reports, schools, board):
    host = env.plugin_host()
    formats = host.report_formats()
    if list_reports:
        width = max((len(n) for n in formats), default=4)
        for name in sorted(formats):
            click.echo(f"{name:<{width}}  .{formats[name].extension:<5} {formats[name].title}")
        return
    if sum(bool(x) for x in (as_json, as_csv, report)) > 1:
        raise click.UsageError(_("Kies één van --json, --csv en --report."))
    name = "json" if as_json else "csv" if as_csv else report
    fmt = formats.get(name) if name else None
    if name and fmt is None:
        raise click.UsageError(_("Onbekend rapportformaat '{name}' (zie --list).", name=name))
    if fmt is not None and fmt.extension == "pdf" and output is None and sys.stdout.isatty():
        raise click.UsageError(_("Een PDF gaat niet naar de terminal: gebruik -o BESTAND."))
    if output is not None:
        from ..exports.target import check_target

        check_target(output, db_path=env.db_path if not (schools or board) else None,
                     config_path=env.config.source)
    kind = "text" if fmt is None else name if name in ("json", "csv") else "report"
    if schools or board:
        figures, period, count = _board(env, host, year, first, last, schools, board)
        _journal_board_view(env, period, kind, count)
    else:
        from ..service_layer.stats import FigureViews

        svc = env.service()
        try:
            views = FigureViews(svc)
            figures = views.school_figures(views.period(year, first, last), output=kind,
                                           title=_("Cijfers Meldcode {school}",
                                                   school=env.config.school_name).strip())
        finally:
            svc.store.close()
    if fmt is None:
        from ..exports.figures import render_text

        data = render_text(figures).encode("utf-8")
    else:
        data = fmt.render(figures)
    _emit(env, data, output)


def _emit(env, data: bytes, output) -> None:
    if output is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and not data.startswith(b"%PDF"):
            click.echo(text, nl=False)       # through the output guard (text_safety)
            return
        from ..text_safety import binary_stdout

        sys.stdout.flush()
        out = binary_stdout()
        out.write(data)
        out.flush()
        return
    from ..exports.target import export_to_file

    target, _result = export_to_file(lambda: SimpleNamespace(data=data), output,
                                     config_path=env.config.source)
    click.echo(_("Cijfers geschreven naar {path}.", path=target), err=True)


def _board(env, host, year, first, last, schools, board):
    from datetime import date

    from ..domain import figures as F
    from ..errors import InputError
    from ..service_layer.stats import board_figures, load_board_config, parse_school_option

    title, listed = "", []
    if board:
        title, listed = load_board_config(board)
    listed += [parse_school_option(s) for s in schools]
    today = date.today()
    try:
        period = (F.months_period(first or last, last or first) if (first or last)
                  else F.school_year(today, year))
    except ValueError:
        raise InputError(_("Een periode in maanden zoals 2025-08 t/m 2026-07, graag."),
                         field="period") from None
    figures = board_figures(listed, period, today, plugins=host,
                            title=_("Cijfers Meldcode {board}", board=title).strip())
    return figures, period, len(listed)


def _journal_board_view(env, period, output: str, schools: int) -> None:
    """The schools' files are only read, so a board view is journalled in the board's own
    Meldcode database, when one is named (``--db`` or MELDCODE_DB): who, when, which period,
    how many schools."""
    import os

    if not (env.db_arg or os.environ.get("MELDCODE_DB")):
        return
    from ..service_layer.stats import FigureViews

    svc = env.service(with_plugins=False)
    try:
        from ..domain.people import may_view_figures
        from ..errors import AccessDenied

        if not may_view_figures(svc.role):
            svc._journal_refusal("figures_viewed")
            raise AccessDenied(_("Dit mag uw rol niet."))
        FigureViews(svc)._journal_view("board", period, output, schools)
    finally:
        svc.store.close()
