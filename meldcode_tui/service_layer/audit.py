"""The journal as a whole, without case content: verify the chain, the journal's metadata and
the access log. The auditor's and the coordinator's view; no case is opened here."""

from __future__ import annotations

from ..domain.events import AUDIT_KINDS
from ..domain.people import ACCESS_CASE, may_read_journal_metadata
from .base import ServiceBase

# What the access log lists besides refusals: the case-level reads and exports, and the two
# reads and copies that are not of one open case.
ACCESS_KINDS = AUDIT_KINDS | {"figures_viewed", "overstap_exported"}


class AuditReads(ServiceBase):
    """Reads of the whole journal (no payloads of cases)."""

    def verify(self):
        self._require(may_read_journal_metadata, "verify")
        return self.store.verify()

    def journal_metadata(self, after_seq: int = 0, limit: int = 1000) -> list[dict]:
        """seq, time, actor, kind, case id of the whole journal (no payloads): the auditor's
        and the coordinator's view."""
        self._require(may_read_journal_metadata, "journal_metadata")
        out = []
        for e in self.store.events(after_seq=after_seq):
            out.append({"seq": e.seq, "at": e.at, "actor": e.actor, "kind": e.kind,
                        "case_id": e.case_id})
            if len(out) >= limit:
                break
        return out

    def access_log(self) -> list[dict]:
        """Every look at what the school keeps and every copy taken out of it - a case viewed,
        exported or its attachment fetched, an overstapdossier made, the figures looked at -
        and every refused attempt (who, what, which case; no content)."""
        rows = []
        for m in self.journal_metadata(limit=10**9):
            if m["kind"] in ACCESS_KINDS:
                case = "" if m["case_id"] == ACCESS_CASE else m["case_id"]
                rows.append({**m, "action": m["kind"], "case": case})
            elif m["kind"] == "access_refused":
                rows.append(m)
        refused = {e.seq: e.payload for e in self.store.events(case_id=ACCESS_CASE)
                   if e.kind == "access_refused"}
        for r in rows:
            if refused.get(r["seq"]):
                r["action"], r["case"] = refused[r["seq"]]["action"], refused[r["seq"]]["case"]
        return rows


__all__ = ["AuditReads"]
