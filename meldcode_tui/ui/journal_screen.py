"""The case's journal as recorded, including views, and whether its hash chain verifies."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from ..i18n import _
from .base import BaseScreen
from .labels import event_summary, kind_label


class JournalScreen(BaseScreen):
    """Every event of the case as journalled, including views, and whether the chain verifies."""

    BINDINGS = [
        Binding("escape", "back", _("Terug"), id="journal.back"),
        Binding("v", "verify", _("Controleren"), id="journal.verify"),
    ]

    def __init__(self, case_id: str):
        super().__init__()
        self.case_id = case_id

    @property
    def help_title(self) -> str:
        return _("Journaal {case_id}", case_id=self.case_id)

    def compose(self) -> ComposeResult:
        yield Static(_("Journaal van casus {case_id} (alles wat is vastgelegd, ook wie keek)",
                       case_id=self.case_id), classes="section-title")
        yield Static("", id="journal-verify")
        yield DataTable(id="journal", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()
        self.action_verify()

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        """One row per journalled event; at 80 columns a shorter time and no hash column."""
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        width = self.app.size.width
        with_hash = width >= 110
        ok, events = self.app.guard(self.app.svc.journal, self.case_id)
        events = list(events if ok else [])
        stamp_w = 19 if with_hash else 14
        kind_w = min(max((len(kind_label(ev.kind)) for ev in events), default=5), 30 if with_hash else 16)
        actor_w = min(max((len(ev.actor) for ev in events), default=3), 20 if with_hash else 8)
        seq_w = max((len(str(ev.seq)) for ev in events), default=1)
        fixed = seq_w + stamp_w + kind_w + max(actor_w, 3) + (10 if with_hash else 0)
        n_cols = 6 if with_hash else 5
        what_w = max(16, width - fixed - 2 * n_cols - 2)
        table.add_column("#", width=seq_w)
        table.add_column(_("Tijdstip (UTC)"), width=stamp_w)
        table.add_column(_("Wie"), width=max(actor_w, 3))
        table.add_column(_("Soort"), width=kind_w)
        table.add_column(_("Inhoud"), width=what_w)
        if with_hash:
            table.add_column(_("Hash"), width=10)

        def clip(text: str, n: int) -> str:
            return text if len(text) <= n else text[: n - 1] + "…"

        for ev in events:
            moment = ev.at[:19].replace("T", " ")            # jjjj-mm-dd uu:mm:ss, UTC
            stamp = (f"{moment[8:10]}-{moment[5:7]}-{moment[0:4]} {moment[11:19]}" if with_hash
                     else f"{moment[8:10]}-{moment[5:7]}-{moment[2:4]} {moment[11:16]}")
            cells = [str(ev.seq), stamp, clip(ev.actor, actor_w), clip(kind_label(ev.kind), kind_w),
                     clip(event_summary(ev.kind, ev.payload).replace("\n", " "), what_w)]
            if with_hash:
                cells.append(ev.hash[:10])
            table.add_row(*(Text(c) for c in cells))
        if table.row_count and cursor:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def action_verify(self) -> None:
        ok, result = self.app.guard(self.app.svc.verify)
        label = self.query_one("#journal-verify", Static)
        if not ok:
            label.update(Text(_("Controle niet gelukt."), style="bold red"))
            return
        good = bool(getattr(result, "ok", False))
        detail = getattr(result, "message", "") or ""
        if good:
            head = getattr(result, "head_seq", None) or getattr(result, "checked", None)
            from datetime import datetime

            when = datetime.now().strftime("%H:%M:%S")
            text = (_("Journaal gecontroleerd om {t}: de hele keten klopt ({n} vastleggingen, "
                      "alle casussen).", t=when, n=head) if head else
                    _("Journaal gecontroleerd om {t}: de hele keten klopt.", t=when))
            label.update(Text("✔ " + text + (" " + detail if detail else ""), style="bold green"))
        else:
            label.update(Text("✘ " + _("Journaal NIET in orde:") + " " + str(detail), style="bold red"))

    def action_back(self) -> None:
        self.app.pop_screen()
