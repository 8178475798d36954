"""One record of the chronology in full, with its corrections, and the correction form."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from ..i18n import _
from .base import Modal
from ..text_safety import safe, safe_line
from .labels import field_label, kind_label


class RecordScreen(Modal):
    """One record of the chronology in full (the table shows one line), with its corrections."""

    BINDINGS = [
        Binding("escape,enter", "close", _("Sluiten"), id="record.close"),
        Binding("k", "correct", _("Corrigeren"), id="record.correct"),
    ]
    help_title = _("Vastlegging")

    def __init__(self, case_screen, event, record):
        super().__init__(id="record")
        self.case_screen = case_screen
        self.event = event
        self.record = record

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll

        ev = self.event
        with Vertical(classes="dialog", id="detail-box"):
            yield Static(_("#{seq} {kind}", seq=ev.seq, kind=kind_label(ev.kind)), classes="dialog-title")
            yield Static(_("Vastgelegd door {actor} op {at} (UTC)", actor=ev.actor,
                           at=ev.at[:19].replace("T", " ")), classes="form-intro")
            with VerticalScroll(id="detail-body"):
                yield Static(self._body())
            yield Static(_("K: corrigeren · Esc: sluiten"), classes="dialog-hint")
        yield Footer()

    def _body(self) -> Text:
        from ..domain.vocabulary import LABELS

        payload = self.record.payload if self.record is not None else (self.event.payload or {})
        text = Text()
        if self.event.payload is None:
            text.append(_("(inhoud gewist)"))
            return text

        def show(value) -> str:
            if isinstance(value, bool):
                return _("ja") if value else _("nee")
            if value is None or value == "":
                return "—"
            if isinstance(value, list):
                return ", ".join(show(v) for v in value)
            if isinstance(value, dict):
                return "; ".join(f"{field_label(k)}: {show(v)}" for k, v in value.items())
            if isinstance(value, str) and value in LABELS:
                return _(LABELS[value])
            return safe(value)

        host = self.app.plugin_host
        for key, value in payload.items():
            text.append(f"{field_label(key)}: ", style="bold")
            if key == "grounds" and value == "other":      # LABELS["other"] is "andere bron"
                text.append(_("andere reden") + "\n")
                continue
            if key == "catalogue" and isinstance(value, dict) and host is not None \
                    and hasattr(host, "describe_signal_ref"):
                try:
                    text.append(safe(host.describe_signal_ref(value)) + "\n")
                    continue
                except Exception:  # noqa: BLE001 - fall back to the stored reference
                    pass
            text.append(show(value) + "\n")
        for corr in getattr(self.record, "corrections", []) or []:
            text.append("\n" + _("Gecorrigeerd (#{seq}, {actor}): {reason}", seq=corr.seq, actor=safe_line(corr.actor),
                                 reason=safe(corr.reason)) + "\n", style="yellow")
            original = getattr(self.record, "original", {}) or {}
            for k, v in corr.changes.items():
                text.append(f"  {field_label(k)}: {show(original.get(k))} → {show(v)}\n")
        return text

    def action_close(self) -> None:
        self.dismiss(None)

    def action_correct(self) -> None:
        self.dismiss(None)
        self.case_screen.action_intent("correct_record")
