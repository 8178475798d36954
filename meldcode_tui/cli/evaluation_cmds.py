"""``meldcode training`` (the staff training register) and ``meldcode evaluation`` (the yearly
Meldcode evaluation, exported as Markdown or PDF for the annual report)."""

from __future__ import annotations

import click

from ..i18n import _
from . import db_option, handle_errors, main, pass_env


def _evaluations(env):
    from ..service_layer.evaluation import Evaluations

    return Evaluations(env.service())


@main.group("training", help=_("Het scholingsregister: wie had wanneer een Meldcode-training."))
def training_group():
    pass


@training_group.command("add", help=_("Leg een gevolgde Meldcode-training vast."))
@click.option("--name", "name", required=True, help=_("Naam van de medewerker."))
@click.option("--course", "course", required=True, help=_("De cursus of training."))
@click.option("--on", "on", required=True, metavar="JJJJ-MM-DD", help=_("Datum."))
@click.option("--provider", "provider", default="", help=_("Aanbieder (optioneel)."))
@db_option
@pass_env
@handle_errors
def training_add(env, name, course, on, provider):
    ev = _evaluations(env)
    try:
        ev.record_training(name, course, on, provider)
    finally:
        ev.svc.store.close()
    click.echo(_("Scholing vastgelegd."))


@training_group.command("list", help=_("Toon het scholingsregister."))
@db_option
@pass_env
@handle_errors
def training_list(env):
    ev = _evaluations(env)
    try:
        rows = ev.trainings()
    finally:
        ev.svc.store.close()
    if not rows:
        click.echo(_("Nog geen scholing vastgelegd."))
    for t in rows:
        extra = f" ({t['provider']})" if t.get("provider") else ""
        click.echo(f"{t['on']}  {t['name']}: {t['course']}{extra}")


@main.group("evaluation", help=_("De jaarevaluatie van de Meldcode (per schooljaar)."))
def evaluation_group():
    pass


@evaluation_group.command("record", help=_(
    "Leg de evaluatie van een schooljaar vast: de cijfers worden erbij gezet, de antwoorden "
    "zijn van de school."))
@click.option("--year", "year", type=click.IntRange(2000, 2100), required=True,
              help=_("Het schooljaar dat in dit jaar begint."))
@click.option("--went-well", "went_well", required=True, help=_("Wat ging goed."))
@click.option("--to-improve", "to_improve", required=True, help=_("Wat kan beter."))
@click.option("--hours", "hours", type=click.IntRange(0, 40), required=True,
              help=_("Uren van de aandachtsfunctionaris per week."))
@click.option("--agreements-vt", "agreements_vt", default="", help=_("Afspraken met Veilig Thuis."))
@click.option("--agreements-wijkteam", "agreements_wijkteam", default="",
              help=_("Afspraken met het wijkteam."))
@db_option
@pass_env
@handle_errors
def evaluation_record(env, year, went_well, to_improve, hours, agreements_vt, agreements_wijkteam):
    ev = _evaluations(env)
    try:
        ev.record(year, went_well=went_well, to_improve=to_improve, hours_per_week=hours,
                  agreements_vt=agreements_vt, agreements_wijkteam=agreements_wijkteam)
    finally:
        ev.svc.store.close()
    click.echo(_("Jaarevaluatie {a}-{b} vastgelegd.", a=year, b=year + 1))


@evaluation_group.command("show", help=_(
    "Toon de jaarevaluatie als Markdown, of schrijf hem met -o naar een .md- of .pdf-bestand."))
@click.option("--year", "year", type=click.IntRange(2000, 2100), required=True,
              help=_("Het schooljaar dat in dit jaar begint."))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help=_("Nieuw bestand; eindigt het op .pdf, dan een PDF."))
@db_option
@pass_env
@handle_errors
def evaluation_show(env, year, output):
    from types import SimpleNamespace

    from ..exports.figures import evaluation_markdown, evaluation_pdf

    if output is not None:
        from ..exports.target import check_target

        check_target(output, db_path=env.db_path, config_path=env.config.source)
    ev = _evaluations(env)
    try:
        evaluation = ev.evaluation(year)
    finally:
        ev.svc.store.close()
    if output is None:
        click.echo(evaluation_markdown(evaluation))
        return
    data = (evaluation_pdf(evaluation) if str(output).lower().endswith(".pdf")
            else evaluation_markdown(evaluation).encode("utf-8"))
    from ..exports.target import export_to_file

    target, _r = export_to_file(lambda: SimpleNamespace(data=data), output,
                                db_path=env.db_path, config_path=env.config.source)
    click.echo(_("Jaarevaluatie geschreven naar {path}.", path=target))
