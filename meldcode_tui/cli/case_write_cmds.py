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

def _read_stdin_payload(fmt: str, value: str) -> dict:
    from ..bounded_input import MAX_STDIN_BYTES, decode_utf8, parse_json, parse_toml, read_stream

    if value != "-":
        raise click.UsageError(_("--{fmt} leest alleen van standaardinvoer: geef '-' (geen "
                                 "bestandsnaam).", fmt=fmt))
    what = _("De invoer")
    data = decode_utf8(read_stream(getattr(sys.stdin, "buffer", sys.stdin), limit=MAX_STDIN_BYTES,
                                   what=what), what=what)
    try:
        payload = parse_json(data, what=what) if fmt == "json" else parse_toml(data, what=what)
    except ValueError as exc:   # JSONDecodeError and TOMLDecodeError are ValueErrors
        raise InputError(_("De invoer is geen geldige {fmt}.", fmt=fmt.upper()), field="stdin",
                         hint=_("Regel {line}.", line=getattr(exc, "lineno", "?"))) from None
    if not isinstance(payload, dict):
        raise InputError(_("De invoer moet één object met velden zijn."), field="stdin")
    return payload


def _case_id(value: str) -> str:
    return value.strip().upper()


NEW_CASE_FIELDS = ("name", "date_of_birth", "group", "pupil_number", "parents", "note",
                   "staff_suspicion")


def warn_command_line(options: list[str]) -> None:
    """Once per command: personal data given as options is readable by every local user
    (``/proc/PID/cmdline``, ``ps``) and stays in the shell's history."""
    if options:
        click.echo(_("Let op: {options} op de opdrachtregel is leesbaar voor andere gebruikers op "
                     "deze computer (ps) en blijft in de shellgeschiedenis. Geef persoonlijke "
                     "gegevens liever op standaardinvoer (--json -).",
                     options=", ".join(options)), err=True)


@case_group.command("new", help=_("Maak een nieuwe casus aan en druk het casusnummer af. De "
                                  "gegevens van de leerling liefst als JSON of TOML op "
                                  "standaardinvoer (--json - / --toml -), met de velden name, "
                                  "date_of_birth, group, pupil_number, parents [{name, relation}], "
                                  "note, staff_suspicion."))
@click.option("--json", "json_in", default=None, metavar="-",
              help=_("Lees de gegevens als JSON van standaardinvoer."))
@click.option("--toml", "toml_in", default=None, metavar="-",
              help=_("Lees de gegevens als TOML van standaardinvoer."))
@click.option("--name", default=None, help=_("Naam van de leerling (liever via --json -)."))
@click.option("--dob", default=None, help=_("Geboortedatum (JJJJ-MM-DD)."))
@click.option("--group", default=None, help=_("Groep of klas."))
@click.option("--number", default=None, help=_("Leerlingnummer."))
@click.option("--pupil", "pupil_register_number", default=None, metavar="NUMMER",
              help=_("Neem de gegevens over uit de leerlingadministratie (leerlingnummer); "
                     "andere opties vullen of wijzigen ze."))
@click.option("--parent", "parents", multiple=True, metavar="NAAM[:RELATIE]",
              help=_("Een ouder of verzorger (herhaalbaar)."))
@click.option("--note", default=None, help=_("Notitie bij het openen."))
@click.option("--staff-suspect", is_flag=True,
              help=_("Het vermoeden richt zich tegen een medewerker (andere route, niet de Meldcode)."))
@db_option
@pass_env
@handle_errors
def new_cmd(env, json_in, toml_in, name, dob, group, number, pupil_register_number, parents, note,
            staff_suspect):
    if json_in is not None and toml_in is not None:
        raise click.UsageError(_("Kies --json of --toml, niet allebei."))
    data: dict = {}
    if json_in is not None or toml_in is not None:
        data = _read_stdin_payload("json" if json_in is not None else "toml", json_in or toml_in)
        unknown = sorted(set(data) - set(NEW_CASE_FIELDS))
        if unknown:
            raise InputError(_("Een nieuwe casus heeft geen veld '{field}'; velden: {known}.",
                               field=unknown[0][:40], known=", ".join(NEW_CASE_FIELDS)),
                             field=unknown[0][:40])
    given = {"--name": name, "--dob": dob, "--number": number, "--note": note}
    warn_command_line([opt for opt, v in given.items() if v] + (["--parent"] if parents else []))
    for key, value in (("name", name), ("date_of_birth", dob), ("group", group),
                       ("pupil_number", number), ("note", note)):
        if value is not None:
            data[key] = value
    if parents:
        data["parents"] = [{"name": p.partition(":")[0].strip(), "relation": p.partition(":")[2].strip()}
                           for p in parents]
    if staff_suspect:
        data["staff_suspicion"] = True
    if pupil_register_number is not None:
        from .pupil_cmds import new_case_from_register

        svc = env.service(create=True, with_plugins=False)
        try:
            state = new_case_from_register(
                svc, pupil_register_number, name=data.get("name"), dob=data.get("date_of_birth"),
                group=data.get("group"), number=data.get("pupil_number"),
                parents=[f"{p.get('name', '')}:{p.get('relation', '')}" for p in data.get("parents") or []],
                note=data.get("note") or "", staff_suspect=bool(data.get("staff_suspicion")))
            from ..service_layer.look_alikes import look_alike_warning

            # The register's name can be overridden with --name, and a hand-made case of the
            # same child may already exist under a look-alike spelling.
            warning = look_alike_warning(svc, state.pupil.name, state.case_id)
        finally:
            svc.store.close()
        if warning:
            click.echo(warning, err=True)
        click.echo(state.case_id)
        return
    for key, option in (("name", "--name"), ("date_of_birth", "--dob")):
        if not data.get(key):
            raise InputError(_("De {field} van de leerling ontbreekt (veld '{key}' in --json -, of "
                               "{option}; of --pupil NUMMER uit de leerlingadministratie).",
                               field=_("naam") if key == "name" else _("geboortedatum"),
                               key=key, option=option), field=key)
    parent_list = data.get("parents") or []
    if not isinstance(parent_list, list):
        raise InputError(_("Het veld 'parents' moet een lijst zijn."), field="parents")
    svc = env.service(create=True, with_plugins=False)
    try:
        state = svc.create_case(data["name"], data["date_of_birth"], data.get("group", ""),
                                data.get("pupil_number", ""), parent_list, data.get("note", ""),
                                staff_suspicion=bool(data.get("staff_suspicion", False)))
        from ..service_layer.look_alikes import look_alike_warning

        warning = look_alike_warning(svc, data["name"], state.case_id)
    finally:
        svc.store.close()
    if warning:
        click.echo(warning, err=True)
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
    if not as_json:   # with --print-json, stderr carries the refusal as JSON for a script
        warn_command_line(["--set"] if settings else [])
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
        except InputError as exc:
            if exc.field != "expect_seq":
                raise
            raise InputError(f"--expect-seq: {exc.message}", field=exc.field) from None
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
