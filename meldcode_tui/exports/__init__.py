"""Exports: the built-in renderers (``toml``, ``markdown``, ``melding``, ``advies``), the
importer, and the orchestration that makes every export an event in the journal.

    from meldcode_tui.exports import export_case
    result = export_case(service, "MC-0001", "melding")   # ExportResult(data, filename, event)

``export_case`` runs in ONE ``store.write()`` transaction: it appends a ``case_exported``
event (format, title), renders with ``journal_ref = f"{event.seq}:{event.hash[:16]}"``
(so the file names the very journal entry that records it) and commits only when rendering
succeeded: no event without an export, no export without an event.

Renderers work from the event list (``ExportRequest.events``, which includes the export's
own event) and never import textual.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import AccessRevoked, HiddenCase, MeldcodeError, NotFound, PluginError
from ..i18n import _
from ..text_safety import safe, safe_data, safe_line


@dataclass(frozen=True)
class ExportResult:
    data: bytes
    filename: str
    event: Any          # the ``case_exported`` store Event
    format: Any = None  # the ExportFormat used

    @property
    def journal_ref(self) -> str:
        return journal_ref(self.event)


def journal_ref(event) -> str:
    return f"{event.seq}:{event.hash[:16]}"


def builtin_formats() -> dict[str, Any]:
    from ..plugins.builtin.exports import builtin_formats as _formats

    return {f.name: f for f in _formats()}


def available_formats(service=None) -> dict[str, Any]:
    """Formats from the service's plugin host (built-in + installed); built-ins if none."""
    host = getattr(service, "plugins", None) if service is not None else None
    if host is not None:
        try:
            formats = host.export_formats()
        except Exception:  # noqa: BLE001 - a broken host must not hide the built-ins
            formats = None
        if formats:
            return dict(formats)
    return builtin_formats()


# Formats that must carry the journal exactly (hashes are over the stored payloads). TOML escapes
# every control character itself (``\u001b``); it is a transfer file, not a document to read.
EXACT_FORMATS = frozenset({"toml"})


def _is_text_format(fmt) -> bool:
    media = str(getattr(fmt, "media_type", "") or "").lower()
    return media.startswith("text/") or media in ("application/json",)


def _neutralised(event):
    import dataclasses

    payload = getattr(event, "payload", None)
    if payload is None:
        return dataclasses.replace(event, actor=safe_line(event.actor))
    return dataclasses.replace(event, payload=safe_data(payload), actor=safe_line(event.actor))


def _config_of(service):
    """The service's ``Config`` (it travels with the plugin host); None in bare tests."""
    for getter in (lambda s: s.config, lambda s: s.plugins.config):
        try:
            value = getter(service)
        except AttributeError:
            continue
        if value is not None:
            return value
    return None


def _school_of(service) -> str:
    value = getattr(service, "school", None)
    if isinstance(value, str):
        return value
    value = getattr(_config_of(service), "school_name", None)
    return value if isinstance(value, str) else ""


def _format_or_refuse(service, format_name: str, formats: dict[str, Any] | None = None):
    formats = formats if formats is not None else available_formats(service)
    fmt = formats.get(format_name)
    if fmt is None:
        raise NotFound(_("Onbekend exportformaat '{name}'. Beschikbaar: {names}.",
                         name=format_name, names=", ".join(sorted(formats)) or _("geen")))
    return fmt


def _journal_refusal(service, action: str, case_id: str = "") -> None:
    """Journal a refused attempt the way ``CaseService`` does (who, what, which case; no
    content). A bare service without the roles block journals nothing."""
    journal = getattr(service, "_journal_refusal", None)
    if journal is not None:
        journal(action, case_id)


@contextmanager
def _refusals_journalled(service, action: str, case_id: str = ""):
    """Around a write: a revocation the write guard finds inside the transaction (the user was
    disabled while the attempt was in flight), or a case that exists but is not this user's to
    see, is journalled as a refused attempt, like every other refusal, after the rollback."""
    try:
        yield
    except (AccessRevoked, HiddenCase):
        _journal_refusal(service, action, case_id)
        raise


