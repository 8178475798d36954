"""Case screen: who, where in the protocol, what to do next (open points) and the chronology."""

from __future__ import annotations

import logging

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import _
from .base import BaseScreen, SteadyFooter
from .chronology import ChronologyTable
from . import intents
from .intent_form import STAFF_ROUTE_INTENTS
from .labels import STEP_SHORT_NAMES, SEVERITY_LABELS, event_summary, fmt_date, kind_label, safe_line, status_label

SEVERITY_STYLE = {"overdue": "bold red", "due": "yellow", "todo": "", "info": "dim"}


def _b(key: str, intent: str, desc: str, show: bool = True) -> Binding:
    return Binding(key, f"intent('{intent}')", desc, id=f"case.{intent}", show=show)


# The footer holds what fits, most used first (a footer of every key was cut after "g G…"
# at 80x24); F1 lists every key. On a case routed to the school board (a suspicion against
# staff) it offers that route's records; the Meldcode keys still answer when pressed, with
# the reason they do not apply.
FOOTER_ORDER = ("next_point", "record_signal", "record_conversation", "record_consultation",
                "answer_weighing", "complete_step", "record_decision", "set_care_team",
                "record_report", "record_vt_feedback", "plan_help", "review_help",
                "record_pre_report_contact", "record_exception", "record_acute_report",
                "correct_record", "export", "journal", "close_or_reopen")
STAFF_ROUTE_FOOTER = ("record_staff_route", "agree_follow_up", "complete_follow_up",
                      "correct_record", "export", "journal", "close_or_reopen")


