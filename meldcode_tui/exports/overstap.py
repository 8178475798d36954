"""The overstapdossier file (``meldcode-overstap``, version 1): a renderer and its parser.

Only the records the coordinator selected are written, each with its basis, plus the pupil's
identification (name, date of birth, group: the receiving school opens its case with it) and the
record that the parents were informed (or the exception with its reason). No other record, not
even a hash of one, is in the file. Signed like the whole-journal transfer (exports/signing.py)
when the school has a signing key.

    format = "meldcode-overstap"
    version = 1
    school = "..."; exported_at = "..."; exported_by = "..."
    source_case_id = "MC-0003"; receiving_school = "..."
    [pupil]      name, date_of_birth, group
    [parents]    informed_on, informed_how, exception_reason
    [[records]]  kind, at, basis, [records.payload]
"""

from __future__ import annotations

import tomllib
from typing import Any

import tomli_w

from ..errors import InputError
from ..i18n import _
from .toml_format import decode_value, encode_value

FORMAT_ID = "meldcode-overstap"
FORMAT_VERSION = 1
MAX_RECORDS = 500
HEADER = ("# Meldcode-overstapdossier: alleen de geselecteerde vastleggingen, elk met de grondslag,\n"
          "# voor de nieuwe school (`meldcode transfer import`). Vertrouwelijk: bevat persoonsgegevens.\n\n")
# Kinds never passed on: access logs, admin and the transfer's own records.
NEVER = frozenset({"case_viewed", "case_exported", "attachment_fetched", "case_imported",
                   "overstap_exported", "overstap_receipt", "overstap_received", "case_erased",
                   "attachment_added", "pupil_gone_from_register"})


class OverstapRefused(InputError):
    """The file is not a readable overstapdossier (one Dutch line; never its content)."""


def render_overstap(doc: dict) -> bytes:
    """``doc``: header fields, ``pupil``, ``parents``, ``records`` (kind, at, basis, payload)."""
    out = {k: doc[k] for k in ("school", "exported_at", "exported_by", "source_case_id",
                               "receiving_school")}
    body: dict[str, Any] = {"format": FORMAT_ID, "version": FORMAT_VERSION, **out,
                            "pupil": encode_value(doc["pupil"], "pupil"),
                            "parents": encode_value(doc["parents"], "parents"),
                            "records": [{"kind": r["kind"], "at": r["at"], "basis": r["basis"],
                                         "payload": encode_value(r["payload"], f"records[{i}]")}
                                        for i, r in enumerate(doc["records"])]}
    return (HEADER + tomli_w.dumps(body)).encode("utf-8")


def _refused(what: str) -> OverstapRefused:
    return OverstapRefused(_("Import geweigerd: dit is geen leesbaar overstapdossier ({what}).", what=what),
                           field="file")


def parse_overstap(body: bytes) -> dict:
    """The file's content, every record checked by its kind's own validator. Raises
    :class:`OverstapRefused`."""
    from ..domain.events import KINDS, validate
    from ..errors import MeldcodeError

    try:
        doc = tomllib.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise _refused(_("geen TOML")) from None
    if doc.get("format") != FORMAT_ID or doc.get("version") != FORMAT_VERSION:
        raise _refused(_("formaat of versie"))
    for key in ("school", "exported_at", "exported_by", "source_case_id", "receiving_school"):
        if not isinstance(doc.get(key), str):
            raise _refused(key)
    for key in ("pupil", "parents"):
        if not isinstance(doc.get(key), dict):
            raise _refused(key)
    records = doc.get("records")
    if not isinstance(records, list) or not records or len(records) > MAX_RECORDS:
        raise _refused("records")
    out_records = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict) or not all(isinstance(rec.get(k), str) for k in ("kind", "at", "basis")):
            raise _refused(f"records[{i}]")
        if rec["kind"] not in KINDS or rec["kind"] in NEVER:
            raise _refused(f"records[{i}].kind")
        try:
            payload = validate(rec["kind"], decode_value(rec.get("payload") or {}))
        except MeldcodeError:
            raise _refused(f"records[{i}].payload") from None
        out_records.append({"kind": rec["kind"], "at": rec["at"], "basis": rec["basis"], "payload": payload})
    parents = {k: decode_value(v) for k, v in doc["parents"].items()}
    pupil = {k: decode_value(v) for k, v in doc["pupil"].items()}
    return {**{k: doc[k] for k in ("school", "exported_at", "exported_by", "source_case_id",
                                   "receiving_school")},
            "pupil": pupil, "parents": parents, "records": out_records}
