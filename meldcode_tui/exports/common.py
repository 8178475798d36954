"""Shared helpers for the export renderers: Dutch labels, date formatting and the
"effective" view of a case's records (corrections applied, never overwritten).

The renderers work from the event list alone (the vocabulary in ``docs/ARCHITECTURE.md``),
so a file always shows exactly what the journal holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable

from ..domain import afwegingskader as ak
from ..domain.case import CaseState, Record, fold
from ..domain.events import LABELS as DOMAIN_LABELS
from ..domain.events import FIELD_LABELS, LABELS_IN_FIELD  # noqa: F401 - FIELD_LABELS re-exported
from ..domain.events import field_name as field_label
from ..domain.events import label as domain_label
from ..i18n import N_, _

# Access-log kinds: kept out of chronologies and reports (summarised instead).
ACCESS_KINDS = frozenset({"case_viewed"})

KIND_LABELS: dict[str, str] = {
    "case_opened": N_("Casus geopend"),
    "case_viewed": N_("Casus ingezien"),
    "signal_recorded": N_("Signaal vastgelegd"),
    "consultation_recorded": N_("Consultatie vastgelegd"),
    "care_team_set": N_("Zorgteam samengesteld"),
    "conversation_recorded": N_("Gesprek vastgelegd"),
    "exception_recorded": N_("Uitzondering vastgelegd"),
    "step_completed": N_("Stap afgerond"),
    "weighing_answered": N_("Afwegingsvraag beantwoord"),
    "decision_recorded": N_("Besluit vastgelegd"),
    "help_planned": N_("Hulp gepland"),
    "help_reviewed": N_("Hulp geëvalueerd"),
    "pre_report_contact_recorded": N_("Contact vooraf over de melding"),
    "report_made": N_("Melding gedaan"),
    "vt_feedback_recorded": N_("Terugkoppeling Veilig Thuis"),
    "follow_up_agreed": N_("Vervolgactie afgesproken"),
    "follow_up_done": N_("Vervolgactie afgerond"),
    "staff_suspicion_routed": N_("Vermoeden tegen medewerker doorgeleid"),
    "record_corrected": N_("Correctie"),
    "case_closed": N_("Casus gesloten"),
    "case_reopened": N_("Casus heropend"),
    "case_exported": N_("Casus geëxporteerd"),
    "case_imported": N_("Casus geïmporteerd"),
    "attachment_added": N_("Bijlage toegevoegd"),
    "attachment_fetched": N_("Bijlage opgehaald"),
    "household_member_added": N_("Persoon in het huishouden"),
    "household_member_left": N_("Persoon niet meer betrokken"),
    "professional_added": N_("Betrokken hulpverlener"),
    "professional_ended": N_("Hulpverlener niet meer betrokken"),
    "case_linked": N_("Casus gekoppeld"),
    "body_mark_recorded": N_("Letsel op de poptekening"),
    "source_withheld": N_("Bron niet genoemd in de melding"),
    "reference_recorded": N_("Verwijzing naar een gekoppelde casus"),
}

# Short names for one record, used in "places" (e.g. ``signaal #12 (omschrijving)``).
KIND_NOUNS: dict[str, str] = {
    "case_opened": N_("casus"),
    "signal_recorded": N_("signaal"),
    "consultation_recorded": N_("consultatie"),
    "care_team_set": N_("zorgteam"),
    "conversation_recorded": N_("gesprek"),
    "exception_recorded": N_("uitzondering"),
    "step_completed": N_("stap"),
    "weighing_answered": N_("afweging"),
    "decision_recorded": N_("besluit"),
    "help_planned": N_("hulpplan"),
    "help_reviewed": N_("evaluatie"),
    "pre_report_contact_recorded": N_("contact vooraf"),
    "report_made": N_("melding"),
    "vt_feedback_recorded": N_("terugkoppeling"),
    "follow_up_agreed": N_("vervolgactie"),
    "follow_up_done": N_("vervolgactie"),
    "staff_suspicion_routed": N_("doorgeleiding"),
    "record_corrected": N_("correctie"),
    "attachment_added": N_("bijlage"),
    "case_closed": N_("afsluiting"),
    "case_reopened": N_("heropening"),
}


VALUE_LABELS: dict[str, str] = {
    "own": N_("eigen waarneming"),
    "other": N_("waarneming van een ander"),
    "colleague": N_("deskundige collega"),
    "zorgteam": N_("zorgteam"),
    "veilig_thuis_advice": N_("advies Veilig Thuis"),
    "vertrouwensarts": N_("vertrouwensarts"),
    "forensisch_arts": N_("forensisch arts"),
    "pupil": N_("leerling"),
    "parents": N_("ouders"),
    "yes": N_("ja"),
    "no": N_("nee"),
    "doubt": N_("twijfel"),
    "safety": N_("veiligheid"),
    "out_of_sight": N_("leerling raakt uit beeld"),
    "age": N_("leeftijd"),
    "no_conversation_pupil": N_("geen gesprek met de leerling"),
    "pupil_without_informing_parents": N_("gesprek met de leerling zonder de ouders vooraf te informeren"),
    "no_conversation_parents": N_("geen gesprek met de ouders"),
    "report_without_contact": N_("melden zonder contact vooraf"),
    "reporter_not_disclosed": N_("melder niet bekend bij het gezin"),
    "leerkracht": N_("leerkracht"),
    "interne_vertrouwenspersoon": N_("interne vertrouwenspersoon"),
    "ondersteuningscoach": N_("ondersteuningscoach"),
    "schoolleider": N_("schoolleider"),
    "school_board": N_("schoolbestuur"),
    "vertrouwensinspecteur": N_("vertrouwensinspecteur"),
    "police": N_("politie"),
}

# The afwegingskader's questions, as the domain words them.
WEIGHING_QUESTIONS: dict[int, str] = ak.QUESTIONS

MONTHS = (
    N_("januari"), N_("februari"), N_("maart"), N_("april"), N_("mei"), N_("juni"), N_("juli"),
    N_("augustus"), N_("september"), N_("oktober"), N_("november"), N_("december"),
)


def kind_label(kind: str) -> str:
    if kind in KIND_LABELS:
        return _(KIND_LABELS[kind])
    from ..domain.events import KINDS

    return _(KINDS[kind].title) if kind in KINDS else kind


def kind_noun(kind: str) -> str:
    return _(KIND_NOUNS[kind]) if kind in KIND_NOUNS else kind




def value_label(value: Any, field: str | None = None) -> str:
    """A payload value as readable Dutch text (``field``: where a code's meaning depends on it)."""
    if value is None:
        return _("onbekend")
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, str):
        if value in DOMAIN_LABELS or (field, value) in LABELS_IN_FIELD:
            return domain_label(value, field)
        return _(VALUE_LABELS[value]) if value in VALUE_LABELS else value
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
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return max(years, 0)


# ---------------------------------------------------------------------------------------
# Effective records (the domain's fold does the work: corrections applied, never overwritten)
# ---------------------------------------------------------------------------------------

def effective_records(events: Iterable[Any]) -> list[Record]:
    """All records of the case in journal order, each with its corrections applied
    (``domain.case.Record``: ``payload`` current, ``original``, ``corrections``, ``erased``)."""
    state = fold(events)
    return [state.records_by_seq[seq] for seq in sorted(state.records_by_seq)]


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
        owner=str(state.owner or ""),
        opened_at=state.opened_at,
        care_team=[m for m in state.care_team if isinstance(m, dict)],
        records=records,
    )

