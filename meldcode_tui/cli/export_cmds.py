"""Export and import subcommands: ``export`` and ``import``.

    meldcode export MC-0001 --format melding -o melding.md
    meldcode export MC-0001 --format toml > overdracht.toml
    meldcode export --list
    meldcode import overdracht.toml

Every export is journalled (a ``case_exported`` event) in the same transaction that renders
it. With ``-o`` the output file is checked and created (exclusively, 0600, never over an
existing file, a symlink, the database, the config or a dot-folder of a home directory: see
:mod:`meldcode_tui.exports.target`) *before* the export is journalled, so a file that cannot be
written never leaves an export event behind.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..i18n import _
from ..text_safety import safe_line
from . import db_option, handle_errors, main, pass_env


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _is_text(fmt) -> bool:
    media = (fmt.media_type or "").lower()
    return media.startswith("text/") or media in ("application/toml", "application/json",
                                                  "application/x-toml")


@main.command("export", help=_(
    "Exporteer een casus in een formaat (zie --list). Elke export wordt in het journaal "
    "vastgelegd. Zonder -o gaat tekst naar de standaarduitvoer; binaire formaten (zoals pdf) "
    "alleen naar een bestand."))
@click.argument("case_id", required=False, metavar="CASUS")
@click.option("--format", "-f", "format_name", default=None, metavar="NAAM",
              help=_("Het exportformaat, bijvoorbeeld toml, markdown, melding of advies."))
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help=_("Schrijf naar dit bestand in plaats van naar de standaarduitvoer."))
@click.option("--list", "list_formats", is_flag=True, default=False,
              help=_("Toon de beschikbare exportformaten en stop."))
@click.option("--grondslag", "basis", default="", metavar="CODE",
              help=_("Alleen bij -f toml (het hele journaal): de grondslag van de overdracht, "
                     "same_board (school van hetzelfde bestuur), same_school (eigen school, andere "
                     "locatie of installatie) of legal_obligation (wettelijke verplichting)."))
@click.option("--toelichting", "basis_reason", default="", metavar="TEKST",
              help=_("Alleen bij -f toml: waarom het hele journaal overgaat, in een paar woorden."))
@db_option
@pass_env
@handle_errors
def export_cmd(env, case_id, format_name, output, list_formats, basis, basis_reason):
    if list_formats:
        formats = env.plugin_host().export_formats()
        if not formats:
            click.echo(_("Geen exportformaten beschikbaar."))
            return
        width = max(len(n) for n in formats)
        for name in sorted(formats):
            fmt = formats[name]
            click.echo(f"{name:<{width}}  .{fmt.extension:<5} {fmt.title}")
        return
    if not case_id:
        raise click.UsageError(_("Geef een casusnummer op (of gebruik --list)."))
    if not format_name:
        raise click.UsageError(_("Geef een formaat op met --format (zie --list)."))

    from ..exports import available_formats, export_case
    from ..exports.target import check_target

    if output is not None:  # refuse a bad target before the database is even opened
        check_target(output, db_path=env.db_path, config_path=env.config.source)
    service = env.service()
    formats = available_formats(service)
    fmt = formats.get(format_name)
    if fmt is not None and output is None and not _is_text(fmt) and _stdout_is_terminal():
        raise click.UsageError(_("Formaat '{name}' is binair en gaat niet naar de terminal: gebruik -o BESTAND.",
                                 name=format_name))

    _melding_check(service, case_id, format_name)
    ground = {"basis": basis, "basis_reason": basis_reason}
    if output is None:
        result = export_case(service, case_id, format_name, formats=formats, **ground)
        sys.stdout.flush()
        from ..text_safety import binary_stdout

        out = binary_stdout()
        out.write(result.data)
        out.flush()
        click.echo(_("Export vastgelegd in het journaal: {ref}", ref=result.journal_ref), err=True)
        echo_control_value(result, err=True)
        return

    from ..exports.target import export_to_file

    config = env.config
    target, result = export_to_file(lambda: export_case(service, case_id, format_name, formats=formats,
                                                        **ground),
                                    output, db_path=env.db_path, config_path=config.source)
    click.echo(_("Geëxporteerd naar {path} (journaal: {ref}).", path=target, ref=result.journal_ref))
    echo_control_value(result)


def echo_control_value(result, *, err: bool = False) -> None:
    """For a transfer file: the value the receiving school checks it against, to pass on by
    another channel than the file (phone, a separate mail)."""
    if getattr(result.format, "name", "") != "toml":
        return
    click.echo(_("Controlewaarde voor de ontvangende school (apart doorgeven, niet in dezelfde mail): "
                 "{seq} {head}", seq=result.event.seq, head=result.event.hash), err=err)


@main.command("import", help=_(
    "Lees een casus in uit een TOML-exportbestand van een andere school (overdracht). De "
    "casus krijgt hier een nieuw nummer; de herkomst wordt vastgelegd. Bij een fout wordt "
    "niets ingelezen. Bestaat de database nog niet, dan wordt die aangemaakt."))
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), metavar="BESTAND")
@click.option("--check", "check_only", is_flag=True, default=False,
              help=_("Controleer het bestand alleen; lees niets in."))
@click.option("--expect-head", "expect_head", default=None, metavar='"[SEQ] HASH"',
              help=_("De controlewaarde die de verzendende school bij de export kreeg (of haar "
                     "'meldcode checkpoint' direct erna); het bestand moet daarmee overeenkomen."))
@db_option
@pass_env
@handle_errors
def import_cmd(env, file, check_only, expect_head):
    from ..domain.care_team import CareTeamPolicy
    from ..exports.importer import check_against_store, check_case_file, transfer_policy
    from ..service_layer.importing import check_import_allowed

    from ..bounded_input import MAX_TRANSFER_BYTES, read_regular_file, read_stream

    if file == "-":
        data = read_stream(getattr(sys.stdin, "buffer", sys.stdin), limit=MAX_TRANSFER_BYTES,
                           what=_("Het casusbestand"))
    else:
        data = read_regular_file(Path(file).expanduser(), limit=MAX_TRANSFER_BYTES,
                                 what=_("Casusbestand"))
    if check_only:
        # Exactly the checks `import` runs: the file's, and the target database's when it exists.
        service = env.service(with_plugins=False) if env.db_path.exists() else None
        try:
            if service is not None:
                # What the database says (already imported, from here) is the cases' business:
                # the same role rule as the import itself, refusals journalled.
                check_import_allowed(service)
            case_file = check_case_file(data, expect_head=expect_head, **transfer_policy(env.config),
                                        care_team_policy=CareTeamPolicy.of(env.config))
            if service is not None:
                check_against_store(service.store, case_file)
        finally:
            if service is not None:
                service.store.close()
        click.echo(_("Bestand in orde: casus {case_id} met {n} journaalregels.",
                     case_id=safe_line(case_file.source_case_id), n=len(case_file.events)))
        for line in case_file.proof.lines():
            click.echo("  " + line)
        return
    service = env.service(create=True)
    result = service.import_case(data, expect_head=expect_head, config=env.config)
    click.echo(_("Ingelezen als casus {case_id} ({n} journaalregels, oorspronkelijk {source}).",
                 case_id=result.case_id, n=result.event_count, source=safe_line(result.source_case_id)))
    for line in result.proof.lines():
        click.echo("  " + line)


def _melding_check(service, case_id: str, format_name: str) -> None:
    """"Is de melding compleet?" before every melding export, on stderr (field descriptions
    only, never case content); it never stops the export - an acute melding goes as it is."""
    if not str(format_name).startswith("melding"):
        return
    from ..domain.melding_check import melding_check_text

    try:
        state = service.get_state(case_id.strip().upper())
    except Exception:  # noqa: BLE001 - the export itself says what is wrong with the case
        return
    if state.exists:
        click.echo(melding_check_text(state), err=True)
