"""Plugin and catalogue subcommands: ``plugins``, ``catalogue check|list|show``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import InputError, NotFound
from ..i18n import _
from . import db_option, handle_errors, main, pass_env


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@main.command("plugins", help=_(
    "Toon alle geïnstalleerde plugins: pakket en versie, of ze geladen zijn (en zo niet, "
    "waarom), de catalogi die ze leveren (met aantal signalen) en de exportformaten."))
@click.option("--json", "as_json", is_flag=True, help=_("Uitvoer als JSON (voor scripts)."))
@db_option
@pass_env
@handle_errors
def plugins_cmd(env, as_json):
    host = env.plugin_host()
    statuses = host.statuses()
    if as_json:
        _echo_json({"plugins": [st.to_dict() for st in statuses]})
        return
    if not statuses:
        click.echo(_("Geen plugins gevonden."))
        return
    for st in statuses:
        origin = f"{st.dist or '?'} {st.version or ''}".strip()
        if st.builtin:
            origin += ", " + _("ingebouwd")
        click.echo(f"{st.name}  ({origin})")
        click.echo("  " + _("status: {state}", state=st.state))
        if st.loaded:
            cats = ", ".join(_("{id} ({n} signalen)", id=cid, n=n) for cid, n in st.catalogues) or "-"
            click.echo("  " + _("catalogi: {list}", list=cats))
            click.echo("  " + _("exportformaten: {list}", list=", ".join(st.formats) or "-"))
        for warning in st.warnings:
            click.echo("  " + _("waarschuwing: {text}", text=warning))


@main.group("catalogue", help=_(
    "Signalencatalogi: controleren, tonen en doorzoeken. Een eigen catalogus is een "
    "TOML-bestand in een map die in de configuratie staat ([catalogues] folders)."))
def catalogue_group():
    pass


def _expand(paths: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(x for x in p.glob("*.toml") if x.is_file())
            files.extend(found or [p])
        else:
            files.append(p)
    return files


@catalogue_group.command("check", help=_(
    "Controleer catalogusbestanden (TOML) en meld ELK probleem met zijn plaats: regel:kolom "
    "bij een syntaxfout, anders het sleutelpad (bijv. signals[12].age_groups[0]). Een map "
    "controleert alle .toml-bestanden erin. Afsluitcode 0: in orde, 1: problemen."))
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help=_("Uitvoer als JSON (voor scripts)."))
@db_option
@handle_errors
def catalogue_check_cmd(files, as_json):
    from ..plugins.catalogue import check_catalogue_file, load_catalogue_file

    report = []
    failed = False
    for path in _expand(files):
        if path.is_dir():
            problems = [_problem("", _("map bevat geen .toml-bestanden"))]
        else:
            problems = check_catalogue_file(path)
        entry = {"file": str(path), "ok": not problems,
                 "problems": [{"place": p.place, "message": p.message} for p in problems]}
        if not problems:
            cat = load_catalogue_file(path)
            entry.update(id=cat.id, version=cat.version, signals=len(cat.signals),
                         categories=len(cat.categories), age_groups=len(cat.age_groups))
        failed |= bool(problems)
        report.append(entry)
        if as_json:
            continue
        if problems:
            for p in problems:
                where = f"{path}:{p.place}" if p.place and p.place[0].isdigit() else (
                    f"{path}: {p.place}" if p.place else str(path))
                click.echo(f"{where}: {p.message}")
            click.echo(_("{path}: {n} probleem/problemen gevonden.", path=path, n=len(problems)), err=True)
        else:
            click.echo(_("{path}: in orde ({id} versie {version}: {signals} signalen, "
                         "{categories} categorieën, {ages} leeftijdsgroepen).",
                         path=path, id=entry["id"], version=entry["version"], signals=entry["signals"],
                         categories=entry["categories"], ages=entry["age_groups"]))
    if as_json:
        _echo_json({"ok": not failed, "files": report})
    if failed:
        sys.exit(1)


def _problem(place, message):
    from ..plugins.catalogue import Problem

    return Problem(place, message)


@catalogue_group.command("list", help=_(
    "Toon de geladen catalogi (id, versie, titel, aantal signalen, plugin) en eventuele "
    "waarschuwingen over catalogi die zijn overgeslagen."))
@click.option("--json", "as_json", is_flag=True, help=_("Uitvoer als JSON (voor scripts)."))
@db_option
@pass_env
@handle_errors
def catalogue_list_cmd(env, as_json):
    host = env.plugin_host()
    owners = {cid: st.name for st in host.statuses() for cid, _n in st.catalogues}
    cats = host.catalogues()
    if as_json:
        _echo_json({
            "catalogues": [
                {"id": c.id, "title": c.title, "version": c.version, "signals": len(c.signals),
                 "plugin": owners.get(c.id), "source": c.source, "path": str(c.path) if c.path else None}
                for c in cats
            ],
            "warnings": host.warnings(),
        })
        return
    if not cats:
        click.echo(_("Geen catalogi geladen."))
    for c in cats:
        click.echo(_("{id}  versie {version}  {n} signalen  ({title}; plugin {plugin})",
                     id=c.id, version=c.version, n=len(c.signals), title=c.title, plugin=owners.get(c.id, "?")))
    for line in host.warnings():
        click.echo(_("waarschuwing: {text}", text=line), err=True)


@catalogue_group.command("show", help=_(
    "Toon een catalogus: leeftijdsgroepen, categorieën en signalen (met id). Filter met "
    "--age-group en --concerns, of zoek (ongevoelig voor hoofdletters, accenten en kleine "
    "typefouten) met --search."))
@click.argument("catalogue_id")
@click.option("--age-group", "age_group", default=None, metavar="ID",
              help=_("Alleen signalen voor deze leeftijdsgroep (bijv. 4-12)."))
@click.option("--concerns", type=click.Choice(["child", "parent", "risk_factor", "protective_factor"]),
              default=None, help=_("Alleen signalen bij het kind, bij de ouder, risico- of beschermende factoren."))
@click.option("--search", "search", default=None, metavar="TEKST", help=_("Zoek in de signalen."))
@click.option("--json", "as_json", is_flag=True, help=_("Uitvoer als JSON (voor scripts)."))
@db_option
@pass_env
@handle_errors
def catalogue_show_cmd(env, catalogue_id, age_group, concerns, search, as_json):
    from ..plugins.catalogue import concern_label

    host = env.plugin_host()
    cat = host.catalogue(catalogue_id)
    if cat is None:
        raise NotFound(_("Catalogus {id} is niet geladen (zie 'meldcode catalogue list').", id=catalogue_id))
    if age_group is not None and cat.age_group(age_group) is None:
        raise InputError(_("Leeftijdsgroep {id!r} bestaat niet in catalogus {cat} (kies uit: {ids}).",
                           id=age_group, cat=cat.id, ids=", ".join(a.id for a in cat.age_groups) or "-"),
                         field="age_group")
    if search:
        signals = [m.signal for m in host.search_signals(search, age_group=age_group, limit=len(cat.signals),
                                                          concerns=concerns, catalogue_id=cat.id)]
    else:
        signals = cat.signals_for(age_group, concerns=concerns)
    if as_json:
        _echo_json({
            "id": cat.id, "title": cat.title, "version": cat.version, "source": cat.source,
            "licence": cat.licence,
            "age_groups": [{"id": a.id, "label": a.label, "min_age": a.min_age, "max_age": a.max_age}
                           for a in cat.age_groups],
            "categories": [{"id": c.id, "title": c.title} for c in cat.categories],
            "signals": [{"id": s.id, "text": s.text, "concerns": s.concerns, "forms": list(s.forms),
                         "age_groups": list(s.age_groups)} for s in signals],
        })
        return
    click.echo(f"{cat.title} ({cat.id}, " + _("versie {version}", version=cat.version) + ")")
    if cat.source:
        click.echo(_("Bron: {source}", source=cat.source))
    if cat.age_groups:
        click.echo(_("Leeftijdsgroepen: {list}", list=", ".join(f"{a.id} ({a.label})" for a in cat.age_groups)))
    if cat.categories:
        click.echo(_("Categorieën:"))
        for c in cat.categories:
            click.echo(f"  {c.id}: {c.title}")
    click.echo(_("Signalen ({n}):", n=len(signals)))
    for s in signals:
        ages = ", ".join(s.age_groups) or _("alle leeftijden")
        click.echo(f"  {s.id}  {s.text}")
        click.echo(f"         [{concern_label(s.concerns)}; {ages}; {', '.join(s.forms) or '-'}]")
