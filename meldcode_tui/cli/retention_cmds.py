"""`meldcode retention`: list the cases past their retention date, `retention apply` erases
them, `retention erase CASE` erases one on request; `meldcode case left` records the pupil's
leaving date (where the period is counted from)."""

from __future__ import annotations

import click

from ..config import MAX_RETENTION_YEARS
from ..domain.dates import format_date

from ..i18n import _
from . import db_option, handle_errors, main, pass_env
from .case_cmds import case_group


def _fmt(day) -> str:
    return format_date(day) or "-"


def _service(env):
    # Retention covers the cases this user may see: every case for the file's owner at the
    # console or in cron, for a user named in [access] all_cases and for a coordinator; never a
    # case whose existence ``case show`` would deny to this user.
    return env.service(with_plugins=False)


def _run(env, years, counted_from, apply_, reason):
    from ..errors import InputError
    from ..errors import CleanPending
    from ..retention import (RetentionPolicy, clean_pending_message, copies_outside, erase_case,
                             finish_erasure, missing_policy_warning, review)
    from ..text_safety import safe_line

    policy = RetentionPolicy.from_config(env.config, years, counted_from)
    if policy is None or not policy.configured:
        click.echo(_("Let op: {warning}", warning=missing_policy_warning()), err=True)
    if policy is None:
        if apply_:
            raise InputError(_("Zonder ingestelde bewaartermijn wordt niets gewist; geef --years "
                               "of stel [retention] years in."), field="years")
        policy = RetentionPolicy(2, counted_from or "leaving", configured=False)
        click.echo(_("Overzicht met {rule} (voorbeeld, niet ingesteld).", rule=policy.rule))
    else:
        click.echo(_("Regel: {rule}.", rule=policy.rule)
                   + (" " + _("Reden: {reason}", reason=policy.reason) if policy.reason else ""))
    svc = _service(env)
    due, waiting = review(svc, policy)
    if waiting:
        click.echo(_("{n} gesloten casus(sen) zonder vastgelegde vertrekdatum van de leerling: die "
                     "blijven bewaard ('meldcode case left').", n=len(waiting)))
    if not due:
        click.echo(_("Geen casussen waarvan de bewaartermijn voorbij is."))
        return
    for c in due:
        click.echo(_("{case_id}  gesloten {closed}  vertrokken {left}  wissen vanaf {erase}  ({rule})",
                     case_id=c.case_id, closed=_fmt(c.closed_on), left=_fmt(c.left_on),
                     erase=_fmt(c.erase_from), rule=policy.rule))
        copies = copies_outside(svc, c.case_id)
        if copies:
            # Wissen bereikt die bestanden niet: zeg wie een kopie heeft, zodat de FG erom vraagt.
            click.echo("    " + _("kopieën buiten het bestand (vraag die te verwijderen): {list}",
                                  list="; ".join(_("{who} {at} ({what})", who=safe_line(x["actor"]),
                                                   at=str(x["at"])[:10], what=safe_line(x["what"]))
                                                 for x in copies)))
    if not apply_:
        click.echo(_("{n} casus(sen). 'meldcode retention apply' wist de inhoud.", n=len(due)))
        return
    reason = reason or policy.reason or _("Bewaartermijn verstreken.")
    if len(reason.strip()) < 10:
        reason = _("Bewaartermijn verstreken: {reason}", reason=reason.strip())
    total = 0
    for c in due:
        total += erase_case(svc, c.case_id, reason, policy="retention", rule=policy.rule)
    if not finish_erasure(svc):  # once: FTS rewrite, WAL checkpoint, VACUUM
        # Not "gewist" while the words are still in the file: exit 6 lets scripts see it.
        click.echo(_("{n} casus(sen) in het journaal gewist ({total} inhouden).", n=len(due),
                     total=total))
        raise CleanPending(clean_pending_message())
    click.echo(_("{n} casus(sen) gewist ({total} inhouden); het journaal blijft controleerbaar.",
                 n=len(due), total=total))


