"""Exports: the built-in renderers (``toml``, ``markdown``, ``melding``, ``advies``), the
transfer file's checks (``importer.py``) and the helpers they share. Nothing here writes: the
export and the import are use cases of the service layer (``service_layer/exporting.py``,
``service_layer/importing.py``), which journal them in one unit of work.

    result = service.export("MC-0001", "melding")   # ExportResult(data, filename, event)
    # or, for older callers: exports.export_case(service, "MC-0001", "melding")

Renderers work from the event list (``ExportRequest.events``, which includes the export's
own event) and never import textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import NotFound
from ..i18n import _
from ..text_safety import safe_data, safe_line


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


def export_case(service, case_id: str, format_name: str, *, school: str | None = None,
                formats: dict[str, Any] | None = None, basis: str = "",
                basis_reason: str = "") -> ExportResult:
    """Export one case in one format and journal it: the use case is the service's
    (``CaseService.export``, ``service_layer/exporting.py``); this name stays for callers."""
    return service.export(case_id, format_name, school=school, formats=formats, basis=basis,
                          basis_reason=basis_reason)


def precheck(service, case_id: str, format_name: str, formats: dict[str, Any] | None = None) -> None:
    """Refuse an export before anyone is asked to confirm it (``CaseService.precheck_export``)."""
    service.precheck_export(case_id, format_name, formats)


def import_case(service, data: bytes, **kwargs):
    return service.import_case(data, **kwargs)


__all__ = ["ExportResult", "export_case", "precheck", "import_case", "available_formats", "builtin_formats",
           "journal_ref"]
