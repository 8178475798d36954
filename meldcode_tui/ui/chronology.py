"""The case screen's chronology: a row-cursor ``DataTable`` that does less work per open.

Opening a case was mostly Textual measuring and painting this table: the stock
``DataTable`` measures every cell of every row with Rich before the first paint, and paints
each visible cell through Rich's ``Padding`` and ``Styled`` renderables (about half a
millisecond a cell). The rows here are one line of plain text, cut to fit by the case screen,
so:

- the column widths are given (``set_widths``, computed from the cells' plain text with
  ``cell_len``, which is what Rich measures for a one-line text): no cell is measured;
- the table's own style and its component styles are looked up once per paint, not once
  per line;
- a cell that is one plain line and fits its column is painted directly as the segments
  Rich would produce for it (padding, text, fill, padding, all in the cell's style); anything
  else (styled text, control characters, a cell that does not fit) goes the stock way.

What it paints is the same as the stock table's, segment for segment
(``tests/ui/test_chronology.py`` compares the two). Both overrides lean on ``DataTable``
internals of Textual 8.2; the comparison test fails when an upgrade changes them.
"""

from __future__ import annotations

from typing import Iterable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.geometry import Size
from textual.widgets import DataTable


class ChronologyTable(DataTable):
    """A ``DataTable`` with given column widths and a direct path for plain one-line cells."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._fixed_widths = False
        self._paint: dict | None = None          # styles looked up once per paint (see below)

    # -- widths ------------------------------------------------------------------------------
    def set_widths(self, widths: Iterable[int]) -> None:
        """Give every column its content width (as the stock table would measure it: the
        widest of its label and its cells). Until this is called, the table measures."""
        for column, width in zip(self.ordered_columns, widths):
            column.auto_width = False
            column.width = max(int(width), 0)
            column.content_width = column.width
        self._fixed_widths = True
        self._require_update_dimensions = True
        self._clear_caches()
        self.check_idle()

    def add_rows_above(self, rows: list[tuple[str, tuple]]) -> None:
        """Add ``(key, cells)`` rows that come before every row already present, in their
        order, keeping the cursor on its row and the rows on screen where they are (the rest
        of a long chronology, added after the first paint)."""
        if not rows:
            return
        present = [self._row_locations.get_key(i) for i in range(self.row_count)]
        cursor_row, cursor_column = self.cursor_coordinate
        scroll_y = self.scroll_y
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if not present:
            return
        added = [self._row_locations.get_key(i) for i in range(len(present), self.row_count)]
        # What DataTable.sort does, with the order given rather than sorted.
        self._row_locations = TwoWayDict({key: i for i, key in enumerate(added + present)})
        self._update_count += 1
        self._update_dimensions(list(self._new_rows))   # the new height, before scrolling in it
        self._new_rows.clear()
        self._require_update_dimensions = False
        self.move_cursor(row=cursor_row + len(added), column=cursor_column, scroll=False)
        self.scroll_to(y=scroll_y + len(added), animate=False, immediate=True)
        self.refresh()

    def cursor_to_end(self) -> None:
        """Put the cursor on the last row and scroll there now, also before the first layout:
        the stock table scrolls after the next refresh, so a case's first paint showed the
        chronology's first rows and the next one its end. Before the layout the table has no
        height and any scroll up to its row count is accepted; once its height is known the
        scroll is cut back to the end (Widget._scroll_update), before that paint."""
        if not self.row_count:
            return
        if self._require_update_dimensions and self._fixed_widths:
            self._update_dimensions(list(self._new_rows))
            self._new_rows.clear()
            self._require_update_dimensions = False
        self.move_cursor(row=self.row_count - 1)
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    @staticmethod
    def text_width(text: str) -> int:
        """The width Rich measures for a one-line text."""
        return cell_len(text)

    def _update_dimensions(self, new_rows) -> None:
        if not self._fixed_widths or any(r.auto_height for r in self.rows.values()):
            super()._update_dimensions(new_rows)
            return
        # The stock method, less measuring the new rows' cells: the widths are given and every
        # row is one line high.
        header_height = self.header_height if self.show_header else 0
        width = sum(c.get_render_width(self) for c in self.columns.values())
        self.virtual_size = Size(width + self._row_label_column_width,
                                 self._total_row_height + header_height)

    # -- painting ----------------------------------------------------------------------------
    # The stock table asks for its own style, its background colours and its component styles
    # again for every line it paints; each walks the DOM. Within one paint they cannot change,
    # so they are looked up once per paint.
    def render_lines(self, crop):
        self._paint = {}
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    @property
    def rich_style(self) -> Style:
        paint = self._paint
        if paint is None:
            return super().rich_style
        style = paint.get("rich_style")
        if style is None:
            style = paint["rich_style"] = super().rich_style
        return style

    @property
    def background_colors(self):
        paint = self._paint
        if paint is None:
            return super().background_colors
        colors = paint.get("background_colors")
        if colors is None:
            colors = paint["background_colors"] = super().background_colors
        return colors

    def get_component_styles(self, *names: str):
        paint = self._paint
        if paint is None:
            return super().get_component_styles(*names)
        key = ("component", names)
        styles = paint.get(key)
        if styles is None:
            styles = paint[key] = _PaintStyles(super().get_component_styles(*names))
        return styles

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False):
        is_header = row_index == -1
        if column_index == -1 or (not is_header and (
                row_index < self.fixed_rows or column_index < self.fixed_columns)):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._header_row_key if is_header else self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cache_key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
                     self._update_count, self._pseudo_class_state)
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        if is_header:
            cell = self.ordered_columns[column_index].label
            height = self.header_height
        else:
            cell = self._get_row_renderables(row_index)[1][column_index]
            row = self.rows.get(row_key)
            height = row.height if row is not None and not row.auto_height else 0
        plain = _plain_line(cell)
        pad = self.cell_padding
        used = cell_len(plain) + 2 * pad if plain is not None else 0
        if plain is None or height != 1 or used > width:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        # What Rich yields for Styled(Padding(Text(plain), (0, pad)), pre, post) at this width
        # and a height of one line: every segment in pre + post.
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index})
        component, post = self._get_styles_to_render_cell(
            is_header, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        style = pre + component
        if post:
            style = style + post if style else post
        segments = [Segment(" " * pad, style)] if pad else []
        segments.append(Segment(plain, style))
        if width > used:
            segments.append(Segment(" " * (width - used), style))
        if pad:
            segments.append(Segment(" " * pad, style))
        lines = [segments]
        self._cell_render_cache[cache_key] = lines
        return lines


class _PaintStyles:
    """A component's styles during one paint: its ``rich_style`` is worked out once."""

    __slots__ = ("_styles", "_rich_style")

    def __init__(self, styles) -> None:
        self._styles = styles
        self._rich_style = None

    @property
    def rich_style(self) -> Style:
        if self._rich_style is None:
            self._rich_style = self._styles.rich_style
        return self._rich_style

    def __getattr__(self, name: str):
        return getattr(self._styles, name)


def _plain_line(cell) -> str | None:
    """The cell's text if it is a plain, unstyled, printable one-line ``Text`` (or None)."""
    if type(cell) is not Text or cell.spans or cell.style or cell.justify or cell.overflow:
        return None
    plain = cell.plain
    if not plain or not plain.isprintable():
        return None
    return plain
