"""``meldcode import FILE``: read a ``toml`` case file into this database (a transfer).

Checks, in this order, before anything is written:

1. the file parses (TOML errors are reported with line and column) and has the expected shape;
2. the events' own hash chain: every payload matches its ``payload_hash``, every event hash
   recomputes from its fields, each event names the previous event of the case
   (``case_prev``), and consecutive events (``seq`` n and n+1) are linked by the journal's
   ``prev_hash``; the last event is the ``source_head`` named in the header. The source
   school's journal holds that same head (the ``case_exported`` event of the transfer).
3. the binding: the last event is the export's own ``case_exported`` event, whose payload
   names the case's chain head before it (``case_head``, ``case_events``). That event is in
   the sending school's journal chain, so its hash -- the file's ``source_head`` -- stands for
   every event in the file. A chain alone proves nothing against someone who edits a payload
   and recomputes every hash; what proves it is comparing ``source_head`` with the *sender's*
   value (``meldcode import --expect-head``: the control value ``meldcode export`` printed, or
   the sender's ``meldcode checkpoint`` taken right after the export) or a signature.
4. the signature, if any (``exports/signing.py``: ``ssh-keygen -Y verify`` against the
   config's ``[transfer] allowed_signers``); a bad one is refused, a missing one is refused
   when ``[transfer] require_signature = true``.
5. every event's payload passes the domain's validator for its kind, and the events replay
   through the protocol rules (``domain.rules.check``) in order, each on its own date.

``import --check`` runs exactly these checks and the ones against the target database.
What was proven is returned as a :class:`TransferProof` and printed line by line.

Then (``service_layer/importing.py``), in ONE unit of work, the case gets a new local case id and the original events
are re-appended to the local chain **with their original ``actor`` and ``at`` as the
event's own fields** (so the case reads and folds exactly as it did at the source school),
followed by a ``case_imported`` event by the local user, now, with the origin (school,
exported_at, source_case_id, source_head, plus the exporter and the number of events).
Any failure rolls the whole import back: the target database is left untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..domain.case import Event
from ..errors import InputError, RuleViolation
from ..i18n import _
from .toml_format import CaseFile, ImportRefused, parse_case_file

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
    proof: "TransferProof | None" = None


_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class TransferProof:
    """What the checks of one transfer file established (printed on import and --check)."""

    school: str
    events: int
    head: str
    head_seq: int
    bound: bool                  # every event bound into the export event (format with case_head)
    expected: bool | None        # compared with the sender's control value (None: not compared)
    signature: Any               # signing.SignatureVerdict
    basis: str = ""              # why the sending school passed on the whole journal ("" older)
    basis_reason: str = ""

    @property
    def proven(self) -> bool:
        """Shown to come from the sending school unchanged (not just internally consistent)."""
        return self.bound and (self.expected is True or getattr(self.signature, "checked", False))

    def lines(self) -> list[str]:
        from ..text_safety import safe_line

        out = [_("Keten in orde: {n} journaalregels met kloppende hashes en aansluitingen.", n=self.events)]
        if self.basis:
            from ..domain.vocabulary import record_word

            out.append(_("Grondslag van de overdracht: {basis}: {reason}", basis=record_word(self.basis),
                         reason=safe_line(self.basis_reason)))
        else:
            out.append(_("Geen grondslag in het bestand (ouder exportformaat)."))
        if self.bound:
            out.append(_("Alle regels zijn gebonden aan de exportregel {seq} in het journaal van {school} "
                         "(controlewaarde {head}).", seq=self.head_seq, school=safe_line(self.school) or "?",
                         head=self.head))
        else:
            out.append(_("Ouder exportformaat: de regels zijn niet aan de exportregel gebonden; alleen de "
                         "interne samenhang is gecontroleerd."))
        if self.expected:
            out.append(_("Gelijk aan de controlewaarde van de verzendende school."))
        else:
            out.append(_("Niet vergeleken met de verzendende school: vraag haar de controlewaarde en geef die "
                         "met --expect-head. Zonder die controle of een handtekening is een bestand met "
                         "herberekende hashes niet te herkennen."))
        out.append(_("Handtekening: {verdict}.", verdict=self.signature.describe()))
        out.append(_("Bewezen: de inhoud is die van de verzendende school.") if self.proven
                   else _("Niet bewezen dat de inhoud die van de verzendende school is."))
        return out


def parse_expected_head(value: str) -> tuple[int | None, str]:
    """The sender's control value: ``HASH``, or ``SEQ HASH`` as ``meldcode checkpoint`` prints it
    (``SEQ:HASH`` too). Raises ``InputError`` (Dutch)."""
    text = (value or "").strip().replace(":", " ")
    parts = text.split()
    seq: int | None = None
    if len(parts) == 2 and parts[0].isdigit():
        seq, parts = int(parts[0]), parts[1:]
    if len(parts) != 1 or not _HEX64.match(parts[0].lower()):
        raise InputError(_("De controlewaarde moet de volledige hash zijn (64 tekens 0-9 en a-f), eventueel "
                           "met het volgnummer ervoor zoals 'meldcode checkpoint' die toont."),
                         field="expect_head")
    return seq, parts[0].lower()


def check_binding(case_file: CaseFile) -> bool:
    """The last event is the export's ``case_exported``; when it carries ``case_head`` it must
    name the file's previous event and count. Returns whether the file is bound that way."""
    events = case_file.events
    last = events[-1]
    place = f"events[{len(events) - 1}]"
    if last.kind != "case_exported":
        raise ImportRefused(_("het bestand eindigt niet met de exportregel van de verzendende school."),
                            place=f"{place}.kind")
    payload = last.payload or {}
    for key in ("basis", "basis_reason"):
        # The header's basis is what the receiving school reads first: it must be the one the
        # sending school recorded (a file may have none, as older exports).
        if getattr(case_file, key) != (payload.get(key) or ""):
            raise ImportRefused(_("de grondslag in de kop van het bestand is niet die van de exportregel."),
                                place=key)
    if "case_head" not in payload:
        return False
    if len(events) < 2 or payload.get("case_head") != events[-2].hash:
        raise ImportRefused(_("de exportregel noemt een andere laatste journaalregel dan het bestand bevat: "
                              "er ontbreken of er zijn regels veranderd."), place=f"{place}.payload.case_head")
    if payload.get("case_events") != len(events) - 1:
        raise ImportRefused(_("de exportregel noemt {n} journaalregels, het bestand bevat er {found}.",
                              n=payload.get("case_events"), found=len(events) - 1),
                            place=f"{place}.payload.case_events")
    return True


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

    previous: Event | None = None
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


