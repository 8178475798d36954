"""Retention: a closed case's words are erased once the school's retention period has passed.

There is no national retention period for this part of the pupil file; the school sets its own
(``[retention] years_after_close`` in the config, default 2: the usual period for pupil data
after a pupil leaves). Erasure removes the *payloads* (everything people wrote, names included)
and keeps the chain: each erased payload gets a ``payload_erased`` event naming the hash and the
reason, so ``meldcode verify`` still passes and the journal shows that, when and why it happened.

What stays: that a case existed, its number, the kinds and times of its events and who recorded
them. A payload shared with another case (identical words, e.g. a generic view record) is left
alone: it cannot name this pupil, or the other case would be about the same pupil.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .domain.case import fold
from .errors import InputError, RuleViolation
from .i18n import _


@dataclass(frozen=True)
class RetentionCandidate:
    case_id: str
    closed_on: date
    erase_from: date


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def due_for_erasure(service, years_after_close: int) -> list[RetentionCandidate]:
    """Closed cases whose last closure is at least ``years_after_close`` years ago."""
    if years_after_close < 0:
        raise InputError(_("De bewaartermijn kan niet negatief zijn."), field="years_after_close")
    today = service.today()
    out = []
    for row in service.store.case_rows():
        if row.get("status") != "gesloten":
            continue
        events = service.store.case_events(row["case_id"])
        closure = fold(events).closure
        if closure is None:
            continue
        closed_on = date.fromisoformat(closure.at[:10])
        erase_from = _add_years(closed_on, years_after_close)
        if today >= erase_from and service.store.erasable_payloads(row["case_id"]):
            out.append(RetentionCandidate(row["case_id"], closed_on, erase_from))
    return sorted(out, key=lambda c: c.closed_on)


def erase_case(service, case_id: str, reason: str) -> int:
    """Erase every payload of ``case_id`` (one transaction). Returns how many were erased."""
    from .domain.readmodel import case_row

    if not isinstance(reason, str) or len(reason.strip()) < 10:
        raise InputError(_("Geef een reden voor het wissen (minstens 10 tekens)."), field="reason")
    erased = 0
    with service.store.write() as tx:
        events = tx.case_events(case_id)
        state = fold(events)
        if not state.closed:
            raise RuleViolation("retention_only_closed", _(
                "Casus {case_id} is niet gesloten: alleen gesloten casussen worden gewist.",
                case_id=case_id))
        # Identical words in another case are not this pupil's alone: they stay (and the
        # store would refuse them anyway). The read happens inside the write transaction.
        for payload_hash in service.store.erasable_payloads(case_id):
            tx.erase_payload(service.actor, case_id, payload_hash, reason.strip())
            erased += 1
        tx.erase_drafts(case_id)
        after = fold(tx.case_events(case_id))
        row = case_row(after, service.today())
        # The read model keeps no personal field of an erased case.
        row["pupil_name"] = _("(gewist na bewaartermijn)")
        for field in ("group_name", "date_of_birth", "next_deadline_label"):
            if field in row:
                row[field] = None
        tx.put_case_row(case_id, row)
    return erased


def finish_erasure(service) -> None:
    """Once after a retention run (or an erasure on request): rewrite the full-text index,
    checkpoint the WAL and VACUUM, so none of the erased words stays in the file's bytes."""
    service.store.compact()
