"""``meldcode import FILE``: read a ``toml`` case file into this database (a transfer).

Checks, in this order, before anything is written:

1. the file parses (TOML errors are reported with line and column) and has the expected shape;
2. the events' own hash chain: every payload matches its ``payload_hash``, every event hash
   recomputes from its fields, each event names the previous event of the case
   (``case_prev``), and consecutive events (``seq`` n and n+1) are linked by the journal's
   ``prev_hash``; the last event is the ``source_head`` named in the header. The source
   school's journal holds that same head (the ``case_exported`` event of the transfer), so
   the two schools can compare it. (The file is not signed: the chain catches damage and
   edits, it does not prove who made the file.)
3. every event's payload passes the domain's validator for its kind, and the events replay
   through the protocol rules (``domain.rules.check``) in order, each on its own date.

Then, in ONE write transaction, the case gets a new local case id and the original events
are re-appended to the local chain **with their original ``actor`` and ``at`` as the
event's own fields** (so the case reads and folds exactly as it did at the source school),
followed by a ``case_imported`` event by the local user, now, with the origin (school,
exported_at, source_case_id, source_head, plus the exporter and the number of events).
Any failure rolls the whole import back: the target database is left untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import InputError, RuleViolation
from ..i18n import _
from .toml_format import CaseFile, FileEvent, ImportRefused, parse_case_file

_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                "september", "oktober", "november", "december")


@dataclass
class ImportResult:
    case_id: str
    source_case_id: str
    school: str
    event_count: int
    imported_event: Any
    state: Any = None


def date_problem(value: Any) -> str | None:
    """A precise Dutch reason why ``value`` is not a date, when it looks like one."""
    if not isinstance(value, str):
        return None
    match = _DATE_RE.match(value)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return _("maand {month} bestaat niet", month=month)
    try:
        date(year, month, day)
    except ValueError:
        return _("dag {day} bestaat niet in {month} {year}", day=day,
                 month=_(_MONTH_NAMES[month - 1]), year=year)
    return None


def _value_at(payload: Any, path: str) -> Any:
    node = payload
    for part in re.findall(r"[^.\[\]]+", path or ""):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def verify_file_chain(case_file: CaseFile) -> None:
    """Check the events' own hashes and links. Raises ``ImportRefused`` with the place."""
    from ..store.journal import GENESIS, body_hash, canonical_json, event_hash

    previous: FileEvent | None = None
    for i, ev in enumerate(case_file.events):
        place = f"events[{i}]"
        if previous is not None and ev.seq <= previous.seq:
            raise ImportRefused(_("de volgorde klopt niet (seq {seq} na {prev}).", seq=ev.seq, prev=previous.seq),
                                place=f"{place}.seq")
        if ev.payload is None:
            raise ImportRefused(_("de inhoud is gewist (bewaartermijn); zo'n casus kan niet worden overgedragen."),
                                place=f"{place}.payload")
        try:
            payload_hash = body_hash(canonical_json(ev.payload))
        except InputError:
            raise ImportRefused(_("de inhoud heeft een onjuiste vorm."), place=f"{place}.payload") from None
        if payload_hash != ev.payload_hash:
            raise ImportRefused(_("de inhoud klopt niet met de payload-hash: het bestand is gewijzigd."),
                                place=f"{place}.payload")
        expected = event_hash(ev.seq, ev.at, ev.actor, ev.case_id, ev.kind, ev.payload_hash, ev.prev_hash)
        if expected != ev.hash:
            raise ImportRefused(_("de hash van deze journaalregel klopt niet: de keten is gebroken."),
                                place=f"{place}.hash")
        if ev.case_prev != (previous.hash if previous is not None else ""):
            raise ImportRefused(_("sluit niet aan op de vorige journaalregel van de casus: er ontbreekt "
                                  "een regel of de volgorde is gewijzigd."), place=f"{place}.case_prev")
        if previous is not None and ev.seq == previous.seq + 1 and ev.prev_hash != previous.hash:
            raise ImportRefused(_("sluit niet aan op de vorige journaalregel: de keten is gebroken."),
                                place=f"{place}.prev_hash")
        if previous is None and ev.seq == 1 and ev.prev_hash != GENESIS:
            raise ImportRefused(_("de eerste journaalregel hoort op het begin van de keten te volgen."),
                                place=f"{place}.prev_hash")
        previous = ev
    if previous is not None and case_file.source_head and previous.hash != case_file.source_head:
        raise ImportRefused(_("de laatste journaalregel is niet de opgegeven kop: er ontbreken regels."),
                            place="source_head")


