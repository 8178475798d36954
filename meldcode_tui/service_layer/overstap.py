"""The overstapdossier: export only the selected records (each with its basis, the parents
informed or the exception), import it at the next school (a receipt code), and record the
receipt at the sending school - whose open point stays until it does (domain/overstap.py)."""

from __future__ import annotations

import hashlib

from ..clock import format_at
from ..domain import overstap as ov
from ..domain.case import CaseState
from ..domain.events import validate
from ..domain.people import may_create_case
from ..domain.rules import check
from ..errors import InputError
from ..exports.overstap import NEVER, OverstapRefused, parse_overstap, render_overstap
from ..i18n import _


def export_overstap(svc, case_id: str, selection: list[dict], *, parents_informed_on: str = "",
                    parents_informed_how: str = "", exception_reason: str = "",
                    receiving_school: str = "", school: str = "", signing_key=None) -> bytes:
    """The file's bytes; the sending case records ``overstap_exported`` (the selection with
    each basis, the parents, the file's SHA-256). Nothing is recorded if anything fails."""
    state = svc.get_state(case_id)
    chosen = []
    for item in selection:
        try:
            seq = int(item.get("seq"))
        except (TypeError, ValueError):
            raise InputError(_("Selectie: '{value}' is geen regelnummer.", value=str(item.get("seq"))[:20]),
                             field="selection") from None
        rec = state.records_by_seq.get(seq)
        if rec is None or rec.erased or rec.kind in NEVER:
            raise InputError(_("Selectie: regel {seq} van casus {case_id} kan niet mee in een "
                               "overstapdossier.", seq=seq, case_id=case_id), field="selection")
        chosen.append({"seq": seq, "kind": rec.kind, "basis": (item.get("basis") or "").strip(), "rec": rec})
    payload = validate("overstap_exported", {
        "selection": [{k: c[k] for k in ("seq", "kind", "basis")} for c in chosen],
        "parents_informed_on": parents_informed_on, "parents_informed_how": parents_informed_how,
        "exception_reason": exception_reason, "receiving_school": receiving_school})
    pupil = state.pupil
    doc = {"school": school, "exported_at": format_at(svc.now()), "exported_by": svc.actor,
           "source_case_id": case_id, "receiving_school": payload["receiving_school"],
           "pupil": {"name": pupil.name, "date_of_birth": pupil.date_of_birth, "group": pupil.group},
           "parents": {"informed_on": payload["parents_informed_on"],
                       "informed_how": payload["parents_informed_how"],
                       "exception_reason": payload["exception_reason"]},
           "records": [{"kind": c["kind"], "at": c["rec"].at, "basis": c["basis"],
                        "payload": c["rec"].payload} for c in sorted(chosen, key=lambda c: c["seq"])]}
    data = render_overstap(doc)
    if signing_key is not None:
        from ..exports.signing import sign

        data = sign(data, signing_key)
    payload["file_sha256"] = hashlib.sha256(data).hexdigest()
    svc.record(case_id, "overstap_exported", payload, expect_seq=state.last_seq)
    return data


def import_overstap(svc, data: bytes, *, allowed_signers=None, require_signature: bool = False,
                    max_attachment_bytes: int | None = None) -> tuple[CaseState, str, object]:
    """A new case at the receiving school from the file: ``(state, receipt code, signature
    verdict)``. The code is printed for the sending school to record. An overstapdossier
    carries no attachments, so ``max_attachment_bytes`` (the school's transfer policy) has
    nothing to bound."""
    from .importing import check_import_allowed
    from ..exports.signing import split_signed, verify

    check_import_allowed(svc)
    body, signature = split_signed(data)
    verdict = verify(body, signature, allowed_signers)
    if require_signature and not verdict.signed:
        raise OverstapRefused(_("Import geweigerd: het overstapdossier is niet ondertekend en deze "
                                "school vereist een handtekening ([transfer] require_signature)."),
                              field="signature")
    doc = parse_overstap(body)
    code = ov.receipt_code(data)
    p = doc["parents"]
    opened = validate("case_opened", {
        "pupil": {"name": doc["pupil"].get("name"), "date_of_birth": doc["pupil"].get("date_of_birth"),
                  "group": doc["pupil"].get("group") or ""},
        "parents": [], "owner": svc.actor, "note": "", "staff_suspicion": False})
    received = validate("overstap_received", {
        "origin_school": doc["school"], "source_case_id": doc["source_case_id"], "receipt_code": code,
        "parents_informed_on": p.get("informed_on") or "", "parents_informed_how": p.get("informed_how") or "",
        "exception_reason": p.get("exception_reason") or "", "records": doc["records"]})
    svc._require(may_create_case, "case_opened")
    today, at = svc.today(), format_at(svc.now())
    check(CaseState(), "case_opened", opened, today)
    return _open_received_case(svc, opened, received, today, at), code, verdict


def _open_received_case(svc, opened: dict, received: dict, today, at) -> CaseState:
    """THE write of an imported overstapdossier: the new case and what it received, in one
    transaction; the same file twice is refused inside it."""
    from .unit_of_work import unit_of_work

    with unit_of_work(svc, "overstap_received") as uow:
        if any((e.payload or {}).get("receipt_code") == received["receipt_code"]
               for e in uow.events_of_kind("overstap_received")):
            raise OverstapRefused(_("Import geweigerd: dit overstapdossier is hier al ingelezen."),
                                  field="file")
        case = uow.new_case(opened)
        uow.record(case, "overstap_received", received, validated=True)
        return case.state


def record_receipt(svc, case_id: str, code: str) -> CaseState:
    """The receiving school's code, checked against the file that was sent."""
    code = (code or "").strip().upper()
    state = svc.get_state(case_id)
    sent = ov.pending_transfer(state)
    if sent is None:
        raise InputError(_("Casus {case_id} heeft geen verstuurd overstapdossier zonder ontvangstcode.",
                           case_id=case_id), field="code")
    sha = sent.get("file_sha256") or ""
    expected = f"{sha[0:4]}-{sha[4:8]}-{sha[8:12]}".upper()
    if code != expected:
        raise InputError(_("De ontvangstcode hoort niet bij het overstapdossier dat casus {case_id} "
                           "heeft verstuurd; controleer hem bij de nieuwe school.", case_id=case_id),
                         field="code")
    return svc.record(case_id, "overstap_receipt", {"code": code}, expect_seq=state.last_seq)