def _options(fn):
    fn = click.option("--reason", default=None,
                      help=_("Reden die bij elke wisactie wordt vastgelegd (standaard: "
                             "[retention] reason)."))(fn)
    fn = click.option("--counted-from", "counted_from", type=click.Choice(["leaving", "closing"]),
                      default=None,
                      help=_("Vanaf 'leaving' (vertrek of sluiten, het laatste; standaard) of "
                             "'closing' (sluiten)."))(fn)
    fn = click.option("--years", type=click.IntRange(min=0, max=MAX_RETENTION_YEARS), default=None,
                      help=_("Bewaartermijn in jaren (standaard: [retention] years)."))(fn)
    return fn


@main.group("retention", invoke_without_command=True)
@db_option
@_options
@click.option("--apply", "apply_", is_flag=True,
              help=_("Wis echt (hetzelfde als 'retention apply')."))
@click.pass_context
@handle_errors
def retention(ctx, years, counted_from, reason, apply_):
    """Toon de casussen waarvan de bewaartermijn voorbij is (met datum en regel). 'apply' wist
    hun inhoud, 'erase' wist één casus op verzoek. De keten blijft controleerbaar: elke wisactie
    wordt zelf vastgelegd."""
    from . import Env

    if ctx.invoked_subcommand is None:
        _run(ctx.ensure_object(Env), years, counted_from, apply_, reason)


@retention.command("apply")
@db_option
@_options
@pass_env
@handle_errors
def apply_cmd(env, years, counted_from, reason):
    """Wis de inhoud van de casussen waarvan de bewaartermijn voorbij is; per casus één
    vastgelegde wisactie (wie, wanneer, welke regel)."""
    _run(env, years, counted_from, True, reason)


@retention.command("erase")
@db_option
@click.argument("case_id")
@click.option("--reason", required=True, help=_("Waarom (minstens 10 tekens)."))
@click.option("--requested-by", "requested_by", required=True,
              help=_("Wie heeft om het wissen gevraagd (bijv. 'ouder met gezag, brief 12-11')."))
@pass_env
@handle_errors
def erase_cmd(env, case_id, reason, requested_by):
    """Wis één gesloten casus op verzoek (AVG art. 17), op dezelfde manier als na de
    bewaartermijn: inhoud, concepten, zoekindex en de bytes in het bestand."""
    from ..errors import CleanPending
    from ..retention import clean_pending_message, erase_case, finish_erasure
    from ..text_safety import check_text

    check_text(requested_by, "--requested-by")
    svc = _service(env)
    n = erase_case(svc, case_id, reason, policy="request", requested_by=requested_by)
    if not finish_erasure(svc):
        click.echo(_("Casus {case_id}: {n} inhouden in het journaal gewist.", case_id=case_id,
                     n=n))
        raise CleanPending(clean_pending_message())
    click.echo(_("Casus {case_id} gewist op verzoek ({n} inhouden); het journaal blijft "
                 "controleerbaar.", case_id=case_id, n=n))


@case_group.command("left")
@db_option
@click.argument("case_id")
@click.option("--on", "on", required=True, help=_("Datum van vertrek (JJJJ-MM-DD)."))
@click.option("--note", default="", help=_("Toelichting (bijv. naar welke school)."))
@pass_env
@handle_errors
def left_cmd(env, case_id, on, note):
    """Leg vast: de leerling heeft de school verlaten op … (ook bij een gesloten casus). De
    bewaartermijn telt vanaf deze datum of het sluiten, het laatste van beide."""
    svc = env.service(with_plugins=False)
    svc.record_pupil_left(case_id, on=on, note=note)
    click.echo(_("Casus {case_id}: vertrek van de leerling vastgelegd ({on}).", case_id=case_id, on=on))


# --------------------------------------------------------------------------- inzage (AVG art. 15)

def _pairs(values, first: str) -> list[dict]:
    from ..errors import InputError

    out = []
    for raw in values:
        if "::" not in raw:
            raise InputError(_("Schrijf '{first}::waarom' (twee dubbele punten).", first=first))
        a, b = raw.split("::", 1)
        out.append({first: a.strip(), "why": b.strip()})
    return out


