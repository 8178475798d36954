"""Importing a transfer: the use case behind ``meldcode import``. The file's own checks (its
shape, the sender's chain, the binding, the signature, the replay through the rules, each
attachment's content) are the transfer format's (``exports/importer.py``); this module decides
who may import and writes the case in one unit of work.

In that unit of work the case gets a new local case id and the original events are appended to
the local chain **with their original ``actor`` and ``at``** (so the case reads and folds
exactly as it did at the source school), each attachment with its bytes, followed by a
``case_imported`` event by the local user, now, with the origin. Any failure rolls the whole
import back: the target database is left untouched.
"""

from __future__ import annotations

from ..exports import _config_of, importer
from ..exports.importer import ImportResult, check_case_file, transfer_policy
from .exporting import _check_session
from .unit_of_work import unit_of_work


def check_import_allowed(service) -> None:
    """An import makes a new case, so it is the coordinator's (as ``case_opened`` is): a
    member, teacher or auditor is refused, and so is a disabled user -- before the file is
    read, so a refused user learns nothing about it or about the cases here. Every refusal is
    journalled as an access attempt (who, ``case_imported``, no case, no content). A service
    without roles (no user table) may import."""
    _check_session(service, "case_imported")
    service._check_record("case_imported", "", {})


def _local_payload(case_file_event, case_id: str):
    from ..domain.events import validate

    payload = case_file_event.payload
    if case_file_event.kind == "attachment_added" and isinstance(payload, dict) and payload.get("case"):
        # The bytes stay bound by sha256; only the case id is the local one now.
        return validate("attachment_added", {**payload, "case": case_id})
    return payload


def import_case(service, data: bytes, *, expect_head: str | None = None, config=None) -> ImportResult:
    """Import a case file through ``service`` (a ``CaseService``) in one unit of work.
    ``config``: the receiving school's ``Config`` (its ``[transfer]`` table); defaults to the
    one that travels with the service's plugin host."""
    check_import_allowed(service)
    config = config if config is not None else _config_of(service)
    case_file = check_case_file(data, expect_head=expect_head, **transfer_policy(config),
                                care_team_policy=service.care_team_policy)
    proof = case_file.proof
    importer.check_against_store(service.store, case_file)
    origin = {
        "school": case_file.school,
        "exported_at": case_file.exported_at,
        "exported_by": case_file.exported_by,
        "source_case_id": case_file.source_case_id,
        "source_head": case_file.source_head,
        "journal_ref": case_file.journal_ref,
        "event_count": len(case_file.events),
        "head_confirmed": bool(proof.expected),
        "signed_by": proof.signature.signer or proof.signature.key,
        "signature_checked": bool(proof.signature.checked),
    }
    with unit_of_work(service, "case_imported") as uow:
        # Again inside the write: two imports of one transfer at the same time would both have
        # passed the check above; this one holds the write lock.
        importer._refuse_if_imported(uow.events_of_kind("case_imported"), case_file)
        case = uow.replay_case(case_file.events, attachments=case_file.attachments,
                               local_payload=_local_payload)
        # fold() makes the importing coordinator the owner and drops the sending school's logins.
        imported = uow.record(case, "case_imported", {"origin": origin})
    return ImportResult(case_id=case.case_id, source_case_id=case_file.source_case_id,
                        school=case_file.school, event_count=len(case_file.events),
                        imported_event=imported, state=case.state, proof=proof)


__all__ = ["check_import_allowed", "import_case"]
