"""The teachers' side: a teacher's own small screen (log a concern, see what became of it) and
the coordinators' inbox of teachers' concerns (take into a case, or "geen zorg nu")."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Select, Static

from ..domain.people import CONCERN_STATUS_LABELS
from ..i18n import _
from .widgets import PickSelect
from .base import BaseScreen, Modal
from .labels import fmt_date, parse_date, safe_line


def _status(c: dict) -> str:
    return _(CONCERN_STATUS_LABELS.get(c["status"], c["status"]))


class TeacherScreen(BaseScreen):
    """What a teacher sees: her own concerns and their status. Nothing about cases."""

    help_title = _("Mijn zorgmeldingen")
    BINDINGS = [
        Binding("n", "new", _("Zorg melden"), id="teacher.new"),
        Binding("r", "reload", _("Vernieuwen"), id="teacher.reload", show=False),
        Binding("q", "app.quit", _("Stoppen"), id="teacher.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Meldcode — {user} — mijn zorgmeldingen", user=self.app.actor),
                          style="bold"), id="teacher-title")
        yield Static(_("N: een zorg over een leerling melden. U ziet alleen wat u zelf meldde, "
                       "en of een coördinator het heeft opgepakt."), id="teacher-help")
        yield DataTable(id="concerns", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Nummer"), _("Leerling"), _("Gemeld op"), _("Signalen"), _("Status"))
        self.action_reload()
        table.focus()

    def action_reload(self) -> None:
        ok, rows = self.app.guard(self.app.svc.my_concerns)
        if not ok:
            return
        table = self.query_one(DataTable)
        table.clear()
        for c in rows or []:
            status = _status(c) + (f": {safe_line(c['answer'])}" if c["answer"] else "")
            table.add_row(c["concern_id"], safe_line(c["pupil_name"]), fmt_date(c["at"][:10]),
                          str(len(c["signals"])), status, key=c["concern_id"])

    def action_new(self) -> None:
        ok, names = self.app.guard(self.app.svc.pupil_names)
        self.app.push_screen(ConcernForm(names if ok else []), lambda _done: self.action_reload())


class ConcernForm(Modal):
    """One concern: the pupil (a name typed, or picked from the teacher's earlier ones) and a
    signal with its date and source. ``ctrl+s`` saves, ``escape`` cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Opslaan"), id="concern.save", priority=True),
        Binding("escape", "cancel", _("Annuleren"), id="concern.cancel"),
    ]

    def __init__(self, names: list[str]):
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(id="concern-form"):
            yield Static(Text(_("Zorg melden"), style="bold"))
            if self.names:
                yield PickSelect([(safe_line(n), n) for n in self.names], prompt=_("Eerder gemelde leerling"),
                             id="concern-known")
            yield Input(placeholder=_("Naam van de leerling"), id="concern-pupil")
            yield Input(placeholder=_("Groep (mag leeg)"), id="concern-group")
            yield Input(placeholder=_("Wat heeft u gezien of gehoord?"), id="concern-description")
            # dd-mm-jjjj like every other form (labels.fmt_date / parse_date)
            yield Input(value=fmt_date(self.app.today()), placeholder=_("Datum (dd-mm-jjjj)"),
                        id="concern-date")
            yield PickSelect([(_("eigen waarneming"), "own"), (_("andere bron"), "other")],
                         value="own", allow_blank=False, id="concern-source")
            yield Input(placeholder=_("Andere bron: wie? (bij eigen waarneming leeg)"),
                        id="concern-source-name")
            yield Static("", id="concern-error")
            yield Footer()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "concern-known" and isinstance(event.value, str):
            self.query_one("#concern-pupil", Input).value = event.value

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        v = {w.id: w.value for w in self.query(Input)}
        try:
            signal = {"description": v["concern-description"],
                      "observed_on": parse_date(v["concern-date"], "observed_on"),
                      "source": self.query_one("#concern-source", Select).value,
                      "source_name": v["concern-source-name"]}
            concern_id = self.app.svc.log_concern(v["concern-pupil"], [signal],
                                                  group=v["concern-group"])
        except Exception as exc:  # noqa: BLE001 - shown in the form, the typing stays
            from ..errors import MeldcodeError

            if not isinstance(exc, MeldcodeError):
                raise
            self.query_one("#concern-error", Static).update(Text(str(exc), style="bold red"))
            return
        self.app.notify(_("Zorgmelding {id} is vastgelegd.", id=concern_id))
        self.dismiss(True)


