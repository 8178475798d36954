"""The body map (poptekening) of one signal: ``P`` on a signal in the chronology.

One view at a time (``tab``: voorkant/achterkant), so it fits 80×24. The regions sit on a grid
shaped like a body (``domain/body_map.py``); arrow keys move to the neighbouring region, a
region's letter jumps to it, a mouse click selects it, ``enter`` records a mark there. The
selected region is shown reversed and with ``▶``, and marked regions carry ``●`` and a count,
so nothing depends on colour (NO_COLOR works).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Footer, Static

from ..domain.body_map import BY_ID, MARK_KINDS, VIEWS, in_view, neighbour
from ..i18n import _
from ..text_safety import safe_line
from .base import Modal
from .forms import Field
from .intent_form import open_form, today_iso
from .labels import fmt_date

CELL = 13          # the narrowest grid column, in characters
ROWS = 8


def short_label(region) -> str:
    """The grid cell's form of a region's name (the full name is on the line below the grid)."""
    text = _(region.label)
    for long, short in ((_(" (achter)"), ""), (_(" rechts"), _(" re")), (_(" links"), _(" li")),
                        (_("genitaliën"), _("genitaal"))):
        text = text.replace(long, short)
    return text


def column_widths() -> list[int]:
    """Each grid column as wide as its longest cell ("[▶h:achterhoofd●]"), at least CELL:
    the long names sit in the middle column, so the grid stays 69 wide and fits 80 columns
    without cutting a name."""
    from ..domain.body_map import BY_ID

    widths = [CELL] * 5
    for region in BY_ID.values():
        need = len(f"{region.key}:{short_label(region)}") + 1 + 3   # the ● and "[▶" "]"
        widths[region.col] = max(widths[region.col], need)
    return widths


class BodyFigure(Widget):
    """The grid of one view; ``selected`` is a region id."""

    DEFAULT_CSS = "BodyFigure { height: 8; width: 72; }"

    def __init__(self, view: str, selected: str, counts: dict[str, int], **kwargs):
        super().__init__(**kwargs)
        self.view, self.selected, self.counts = view, selected, counts

    def render(self) -> Text:
        out = Text()
        regions = {(r.row, r.col): r for r in in_view(self.view)}
        widths = column_widths()
        for row in range(ROWS):
            for col in range(5):
                width = widths[col]
                region = regions.get((row, col))
                if region is None:
                    out.append(" " * width)
                    continue
                count = self.counts.get(region.id, 0)
                chosen = region.id == self.selected
                label = f"{region.key}:{short_label(region)}"
                if count:
                    label = f"{label:<{width - 4}}●"
                cell = f"[{'▶' if chosen else ' '}{label[:width - 3]:<{width - 3}}]"
                out.append(cell, style="reverse bold" if chosen else ("bold" if count else ""))
            out.append("\n")
        out.rstrip()
        return out

    def region_at(self, x: int, y: int) -> str | None:
        regions = {(r.row, r.col): r for r in in_view(self.view)}
        left = 0
        for col, width in enumerate(column_widths()):
            if left <= x < left + width:
                region = regions.get((y, col))
                return region.id if region else None
            left += width
        return None


class BodyMapScreen(Modal):
    BINDINGS = [
        Binding("escape", "close", _("Sluiten"), id="bodymap.close"),
        Binding("enter", "mark", _("Letsel vastleggen"), id="bodymap.mark", priority=True),
        Binding("tab", "flip", _("Voor/achter"), id="bodymap.flip", priority=True),
        Binding("up", "move('up')", show=False, priority=True),
        Binding("down", "move('down')", show=False, priority=True),
        Binding("left", "move('left')", show=False, priority=True),
        Binding("right", "move('right')", show=False, priority=True),
    ]
    help_title = _("Poptekening")

    def __init__(self, case_screen, signal_seq: int):
        super().__init__(id="bodymap")
        self.case_screen = case_screen
        self.signal_seq = signal_seq
        self.view = "front"
        self.selected = "chest"

    # -- data ------------------------------------------------------------------------------
    def _marks(self) -> list:
        state = self.app.svc.get_state(self.case_screen.case_id)
        return [m for m in state.body_marks if m.payload.get("signal_seq") == self.signal_seq and not m.erased]

    def _counts(self, marks) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in marks:
            counts[m.payload["region"]] = counts.get(m.payload["region"], 0) + 1
        return counts

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="bodymap-box"):
            yield Static("", id="bodymap-title", classes="dialog-title")
            yield BodyFigure(self.view, self.selected, {}, id="bodymap-figure")
            yield Static("", id="bodymap-region")
            yield Static("", id="bodymap-marks")
            yield Static(_("pijlen/letter: gebied · Enter: letsel vastleggen · Tab: voor/achter · Esc: sluiten"),
                         classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        self._redraw()

    def on_screen_resume(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        marks = self._marks()
        figure = self.query_one(BodyFigure)
        figure.view, figure.selected, figure.counts = self.view, self.selected, self._counts(marks)
        figure.refresh()
        self.query_one("#bodymap-title", Static).update(Text(_(
            "Poptekening bij signaal #{seq} — {view} (links/rechts van de leerling)",
            seq=self.signal_seq, view=_(VIEWS[self.view]))))
        here = [m for m in marks if m.payload["region"] == self.selected]
        self.query_one("#bodymap-region", Static).update(Text(
            _("Gekozen: {region} ({n} vastgelegd)", region=_(BY_ID[self.selected].label), n=len(here)),
            style="bold"))
        kinds = dict(MARK_KINDS)
        lines = [f"#{m.seq} {_(BY_ID[m.payload['region']].label)}: {_(kinds.get(m.payload['what'], ''))}"
                 + "".join(f", {safe_line(m.payload[k])}" for k in ("size", "colour") if m.payload.get(k))
                 + f" ({fmt_date(m.payload.get('observed_on'))}, {safe_line(m.payload.get('observed_by', ''))})"
                 for m in marks[-4:]]
        self.query_one("#bodymap-marks", Static).update(Text("\n".join(lines) or _("Nog geen letsel vastgelegd.")))

    # -- keys and mouse --------------------------------------------------------------------
    def action_move(self, direction: str) -> None:
        self.selected = neighbour(BY_ID[self.selected], direction).id
        self._redraw()

    def action_flip(self) -> None:
        self.view = "back" if self.view == "front" else "front"
        self.selected = "upper_back" if self.view == "back" else "chest"
        self._redraw()

    def on_key(self, event: events.Key) -> None:
        if event.character and len(event.character) == 1 and event.character.isalpha():
            for region in in_view(self.view):
                if region.key == event.character.lower():
                    self.selected = region.id
                    self._redraw()
                    event.stop()
                    return

    def on_click(self, event: events.Click) -> None:
        figure = self.query_one(BodyFigure)
        offset = event.get_content_offset(figure)
        if offset is not None:
            region = figure.region_at(offset.x, offset.y)
            if region is not None:
                self.selected = region
                self._redraw()

    def action_mark(self) -> None:
        region = BY_ID[self.selected]
        fields = [
            Field("what", _("Wat is er te zien"), kind="choice", required=True,
                  options=[(k, _(label)) for k, label in MARK_KINDS]),
            Field("size", _("Grootte (bijv. 3 cm)")),
            Field("colour", _("Kleur")),
            Field("observed_on", _("Gezien op"), kind="date", required=True, default=today_iso(self.case_screen)),
            Field("observed_by", _("Gezien door"), required=True),
            Field("note", _("Toelichting"), kind="area"),
        ]
        open_form(self.case_screen, _("Letsel: {region}", region=_(region.label)), fields, "body_mark_recorded",
                  build=lambda v: {**v, "signal_seq": self.signal_seq, "region": region.id},
                  form_id="form-body-mark")

    def action_close(self) -> None:
        self.dismiss(False)
