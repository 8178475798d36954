"""Shared base for modal screens: Textual cuts app bindings off at a modal, so F1 and the
command palette are bound here again."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from ..i18n import _


# F7 selects all of the focused field and F8 empties it, on every screen. A text area already
# selects all on F7 (its own binding, which comes first); a one-line field has only
# ctrl+shift+a, which most terminals cannot send apart from ctrl+a (line start). Textual merges
# BINDINGS only from widget classes, so the screens below list these themselves.
FIELD_BINDINGS = [
    Binding("f7", "select_all_in_field", _("Alles selecteren in het veld"), id="field.select_all",
            show=False),
    Binding("f8", "clear_field", _("Veld leegmaken"), id="field.clear", show=False),
]


class FieldEditing:
    """The actions behind FIELD_BINDINGS."""

    def action_select_all_in_field(self) -> None:
        from textual.widgets import Input, TextArea

        focused = self.focused
        if isinstance(focused, (Input, TextArea)):
            focused.select_all()

    def action_clear_field(self) -> None:
        from textual.widgets import Input, TextArea

        focused = self.focused
        if isinstance(focused, Input):
            focused.value = ""
        elif isinstance(focused, TextArea):
            focused.clear()


class Modal(FieldEditing, ModalScreen):
    BINDINGS = [
        Binding("f1", "app.help", _("Toetsen"), id="modal.help"),
        Binding("ctrl+p", "app.command_palette", _("Opdrachten"), id="modal.palette", show=False),
        *FIELD_BINDINGS,
    ]

    @property
    def server_mode(self) -> bool:
        """Started by ``meldcode serve``: nothing is written to a file on the server."""
        return bool(getattr(self.app, "server_mode", False))

    @property
    def fetch_host(self) -> str:
        """``user@host`` for the ssh commands a coordinator runs on her own computer."""
        from ..config import Config

        return (getattr(self.app, "config", None) or Config()).fetch_host


class BaseScreen(FieldEditing, Screen):
    BINDINGS = [
        Binding("f1", "app.help", _("Toetsen"), id="screen.help"),
        *FIELD_BINDINGS,
    ]
