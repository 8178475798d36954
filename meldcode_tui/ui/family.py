"""``n`` on a case: the family and the network around the pupil, as a short menu of intents
(household, professionals, linked sibling cases, "geldt dit ook voor …?").

``IntentMenu`` is the menu itself (a title, choices, a hint; Enter returns the chosen intent);
``ui/privacy_menu.py`` is the other one built on it."""

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
    ("add_household_member", N_("Persoon in het huishouden toevoegen (ouder, verzorger, broer of zus …)")),
    ("add_professional", N_("Betrokken hulpverlener toevoegen")),
    ("end_person", N_("Gekozen persoon of hulpverlener: niet meer betrokken")),
    ("link_case", N_("Koppelen aan de casus van een broer of zus")),
    ("refer_to_linked", N_("Gekozen vastlegging: geldt dit ook voor een broer of zus?")),
]


class IntentMenu(Modal):
    """A short menu of intents; dismisses with the chosen intent's name (None on Esc)."""

    BINDINGS = [Binding("escape", "cancel", _("Annuleren"), id="menu.cancel")]
    TITLE_TEXT = ""                       # N_ strings, translated at use
    HINT_TEXT = ""
    CHOICES: list[tuple[str, str]] = []
    BOX_ID = "menu"

    @property
    def help_title(self) -> str:
        return _(self.TITLE_TEXT)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id=f"{self.BOX_ID}-box"):
            yield Static(_(self.TITLE_TEXT), classes="dialog-title")
            yield OptionList(*[Option(Text(_(label)), id=name) for name, label in self.CHOICES],
                             id=f"{self.BOX_ID}-choices")
            yield Static(_(self.HINT_TEXT), classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.highlighted = 0
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FamilyMenu(IntentMenu):
    TITLE_TEXT = N_("Gezin en netwerk")
    HINT_TEXT = N_("Enter: kiezen · Esc: annuleren. 'Gekozen' = de regel die in de chronologie "
                   "geselecteerd is.")
    CHOICES = CHOICES
    BOX_ID = "family"
