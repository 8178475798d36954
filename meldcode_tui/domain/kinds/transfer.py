"""A case leaving or entering the school: the whole case exported to (or imported from) another
school of the board, and the overstapdossier - only the selected records, each with its basis,
to the pupil's next school, with its receipt."""

from __future__ import annotations

import re

from ...errors import InputError
from ...i18n import _
from ..payload import (MIN_REASON_WORDS, SHA256, KindSpec, bad_form, choice, clean_tree, integer,
                       iso_date, list_of_dicts, mapping, missing, multiline_fields, prefixed,
                       reason, register, text)

multiline_fields("exception_reason")


# The ground for passing the whole journal on (the ``toml`` transfer): the overstapdossier
# passes on only what the next school needs; the whole file goes only where the AVG's purpose
# limitation still holds - within the same board or school - or where a law demands it.
TRANSFER_BASES = ("same_board", "same_school", "legal_obligation")


def transfer_basis(p: dict) -> dict:
    """``basis`` (one of TRANSFER_BASES) and ``basis_reason`` (a written reason, in words), or
    ``{}`` when neither is given: other formats and older exports carry none; the export use
    case refuses a whole-journal transfer without it."""
    if p.get("basis") in (None, "") and p.get("basis_reason") in (None, ""):
        return {}
    return {"basis": choice(p, "basis", TRANSFER_BASES),
            "basis_reason": reason(p, "basis_reason", min_words=MIN_REASON_WORDS)}


def _case_exported(p: dict) -> dict:
    """``case_head``/``case_events``: the case's own chain as it stood when exported (hash of
    its last event before this one, and how many there were). This event is in the school's
    journal chain, so its hash binds the whole exported case to the sending school's record
    (see ``exports/importer.py``). Older exports have neither. A whole-journal transfer
    records its basis (``transfer_basis``)."""
    out = {"format": text(p, "format"), "title": text(p, "title", required=False),
           "journal_ref": text(p, "journal_ref", required=False), **transfer_basis(p)}
    head = p.get("case_head")
    if head is not None:
        if not isinstance(head, str) or not SHA256.match(head):
            raise InputError(_("Ongeldige kop van de casusketen."), field="case_head")
        count = p.get("case_events")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise InputError(_("Ongeldig aantal journaalregels van de casus."), field="case_events")
        out["case_head"], out["case_events"] = head, count
    return out


def _case_imported(p: dict) -> dict:
    origin = mapping(p, "origin")
    clean_tree(origin, "origin")
    return {"origin": dict(origin)}


def _parents_informed(p: dict) -> dict:
    """The parents were informed of what passes to the next school, or the exception why not
    (e.g. it would endanger the child): one of the two, never neither."""
    on = iso_date(p, "parents_informed_on", required=False)
    how = text(p, "parents_informed_how", required=False)
    exception = text(p, "exception_reason", required=False)
    if not on and not exception:
        raise InputError(_("Leg vast wanneer de ouders zijn geïnformeerd, of de uitzondering met "
                           "de reden."), field="parents_informed_on")
    if exception:
        reason({"exception_reason": exception}, "exception_reason")
    return {"parents_informed_on": on, "parents_informed_how": how, "exception_reason": exception}


def _overstap_exported(p: dict) -> dict:
    selection = []
    for i, item in enumerate(list_of_dicts(p, "selection")):
        selection.append(prefixed(f"selection[{i}]", lambda item=item: {
            "seq": integer(item, "seq", 1, 1 << 62), "kind": text(item, "kind"),
            "basis": text(item, "basis", min_len=5)}))
    if not selection:
        raise missing("selection")
    file_sha = text(p, "file_sha256", required=False)
    if file_sha and not re.fullmatch(r"[0-9a-f]{64}", file_sha):
        raise bad_form("file_sha256")
    return {"selection": selection, **_parents_informed(p),
            "receiving_school": text(p, "receiving_school", required=False),
            "file_sha256": file_sha}


def _overstap_receipt(p: dict) -> dict:
    code = text(p, "code")
    if not re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", code):
        raise bad_form("code")
    return {"code": code}


def _overstap_received(p: dict) -> dict:
    records = list_of_dicts(p, "records")
    for i, rec in enumerate(records):
        prefixed(f"records[{i}]", lambda rec=rec: (text(rec, "kind"), text(rec, "basis", min_len=5),
                                                  text(rec, "at")))
        clean_tree(rec, f"records[{i}]")
    return {"origin_school": text(p, "origin_school", required=False),
            "source_case_id": text(p, "source_case_id", required=False),
            "receipt_code": _overstap_receipt({"code": p.get("receipt_code")})["code"],
            **_parents_informed(p), "records": records}


register(
    KindSpec("case_exported", _case_exported, correctable=False),
    KindSpec("case_imported", _case_imported, correctable=False),
    KindSpec("overstap_exported", _overstap_exported, correctable=False),
    KindSpec("overstap_receipt", _overstap_receipt, correctable=False),
    KindSpec("overstap_received", _overstap_received, correctable=False),
)
