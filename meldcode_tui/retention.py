"""Retention and erasure: a case's words are erased once the school's retention period has
passed, or on request; the chain keeps verifying.

There is no national retention period for this part of the pupil file; the school sets its own
in the config, with its reason::

    [retention]
    years = 5
    counted_from = "leaving"   # default: the later of the pupil's leaving date and the closing
    reason = "Privacyreglement, art. 7"

``counted_from = "leaving"``: a closed case is due ``years`` after the later of the closing and
the pupil's leaving date ("leerling heeft de school verlaten op …", the ``pupil_left`` record);
a closed case without a leaving date is not due (earlier concerns still matter while the pupil
is at school) and is counted as waiting. ``"closing"``: from the closing only (the older
``years_after_close`` key means this). While no period is set, the app and ``meldcode
retention`` warn, and ``retention apply`` needs ``--years``.

Erasure removes the *payloads* (names, dates of birth, pupil numbers, household, everything people
wrote, attachments: all of it lives in payloads), the case's drafts, the personal fields of its
case-list row and its full-text entries, and keeps the chain: each erased payload gets a
``payload_erased`` event naming the hash, and the case gets one ``case_erased`` record (who =
the actor, when = its time, which policy and rule, why, who asked). ``finish_erasure`` then
rewrites the index, checkpoints the WAL and VACUUMs, so no erased byte stays in the file.

What stays: that a case existed, its number, the kinds and times of its events and who recorded
them. A payload shared with another case (identical words, e.g. a generic view record) is left
alone: it cannot name this pupil, or the other case would be about the same pupil.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .config import MAX_RETENTION_YEARS
from .domain.case import fold
from .errors import InputError
from .i18n import _

COUNTED_FROM = ("leaving", "closing")


@dataclass(frozen=True)
class RetentionPolicy:
    years: int
    counted_from: str = "leaving"
    reason: str = ""            # the school's reason (config), recorded with every erasure
    configured: bool = True     # False: nothing set in the config (a default or --years)

    def __post_init__(self):
        if not isinstance(self.years, int) or self.years < 0:
            raise InputError(_("De bewaartermijn kan niet negatief zijn."), field="years")
        if self.years > MAX_RETENTION_YEARS:
            raise InputError(_("Een bewaartermijn van meer dan {max} jaar is geen bewaartermijn.",
                               max=MAX_RETENTION_YEARS), field="years")
        if self.counted_from not in COUNTED_FROM:
            raise InputError(_("Onbekend beginpunt van de bewaartermijn."), field="counted_from")

    @property
    def rule(self) -> str:
        """The rule in words (Dutch), as listed and recorded."""
        if self.counted_from == "closing":
            return _("{years} jaar na het sluiten van de casus", years=self.years)
        return _("{years} jaar na het vertrek van de leerling of het sluiten van de casus "
                 "(het laatste van beide)", years=self.years)

    @classmethod
    def from_config(cls, config, years: int | None = None,
                    counted_from: str | None = None) -> "RetentionPolicy | None":
        """The school's policy; ``years``/``counted_from`` override it (the CLI's options).
        None when neither the config nor the caller gives a period."""
        set_years = getattr(config, "retention_years", None)
        chosen = years if years is not None else set_years
        if chosen is None:
            return None
        return cls(chosen, counted_from or getattr(config, "retention_counted_from", "leaving"),
                   getattr(config, "retention_reason", "") or "",
                   configured=set_years is not None)


def missing_policy_warning() -> str:
    return _("Er is geen bewaartermijn ingesteld: zet [retention] years en reason in de "
             "configuratie.")


@dataclass(frozen=True)
class RetentionCandidate:
    case_id: str
    closed_on: date
    left_on: date | None
    counted_from: date
    erase_from: date


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _policy(policy) -> RetentionPolicy:
    # An int: years after closing (the older call).
    return RetentionPolicy(policy, "closing") if isinstance(policy, int) else policy


# Events that put a case's content in a file outside the database: exports (written 0600 on the
# coordinator's own computer, or fetched over ssh) and fetched attachments.
COPY_KINDS = ("case_exported", "attachment_fetched")


def copies_outside(service, case_id: str) -> list[dict]:
    """Who took a copy of ``case_id`` out of the file, when, in what form (from the journal:
    the app cannot reach those files, so erasure cannot either). For the retention listing,
    so the privacy officer can ask those people to delete them."""
    out = []
    for ev in service.store.case_events(case_id):
        if ev.kind in COPY_KINDS:
            payload = ev.payload or {}
            what = payload.get("format") or payload.get("title") or ev.kind
            out.append({"seq": ev.seq, "at": ev.at, "actor": ev.actor, "what": str(what)})
    return out


def review(service, policy) -> tuple[list[RetentionCandidate], list[str]]:
    """(cases due for erasure, closed cases not due only because no leaving date is recorded)."""
    policy = _policy(policy)
    today = service.today()
    due, waiting = [], []
    for row in service.store.case_rows():
        if row.get("status") != "gesloten" or not service.can_see(row):
            continue
        state = fold(service.store.case_events(row["case_id"]))
        closure = state.closure
        if closure is None:
            continue
        closed_on = date.fromisoformat(closure.at[:10])
        left_on = date.fromisoformat(state.left_on) if state.left_on else None
        if policy.counted_from == "leaving":
            if left_on is None:
                if service.store.erasable_payloads(row["case_id"]):
                    waiting.append(row["case_id"])
                continue
            start = max(closed_on, left_on)
        else:
            start = closed_on
        erase_from = _add_years(start, policy.years)
        if today >= erase_from and service.store.erasable_payloads(row["case_id"]):
            due.append(RetentionCandidate(row["case_id"], closed_on, left_on, start, erase_from))
    return sorted(due, key=lambda c: (c.erase_from, c.case_id)), sorted(waiting)


def due_for_erasure(service, policy) -> list[RetentionCandidate]:
    """Closed cases whose retention period (``policy``, or an int: years after closing) passed."""
    return review(service, policy)[0]


def erase_case(service, case_id: str, reason: str, *, policy: str = "retention",
               rule: str = "", requested_by: str = "") -> int:
    """Erase every payload of ``case_id`` and record one ``case_erased``: the use case is the
    service's (``CaseService.erase_case``, ``service_layer/erasure.py``), which checks the role
    and that the user may see the case. Returns how many payloads were erased. Call
    ``finish_erasure`` once afterwards."""
    return service.erase_case(case_id, reason, policy=policy, rule=rule, requested_by=requested_by)


def finish_erasure(service) -> bool:
    """Once after a retention run (or an erasure on request): rewrite the full-text index,
    checkpoint the WAL and VACUUM, so none of the erased words stays in the file's bytes.

    False when that could not be finished now - another session's read snapshot (a backup
    running, a colleague's open app) holds the old pages, or another session is writing: the
    erasure itself is recorded, the clean is remembered in the file and done at the next start
    once that session has closed. Callers must then say so (``clean_pending_message``), never
    "gewist"."""
    from .errors import StoreError

    try:
        return service.store.compact()
    except StoreError:
        return False  # the pending mark is set before anything can be busy


def clean_pending_message() -> str:
    return _("De inhoud is gewist uit het journaal, maar een andere sessie (een open Meldcode of "
             "een reservekopie die loopt) leest het bestand nog: de gewiste woorden staan nog in "
             "het bestand. Ze worden eruit gehaald bij de eerstvolgende start van Meldcode nadat "
             "die sessie is gesloten.")
