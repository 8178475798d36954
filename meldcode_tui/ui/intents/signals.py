"""Step 1: signals and the body map of a signal."""

from __future__ import annotations

from ...i18n import _
from ..intent_form import selected_record
from . import register


@register("record_signal")
def record_signal(screen) -> None:
    from ..signals import SignalPicker

    screen.app.push_screen(SignalPicker(screen.case_id, screen.state), screen.after_write)


@register("body_map")
def body_map(screen) -> None:
    """``P``: the body map of the signal selected in the chronology."""
    from ..body_map import BodyMapScreen

    seq, rec = selected_record(screen)
    if rec is None or rec.kind != "signal_recorded":
        screen.app.notify(_("Kies eerst in de chronologie het signaal waar het letsel bij hoort (Tab naar de "
                            "chronologie, dan P)."), severity="warning")
        return
    screen.app.push_screen(BodyMapScreen(screen, seq), screen.after_write)
