"""Shared helpers for the export renderers: Dutch labels, date formatting and the
"effective" view of a case's records (corrections applied, never overwritten).

The renderers work from the event list alone (the vocabulary in ``docs/ARCHITECTURE.md``),
so a file always shows exactly what the journal holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from ..domain import afwegingskader as ak
from ..domain.ages import age_on
from ..domain.case import CaseState, Record, fold
from ..domain.vocabulary import field_name as field_label
from ..domain.vocabulary import kind_title, record_word
from ..i18n import N_, _

# Access-log kinds: kept out of chronologies and reports (summarised instead).
ACCESS_KINDS = frozenset({"case_viewed"})

# The words for event kinds and codes: domain/vocabulary.py (the record's title is what a
# document prints; the screen's short word is the TUI's).

# The afwegingskader's questions, as the domain words them.
WEIGHING_QUESTIONS: dict[int, str] = ak.QUESTIONS

MONTHS = (
    N_("januari"), N_("februari"), N_("maart"), N_("april"), N_("mei"), N_("juni"), N_("juli"),
    N_("augustus"), N_("september"), N_("oktober"), N_("november"), N_("december"),
)


def kind_label(kind: str) -> str:
    """An event kind as a document names it: the record's title."""
    return kind_title(kind)


def value_label(value: Any, field: str | None = None) -> str:
    """A payload value as readable Dutch text (``field``: where a code's meaning depends on it)."""
    if value is None:
        return _("onbekend")
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, str):
        return record_word(value, field)
    if isinstance(value, (list, tuple)):
        return ", ".join(value_label(v) for v in value) if value else _("geen")
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {value_label(v)}" for k, v in value.items())
    return str(value)


def parse_date(text: Any) -> date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_at(at: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def fmt_date(value: Any) -> str:
    """``2026-03-12`` -> ``12 maart 2026``; anything else as given (or 'onbekend')."""
    d = value if isinstance(value, date) else parse_date(value)
    if d is None:
        return str(value) if value not in (None, "") else _("onbekend")
    return f"{d.day} {_(MONTHS[d.month - 1])} {d.year}"


def _local_tz():
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Amsterdam")
    except Exception:  # noqa: BLE001 - no tz database: stay in UTC
        return timezone.utc


def fmt_at(at: str) -> str:
    """An event timestamp as Dutch local time, e.g. ``12 maart 2026 10:14``."""
    value = parse_at(at)
    if value is None:
        return str(at)
    tz = _local_tz()
    local = value.astimezone(tz)
    suffix = "" if tz is not timezone.utc else " UTC"
    return f"{fmt_date(local.date())} {local:%H:%M}{suffix}"


def age_in_years(born: date | None, on: date | None) -> int | None:
    if born is None or on is None:
        return None
    return max(age_on(born, on), 0)


def corrected_fields(rec: Record) -> set[str]:
    names: set[str] = set()
    for corr in rec.corrections:
        names.update(corr.changes or {})
    return names


@dataclass
class CaseFacts:
    """Who the case is about, as currently recorded (corrections applied)."""

    case_id: str
    pupil_name: str = ""
    date_of_birth: str = ""
    group: str = ""
    pupil_number: str = ""
    parents: list[dict] = field(default_factory=list)
    pupil_address: str = ""
    pupil_gender: str = ""
    owner: str = ""
    opened_at: str = ""
    care_team: list[dict] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Record]:
        return [r for r in self.records if r.kind in kinds]


def case_facts(events: list[Any], case_id: str | None = None) -> CaseFacts:
    state: CaseState = fold(events)
    records = [state.records_by_seq[seq] for seq in sorted(state.records_by_seq)]
    return CaseFacts(
        case_id=case_id or state.case_id,
        pupil_name=str(state.pupil.name or ""),
        date_of_birth=str(state.pupil.date_of_birth or ""),
        group=str(state.pupil.group or ""),
        pupil_number=str(state.pupil.pupil_number or ""),
        parents=[p for p in state.parents if isinstance(p, dict)],
        pupil_address=str(getattr(state.pupil, "address", "") or ""),
        pupil_gender=str(getattr(state.pupil, "gender", "") or ""),
        owner=str(state.owner or ""),
        opened_at=state.opened_at,
        care_team=[m for m in state.care_team if isinstance(m, dict)],
        records=records,
    )

