"""The ``inzage`` export: what the school holds about the pupil, for an access request (AVG
art. 15), following the recorded ``inzage_decided`` decision.

- Refused while no decision is recorded, or the last one refused inzage.
- Records the decision withholds (``withheld[].what`` naming ``#seq``) are left out; the
  export lists what was withheld and why.
- The identity of other sources, reporters and colleagues is replaced by a stable pseudonym
  (``[collega 1]``, ``[bron 2]``) everywhere: in the fields that name them, in who recorded
  each entry, and wherever the same name appears in written text. A name the coordinator keeps
  (``keep_identities``, each with its reason) stays, and the export says so. The pupil's and
  the parents' own names stay: the export is for them.
- The access log (views, exports) and erasure records are left out; corrections show as corrections.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..domain.case import fold
from ..domain.events import AUDIT_KINDS
from ..domain.vocabulary import label
from ..errors import RuleViolation
from ..i18n import _
from .common import fmt_at, fmt_date, kind_label
from .markdown import md_escape, record_lines

# payload fields that name someone other than the pupil and the parents: (field, role)
SOURCE_FIELDS = {
    "signal_recorded": (("observed_by", "colleague"), ("source_name", "source")),
    "consultation_recorded": (("with_whom", "colleague"),),
    "help_planned": (("case_manager", "colleague"),),
    "acute_report": (("by_whom", "colleague"),),
    "follow_up_agreed": (("who", "colleague"),),
    "inzage_decided": (("approved_by", "colleague"),),
}
_SEQ = re.compile(r"#(\d+)")


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


class Pseudonyms:
    def __init__(self, keep: set[str]):
        self.keep = keep
        self.names: dict[str, str] = {}
        self.counts = {"colleague": 0, "source": 0}

    def add(self, name: Any, role: str) -> None:
        if not isinstance(name, str) or not name.strip() or _key(name) in self.keep:
            return
        if _key(name) not in self.names:
            self.counts[role] += 1
            word = _("collega") if role == "colleague" else _("bron")
            self.names[_key(name)] = f"[{word} {self.counts[role]}]"

    def text(self, value: str) -> str:
        out = self.names.get(_key(value))
        if out is not None:
            return out
        for name in sorted(self.names, key=len, reverse=True):
            value = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", self.names[name], value,
                           flags=re.IGNORECASE)
        return value

    def tree(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.tree(v) for v in value]
        if isinstance(value, dict):
            return {k: self.tree(v) for k, v in value.items()}
        return value


def _identities(events, keep: set[str]) -> Pseudonyms:
    p = Pseudonyms(keep)
    for ev in events:
        p.add(ev.actor, "colleague")
        payload = ev.payload or {}
        if ev.kind == "case_opened":
            p.add(payload.get("owner"), "colleague")
        if ev.kind == "care_team_set":
            for m in payload.get("members") or []:
                if isinstance(m, dict):
                    p.add(m.get("name"), "colleague")
                    p.add(m.get("user"), "colleague")
        for name, role in SOURCE_FIELDS.get(ev.kind, ()):
            p.add(payload.get(name), role)
    return p


def render_inzage(request) -> bytes:
    state = request.case
    decision = state.inzage[-1] if state.inzage else None
    if decision is None or decision.erased:
        raise RuleViolation("inzage_needs_decision", _(
            "Voor casus {case_id} is geen besluit over inzage vastgelegd.", case_id=state.case_id),
            hint=_("Leg eerst het besluit vast (wie vroeg, grondslag, wie keurde goed)."))
    d = decision.payload
    if d.get("outcome") == "refused":
        raise RuleViolation("inzage_refused", _(
            "Het laatste besluit over inzage in casus {case_id} weigert inzage; er is niets "
            "geëxporteerd.", case_id=state.case_id))
    withheld = d.get("withheld") or []
    withheld_seqs = {int(m) for w in withheld for m in _SEQ.findall(str(w.get("what", "")))}
    keep = {_key(k.get("name", "")) for k in d.get("keep_identities") or []}
    events = [e for e in request.events if e.kind not in AUDIT_KINDS and e.kind != "payload_erased"]
    names = _identities(events, keep)
    shown = []
    for ev in events:
        if ev.seq in withheld_seqs:
            continue
        payload = names.tree(ev.payload) if ev.payload is not None else None
        if ev.kind == "case_opened" and payload is not None:
            payload = {**payload, "owner": names.text(str(ev.payload.get("owner", "")))}
        shown.append(dataclasses.replace(ev, actor=names.text(ev.actor), payload=payload))
    folded = fold(shown)

    out: list[str] = [_("# Inzage casus {case_id}", case_id=state.case_id), ""]
    out.append(_("*Wat de school over deze leerling heeft vastgelegd (AVG art. 15).*"))
    out.append("")
    out.append(f"- **{_('Leerling')}:** {md_escape(state.pupil.name)}")
    out.append(f"- **{_('Geboortedatum')}:** {fmt_date(state.pupil.date_of_birth)}")
    out.append(f"- **{_('Gevraagd door')}:** {md_escape(d.get('requester_name', ''))} "
               f"({label(d.get('requester', ''))})")
    out.append(f"- **{_('Wettelijke grondslag')}:** {md_escape(d.get('legal_basis', ''))}")
    out.append(f"- **{_('Besluit')}:** {label(d.get('outcome', ''))}, "
               f"{fmt_date(d.get('decided_on', ''))}; {_('goedgekeurd door')} "
               f"{md_escape(names.text(d.get('approved_by', '')))}")
    out.append(f"- **{_('Journaalverwijzing')}:** `{request.journal_ref}`")
    out.append("")
    out.append(_("## Niet verstrekt"))
    out.append("")
    if withheld:
        for w in withheld:
            out.append(f"- {md_escape(w.get('what', ''))} — {md_escape(w.get('why', ''))}")
    else:
        out.append(_("- niets"))
    out.append("")
    out.append(_("## Namen van anderen"))
    out.append("")
    out.append(_("Namen van andere bronnen, melders en collega's zijn vervangen door [bron n] en "
                 "[collega n]."))
    for k in d.get("keep_identities") or []:
        out.append("- " + _("Blijft staan: {name} — {why}", name=md_escape(k.get("name", "")),
                            why=md_escape(k.get("why", ""))))
    out.append("")
    out.append(_("## Vastgelegd"))
    out.append("")
    for seq in sorted(folded.records_by_seq):
        rec = folded.records_by_seq[seq]
        out.append(f"### #{rec.seq} · {kind_label(rec.kind)}")
        out.append("")
        out.append(_("*{when} — vastgelegd door {actor}*", when=fmt_at(rec.at), actor=rec.actor))
        out.append("")
        out.extend(record_lines(rec))
        out.append("")
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


def inzage_format():
    """The format object for ``export_case`` (not a plugin format: it needs a decision first,
    so it is reached through ``meldcode inzage export`` only)."""
    from ..plugins.exporting import ExportFormat

    return ExportFormat(name="inzage", title=_("Inzage voor ouders of leerling (Markdown)"),
                        extension="md", media_type="text/markdown", render=render_inzage,
                        description=_("Volgens het inzagebesluit; namen van anderen vervangen."))
