"""The staff training register in the TUI: who had Meldcode training when, which course
(reached from the Cijfers screen with S). Adding one is a small form (N; Ctrl+S saves)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Static

from ..i18n import _
from .base import BaseScreen
from .dialogs import Modal


class TrainingForm(Modal):
    """Name, course, date (JJJJ-MM-DD) and provider of one training."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Opslaan"), id="training_form.save"),
        Binding("escape", "cancel", _("Annuleren"), id="training_form.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="training-box", classes="dialog"):
            yield Static(_("Meldcode-training vastleggen"), classes="dialog-title")
            yield Input(placeholder=_("Naam van de medewerker"), id="training-name")
            yield Input(placeholder=_("Cursus of training"), id="training-course")
            yield Input(placeholder=_("Datum (JJJJ-MM-DD)"), id="training-on")
            yield Input(placeholder=_("Aanbieder (optioneel)"), id="training-provider")
            yield Static(_("Ctrl+S: opslaan · Esc: annuleren"), classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#training-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_save(self) -> None:
        values = {k: self.query_one(f"#training-{k}", Input).value.strip()
                  for k in ("name", "course", "on", "provider")}
        from ..service_layer.evaluation import Evaluations

        ok, _r = self.app.guard(Evaluations(self.app.svc).record_training, values["name"],
                                values["course"], values["on"], values["provider"])
        if ok:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class TrainingScreen(BaseScreen):
    """Every Meldcode training on record, oldest first."""

    BINDINGS = [
        Binding("escape", "back", _("Terug"), id="training.back"),
        Binding("n", "add", _("Training vastleggen"), id="training.add"),
    ]

    @property
    def help_title(self) -> str:
        return _("Scholingsregister")

    def compose(self) -> ComposeResult:
        yield Static(_("Scholingsregister: wie had wanneer een Meldcode-training"),
                     classes="section-title")
        yield DataTable(id="trainings", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()

    def _fill(self) -> None:
        from ..service_layer.evaluation import Evaluations

        table = self.query_one(DataTable)
        table.clear(columns=True)
        for label in (_("Datum"), _("Wie"), _("Cursus"), _("Aanbieder")):
            table.add_column(label)
        ok, rows = self.app.guard(Evaluations(self.app.svc).trainings)
        for t in rows if ok else []:
            table.add_row(t["on"], t["name"], t["course"], t.get("provider") or "")

    def action_add(self) -> None:
        def done(saved) -> None:
            if saved:
                self._fill()
                self.app.notify(_("Scholing vastgelegd."))

        self.app.push_screen(TrainingForm(), done)

    def action_back(self) -> None:
        self.app.pop_screen()


class EvaluationScreen(BaseScreen):
    """The yearly Meldcode evaluation of one school year: the year's figures prefilled (anonymous
    headline counts), the school's own answers typed below; Ctrl+S records it in the journal."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Opslaan"), id="evaluation.save"),
        Binding("escape", "back", _("Terug"), id="evaluation.back"),
    ]

    FIELDS = (("went_well", _("Wat ging goed")), ("to_improve", _("Wat kan beter")),
              ("hours_per_week", _("Uren aandachtsfunctionaris per week")),
              ("agreements_vt", _("Afspraken met Veilig Thuis")),
              ("agreements_wijkteam", _("Afspraken met het wijkteam")))

    def __init__(self, year: int):
        super().__init__()
        self.year = year

    @property
    def help_title(self) -> str:
        return _("Jaarevaluatie")

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll

        yield Static(_("Jaarevaluatie Meldcode, schooljaar {a}-{b}", a=self.year, b=self.year + 1),
                     classes="section-title")
        with VerticalScroll(id="evaluation-body"):
            yield Static("", id="evaluation-figures")
            for name, label in self.FIELDS:
                yield Static(label)
                yield Input(id=f"evaluation-{name}")
        yield Footer()

    def on_mount(self) -> None:
        from ..service_layer.evaluation import Evaluations

        ok, ev = self.app.guard(Evaluations(self.app.svc).evaluation, self.year)
        if ok:
            act = ev.figures.table("activity")
            lines = [_("De cijfers van dit schooljaar (anoniem):")]
            lines += [f"  {label}: {row[-1]}" for label, row in zip(act.rows, act.cells)]
            lines.append(_("Scholing in dit schooljaar: {n}", n=len(ev.trainings)))
            self.query_one("#evaluation-figures", Static).update("\n".join(lines))
            for name, _label in self.FIELDS:
                value = (ev.answers or {}).get(name)
                if value not in (None, ""):
                    self.query_one(f"#evaluation-{name}", Input).value = str(value)
        self.query_one("#evaluation-went_well", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_save(self) -> None:
        from ..errors import InputError
        from ..service_layer.evaluation import Evaluations

        values = {n: self.query_one(f"#evaluation-{n}", Input).value.strip() for n, _l in self.FIELDS}
        try:
            hours = int(values.pop("hours_per_week") or "x")
        except ValueError:
            self.app.report_error(InputError(_("Vul de uren per week in als getal."),
                                             field="hours_per_week"))
            return
        ok, _r = self.app.guard(Evaluations(self.app.svc).record, self.year, hours_per_week=hours,
                                **values)
        if ok:
            self.app.notify(_("Jaarevaluatie vastgelegd."))
            self.app.pop_screen()

    def action_back(self) -> None:
        self.app.pop_screen()
