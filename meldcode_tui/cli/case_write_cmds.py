"""Writing from the command line: ``meldcode case new``, ``case record`` and ``case kinds``.

The second skin over the same core: ``case record`` calls the very ``CaseService`` method the
TUI's forms call (``CaseService.record``; a signal goes through ``record_signal`` so a
catalogue reference is filled in from the catalogue), with the same validation, rules and Dutch
messages. A refusal exits 1 and names the rule and what would make the record possible.

The payload comes from ``--set FIELD=VALUE`` options and/or a JSON or TOML document on standard
input (``--json -`` / ``--toml -``). There is deliberately no file-path argument: on the school's
server nobody names files there (see DESIGN.md, "Identity and deployment").
"""

from __future__ import annotations

import json
import sys

import click

from ..errors import InputError, RuleViolation, StaleCase
from ..i18n import _
from . import db_option, handle_errors, pass_env
from .case_cmds import case_group

MAX_STDIN = 1_000_000   # characters: far more than any record, small enough to refuse junk


def _read_stdin_payload(fmt: str, value: str) -> dict:
    if value != "-":
        raise click.UsageError(_("--{fmt} leest alleen van standaardinvoer: geef '-' (geen "
                                 "bestandsnaam).", fmt=fmt))
    data = sys.stdin.read(MAX_STDIN + 1)
    if len(data) > MAX_STDIN:
        raise InputError(_("De invoer is te groot."), field="stdin")
    try:
        if fmt == "json":
            payload = json.loads(data)
        else:
            import tomllib

            payload = tomllib.loads(data)
    except ValueError as exc:   # JSONDecodeError and TOMLDecodeError are ValueErrors
        raise InputError(_("De invoer is geen geldige {fmt}.", fmt=fmt.upper()), field="stdin",
                         hint=_("Regel {line}.", line=getattr(exc, "lineno", "?"))) from None
    if not isinstance(payload, dict):
        raise InputError(_("De invoer moet één object met velden zijn."), field="stdin")
    return payload


def _case_id(value: str) -> str:
    return value.strip().upper()


@case_group.command("new", help=_("Maak een nieuwe casus aan en druk het casusnummer af."))
@click.option("--name", default=None, help=_("Naam van de leerling."))
@click.option("--dob", default=None, help=_("Geboortedatum (JJJJ-MM-DD)."))
@click.option("--pupil", "pupil_number", default=None, metavar="NUMMER",
              help=_("Neem de gegevens over uit de leerlingadministratie (leerlingnummer); "
                     "andere opties vullen of wijzigen ze."))
@click.option("--group", default="", help=_("Groep of klas."))
@click.option("--number", default="", help=_("Leerlingnummer."))
@click.option("--parent", "parents", multiple=True, metavar="NAAM[:RELATIE]",
              help=_("Een ouder of verzorger (herhaalbaar)."))
@click.option("--note", default="", help=_("Notitie bij het openen."))
@click.option("--staff-suspect", is_flag=True,
              help=_("Het vermoeden richt zich tegen een medewerker (andere route, niet de Meldcode)."))
@db_option
@pass_env
@handle_errors
def new_cmd(env, name, dob, group, number, parents, note, staff_suspect, pupil_number):
    if pupil_number is None and (not name or not dob):
        raise InputError(_("Geef --name en --dob, of --pupil NUMMER (uit de leerlingadministratie)."),
                         field="name" if not name else "dob")
    svc = env.service(create=True, with_plugins=False)
    if pupil_number is not None:
        from .pupil_cmds import new_case_from_register

        try:
            state = new_case_from_register(svc, pupil_number, name=name, dob=dob, group=group,
                                           number=number, parents=parents, note=note,
                                           staff_suspect=staff_suspect)
        finally:
            svc.store.close()
        click.echo(state.case_id)
        return
    try:
        parent_list = [{"name": p.partition(":")[0].strip(), "relation": p.partition(":")[2].strip()}
                       for p in parents]
        state = svc.create_case(name, dob, group, number, parent_list, note,
                                staff_suspicion=staff_suspect)
    finally:
        svc.store.close()
    click.echo(state.case_id)


