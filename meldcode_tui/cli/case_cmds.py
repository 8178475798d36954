"""Case subcommands: ``meldcode case list``, ``meldcode case show ID`` and ``meldcode demo``."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date

import click

from ..i18n import _
from . import db_option, handle_errors, main, pass_env


def _point_dict(p) -> dict:
    d = asdict(p)
    d["due"] = p.due.isoformat() if p.due else None
    return d


def _corrections(r) -> list[dict]:
    return [{"seq": c.seq, "at": c.at, "actor": c.actor, "changes": c.changes, "reason": c.reason}
            for c in r.corrections]


def _records(recs, fields) -> list[dict]:
    """Each record with the fields named (None when absent or erased) and then EVERY other field
    of its current payload: the lists show what the record holds, not a selection of it."""
    out = []
    for r in recs:
        d = {"seq": r.seq, "at": r.at, "actor": r.actor}
        d.update({f: r.payload.get(f) for f in fields})
        d.update({k: v for k, v in r.payload.items() if k not in d})
        d["erased"] = r.erased
        if r.corrections:
            d["corrections"] = _corrections(r)
        out.append(d)
    return out


def record_dict(r) -> dict:
    """One record of the fold as stored, with its corrections applied: kind, who, when and its
    whole payload (every field, as the toml export carries it)."""
    d = {"seq": r.seq, "at": r.at, "actor": r.actor, "kind": r.kind, "payload": dict(r.payload),
         "erased": r.erased}
    if r.corrections:
        d["corrections"] = _corrections(r)
    return d


def case_summary(state, points, today: date) -> dict:
    """A JSON-ready picture of a case: who, where in the Meldcode, what was recorded, open points.
    ``records`` holds every record of the case's fold (the fold the exports render) with every
    field; the named lists are views of the same records for readers and scripts."""
    erased = bool(state.erasure_records)
    return {
        "case_id": state.case_id,
        "erased": erased,
        "pupil": {"name": state.pupil.name, "date_of_birth": state.pupil.date_of_birth,
                  "group": state.pupil.group, "pupil_number": state.pupil.pupil_number,
                  "age": None if erased else state.age_on(today)},
        "parents": state.parents,
        "owner": state.owner,
        "opened_at": state.opened_at,
        "last_change_at": state.last_change_at,
        "status": state.status,
        "step": state.step,
        "steps_completed": state.steps_completed,
        "route": "staff" if state.staff_route else "meldcode",
        "care_team": state.care_team,
        "signals": _records(state.signals, ("description", "observed_on", "observed_by", "source",
                                            "source_name", "contradicting", "catalogue", "injury")),
        "body_marks": _records(state.body_marks, ()),
        "consultations": _records(state.consultations, ("kind", "with_whom", "on", "anonymous", "question",
                                                        "advice")),
        "conversations": _records(state.conversations, ("on", "participants", "summary", "outcome",
                                                        "concern_removed")),
        "exceptions": _records(state.exceptions, ("exception", "ground", "reason")),
        "weighing": {str(q): {"answer": r.get("answer"), "reason": r.get("reason"),
                              "with_veilig_thuis": r.get("with_veilig_thuis"), "seq": r.seq,
                              "erased": r.erased}
                     for q, r in sorted(state.weighing.items())},
        "decisions": _records(state.decisions, ("report_needed", "help_possible", "reason")),
        "help_plans": _records(state.help_plans, ("description", "case_manager", "review_on")),
        "help_reviews": _records(state.help_reviews, ("on", "results_reached", "violence_continues",
                                                      "next_review_on")),
        "pre_report_contacts": _records(state.pre_report_contacts, ("on", "with", "reaction")),
        "reports": _records(state.reports, ("on", "office", "reference", "reporter_disclosed_to_family")),
        "acute_reports": _records(state.acute_reports, ()),
        "vt_feedback": _records(state.vt_feedback, ("on", "outcome", "stage")),
        "school_evaluations": _records(state.school_evaluations, ("on", "concerns_remain", "summary",
                                                                  "agreements")),
        "follow_ups": [dict(d, done=d["seq"] in state.follow_ups_done)
                       for d in _records(state.follow_ups, ("description", "due_on", "who"))],
        "staff_route_records": _records(state.staff_route_records, ("on", "record_type", "with_whom",
                                                                     "summary")),
        "route_record": _records([state.route], ("on", "routed_to", "reason"))[0] if state.route else None,
        "closed": state.closed,
        "closure": _records([state.closure], ("grounds", "reason", "monitoring_agreements",
                                              "new_school"))[0]
        if state.closure else None,
        "records": [record_dict(r) for _seq, r in sorted(state.records_by_seq.items())],
        "open_points": [_point_dict(p) for p in points],
    }


_SEVERITY = {"overdue": "TE LAAT", "due": "NU", "todo": "TE DOEN", "info": "INFO"}


@main.group("case", help=_("Casussen bekijken en vastleggen vanaf de opdrachtregel."))
def case_group():
    pass


@case_group.command("list", help=_("Toon de casussen die u mag zien: stap, status, eerstvolgende termijn."))
@click.option("--json", "as_json", is_flag=True, help=_("Uitvoer als JSON."))
@click.option("--open", "only_open", is_flag=True, help=_("Zonder gesloten casussen."))
@db_option
@pass_env
@handle_errors
def list_cmd(env, as_json, only_open):
    svc = env.service(with_plugins=False)
    try:
        rows = svc.list_cases(include_closed=not only_open)
        for row in rows:
            row["open_points"] = [_point_dict(p) for p in svc.open_points(row["case_id"])]
    finally:
        svc.store.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(_("Geen casussen."))
        return
    for row in rows:
        deadline = row.get("next_deadline") or "-"
        flag = " " + _("(te laat)") if row.get("overdue") else ""
        if row.get("family"):       # linked siblings' cases this user may see
            flag += "  " + _("gezin: {ids}", ids=", ".join(row["family"]))
        # A staff-route case follows the board's route, not the Meldcode's steps.
        step = _("andere route") if row.get("route") == "staff" else _("stap {n}", n=row["step"])
        click.echo(_("{case_id}  {step}  {status:<12} {name} ({group})  termijn: {deadline}{flag}",
                     case_id=row["case_id"], step=step, status=row["status"],
                     name=row.get("pupil_name") or "", group=row.get("group_name") or "-",
                     deadline=deadline, flag=flag))
        for p in row["open_points"][:3]:
            click.echo(f"    [{_(_SEVERITY.get(p['severity'], p['severity']))}] {p['text']}")


@case_group.command("show", help=_("Toon één casus met stappen, vastleggingen, termijnen en open punten. "
                                   "Dit telt als inzage en wordt in het journaal vastgelegd."))
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True, help=_("Uitvoer als JSON."))
@db_option
@pass_env
@handle_errors
def show_cmd(env, case_id, as_json):
    from ..domain.vocabulary import label
    from ..domain.guide import open_points
    from ..domain.steps import step_name

    svc = env.service(with_plugins=False)
    try:
        state = svc.open_case(case_id.strip().upper(), purpose="cli")
        today = svc.today()
        points = open_points(state, today, policy=svc.care_team_policy)
    finally:
        svc.store.close()
    summary = case_summary(state, points, today)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    echo = click.echo
    if summary["erased"]:
        # The words are gone; what stays is that the case existed, its number, the kinds and
        # times of its records and who made them (and the erasure itself).
        _show_erased(state)
        return
    echo(_("Casus {case_id} — {name} ({group}, {age} jaar)", case_id=state.case_id,
           name=state.pupil.name, group=state.pupil.group or "-", age=summary["pupil"]["age"]))
    echo(_("Status: {status}   Stap: {step} ({name})   Eigenaar: {owner}", status=state.status,
           step=state.step, name=step_name(state.step), owner=state.owner))
    echo(_("Afgeronde stappen: {steps}", steps=", ".join(map(str, state.steps_completed)) or "-"))
    if state.signals:
        echo(_("Signalen:"))
        for r in state.signals:
            tag = _(" (weerspreekt)") if r.get("contradicting") else ""
            echo(f"  #{r.seq} {r.get('observed_on')} {label(r.get('source', ''))}{tag}: {r.get('description')}")
    if state.consultations:
        echo(_("Consultaties:"))
        for r in state.consultations:
            echo(f"  #{r.seq} {r.get('on')} {label(r.get('kind', ''))}: {r.get('with_whom')}")
    if state.conversations:
        echo(_("Gesprekken:"))
        for r in state.conversations:
            who = ", ".join(label(x) for x in r.get("participants", []))
            echo(f"  #{r.seq} {r.get('on')} {who}: {r.get('summary')}")
    if state.exceptions:
        echo(_("Uitzonderingen:"))
        for r in state.exceptions:
            echo(f"  #{r.seq} {label(r.get('exception', ''))} ({label(r.get('ground', ''))}): {r.get('reason')}")
    if state.weighing:
        echo(_("Afwegingskader:"))
        for q, r in sorted(state.weighing.items()):
            echo(_("  vraag {q}: {answer} — {reason}", q=q, answer=label(r["answer"]), reason=r["reason"]))
    if state.decision:
        d = state.decision
        echo(_("Besluit: melden {report}, hulp {help}", report=label("yes" if d["report_needed"] else "no"),
               help=label("yes" if d["help_possible"] else "no")))
    for r in state.reports:
        echo(_("Melding #{seq} op {on} bij {office}", seq=r.seq, on=r["on"], office=r["office"]))
    if points:
        echo(_("Open punten:"))
        for p in points:
            due = f" ({p.due.isoformat()})" if p.due else ""
            echo(f"  [{_(_SEVERITY.get(p.severity, p.severity))}]{due} {p.text}")
    else:
        echo(_("Geen open punten."))
    _echo_records(state)


# Who looked at the case is the access log (``meldcode access-log``), not a record of it.
_NOT_LISTED = frozenset({"case_viewed", "payload_erased"})


def _echo_records(state) -> None:
    """Every record with every field of its current payload (the sections above pick out
    what a reader looks for first; this is the whole record, as the exports carry it)."""
    from ..domain.vocabulary import kind_title
    from ..exports.common import field_label
    from ..exports.markdown import format_field
    from ..text_safety import safe

    echo = click.echo
    echo(_("Vastleggingen (alle velden):"))
    for _seq, r in sorted(state.records_by_seq.items()):
        if r.kind in _NOT_LISTED:
            continue
        echo(f"  #{r.seq} {r.at[:10]} {r.actor}: {kind_title(r.kind)}"
             + (" " + _("(gecorrigeerd)") if r.corrections else ""))
        if r.erased:
            echo("      " + _("(inhoud gewist)"))
            continue
        for name, value in r.payload.items():
            if value in ("", None, [], {}):
                continue
            text = safe(str(format_field(name, value))).replace("\n", "\n        ")
            echo(f"      {field_label(name)}: {text}")


def _show_erased(state) -> None:
    from ..domain.vocabulary import kind_title

    echo = click.echo
    record = state.erasure_records[-1]
    echo(_("Casus {case_id} — gewist op {on} door {actor}", case_id=state.case_id,
           on=record.at[:10], actor=record.actor))
    echo(_("Status: {status}   Eigenaar: {owner}", status=state.status, owner=state.owner or "-"))
    echo(_("De inhoud van deze casus is gewist; het journaal blijft controleerbaar. Wat overblijft:"))
    for _seq, r in sorted(state.records_by_seq.items()):
        if r.kind in ("payload_erased", "case_viewed"):
            continue
        tag = " " + _("(gewist)") if r.erased else ""
        echo(f"  #{r.seq} {r.at[:10]} {r.actor}: {kind_title(r.kind)}{tag}")


@main.command("demo", help=_("Vul een LEGE database met fictieve democasussen (alle vijf stappen, een "
                             "melding, lopende hulp, een verlopen termijn, een gesloten en een "
                             "doorverwezen casus)."))
@db_option
@pass_env
@handle_errors
def demo_cmd(env):
    from ..demo import create_demo

    svc = env.service(create=True, with_plugins=False)
    try:
        ids = create_demo(svc)
    finally:
        svc.store.close()
    click.echo(_("{n} fictieve democasussen aangemaakt: {ids}.", n=len(ids), ids=", ".join(ids)))
    sys.stdout.flush()
