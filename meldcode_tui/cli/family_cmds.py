"""Family subcommands: ``meldcode family show CASE`` / ``link CASE OTHER`` / ``add-person`` /
``add-professional`` / ``refer`` -- the same service methods as ``n`` on the case screen."""

from __future__ import annotations

import json

import click

from ..domain.vocabulary import label
from ..i18n import _
from ..text_safety import safe_line
from . import db_option, handle_errors, main, pass_env


@main.group("family", help=_("Het gezin en het netwerk rond de leerling: huishouden, hulpverleners, "
                             "gekoppelde casussen van broers en zussen."))
def family() -> None:
    pass


def _service(env):
    return env.service(with_plugins=False)


@family.command("show", help=_("Toon het huishouden, de betrokken hulpverleners en de gekoppelde casussen."))
@click.argument("case_id", metavar="CASUS")
@click.option("--json", "as_json", is_flag=True, default=False, help=_("Uitvoer als JSON."))
@db_option
@pass_env
@handle_errors
def show_cmd(env, case_id, as_json):
    svc = _service(env)
    try:
        state = svc.get_state(case_id)
        linked = svc.linked_cases(case_id)
    finally:
        svc.store.close()
    data = {
        "case_id": case_id,
        "household": [{"seq": r.seq, **r.payload} for r in state.household],
        "professionals": [{"seq": r.seq, **r.payload} for r in state.professionals],
        "linked": [{"case_id": x["case_id"], "relation": x["relation"]} for x in linked],
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(_("Huishouden:"))
    for p in data["household"] or [None]:
        click.echo("  " + (_("(niemand vastgelegd)") if p is None else
                           f"#{p['seq']} {safe_line(p['name'])} — "
                           f"{safe_line(p.get('relation_detail') or label(p['relation'], 'relation'))}, "
                           + _("gezag: {g}", g=label(p.get("gezag") or "unknown"))))
    click.echo(_("Hulpverleners:"))
    for p in data["professionals"] or [None]:
        click.echo("  " + (_("(niemand vastgelegd)") if p is None else
                           f"#{p['seq']} {safe_line(p['name'])} — {safe_line(p['organisation'])}"))
    click.echo(_("Gekoppeld:"))
    for x in data["linked"] or [None]:
        click.echo("  " + (_("(geen casus die u mag zien)") if x is None else f"{x['case_id']} ({label(x['relation'], 'relation')})"))


@family.command("link", help=_("Koppel twee casussen van één gezin (in beide vastgelegd)."))
@click.argument("case_id", metavar="CASUS")
@click.argument("other", metavar="ANDERE_CASUS")
@click.option("--relation", type=click.Choice(["sibling", "household"]), default="sibling", show_default=True)
@db_option
@pass_env
@handle_errors
def link_cmd(env, case_id, other, relation):
    svc = _service(env)
    try:
        svc.link_cases(case_id, other, relation)
    finally:
        svc.store.close()
    click.echo(_("{a} en {b} zijn gekoppeld.", a=case_id, b=other))


@family.command("add-person", help=_("Leg een persoon in het leven van de leerling vast."))
@click.argument("case_id", metavar="CASUS")
@click.option("--name", required=True)
@click.option("--relation", required=True, type=click.Choice(["parent", "carer", "sibling", "other"]))
@click.option("--relation-detail", default="", help=_("Bijvoorbeeld moeder, stiefvader."))
@click.option("--gezag", type=click.Choice(["yes", "no", "unknown"]), default="unknown", show_default=True)
@click.option("--date-of-birth", default="", metavar="JJJJ-MM-DD")
@click.option("--address", default="")
@click.option("--phone", default="")
@click.option("--language", default="")
@click.option("--interpreter-needed", is_flag=True, default=False)
@click.option("--not-living-with-pupil", is_flag=True, default=False)
@click.option("--expect-seq", type=int, default=None, help=_("Weiger als er sindsdien iets is vastgelegd."))
@db_option
@pass_env
@handle_errors
def add_person_cmd(env, case_id, name, relation, relation_detail, gezag, date_of_birth, address, phone,
                   language, interpreter_needed, not_living_with_pupil, expect_seq):
    svc = _service(env)
    try:
        state = svc.add_household_member(
            case_id, expect_seq=expect_seq, name=name, relation=relation, relation_detail=relation_detail,
            gezag=gezag, date_of_birth=date_of_birth or None, address=address, phone=phone, language=language,
            interpreter_needed=interpreter_needed, lives_with_pupil=not not_living_with_pupil)
    finally:
        svc.store.close()
    click.echo(_("Vastgelegd als #{seq}.", seq=state.household[-1].seq))


@family.command("add-professional", help=_("Leg een betrokken hulpverlener vast."))
@click.argument("case_id", metavar="CASUS")
@click.option("--name", required=True)
@click.option("--organisation", required=True)
@click.option("--role", default="")
@click.option("--contact", default="")
@click.option("--since", default="", metavar="JJJJ-MM-DD")
@click.option("--expect-seq", type=int, default=None, help=_("Weiger als er sindsdien iets is vastgelegd."))
@db_option
@pass_env
@handle_errors
def add_professional_cmd(env, case_id, name, organisation, role, contact, since, expect_seq):
    svc = _service(env)
    try:
        state = svc.add_professional(case_id, expect_seq=expect_seq, name=name, organisation=organisation,
                                     role=role, contact=contact, since=since or None)
    finally:
        svc.store.close()
    click.echo(_("Vastgelegd als #{seq}.", seq=state.professionals[-1].seq))


@family.command("refer", help=_("'Geldt dit ook voor …?': verwijs vanuit CASUS naar vastlegging NUMMER van "
                                "de gekoppelde BRONCASUS."))
@click.argument("case_id", metavar="CASUS")
@click.argument("source_case", metavar="BRONCASUS")
@click.argument("source_seq", metavar="NUMMER", type=click.IntRange(1))
@click.option("--note", required=True, help=_("Waarom en hoe het ook voor deze leerling geldt."))
@db_option
@pass_env
@handle_errors
def refer_cmd(env, case_id, source_case, source_seq, note):
    svc = _service(env)
    try:
        state = svc.refer_to_linked(case_id, source_case, source_seq, note)
    finally:
        svc.store.close()
    click.echo(_("Verwijzing vastgelegd als #{seq}.", seq=state.references[-1].seq))