@case_group.command("kinds", help=_("Toon alle soorten vastleggingen met hun velden (voor 'case record')."))
@click.option("--json", "as_json", is_flag=True, help=_("Uitvoer als JSON."))
@handle_errors
def kinds_cmd(as_json):
    from ..domain.intent_fields import describe, recordable_kinds

    kinds = [describe(k) for k in recordable_kinds()]
    if as_json:
        click.echo(json.dumps(kinds, ensure_ascii=False, indent=2))
        return
    for k in kinds:
        click.echo(f"{k['kind']} — {k['title']}")
        if k["fields"] is None:
            click.echo("    " + _("(velden: zie de JSON-invoer van deze soort)"))
            continue
        for f in k["fields"]:
            need = _("verplicht") if f["required"] else _("optioneel")
            extra = ""
            if f.get("choices"):
                extra = ": " + ", ".join(f"{c['value']} ({c['label']})" for c in f["choices"])
            note = f" — {f['note']}" if f.get("note") else ""
            click.echo(f"    {f['name']:<30} {f['label']}; {f['type_label']}, {need}{extra}{note}")


@case_group.command("record", help=_("Leg iets vast op een casus, met dezelfde regels als de app. "
                                     "Velden met --set VELD=WAARDE en/of als JSON/TOML op "
                                     "standaardinvoer (--json - / --toml -). Zie 'case kinds'."))
@click.argument("case_id")
@click.argument("kind")
@click.option("--set", "settings", multiple=True, metavar="VELD=WAARDE",
              help=_("Een veld (herhaalbaar; meerdere keuzes met komma's)."))
@click.option("--json", "json_in", default=None, metavar="-",
              help=_("Lees de velden als JSON van standaardinvoer."))
@click.option("--toml", "toml_in", default=None, metavar="-",
              help=_("Lees de velden als TOML van standaardinvoer."))
@click.option("--expect-seq", "expect_seq", type=int, default=None, metavar="N",
              help=_("Weiger als er na record #N iets op de casus is vastgelegd."))
@click.option("--print-json", "as_json", is_flag=True, help=_("Uitvoer als JSON."))
@db_option
@pass_env
@handle_errors
def record_cmd(env, case_id, kind, settings, json_in, toml_in, expect_seq, as_json):
    from ..domain.events import KINDS
    from ..domain.intent_fields import NOT_RECORDABLE, apply_setting, unknown_fields

    kind = kind.strip()
    if kind == "case_opened":
        raise InputError(_("Een casus maak je aan met 'meldcode case new'."), field="kind")
    if kind not in KINDS or kind in NOT_RECORDABLE:
        raise InputError(_("Onbekende soort '{kind}'; zie 'meldcode case kinds'.", kind=kind),
                         field="kind")
    if json_in is not None and toml_in is not None:
        raise click.UsageError(_("Kies --json of --toml, niet allebei."))
    payload: dict = {}
    if json_in is not None:
        payload = _read_stdin_payload("json", json_in)
    elif toml_in is not None:
        payload = _read_stdin_payload("toml", toml_in)
    extra = unknown_fields(kind, payload)
    if extra:
        raise InputError(_("Soort '{kind}' heeft geen veld '{field}'; zie 'meldcode case kinds'.",
                           kind=kind, field=extra[0]), field=extra[0])
    for setting in settings:
        payload = apply_setting(kind, payload, setting)

    cid = _case_id(case_id)
    svc = env.service(with_plugins=kind == "signal_recorded" and bool(payload.get("catalogue")))
    try:
        try:
            if kind == "signal_recorded":
                state = svc.record_signal(cid, expect_seq=expect_seq, **payload)
            else:
                state = svc.record(cid, kind, payload, expect_seq=expect_seq)
        except RuleViolation as exc:
            _refused(exc, as_json)
        except StaleCase as exc:
            _stale(exc, as_json)
    finally:
        svc.store.close()
    result = {"case_id": state.case_id, "seq": state.last_seq, "kind": kind,
              "status": state.status, "step": state.step}
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(_("Vastgelegd: #{seq} {kind} op {case_id} (status {status}, stap {step}).",
                     **result))


def _refused(exc: RuleViolation, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"refused": True, "rule": exc.rule, "message": exc.message,
                               "hint": exc.hint}, ensure_ascii=False), err=True)
    else:
        click.echo(_("meldcode: geweigerd door regel {rule}: {message}", rule=exc.rule,
                     message=exc.message), err=True)
        if exc.hint:
            click.echo(f"  → {exc.hint}", err=True)
    sys.exit(1)


def _stale(exc: StaleCase, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"stale": True, "message": exc.message, "head": exc.head,
                               "added": exc.added}, ensure_ascii=False), err=True)
    else:
        click.echo(f"meldcode: {exc.message}", err=True)
        for a in exc.added:
            click.echo(f"  #{a['seq']} {a['at']} {a['actor']}: {a['kind']}", err=True)
        if exc.hint:
            click.echo(f"  → {exc.hint}", err=True)
    sys.exit(1)
