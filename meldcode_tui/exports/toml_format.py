"""The ``toml`` export: the whole case, every event with its hashes, for a transfer.

File layout (format version 1)::

    format = "meldcode-case"
    version = 1
    school = "..."            # the exporting school (config ``school.name``)
    exported_at = "..."       # ISO 8601 UTC
    exported_by = "..."
    source_case_id = "MC-0003"
    source_head = "<hash>"    # hash of the last event in the file: the export's own
                              # ``case_exported`` event, also in the source school's journal
    journal_ref = "<seq>:<hash[:16]>"
    event_count = 14
    basis = "same_board"      # why the whole journal goes (a whole-journal transfer records its
    basis_reason = "..."      # basis); a copy of the export event's payload, so the receiving
                              # school reads it first; older files have neither

    [[attachments]]           # the bytes of each attachment_added event (base64); the event's
    seq = 9                   # payload holds their sha256, so the chain covers them
    sha256 = "..."
    base64 = "..."

    [[events]]
    seq = 1
    at = "2026-03-02T08:15:00.000000Z"
    actor = "..."
    kind = "case_opened"
    payload_hash = "..."
    prev_hash = "..."
    hash = "..."
    case_prev = "..."         # hash of the previous event *of this case* in the file ("" first):
                              # the journal links global neighbours (seq n-1 -> n), which may
                              # belong to other cases; this links the case's own events, so a
                              # removed or reordered event is noticed
    [events.payload]
    ...

TOML has no null. A ``None`` anywhere in a payload (and an erased payload) is written as
the table ``{ __none__ = true }`` and read back as ``None``; a real payload never has a
key named ``__none__`` (the export refuses one), so the round trip is exact.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import tomli_w

from ..bounded_input import check_tree
from ..domain.case import Event
from ..errors import InputError
from ..i18n import _

FORMAT_ID = "meldcode-case"
FORMAT_VERSION = 1
NONE_KEY = "__none__"

HEADER_COMMENT = (
    "# Meldcode-casusbestand: een volledige casus met alle journaalregels, voor overdracht\n"
    "# naar een andere school (`meldcode import`). Vertrouwelijk: bevat persoonsgegevens.\n"
    "# Een lege waarde (null) staat er als { __none__ = true }.\n"
    "# Wijzig dit bestand niet: de hashketen wordt bij het importeren gecontroleerd.\n\n"
)


class ExportEncodingError(InputError):
    """A payload cannot be written to TOML (never expected with the vocabulary)."""


def encode_value(value: Any, where: str = "payload") -> Any:
    if value is None:
        return {NONE_KEY: True}
    if isinstance(value, dict):
        if NONE_KEY in value:
            raise ExportEncodingError(_("{where}: veldnaam '{key}' is gereserveerd.", where=where, key=NONE_KEY))
        return {str(k): encode_value(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_value(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, (str, bool, int, float)):
        return value
    raise ExportEncodingError(_("{where}: waarde van type {kind} kan niet als TOML worden geschreven.",
                                where=where, kind=type(value).__name__))


def decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if value == {NONE_KEY: True}:
            return None
        return {k: decode_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


def _basis_of(event) -> dict:
    """The export event's basis, for the file's header (``{}`` when it has none)."""
    payload = (event.payload or {}) if event is not None and event.kind == "case_exported" else {}
    return {k: payload[k] for k in BASIS_KEYS if isinstance(payload.get(k), str)}


BASIS_KEYS = ("basis", "basis_reason")


def render_toml(request) -> bytes:
    """Render an ``ExportRequest`` (duck-typed) as the TOML case file."""
    events = sorted(request.events, key=lambda e: e.seq)
    last = events[-1] if events else None
    doc: dict[str, Any] = {
        "format": FORMAT_ID,
        "version": FORMAT_VERSION,
        "school": request.school or "",
        "exported_at": request.exported_at,
        "exported_by": request.actor,
        "source_case_id": events[0].case_id if events else "",
        "source_head": last.hash if last else "",
        "journal_ref": request.journal_ref or "",
        "event_count": len(events),
        **_basis_of(last),
        "events": [
            {
                "seq": ev.seq,
                "at": ev.at,
                "actor": ev.actor,
                "kind": ev.kind,
                "payload_hash": ev.payload_hash,
                "prev_hash": ev.prev_hash,
                "hash": ev.hash,
                "case_prev": events[i - 1].hash if i else "",
                "payload": encode_value(ev.payload, f"events[{i}].payload"),
            }
            for i, ev in enumerate(events)
        ],
    }
    bodies = getattr(request, "attachments", None) or {}
    if bodies:
        import base64
        import hashlib

        doc["attachments"] = [{"seq": seq, "sha256": hashlib.sha256(body).hexdigest(),
                               "base64": base64.b64encode(body).decode("ascii")}
                              for seq, body in sorted(bodies.items())]
    return (HEADER_COMMENT + tomli_w.dumps(doc)).encode("utf-8")


# ---------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------

class ImportRefused(InputError):
    """The file cannot be imported; ``place`` says where (``events[7].payload.on``)."""

    def __init__(self, message: str, *, place: str | None = None, hint: str | None = None):
        text = f"{place}: {message}" if place else message
        super().__init__(_("Import geweigerd: {text}", text=text), field=place, hint=hint)
        self.place = place
        self.reason = message


@dataclass
class CaseFile:
    school: str
    exported_at: str
    exported_by: str
    source_case_id: str
    source_head: str
    journal_ref: str
    basis: str = ""           # the header's copy of the export event's basis ("" in older files)
    basis_reason: str = ""
    events: list[Event] = field(default_factory=list)
    attachments: dict[int, bytes] = field(default_factory=dict)  # by the event's seq in the file
    proof: Any = None  # importer.TransferProof, set by check_case_file


_LINE_RE = re.compile(r"line (\d+), column (\d+)")
# Everything ``render`` writes at the top level; anything else is not ours.
TOP_LEVEL_KEYS = frozenset({"format", "version", "school", "exported_at", "exported_by",
                            "source_case_id", "source_head", "journal_ref", "event_count",
                            "basis", "basis_reason", "events", "attachments"})


def _require(table: dict, key: str, kind: type | tuple, place: str) -> Any:
    if key not in table:
        raise ImportRefused(_("ontbreekt"), place=f"{place}{key}" if place else key)
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ImportRefused(_("heeft een verkeerd type"), place=f"{place}{key}" if place else key)
    return value


def parse_case_file(data: bytes) -> CaseFile:
    """Parse and structurally check a case file. Raises ``ImportRefused`` with a place."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportRefused(_("het bestand is geen UTF-8-tekst (byte {pos}).", pos=exc.start)) from None
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise ImportRefused(_("het bestand is te diep genest.")) from None
    except tomllib.TOMLDecodeError as exc:
        match = _LINE_RE.search(str(exc))
        if match:
            raise ImportRefused(_("geen geldige TOML op regel {line}, kolom {col}.",
                                  line=match.group(1), col=match.group(2))) from None
        raise ImportRefused(_("geen geldige TOML.")) from None

    try:
        check_tree(doc, what=_("Het casusbestand"))
    except InputError as exc:
        raise ImportRefused(exc.message, place=exc.field or "") from None
    if "signature" in doc:  # a signature only ever lives in the trailer (exports/signing.py)
        raise ImportRefused(_("de ondertekening staat niet op de verwachte plaats."), place="signature")
    if doc.get("format") != FORMAT_ID:
        raise ImportRefused(_("dit is geen Meldcode-casusbestand."), place="format")
    version = doc.get("version")
    if version != FORMAT_VERSION:
        raise ImportRefused(_("versie {version} wordt niet ondersteund (verwacht: {expected}).",
                              version=version, expected=FORMAT_VERSION), place="version")
    unknown = sorted(set(doc) - TOP_LEVEL_KEYS)
    if unknown:
        # A file this version did not write: refused rather than half understood.
        raise ImportRefused(_("onbekend onderdeel in het bestand."), place=unknown[0][:40])
    case_file = CaseFile(
        school=_require(doc, "school", str, ""),
        exported_at=_require(doc, "exported_at", str, ""),
        exported_by=_require(doc, "exported_by", str, ""),
        source_case_id=_require(doc, "source_case_id", str, ""),
        source_head=_require(doc, "source_head", str, ""),
        journal_ref=str(doc.get("journal_ref", "")),
        **{k: _require(doc, k, str, "") for k in BASIS_KEYS if k in doc},
    )
    raw_events = _require(doc, "events", list, "")
    if not raw_events:
        raise ImportRefused(_("het bestand bevat geen journaalregels."), place="events")
    count = doc.get("event_count")
    if count is not None and count != len(raw_events):
        raise ImportRefused(_("het aantal journaalregels ({found}) klopt niet met event_count ({count}).",
                              found=len(raw_events), count=count), place="events")
    for i, raw in enumerate(raw_events):
        place = f"events[{i}]."
        if not isinstance(raw, dict):
            raise ImportRefused(_("is geen tabel"), place=f"events[{i}]")
        payload = decode_value(raw.get("payload")) if "payload" in raw else None
        if "payload" not in raw:
            raise ImportRefused(_("ontbreekt"), place=f"{place}payload")
        if payload is not None and not isinstance(payload, dict):
            raise ImportRefused(_("heeft een verkeerd type"), place=f"{place}payload")
        case_file.events.append(Event(
            seq=_require(raw, "seq", int, place),
            at=_require(raw, "at", str, place),
            actor=_require(raw, "actor", str, place),
            case_id=case_file.source_case_id,
            kind=_require(raw, "kind", str, place),
            payload=payload,
            payload_hash=_require(raw, "payload_hash", str, place),
            prev_hash=_require(raw, "prev_hash", str, place),
            hash=_require(raw, "hash", str, place),
            case_prev=_require(raw, "case_prev", str, place),
        ))
    _parse_attachments(doc, case_file)
    return case_file