@main.group("inzage")
def inzage():
    """Inzage op verzoek (AVG art. 15): het besluit vastleggen, de export maken, de zienswijze
    van de ouders toevoegen."""


@inzage.command("decide")
@db_option
@click.argument("case_id")
@click.option("--requester", type=click.Choice(["parent_with_authority", "pupil_16_plus"]),
              required=True, help=_("Wie vraagt: ouder met gezag of leerling van 16+."))
@click.option("--requester-name", required=True, help=_("Naam van wie het vraagt."))
@click.option("--legal-basis", required=True, help=_("Wettelijke grondslag (bijv. 'AVG art. 15')."))
@click.option("--approved-by", required=True, help=_("Wie het besluit goedkeurde."))
@click.option("--on", "decided_on", required=True, help=_("Datum van het besluit (JJJJ-MM-DD)."))
@click.option("--outcome", type=click.Choice(["granted", "partly_granted", "refused"]),
              required=True, help=_("Toegekend, deels toegekend of geweigerd."))
@click.option("--withhold", multiple=True,
              help=_("'#SEQ omschrijving::waarom' — een vastlegging die niet wordt verstrekt."))
@click.option("--keep", multiple=True,
              help=_("'Naam::waarom' — een naam van een ander die blijft staan."))
@click.option("--reason", required=True, help=_("Toelichting bij het besluit."))
@pass_env
@handle_errors
def inzage_decide(env, case_id, requester, requester_name, legal_basis, approved_by, decided_on,
                  outcome, withhold, keep, reason):
    """Leg het besluit over een inzageverzoek vast (ook bij een gesloten casus)."""
    svc = env.service(with_plugins=False)
    state = svc.record_inzage(
        case_id, requester=requester, requester_name=requester_name, legal_basis=legal_basis,
        approved_by=approved_by, decided_on=decided_on, outcome=outcome,
        withheld=_pairs(withhold, "what"), keep_identities=_pairs(keep, "name"), reason=reason)
    click.echo(_("Casus {case_id}: besluit over inzage vastgelegd (#{seq}).", case_id=case_id,
                 seq=state.last_seq))


@inzage.command("export")
@db_option
@click.argument("case_id")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help=_("Nieuw bestand (wordt 0600 aangemaakt)."))
@pass_env
@handle_errors
def inzage_export(env, case_id, output):
    """Maak de inzage-export volgens het laatste besluit: wat de school over de leerling heeft
    vastgelegd, zonder wat is uitgezonderd, met de namen van anderen vervangen. Vastgelegd in
    het journaal."""
    from ..exports import export_case
    from ..exports.inzage import inzage_format
    from ..exports.target import check_target, export_to_file

    check_target(output, db_path=env.db_path, config_path=env.config.source)
    svc = env.service(with_plugins=False)
    target, result = export_to_file(
        lambda: export_case(svc, case_id, "inzage", formats={"inzage": inzage_format()}),
        output, db_path=env.db_path, config_path=env.config.source)
    click.echo(_("Inzage geëxporteerd naar {path} (journaal: {ref}).", path=target,
                 ref=result.journal_ref))


@inzage.command("zienswijze")
@db_option
@click.argument("case_id")
@click.option("--on", "on", required=True, help=_("Datum (JJJJ-MM-DD)."))
@click.option("--by", "by", required=True, help=_("Van wie (bijv. 'beide ouders')."))
@click.option("--text", "text", required=True, help=_("De zienswijze zelf, in hun woorden."))
@pass_env
@handle_errors
def inzage_zienswijze(env, case_id, on, by, text):
    """Voeg de zienswijze van de ouders toe als eigen vastlegging (na een inzage)."""
    svc = env.service(with_plugins=False)
    state = svc.record_zienswijze(case_id, on=on, by=by, zienswijze=text)
    click.echo(_("Casus {case_id}: zienswijze ouders vastgelegd (#{seq}).", case_id=case_id,
                 seq=state.last_seq))