class InboxScreen(BaseScreen):
    """The coordinators' inbox: new concerns from teachers."""

    help_title = _("Zorgmeldingen van leerkrachten")
    BINDINGS = [
        Binding("n", "take_new", _("Nieuwe casus"), id="inbox.take_new"),
        Binding("k", "take_known", _("Bij bestaande casus"), id="inbox.take_known"),
        Binding("z", "answer", _("Geen zorg nu"), id="inbox.answer"),
        Binding("escape", "app.pop_screen", _("Terug"), id="inbox.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Zorgmeldingen van leerkrachten (nieuw)"), style="bold"), id="inbox-title")
        yield DataTable(id="inbox", cursor_type="row", zebra_stripes=True)
        yield Static("", id="inbox-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Nummer"), _("Leerling"), _("Groep"), _("Van"), _("Gemeld op"),
                          _("Signalen"))
        self.reload()
        table.focus()

    def reload(self) -> None:
        ok, rows = self.app.guard(self.app.svc.concern_inbox)
        if not ok:
            return
        self.rows = {c["concern_id"]: c for c in rows or []}
        table = self.query_one(DataTable)
        table.clear()
        for c in self.rows.values():
            table.add_row(c["concern_id"], safe_line(c["pupil_name"]), safe_line(c.get("group", "")),
                          safe_line(c["author"]), fmt_date(c["at"][:10]), str(len(c["signals"])),
                          key=c["concern_id"])
        self._show_detail()

    def _current(self) -> dict | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.row_count == 0:
            return None
        key = list(self.rows)[min(table.cursor_row, len(self.rows) - 1)]
        return self.rows[key]

    def on_data_table_row_highlighted(self, _event) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        c = self._current()
        text = "" if c is None else "\n".join(
            f"{fmt_date(s['observed_on'])} · "
            + (_("eigen waarneming") if s["source"] == "own"
               else _("andere bron: {name}", name=safe_line(s["source_name"])))
            + f" · {safe_line(s['description'])}" for s in c["signals"])
        self.query_one("#inbox-detail", Static).update(text or _("Geen nieuwe zorgmeldingen."))

    def _ask(self, title: str, placeholder: str, then) -> None:
        c = self._current()
        if c is None:
            return
        self.app.push_screen(AskLine(title, placeholder),
                             lambda value: (value is not None and then(c, value), self.reload()))

    def action_take_new(self) -> None:
        """A new case from the concern: a form like every other (date of birth as dd-mm-jjjj,
        Ctrl+S), then straight into the new case. The teacher hears through her channel that
        it was taken in (``meldcode notify``), never which case."""
        from .forms import Field, FormScreen

        c = self._current()
        if c is None:
            return
        fields = [Field("date_of_birth", _("Geboortedatum van de leerling"), kind="date",
                        required=True),
                  Field("group", _("Groep / klas"), default=c.get("group") or "")]

        def submit(v: dict) -> str:
            return self.app.svc.take_concern(c["concern_id"], date_of_birth=v["date_of_birth"],
                                             group=v["group"])

        def done(case_id) -> None:
            self.reload()
            if isinstance(case_id, str) and case_id:
                self.app.notify(_("Zorgmelding {id} is opgepakt in {case}.",
                                  id=c["concern_id"], case=case_id))
                self.app.open_case(case_id)

        self.app.push_screen(FormScreen(_("Nieuwe casus uit zorgmelding {id}", id=c["concern_id"]),
                                        fields, submit, form_id="form-take-concern"), done)

    def action_take_known(self) -> None:
        self._ask(_("Bij welke casus? (bijv. MC-0007)"), "MC-0001",
                  lambda c, case: self._done(*self.app.guard(self.app.svc.take_concern,
                                                             c["concern_id"], case.strip())))

    def action_answer(self) -> None:
        self._ask(_("Geen zorg nu: de reden (de leerkracht ziet die)"), "",
                  lambda c, reason: self._done(*self.app.guard(self.app.svc.answer_concern,
                                                               c["concern_id"], reason)))

    def _done(self, ok: bool, result) -> None:
        if ok:
            self.app.notify(_("Zorgmelding afgehandeld{case}.",
                              case=f" ({result})" if isinstance(result, str) else ""))


class AskLine(Modal):
    BINDINGS = [
        Binding("escape", "cancel", _("Annuleren"), id="ask.cancel"),
    ]

    def __init__(self, title: str, placeholder: str):
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-line"):
            yield Static(Text(self.title_text, style="bold"))
            yield Input(placeholder=self.placeholder, id="ask-input")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AuditorScreen(BaseScreen):
    """The auditor's screen: the verification, the journal's metadata (seq, time, actor, kind,
    case id) and the access log. No payload, no case content."""

    help_title = _("Controle")
    BINDINGS = [
        Binding("v", "verify", _("Controleren"), id="auditor.verify"),
        Binding("a", "toggle_access", _("Alleen toegangslog"), id="auditor.access"),
        Binding("q", "app.quit", _("Stoppen"), id="auditor.quit"),
        Binding("c", "figures", _("Cijfers"), id="auditor.figures", show=False),
    ]

    only_access = False

    def action_figures(self) -> None:
        """The school's anonymous figures (no case content: the auditor may see them)."""
        from .stats_screen import StatsScreen

        self.app.push_screen(StatsScreen())

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Meldcode — {user} — controle", user=self.app.actor), style="bold"),
                     id="auditor-title")
        yield Static("", id="auditor-verify")
        yield DataTable(id="auditor-journal", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Nr."), _("Tijd"), _("Wie"), _("Wat"), _("Casus"))
        self.action_verify()
        self.reload()
        table.focus()

    def reload(self) -> None:
        fn = self.app.svc.access_log if self.only_access else self.app.svc.journal_metadata
        ok, rows = self.app.guard(fn)
        if not ok:
            return
        table = self.query_one(DataTable)
        table.clear()
        for r in rows or []:
            what = r.get("action", r["kind"]) if self.only_access else r["kind"]
            if self.only_access and r["kind"] == "access_refused":
                what = _("geweigerd: {what}", what=what)
            case = r.get("case", r["case_id"]) if self.only_access else r["case_id"]
            table.add_row(str(r["seq"]), safe_line(r["at"][:19].replace("T", " ")),
                          safe_line(r["actor"]), safe_line(what), safe_line(case))

    def action_toggle_access(self) -> None:
        self.only_access = not self.only_access
        self.reload()

    def action_verify(self) -> None:
        ok, result = self.app.guard(self.app.svc.verify)
        if not ok:
            return
        line = (_("Journaal in orde: {n} gebeurtenissen.", n=result.count) if result.ok
                else _("Journaal NIET in orde vanaf gebeurtenis {seq}.", seq=getattr(result, "bad_seq", "?")))
        self.query_one("#auditor-verify", Static).update(
            Text(line, style="bold green" if result.ok else "bold red"))