class CaseScreen(BaseScreen):
    BINDINGS = [
        Binding("escape", "back", _("Terug"), id="case.back"),
        _b("s", "record_signal", _("Signaal")),
        _b("c", "record_consultation", _("Consultatie")),
        _b("z", "set_care_team", _("Zorgteam")),
        _b("g", "record_conversation", _("Gesprek")),
        _b("w", "answer_weighing", _("Afwegen")),
        _b("b", "record_decision", _("Besluit")),
        _b("v", "complete_step", _("Stap afronden")),
        _b("u", "record_exception", _("Uitzondering")),
        _b("h", "plan_help", _("Hulp plannen")),
        _b("e", "review_help", _("Hulp evalueren")),
        _b("p", "record_pre_report_contact", _("Contact vóór melding")),
        _b("m", "record_report", _("Melding")),
        _b("exclamation_mark", "record_acute_report", _("Acute melding")),
        _b("t", "record_vt_feedback", _("Terugkoppeling VT")),
        _b("y", "record_school_evaluation", _("Evaluatie na melding"), show=False),
        _b("a", "agree_follow_up", _("Afspraak maken"), show=False),
        _b("f", "complete_follow_up", _("Afspraak afronden"), show=False),
        _b("k", "correct_record", _("Corrigeren")),
        _b("l", "close_or_reopen", _("Sluiten/heropenen")),
        _b("o", "route_staff_suspicion", _("Andere route (medewerker)"), show=False),
        _b("O", "record_staff_route", _("Andere route: vastleggen"), show=False),
        _b("x", "export", _("Exporteren")),
        _b("i", "attachments", _("Bijlagen"), show=False),
        _b("n", "family", _("Gezin en netwerk"), show=False),
        _b("P", "body_map", _("Poptekening"), show=False),
        _b("d", "withhold_source", _("Bron niet noemen"), show=False),
        _b("j", "journal", _("Journaal")),
        _b("D", "record_pupil_left", _("Vertrek leerling"), show=False),
        _b("A", "privacy", _("Privacy (AVG)"), show=False),
        Binding("r", "reload", _("Vernieuwen"), id="case.reload", show=False),
        # One key for "what now?": the form that resolves the first open point, so a coordinator
        # need not know which key belongs to it.
        Binding("space", "next_point", _("Volgend punt"), id="case.next_point",
                key_display=_("spatie")),
    ]

    def __init__(self, case_id: str, start_intent: str | None = None):
        super().__init__()
        self.case_id = case_id
        self.state = None
        self.points: list = []
        # Opened from the dashboard to record one intent at once (the acute key '!').
        self.start_intent = start_intent
        self._events: list = []
        self._head: int | None = None
        self._version = None
        # The view is journalled after the first paint; a quit or hang-up before that still
        # journals it (what was on screen was seen).
        self._shown = False
        self._view_logged = False
        self._fill_generation = 0          # the chronology's fills; a later one cancels the rest
        self._rows_to_come = 0             # rows of a long chronology not added yet

    @property
    def help_title(self) -> str:
        return _("Casus {case_id}", case_id=self.case_id)

    def compose(self) -> ComposeResult:
        # Read and fold this case only, before the widgets are built (the access check comes
        # first: nothing is shown to someone who may not see it). The footer's keys depend on
        # the case (the other route has its own), so they are fitted here and the footer is
        # composed once with them (fitted later, opening a case rebuilt the footer five times).
        self._read_ok = self._read()
        if self._read_ok:
            self._fit_footer()
        yield Static("", id="case-header")
        yield Static("", id="case-steps")
        with Vertical(id="case-body"):
            yield Static(_("Wat nu? (Enter: formulier openen)"), classes="section-title")
            yield OptionList(id="points")
            yield Static(_("Chronologie (Tab hierheen · Enter: volledig lezen · K: corrigeren)"),
                         classes="section-title")
            yield ChronologyTable(id="chronology", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter(ready=self._read_ok)

    def _read(self) -> bool:
        """Read and fold the case's events (no widget is touched); False if refused (the
        guard has said why)."""
        from ..domain.case import fold

        self._version = self._data_version()
        ok, events = self.app.guard(self.app.svc.journal, self.case_id)
        if not ok:
            return False
        self._events = list(events)
        self._head = self._events[-1].seq if self._events else 0
        self.state = fold(self._events)
        return True

    def on_mount(self) -> None:
        table = self.query_one("#chronology", DataTable)
        table.add_column("#", key="seq")
        table.add_column(_("Datum"), key="on")
        table.add_column(_("Soort"), key="kind")
        table.add_column(_("Wat"), key="what")
        table.add_column(_("Wie"), key="actor")
        if not self._read_ok:
            self.app.pop_screen()
            return
        # The access-log event is written after the first paint.
        self.show_state(self.state, events=self._events)
        self._shown = True
        self.query_one("#points", OptionList).focus()
        self.call_after_refresh(self._log_view)
        # Live: a colleague's commit on this case shows within a poll (PRAGMA data_version).
        self.set_interval(self.app.live_seconds, self._poll)
        if self.start_intent:
            self.call_after_refresh(self.action_intent, self.start_intent)

    def _log_view(self) -> None:
        """Journal the view (access log). A view that cannot be recorded is not allowed to
        stay on screen."""
        if self._view_logged:
            return
        self._view_logged = True
        ok, _state = self.app.guard(self.app.svc.open_case, self.case_id)
        if not ok:
            if self.is_attached and self.app.screen is self:
                self.app.pop_screen()
            return
        self._version = self._data_version()
        self._head = self._case_head()

    def ensure_view_logged(self) -> None:
        """Quit or hang-up: the case was on screen, so its view goes into the access log."""
        if self._shown and not self._view_logged:
            self._view_logged = True
            try:
                self.app.svc.open_case(self.case_id)
            except Exception:  # noqa: BLE001 - leaving anyway; nothing to show it on
                logging.getLogger(__name__).warning("case view could not be journalled")

    def on_unmount(self) -> None:
        self.ensure_view_logged()

    def _data_version(self):
        try:
            return self.app.svc.store.data_version()
        except Exception:  # noqa: BLE001 - the poll tries again; reload reports problems
            return None

    def _case_head(self) -> int | None:
        try:
            return self.app.svc.store.case_head(self.case_id)
        except Exception:  # noqa: BLE001
            return None

    def _poll(self) -> None:
        """Cheap unless someone committed: one pragma; then one index lookup for this case's
        head; only when that moved are the case's new events read and shown."""
        if self.state is None or not self._in_view():
            return
        version = self._data_version()
        if version is None or version == self._version:
            return
        self._version = version
        head = self._case_head()
        if head is not None and head != self._head:
            self.reload()

    def _in_view(self) -> bool:
        """This screen is on top, or right under a form (whose stale check still decides)."""
        from .forms import FormScreen

        stack = self.app.screen_stack
        return bool(stack) and (stack[-1] is self or (
            len(stack) >= 2 and stack[-2] is self and isinstance(stack[-1], FormScreen)))

    def on_screen_resume(self) -> None:
        # Also sent on the first show, right after on_mount read the case: read again only
        # if the case moved meanwhile (a form on top saved, a colleague recorded).
        if self.state is not None and self._case_head() != self._head:
            self.reload()

    # -- data --------------------------------------------------------------------------------
    def reload(self) -> None:
        ok, events = self.app.guard(self.app.svc.journal, self.case_id)
        if ok:
            self._show(events)

    def _show(self, events: list) -> None:
        """Fold the case's events once and show state, open points and chronology from it."""
        from ..domain.case import fold

        self._events = list(events)
        self._head = self._events[-1].seq if self._events else 0
        self.show_state(fold(self._events), events=self._events)

    def _fit_footer(self) -> None:
        from .base import fit_footer

        staff_route = getattr(self.state, "staff_route", False)
        order = STAFF_ROUTE_FOOTER if staff_route else FOOTER_ORDER
        fit_footer(self, ["case." + name for name in order], hide_prefix="case.")
        if staff_route:
            # F1 on the other route: only what that route can record (the rest is refused).
            self.help_hidden = {b.id for bs in self._merged_bindings.key_to_bindings.values()
                                for b in bs if b.id and b.id.startswith("case.")
                                and b.id.removeprefix("case.") not in STAFF_ROUTE_INTENTS
                                and b.id not in ("case.back", "case.reload", "case.next_point")}
        else:
            self.help_hidden = set()

    def show_state(self, state, events: list | None = None) -> None:
        if state is None:
            return
        self.state = state
        self._fit_footer()
        today = self.app.today()
        age = state.age_on(today)
        pupil = state.pupil
        header = Text()
        header.append(f"{state.case_id}  ", style="bold")
        header.append(safe_line(pupil.name or ""), style="bold")
        if age is not None:
            header.append("  " + _("{n} jaar", n=age))
        if pupil.group:
            group = pupil.group if pupil.group.lower().startswith(("groep", "klas")) else \
                _("groep {g}", g=pupil.group)
            header.append("  " + safe_line(group))
        header.append("  " + _("status: {s}", s=status_label(state.status)),
                      style="bold yellow" if state.status != "open" else "")
        if state.owner and self.app.size.width >= 100:
            header.append("  " + _("eigenaar: {o}", o=safe_line(state.owner)), style="dim")
        if getattr(state, "linked_cases", None):
            ok, linked = self.app.guard(self.app.svc.linked_cases, state.case_id)
            if ok and linked:
                header.append("  " + _("gezin: {ids}", ids=", ".join(x["case_id"] for x in linked)),
                              style="bold magenta")
        self.query_one("#case-header", Static).update(header)
        self.query_one("#case-steps", Static).update(self._steps_text(state))
        self._show_points()
        self._show_chronology(events)

    def _steps_text(self, state) -> Text:
        wide = self.app.size.width >= 110
        if getattr(state, "staff_route", False):
            text = (_("Andere route (vermoeden tegen een medewerker): schoolbestuur en "
                      "vertrouwensinspecteur, geen Meldcode-stappen") if wide else
                    _("Andere route (medewerker): schoolbestuur, geen Meldcode-stappen"))
            return Text(text, style="bold yellow")
        text = Text()
        for n in range(1, 6):
            name = _(STEP_SHORT_NAMES[n]) if wide else {
                1: _("Signalen"), 2: _("Consultatie"), 3: _("Gesprek"), 4: _("Wegen"), 5: _("Beslissen")}[n]
            if n in state.steps_completed:
                text.append(f"✔ {n} {name}", style="green")
            elif n == state.step and not state.closed:
                text.append(f"▶ {n} {name}", style="bold reverse")
            else:
                text.append(f"· {n} {name}", style="dim")
            if n < 5:
                text.append("  " if wide else " ")
        return text

    def _show_points(self) -> None:
        from ..domain.guide import open_points

        ol = self.query_one("#points", OptionList)
        ok, points = self.app.guard(open_points, self.state, self.app.svc.today())
        self.points = list(points or []) if ok else []
        highlighted = ol.highlighted
        ol.clear_options()
        if not self.points:
            ol.add_option(Option(_("Geen open punten."), id="none", disabled=True))
        for i, p in enumerate(self.points):
            t = Text()
            sev = getattr(p, "severity", "todo")
            mark = "! " if sev == "overdue" else "• "
            t.append(mark, style=SEVERITY_STYLE.get(sev, ""))
            t.append(p.text, style=SEVERITY_STYLE.get(sev, ""))
            if p.due and fmt_date(p.due) not in p.text:      # not twice when the text says it
                t.append("  " + _("uiterlijk {d}", d=fmt_date(p.due)),
                         style="bold red" if sev == "overdue" else "dim")
            if sev in ("overdue", "due"):
                # "due" without a date means: act now (e.g. report to Veilig Thuis now).
                word = _("nu") if sev == "due" and not p.due else _(SEVERITY_LABELS[sev])
                t.append(f"  [{word}]", style=SEVERITY_STYLE[sev])
            ol.add_option(Option(t, id=f"p{i}"))
        if highlighted is not None and highlighted < ol.option_count:
            ol.highlighted = highlighted
        elif ol.option_count:
            ol.highlighted = 0

    def _show_chronology(self, events: list | None = None) -> None:
        table = self.query_one("#chronology", DataTable)
        cursor = table.cursor_row if table.row_count else None
        scroll_y = table.scroll_y
        if events is None:
            ok, events = self.app.guard(self.app.svc.journal, self.case_id)
            if not ok:
                return
        if cursor is not None and self._rows_to_come:
            # Filled again before the rest of a long chronology came: the cursor's index and
            # the scroll count those rows too.
            cursor += self._rows_to_come
            scroll_y += self._rows_to_come
        table.clear()
        records = getattr(self.state, "records_by_seq", {}) or {}
        shown = [ev for ev in events if ev.kind not in ("case_viewed",)]
        narrow = self.app.size.width < 110
        kind_cap = 16 if narrow else 30
        kind_w = min(max((len(kind_label(ev.kind)) for ev in shown), default=5), kind_cap)
        seq_w = max((len(str(ev.seq)) for ev in shown), default=1)
        actor_w = max((min(len(ev.actor), 8) if narrow else len(ev.actor) for ev in shown), default=3)
        # every column has one space either side; 2 for the scrollbar
        width = max(20, self.app.size.width - (seq_w + 10 + kind_w + max(actor_w, 3)) - 10 - 2)
        rows = []
        for ev in shown:
            rec = records.get(ev.seq)
            payload = rec.payload if rec is not None else ev.payload
            summary = event_summary(ev.kind, payload)
            if rec is not None and getattr(rec, "corrected", False):
                summary = _("[gecorrigeerd] ") + summary
            on = getattr(rec, "on", None) if rec is not None else ev.at[:10]
            actor = (ev.actor[:7] + "…") if narrow and len(ev.actor) > 8 else ev.actor
            what = summary.replace("\n", " ")
            if len(what) > width:
                what = what[: width - 1] + "…"
            kind = kind_label(ev.kind)
            if len(kind) > kind_w:
                kind = kind[: kind_w - 1] + "…"
            rows.append((str(ev.seq), fmt_date(on or ev.at), kind, what, actor))
        # Each column as wide as its widest cell or label, as the stock table measures it, but
        # from the plain text: no cell is measured by Rich (that measuring was most of the time
        # it took to open a case).
        labels = [str(c.label) for c in table.ordered_columns]
        table.set_widths(max([table.text_width(x) for x in col], default=0)
                         for col in zip(labels, *rows))
        self._fill_generation += 1
        if cursor is None and len(rows) > 2 * self.app.size.height:
            # A long chronology opened fresh: the cursor goes to the last row, so the first
            # paint shows only rows from the end; those are added now, the rest right after the
            # first paint, so a long case opens as fast as a short one.
            first, rest = rows[-self.app.size.height:], rows[:-self.app.size.height]
            self.call_after_refresh(self._fill_rest, self._fill_generation, rest)
        else:
            first, rest = rows, []
        self._rows_to_come = len(rest)
        for cells in first:
            # Text, not str: a DataTable reads strings as markup, and "[gecorrigeerd]" or any
            # square brackets someone typed would vanish.
            table.add_row(*(Text(c) for c in cells), key=cells[0])
        if table.row_count:
            if cursor is None:
                # A chronology shown fresh: the cursor on its last record, in view at once.
                table.cursor_to_end()
            else:
                # The cursor stays on its row (new records come below it), the scroll where
                # it was.
                table.move_cursor(row=min(cursor, table.row_count - 1), scroll=False)
                table.scroll_to(y=scroll_y, animate=False, immediate=True)

    def _fill_rest(self, generation: int, rows: list) -> None:
        """The older rows of a long chronology, above the ones shown first (unless the
        chronology was filled again meanwhile: a reload shows every row at once)."""
        if generation != self._fill_generation or not self.is_attached:
            return
        self._rows_to_come = 0
        table = self.query_one("#chronology", ChronologyTable)
        table.add_rows_above([(cells[0], tuple(Text(c) for c in cells)) for cells in rows])

    def selected_seq(self) -> int | None:
        table = self.query_one("#chronology", DataTable)
        if not table.row_count:
            return None
        try:
            return int(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)
        except Exception:  # noqa: BLE001
            return None

    def after_write(self, result) -> None:
        """Called when a form was saved: show the new state."""
        if result is None:
            return
        if hasattr(result, "case_id") and hasattr(result, "steps_completed"):
            self._head = getattr(result, "last_seq", self._head)
            self.show_state(result)
        else:
            self.reload()

    # -- events ------------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "chronology" or event.row_key is None:
            return
        seq = int(event.row_key.value)
        ok, events = self.app.guard(self.app.svc.journal, self.case_id)
        ev = next((e for e in (events or []) if e.seq == seq), None) if ok else None
        if ev is None:
            return
        from .record_view import RecordScreen

        records = getattr(self.state, "records_by_seq", {}) or {}
        self.app.push_screen(RecordScreen(self, ev, records.get(seq)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "points" or not event.option.id or event.option.id == "none":
            return
        point = self.points[int(event.option.id[1:])]
        if point.action:
            self.action_intent(point.action)
        else:
            self.app.notify(point.text)

    # -- actions -----------------------------------------------------------------------------
    def action_next_point(self) -> None:
        """Open the form for the first open point that has one (overdue ones come first in
        the list); a point without a form is said, not skipped."""
        for point in self.points:
            if point.action:
                self.action_intent(point.action)
                return
        if self.points:
            self.app.notify(self.points[0].text)
        else:
            self.app.notify(_("Geen open punten voor deze casus."))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.reload()

    def action_intent(self, name: str) -> None:
        if self.state is None:
            return
        try:
            self.open_intent(name)
        except Exception as exc:  # noqa: BLE001
            self.app.report_error(exc)

    def open_intent(self, name: str, **kwargs) -> None:
        """Open intent ``name``'s form on this case (also what F2 in a form calls, so the form
        machinery needs no registry of intents)."""
        intents.start(self, name, **kwargs)
