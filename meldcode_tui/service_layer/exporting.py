"""Exporting a case: the use case behind ``meldcode export``, the TUI's export dialog and the
serve command. The renderers live in ``exports/``; this module decides who may export, writes
the journal entry and hands the renderer the case.

One unit of work per export: it appends a ``case_exported`` event (format, title, the case's
chain head), renders with ``journal_ref = f"{event.seq}:{event.hash[:16]}"`` (so the file names
the very journal entry that records it) and commits only when rendering succeeded: no event
without an export, no export without an event. A family format journals the export on each
linked case the user may see, in the same unit of work.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .. import exports
from ..errors import AccessRevoked, MeldcodeError, PluginError
from ..i18n import _
from ..text_safety import safe, safe_data, safe_line
from .unit_of_work import unit_of_work


def _check_session(service, action: str, case_id: str = "") -> None:
    """A disabled user (or one without a role) is refused before anything is read, rendered or
    asked for confirmation; journalled. (The unit of work's guard checks again, in the
    transaction.)"""
    status = getattr(service, "session_status", None)
    line = status() if status is not None else None
    if line is not None:
        service._journal_refusal(action, case_id)
        raise AccessRevoked(line)


def _check_role(service, case_id: str, format_name: str) -> None:
    """The session and the role (teacher, auditor) before the format is even looked up, so a
    role that may not export is refused -- and journalled -- whatever format it asks for. Only
    the kind matters to the role rule; the format name is not journalled."""
    _check_session(service, "case_exported", case_id)
    service._check_record("case_exported", case_id, {"format": format_name})


WHOLE_JOURNAL = "toml"


def export_basis(format_name: str, basis: str = "", basis_reason: str = "") -> dict:
    """The basis of a whole-journal transfer, checked by the record's own validator: required
    for ``toml`` (the overstapdossier passes on only what the next school needs; the whole
    journal goes only on a recorded ground), refused for any other format (it would record a
    ground nobody needed). Returns the payload fields (``{}`` for other formats)."""
    from ..domain.kinds.transfer import TRANSFER_BASES, transfer_basis as check_basis
    from ..errors import InputError

    given = {"basis": (basis or "").strip(), "basis_reason": basis_reason or ""}
    if format_name != WHOLE_JOURNAL:
        if given["basis"] or given["basis_reason"].strip():
            raise InputError(_("Een grondslag hoort alleen bij de overdracht van het hele journaal "
                               "(formaat toml)."), field="basis")
        return {}
    if not given["basis"] or not given["basis_reason"].strip():
        raise InputError(_("Het hele journaal (toml) gaat alleen over met een grondslag: geef "
                           "--grondslag ({choices}) en --toelichting \"…\" (in woorden).",
                           choices="|".join(TRANSFER_BASES)), field="basis")
    return check_basis(given)


def _export_payload(fmt, events: list, basis: dict | None = None) -> dict:
    # The case's own chain head goes into the export event, which is itself in the school's
    # chain: the event's hash (the file's ``source_head``) then proves every exported event.
    return {"format": fmt.name, "title": fmt.title, "case_head": events[-1].hash,
            "case_events": len(events), **(basis or {})}


def _reporter(service, school: str) -> dict:
    config = exports._config_of(service)
    return {"name": service.actor, "school": school,
            "phone": getattr(config, "school_phone", "") or "",
            "email": getattr(config, "school_email", "") or ""}


def _linked(service, case_id: str) -> list[dict]:
    out = []
    for x in service.linked_cases(case_id):
        row = x["row"]
        out.append({"case_id": x["case_id"], "relation": x["relation"],
                    "pupil_name": row.get("pupil_name") or "",
                    "date_of_birth": row.get("date_of_birth") or ""})
    return out


def _render(fmt, request) -> bytes:
    try:
        data = fmt.render(request)
    except MeldcodeError:
        raise
    except Exception as exc:  # noqa: BLE001 - a plugin's bug becomes a clean refusal
        raise PluginError(_("Exporteren als '{name}' is mislukt ({kind}); er is niets vastgelegd.",
                            name=fmt.name, kind=type(exc).__name__)) from exc
    if not isinstance(data, (bytes, bytearray)):   # the contract says bytes; str too is refused
        raise PluginError(_("Exportformaat '{name}' leverde {kind} op in plaats van bytes; er is "
                            "niets vastgelegd.", name=fmt.name, kind=type(data).__name__))
    if fmt.name not in exports.EXACT_FORMATS and exports._is_text_format(fmt):
        # A plugin may add text of its own: that too reaches a reader neutralised.
        data = safe(bytes(data).decode("utf-8", errors="replace")).encode("utf-8")
    return bytes(data)


def _catalogues_of(service) -> dict[str, Any] | None:
    host = getattr(service, "plugins", None)
    return {c.id: c for c in host.catalogues()} if host is not None else None


def export_case(service, case_id: str, format_name: str, *, school: str | None = None,
                formats: dict[str, Any] | None = None, basis: str = "", basis_reason: str = ""):
    """Export one case in one format and journal it (see the module docstring). ``basis`` and
    ``basis_reason``: the ground of a whole-journal (``toml``) transfer, required for it."""
    from ..domain.case import fold
    from ..plugins.exporting import ExportRequest

    _check_role(service, case_id, format_name)
    fmt = exports._format_or_refuse(service, format_name, formats)
    ground = export_basis(fmt.name, basis, basis_reason)
    school = exports._school_of(service) if school is None else school
    signing_key = (getattr(exports._config_of(service), "transfer_signing_key", None)
                   if fmt.name == "toml" else None)
    with unit_of_work(service, "case_exported", case_id) as uow:
        case = uow.open_case(case_id)
        event = uow.record(case, "case_exported", _export_payload(fmt, case.events, ground))
        events = case.events
        reporter = _reporter(service, school)
        linked = _linked(service, case_id)
        if fmt.name not in exports.EXACT_FORMATS:
            # A document for people: the renderer (built-in or a plugin) only ever sees text
            # with control and bidi characters neutralised, whatever the journal holds.
            shown = [exports._neutralised(e) for e in events]
            request = ExportRequest(case=fold(shown), events=shown, journal_ref=exports.journal_ref(event),
                                    exported_at=event.at, actor=safe_line(service.actor),
                                    school=safe_line(school), reporter=safe_data(reporter),
                                    linked=safe_data(linked), catalogues=_catalogues_of(service))
            if getattr(fmt, "family", False):
                request = _with_family(service, uow, request, linked, fmt, school)
        else:
            bodies = {}
            for ev in events:
                if ev.kind == "attachment_added" and ev.payload is not None:
                    body = service.store.attachment_body(ev.payload_hash)
                    if body is not None:
                        bodies[ev.seq] = body
            request = ExportRequest(case=case.state, events=list(events),
                                    journal_ref=exports.journal_ref(event), exported_at=event.at,
                                    actor=service.actor, school=school, attachments=bodies)
        data = _render(fmt, request)
        if signing_key is not None:
            from ..exports.signing import sign

            data = sign(data, signing_key)  # fails -> the unit of work rolls back
    return exports.ExportResult(data=data, filename=f"{case_id}-{fmt.name}.{fmt.extension}",
                                event=event, format=fmt)


def _with_family(service, uow, request, linked, fmt, school):
    """A family format: each linked sibling case this user may see journals the export too
    (same unit of work) and gets its own request in ``request.family``."""
    from ..domain.case import fold
    from ..plugins.exporting import ExportRequest

    parts = []
    for x in linked:
        other = uow.open_case(x["case_id"])
        event = uow.record(other, "case_exported", _export_payload(fmt, other.events))
        shown = [exports._neutralised(e) for e in other.events]
        parts.append(ExportRequest(case=fold(shown), events=shown, journal_ref=exports.journal_ref(event),
                                   exported_at=event.at, actor=safe_line(service.actor),
                                   school=safe_line(school), reporter=request.reporter))
    return dataclasses.replace(request, family=parts)


def _check_case(service, case_id: str, fmt, events: list):
    """Access and the protocol's rules for exporting the case as ``events`` show it, without
    writing (``precheck``); the export's unit of work checks the same again when it writes."""
    from ..domain.access import can_see
    from ..domain.case import fold
    from ..domain.events import validate
    from ..domain.rules import check
    from ..errors import HiddenCase

    state = fold(events)
    if not can_see({"members": state.members}, service.actor,
                   all_access=getattr(service, "all_access", False)):
        raise HiddenCase(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
    check(state, "case_exported", validate("case_exported", _export_payload(fmt, events)),
          service.today())


def precheck(service, case_id: str, format_name: str, formats: dict[str, Any] | None = None) -> None:
    """Refuse *before* anyone is asked to confirm: the format, the user's role, access to the
    case and the protocol's rules for an export, as ``export_case`` checks them; and for
    ``advies`` the anonymity check on the case as it is now, for ``inzage`` the decision it
    needs. Journals nothing but a refused session, role or hidden case (as every refused
    attempt is). ``formats``: formats not from a plugin (the inzage export)."""
    from ..errors import HiddenCase

    _check_role(service, case_id, format_name)
    fmt = exports._format_or_refuse(service, format_name, formats)
    try:
        events = list(service.journal(case_id))
        if not events:
            return
        _check_case(service, case_id, fmt, events)
    except (AccessRevoked, HiddenCase):
        service._journal_refusal("case_exported", case_id)
        raise
    if format_name not in ("advies", "inzage"):
        return
    from ..domain.case import fold
    from ..exports.advies import advies_document
    from ..plugins.exporting import ExportRequest

    shown = [exports._neutralised(e) for e in events]
    request = ExportRequest(case=fold(shown), events=shown, journal_ref="0:precheck",
                            exported_at=events[-1].at, actor=safe_line(service.actor),
                            school=safe_line(exports._school_of(service)))
    if format_name == "advies":
        advies_document(request)
    else:
        fmt.render(request)      # inzage: refuses without a decision, or when it refused inzage


__all__ = ["export_case", "precheck", "export_basis"]
