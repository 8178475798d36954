"""Form widgets for a keyboard over SSH: a Checkbox and SelectionList that show their state
without colour (✔ or blank), for terminals with few colours and for screen readers reading
the text; and a Select that picks by its first letters and speaks Dutch."""

from __future__ import annotations

from time import monotonic

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import Checkbox, Select, SelectionList
from textual.widgets._select import SelectOverlay

from ..domain.anonymity import normalise as _fold   # 'Één' and 'een' alike: no case, no accents
from ..i18n import _

ON, OFF = "✔", " "


class Tick(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual reads this class attribute name
        return ON if self.value else OFF


class TickList(SelectionList):
    """A list of ticks; a digit ticks or unticks that option at once (the conversation's four
    elements are four keys, not four fields with Tabs between), "+" ticks them all. Not a text
    field, so the digits collide with no editing key."""

    def on_key(self, event: events.Key) -> None:
        if not self.has_class("field-multi"):     # a form's field, where the numbers show
            return
        char = event.character or ""
        count = self.option_count
        if char.isdigit() and 1 <= int(char) <= min(count, 9):
            self.toggle(self.get_option_at_index(int(char) - 1).value)
            self.highlighted = int(char) - 1
        elif char == "+":
            self.select_all()
        else:
            return
        event.stop()
        event.prevent_default()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        _, scroll_y = self.scroll_offset
        try:
            option = self.get_option_at_index(scroll_y + y)
        except Exception:  # noqa: BLE001 - beyond the last option
            return strip
        segments = list(strip)
        if len(segments) < 3:
            return strip
        mark = ON if option.value in self._selected else OFF
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments)


class DutchSelectOverlay(SelectOverlay):
    """The open list of a Select; its one footer key in Dutch ("esc Dismiss menu" otherwise)."""

    BINDINGS = [Binding("escape", "dismiss", _("Lijst sluiten"), id="select.dismiss")]


TYPE_AHEAD_SECONDS = 1.0


class PickSelect(Select):
    """A Select that picks as you type, without opening it (Enter, arrows, Enter for every
    choice was most of a form's keystrokes). Letters typed within a second of each other
    form a prefix ("ve" → "veilig thuis"); the same letter again goes to the next option that
    starts with it. Accents and case do not matter. Space, Enter and the arrows open the list
    as before; in the open list Textual's own type-to-search works."""

    BINDINGS = [
        Binding("enter,down,space,up", "show_overlay", _("Keuzelijst openen"), show=False),
    ]

    def __init__(self, options, **kwargs):
        self._typed = ""
        self._typed_at = 0.0
        super().__init__(options, **kwargs)

    def compose(self):
        for child in super().compose():
            if isinstance(child, SelectOverlay) and not isinstance(child, DutchSelectOverlay):
                child = DutchSelectOverlay(type_to_search=self._type_to_search).data_bind(
                    compact=Select.compact)
            yield child

    def _choices(self) -> list[tuple[str, object]]:
        return [(_fold(str(prompt)), value) for prompt, value in self._options
                if value is not Select.NULL]

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if self.expanded or not char or len(char) != 1 or not char.isprintable() or char == " ":
            return
        now = monotonic()
        letter = _fold(char)
        fresh = now - self._typed_at > TYPE_AHEAD_SECONDS
        self._typed = letter if fresh else self._typed + letter
        self._typed_at = now
        choices = self._choices()
        if not choices:
            return
        values = [v for _, v in choices]
        current = values.index(self.value) if self.value in values else -1
        if len(self._typed) > 1 and set(self._typed) == {letter}:
            prefix = letter          # the same letter again: cycle through its options
        else:
            prefix = self._typed
        order = choices[current + 1:] + choices[:current + 1] if prefix == letter else choices
        for label, value in order:
            if label.startswith(prefix) or (len(prefix) > 1 and prefix in label):
                self.value = value
                break
        event.stop()
        event.prevent_default()