def replay(case_file: CaseFile, *, policy=None) -> Any:
    """Validate each payload as written, then replay the events through the protocol rules
    in order (``domain.rules.check_history``: corrections applied, each event on its own
    date). Returns the folded ``CaseState``. Raises ``ImportRefused`` naming the place."""
    from ..domain.care_team import DEFAULT_POLICY
    from ..domain.events import KINDS, validate
    from ..domain.rules import check_history as check_all

    def check_history(events):
        return check_all(events, policy=policy or DEFAULT_POLICY)

    if not case_file.events or case_file.events[0].kind != "case_opened":
        raise ImportRefused(_("een casus begint met 'case_opened'."), place="events[0].kind")
    for i, ev in enumerate(case_file.events):
        place = f"events[{i}]"
        if ev.kind not in KINDS:
            raise ImportRefused(_("onbekende soort gebeurtenis '{kind}'.", kind=ev.kind), place=f"{place}.kind")
        if ev.kind == "case_opened" and i > 0:
            raise ImportRefused(_("een casus wordt maar één keer geopend."), place=f"{place}.kind")
        try:
            checked = validate(ev.kind, ev.payload)
        except InputError as exc:
            field = exc.field or ""
            detail = date_problem(_value_at(ev.payload, field)) if field else None
            raise ImportRefused(detail or exc.message,
                                place=f"{place}.payload.{field}" if field else f"{place}.payload") from None
        # A field the kind does not have would be stored as it came (its hash covers it) and
        # shown by every export: refused as `case record` refuses it.
        extra = sorted(set(ev.payload) - set(checked))
        if extra:
            raise ImportRefused(_("onbekend veld voor '{kind}'.", kind=ev.kind),
                                place=f"{place}.payload.{extra[0][:40]}")

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


def _now() -> datetime:
    return datetime.now(timezone.utc)


def check_header(case_file: CaseFile) -> None:
    """The file's own fields, before anything uses them: texts free of control/bidi characters
    (they are printed and stored), timestamps in the journal's form, actors as user names."""
    from ..store.journal import check_at
    from ..text_safety import bad_character

    for name in ("school", "exported_at", "exported_by", "source_case_id", "source_head", "journal_ref"):
        value = getattr(case_file, name, "") or ""
        if bad_character(value) is not None or len(value) > 200:
            raise ImportRefused(_("bevat een niet-toegestaan teken of is te lang."), place=name)
    latest = _now() + timedelta(days=1)   # clocks of two schools may differ a little
    for name, value in [("exported_at", case_file.exported_at)] + [
            (f"events[{i}].at", ev.at) for i, ev in enumerate(case_file.events)]:
        if not value:
            continue
        try:
            check_at(value)
        except InputError as exc:
            raise ImportRefused(exc.message, place=name) from None
        if datetime.fromisoformat(value.replace("Z", "+00:00")) > latest:
            raise ImportRefused(_("de tijd ligt in de toekomst."), place=name)
    for i, ev in enumerate(case_file.events):
        for name in ("actor", "case_id", "kind"):
            value = getattr(ev, name)
            if bad_character(value) is not None or len(value) > 200:
                raise ImportRefused(_("bevat een niet-toegestaan teken of is te lang."),
                                    place=f"events[{i}].{name}")


