"""``meldcode transfer …``: the overstapdossier - only the selected records to the next school,
its import there (a receipt code), and the receipt recorded at the sending school."""

from __future__ import annotations

import click

from ..errors import InputError
from ..i18n import _
from . import db_option, handle_errors, main, pass_env

MAX_FILE = 20 * 1024 * 1024


@main.group("transfer", help=_(
    "Overstapdossier: alleen de gekozen vastleggingen (elk met grondslag) naar de nieuwe school, "
    "met de ouders geïnformeerd; de ontvangstcode terug. De volledige overdracht (export -f toml) "
    "blijft voor scholen van hetzelfde bestuur."))
def transfer_group() -> None:
    pass


@transfer_group.command("proposal", help=_("Toon de voorgestelde selectie voor een overstapdossier "
                                           "(regelnummer, soort, grondslag)."))
@click.argument("case_id", metavar="CASUS")
@db_option
@pass_env
@handle_errors
def proposal_cmd(env, case_id):
    from ..domain.overstap import proposal
    from ..domain.vocabulary import kind_title

    svc = env.service(with_plugins=False)
    try:
        for item in proposal(svc.get_state(case_id.strip().upper())):
            click.echo(f"{item['seq']}\t{kind_title(item['kind'])}\t{item['basis']}")
    finally:
        svc.store.close()


def _selection(selects: tuple[str, ...], proposed: bool, state) -> list[dict]:
    from ..domain.overstap import proposal

    chosen: dict[int, dict] = {}
    if proposed:
        chosen = {p["seq"]: p for p in proposal(state)}
    for item in selects:
        seq, sep, basis = item.partition("=")
        if not sep or not seq.strip().isdigit():
            raise InputError(_("--select verwacht REGEL=GRONDSLAG, bijvoorbeeld 3=\"Lopende afspraak\"."),
                             field="select")
        chosen[int(seq)] = {"seq": int(seq), "basis": basis}
    if not chosen:
        raise InputError(_("Kies wat mee gaat: --proposed en/of --select REGEL=GRONDSLAG."), field="select")
    return list(chosen.values())


@transfer_group.command("overstap", help=_(
    "Schrijf het overstapdossier van CASUS naar -o BESTAND (0600, nooit overschreven): alleen de "
    "gekozen regels, elk met grondslag, en dat de ouders zijn geïnformeerd (of de uitzondering)."))
@click.argument("case_id", metavar="CASUS")
@click.option("--proposed", is_flag=True, help=_("Neem de voorgestelde selectie (zie 'transfer proposal')."))
@click.option("--select", "selects", multiple=True, metavar="REGEL=GRONDSLAG",
              help=_("Een regel die mee gaat, met de grondslag (herhaalbaar; vervangt die van het voorstel)."))
@click.option("--drop", "drops", multiple=True, type=int, metavar="REGEL",
              help=_("Een regel uit het voorstel die niet mee gaat (herhaalbaar)."))
@click.option("--informed-on", default="", metavar="JJJJ-MM-DD", help=_("Datum waarop de ouders zijn geïnformeerd."))
@click.option("--informed-how", default="", metavar="TEKST", help=_("Hoe de ouders zijn geïnformeerd."))
@click.option("--exception", "exception_reason", default="", metavar="REDEN",
              help=_("De ouders zijn niet geïnformeerd: de uitzondering met de reden."))
@click.option("--to", "receiving_school", default="", metavar="SCHOOL", help=_("De ontvangende school."))
@click.option("--output", "-o", "output", required=True, type=click.Path(dir_okay=False),
              metavar="BESTAND", help=_("Het bestand voor het overstapdossier."))
@db_option
@pass_env
@handle_errors
def overstap_cmd(env, case_id, proposed, selects, drops, informed_on, informed_how, exception_reason,
                 receiving_school, output):
    from ..exports.target import export_to_file
    from ..service_layer.overstap import export_overstap

    case_id = case_id.strip().upper()
    config = env.config
    svc = env.service(with_plugins=False)
    try:
        selection = [s for s in _selection(selects, proposed, svc.get_state(case_id)) if s["seq"] not in drops]

        class _Result:
            def __init__(self, data):
                self.data = data

        target, _result = export_to_file(lambda: _Result(export_overstap(
            svc, case_id, selection, parents_informed_on=informed_on, parents_informed_how=informed_how,
            exception_reason=exception_reason, receiving_school=receiving_school,
            school=config.school_name, signing_key=config.transfer_signing_key)),
            output, db_path=env.db_path, config_path=config.source)
    finally:
        svc.store.close()
    click.echo(_("Overstapdossier geschreven naar {path}: {n} vastleggingen. Leg de ontvangstcode van de "
                 "nieuwe school vast met 'meldcode transfer receipt {case_id} CODE'.",
                 path=target, n=len(selection), case_id=case_id))


@transfer_group.command("import", help=_(
    "Lees een overstapdossier in (BESTAND of -): een nieuwe casus, en de ontvangstcode voor de "
    "verzendende school."))
@click.argument("file", metavar="BESTAND|-")
@db_option
@pass_env
@handle_errors
def import_cmd(env, file):
    from ..exports.importer import transfer_policy
    from ..service_layer.overstap import import_overstap
    from ..bounded_input import read_regular_file, read_stream

    if file == "-":
        import sys

        data = read_stream(sys.stdin.buffer, limit=MAX_FILE, what=_("Het overstapdossier"),
                           caller_judges_size=True)
    else:
        data = read_regular_file(file, limit=MAX_FILE, what=_("Overstapdossier"),
                                 follow_symlinks=False, caller_judges_size=True)
    if len(data) > MAX_FILE:
        raise InputError(_("Het bestand is te groot voor een overstapdossier."), field="file")
    policy = transfer_policy(env.config)
    svc = env.service(create=True, with_plugins=False)
    try:
        state, code, verdict = import_overstap(svc, data, **policy)
    finally:
        svc.store.close()
    if verdict.signed:
        click.echo(_("Handtekening klopt ({who}).", who=verdict.signer or verdict.key))
    click.echo(_("Ingelezen als casus {case_id}.", case_id=state.case_id))
    click.echo(_("Ontvangstcode voor de verzendende school: {code}", code=code))


@transfer_group.command("receipt", help=_(
    "Leg de ontvangstcode van de nieuwe school vast bij CASUS (het open punt verdwijnt)."))
@click.argument("case_id", metavar="CASUS")
@click.argument("code", metavar="CODE")
@db_option
@pass_env
@handle_errors
def receipt_cmd(env, case_id, code):
    from ..service_layer.overstap import record_receipt

    svc = env.service(with_plugins=False)
    try:
        record_receipt(svc, case_id.strip().upper(), code)
    finally:
        svc.store.close()
    click.echo(_("Ontvangst vastgelegd bij casus {case_id}.", case_id=case_id.strip().upper()))
