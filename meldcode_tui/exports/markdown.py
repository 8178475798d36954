"""The ``markdown`` export: a readable chronology of the case.

One entry per record in journal (= time) order. Corrections appear as corrections (their
own entry, and a note at the record they correct; nothing is overwritten). The access log
(``case_viewed``) is left out of the chronology and summarised at the end.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..domain.vocabulary import FIELD_LABELS
from ..i18n import _
from .common import (
    ACCESS_KINDS,
    Record,
    case_facts,
    corrected_fields,
    field_label,
    fmt_at,
    fmt_date,
    kind_label,
    value_label,
)

DATE_FIELDS = {"observed_on", "on", "review_on", "next_review_on", "due_on", "date_of_birth",
               "decided_on"}


_BLOCK_START = re.compile(r"^(#{1,6}(\s|$)|>|[-*+](\s|$)|\d+[.)](\s|$)|\||={3,}|-{3,}|`{3,}|~{3,})")


def md_escape(text: str) -> str:
    """Keep free text from turning into markdown structure (headings, lists, quotes)."""
    lines = []
    for line in str(text).splitlines() or [""]:
        stripped = line.lstrip()
        if _BLOCK_START.match(stripped):
            line = "\\" + stripped
        lines.append(line)
    return "  \n".join(lines)


def format_field(name: str, value: Any) -> str:
    if name in DATE_FIELDS and isinstance(value, str) and value:
        return fmt_date(value)
    if name == "catalogue":
        if not value:
            return _("nee")
        return str(value.get("text") or value.get("signal_id") or "")
    if name == "members" and isinstance(value, list):
        return "; ".join(
            f"{value_label(m.get('role'), 'role')}: {m.get('name', '')}" for m in value if isinstance(m, dict)
        ) or _("geen")
    if name == "parents" and isinstance(value, list):
        return "; ".join(
            f"{p.get('name', '')} ({p.get('relation', '')})" for p in value if isinstance(p, dict)
        ) or _("geen")
    if name == "pupil" and isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {format_field(k, v)}" for k, v in value.items())
    if name == "question" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if name == "origin" and isinstance(value, dict):
        return _("{school}, casus {case}, geëxporteerd {when}",
                 school=value.get("school") or _("onbekende school"),
                 case=value.get("source_case_id", ""),
                 when=fmt_at(value.get("exported_at", "")))
    return value_label(value, name)


def record_lines(rec: Record, *, skip: tuple[str, ...] = ()) -> list[str]:
    lines: list[str] = []
    if rec.erased:
        return [_("- *(inhoud gewist volgens de bewaartermijn)*")]
    payload = rec.payload
    if rec.kind == "record_corrected":
        target = payload.get("target_seq")
        lines.append(_("- **correctie op:** #{seq}", seq=target))
        for name, value in (payload.get("changes") or {}).items():
            lines.append(f"- **{field_label(name)} (nieuw):** {md_escape(format_field(name, value))}")
        lines.append(f"- **{field_label('reason')}:** {md_escape(payload.get('reason', ''))}")
        return lines
    corrected = corrected_fields(rec)
    if rec.kind == "case_opened":
        pupil = payload.get("pupil") or {}
        payload = {**{f"pupil.{k}": v for k, v in pupil.items()},
                   **{k: v for k, v in payload.items() if k != "pupil"}}
    for name, value in payload.items():
        if name in skip:
            continue
        if value in ("", None, [], {}) and name not in ("contradicting",):
            continue
        short = name.split(".", 1)[1] if name.startswith("pupil.") else name
        label = field_label(name) if name in FIELD_LABELS else field_label(short)
        text = md_escape(format_field(short, value))
        if name in corrected:
            original = rec.original.get(name)
            lines.append(_("- **{label}:** {text} *(gecorrigeerd; oorspronkelijk: {old})*",
                           label=label, text=text, old=md_escape(format_field(name, original))))
        else:
            lines.append(f"- **{label}:** {text}")
    return lines


def render_markdown(request) -> bytes:
    facts = case_facts(list(request.events))
    out: list[str] = []
    out.append(_("# Chronologie casus {case_id}", case_id=facts.case_id))
    out.append("")
    out.append(_("*Vertrouwelijk — deel van het leerlingdossier dat ouders niet inzien.*"))
    out.append("")
    out.append(f"- **{_('Leerling')}:** {md_escape(facts.pupil_name)}")
    out.append(f"- **{_('Geboortedatum')}:** {fmt_date(facts.date_of_birth)}")
    out.append(f"- **{_('Groep')}:** {md_escape(facts.group)}")
    if request.school:
        out.append(f"- **{_('School')}:** {md_escape(request.school)}")
    out.append(f"- **{_('Geëxporteerd door')}:** {request.actor}, {fmt_at(request.exported_at)}")
    out.append(f"- **{_('Journaalverwijzing')}:** `{request.journal_ref}`")
    out.append("")
    out.append(_("## Verloop"))
    out.append("")

    views: list[Any] = []
    for rec in facts.records:
        ev = rec
        if ev.kind in ACCESS_KINDS:
            views.append(ev)
            continue
        title = kind_label(ev.kind)
        if ev.kind == "weighing_answered":
            title = _("Afwegingsvraag {n} beantwoord", n=rec.payload.get("question", "?"))
        elif ev.kind == "step_completed":
            title = _("Stap {n} afgerond", n=rec.payload.get("step", "?"))
        out.append(f"### #{ev.seq} · {title}")
        out.append("")
        out.append(_("*{when} — vastgelegd door {actor}*", when=fmt_at(ev.at), actor=ev.actor))
        out.append("")
        skip = ("question", "step") if ev.kind in ("weighing_answered", "step_completed") else ()
        out.extend(record_lines(rec, skip=skip))
        if rec.corrections:
            out.append(_("- *Gecorrigeerd in: {seqs}*",
                         seqs=", ".join(f"#{c.seq}" for c in rec.corrections)))
        out.append("")

    out.append(_("## Inzage"))
    out.append("")
    if views:
        per_actor = Counter(v.actor for v in views)
        out.append(_("De casus is {n} keer ingezien (toegangslog, niet in de chronologie opgenomen):",
                     n=len(views)))
        out.append("")
        for actor, n in sorted(per_actor.items()):
            last = max(v.at for v in views if v.actor == actor)
            out.append(_("- {actor}: {n} keer, laatst op {when}", actor=actor, n=n, when=fmt_at(last)))
    else:
        out.append(_("Geen inzage vastgelegd."))
    out.append("")
    return "\n".join(out).encode("utf-8")
