"""Attachment subcommands: ``attach`` and ``fetch`` (also the ``serve`` verbs of the same name).

    meldcode attach MC-0007 brief.pdf --title "Brief van de huisarts"
    meldcode attach MC-0007 - --title "Foto van het briefje" < foto.jpg
    meldcode fetch MC-0007 42 -o bijlage-42.pdf
    ssh meldcode@server attach MC-0007 --title "Brief van de huisarts" < brief.pdf   # over SSH
    ssh meldcode@server fetch MC-0007 42 > bijlage-42.pdf

What may be attached is decided by the bytes (``domain/attachments.py``); the bytes are read
with a bound (never more than the configured maximum plus one byte, so ``/dev/zero`` or an
endless pipe is refused, not read into memory). ``fetch`` never writes over a file: ``-o``
follows the export rules (``exports/target.py``); without ``-o`` the bytes go to stdout, and a
binary file is not written to a terminal.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..bounded_input import read_regular_file, read_stream
from ..i18n import _
from . import db_option, handle_errors, main, pass_env


def _read_local(path_text: str, limit: int) -> tuple[bytes, str]:
    if path_text == "-":
        return read_stream(sys.stdin.buffer, limit=limit, what=_("De bijlage"),
                           caller_judges_size=True), ""
    path = Path(path_text).expanduser()
    return read_regular_file(path, limit=limit, what=_("Bijlage"), follow_symlinks=False,
                             caller_judges_size=True), path.name


def attach(env, case_id: str, data: bytes, title: str, filename: str = "") -> None:
    service = env.service(with_plugins=False)
    try:
        state = service.add_attachment(case_id, data, title, filename=filename,
                                       max_bytes=env.config.attachments_max_bytes)
    finally:
        service.store.close()
    rec = state.attachments[-1]
    from ..domain.attachments import human_size, label

    click.echo(_("Bijlage #{seq} toegevoegd aan {case_id}: {kind}, {size}, sha256 {sha}.",
                 seq=rec.seq, case_id=case_id, kind=label(rec.payload["media_type"]),
                 size=human_size(rec.payload["size"]), sha=rec.payload["sha256"]), err=True)


def fetch(env, case_id: str, seq: int, *, how: str) -> tuple[dict, bytes]:
    service = env.service(with_plugins=False)
    try:
        rec, body = service.fetch_attachment(case_id, seq, how=how)
    finally:
        service.store.close()
    return rec.payload, body


@main.command("attach", help=_(
    "Voeg een bijlage toe aan een casus (PDF, PNG, JPEG of platte tekst; het type wordt aan de "
    "inhoud herkend). BESTAND '-' leest van de standaardinvoer."))
@click.argument("case_id", metavar="CASUS")
@click.argument("file", metavar="BESTAND")
@click.option("--title", "title", required=True, metavar="TEKST", help=_("Waar de bijlage over gaat."))
@db_option
@pass_env
@handle_errors
def attach_cmd(env, case_id, file, title):
    limit = env.config.attachments_max_bytes
    data, name = _read_local(file, limit)
    attach(env, case_id, data, title, name)


@main.command("fetch", help=_(
    "Haal bijlage NUMMER (het #-nummer in de chronologie) van een casus op. Het ophalen wordt in "
    "het journaal vastgelegd."))
@click.argument("case_id", metavar="CASUS")
@click.argument("seq", metavar="NUMMER", type=click.IntRange(1))
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help=_("Schrijf naar dit (nieuwe) bestand in plaats van naar de standaarduitvoer."))
@db_option
@pass_env
@handle_errors
def fetch_cmd(env, case_id, seq, output):
    from ..exports.target import check_target, open_new, write_new

    target = None
    if output is not None:  # refuse a bad target before anything is journalled
        target = check_target(output, db_path=env.db_path, config_path=env.config.source)
    elif sys.stdout.isatty():
        service = env.service(with_plugins=False)
        try:
            media = service.attachment(case_id, seq).payload.get("media_type")
        finally:
            service.store.close()
        if media != "text/plain":
            raise click.UsageError(_("Bijlage #{seq} is binair en gaat niet naar de terminal: gebruik -o BESTAND.",
                                     seq=seq))
    if target is None:
        _payload, body = fetch(env, case_id, seq, how="cli")
        write_stdout(body)
        return
    fd = open_new(target)  # created first: a fetch is never journalled without its file
    try:
        _payload, body = fetch(env, case_id, seq, how="cli")
    except BaseException:
        os.close(fd)
        target.unlink(missing_ok=True)
        raise
    write_new(fd, target, body)
    click.echo(_("Bijlage #{seq} opgehaald naar {path}.", seq=seq, path=target))


def write_stdout(body: bytes) -> None:
    from ..text_safety import binary_stdout

    sys.stdout.flush()
    out = binary_stdout()
    out.write(body)
    out.flush()
