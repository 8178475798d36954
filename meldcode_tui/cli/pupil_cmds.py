"""``meldcode admin pupils …``: the pupil register from the student administration's export, and
``meldcode case new --pupil NUMMER`` (in case_write_cmds) that opens a case from it.

The export comes from a regular file the admin names or from stdin (``ssh … pupils-load <
export.csv`` through ``serve``); never more than ``[pupils] max_mb``. The report names counts
and, for each line that could not be read, its number and the field - never what it says."""

from __future__ import annotations

import sys

import click

from ..errors import InputError
from ..i18n import _
from . import db_option, handle_errors, pass_env
from .admin_cmds import admin


@admin.group("pupils", help=_(
    "De leerlingadministratie (ParnasSys, Magister, SOMtoday): de export inlezen. Alleen de "
    "gegevens die de app gebruikt; elke keer helemaal vervangen; niet in het journaal."))
def pupils_group() -> None:
    pass


def read_export(env, path_text: str) -> bytes:
    """The export's bytes: a regular file or stdin, at most the configured size (+1 to tell)."""
    from ..service_layer.pupils import pupils_settings

    _system, limit = pupils_settings(env.config)
    if path_text == "-":
        if sys.stdin.isatty():
            raise InputError(_("Geef de export op de standaardinvoer: … pupils load - < EXPORT.csv."),
                             field="file")
        from ..bounded_input import read_stream

        data = read_stream(sys.stdin.buffer, limit=limit, what=_("De export"),
                           caller_judges_size=True)
    else:
        from ..bounded_input import read_regular_file

        data = read_regular_file(path_text, limit=limit, what=_("Export"), follow_symlinks=False,
                                 caller_judges_size=True)
    if len(data) > limit:
        raise InputError(_("De export is groter dan {mb} MB; er is niets ingelezen.",
                           mb=limit // (1024 * 1024)), field="file")
    return data


def run_load(env, data: bytes, system: str | None) -> None:
    from ..service_layer.pupils import load_register, pick_mapping, pupils_settings

    mapping = pick_mapping(env.config, system)
    _system, limit = pupils_settings(env.config)
    svc = env.service(create=True, with_plugins=False)
    try:
        report = load_register(svc, data, mapping, max_bytes=limit)
    finally:
        svc.store.close()
    for line in report.lines():
        click.echo(line)
    if report.problems:
        sys.exit(3)


@pupils_group.command("load", help=_(
    "Lees de export van de leerlingadministratie in (BESTAND of - voor stdin) en vervang de "
    "leerlingadministratie van de app. Meldt nieuw, gewijzigd, verdwenen en elke regel die niet "
    "gelezen kon worden (regelnummer en veld). Uitgangscode 3: er waren onleesbare regels."))
@click.argument("file", metavar="BESTAND|-")
@click.option("--system", default=None, metavar="SYSTEEM",
              help=_("parnassys, magister, somtoday of de naam van de eigen koppeling "
                     "([pupils_mapping] in de configuratie); standaard [pupils] system."))
@db_option
@pass_env
@handle_errors
def load_cmd(env, file, system):
    run_load(env, read_export(env, file), system)


@pupils_group.command("systems", help=_("Toon de bekende exportformaten (koppelingen)."))
@db_option
@pass_env
@handle_errors
def systems_cmd(env):
    from ..service_layer.pupils import mappings

    for name, m in mappings(env.config).items():
        sep = {";": ";", ",": ",", "\t": "tab", "auto": _("automatisch")}[m.delimiter]
        click.echo(f"{name}\t{m.label}\t{'/'.join(m.encodings)}\t{sep}\t{' | '.join(m.date_formats)}")


def new_case_from_register(svc, pupil_number: str, *, name, dob, group, number, parents, note,
                           staff_suspect):
    """``case new --pupil NUMMER``: the register's data; an option given replaces its field."""
    from ..service_layer.pupils import create_case_from_register

    values = {"pupil_name": name, "date_of_birth": dob, "group": group or None,
              "pupil_number": number or None, "note": note, "staff_suspicion": staff_suspect}
    if parents:
        values["parents"] = "\n".join(", ".join(x.strip() for x in p.split(":", 1)) for p in parents)
    return create_case_from_register(svc, pupil_number, values)


def serve_pupils_load(env, system: str | None) -> None:
    """``ssh … pupils-load [--system NAAM] < export.csv`` (serve's allow-list): the coordinator
    only; anyone else is refused (and journalled) before a byte of stdin is read."""
    from ..domain.people import may_use_pupil_register

    store = env.open_store(create=False)
    try:
        role = env.session_role(store)
    finally:
        store.close()
    if not may_use_pupil_register(role):
        svc = env.service(with_plugins=False)
        try:
            raise svc._refuse("pupils_load")
        finally:
            svc.store.close()
    if sys.stdin.isatty():
        raise InputError(_("Geef de export op de standaardinvoer: ssh -T … pupils-load < EXPORT.csv."),
                         field="file")
    run_load(env, read_export(env, "-"), system)
