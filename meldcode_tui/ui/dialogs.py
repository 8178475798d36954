"""The dialogs every screen uses: F1's key list, the yes/no question, and the one Dutch
sentence for an unexpected error. Screens import these from here, never from ``app.py``
(the app imports the screens)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Static

from ..i18n import _
from ..text_safety import safe_line
from .base import Modal


class HelpScreen(ModalScreen[None]):
    """F1: every key of the screen underneath, with what it does."""

    BINDINGS = [
        Binding("escape,f1,q", "dismiss", _("Sluiten"), id="help.close"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str]]):
        super().__init__()
        self._title = title
        self._rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Static(_("Toetsen: {title}", title=self._title), classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(_("{n} toetsen · ↑↓ PgUp PgDn: door de lijst · Ctrl+P: alle opdrachten "
                           "zoeken · Esc: sluiten", n=len(self._rows)), classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Toets"), _("Wat het doet"))
        for key, desc in self._rows:
            table.add_row(key, desc)
        table.focus()

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)


class MessagesScreen(ModalScreen[None]):
    """F9 "Meldingen": what plugins and catalogues reported (a plugin switched off, a broken
    catalogue file), to read again at any time; a toast only says that there is something
    (a toast with the whole text covered half the screen and vanished before it was read)."""

    BINDINGS = [
        Binding("escape,f9,q", "dismiss", _("Sluiten"), id="messages.close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]):
        super().__init__()
        self._rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="messages-box", classes="dialog"):
            yield Static(_("Meldingen ({n})", n=len(self._rows)), classes="dialog-title")
            if self._rows:
                yield DataTable(id="messages-table", cursor_type="row", zebra_stripes=True)
                # The chosen message in full: the table cuts long lines at 80 columns.
                yield Static("", id="messages-detail")
            else:
                yield Static(_("Geen meldingen: alle plugins en catalogi zijn geladen."),
                             id="messages-none")
            yield Static(_("Meldingen gaan over de app, nooit over een casus. De beheerder ziet "
                           "dezelfde regels met 'meldcode plugins'. Esc: sluiten"),
                         classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        if not self._rows:
            return
        from rich.text import Text

        from .labels import safe_line

        table = self.query_one(DataTable)
        table.add_columns(_("Tijd"), _("Van"), _("Melding"))
        for at, source, text in self._rows:
            # Plugin text is hostile until checked: no control or bidi characters on screen.
            table.add_row(at, Text(safe_line(source)), Text(safe_line(text)))
        table.focus()
        self._show_detail(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        from rich.text import Text

        from .labels import safe_line

        if 0 <= row < len(self._rows):
            at, source, text = self._rows[row]
            self.query_one("#messages-detail", Static).update(
                Text(f"{at} · {safe_line(source)}\n{safe_line(text)}"))

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)


class ConfirmScreen(Modal):
    """Ask before an irreversible act. Enter/j = yes, Esc/n = no."""

    BINDINGS = [
        Binding("j,y", "answer(True)", _("Ja, doorgaan"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", _("Nee, terug"), id="confirm.no"),
    ]

    def __init__(self, question: str):
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog small"):
            yield Static(_("Bevestigen"), classes="dialog-title")
            yield Static(self._question, id="confirm-question")
            yield Static(_("J: ja, doorgaan · N of Esc: nee, terug"), classes="dialog-hint")
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(bool(yes))


class LeaveFormScreen(Modal):
    """Esc on a form with changes (nothing typed is lost, not even by Esc): keep it as a
    draft, throw it away, or go back to the form. Esc here is 'back'."""

    BINDINGS = [
        Binding("b", "answer('keep')", _("Bewaren als concept"), id="leave.keep"),
        Binding("w", "answer('discard')", _("Weggooien"), id="leave.discard"),
        Binding("t,escape", "answer('back')", _("Terug"), id="leave.back"),
    ]

    def __init__(self, can_keep: bool = True):
        super().__init__()
        self._can_keep = can_keep

    def compose(self) -> ComposeResult:
        with Vertical(id="leave-box", classes="dialog small"):
            yield Static(_("Formulier sluiten?"), classes="dialog-title")
            yield Static(_("U heeft in dit formulier getypt en nog niet opgeslagen."), id="leave-question")
            hint = (_("B: bewaren als concept (komt terug als u het formulier weer opent) · "
                      "W: weggooien · T of Esc: terug naar het formulier") if self._can_keep else
                    _("W: weggooien · T of Esc: terug naar het formulier"))
            yield Static(hint, classes="dialog-hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "answer" and parameters == ("keep",) and not self._can_keep:
            return None
        return True

    def action_answer(self, what: str) -> None:
        self.dismiss(what)


def generic_error_message(exc: BaseException) -> str:
    return _("Er ging iets onverwachts mis ({kind}). Er is niets half opgeslagen; probeer het "
             "opnieuw of meld het aan de beheerder.", kind=type(exc).__name__)



class SessionEndedScreen(Screen):
    """The session was ended by the admin (access revoked, role changed): the case on screen
    goes at once and only the reason stays, until the app ends a moment later. No keys."""

    DEFAULT_CSS = """
    SessionEndedScreen { align: center middle; }
    SessionEndedScreen > Static { width: auto; max-width: 70; padding: 1 2; border: heavy $error; }
    """

    def __init__(self, line: str):
        super().__init__()
        self.line = line

    def compose(self):
        from textual.widgets import Static

        yield Static(safe_line(self.line))