def _check_session(service, action: str, case_id: str = "") -> None:
    """A disabled user (or one without a role) is refused before anything is read, rendered or
    asked for confirmation; journalled. (The write's own guard checks again, in the transaction.)"""
    status = getattr(service, "session_status", None)
    line = status() if status is not None else None
    if line is not None:
        _journal_refusal(service, action, case_id)
        raise AccessRevoked(line)


def _check_role(service, case_id: str, format_name: str) -> None:
    """Issue 10: the session and the role (teacher, auditor) before the format is even looked
    up, so a role that may not export is refused -- and journalled -- whatever format it asks
    for. Only the kind matters to the role rule; the format name is not journalled."""
    _check_session(service, "case_exported", case_id)
    role_check = getattr(service, "_check_record", None)
    if role_check is not None:
        role_check("case_exported", case_id, {"format": format_name})


def _check_case(service, case_id: str, fmt, events: list, today):
    """Access and the protocol's rules for exporting the case as ``events`` show it: the folded
    state and the export event's payload. The same checks for ``precheck`` and the export."""
    from ..domain.access import can_see
    from ..domain.case import fold
    from ..domain.events import validate
    from ..domain.rules import check

    state = fold(events) if events else None
    if state is None:
        raise NotFound(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
    if not can_see({"members": state.members}, service.actor,
                   all_access=getattr(service, "all_access", False)):
        raise HiddenCase(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
    # The case's own chain head goes into the export event, which is itself in the school's
    # chain: the event's hash (the file's ``source_head``) then proves every exported event.
    payload = validate("case_exported", {"format": fmt.name, "title": fmt.title,
                                         "case_head": events[-1].hash, "case_events": len(events)})
    check(state, "case_exported", payload, today)
    return state, payload


def export_case(service, case_id: str, format_name: str, *, school: str | None = None,
                formats: dict[str, Any] | None = None) -> ExportResult:
    """Export one case in one format and journal it (see the module docstring)."""
    from ..domain.case import fold
    from ..plugins.exporting import ExportRequest
    from ..clock import format_at
    from ..domain.readmodel import case_row

    _check_role(service, case_id, format_name)
    fmt = _format_or_refuse(service, format_name, formats)
    school = _school_of(service) if school is None else school
    signing_key = getattr(_config_of(service), "transfer_signing_key", None) if fmt.name == "toml" else None
    today, at = service.today(), format_at(service.now())
    with _refusals_journalled(service, "case_exported", case_id), service.store.write() as tx:
        events = list(tx.case_events(case_id))
        state, payload = _check_case(service, case_id, fmt, events, today)
        event = tx.append(service.actor, case_id, "case_exported", payload, at)
        events.append(event)
        state = fold(events)
        config = _config_of(service)
        reporter = {"name": service.actor, "school": school,
                    "phone": getattr(config, "school_phone", "") or "",
                    "email": getattr(config, "school_email", "") or ""}
        linked = []
        if hasattr(service, "linked_cases"):
            for x in service.linked_cases(case_id):
                row = x["row"]
                linked.append({"case_id": x["case_id"], "relation": x["relation"],
                               "pupil_name": row.get("pupil_name") or "", "date_of_birth": row.get("date_of_birth") or ""})
        if fmt.name not in EXACT_FORMATS:
            # A document for people: the renderer (built-in or a plugin) only ever sees text
            # with control and bidi characters neutralised, whatever the journal holds.
            shown = [_neutralised(e) for e in events]
            request = ExportRequest(case=fold(shown), events=shown, journal_ref=journal_ref(event),
                                    exported_at=event.at, actor=safe_line(service.actor),
                                    school=safe_line(school), reporter=safe_data(reporter),
                                    linked=safe_data(linked), catalogues=_catalogues_of(service))
        else:
            bodies = {}
            for ev in events:
                if ev.kind == "attachment_added" and ev.payload is not None:
                    body = service.store.attachment_body(ev.payload_hash)
                    if body is not None:
                        bodies[ev.seq] = body
            request = ExportRequest(case=state, events=events, journal_ref=journal_ref(event),
                                    exported_at=event.at, actor=service.actor, school=school,
                                    attachments=bodies)
        if getattr(fmt, "family", False) and fmt.name not in EXACT_FORMATS:
            request = _with_family(service, tx, request, linked, payload, today, at, school)
        try:
            data = fmt.render(request)
        except MeldcodeError:
            raise
        except Exception as exc:  # noqa: BLE001 - a plugin's bug becomes a clean refusal
            raise PluginError(_("Exporteren als '{name}' is mislukt ({kind}); er is niets vastgelegd.",
                                name=fmt.name, kind=type(exc).__name__)) from exc
        if not isinstance(data, (bytes, bytearray)):
            raise PluginError(_("Exportformaat '{name}' leverde {kind} op in plaats van bytes; er is "
                                "niets vastgelegd.", name=fmt.name, kind=type(data).__name__))
        if fmt.name not in EXACT_FORMATS and _is_text_format(fmt):
            # ... and so does what it wrote (a plugin may add text of its own).
            data = safe(bytes(data).decode("utf-8", errors="replace")).encode("utf-8")
        if signing_key is not None:
            from .signing import sign

            data = sign(bytes(data), signing_key)  # fails -> the transaction rolls back
        tx.put_case_row(case_id, case_row(state, today))
    return ExportResult(data=bytes(data), filename=f"{case_id}-{fmt.name}.{fmt.extension}",
                        event=event, format=fmt)


def _catalogues_of(service) -> dict[str, Any] | None:
    host = getattr(service, "plugins", None)
    return {c.id: c for c in host.catalogues()} if host is not None else None


def _with_family(service, tx, request, linked, payload, today, at, school):
    """A family format: each linked sibling case this user may see journals the export too
    (same transaction) and gets its own request in ``request.family``."""
    import dataclasses

    from ..domain.case import fold
    from ..domain.readmodel import case_row
    from ..domain.rules import check
    from ..plugins.exporting import ExportRequest

    parts = []
    for x in linked:
        other = x["case_id"]
        events = list(tx.case_events(other))
        state = fold(events)
        check(state, "case_exported", payload, today)
        event = tx.append(service.actor, other, "case_exported",
                          {**payload, "case_head": events[-1].hash, "case_events": len(events)}, at)
        events.append(event)
        tx.put_case_row(other, case_row(fold(events), today))
        shown = [_neutralised(e) for e in events]
        parts.append(ExportRequest(case=fold(shown), events=shown, journal_ref=journal_ref(event),
                                   exported_at=event.at, actor=safe_line(service.actor), school=safe_line(school),
                                   reporter=request.reporter))
    return dataclasses.replace(request, family=parts)


def precheck(service, case_id: str, format_name: str, formats: dict[str, Any] | None = None) -> None:
    """Refuse *before* anyone is asked to confirm (issue 14: "exports refuse before they
    confirm"): the format, the user's role, access to the case and the protocol's rules for an
    export, as ``export_case`` checks them; and for ``advies`` the anonymity check on the case
    as it is now, for ``inzage`` the decision it needs. Journals nothing but a refused session
    or role (as every refused attempt is). ``formats``: formats not from a plugin (the inzage
    export)."""
    _check_role(service, case_id, format_name)
    fmt = _format_or_refuse(service, format_name, formats)
    with _refusals_journalled(service, "case_exported", case_id):
        events = list(service.journal(case_id))
        if not events:
            return
        _check_case(service, case_id, fmt, events, service.today())
    if format_name not in ("advies", "inzage"):
        return
    from ..domain.case import fold
    from ..plugins.exporting import ExportRequest
    from .advies import advies_document

    shown = [_neutralised(e) for e in events]
    request = ExportRequest(case=fold(shown), events=shown, journal_ref="0:precheck",
                            exported_at=events[-1].at, actor=safe_line(service.actor),
                            school=safe_line(_school_of(service)))
    if format_name == "advies":
        advies_document(request)
    else:
        fmt.render(request)      # inzage: refuses without a decision, or when it refused inzage


def import_case(service, data: bytes, **kwargs):
    from .importer import import_case as _import

    return _import(service, data, **kwargs)


__all__ = ["ExportResult", "export_case", "precheck", "import_case", "available_formats", "builtin_formats",
           "journal_ref"]
