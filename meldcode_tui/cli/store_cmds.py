"""Store subcommands: ``verify``, ``checkpoint``, ``backup``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..i18n import _
from . import db_option, handle_errors, main, pass_env


def _report_failure(result) -> None:
    click.echo(_("meldcode: journaal NIET in orde bij gebeurtenis {seq}: {problem}",
                 seq=result.bad_seq, problem=result.problem), err=True)


@main.command("verify", help=_(
    "Controleer het hele journaal: volgorde, koppelingen, hashes en inhoud. "
    "Met --checkpoint ook dat de geschiedenis tot dat punt niet is herschreven."))
@click.option("--checkpoint", "checkpoint", default=None, metavar='"SEQ HASH"',
              help=_("Een eerder bewaard controlepunt (uitvoer van 'meldcode checkpoint')."))
@db_option
@pass_env
@handle_errors
def verify_cmd(env, checkpoint):
    from ..store import parse_checkpoint

    cp = parse_checkpoint(checkpoint) if checkpoint is not None else None
    store = env.open_store()
    try:
        result = store.verify(cp)
    finally:
        store.close()
    if not result.ok:
        _report_failure(result)
        sys.exit(1)
    click.echo(_("Journaal in orde: {count} gebeurtenissen, laatste {seq} {hash}.",
                 count=result.count, seq=result.head_seq, hash=result.head_hash))


@main.command("checkpoint", help=_(
    "Toon het controlepunt (laatste volgnummer en hash) als 'SEQ HASH', na een volledige "
    "controle. Bewaar het buiten de database, bijvoorbeeld op papier of in de mail."))
@db_option
@pass_env
@handle_errors
def checkpoint_cmd(env):
    store = env.open_store()
    try:
        result = store.verify()
    finally:
        store.close()
    if not result.ok:
        _report_failure(result)
        sys.exit(1)
    click.echo(f"{result.head_seq} {result.head_hash}")


@main.command("backup", help=_(
    "Maak een reservekopie naar DEST (een nieuw bestand, alleen leesbaar voor u) en "
    "controleer de kopie."))
@click.argument("dest", type=click.Path(dir_okay=False))
@db_option
@pass_env
@handle_errors
def backup_cmd(env, dest):
    store = env.open_store()
    try:
        result = store.backup(Path(dest))
    finally:
        store.close()
    if not result.ok:
        click.echo(_("meldcode: reservekopie {path} gemaakt, maar het journaal is NIET in orde "
                     "bij gebeurtenis {seq}: {problem}", path=dest, seq=result.bad_seq,
                     problem=result.problem), err=True)
        sys.exit(1)
    click.echo(_("Reservekopie {path} gemaakt en gecontroleerd: {count} gebeurtenissen, "
                 "laatste {seq} {hash}.", path=dest, count=result.count, seq=result.head_seq,
                 hash=result.head_hash))
