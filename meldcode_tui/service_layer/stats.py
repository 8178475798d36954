"""Anonymous figures: a school's (``school_figures``) and a board's (``board_figures``).

Read-only use cases: the store counts in SQL (store/stats.py), the domain turns the counts into
published, protected text (domain/figures.py, domain/anonymity.py). Raw counts never leave this
module. Looking at a school's figures is journalled like any access (``figures_viewed`` on the
pseudo case 'toegang'), in :meth:`FigureViews._journal_view`, the one write here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..domain import figures as F
from ..errors import InputError, MeldcodeError
from ..i18n import _


class BoardConfigError(MeldcodeError):
    """The board's list of schools cannot be used (one Dutch line)."""


# --------------------------------------------------------------------------- catalogues

def _category_lookup(plugins) -> tuple[F.CategoryOf | None, list[tuple[str, str]]]:
    """A signal's category (its first form) from the loaded catalogues, and all categories."""
    if plugins is None:
        return None, []
    try:
        catalogues = plugins.catalogues()
    except Exception:  # noqa: BLE001 - a broken plugin must not stop the figures
        return None, []
    known: list[tuple[str, str]] = []
    seen: set[str] = set()
    for cat in catalogues:
        for c in cat.categories:
            if c.id not in seen:
                known.append((c.id, c.title))
                seen.add(c.id)
    by_id = {cat.id: cat for cat in catalogues}
    titles = dict(known)

    def category_of(key: str) -> tuple[str, str] | None:
        cat_id, _sep, signal_id = key.partition(":")
        cat = by_id.get(cat_id)
        signal = cat.signal(signal_id) if cat else None
        if signal is None or not signal.forms:
            return None
        form = signal.forms[0]
        return (form, titles.get(form, form))

    return category_of, known


def _counts(raw: dict[str, Any]) -> F.Counts:
    return F.Counts(counts=dict(raw["counts"]), durations=dict(raw["durations"]),
                    deadlines=list(raw["deadlines"]))


def _query_window(period: F.Period) -> tuple[str, str]:
    return period.start.isoformat(), period.end.isoformat()


# --------------------------------------------------------------------------- one school

class FigureViews:
    """The figures of the school whose service this is (coordinator and auditor only)."""

    def __init__(self, service):
        self.svc = service

    def period(self, year: int | None = None, first: str | None = None,
               last: str | None = None) -> F.Period:
        if first or last:
            try:
                return F.months_period(first or last, last or first)
            except ValueError:
                raise InputError(_("Een periode in maanden zoals 2025-08 t/m 2026-07, graag."),
                                 field="period") from None
        return F.school_year(self.svc.today(), year)

    def school_figures(self, period: F.Period | None = None, *, output: str = "text",
                       title: str = "") -> F.Figures:
        from ..domain.people import may_view_figures

        svc = self.svc
        svc._require(may_view_figures, "figures_viewed")
        period = period or self.period()
        raw = svc.store.figure_counts(*_query_window(period))
        category_of, known = _category_lookup(svc.plugins)
        figures = F.school_figures(_counts(raw), period, svc.today(),
                                   title=title or _("Cijfers Meldcode"),
                                   category_of=category_of, known_categories=known)
        self._journal_view("school", period, output)
        return figures

    def _journal_view(self, scope: str, period: F.Period, output: str, schools: int = 1) -> None:
        """Who looked at the figures, when, which period, how (no content): journalled like
        any access, on the access stream."""
        from ..domain.people import ACCESS_CASE
        from .unit_of_work import unit_of_work

        with unit_of_work(self.svc, "figures_viewed") as uow:
            uow.append_to_stream(ACCESS_CASE, "figures_viewed",
                                 {"scope": scope, "period": period.as_text(), "output": output,
                                  "schools": schools})


# --------------------------------------------------------------------------- a board

@dataclass(frozen=True)
class School:
    name: str
    db: Path
    key_file: Path | None = None


def parse_school_option(value: str) -> School:
    """``NAME=DB`` or ``NAME=DB:KEYFILE`` from ``--school``."""
    name, sep, rest = value.partition("=")
    if not sep or not name.strip() or not rest.strip():
        raise InputError(_("Geef een school als NAAM=DATABASE (of NAAM=DATABASE:SLEUTELBESTAND)."),
                         field="school")
    db, _sep, key = rest.partition(":")
    return School(_school_name(name), Path(db).expanduser(), Path(key).expanduser() if key else None)


def _school_name(name: str) -> str:
    from ..text_safety import check_text

    return check_text(name.strip(), "school", multiline=False, label=_("school"), max_len=80)


def load_board_config(path: str | Path) -> tuple[str, list[School]]:
    """A board's list of schools (TOML)::

        [board]
        name = "Stichting Fictief Onderwijs"

        [[schools]]
        name = "OBS De Linde (fictief)"
        db = "/srv/meldcode/linde.db"
        key_file = "/srv/meldcode/linde.key"   # only for an encrypted database
    """
    p = Path(path).expanduser()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BoardConfigError(_("Bestuursconfiguratie {path} bestaat niet.", path=p)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise BoardConfigError(_("Bestuursconfiguratie {path} is geen leesbare TOML.", path=p)) from None
    board = data.get("board") if isinstance(data.get("board"), dict) else {}
    name = board.get("name", "") if isinstance(board.get("name", ""), str) else ""
    schools = []
    raw = data.get("schools")
    if not isinstance(raw, list) or not raw:
        raise BoardConfigError(_("Bestuursconfiguratie {path} noemt geen scholen ([[schools]]).", path=p))
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) \
                or not isinstance(item.get("db"), str) \
                or not isinstance(item.get("key_file", ""), str):
            raise BoardConfigError(_("School {n} in {path}: geef name en db (en eventueel "
                                     "key_file) als tekst.", n=i, path=p))
        base = p.parent
        db = Path(item["db"]).expanduser()
        key = Path(item["key_file"]).expanduser() if item.get("key_file") else None
        schools.append(School(_school_name(item["name"]), db if db.is_absolute() else base / db,
                              None if key is None else key if key.is_absolute() else base / key))
    return (_school_name(name) if name.strip() else ""), schools


def board_figures(schools: list[School], period: F.Period, today: date, *, plugins=None,
                  title: str = "") -> F.Figures:
    """The figures of several schools side by side and for the board. Each database is opened
    read-only (nothing is written to a school's file, so a board view is not in its journal)."""
    from ..store import crypto
    from ..store.stats import collect, open_readonly

    if not schools:
        raise InputError(_("Noem minstens één school."), field="school")
    names = [s.name for s in schools]
    if len(set(names)) != len(names):
        raise InputError(_("Twee scholen met dezelfde naam."), field="school")
    keys = [crypto.read_key_file(s.key_file) if s.key_file else None for s in schools]

    def one(i: int) -> F.Counts:
        conn = open_readonly(schools[i].db, keys[i])
        try:
            return _counts(collect(conn, *_query_window(period)))
        finally:
            conn.close()

    # SQLite lets go of the GIL while it counts: one thread per core reads the next school.
    import os
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, min(len(schools), os.cpu_count() or 1))
    if workers == 1:
        counted = [one(i) for i in range(len(schools))]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            counted = list(pool.map(one, range(len(schools))))
    per_school = [(s.name, c) for s, c in zip(schools, counted)]
    category_of, known = _category_lookup(plugins)
    return F.board_figures(per_school, period, today, title=title or _("Cijfers Meldcode (bestuur)"),
                           category_of=category_of, known_categories=known)
