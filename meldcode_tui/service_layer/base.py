"""The contract between ``CaseService`` and the areas it is assembled from.

``CaseService`` (``service.py``) inherits one mixin per area (``case_reads``, ``concerns``,
``protocol``, ``family``, ...). A mixin keeps no state of its own: it relies only on the
attributes ``CaseService.__init__`` sets and on the shared plumbing listed here, so a reader of
an area module knows everything it may use without reading the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from datetime import date, datetime

    from ..clock import Clock
    from ..domain.case import CaseState
    from ..errors import MeldcodeError


class ServiceBase:
    """What every area mixin may use (set by ``CaseService.__init__``)."""

    store: Any               # the open ``Store`` (reads; writes only through the unit of work)
    actor: str               # the user name acting; every record carries it
    plugins: Any             # the ``PluginHost`` (catalogues, export formats), or None
    clock: "Clock"           # () -> aware UTC datetime; ``SettableClock`` back-dates (demo, tests)
    all_access: bool         # sees every case (coordinator, or ``[access] all_cases``)
    role: str | None         # the user table's role, kept current by the session guard;
                             # None = no user table (one school PC, tests)
    session_role: str | None  # the role this session's screens were built for
    care_team_policy: Any    # the school's zorgteam (``CareTeamPolicy``): rules, steps, guide
    _names_cache: tuple[int, list[tuple[str, str]]] | None  # case_reads' (data_version, name keys)

    if TYPE_CHECKING:
        # The shared plumbing, defined on CaseService (service.py) or on one area and used by
        # the others.
        def now(self) -> "datetime": ...
        def today(self) -> "date": ...

        # The one generic write: every single-record intent ends here.
        def record(self, case_id: str, kind: str, payload: dict | None = None, *,
                   expect_seq: int | None = None,
                   _with_event: Callable[[Any, Any], None] | None = None) -> "CaseState": ...

        # Roles: a refusal is journalled; the role rules are domain/people.py's.
        def _journal_refusal(self, action: str, case_id: str = "") -> None: ...
        def _refuse(self, action: str, case_id: str = "", *, hide: bool = False) -> "MeldcodeError": ...
        def _require(self, allowed: Callable[[str | None], bool], action: str,
                     case_id: str = "") -> None: ...
        def _reads_cases(self) -> bool: ...
        def _check_record(self, kind: str, case_id: str, payload: dict) -> None: ...
        def _with_catalogue_text(self, payload: dict) -> dict: ...

        # Case reads (service_layer/case_reads.py), with the access rule applied.
        def _visible_row(self, case_id: str) -> dict: ...
        def can_see(self, row: dict) -> bool: ...
        def get_state(self, case_id: str) -> "CaseState": ...
        def journal(self, case_id: str) -> list: ...


__all__ = ["ServiceBase"]