def replay(case_file: CaseFile) -> Any:
    """Validate each payload as written, then replay the events through the protocol rules
    in order (``domain.rules.check_history``: corrections applied, each event on its own
    date). Returns the folded ``CaseState``. Raises ``ImportRefused`` naming the place."""
    from ..domain import events as vocabulary
    from ..domain.rules import check_history

    if not case_file.events or case_file.events[0].kind != "case_opened":
        raise ImportRefused(_("een casus begint met 'case_opened'."), place="events[0].kind")
    for i, ev in enumerate(case_file.events):
        place = f"events[{i}]"
        if ev.kind not in vocabulary.KINDS:
            raise ImportRefused(_("onbekende soort gebeurtenis '{kind}'.", kind=ev.kind), place=f"{place}.kind")
        if ev.kind == "case_opened" and i > 0:
            raise ImportRefused(_("een casus wordt maar één keer geopend."), place=f"{place}.kind")
        try:
            vocabulary.validate(ev.kind, ev.payload)
        except InputError as exc:
            field = exc.field or ""
            detail = date_problem(_value_at(ev.payload, field)) if field else None
            raise ImportRefused(detail or exc.message,
                                place=f"{place}.payload.{field}" if field else f"{place}.payload") from None

    events = case_file.events
    try:
        return check_history(events)
    except (RuleViolation, InputError):
        pass
    # Find the first event at which the history stops being valid (shortest failing prefix).
    lo, hi = 1, len(events)
    while lo < hi:
        mid = (lo + hi) // 2
        try:
            check_history(events[:mid])
            lo = mid + 1
        except (RuleViolation, InputError):
            hi = mid
    try:
        check_history(events[:lo])
    except (RuleViolation, InputError) as exc:
        ev = events[lo - 1]
        raise ImportRefused(_("volgens de regels van de Meldcode kan dit hier niet: {reason}",
                              reason=exc.message), place=f"events[{lo - 1}] ({ev.kind})") from None
    raise ImportRefused(_("de casus klopt niet met de regels van de Meldcode."), place="events")


def check_header(case_file: CaseFile) -> None:
    """The file's own fields, before anything uses them: texts free of control/bidi characters
    (they are printed and stored), timestamps in the journal's form, actors as user names."""
    from ..store.journal import check_at
    from ..text_safety import bad_character

    for name in ("school", "exported_at", "exported_by", "source_case_id", "source_head", "journal_ref"):
        value = getattr(case_file, name, "") or ""
        if bad_character(value) is not None or len(value) > 200:
            raise ImportRefused(_("bevat een niet-toegestaan teken of is te lang."), place=name)
    if case_file.exported_at:
        try:
            check_at(case_file.exported_at)
        except InputError as exc:
            raise ImportRefused(exc.message, place="exported_at") from None
    for i, ev in enumerate(case_file.events):
        try:
            check_at(ev.at)
        except InputError as exc:
            raise ImportRefused(exc.message, place=f"events[{i}].at") from None
        for name in ("actor", "case_id", "kind"):
            value = getattr(ev, name)
            if bad_character(value) is not None or len(value) > 200:
                raise ImportRefused(_("bevat een niet-toegestaan teken of is te lang."),
                                    place=f"events[{i}].{name}")


def check_case_file(data: bytes) -> CaseFile:
    """Everything that can be checked without a database."""
    case_file = parse_case_file(data)
    check_header(case_file)
    verify_file_chain(case_file)
    replay(case_file)
    return case_file


def check_against_store(store, case_file: CaseFile) -> None:
    """What can only be checked with the target database; ``import`` and ``import --check``
    both run it (``--check`` on a database that does not exist yet skips it: nothing to meet).

    - a transfer is imported once (the same source head again is refused);
    - a case is not imported into the database it came from: its head is an event here."""
    own_event = None
    for ev in store.events():
        if ev.kind == "case_imported" and isinstance(ev.payload, dict):
            if (ev.payload.get("origin") or {}).get("source_head") == case_file.source_head:
                raise ImportRefused(_("deze overdracht is al ingelezen als casus {case_id}.",
                                      case_id=ev.case_id))
        if own_event is None and ev.hash == case_file.source_head and ev.kind == "case_exported":
            own_event = ev
    if own_event is not None:
        raise ImportRefused(_("dit bestand komt uit deze database: het is casus {case_id}.",
                              case_id=own_event.case_id))


def import_case(service, data: bytes) -> ImportResult:
    """Import a case file through ``service`` (a ``CaseService``) in one transaction."""
    from ..domain.case import fold
    from ..domain.events import text_of, validate
    from ..clock import format_at
    from ..domain.readmodel import case_id_for, case_row

    case_file = check_case_file(data)
    store = service.store
    actor = service.actor

    check_against_store(store, case_file)

    origin = {
        "school": case_file.school,
        "exported_at": case_file.exported_at,
        "exported_by": case_file.exported_by,
        "source_case_id": case_file.source_case_id,
        "source_head": case_file.source_head,
        "journal_ref": case_file.journal_ref,
        "event_count": len(case_file.events),
    }
    today, at = service.today(), format_at(service.now())
    with store.write() as tx:
        case_id = case_id_for(tx.next_case_number())
        appended = []
        for ev in case_file.events:
            appended.append(tx.append(ev.actor, case_id, ev.kind, ev.payload, at=ev.at))
        imported = tx.append(actor, case_id, "case_imported", validate("case_imported", {"origin": origin}), at)
        appended.append(imported)
        # fold() makes the importing coordinator the owner and drops the sending school's logins.
        state = fold(appended)
        tx.put_case_row(case_id, case_row(state, today))
        for ev in appended:
            text = text_of(ev.kind, ev.payload or {})
            if text:
                tx.add_text(case_id, ev.seq, text)
    return ImportResult(case_id=case_id, source_case_id=case_file.source_case_id, school=case_file.school,
                        event_count=len(case_file.events), imported_event=imported, state=state)


__all__ = ["ImportRefused", "ImportResult", "check_against_store", "check_case_file", "check_header", "import_case", "replay",
           "verify_file_chain", "date_problem"]
