"""``meldcode stats``: the anonymous figures of the school, or of a board's schools side by side."""

from __future__ import annotations

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
@click.option("--school", "schools", multiple=True, metavar="NAAM=DB[:SLEUTEL]",
              help=_("Een school van het bestuur (herhaal de optie); een versleutelde database "
                     "met zijn sleutelbestand na een dubbele punt."))
@click.option("--board", "board", type=click.Path(dir_okay=False), default=None,
              help=_("Bestuursconfiguratie (TOML) met de databases van de scholen."))
@db_option
@pass_env
@handle_errors
def stats_cmd(env, year, first, last, as_json, as_csv, schools, board):
    from ..exports import figures as R

    if as_json and as_csv:
        raise click.UsageError(_("Kies --json of --csv, niet allebei."))
    output = "json" if as_json else "csv" if as_csv else "text"
    if schools or board:
        figures = _board(env, year, first, last, schools, board)
    else:
        from ..service_layer.stats import FigureViews

        svc = env.service()
        try:
            views = FigureViews(svc)
            figures = views.school_figures(views.period(year, first, last), output=output,
                                           title=_("Cijfers Meldcode {school}",
                                                   school=env.config.school_name).strip())
        finally:
            svc.store.close()
    render = R.render_json if as_json else R.render_csv if as_csv else R.render_text
    click.echo(render(figures), nl=False)


def _board(env, year, first, last, schools, board):
    from datetime import date

    from ..errors import InputError
    from ..domain import figures as F
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
    return board_figures(listed, period, today, plugins=env.plugin_host(),
                         title=_("Cijfers Meldcode {board}", board=title).strip())