def check_case_file(data: bytes, *, expect_head: str | None = None, allowed_signers=None,
                    require_signature: bool = False, max_attachment_bytes: int | None = None,
                    care_team_policy=None) -> CaseFile:
    """Everything that can be checked without a database; ``case_file.proof`` says what was
    proven. ``import`` and ``import --check`` both call exactly this. ``care_team_policy``: the
    receiving school's zorgteam (None: the protocol's own), which its rules replay with."""
    from .signing import split_signed, verify

    body, signature = split_signed(data)
    case_file = parse_case_file(body)
    check_header(case_file)
    verify_file_chain(case_file)
    bound = check_binding(case_file)
    expected: bool | None = None
    if expect_head is not None:
        seq, head = parse_expected_head(expect_head)
        last = case_file.events[-1]
        if head != case_file.source_head or (seq is not None and seq != last.seq):
            raise ImportRefused(_("de kop van dit bestand ({seq} {head}) is niet de controlewaarde van de "
                                  "verzendende school: het bestand is gewijzigd of het is een andere export.",
                                  seq=last.seq, head=case_file.source_head[:16] + "…"), place="source_head")
        if not bound:
            raise ImportRefused(_("een bestand in het oude exportformaat kan niet tegen een controlewaarde "
                                  "worden bewezen: vraag de verzendende school om een nieuwe export."),
                                place="source_head")
        expected = True
    verdict = verify(body, signature, allowed_signers)
    if require_signature and not verdict.signed:
        raise ImportRefused(_("het bestand is niet ondertekend en deze school vraagt een handtekening "
                              "([transfer] require_signature)."), place="signature")
    replay(case_file, policy=care_team_policy)
    check_attachments(case_file, max_attachment_bytes)
    case_file.proof = TransferProof(school=case_file.school, events=len(case_file.events),
                                    head=case_file.source_head, head_seq=case_file.events[-1].seq,
                                    bound=bound, expected=expected, signature=verdict,
                                    basis=case_file.basis, basis_reason=case_file.basis_reason)
    return case_file


def _refuse_if_imported(events, case_file: CaseFile) -> None:
    for ev in events:
        if ev.kind == "case_imported" and isinstance(ev.payload, dict):
            if (ev.payload.get("origin") or {}).get("source_head") == case_file.source_head:
                raise ImportRefused(_("deze overdracht is al ingelezen als casus {case_id}.",
                                      case_id=ev.case_id))


def check_against_store(store, case_file: CaseFile) -> None:
    """What can only be checked with the target database; ``import`` and ``import --check``
    both run it (``--check`` on a database that does not exist yet skips it: nothing to meet).

    - a transfer is imported once (the same source head again is refused);
    - a case is not imported into the database it came from: its head is an event here."""
    own_event = None
    for ev in store.events():
        _refuse_if_imported((ev,), case_file)
        if own_event is None and ev.hash == case_file.source_head and ev.kind == "case_exported":
            own_event = ev
    if own_event is not None:
        raise ImportRefused(_("dit bestand komt uit deze database: het is casus {case_id}.",
                              case_id=own_event.case_id))


def transfer_policy(config) -> dict:
    """The receiving school's checks from its config (``[transfer]``, ``[attachments]``)."""
    return {"allowed_signers": getattr(config, "transfer_allowed_signers", None),
            "require_signature": bool(getattr(config, "transfer_require_signature", False)),
            "max_attachment_bytes": getattr(config, "attachments_max_bytes", None)}


def check_attachments(case_file: CaseFile, max_bytes: int | None = None) -> None:
    """Each attachment's bytes pass the same content check as ``meldcode attach``
    (``domain.attachments.sniff``) and are what their record says they are. The sender's chain
    proves only that the bytes were not changed on the way; a hostile or careless sender can
    still have put in a "text" with terminal escapes, an executable or an HTML page labelled
    PDF, which ``fetch`` would hand to a coordinator's terminal or disk."""
    from ..domain.attachments import DEFAULT_MAX_MB, label, sniff

    limit = max_bytes if max_bytes is not None else DEFAULT_MAX_MB * 1024 * 1024
    by_seq = {ev.seq: ev for ev in case_file.events}
    for seq, body in sorted(case_file.attachments.items()):
        claimed = str(((by_seq.get(seq) and by_seq[seq].payload) or {}).get("media_type") or "")
        try:
            found = sniff(body, max_bytes=limit)
        except InputError as exc:
            raise ImportRefused(exc.message, place=f"attachments (#{seq})") from None
        if found.media_type != claimed:
            raise ImportRefused(_("de bijlage is volgens haar inhoud een {found}, niet wat haar "
                                  "journaalregel zegt ({claimed}).", found=label(found.media_type),
                                  claimed=label(claimed) if claimed else "-"),
                                place=f"attachments (#{seq})")


def import_case(service, data: bytes, *, expect_head: str | None = None, config=None):
    """Import a case file: the use case is the service's (``CaseService.import_case``,
    ``service_layer/importing.py``); this name stays for callers."""
    return service.import_case(data, expect_head=expect_head, config=config)


__all__ = ["ImportRefused", "ImportResult", "TransferProof", "check_binding", "parse_expected_head",
           "transfer_policy", "check_against_store", "check_attachments", "check_case_file", "check_header",
           "import_case", "replay",
           "verify_file_chain", "date_problem"]
