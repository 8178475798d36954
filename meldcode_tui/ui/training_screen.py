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
