"""``A`` on a case: what the AVG asks of the school for this pupil, as a short menu: an
access request decided and its export, the parents' own view, the pupil's leaving date
(retention counts from it) and erasure on request."""

from __future__ import annotations

from ..i18n import N_
from .family import IntentMenu

CHOICES = [
    ("decide_inzage", N_("Inzageverzoek: besluit vastleggen (wie, grondslag, wat niet)")),
    ("export_inzage", N_("Inzage: export volgens het laatste besluit")),
    ("record_zienswijze", N_("Zienswijze van de ouders toevoegen")),
    ("record_pupil_left", N_("Leerling heeft de school verlaten (bewaartermijn)")),
    ("erase_on_request", N_("Wissen op verzoek (gesloten casus)")),
]


class PrivacyMenu(IntentMenu):
    TITLE_TEXT = N_("Privacy (AVG)")
    HINT_TEXT = N_("Enter: kiezen · Esc: annuleren. Alles hier wordt in het journaal vastgelegd.")
    CHOICES = CHOICES
    BOX_ID = "privacy"
