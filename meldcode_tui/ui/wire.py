"""The output layer between Textual's compositor and the terminal: send only the cells that
differ from what the terminal already shows.

Textual repaints whole widget lines (a typed character repaints the field's line, a cursor move
two table rows and whatever else was marked dirty), and renders every segment as
``SGR text RESET``. Over a slow link (SSH from home on a weak mobile connection) those bytes are
the lag. This layer keeps a copy of the terminal's screen (a character and its SGR parameters
per cell), works out which cells of an update really change, and writes only those: one
cursor move per run of changed cells (runs closer than a cursor move are joined), an SGR change
only where the pen changes (the terminal keeps the pen between writes; no reset after each
segment), and the final cursor move only when the cursor is not already there. An update that
changes nothing writes nothing at all, not even the synchronized-output brackets.

What reaches the screen is the same as Textual's own output (tests/ui/test_wire.py compares
both through a terminal emulator); the compositor, the widgets and the snapshots are untouched.
Text passes ``text_safety.strip_controls`` here too (as in the render guard of ui/app.py).
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.segment import ControlType

from ..text_safety import strip_controls

# A run of unchanged cells shorter than this is sent again rather than jumped over: a cursor
# move costs 4-8 bytes.
JOIN_GAP = 4
RESET = "\x1b[0m"


def _groups(codes: str) -> dict[str, str]:
    """SGR parameters by what they set: ``{"fg": "38;5;253", "bg": "48;5;58", "1": "1"}``."""
    out: dict[str, str] = {}
    params = codes.split(";") if codes else []
    i = 0
    while i < len(params):
        p = params[i]
        if p in ("38", "48", "58") and i + 1 < len(params):
            n = 3 if params[i + 1] == "5" else 5
            out[{"38": "fg", "48": "bg", "58": "ul"}[p]] = ";".join(params[i:i + n])
            i += n
            continue
        if p.isdigit() and (30 <= int(p) <= 37 or 90 <= int(p) <= 97):
            out["fg"] = p
        elif p.isdigit() and (40 <= int(p) <= 47 or 100 <= int(p) <= 107):
            out["bg"] = p
        else:
            out[p] = p
        i += 1
    return out


# What switches an attribute off again (ECMA-48; VT220, xterm, the Linux console, screen,
# tmux): normal intensity ends both bold and dim, so a pen that keeps one of them sets it again.
OFF = {"1": "22", "2": "22", "3": "23", "4": "24", "5": "25", "6": "25", "7": "27", "8": "28",
       "9": "29", "21": "24", "53": "55", "fg": "39", "bg": "49", "ul": "59"}


def pen_change(old: str | None, new: str) -> str:
    """The shortest SGR that turns pen ``old`` into ``new``: only what differs (an attribute
    dropped is switched off by its own code: bold by 22, a colour by 39/49), or a reset
    followed by ``new`` when that is shorter or an attribute has no code of its own."""
    full = f"\x1b[0;{new}m" if new else RESET
    if old is None:
        return full
    if old == new:
        return ""
    before, after = _groups(old), _groups(new)
    removed = [k for k in before if k not in after]
    if any(k not in OFF for k in removed):
        return full
    parts: list[str] = []
    for off in dict.fromkeys(OFF[k] for k in removed):
        parts.append(off)
    if "22" in parts:                      # normal intensity also ended a bold or dim kept
        parts += [k for k in ("1", "2") if k in after and k in before]
    parts += [v for k, v in after.items() if before.get(k) != v]
    delta = f"\x1b[{';'.join(parts)}m"
    return delta if len(delta) < len(full) else full


class ScreenCopy:
    """What the terminal shows, cell by cell, and where its cursor and pen are."""

    def __init__(self) -> None:
        self.size: tuple[int, int] = (0, 0)
        self.cells: list[list[tuple[str, str] | None]] = []
        self.unknown = 0                  # cells whose content the terminal may not show yet
        self.cursor: tuple[int, int] | None = None
        self.pen: str | None = None
        self._sgr: dict = {}

    def forget(self) -> None:
        """The terminal's content is unknown (new size, after a suspend): the next update is
        sent in full."""
        width, height = self.size
        self.cells = [[None] * width for _ in range(height)]
        self.unknown = width * height
        self.cursor = None
        self.pen = None

    @property
    def complete(self) -> bool:
        """Every cell of the terminal has been sent: it shows a whole frame."""
        return self.unknown == 0 and self.size != (0, 0)

    def _codes(self, style, color_system) -> str:
        key = (style, color_system)
        codes = self._sgr.get(key)
        if codes is None:
            codes = style._make_ansi_codes(color_system) if style else ""
            self._sgr[key] = codes
        return codes

    def _cells_of(self, update, console):
        """The cells an update paints: {y: {x: (text, sgr)}}; a wide character's second cell
        is ``("", sgr)``."""
        color_system = console._color_system or ColorSystem.TRUECOLOR
        width, height = self.size
        painted: dict[int, dict[int, tuple[str, str]]] = {}
        x = y = 0
        row: dict[int, tuple[str, str]] = {}
        for segment in update.__rich_console__(console, console.options):
            text, style, control = segment
            if control:
                for code in control:
                    if code[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = code[1], code[2]
                        row = painted.setdefault(y, {})
                continue
            if text == "\n" or not text or y >= height:
                continue
            sgr = self._codes(style, color_system)
            for ch in strip_controls(text):
                w = get_character_cell_size(ch)
                if w == 0:
                    # A combining mark belongs to the cell before it.
                    prev = row.get(x - 1)
                    if prev is not None:
                        row[x - 1] = (prev[0] + ch, prev[1])
                    continue
                if x < width:
                    row[x] = (ch, sgr)
                    if w == 2 and x + 1 < width:
                        row[x + 1] = ("", sgr)
                x += w
        return painted

    def render(self, update, console, cursor: tuple[int, int] | None,
               size: tuple[int, int]) -> str:
        """The bytes that bring the terminal from what it shows to ``update``, with the cursor
        at ``cursor`` (None: wherever the writing left it); empty when nothing changes."""
        if size != self.size:
            self.size = size
            self.forget()
        painted = self._cells_of(update, console)
        out: list[str] = []
        width = size[0]
        for y in sorted(painted):
            new_row = painted[y]
            old_row = self.cells[y]
            changed = [x for x, cell in new_row.items() if old_row[x] != cell]
            if not changed:
                continue
            changed.sort()
            runs: list[list[int]] = []
            for x in changed:
                if runs and x - runs[-1][1] <= JOIN_GAP and all(
                        (i in new_row or old_row[i] is not None) for i in range(runs[-1][1] + 1, x)):
                    runs[-1][1] = x
                else:
                    runs.append([x, x])
            for start, end in runs:
                # Never start on the second half of a wide character; end after a wide one.
                while start > 0 and self._cell(new_row, old_row, start)[0] == "":
                    start -= 1
                self._move(out, start, y)
                x = start
                while x <= end or (x < width and self._cell(new_row, old_row, x)[0] == ""):
                    cell = self._cell(new_row, old_row, x)
                    if cell[0] == "":          # covered by the wide character before it
                        self._set(old_row, x, cell)
                        x += 1
                        continue
                    if cell[1] != self.pen:
                        out.append(pen_change(self.pen, cell[1]))
                        self.pen = cell[1]
                    out.append(cell[0])
                    self._set(old_row, x, cell)
                    x += 1
                self.cursor = (x, y) if x < width else None
        if cursor is not None and (out or self.cursor != cursor):
            self._move(out, *cursor)
        return "".join(out)

    def _set(self, row: list, x: int, cell: tuple[str, str]) -> None:
        if row[x] is None:
            self.unknown -= 1
        row[x] = cell

    @staticmethod
    def _cell(new_row, old_row, x):
        cell = new_row.get(x)
        if cell is None:
            cell = old_row[x]
        return cell if cell is not None else (" ", "")

    def _move(self, out: list[str], x: int, y: int) -> None:
        if self.cursor == (x, y):
            return
        if self.cursor is not None and self.cursor[1] == y:
            n = x - self.cursor[0]
            if n > 0:
                out.append("\x1b[C" if n == 1 else f"\x1b[{n}C")
            else:
                out.append("\x1b[D" if n == -1 else f"\x1b[{-n}D")
        else:
            out.append(f"\x1b[{y + 1};{x + 1}H")
        self.cursor = (x, y)
