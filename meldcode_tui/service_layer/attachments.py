"""Attachments of a case (area ``case_file``): a file judged by its bytes, stored with its
``attachment_added`` record in one transaction; fetching it is journalled like a view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..domain.case import CaseState
from ..errors import NotFound
from ..i18n import _
from .base import ServiceBase


class Attachments(ServiceBase):
    """Add, look up and fetch attachments."""

    def add_attachment(self, case_id: str, data: bytes, title: str, *, filename: str = "",
                       max_bytes: int | None = None, expect_seq: int | None = None) -> CaseState:
        """Attach a file (PDF, PNG, JPEG, plain text: judged by its bytes) to a case: one
        ``attachment_added`` event with its sha256, and the bytes in the same transaction."""
        from ..domain.attachments import DEFAULT_MAX_MB, sniff

        limit = max_bytes if max_bytes is not None else DEFAULT_MAX_MB * 1024 * 1024
        found = sniff(data, max_bytes=limit)
        name = Path(str(filename or "")).name.lstrip(".")[:120] if filename else ""
        payload = {"case": case_id, "title": title, "filename": name, "media_type": found.media_type,
                   "size": found.size, "sha256": found.sha256}
        return self.record(case_id, "attachment_added", payload, expect_seq=expect_seq,
                           _with_event=lambda tx, event: tx.put_attachment(event, bytes(data)))

    def attachment(self, case_id: str, seq: int) -> Any:
        """The ``attachment_added`` record number ``seq`` of a visible case (no access log)."""
        state = self.get_state(case_id)
        for rec in state.attachments:
            if rec.seq == seq:
                return rec
        raise NotFound(_("Casus {case_id} heeft geen bijlage #{seq}.", case_id=case_id, seq=seq))

    def fetch_attachment(self, case_id: str, seq: int, *, how: str = "cli") -> tuple[Any, bytes]:
        """The bytes of attachment #``seq``; journals ``attachment_fetched`` (access log) in the
        same transaction that reads them. Refused once retention erased it."""
        rec = self.attachment(case_id, seq)
        if rec.erased:
            raise NotFound(_("Bijlage #{seq} van casus {case_id} is gewist (bewaartermijn).",
                             case_id=case_id, seq=seq))
        event = next(e for e in self.store.case_events(case_id) if e.seq == seq)
        out: dict[str, bytes] = {}

        def read(tx, _fetched) -> None:
            body = self.store.attachment_body(event.payload_hash)
            if body is None:
                raise NotFound(_("Bijlage #{seq} van casus {case_id} is gewist (bewaartermijn).",
                                 case_id=case_id, seq=seq))
            out["body"] = body

        self.record(case_id, "attachment_fetched", {"target_seq": seq, "how": how}, _with_event=read)
        return rec, out["body"]


__all__ = ["Attachments"]
