"""Case screen: who, where in the protocol, what to do next (open points) and the chronology."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import _
from .base import BaseScreen
from . import intents
from .labels import STEP_NAMES, SEVERITY_LABELS, event_summary, fmt_date, kind_label, safe_line, status_label

SEVERITY_STYLE = {"overdue": "bold red", "due": "yellow", "todo": "", "info": "dim"}


def _b(key: str, intent: str, desc: str, show: bool = True) -> Binding:
    return Binding(key, f"intent('{intent}')", desc, id=f"case.{intent}", show=show)


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
        _b("a", "agree_follow_up", _("Afspraak maken"), show=False),
        _b("f", "complete_follow_up", _("Afspraak afronden"), show=False),
        _b("k", "correct_record", _("Corrigeren")),
        _b("l", "close_or_reopen", _("Sluiten/heropenen")),
        _b("o", "route_staff_suspicion", _("Andere route (medewerker)"), show=False),
        _b("x", "export", _("Exporteren")),
        _b("j", "journal", _("Journaal")),
        _b("d", "record_pupil_left", _("Vertrek leerling"), show=False),
        Binding("r", "reload", _("Vernieuwen"), id="case.reload", show=False),
    ]

    def __init__(self, case_id: str):
        super().__init__()
        self.case_id = case_id
        self.state = None
        self.points: list = []

    @property
    def help_title(self) -> str:
        return _("Casus {case_id}", case_id=self.case_id)

    def compose(self) -> ComposeResult:
        yield Static("", id="case-header")
        yield Static("", id="case-steps")
        with Vertical(id="case-body"):
            yield Static(_("Wat nu? (Enter: formulier openen)"), classes="section-title")
            yield OptionList(id="points")
            yield Static(_("Chronologie (Tab hierheen · Enter: volledig lezen · K: corrigeren)"),
                         classes="section-title")
            yield DataTable(id="chronology", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#chronology", DataTable)
        table.add_column("#", key="seq")
        table.add_column(_("Datum"), key="on")
        table.add_column(_("Soort"), key="kind")
        table.add_column(_("Wat"), key="what")
        table.add_column(_("Wie"), key="actor")
        ok, state = self.app.guard(self.app.svc.open_case, self.case_id)
        if not ok:
            self.app.pop_screen()
            return
        self.show_state(state)
        self.query_one("#points", OptionList).focus()
        self.set_interval(self.app.refresh_seconds, self._periodic_reload)

    def _periodic_reload(self) -> None:
        if self.app.screen is self:
            self.reload()

    def on_screen_resume(self) -> None:
        if self.state is not None:
            self.reload()

    # -- data --------------------------------------------------------------------------------
    def reload(self) -> None:
        from ..domain.case import fold

        ok, events = self.app.guard(self.app.svc.journal, self.case_id)
        if ok:
            self.show_state(fold(events))

    def show_state(self, state) -> None:
        if state is None:
            return
        self.state = state
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
        self.query_one("#case-header", Static).update(header)
        self.query_one("#case-steps", Static).update(self._steps_text(state))
        self._show_points()
        self._show_chronology()

    def _steps_text(self, state) -> Text:
        wide = self.app.size.width >= 110
        if getattr(state, "staff_route", False):
            text = (_("Andere route (vermoeden tegen een medewerker): schoolbestuur en "
                      "vertrouwensinspecteur, geen Meldcode-stappen") if wide else
                    _("Andere route (medewerker): schoolbestuur, geen Meldcode-stappen"))
            return Text(text, style="bold yellow")
        text = Text()
        for n in range(1, 6):
            name = _(STEP_NAMES[n]) if wide else {
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
        ol = self.query_one("#points", OptionList)
        ok, points = self.app.guard(self.app.svc.open_points, self.case_id)
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

    def _show_chronology(self) -> None:
        table = self.query_one("#chronology", DataTable)
        cursor = table.cursor_row
        table.clear()
        ok, events = self.app.guard(self.app.svc.journal, self.case_id)
        if not ok:
            return
        records = getattr(self.state, "records_by_seq", {}) or {}
        shown = [ev for ev in events if ev.kind not in ("case_viewed",)]
        narrow = self.app.size.width < 110
        kind_cap = 16 if narrow else 30
        kind_w = min(max((len(kind_label(ev.kind)) for ev in shown), default=5), kind_cap)
        seq_w = max((len(str(ev.seq)) for ev in shown), default=1)
        actor_w = max((min(len(ev.actor), 8) if narrow else len(ev.actor) for ev in shown), default=3)
        # every column has one space either side; 2 for the scrollbar
        width = max(20, self.app.size.width - (seq_w + 10 + kind_w + max(actor_w, 3)) - 10 - 2)
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
            # Text, not str: a DataTable reads strings as markup, and "[gecorrigeerd]" or any
            # square brackets someone typed would vanish.
            table.add_row(*(Text(c) for c in (str(ev.seq), fmt_date(on or ev.at), kind, what, actor)),
                          key=str(ev.seq))
        if table.row_count:
            table.move_cursor(row=min(cursor or table.row_count - 1, table.row_count - 1))

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
        from .misc import RecordScreen

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
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.reload()

    def action_intent(self, name: str) -> None:
        if self.state is None:
            return
        try:
            intents.start(self, name)
        except Exception as exc:  # noqa: BLE001
            self.app.report_error(exc)
