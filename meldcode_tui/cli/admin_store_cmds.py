"""``meldcode admin encrypt`` / ``admin rekey``: encryption at rest (SQLCipher).

Both rewrite the database into a new file with the new key, verify that file (same journal
head, chain intact) and only then put it in place of the old one; the old file is overwritten
with zeros (see store/convert.py). Run them with the app closed, as the service account.
"""

from __future__ import annotations

import click

from ..domain.dates import format_date
from ..i18n import _
from . import ask_key, db_option, handle_errors, pass_env
from .admin_cmds import admin


def _new_key(key_file: str | None) -> str:
    from ..errors import InputError
    from ..store.crypto import read_key_file

    if key_file:
        return read_key_file(key_file)
    first = ask_key(_("Nieuwe sleutel: "))
    if ask_key(_("Nieuwe sleutel (nog eens): ")) != first:
        raise InputError(_("De twee sleutels zijn niet gelijk; er is niets gewijzigd."), field="key")
    return first


def _warn_if_key_beside_data(key_file, db_path) -> None:
    """A key in the database's folder is copied with it (and with every copy of the folder):
    say so, with where it belongs (README: /etc/meldcode/, the service account's, 0400)."""
    if not key_file:
        return
    from pathlib import Path

    key = Path(key_file).resolve()
    folder = Path(db_path).resolve().parent
    if folder == key.parent or folder in key.parents:
        click.echo(_("Let op: de sleutel {key} staat bij de database in {folder}; wie die map "
                     "kopieert, heeft de sleutel erbij. Zet hem in /etc/meldcode/ (map van root, "
                     "bestand alleen leesbaar voor het service-account) en bewaar een kopie los "
                     "van de reservekopieën.", key=key_file, folder=folder), err=True)


def _report(done, hint_file: str | None, config_file) -> None:
    click.echo(_("Database {path} is versleuteld en gecontroleerd: {n} gebeurtenissen, kop "
                 "{seq} {hash}.", path=done.path, n=done.events, seq=done.head[0],
                 hash=done.head[1]))
    click.echo(_("Het oude bestand is met nullen overschreven en verwijderd. Reservekopieën "
                 "en exports van vóór dit moment zijn niet met deze sleutel versleuteld: "
                 "verwijder of vervang ze."))
    if hint_file and (config_file is None or str(config_file) != str(hint_file)):
        click.echo(_("Zet in de configuratie: [encryption] key_file = \"{path}\".",
                     path=hint_file))


@admin.command("encrypt")
@db_option
@click.option("--key-file", "key_file", type=click.Path(dir_okay=False), default=None,
              help=_("Sleutelbestand (chmod 600). Standaard: [encryption] key_file, of vragen."))
@pass_env
@handle_errors
def encrypt(env, key_file):
    """Versleutel een onversleutelde database (SQLCipher). Het resultaat wordt gecontroleerd
    voordat het de oude database vervangt; het oude bestand wordt met nullen overschreven."""
    from ..store.convert import convert

    configured = env.config.encryption_key_file
    path = key_file or (str(configured) if configured else None)
    done = convert(env.db_path, None, _new_key(path))
    _report(done, path, configured)
    _warn_if_key_beside_data(path, env.db_path)


@admin.command("rekey")
@db_option
@click.option("--new-key-file", "new_key_file", type=click.Path(dir_okay=False), default=None,
              help=_("Het nieuwe sleutelbestand (chmod 600). Standaard: vragen."))
@pass_env
@handle_errors
def rekey(env, new_key_file):
    """Geef een versleutelde database een nieuwe sleutel (de huidige komt uit [encryption]
    key_file of wordt gevraagd). Ook dit wordt gecontroleerd voordat het bestand wordt vervangen."""
    from ..errors import InputError
    from ..store.convert import convert

    old = env.store_key()
    if old is None:
        raise InputError(_("Er is geen huidige sleutel ingesteld; versleutel eerst met "
                           "'meldcode admin encrypt'."), field="key")
    done = convert(env.db_path, old, _new_key(new_key_file))
    _report(done, new_key_file, env.config.encryption_key_file)
    _warn_if_key_beside_data(new_key_file, env.db_path)


@admin.command("backups")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, readable=False),
                metavar="MAP_OF_BESTAND...")
@pass_env
@handle_errors
def backups(env, paths):
    """Toon reservekopieën met hun stand (datum en laatste gebeurtenis), of ze versleuteld zijn
    en of ze nog inhoud bevatten die in de database al is gewist (dan: verwijderen of opnieuw
    maken). Alleen lezen."""
    from pathlib import Path

    from ..store.backup import inspect_backup

    store = env.open_store()
    try:
        erased = dict(store.db.execute(
            "SELECT x.hash, e.case_id FROM erasures x JOIN events e ON e.seq = x.seq").fetchall())
        live = store.path.absolute()
    finally:
        store.close()
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir() if f.is_file()
                                and not f.name.endswith(("-wal", "-shm", "-journal"))))
        else:
            files.append(p)
    stale = 0
    for f in files:
        if f.absolute() == live:
            continue
        info = inspect_backup(f, env.store_key(), erased)
        if "problem" in info:
            click.echo(_("{path}  niet gelezen: {problem}", path=f, problem=info["problem"]))
            continue
        at = info["head_at"][:10]
        when = format_date(at) or "-"
        line = _("{path}  stand {when} (gebeurtenis {seq})  {enc}", path=f, when=when,
                 seq=info["head_seq"],
                 enc=_("versleuteld") if info["encrypted"] else _("NIET versleuteld"))
        if info["erased_cases"]:
            stale += 1
            shown = ", ".join(info["erased_cases"][:5])
            more = len(info["erased_cases"]) - 5
            line += "  " + _("bevat gewiste inhoud van {n} casus(sen): {ids}{more} — verwijderen "
                             "of opnieuw maken", n=len(info["erased_cases"]), ids=shown,
                             more=f" (+{more})" if more > 0 else "")
        click.echo(line)
    if stale:
        raise SystemExit(1)
