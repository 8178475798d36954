"""Dashboard: the cases the user may see, with counts, sort, search and filters."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from ..i18n import N_, _
from .base import BaseScreen
from .base import Modal
from .case_table import CaseTable
from .labels import STEP_NAMES, age_on, fmt_date, safe_line, status_label

SHORT_STEPS = {1: _("Signalen"), 2: _("Consultatie"), 3: _("Gesprek"), 4: _("Wegen"),
               5: _("Beslissen")}

SORTS = [
    ("next_deadline", lambda: _("termijn")),
    ("pupil_name", lambda: _("leerling")),
    ("step", lambda: _("stap")),
    ("last_change_at", lambda: _("laatst gewijzigd")),
    ("status", lambda: _("status")),
]

CLOSED = {"closed", "gesloten"}
# Shown before the name of a pupil whose case is linked to a sibling's case: a coordinator
# weighs siblings together, and the mark says so without opening the case.
FAMILY_MARK = "⌂ "


def _short_date(value) -> str:
    """dd-mm-jj, for narrow terminals."""
    text = fmt_date(value)
    return text[:6] + text[8:] if len(text) == 10 else text


def _is_overdue(row: dict, today: date) -> bool:
    if "overdue" in row and row["overdue"] is not None:
        return bool(row["overdue"])
    nd = row.get("next_deadline")
    if not nd:
        return False
    try:
        return date.fromisoformat(str(nd)[:10]) < today
    except ValueError:
        return False


# The dashboard's footer, most used first (the acute key right after opening a case); what
# does not fit is under F1 (see base.fit_footer).
FOOTER_ORDER = ("dashboard.open", "dashboard.acute", "dashboard.new_case", "dashboard.search",
                "dashboard.filter_step", "dashboard.filter_overdue", "dashboard.filter_mine",
                "dashboard.sort", "dashboard.filter_status", "dashboard.show_closed",
                "dashboard.inbox", "dashboard.quit")


def fit_heading(width: int, user: str, day: str, inbox: str, messages: str, warning: str) -> Text:
    """The dashboard's header line within ``width`` cells: when it does not fit, parts go in
    order of importance rather than a cut mid-word: first the warning's explanation in
    brackets, then the date, the messages badge, the warning itself, the inbox badge; the name
    and who is working stay."""
    from rich.cells import cell_len

    warnings = [w for w in (warning, warning.split(" (")[0]) if w] if warning else [""]
    drops = [set(), {"day"}, {"day", "messages"}, {"day", "messages", "warning"},
             {"day", "messages", "warning", "inbox"}]
    for dropped in drops:
        for w in (warnings if "warning" not in dropped else [""]):
            title = (_("Meldcode — {user} — {day}", user=user, day=day) if "day" not in dropped
                     else _("Meldcode — {user}", user=user))
            title += "" if "inbox" in dropped else inbox
            title += "" if "messages" in dropped else messages
            heading = Text(title, style="bold")
            if w:
                heading.append("  ! " + w, style="bold yellow")
            if cell_len(heading.plain) <= width:
                return heading
    heading.truncate(max(width, 1), overflow="ellipsis")
    return heading


class DashboardScreen(BaseScreen):
    help_title = _("Overzicht")

    BINDINGS = [
        Binding("enter", "open", _("Openen"), id="dashboard.open", show=True),
        Binding("n", "new_case", _("Nieuwe casus"), id="dashboard.new_case"),
        # Acute danger goes first: the acute melding of the selected case is one key away.
        Binding("exclamation_mark", "acute", _("Acute melding"), id="dashboard.acute"),
        Binding("slash", "search", _("Zoeken"), id="dashboard.search"),
        Binding("s", "cycle_sort", _("Sorteren"), id="dashboard.sort"),
        Binding("f", "cycle_step", _("Filter stap"), id="dashboard.filter_step"),
        Binding("t", "cycle_status", _("Filter status"), id="dashboard.filter_status"),
        Binding("o", "toggle_overdue", _("Te laat"), id="dashboard.filter_overdue"),
        Binding("m", "toggle_mine", _("Mijn casussen"), id="dashboard.filter_mine"),
        Binding("g", "toggle_closed", _("Gesloten tonen"), id="dashboard.show_closed"),
        Binding("d", "demo", _("Demogegevens"), id="dashboard.demo", show=False),
        Binding("r", "reload", _("Vernieuwen"), id="dashboard.reload", show=False),
        Binding("escape", "clear", _("Zoeken wissen, dan filters wissen"), id="dashboard.clear",
                show=False),
        Binding("q", "app.quit", _("Stoppen"), id="dashboard.quit"),
        # Teachers' concerns wait here for the coordinator, who takes them into a case.
        Binding("i", "app.inbox", _("Zorgmeldingen"), id="dashboard.inbox"),
        # The school's anonymous figures (coordinator, auditor): F1 and the palette list it.
        Binding("c", "figures", _("Cijfers"), id="dashboard.figures", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_index = 0
        self.step_filter: int | None = None
        self.status_filter: str | None = None
        self.only_overdue = False
        self.only_mine = False
        self.show_closed = False
        self.search_text = ""
        self.counts: dict = {"total": 0, "open": {}, "overdue": 0, "statuses": [], "other_route": 0}
        # The counts come right after the first frame (see on_mount); until then the strip
        # and the totals are left out rather than shown as zeros.
        self.counts_loaded = False
        self.filters = None
        self.shown = 0
        self._offered_start = False
        self._loaded_version: tuple | None = None
        self._rendered_size = None
        self._today_lines = 1
        self._today_version: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="dash-title")
        yield Static("", id="dash-today")
        yield Static("", id="dash-strip")
        yield Input(placeholder=_("Zoeken in alles wat is vastgelegd (/)"), id="dash-search")
        yield CaseTable(id="cases")
        yield Static("", id="dash-status")
        yield Footer()

    def on_mount(self) -> None:
        """The first frame shows the rows: the layout and the page in view (two queries).
        What the rows do not need waits until the terminal shows that frame: the counts per
        step, the totals and the inbox badge (a grouped query over every case the user may
        see), and "Voor u vandaag" (it folds the user's open cases)."""
        table = self.query_one(CaseTable)
        table.focus()
        version = self._data_version()
        if self._render_table():
            self._loaded_version = version     # else the live poll tries again
        if not self.shown and self._database_empty():
            self._offered_start = True
            self.app.push_screen(WelcomeScreen(), self._welcome_done)
        self.app.after_first_frame(self._after_first_frame)
        # Live: another session's commit shows within a poll (PRAGMA data_version, no read).
        self.set_interval(self.app.live_seconds, self._poll)

    def _after_first_frame(self) -> None:
        self._load_counts()
        self._load_today()

    def _poll(self) -> None:
        if self.app.screen is self:          # under another screen: on_screen_resume reloads
            self.reload()

    def on_screen_resume(self) -> None:
        self.reload()
        # Not before its first load (after the first frame): the screen's first resume comes
        # with its mount, before anything is painted.
        if self._today_version is not None and self._data_version() != self._today_version:
            self._load_today()
        if self.app.size != self._rendered_size:   # resized while another screen was on top
            self._render_table()

    # -- data --------------------------------------------------------------------------------
    def _data_version(self) -> tuple | None:
        """What the table depends on: the database's commit counter (anyone's commit moves it)
        and the date (overdue marks). One pragma, no table read."""
        store = getattr(self.app.svc, "store", None)
        try:
            return (store.data_version(), self.app.today()) if store is not None else None
        except Exception:  # noqa: BLE001 - reload proper reports database problems
            return None

    def reload(self, force: bool = False) -> None:
        """Re-read the counts and the rows in view, unless nothing was committed since the
        last read: the live poll on a board-sized database then costs one pragma. The cursor
        stays on its case, the scroll position and the search text stay as they are."""
        version = self._data_version()
        if not force and version is not None and version == self._loaded_version:
            return
        if not self._read_counts():
            return
        self._loaded_version = version
        self._render_table()
        if not self.counts["total"] and not self._offered_start:
            self._offered_start = True
            if self._database_empty():
                self.app.push_screen(WelcomeScreen(), self._welcome_done)

    def _read_counts(self) -> bool:
        ok, counts = self.app.guard(self.app.svc.case_counts)
        if ok:
            self.counts, self.counts_loaded = counts, True
        return ok

    def _load_counts(self) -> None:
        """The counts per step and the totals into the strip and the status line."""
        if self._read_counts():
            self._render_strip()
        else:
            self._loaded_version = None        # the live poll reads them again

    def _database_empty(self) -> bool:
        store = getattr(self.app.svc, "store", None)
        try:
            return bool(store.is_empty()) if store is not None else True
        except Exception:  # noqa: BLE001
            return False

    def _welcome_done(self, choice: str | None) -> None:
        if choice == "demo":
            self.action_demo()
        elif choice == "new":
            self.action_new_case()

    @property
    def sort_key(self) -> str:
        return SORTS[self.sort_index][0]

    @property
    def searching(self) -> bool:
        return len(self.search_text.strip()) >= 2

    def _filter(self):
        """The current filters as a store query for this user (access rule in SQL)."""
        return self.app.svc.case_filter(
            include_closed=self.show_closed, step=self.step_filter, status=self.status_filter,
            overdue=self.only_overdue, mine=self.only_mine,
            search=self.search_text if self.searching else None)

    def visible_rows(self) -> list[dict]:
        """Every row the table shows, in its order (read from SQL; for tests and scripts; the
        table itself reads only the pages in view)."""
        f = self.filters if self.filters is not None else self._filter()
        return self.app.svc.case_page(f, self.sort_key, 0, max(self.app.svc.case_count(f), 1))

    # Column order; (key, header). Widths are worked out per terminal width in _layout().
    COLUMNS = (("pupil", N_("Leerling")), ("group", N_("Groep")), ("age", N_("Lft")),
               ("step", N_("Stap")), ("status", N_("Status")), ("deadline", N_("Volgende termijn")),
               ("changed", N_("Gewijzigd")), ("owner", N_("Eigenaar")))

    # Ways to save room, tried in this order until the table fits the terminal.
    SHRINK = ("short_label", "no_label", "short_dates", "step_number", "short_group",
              "owner_short", "pupil_min", "no_owner", "no_changed")

    def on_resize(self) -> None:
        if self.app.size != self._rendered_size:
            if hasattr(self, "today_items"):
                self._render_today()
            self._render_table()
            self._render_strip()        # the header line fits the new width too

    def _fit_footer(self) -> None:
        from .base import fit_footer

        fit_footer(self, FOOTER_ORDER)

    # -- "Voor u vandaag": the same list as `meldcode todo` and the notification digest ---------
    def _load_today(self) -> None:
        from ..service_layer.notify import Notifications

        self._today_version = self._data_version()
        ok, items = self.app.guard(lambda: Notifications(self.app.svc).mine())
        self.today_items = items if ok else []
        self._render_today()

    def _render_today(self) -> None:
        items = getattr(self, "today_items", [])
        if not items:
            text = Text(_("Voor u vandaag: niets."), style="dim")
            lines = 1
        else:
            room = 5 if self.app.size.height >= 30 else 2
            shown = items if len(items) <= room + 1 else items[:room]
            text = Text(_("Voor u vandaag ({n}):", n=len(items)), style="bold")
            for item in shown:
                text.append("\n  " + safe_line(item.line()))
            if len(shown) < len(items):
                rest = items[len(shown):]
                text.append("\n  " + _("… en {n} meer: {ids}", n=len(rest),
                                         ids=", ".join(dict.fromkeys(i.case_id for i in rest))),
                            style="dim")
            lines = 1 + len(shown) + (len(shown) < len(items))
        self.query_one("#dash-today", Static).update(text)
        if lines != self._today_lines:
            self._today_lines = lines
            self._render_table()

    def _available_width(self, n_rows: int) -> int:
        width = self.app.size.width
        # title, "voor u vandaag", strip, search, status, footer
        table_height = max(self.app.size.height - 4 - self._today_lines, 1)
        if n_rows + 1 > table_height:
            width -= 2                                         # the vertical scrollbar
        return width - 1                                       # the left padding

    def _variants(self, row: dict, today: date) -> dict:
        """Every way a row's cells can be written (long and short), as plain strings."""
        step = int(row.get("step") or 0)
        age = row.get("age")
        if age is None:
            age = age_on(row.get("date_of_birth"), today)
        group = safe_line(row.get("group_name") or "")
        mark = "! " if _is_overdue(row, today) else ""
        nd = row.get("next_deadline")
        label = str(row.get("next_deadline_label") or "")
        long_date, short_date = fmt_date(nd), _short_date(nd)
        changed = row.get("last_change_at")
        return {
            "overdue": bool(mark),
            "closed": row.get("status") in CLOSED,
            # The family mark only for linked cases this user may see (the service filters
            # them): it must not tell anyone that a case they may not see exists.
            "pupil": (FAMILY_MARK if row.get("family") else "") + safe_line(row.get("pupil_name") or ""),
            "group": group,
            "group_short": group[6:] if group.lower().startswith("groep ") else group,
            "age": "" if age is None else str(age),
            # A suspicion against staff follows its own route, not the Meldcode's steps.
            "step": _("Andere route") if row.get("status") == "doorverwezen" else (
                f"{step} {SHORT_STEPS.get(step, '')}" if step else ""),
            "step_number": "—" if row.get("status") == "doorverwezen" else (str(step) if step else ""),
            "status": status_label(row.get("status")),
            "deadline": (mark + f"{long_date} {label}".strip()) if long_date else "",
            "deadline_date": (mark + long_date) if long_date else "",
            "deadline_short": (mark + short_date) if short_date else "",
            "changed": fmt_date(changed),
            "changed_short": _short_date(changed),
            "owner": safe_line(row.get("owner") or ""),
        }

    @staticmethod
    def _variant_key(key: str, level: set[str]) -> str:
        """Which variant a column shows at a given shrink level."""
        if key == "group":
            return "group_short" if "short_group" in level else "group"
        if key == "step":
            return "step_number" if "step_number" in level else "step"
        if key == "deadline":
            if "no_label" not in level:
                return "deadline"
            return "deadline_short" if "short_dates" in level else "deadline_date"
        if key == "changed":
            return "changed_short" if "short_dates" in level else "changed"
        return key

    def _longest(self, widths: dict, today: date) -> dict[str, int]:
        """The longest text of each cell variant, from the one aggregate query (no rows read)."""
        steps = [s for s in widths["steps"] if s]
        mark = widths["deadline_mark"]
        has_deadline = mark is not None
        age = age_on(widths["oldest_dob"], today) if widths["oldest_dob"] else None
        return {
            "pupil": widths["pupil"], "group": widths["group"],
            "group_short": widths["group_short"], "owner": widths["owner"],
            "age": len(str(age)) if age is not None else (2 if widths["dob"] else 0),
            "step": max((len(f"{s} {SHORT_STEPS.get(s, '')}") for s in steps), default=0),
            "step_number": max((len(str(s)) for s in steps), default=0),
            "status": max((len(status_label(s)) for s in widths["statuses"]), default=0),
            "deadline": widths["deadline"],
            "deadline_date": (mark + 10) if has_deadline else 0,
            "deadline_short": (mark + 8) if has_deadline else 0,
            "changed": 10 if widths["changed"] else 0,
            "changed_short": 8 if widths["changed"] else 0,
        }

    def _layout(self, widths: dict, today: date):
        """Pick the richest presentation that fits: (columns, level, gap).

        Widths come from the longest text per variant (one SQL aggregate), so trying the
        shrink steps costs nothing per row (a board has thousands of cases)."""
        avail = self._available_width(widths["count"])
        longest = self._longest(widths, today)
        level: set[str] = set()
        steps = list(self.SHRINK)
        while True:
            for gap in (2, 1):
                cols = self._fit(longest, level, avail, gap)
                if cols is not None:
                    return cols, level, gap
            if not steps:
                return self._fit(longest, level, avail, 1, force=True), level, 1
            level.add(steps.pop(0))

    def _fit(self, longest: dict[str, int], level: set[str], avail: int, gap: int, force: bool = False):
        caps = {"pupil": 14 if "pupil_min" in level else 28, "group": 10, "age": 3, "step": 13,
                "status": 12, "deadline": 38 if "short_label" not in level else 24,
                "changed": 10, "owner": 8 if "owner_short" in level else 12}
        cols = []
        content_of = {}
        for key, header in self.COLUMNS:
            if (key == "owner" and "no_owner" in level) or (key == "changed" and "no_changed" in level):
                continue
            text = _(header)
            if key == "deadline" and "no_label" in level:
                text = _("Termijn")
            content = longest.get(self._variant_key(key, level), 0)
            content_of[key] = content
            width = max(min(content, caps[key]), len(text))
            cols.append((key, text, width))
        total = sum(w + gap for _k, _t, w in cols)
        if total > avail and not force:
            return None
        if total > avail:                               # last resort: the pupil column gives way
            return [(k, t, max(w - (total - avail), 8) if k == "pupil" else w) for k, t, w in cols]
        spare = avail - total                           # room left: longer names, then deadlines
        for flex in ("pupil", "deadline"):
            content = content_of.get(flex, 0)
            for i, (k, t, w) in enumerate(cols):
                if k == flex and content > w and spare > 0:
                    grow = min(content - w, spare)
                    cols[i] = (k, t, w + grow)
                    spare -= grow
        return cols

    def _cells(self, row: dict, which, today: date) -> list[tuple[str, str]]:
        v = self._variants(row, today)
        cells = []
        for key, vkey, width in which:
            text = v[vkey]
            if len(text) > width:
                text = text[: width - 1] + "…"
            style = ""
            if key == "deadline" and v["overdue"]:
                style = "bold red"
            elif key == "pupil" and v["closed"]:
                style = "dim"
            cells.append((text, style))
        return cells

    def _render_table(self, keep_cursor: bool = True) -> bool:
        """Ask SQL for the count and the layout of what the filters show; the table fetches
        the pages in view itself. The cursor stays on its case when that case is still shown
        (``keep_cursor``; a new search text starts at the top, as a result list does).
        False when the database could not be read (the error is shown)."""
        self._rendered_size = self.app.size
        today = self.app.today()
        svc = self.app.svc
        table = self.query_one(CaseTable)
        current = table.cursor_key
        ok, f = self.app.guard(self._filter)
        if not ok:
            return False
        ok, widths = self.app.guard(svc.case_widths, f)
        if not ok:
            return False
        self.filters = f
        self.shown = widths["count"]
        cols, level, gap = self._layout(widths, today)
        which = [(key, self._variant_key(key, level), width) for key, _t, width in cols]
        sort = self.sort_key

        def fetch(offset: int, limit: int):
            ok, rows = self.app.guard(svc.case_page, f, sort, offset, limit)
            return [(r["case_id"], self._cells(r, which, today)) for r in rows] if ok else []

        table.set_data([(text, width + gap) for _k, text, width in cols], self.shown, fetch,
                       cursor=None if keep_cursor else 0)
        if keep_cursor and current is not None and table.cursor_key != current:
            ok, pos = self.app.guard(svc.case_position, f, sort, current)
            if ok and pos is not None:
                table.move_cursor(pos)
        self._render_strip()
        return True

    def _render_strip(self) -> None:
        today = self.app.today()
        loaded = self.counts_loaded
        counts = {n: self.counts["open"].get(n, 0) for n in STEP_NAMES}
        overdue = self.counts["overdue"]
        if not loaded:
            strip = Text("")
        elif self.app.size.width >= 110:
            strip = Text("  ".join(f"{n} {SHORT_STEPS[n]}: {counts[n]}" for n in counts) + "   ")
        else:
            strip = Text(_("Per stap") + " " + "  ".join(f"{n}:{counts[n]}" for n in counts) + "   ")
        if loaded and (other := self.counts.get("other_route")):
            strip.append(_("Andere route: {n}", n=other) + "   ")
        if loaded:
            strip.append(_("Te laat: {n}", n=overdue), style="bold red" if overdue else "green")
        self.query_one("#dash-strip", Static).update(strip)
        # The inbox badge counts the teachers' new concerns: a query, so it comes with the
        # other counts after the first frame.
        inbox = self.app.inbox_badge() if loaded and hasattr(self.app, "inbox_badge") else ""
        messages = self.app.messages_badge() if hasattr(self.app, "messages_badge") else ""
        # The school has not set what the AVG asks of it (the retention period): say so
        # where every session starts.
        warning = getattr(self.app, "header_warning", lambda: "")()
        self.query_one("#dash-title", Static).update(
            fit_heading(self.app.size.width - 2, self.app.actor, fmt_date(today), inbox, messages, warning))
        filters = [_("sortering: {s}", s=SORTS[self.sort_index][1]())]
        if self.step_filter:
            filters.append(_("stap {n}", n=self.step_filter))
        if self.status_filter:
            filters.append(_("status {s}", s=status_label(self.status_filter)))
        if self.only_overdue:
            filters.append(_("alleen te laat"))
        if self.only_mine:
            filters.append(_("alleen mijn casussen"))
        filters.append(_("gesloten zichtbaar") if self.show_closed else _("gesloten verborgen"))
        if self.searching:
            filters.append(_("zoekresultaten"))
        total = self.counts["total"]
        status = (_("{shown} van {total} casus", shown=self.shown, total=total) if total == 1 else
                  _("{shown} van {total} casussen", shown=self.shown, total=total))
        if not loaded:                 # the first frame: the rows shown, the total follows
            status = (_("{shown} casus", shown=self.shown) if self.shown == 1 else
                      _("{shown} casussen", shown=self.shown))
        elif not total:
            status = _("Nog geen casussen die u mag zien. N: nieuwe casus")
        elif not self.shown:
            status += " — " + _("geen casus past bij zoeken/filters (Esc: wissen)")
        self.query_one("#dash-status", Static).update(status + " · " + " · ".join(filters))

    # -- search ------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "dash-search":
            was = self.searching
            self.search_text = event.value or ""
            if self.searching or was:          # one letter searches nothing: no re-query
                self._render_table(keep_cursor=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "dash-search":
            self.query_one(CaseTable).focus()

    def on_case_table_selected(self, event: CaseTable.Selected) -> None:
        self.app.open_case(event.key)

    # -- actions -----------------------------------------------------------------------------
    def action_open(self) -> None:
        key = self.query_one(CaseTable).cursor_key
        if key:
            self.app.open_case(key)

    def action_acute(self) -> None:
        key = self.query_one(CaseTable).cursor_key
        if not key:
            self.app.notify(_("Kies eerst een casus (of maak er een met n)."), severity="warning")
            return
        self.app.open_case(key, start_intent="record_acute_report")

    def action_search(self) -> None:
        self.query_one("#dash-search", Input).focus()

    def action_clear(self) -> None:
        search = self.query_one("#dash-search", Input)
        if search.value or self.search_text:
            search.value = ""
        else:                      # nothing searched: Esc resets the filters
            self.step_filter = None
            self.status_filter = None
            self.only_overdue = False
            self.only_mine = False
        self.search_text = ""
        self._render_table()
        self.query_one(CaseTable).focus()

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._render_table()

    def action_cycle_step(self) -> None:
        self.step_filter = None if self.step_filter == 5 else (self.step_filter or 0) + 1
        self._render_table()

    def action_cycle_status(self) -> None:
        if not self.counts_loaded:
            self._read_counts()
        statuses = list(self.counts["statuses"])
        if not statuses:
            self.status_filter = None
        elif self.status_filter not in statuses:
            self.status_filter = statuses[0]
        else:
            i = statuses.index(self.status_filter) + 1
            self.status_filter = statuses[i] if i < len(statuses) else None
        self._render_table()

    def action_toggle_overdue(self) -> None:
        self.only_overdue = not self.only_overdue
        self._render_table()

    def action_toggle_mine(self) -> None:
        self.only_mine = not self.only_mine
        self._render_table()

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self._render_table()

    def action_figures(self) -> None:
        from ..domain.people import may_view_figures

        if not may_view_figures(getattr(self.app.svc, "role", None)):
            self.app.notify(_("De cijfers zijn er voor de coördinator en de controleur."),
                            severity="warning")
            return
        from .stats_screen import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_reload(self) -> None:
        self.reload(force=True)
        self._load_today()

    def action_new_case(self) -> None:
        from .forms import new_case_form

        def done(state) -> None:
            self.reload()
            case_id = getattr(state, "case_id", None)
            if case_id:
                self.app.open_case(case_id)
                if getattr(state, "staff_route", False):
                    # A suspicion against a member of staff: offer the other route at once.
                    screen = self.app.screen
                    self.app.call_after_refresh(screen.action_intent, "route_staff_suspicion")

        # The pupil register first, when it has been loaded (ui/pupils.py); else the blank form.
        from .pupils import start_new_case

        if not start_new_case(self.app, lambda form: self.app.push_screen(form, done)):
            self.app.push_screen(new_case_form(self.app), done)

    def action_demo(self) -> None:
        if not self.counts_loaded:
            self._read_counts()
        if self.counts["total"] or not self._database_empty():
            self.app.notify(_("Demogegevens kunnen alleen in een lege database."), severity="warning")
            return
        from ..demo import create_demo

        ok, _result = self.app.guard(create_demo, self.app.svc, today=self.app.today())
        if ok:
            self.app.notify(_("Demogegevens (fictief) zijn aangemaakt."))
        self.reload()


class WelcomeScreen(Modal):
    """Offered on an empty database: demo data, a first case, or later."""

    BINDINGS = [
        Binding("d,D", "choose('demo')", _("Demogegevens"), id="welcome.demo"),
        Binding("n,N", "choose('new')", _("Eerste casus"), id="welcome.new"),
        Binding("escape", "choose('')", _("Later"), id="welcome.later"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog small", id="welcome-box"):
            yield Static(_("Welkom bij Meldcode"), classes="dialog-title")
            yield Static(_("De database is nog leeg. Wilt u oefenen met fictieve demogegevens, "
                           "of meteen een eerste casus aanmaken?"))
            yield Static(_("D: demogegevens aanmaken · N: eerste casus · Esc: later"),
                         classes="dialog-hint")
        yield Footer()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
