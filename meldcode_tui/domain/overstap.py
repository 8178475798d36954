"""The overstapdossier (pure): which records are proposed for the next school, each with its
basis, and the open point that stays until the receiving school's receipt code is recorded.

Dutch practice passes on only what the next school needs to keep the pupil safe (the OSO
overstapdossier), with the parents informed, and the AVG asks a basis for each piece passed on
(art. 5 lid 1 b-c: purpose limitation and data minimisation; art. 6 lid 1 e/c for the school's
task). The proposal follows the school's protocol's own list for a transfer (the current state,
the concerns still open, the decision, the agreements still running, Veilig Thuis's
involvement); the coordinator changes it and writes the basis of each. The whole-journal
transfer (``meldcode export -f toml``) stays for schools of the same board.
"""

from __future__ import annotations

import hashlib
from datetime import date

from ..i18n import N_, _

BASIS_CURRENT = N_("Identificatie van de leerling en de huidige stand: de nieuwe school moet weten "
                   "om wie het gaat en waar de zorg staat.")
BASIS_CONCERN = N_("Zorg die nog openstaat: de nieuwe school moet het kind kunnen blijven volgen.")
BASIS_DECISION = N_("Het besluit (stap 5) waarop de lopende afspraken rusten.")
BASIS_AGREEMENT = N_("Lopende afspraak die de nieuwe school overneemt.")
BASIS_VT = N_("Betrokkenheid van Veilig Thuis: de nieuwe school weet wie zij kan bellen.")

VT_KINDS = ("report_made", "acute_report", "vt_feedback_recorded")


def proposal(state) -> list[dict]:
    """``[{"seq", "kind", "basis"}]`` in seq order: what the app proposes to pass on."""
    out: dict[int, tuple[str, str]] = {}
    for rec in state.records_by_seq.values():
        if rec.erased:
            continue
        if rec.kind == "case_opened":
            out[rec.seq] = (rec.kind, _(BASIS_CURRENT))
        elif rec.kind == "signal_recorded" and not rec.get("contradicting") and not state.closed:
            out[rec.seq] = (rec.kind, _(BASIS_CONCERN))
        elif rec.kind in VT_KINDS:
            out[rec.seq] = (rec.kind, _(BASIS_VT))
    if state.decision is not None:
        out[state.decision.seq] = ("decision_recorded", _(BASIS_DECISION))
    for rec in state.open_follow_ups():
        out[rec.seq] = (rec.kind, _(BASIS_AGREEMENT))
    plan = state.help_plan
    if plan is not None and not state.closed:
        out[plan.seq] = (plan.kind, _(BASIS_AGREEMENT))
    return [{"seq": seq, "kind": kind, "basis": basis} for seq, (kind, basis) in sorted(out.items())]


def receipt_code(file_bytes: bytes) -> str:
    """The code the receiving school prints and the sending school records: the first 48 bits
    of the file's SHA-256, in three groups (read aloud or typed without mistakes)."""
    h = hashlib.sha256(file_bytes).hexdigest()[:12].upper()
    return f"{h[0:4]}-{h[4:8]}-{h[8:12]}"


def pending_transfer(state):
    """The last overstapdossier sent without a recorded receipt after it, else None."""
    sent = [r for r in state.records_by_seq.values() if r.kind == "overstap_exported"]
    if not sent:
        return None
    last = sent[-1]
    if any(r.kind == "overstap_receipt" and r.seq > last.seq for r in state.records_by_seq.values()):
        return None
    return last


def receipt_point(state, today: date):
    """Open until the receiving school's receipt code is recorded (``meldcode transfer receipt``)."""
    from .guide import OpenPoint

    sent = pending_transfer(state)
    if sent is None:
        return None
    return OpenPoint("overstap_receipt", _(
        "Overstapdossier verstuurd: leg de ontvangstcode van de nieuwe school vast (meldcode "
        "transfer receipt {case_id} CODE).", case_id=state.case_id), "overstap_receipt", "todo",
        None, None)