def _parse_attachments(doc: dict, case_file: CaseFile) -> None:
    """Every ``attachment_added`` event with a payload has exactly its bytes, sha256 checked."""
    import base64
    import binascii
    import hashlib

    raw = doc.get("attachments", [])
    if not isinstance(raw, list):
        raise ImportRefused(_("heeft een verkeerd type"), place="attachments")
    wanted = {ev.seq: ev for ev in case_file.events
              if ev.kind == "attachment_added" and isinstance(ev.payload, dict)}
    for i, item in enumerate(raw):
        place = f"attachments[{i}]."
        if not isinstance(item, dict):
            raise ImportRefused(_("is geen tabel"), place=f"attachments[{i}]")
        seq = _require(item, "seq", int, place)
        encoded = _require(item, "base64", str, place)
        if seq not in wanted or seq in case_file.attachments:
            raise ImportRefused(_("hoort bij geen bijlage in dit bestand (of staat er dubbel)."),
                                place=f"{place}seq")
        try:
            body = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ImportRefused(_("is geen geldige base64."), place=f"{place}base64") from None
        if hashlib.sha256(body).hexdigest() != wanted[seq].payload.get("sha256"):
            raise ImportRefused(_("de bijlage klopt niet met de sha256 in haar journaalregel: het bestand "
                                  "is gewijzigd."), place=f"{place}base64")
        case_file.attachments[seq] = body
    missing = sorted(set(wanted) - set(case_file.attachments))
    if missing:
        raise ImportRefused(_("de bijlage van journaalregel {seq} ontbreekt.", seq=missing[0]),
                            place="attachments")
