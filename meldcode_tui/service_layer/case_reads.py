"""Reading cases: one case (with or without an access-log entry), the case lists and the
dashboard's paged queries, search, open points, a case's journal and whether a screen is
stale. The access rule (who may see which case) applies to every read here."""

from __future__ import annotations

from datetime import date

from ..domain.access import can_see
from ..domain.case import CaseState, fold
from ..domain.guide import OpenPoint, open_points
from ..errors import NotFound
from ..i18n import _
from .base import ServiceBase
from .unit_of_work import check_not_stale as _check_not_stale


class CaseReads(ServiceBase):
    """The read side of a case, filtered by the access rule."""

    def _visible_row(self, case_id: str) -> dict:
        if not self._reads_cases():
            raise self._refuse("case_read", case_id, hide=True)
        row = self.store.case_row(case_id)
        if row is None or not can_see(row, self.actor, all_access=self.all_access):
            # Same message either way: do not reveal that a case exists.
            raise NotFound(_("Casus {case_id} bestaat niet of u heeft geen toegang.", case_id=case_id))
        return row

    def can_see(self, row: dict) -> bool:
        if not self._reads_cases():
            return False
        return can_see(row, self.actor, all_access=self.all_access)

    def get_state(self, case_id: str) -> CaseState:
        """The current state without an access-log entry (refresh after ``open_case``)."""
        self._visible_row(case_id)
        return fold(self.store.case_events(case_id))

    def open_case(self, case_id: str, purpose: str = "bekijken") -> CaseState:
        """Open a case for viewing: journals ``case_viewed`` (access log)."""
        return self.record(case_id, "case_viewed", {"purpose": purpose})

    @staticmethod
    def _decorate(row: dict, today: date) -> dict:
        """A read-model row as the lists show it: plus ``age`` and ``overdue``."""
        row = dict(row)
        dob = row.get("date_of_birth")
        try:
            from ..domain.ages import age_on

            row["age"] = age_on(dob, today) if dob else None
        except ValueError:
            row["age"] = None
        nd = row.get("next_deadline")
        row["overdue"] = bool(nd) and date.fromisoformat(nd) < today
        return row

    def list_cases(self, include_closed: bool = True) -> list[dict]:
        today = self.today()
        rows = []
        for row in self.store.case_rows():
            if not self.can_see(row):
                continue
            if not include_closed and row.get("status") == "gesloten":
                continue
            rows.append(self._decorate(row, today))
        return self._with_family(rows)

    # -- the dashboard: SQL does the filtering, sorting, paging and access rule ---------------
    def case_filter(self, *, include_closed: bool = True, step: int | None = None,
                    status: str | None = None, overdue: bool = False, mine: bool = False,
                    search: str | None = None):
        """The dashboard's filters as a store query for this user (access rule included).
        ``search`` (2+ characters): name/case-id substring or a full-text hit."""
        from ..store.readmodels import CaseFilter

        text = (search or "").strip()
        hits: tuple[str, ...] = ()
        if len(text) >= 2:
            low = text.lower()
            names = [cid for cid, key in self._name_keys() if low in key]
            try:
                found = self.store.search_case_ids(text)
            except NotFound:
                found = []
            hits = tuple(dict.fromkeys([*names, *found]))
        return CaseFilter(
            actor=None if self.all_access else self.actor, include_closed=include_closed,
            step=step, status=status,
            overdue_before=self.today().isoformat() if overdue else None,
            owner=self.actor if mine else None, hits=hits, in_hits=len(text) >= 2)

    def _name_keys(self) -> list[tuple[str, str]]:
        """(case_id, "lowercased name\nlowercased case id") per case, read again only when
        someone committed (data_version): a keystroke in the search box then matches names
        in Python in ~1 ms instead of lowercasing every row in SQL. The access rule stays in
        SQL (these are only candidates)."""
        version = self.store.data_version()
        cached = self._names_cache
        if cached is None or cached[0] != version:
            keys = [(cid, f"{name.lower()}\n{cid.lower()}") for cid, name in self.store.case_names()]
            cached = self._names_cache = (version, keys)
        return cached[1]

    def case_page(self, filters, sort: str = "next_deadline", offset: int = 0,
                  limit: int = 100) -> list[dict]:
        """Rows ``offset`` .. ``offset + limit`` of the filtered list (``filters`` from
        ``case_filter``), decorated like ``list_cases``."""
        if not self._reads_cases():
            return []
        today = self.today()
        return self._with_family([self._decorate(r, today)
                                  for r in self.store.case_page(filters, sort, offset, limit)])

    def _with_family(self, rows: list[dict]) -> list[dict]:
        """Keep in each row's ``family`` only the linked cases this user may see: the family
        mark must not tell anyone that a case they may not see exists."""
        seen: dict[str, bool] = {}

        def visible(case_id: str) -> bool:
            if case_id not in seen:
                row = self.store.case_row(case_id)
                seen[case_id] = row is not None and self.can_see(row)
            return seen[case_id]

        for row in rows:
            row["family"] = [c for c in (row.get("family") or ()) if visible(c)]
        return rows

    def case_count(self, filters) -> int:
        if not self._reads_cases():
            return 0
        return self.store.case_count(filters)

    def case_widths(self, filters) -> dict:
        """Count and longest cell texts of the filtered list (dashboard layout, no rows read)."""
        return self.store.case_widths(filters, self.today().isoformat())

    def case_position(self, filters, sort: str, case_id: str) -> int | None:
        """Index of ``case_id`` in the filtered, sorted list (None: not in it)."""
        return self.store.case_position(filters, sort, case_id)

    def case_counts(self) -> dict:
        """Per step the open cases this user may see, overdue ones, the total and the
        statuses present (one grouped query)."""
        if not self._reads_cases():
            return {"total": 0, "open": {}, "overdue": 0, "statuses": [], "other_route": 0}
        return self.store.case_counts(None if self.all_access else self.actor,
                                      self.today().isoformat())

    def search(self, text: str) -> list[dict]:
        visible = {r["case_id"] for r in self.list_cases()}
        return [hit for hit in self.store.search(text) if hit.get("case_id") in visible]

    def open_points(self, case_id: str) -> list[OpenPoint]:
        return open_points(self.get_state(case_id), self.today(), policy=self.care_team_policy)

    def journal(self, case_id: str) -> list:
        self._visible_row(case_id)
        return self.store.case_events(case_id)

    def check_not_stale(self, case_id: str, expect_seq: int | None) -> None:
        """The ``expect_seq`` check on its own, outside a write (for callers whose write goes
        through a path without the parameter). Raises StaleCase."""
        if expect_seq is not None:
            events = self.journal(case_id)
            if events:
                _check_not_stale(case_id, events, int(expect_seq), self.actor)


__all__ = ["CaseReads"]
