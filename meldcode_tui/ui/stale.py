"""What a colleague recorded since a screen was opened (who, what, when; never the content),
for the screens that record without a FormScreen (weighing wizard, signal picker)."""

from __future__ import annotations

from ..errors import StaleCase
from ..i18n import _


def added_lines(exc: StaleCase) -> str:
    from .labels import fmt_datetime, kind_label

    return "\n".join(_("{when} · {who}: {what}", when=fmt_datetime(a.get("at") or ""),
                       who=a.get("actor", ""), what=kind_label(a.get("kind", "")))
                     for a in exc.added[-6:])


def ask(screen, exc: StaleCase, then) -> None:
    """A decision on a moved case: show what was added in the screen's error line and ask;
    ``then()`` runs on "save anyway". The input stays as typed either way."""
    from .dialogs import ConfirmScreen

    added = added_lines(exc)
    screen.show_error(_("Sinds u dit formulier opende is er op deze casus vastgelegd:") + "\n"
                      + added, _("Uw invoer staat er nog. Bevestig om toch op te slaan."))

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    screen.app.push_screen(ConfirmScreen(
        _("Sinds u dit formulier opende is er op deze casus vastgelegd:") + "\n" + added + "\n\n"
        + _("Toch opslaan? (N: terug naar het formulier, uw invoer blijft staan)")), answered)


def notice(app, exc: StaleCase) -> None:
    """A plain record on a moved case saves straight through; say what was added."""
    app.notify(_("Intussen vastgelegd door een collega:") + "\n" + added_lines(exc),
               title=_("Nieuw op deze casus"), severity="information")
