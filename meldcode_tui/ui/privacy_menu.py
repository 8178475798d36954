"""``A`` on a case: what the AVG asks of the school for this pupil, as a short menu (issue 15):
an access request decided and its export, the parents' own view, the pupil's leaving date
(retention counts from it) and erasure on request."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import N_, _
from .base import Modal

CHOICES = [
    ("decide_inzage", N_("Inzageverzoek: besluit vastleggen (wie, grondslag, wat niet)")),
    ("export_inzage", N_("Inzage: export volgens het laatste besluit")),
    ("record_zienswijze", N_("Zienswijze van de ouders toevoegen")),
    ("record_pupil_left", N_("Leerling heeft de school verlaten (bewaartermijn)")),
    ("erase_on_request", N_("Wissen op verzoek (gesloten casus)")),
]


class PrivacyMenu(Modal):
    BINDINGS = [Binding("escape", "cancel", _("Annuleren"), id="privacy.cancel")]
    help_title = _("Privacy (AVG)")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="privacy-box"):
            yield Static(_("Privacy (AVG)"), classes="dialog-title")
            yield OptionList(*[Option(Text(_(label)), id=name) for name, label in CHOICES],
                             id="privacy-choices")
            yield Static(_("Enter: kiezen · Esc: annuleren. Alles hier wordt in het journaal "
                           "vastgelegd."), classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.highlighted = 0
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
