"""`meldcode retention`: erase the words of closed cases whose retention period has passed."""

from __future__ import annotations

import click

from ..i18n import _
from . import db_option, handle_errors, main, pass_env


@main.command("retention")
@db_option
@click.option("--years", type=click.IntRange(min=0), default=None,
              help=_("Bewaartermijn in jaren na sluiten (standaard: [retention] years_after_close, 2)."))
@click.option("--apply", "apply_", is_flag=True,
              help=_("Wis echt (zonder deze optie alleen een overzicht)."))
@click.option("--reason", default=None,
              help=_("Reden die bij elke wisactie wordt vastgelegd."))
@pass_env
@handle_errors
def retention(env, years, apply_, reason):
    """Toon (en wis met --apply) de inhoud van gesloten casussen waarvan de bewaartermijn
    voorbij is. De keten blijft controleerbaar: elke wisactie wordt zelf vastgelegd."""
    from ..retention import due_for_erasure, erase_case, finish_erasure

    years = env.config.retention_years_after_close if years is None else years
    svc = env.service(with_plugins=False)
    # Retention is the school's act, not one coordinator's view: it covers every case.
    svc.all_access = True
    due = due_for_erasure(svc, years)
    if not due:
        click.echo(_("Geen gesloten casussen waarvan de bewaartermijn ({years} jaar) voorbij is.", years=years))
        return
    for c in due:
        click.echo(_("{case_id}  gesloten op {closed}  wissen vanaf {erase}",
                     case_id=c.case_id, closed=c.closed_on.strftime("%d-%m-%Y"),
                     erase=c.erase_from.strftime("%d-%m-%Y")))
    if not apply_:
        click.echo(_("{n} casus(sen). Gebruik --apply om de inhoud te wissen.", n=len(due)))
        return
    reason = reason or _("Bewaartermijn van {years} jaar na sluiten verstreken.", years=years)
    total = 0
    for c in due:
        total += erase_case(svc, c.case_id, reason)
    finish_erasure(svc)  # once: FTS rewrite, WAL checkpoint, VACUUM
    click.echo(_("{n} casus(sen) gewist ({total} inhouden); het journaal blijft controleerbaar.",
                 n=len(due), total=total))
