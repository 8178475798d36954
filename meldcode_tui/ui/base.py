"""Shared base for modal screens: Textual cuts app bindings off at a modal, so F1 and the
command palette are bound here again."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from ..i18n import _


class Modal(ModalScreen):
    BINDINGS = [
        Binding("f1", "app.help", _("Toetsen"), id="modal.help"),
        Binding("ctrl+p", "app.command_palette", _("Opdrachten"), id="modal.palette", show=False),
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


class BaseScreen(Screen):
    BINDINGS = [
        Binding("f1", "app.help", _("Toetsen"), id="screen.help"),
    ]
