"""Dashboard: the cases the user may see, with counts, sort, search and filters."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Static

from ..i18n import N_, _
from .base import BaseScreen
from .base import Modal
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


class DashboardScreen(BaseScreen):
    help_title = _("Overzicht")

    BINDINGS = [
        Binding("enter", "open", _("Openen"), id="dashboard.open", show=True),
        Binding("n", "new_case", _("Nieuwe casus"), id="dashboard.new_case"),
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
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_index = 0
        self.step_filter: int | None = None
        self.status_filter: str | None = None
        self.only_overdue = False
        self.only_mine = False
        self.show_closed = False
        self.search_hits: set[str] | None = None
        self.rows: list[dict] = []
        self._offered_start = False
        self._loaded_version: tuple | None = None
        self._rendered_size = None

    def compose(self) -> ComposeResult:
        yield Static("", id="dash-title")
        yield Static("", id="dash-strip")
        yield Input(placeholder=_("Zoeken in alles wat is vastgelegd (/)"), id="dash-search")
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Static("", id="dash-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.reload(force=True)
        table.focus()
        self.set_interval(self.app.refresh_seconds, self.reload)

    def on_screen_resume(self) -> None:
        self.reload()
        if self.app.size != self._rendered_size:   # resized while another screen was on top
            self._render_table()

    # -- data --------------------------------------------------------------------------------
    def _data_version(self) -> tuple | None:
        """What the table depends on: the journal's head (any write by anyone moves it) and the
        date (overdue marks). Cheap: one indexed lookup."""
        store = getattr(self.app.svc, "store", None)
        try:
            return (store.checkpoint(), self.app.today()) if store is not None else None
        except Exception:  # noqa: BLE001 - reload proper reports database problems
            return None

    def reload(self, force: bool = False) -> None:
        """Re-read the case list, unless nothing changed since the last read: the periodic
        refresh on a board-sized database then costs a lookup, not a redraw of every row."""
        version = self._data_version()
        if not force and version is not None and version == self._loaded_version:
            return
        ok, rows = self.app.guard(self.app.svc.list_cases, include_closed=True)
        if not ok:
            return
        self._loaded_version = version
        self.rows = list(rows or [])
        if self.search_hits is not None:
            self._run_search(self.query_one("#dash-search", Input).value)
        self._render_table()
        if not self.rows and not self._offered_start:
            self._offered_start = True
            if self._database_empty():
                self.app.push_screen(WelcomeScreen(), self._welcome_done)

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

    def visible_rows(self) -> list[dict]:
        today = self.app.today()
        out = []
        for row in self.rows:
            if not self.show_closed and row.get("status") in CLOSED and self.status_filter not in CLOSED:
                continue
            if self.step_filter and int(row.get("step") or 0) != self.step_filter:
                continue
            if self.status_filter and row.get("status") != self.status_filter:
                continue
            if self.only_overdue and not _is_overdue(row, today):
                continue
            if self.only_mine and row.get("owner") != self.app.actor:
                continue
            if self.search_hits is not None and row.get("case_id") not in self.search_hits:
                continue
            out.append(row)
        key = SORTS[self.sort_index][0]

        def sort_key(r):
            v = r.get(key)
            if key == "next_deadline":
                return (v is None or v == "", str(v or ""))
            if key == "last_change_at":
                return (0, "".join(chr(0x10FFFF - ord(c)) for c in str(v or "")))  # newest first
            if key == "step":
                return (0, int(v or 0))
            return (0, str(v or "").lower())

        out.sort(key=sort_key)
        return out

    # Column order; (key, header). Widths are worked out per terminal width in _layout().
    COLUMNS = (("pupil", N_("Leerling")), ("group", N_("Groep")), ("age", N_("Lft")),
               ("step", N_("Stap")), ("status", N_("Status")), ("deadline", N_("Volgende termijn")),
               ("changed", N_("Gewijzigd")), ("owner", N_("Eigenaar")))

    # Ways to save room, tried in this order until the table fits the terminal.
    SHRINK = ("short_label", "no_label", "short_dates", "step_number", "short_group",
              "owner_short", "pupil_min", "no_owner", "no_changed")

    def on_resize(self) -> None:
        if self.app.size != self._rendered_size:
            self._render_table()

    def _available_width(self, n_rows: int) -> int:
        width = self.app.size.width
        table_height = max(self.app.size.height - 5, 1)       # title, strip, search, status, footer
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
            "pupil": safe_line(row.get("pupil_name") or ""),
            "group": group,
            "group_short": group[6:] if group.lower().startswith("groep ") else group,
            "age": "" if age is None else str(age),
            "step": f"{step} {SHORT_STEPS.get(step, '')}" if step else "",
            "step_number": str(step) if step else "",
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

    def _layout(self, rows: list[dict], today: date):
        """Pick the richest presentation that fits: (columns, variants per row, level, gap).

        Widths come from string lengths measured once per variant, so trying the shrink steps
        costs nothing per row (a board has thousands of cases)."""
        avail = self._available_width(len(rows))
        variants = [(r.get("case_id"), self._variants(r, today)) for r in rows]
        longest: dict[str, int] = {}
        for _id, v in variants:
            for k, text in v.items():
                if isinstance(text, str) and len(text) > longest.get(k, 0):
                    longest[k] = len(text)
        level: set[str] = set()
        steps = list(self.SHRINK)
        while True:
            for gap in (2, 1):
                cols = self._fit(longest, level, avail, gap)
                if cols is not None:
                    return cols, variants, level, gap
            if not steps:
                return self._fit(longest, level, avail, 1, force=True), variants, level, 1
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

    def _render_table(self) -> None:
        self._rendered_size = self.app.size
        today = self.app.today()
        table = self.query_one(DataTable)
        current = None
        if table.row_count and table.cursor_row is not None:
            try:
                current = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            except Exception:  # noqa: BLE001
                current = None
        rows = self.visible_rows()
        cols, variants, level, gap = self._layout(rows, today)
        table.clear(columns=True)
        table.cell_padding = 0
        for key, text, width in cols:
            table.add_column(text, key=key, width=width + gap)
        which = [(key, self._variant_key(key, level), width) for key, _t, width in cols]
        for case_id, v in variants:
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
                cells.append(Text(text, style=style))
            table.add_row(*cells, key=case_id)
        if current is not None:
            try:
                table.move_cursor(row=table.get_row_index(current))
            except Exception:  # noqa: BLE001 - the row may be filtered away now
                pass
        self._render_strip(rows)

    def _render_strip(self, shown: list[dict]) -> None:
        today = self.app.today()
        open_rows = [r for r in self.rows if r.get("status") not in CLOSED]
        counts = {n: 0 for n in STEP_NAMES}
        for r in open_rows:
            s = int(r.get("step") or 0)
            if s in counts:
                counts[s] += 1
        overdue = sum(1 for r in open_rows if _is_overdue(r, today))
        if self.app.size.width >= 110:
            strip = Text("  ".join(f"{n} {SHORT_STEPS[n]}: {counts[n]}" for n in counts) + "   ")
        else:
            strip = Text(_("Per stap") + " " + "  ".join(f"{n}:{counts[n]}" for n in counts) + "   ")
        strip.append(_("Te laat: {n}", n=overdue), style="bold red" if overdue else "green")
        self.query_one("#dash-strip", Static).update(strip)
        title = _("Meldcode — {user} — {day}", user=self.app.actor, day=fmt_date(today))
        heading = Text(title, style="bold")
        if warning := getattr(self.app, "header_warning", lambda: "")():   # issue 15 hook
            heading.append("  ! " + warning, style="bold yellow")
        self.query_one("#dash-title", Static).update(heading)
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
        if self.search_hits is not None:
            filters.append(_("zoekresultaten"))
        status = (_("{shown} van {total} casus", shown=len(shown), total=len(self.rows))
                  if len(self.rows) == 1 else
                  _("{shown} van {total} casussen", shown=len(shown), total=len(self.rows)))
        if not self.rows:
            status = _("Nog geen casussen die u mag zien. N: nieuwe casus")
        elif not shown:
            status += " — " + _("geen casus past bij zoeken/filters (Esc: wissen)")
        self.query_one("#dash-status", Static).update(status + " · " + " · ".join(filters))

    # -- search ------------------------------------------------------------------------------
    def _run_search(self, text: str) -> None:
        text = (text or "").strip()
        if len(text) < 2:
            self.search_hits = None
            return
        hits: set[str] = set()
        low = text.lower()
        for row in self.rows:
            if low in str(row.get("pupil_name", "")).lower() or low in str(row.get("case_id", "")).lower():
                hits.add(row.get("case_id"))
        ok, found = self.app.guard(self.app.svc.search, text)
        if ok:
            hits.update(h.get("case_id") for h in (found or []))
        self.search_hits = hits

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "dash-search":
            self._run_search(event.value)
            self._render_table()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "dash-search":
            self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key is not None and event.row_key.value:
            self.app.open_case(event.row_key.value)

    # -- actions -----------------------------------------------------------------------------
    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        self.app.open_case(key)

    def action_search(self) -> None:
        self.query_one("#dash-search", Input).focus()

    def action_clear(self) -> None:
        search = self.query_one("#dash-search", Input)
        if search.value or self.search_hits is not None:
            search.value = ""
        else:                      # nothing searched: Esc resets the filters
            self.step_filter = None
            self.status_filter = None
            self.only_overdue = False
            self.only_mine = False
        self.search_hits = None
        self._render_table()
        self.query_one(DataTable).focus()

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._render_table()

    def action_cycle_step(self) -> None:
        self.step_filter = None if self.step_filter == 5 else (self.step_filter or 0) + 1
        self._render_table()

    def action_cycle_status(self) -> None:
        statuses = sorted({r.get("status") for r in self.rows if r.get("status")})
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

    def action_reload(self) -> None:
        self.reload(force=True)

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

        self.app.push_screen(new_case_form(self.app), done)

    def action_demo(self) -> None:
        if self.rows or not self._database_empty():
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
        Binding("d", "choose('demo')", _("Demogegevens"), id="welcome.demo"),
        Binding("n", "choose('new')", _("Eerste casus"), id="welcome.new"),
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
