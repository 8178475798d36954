"""A virtualised, row-cursor table for the dashboard (Textual's Line API).

It holds no rows of its own: it knows how many there are and asks a ``fetch(offset, limit)``
callback for a page when a line it must paint is not in its page cache. Only the lines on
screen are rendered, so a board's 10,000 cases cost what the 38 visible ones cost. The header
line stays put while the rows scroll under it.
"""

from __future__ import annotations

from typing import Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

# One row as the table paints it: its key and its cells, each (text, rich style or "").
Row = tuple[str, Sequence[tuple[str, str]]]
Fetch = Callable[[int, int], list[Row]]


class CaseTable(ScrollView, can_focus=True):
    """Rows ``0 .. row_count-1`` fetched a page at a time; a cursor that scrolls into view."""

    COMPONENT_CLASSES = {"case-table--header", "case-table--cursor", "case-table--even-row",
                         "case-table--odd-row"}

    DEFAULT_CSS = """
    CaseTable {
        background: $surface;
        color: $foreground;
        & > .case-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .case-table--even-row { background: $surface-lighten-1 50%; }
        & > .case-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .case-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .case-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .case-table--even-row { background: $surface-darken-1 40%; }
    }
    """

    BINDINGS = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home,ctrl+home", "first", show=False),
        Binding("end,ctrl+end", "last", show=False),
    ]

    class Selected(Message):
        """A row was chosen (mouse click on it)."""

        def __init__(self, table: "CaseTable", key: str, index: int) -> None:
            super().__init__()
            self.table = table
            self.key = key
            self.index = index

        @property
        def control(self) -> "CaseTable":
            return self.table

    def __init__(self, *, page_size: int = 100, id: str | None = None) -> None:
        super().__init__(id=id)
        self.page_size = page_size
        self.columns: list[tuple[str, int]] = []       # (header, width incl. the gap)
        self.row_count = 0
        self.cursor_row = 0
        self._fetch: Fetch = lambda offset, limit: []
        self._pages: dict[int, list[Row]] = {}
        self._styles: dict[str, Style] = {}
        self.fetches = 0                                 # pages read (for the bench and tests)

    # -- data ------------------------------------------------------------------------------
    def set_data(self, columns: list[tuple[str, int]], row_count: int, fetch: Fetch,
                 cursor: int | None = None) -> None:
        """New columns, count and source; cached pages are dropped. The cursor stays at its
        index (clamped) unless ``cursor`` is given; the scroll position stays where it can."""
        self.columns = list(columns)
        self.row_count = max(int(row_count), 0)
        self._fetch = fetch
        self._pages.clear()
        if cursor is not None:
            self.cursor_row = cursor
        self.cursor_row = min(max(self.cursor_row, 0), max(self.row_count - 1, 0))
        width = sum(w for _h, w in self.columns)
        self.virtual_size = Size(width, self.row_count + 1)
        self._scroll_cursor_into_view(animate=False)
        self.refresh()

    def total_width(self) -> int:
        return sum(w for _h, w in self.columns)

    def headers(self) -> list[str]:
        return [h for h, _w in self.columns]

    def row_at(self, index: int) -> Row | None:
        """The row at ``index`` (from the page cache, else one page is fetched)."""
        if not 0 <= index < self.row_count:
            return None
        page, at = divmod(index, self.page_size)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._fetch(page * self.page_size, self.page_size)
            self.fetches += 1
            self._pages[page] = rows
            if len(self._pages) > 20:                    # keep memory flat on long scrolls
                for old in sorted(self._pages, key=lambda p: abs(p - page))[20:]:
                    del self._pages[old]
        return rows[at] if at < len(rows) else None

    def get_row_at(self, index: int) -> list[str]:
        """The cell texts of row ``index`` (as shown, cut to their column)."""
        row = self.row_at(index)
        return [text for text, _style in row[1]] if row else []

    def key_at(self, index: int) -> str | None:
        row = self.row_at(index)
        return row[0] if row else None

    @property
    def cursor_key(self) -> str | None:
        return self.key_at(self.cursor_row) if self.row_count else None

    # -- cursor ----------------------------------------------------------------------------
    @property
    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def move_cursor(self, row: int) -> None:
        if not self.row_count:
            return
        old = self.cursor_row
        self.cursor_row = min(max(row, 0), self.row_count - 1)
        if old != self.cursor_row:
            self.refresh_line(old + 1)
            self.refresh_line(self.cursor_row + 1)
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        top = int(self.scroll_y)
        height = self._body_height
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._body_height)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._body_height)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def on_click(self, event: events.Click) -> None:
        y = event.y - self.gutter.top
        if y < 1:
            return
        index = int(self.scroll_y) + y - 1
        if 0 <= index < self.row_count:
            self.move_cursor(index)
            key = self.key_at(index)
            if key is not None:
                self.post_message(self.Selected(self, key, index))

    def on_resize(self) -> None:
        self._scroll_cursor_into_view()

    # -- painting --------------------------------------------------------------------------
    def _style(self, spec: str) -> Style:
        style = self._styles.get(spec)
        if style is None:
            style = self._styles[spec] = Style.parse(spec) if spec else Style()
        return style

    def _line(self, cells: Sequence[tuple[str, str]], base: Style, cursor: Style | None) -> Strip:
        segments = []
        for (text, spec), (_h, width) in zip(cells, self.columns):
            style = base + self._style(spec)
            if cursor is not None:
                style += cursor
            segments.append(Segment(text[:width].ljust(width), style))
        return Strip(segments)

    def render_lines(self, crop):
        self._base = self.rich_style          # once per paint, not per line (it walks the DOM)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_x)
        base = getattr(self, "_base", None) or self.rich_style
        if y == 0:
            header = base + self.get_component_rich_style("case-table--header")
            strip = self._line([(h, "") for h, _w in self.columns], header, None)
            return strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, header)
        index = int(self.scroll_y) + y - 1
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, base)
        stripe = "case-table--odd-row" if index % 2 else "case-table--even-row"
        row_style = base + self.get_component_rich_style(stripe)
        cursor = self.get_component_rich_style("case-table--cursor") \
            if index == self.cursor_row else None
        strip = self._line(row[1], row_style, cursor)
        fill = row_style + cursor if cursor is not None else row_style
        return strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, fill).simplify()
