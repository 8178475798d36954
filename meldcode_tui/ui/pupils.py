"""New case from the pupil register: find the pupil by name or number (fuzzy, as the signal
picker), then the new-case form filled with the register's data - every field still editable.

Only the coordinator (and the file's owner at the console) gets here: the dashboard offers the
picker when the register has been loaded and this session may read it (service_layer/pupils.py).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..errors import MeldcodeError
from ..i18n import N_, _
from ..text_safety import safe_line
from .base import Modal
from .labels import fmt_date

MANUAL = "manual"


class PupilPicker(Modal):
    """Type part of a name or a pupil number; Enter takes the highlighted pupil."""

    BINDINGS = [
        Binding("escape", "cancel", _("Annuleren"), id="pupils.cancel"),
        Binding("f2", "manual", _("Zonder leerlingadministratie"), id="pupils.manual", priority=True),
        Binding("down", "move(1)", _("Volgende leerling"), id="pupils.down", show=False),
        Binding("up", "move(-1)", _("Vorige leerling"), id="pupils.up", show=False),
    ]
    help_title = _("Nieuwe casus uit de leerlingadministratie")

    def __init__(self, info: dict | None = None):
        super().__init__(id="pupil-picker")
        self.info = info or {}
        self.rows: list[dict] = []
        self._register: list[dict] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="pupil-picker-box"):
            yield Static(_("Nieuwe casus: kies de leerling"), classes="dialog-title")
            loaded = self.info.get("loaded_at", "")[:10]
            yield Static(_("Uit de leerlingadministratie ({source}, ingelezen {date}). Typ een "
                           "naam of leerlingnummer.", source=safe_line(self.info.get("source", "")),
                           date=fmt_date(loaded) if loaded else "?"), classes="form-intro")
            yield Label(_("Naam of leerlingnummer"), classes="field-label")
            yield Input(id="pupil-search", compact=True)
            yield OptionList(id="pupil-results")
            yield Static(_("Enter: deze leerling · ↑↓: kiezen · F2: zonder leerlingadministratie · "
                           "Esc: annuleren"), classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pupil-search", Input).focus()
        self._search("")

    def _search(self, text: str) -> None:
        from ..service_layer.pupils import all_pupils, find_pupils

        try:
            if self._register is None:       # read once; filtered as she types
                self._register = all_pupils(self.app.svc)
            self.rows = find_pupils(self.app.svc, text, rows=self._register)
        except MeldcodeError as exc:
            self.app.report_error(exc)
            self.rows = []
        results = self.query_one("#pupil-results", OptionList)
        results.clear_options()
        for i, row in enumerate(self.rows):
            line = " · ".join(p for p in (
                safe_line(row["name"]), safe_line(row.get("group", "")),
                fmt_date(row["date_of_birth"]), _("nr. {n}", n=safe_line(row["pupil_number"]))) if p)
            results.add_option(Option(line, id=f"p{i}"))
        if not self.rows:
            results.add_option(Option(_("Geen leerling gevonden."), id="none", disabled=True))
        else:
            results.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._take()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._take()

    def _take(self) -> None:
        results = self.query_one("#pupil-results", OptionList)
        index = results.highlighted
        if not self.rows or index is None or index >= len(self.rows):
            self.app.bell()
            return
        self.dismiss(self.rows[index])

    def action_move(self, delta: int) -> None:
        results = self.query_one("#pupil-results", OptionList)
        if self.rows:
            current = results.highlighted or 0
            results.highlighted = max(0, min(len(self.rows) - 1, current + delta))

    def action_manual(self) -> None:
        self.dismiss(MANUAL)

    def action_cancel(self) -> None:
        self.dismiss(None)


GENDER_OPTIONS = [("male", N_("jongen")), ("female", N_("meisje")), ("other", N_("anders / onbekend"))]


def register_case_form(app, row: dict, info: dict | None = None):
    """The new-case form, filled from the register's ``row``; saving opens the case with the
    register's provenance and the parents as household members (gezag, contact)."""
    from ..service_layer.pupils import case_values, create_case_from_register
    from .forms import Field, FormScreen

    values = case_values(row)
    info = info or {}
    fields = [
        Field("pupil_name", _("Naam leerling"), required=True, default=values["pupil_name"]),
        Field("date_of_birth", _("Geboortedatum"), kind="date", required=True,
              default=values["date_of_birth"]),
        Field("group", _("Groep / klas"), default=values["group"]),
        Field("pupil_number", _("Leerlingnummer"), default=values["pupil_number"]),
        Field("gender", _("Geslacht"), kind="choice", options=[(v, _(w)) for v, w in GENDER_OPTIONS],
              default=values["gender"] or None),
        Field("address", _("Adres"), default=values["address"]),
        Field("parents", _("Ouders/verzorgers (één per regel: naam, relatie, gezag, telefoon)"),
              kind="area", default=values["parents"]),
        Field("note", _("Aanleiding (kort)"), kind="area"),
        Field("staff_suspicion", _("Het vermoeden richt zich tegen een medewerker van school"),
              kind="bool",
              help=_("Dan geldt niet de Meldcode maar de andere route: het schoolbestuur, dat "
                     "overlegt met de vertrouwensinspecteur. U legt daarna de doorverwijzing vast.")),
    ]
    number = row["pupil_number"]

    def submit(v: dict):
        v = dict(v)
        v["gender"] = v.get("gender") or ""
        state = create_case_from_register(app.svc, number, v)
        from ..service_layer.look_alikes import look_alike_warning

        # Every field of the form stays editable, the name too: the same warning as the plain form.
        warning = look_alike_warning(app.svc, state.pupil.name, state.case_id)
        if warning:
            app.notify(warning, severity="warning", timeout=15)
        return state

    loaded = (info.get("loaded_at") or "")[:10]
    intro = _("Overgenomen uit de leerlingadministratie ({source}, ingelezen {date}); alles blijft "
              "aan te passen. De casus legt vast dat de gegevens daar vandaan komen.",
              source=safe_line(info.get("source", "")), date=fmt_date(loaded) if loaded else "?")
    return FormScreen(_("Nieuwe casus"), fields, submit, form_id="form-new-case", intro=intro,
                      draft_key=f"new-case:register:{number}")


def start_new_case(app, open_form) -> bool:
    """Offer the register first when there is one this session may read. ``open_form(screen)``
    pushes a form and handles its result. False: no register (the caller opens the plain form)."""
    from ..service_layer.pupils import register_info

    try:
        info = register_info(app.svc)
    except MeldcodeError:
        info = None
    if not info or not info.get("count"):
        return False

    def chosen(result) -> None:
        from .forms import new_case_form

        if result is None:
            return
        if result == MANUAL:
            open_form(new_case_form(app))
        else:
            open_form(register_case_form(app, result, info))

    app.push_screen(PupilPicker(info), chosen)
    return True
