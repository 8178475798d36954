"""The pupil's and the parents' rights (AVG) and retention: the pupil's leaving date (retention
counts from it), the pupil register's notice that a pupil left, the record of an erasure, an
access request (inzage) decision and the parents' own view (zienswijze)."""

from __future__ import annotations

from ..payload import (KindSpec, choice, integer, iso_date, list_of_dicts, multiline_fields, prefixed,
                       reason, register, text)

INZAGE_REQUESTERS = ("parent_with_authority", "pupil_16_plus")
INZAGE_OUTCOMES = ("granted", "partly_granted", "refused")
ERASURE_POLICIES = ("retention", "request")
# Why the pupil register's load noticed that a pupil with a case left the administration.
REGISTER_NOTICE_REASONS = ("gone", "leaving_date")

multiline_fields("why", "zienswijze")


def _pupil_left(p: dict) -> dict:
    return {"on": iso_date(p, "on"), "note": text(p, "note", required=False)}


def _case_erased(p: dict) -> dict:
    return {"policy": choice(p, "policy", ERASURE_POLICIES), "rule": text(p, "rule"),
            "reason": reason(p), "requested_by": text(p, "requested_by", required=False),
            "payloads": integer(p, "payloads", 0, 2**62)}


def _why_list(p: dict, field: str, key: str) -> list[dict]:
    out = []
    for i, item in enumerate(list_of_dicts(p, field)):
        out.append(prefixed(f"{field}[{i}]", lambda item=item: {
            key: text(item, key), "why": reason(item, "why")}))
    return out


def _inzage_decided(p: dict) -> dict:
    return {
        "requester": choice(p, "requester", INZAGE_REQUESTERS),
        "requester_name": text(p, "requester_name"),
        "legal_basis": text(p, "legal_basis", min_len=5),
        "approved_by": text(p, "approved_by"),
        "decided_on": iso_date(p, "decided_on"),
        "outcome": choice(p, "outcome", INZAGE_OUTCOMES),
        "withheld": _why_list(p, "withheld", "what"),
        "keep_identities": _why_list(p, "keep_identities", "name"),
        "reason": reason(p),
    }


def _zienswijze_recorded(p: dict) -> dict:
    return {"on": iso_date(p, "on"), "by": text(p, "by"),
            "zienswijze": text(p, "zienswijze", multiline=True, min_len=5)}


def _pupil_gone_from_register(p: dict) -> dict:
    return {"proposed_on": iso_date(p, "proposed_on"),
            "reason": choice(p, "reason", REGISTER_NOTICE_REASONS),
            "source": text(p, "source", required=False)}


register(
    KindSpec("pupil_left", _pupil_left,
             text_fields=("note",)),
    KindSpec("case_erased", _case_erased, correctable=False),
    KindSpec("inzage_decided", _inzage_decided,
             text_fields=("reason",)),
    KindSpec("zienswijze_recorded", _zienswijze_recorded,
             locked_fields=("by",), text_fields=("zienswijze",)),
    KindSpec("pupil_gone_from_register", _pupil_gone_from_register,
             correctable=False),
)
