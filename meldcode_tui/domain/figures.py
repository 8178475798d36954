"""Anonymous figures of a school (and of a board of schools): what the Meldcode was used for in
a period, per month, as the board, the medezeggenschapsraad and the inspectie ask it every year.

Pure: the store counts (store/stats.py), this module turns those counts into published tables,
and every number goes through :func:`anonymity.protect` / :func:`anonymity.small` on the way, so a
:class:`Figures` holds text only (no raw count, no name, no case number, no date finer than a
month). Outputs (CLI text/JSON/CSV, the TUI, report plugins) only ever see a ``Figures``.

Definitions (the same in the SQL and in the tests' independent count):

- an event's *day* is its payload's own date (``on``, else ``observed_on``) and otherwise the
  day it was written in the journal; its month is that day's month. An erased payload (retention)
  keeps its kind and time: it is counted, with "onbekend" where a payload field was needed.
- *first signal*: a case's earliest signal day (its opening day when it has no signal); the
  durations run from there to the first completion of each step, the first decision (step 5)
  and the first melding (regular or acute), counted in the period in which that step was reached.
- *deadlines*: Veilig Thuis's first feedback (5 working days after the melding), the help's
  review date (``review_on`` / ``next_review_on``, met by the next review), a follow-up's
  ``due_on`` (met by its ``follow_up_done``); counted in the month they fell due, once due.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from statistics import median
from typing import Callable, Iterable

from ..i18n import N_, _
from .anonymity import MASKED, MIN_COUNT, SMALL, protect, small
from .deadlines import vt_feedback_due
from .kinds.case_file import CLOSE_GROUNDS
from .kinds.consultation import CONSULTATION_KINDS
from .vocabulary import record_word

MONTHS = (N_("jan"), N_("feb"), N_("mrt"), N_("apr"), N_("mei"), N_("jun"), N_("jul"),
          N_("aug"), N_("sep"), N_("okt"), N_("nov"), N_("dec"))
UNKNOWN = "?"     # the store's key for an erased payload
OWN = ""          # a signal described in own words (not from a catalogue)


# --------------------------------------------------------------------------- the period

@dataclass(frozen=True)
class Period:
    """Whole months: ``start`` (first day of a month) up to, not including, ``end``."""

    start: date
    end: date

    @property
    def months(self) -> list[str]:
        out, y, m = [], self.start.year, self.start.month
        while date(y, m, 1) < self.end:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    @property
    def label(self) -> str:
        if self.start.month == 8 and self.end == date(self.start.year + 1, 8, 1):
            return _("schooljaar {a}-{b}", a=self.start.year, b=self.start.year + 1)
        months = self.months
        return _("{first} t/m {last}", first=month_label(months[0], year=True),
                 last=month_label(months[-1], year=True))

    def as_text(self) -> str:
        months = self.months
        return f"{months[0]}..{months[-1]}"


def school_year(today: date, year: int | None = None) -> Period:
    """The school year (1 August to 31 July) that holds ``today``, or that starts in ``year``."""
    if year is None:
        year = today.year if today.month >= 8 else today.year - 1
    return Period(date(year, 8, 1), date(year + 1, 8, 1))


def months_period(first: str, last: str) -> Period:
    """``YYYY-MM`` to ``YYYY-MM`` inclusive (raises ValueError on a bad month or order)."""
    y1, m1 = (int(x) for x in first.split("-"))
    y2, m2 = (int(x) for x in last.split("-"))
    start, last_day = date(y1, m1, 1), date(y2, m2, 1)
    if last_day < start:
        raise ValueError("period ends before it starts")
    end = date(y2 + 1, 1, 1) if m2 == 12 else date(y2, m2 + 1, 1)
    return Period(start, end)


def month_label(month: str, *, year: bool = False) -> str:
    y, m = month.split("-")
    word = _(MONTHS[int(m) - 1])
    return f"{word} {y}" if year else word


# --------------------------------------------------------------------------- what the store gives

@dataclass
class Counts:
    """Raw counts of ONE school (never shown as they are; see :func:`school_figures`).

    ``counts``: (measure, key, month) -> n; ``durations``: milestone -> list of days;
    ``deadlines``: (kind, due, met) with ISO days (met None: not met yet)."""

    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    durations: dict[str, list[int]] = field(default_factory=dict)
    deadlines: list[tuple[str, str, str | None]] = field(default_factory=list)


# --------------------------------------------------------------------------- published form

@dataclass(frozen=True)
class Table:
    """A published table: text cells only (numbers, SMALL or MASKED). The last column is the
    total of the row where the table has totals; ``total_row`` says the last row is the total."""

    id: str
    title: str
    rows: list[str]
    columns: list[str]
    cells: list[list[str]]
    total_row: bool = False
    note: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Figures:
    """Everything a school (or a board) shows: a title, the period and the tables."""

    title: str
    period: str
    months: list[str]
    tables: list[Table]
    schools: list[str] = field(default_factory=list)   # a board's schools (side by side)

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)

    def to_dict(self) -> dict:
        return {"title": self.title, "period": self.period, "months": self.months,
                "schools": self.schools, "small": SMALL, "masked": MASKED,
                "min_count": MIN_COUNT, "tables": [t.to_dict() for t in self.tables]}

    def cells(self) -> Iterable[str]:
        for t in self.tables:
            for row in t.cells:
                yield from row


# The activity table: one row per measure (different things: no column total).
ACTIVITY = (
    ("opened", N_("Casussen geopend")),
    ("staff_route", N_("Vermoeden tegen een medewerker (andere route)")),
    ("conversation", N_("Gesprekken met ouders/leerling")),
    ("exception", N_("Uitzonderingen vastgelegd")),
    ("report", N_("Meldingen bij Veilig Thuis")),
    ("acute", N_("Acute meldingen")),
    ("help", N_("Hulp georganiseerd")),
    ("reopened", N_("Casussen heropend")),
)
DECISIONS = (
    ("1/1", N_("Melden, en hulp mogelijk")),
    ("1/0", N_("Melden")),
    ("0/1", N_("Hulp organiseren (niet melden)")),
    ("0/0", N_("Niet melden, geen hulp nodig")),
)
VT_STAGES = (("first", N_("Eerste terugkoppeling (wat Veilig Thuis doet)")),
             ("final", N_("Eindterugkoppeling (uitkomst)")))
DEADLINE_KINDS = (
    ("vt_feedback", N_("Terugkoppeling Veilig Thuis (5 werkdagen)")),
    ("help_review", N_("Evaluatie van de hulp")),
    ("follow_up", N_("Vervolgafspraak")),
)
LATENESS = (
    ("on_time", N_("op tijd")),
    ("late_7", N_("1-7 dg")),
    ("late_30", N_("8-30 dg")),
    ("late_more", N_(">30 dg")),
    ("open_late", N_("open")),
)
MILESTONES = (
    ("step1", N_("Stap 1 afgerond")), ("step2", N_("Stap 2 afgerond")),
    ("step3", N_("Stap 3 afgerond")), ("step4", N_("Stap 4 afgerond")),
    ("step5", N_("Stap 5 afgerond")), ("decision", N_("Besluit (stap 5)")),
    ("report", N_("Melding (ook acuut)")),
)


def lateness(due: str, met: str | None, today: date) -> str | None:
    """The bucket of one deadline, or None when it is not due yet (and not met)."""
    due_day = date.fromisoformat(due[:10])
    if met is None:
        if today <= due_day:
            return None
        return "open_late"
    late = (date.fromisoformat(met[:10]) - due_day).days
    if late <= 0:
        return "on_time"
    return "late_7" if late <= 7 else "late_30" if late <= 30 else "late_more"


def deadline_due(kind: str, day: str) -> str:
    """The due day of a deadline as the store gives it (the melding's day for VT feedback)."""
    return vt_feedback_due(day[:10]).isoformat() if kind == "vt_feedback" else day[:10]


def p90(values: list[int]) -> int:
    """Nearest-rank 90th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


# --------------------------------------------------------------------------- category rows

CategoryOf = Callable[[str], tuple[str, str] | None]


def category_rows(keys: Iterable[str], category_of: CategoryOf | None,
                  known: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Rows of the signal table (category id, label) and each store key's row id. ``known``:
    every category of the loaded catalogues (shown even when empty, so schools line up)."""
    rows = list(known)
    seen = {cid for cid, _l in rows}
    row_of: dict[str, str] = {}
    for key in keys:
        if key == UNKNOWN:
            row_of[key] = "_unknown"
        elif key == OWN:
            row_of[key] = "_own"
        else:
            cat = category_of(key) if category_of else None
            # A category outside the loaded catalogues goes with "_other": the rows stay the
            # same for every school of a board.
            row_of[key] = cat[0] if cat is not None and cat[0] in seen else "_other"
    rows += [("_other", _("Signaal uit een lijst (categorie niet bekend)")),
             ("_own", _("Eigen omschrijving (niet uit een lijst)")),
             ("_unknown", _("Onbekend (inhoud gewist)"))]
    return rows, row_of


# --------------------------------------------------------------------------- one school

def _grid(counts: Counts, measure: str, keys: list[str], months: list[str],
          row_of: Callable[[str], str | None] | None = None) -> list[list[int]]:
    index = {k: i for i, k in enumerate(keys)}
    col = {m: i for i, m in enumerate(months)}
    grid = [[0] * len(months) for _k in keys]
    for (meas, key, month), n in counts.counts.items():
        if meas != measure or month not in col:
            continue
        row = row_of(key) if row_of else key
        if row in index:
            grid[index[row]][col[month]] += n
    return grid


def _count_table(table_id: str, title: str, labels: list[str], grid: list[list[int]],
                 columns: list[str], *, totals: bool, note: str = "") -> Table:
    cells = protect(grid, column_totals=totals)
    rows = list(labels) + ([_("Totaal")] if totals else [])
    return Table(table_id, title, rows, list(columns) + [_("totaal")], cells, totals, note)


def _keyed(rows: Iterable[tuple[str, str]], unknown: bool = True) -> tuple[list[str], list[str]]:
    keys = [k for k, _l in rows] + ([UNKNOWN] if unknown else [])
    labels = [_(l) for _k, l in rows] + ([_("Onbekend (inhoud gewist)")] if unknown else [])
    return keys, labels


def count_tables(counts: Counts, months: list[str], month_columns: list[str], *,
                 category_of: CategoryOf | None = None,
                 known_categories: list[tuple[str, str]] | None = None) -> list[Table]:
    """The monthly count tables of one school, protected."""
    tables = []
    keys = [k for k, _l in ACTIVITY]
    grid = _grid(counts, "activity", keys, months)
    tables.append(_count_table("activity", _("Gebruik van de Meldcode per maand"),
                               [_(l) for _k, l in ACTIVITY], grid, month_columns, totals=False))
    sig_keys = sorted({k for (m, k, _mo) in counts.counts if m == "signal"})
    rows, row_of = category_rows(sig_keys, category_of, list(known_categories or []))
    grid = _grid(counts, "signal", [r for r, _l in rows], months, row_of.get)
    tables.append(_count_table("signals", _("Signalen per categorie"),
                               [l for _r, l in rows], grid, month_columns, totals=True))
    keys, labels = _keyed([(k, record_word(k, "kind")) for k in CONSULTATION_KINDS])
    tables.append(_count_table(
        "consultations", _("Consultaties per soort (waaronder adviesvragen aan Veilig Thuis)"),
        labels, _grid(counts, "consultation", keys, months), month_columns, totals=True))
    keys, labels = _keyed(DECISIONS)
    tables.append(_count_table("decisions", _("Besluiten in stap 5"), labels,
                               _grid(counts, "decision", keys, months), month_columns, totals=True))
    keys, labels = _keyed(VT_STAGES)
    tables.append(_count_table("vt_feedback", _("Terugkoppeling en besluiten van Veilig Thuis"),
                               labels, _grid(counts, "vt_feedback", keys, months), month_columns,
                               totals=True))
    keys, labels = _keyed([(g, record_word(g, "grounds")) for g in CLOSE_GROUNDS])
    tables.append(_count_table("closed", _("Casussen afgesloten, per reden"), labels,
                               _grid(counts, "closed", keys, months), month_columns, totals=True))
    return tables


def deadline_grid(counts: Counts, period: Period, today: date) -> list[list[int]]:
    kinds = [k for k, _l in DEADLINE_KINDS]
    buckets = [b for b, _l in LATENESS]
    grid = [[0] * len(buckets) for _k in kinds]
    start, end = period.start.isoformat(), period.end.isoformat()
    for kind, day, met in counts.deadlines:
        if kind not in kinds or not day:
            continue
        try:
            due = deadline_due(kind, day)
            bucket = lateness(due, met, today)
        except ValueError:
            continue
        if bucket is None or not (start <= due < end):
            continue
        grid[kinds.index(kind)][buckets.index(bucket)] += 1
    return grid


def deadline_table(grid: list[list[int]]) -> Table:
    return _count_table("deadlines", _("Termijnen: op tijd of gemist, en hoeveel te laat"),
                        [_(l) for _k, l in DEADLINE_KINDS], grid, [_(l) for _k, l in LATENESS],
                        totals=True, note=_("dg: dagen te laat; open: nog niet gedaan en de "
                                            "termijn is verstreken."))


def duration_table(durations: dict[str, list[int]]) -> Table:
    """Median and 90th percentile in days, shown only over MIN_COUNT cases or more."""
    cells = []
    for key, _label in MILESTONES:
        values = durations.get(key) or []
        if len(values) < MIN_COUNT:
            cells.append([small(len(values)), "-", "-"])
        else:
            cells.append([str(len(values)), _num(median(values)), str(p90(values))])
    return Table("durations", _("Dagen van het eerste signaal tot elke stap"),
                 [_(l) for _k, l in MILESTONES],
                 [_("casussen"), _("mediaan (dagen)"), _("90e percentiel (dagen)")], cells,
                 note=_("Mediaan en percentiel alleen bij {n} of meer casussen.", n=MIN_COUNT))


def school_figures(counts: Counts, period: Period, today: date, *, title: str,
                   category_of: CategoryOf | None = None,
                   known_categories: list[tuple[str, str]] | None = None) -> Figures:
    months = period.months
    columns = [month_label(m) for m in months]
    tables = count_tables(counts, months, columns, category_of=category_of,
                          known_categories=known_categories)
    tables.append(deadline_table(deadline_grid(counts, period, today)))
    tables.append(duration_table(counts.durations))
    return Figures(title, period.label, months, tables)


# --------------------------------------------------------------------------- a board

def board_figures(schools: list[tuple[str, Counts]], period: Period, today: date, *,
                  title: str, category_of: CategoryOf | None = None,
                  known_categories: list[tuple[str, str]] | None = None) -> Figures:
    """The same figures for the whole period, school by school side by side and the board's
    total as the last column (protected as one table: a school's hidden cell cannot be had from
    the board's total either). Durations are the board's (all its schools' cases together)."""
    months = period.months
    names = [name for name, _c in schools]
    # The tables' shape (ids, titles, rows) from an empty school; the cells from each school's
    # raw period totals (never from published text).
    templates = count_tables(Counts(), months[:1], [""], category_of=category_of,
                             known_categories=known_categories)
    tables: list[Table] = []
    raw = [[_period_totals(c, months, t.id, category_of, known_categories) for t in templates]
           for _n, c in schools]
    for t_index, template in enumerate(templates):
        labels = template.rows[:-1] if template.total_row else template.rows
        grid = [[raw[s][t_index][r] for s in range(len(schools))] for r in range(len(labels))]
        tables.append(_count_table(template.id, template.title, labels, grid, names,
                                   totals=template.total_row))
    grids = [deadline_grid(c, period, today) for _n, c in schools]
    dl = [[sum(g[r][b] for b in range(len(LATENESS))) for g in grids] for r in range(len(DEADLINE_KINDS))]
    missed = [[sum(g[r][b] for b in range(1, len(LATENESS))) for g in grids] for r in range(len(DEADLINE_KINDS))]
    tables.append(_count_table("deadlines", _("Termijnen die vielen in de periode"),
                               [_(l) for _k, l in DEADLINE_KINDS], dl, names, totals=True))
    tables.append(_count_table("deadlines_missed", _("Waarvan gemist (te laat of nog open)"),
                               [_(l) for _k, l in DEADLINE_KINDS], missed, names, totals=True))
    pooled: dict[str, list[int]] = {}
    for _n, c in schools:
        for key, values in c.durations.items():
            pooled.setdefault(key, []).extend(values)
    tables.append(duration_table(pooled))
    return Figures(title, period.label, months, tables, schools=names)


def _period_totals(counts: Counts, months: list[str], table_id: str,
                   category_of: CategoryOf | None, known: list[tuple[str, str]] | None) -> list[int]:
    """The row totals (whole period) of one count table of one school, raw."""
    measure = {"activity": "activity", "signals": "signal", "consultations": "consultation",
               "decisions": "decision", "vt_feedback": "vt_feedback", "closed": "closed"}[table_id]
    if table_id == "activity":
        keys = [k for k, _l in ACTIVITY]
        grid = _grid(counts, measure, keys, months)
    elif table_id == "signals":
        sig_keys = sorted({k for (m, k, _mo) in counts.counts if m == "signal"})
        rows, row_of = category_rows(sig_keys, category_of, list(known or []))
        grid = _grid(counts, measure, [r for r, _l in rows], months, row_of.get)
    else:
        source = {"consultations": [(k, "") for k in CONSULTATION_KINDS], "decisions": DECISIONS,
                  "vt_feedback": VT_STAGES, "closed": [(g, "") for g in CLOSE_GROUNDS]}[table_id]
        keys = [k for k, _l in source] + [UNKNOWN]
        grid = _grid(counts, measure, keys, months)
    return [sum(row) for row in grid]
