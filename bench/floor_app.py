"""The floors: ``FloorApp`` for the dashboard's layout: a bare Textual app with a header, a row-cursor
DataTable with the dashboard's eight columns and 200 rows of fixed fictional text, and a
footer. Nothing of meldcode is imported. ``bench_side_by_side.py`` starts it as a process and
times it against the real app. ``FloorCaseScreen`` is the floor for opening a case: a bare
screen with the case screen's layout (two header lines, a list of open points, a row-cursor
``DataTable`` with the same rows as the case's chronology, a footer of eight keys), pushed on
the running app and timed like the case screen.

    .venv/bin/python bench/floor_app.py          # to look at it (q quits)
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static, TextArea

COLUMNS = ("Leerling", "Groep", "Lft", "Stap", "Status", "Volgende termijn", "Gewijzigd", "Eigenaar")
STEPS = ("1 Signalen", "2 Consultatie", "3 Gesprek", "4 Wegen", "5 Beslissen")


def rows(n: int = 200) -> list[tuple[str, ...]]:
    return [(f"Leerling {i:03d} (fictief)", f"groep {i % 8 + 1}", str(4 + i % 12), STEPS[i % 5],
             "open", f"{1 + i % 28:02d}-03-2026 Weging afronden", f"{1 + i % 28:02d}-02-2026",
             "coordinator") for i in range(n)]


class FloorForm(ModalScreen):
    """A stock TextArea in a modal (the floor of typing into a form's text area, pty_bench.py)."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Terug")]

    def compose(self) -> ComposeResult:
        yield TextArea("", soft_wrap=True)
        yield Footer()


class FloorApp(App):
    BINDINGS = [Binding("q", "quit", "Stoppen"), Binding("n", "form", "Nieuw")]

    def action_form(self) -> None:
        self.push_screen(FloorForm())

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.add_rows(rows())
        table.focus()


class FloorCaseScreen(Screen):
    """Header lines, open points, the chronology's rows in a stock DataTable (cursor on the last
    row, scrolled there), a footer; nothing else."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Terug")] + [
        Binding(k, "app.bell", d) for k, d in (("space", "Volgend punt"), ("s", "Signaal"),
                                                ("g", "Gesprek"), ("c", "Consultatie"),
                                                ("w", "Afwegen"), ("v", "Stap afronden"),
                                                ("b", "Besluit"))]

    def __init__(self, header: str, points: list[str], rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.header, self.points, self.rows = header, points, rows

    def compose(self):
        yield Static(self.header, id="case-header")
        yield Static("1 Signalen  2 Consultatie  3 Gesprek  4 Wegen  5 Beslissen", id="case-steps")
        yield Static("Wat nu?")
        yield OptionList(*self.points, id="points")
        yield Static("Chronologie")
        yield DataTable(id="chronology", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        from rich.text import Text

        table = self.query_one(DataTable)
        table.add_columns("#", "Datum", "Soort", "Wat", "Wie")
        for row in self.rows:
            table.add_row(*(Text(c) for c in row))
        table.move_cursor(row=table.row_count - 1)
        self.query_one(OptionList).focus()


if __name__ == "__main__":
    FloorApp().run()
