"""Checkbox and SelectionList that show their state without colour (✔ or blank), for
terminals over SSH with few colours and for screen readers reading the text."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList

ON, OFF = "✔", " "


class Tick(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual reads this class attribute name
        return ON if self.value else OFF


class TickList(SelectionList):
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
