"""The attachments of a case (``i`` on the case screen): what is attached, and the commands
that add or fetch one.

A file never travels through the terminal: over SSH the coordinator runs the shown command on
her *own* computer (``ssh … attach … < brief.pdf`` / ``ssh … fetch … > bijlage.pdf``), locally
the ``meldcode`` command. Enter copies the highlighted attachment's fetch command, ``n`` the
command that adds one, to her clipboard (OSC 52). Only what the app composed itself reaches the
clipboard: case id, number and a file name from the media type, each quoted.
"""

from __future__ import annotations

import shlex

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from ..domain.attachments import extension, human_size, label
from ..i18n import _
from ..text_safety import safe_line
from .base import Modal
from .labels import fmt_datetime


def fetch_command(case_id: str, seq: int, media_type: str, *, server: bool, host: str) -> str:
    filename = f"{case_id}-bijlage-{seq}.{extension(media_type)}"
    if server:
        return (f"ssh -T {shlex.quote(host)} fetch {shlex.quote(case_id)} {int(seq)} "
                f"> {shlex.quote(filename)}")
    return f"meldcode fetch {shlex.quote(case_id)} {int(seq)} -o {shlex.quote(filename)}"


def attach_command(case_id: str, *, server: bool, host: str) -> str:
    title = _("waar het over gaat")
    if server:
        return (f"ssh -T {shlex.quote(host)} attach {shlex.quote(case_id)} --title "
                f"{shlex.quote(title)} < {_('BESTAND')}")
    return f"meldcode attach {shlex.quote(case_id)} {_('BESTAND')} --title {shlex.quote(title)}"


class AttachmentsScreen(Modal):
    BINDINGS = [
        Binding("escape", "close", _("Sluiten"), id="attachments.close"),
        Binding("enter", "copy_fetch", _("Ophaalopdracht kopiëren"), id="attachments.copy_fetch",
                priority=True),
        Binding("n", "copy_attach", _("Toevoegopdracht kopiëren"), id="attachments.copy_attach"),
    ]
    help_title = _("Bijlagen")

    def __init__(self, case_id: str):
        super().__init__(id="attachments")
        self.case_id = case_id
        self.records: list = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="attachments-box"):
            yield Static(_("Bijlagen van casus {case_id}", case_id=self.case_id), classes="dialog-title")
            yield Static("", id="attachments-intro", classes="form-intro")
            yield DataTable(id="attachments-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="attachments-fetch")
            yield Static("", id="attachments-add")
            yield Static(_("Enter: ophaalopdracht kopiëren · n: toevoegopdracht kopiëren · Esc: sluiten"),
                         classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        ok, state = self.app.guard(self.app.svc.get_state, self.case_id)
        if not ok:
            self.dismiss(False)
            return
        self.records = list(state.attachments)
        table = self.query_one(DataTable)
        table.add_columns("#", _("Titel"), _("Soort"), _("Grootte"), _("Toegevoegd"), _("Door"))
        for rec in self.records:
            p = rec.payload or {}
            if rec.erased:
                table.add_row(str(rec.seq), _("(gewist)"), "", "", fmt_datetime(rec.at), safe_line(rec.actor),
                              key=str(rec.seq))
                continue
            table.add_row(str(rec.seq), safe_line(p.get("title", ""))[:60], label(p.get("media_type", "")),
                          human_size(int(p.get("size") or 0)), fmt_datetime(rec.at), safe_line(rec.actor),
                          key=str(rec.seq))
        where = (_("Op uw eigen computer uitvoeren; er komt geen bestand op de server.") if self.server_mode
                 else _("Uitvoeren in een terminal op deze computer."))
        if not self.records:
            where = _("Nog geen bijlagen. ") + where
        self.query_one("#attachments-intro", Static).update(Text(where))
        add = attach_command(self.case_id, server=self.server_mode, host=self.fetch_host)
        self.query_one("#attachments-add", Static).update(Text(_("Toevoegen: {cmd}", cmd=add)))
        self._show_fetch()
        table.focus()

    def _current(self):
        table = self.query_one(DataTable)
        if not self.records or table.cursor_row is None:
            return None
        rec = self.records[min(table.cursor_row, len(self.records) - 1)]
        return None if rec.erased else rec

    def _fetch_text(self, rec) -> str:
        return fetch_command(self.case_id, rec.seq, rec.payload.get("media_type", ""),
                             server=self.server_mode, host=self.fetch_host)

    def _show_fetch(self) -> None:
        rec = self._current()
        text = _("Ophalen: {cmd}", cmd=self._fetch_text(rec)) if rec is not None else ""
        self.query_one("#attachments-fetch", Static).update(Text(text))

    def on_data_table_row_highlighted(self, _event) -> None:
        self._show_fetch()

    def action_copy_fetch(self) -> None:
        rec = self._current()
        if rec is None:
            self.app.notify(_("Er is geen bijlage om op te halen."), severity="warning")
            return
        self.app.copy_to_clipboard(self._fetch_text(rec))
        self.app.notify(_("De ophaalopdracht voor bijlage #{seq} staat op uw klembord; het ophalen wordt "
                          "in het journaal vastgelegd.", seq=rec.seq))

    def action_copy_attach(self) -> None:
        self.app.copy_to_clipboard(attach_command(self.case_id, server=self.server_mode, host=self.fetch_host))
        self.app.notify(_("De toevoegopdracht staat op uw klembord: vul de titel en het bestand in."))

    def action_close(self) -> None:
        self.dismiss(False)
