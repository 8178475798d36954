"""The floor for the dashboard's layout: a bare Textual app with a header, a row-cursor
DataTable with the dashboard's eight columns and 200 rows of fixed fictional text, and a
footer. Nothing of meldcode is imported. ``bench_side_by_side.py`` starts it as a process and
times it against the real app.

    .venv/bin/python bench/floor_app.py          # to look at it (q quits)
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

COLUMNS = ("Leerling", "Groep", "Lft", "Stap", "Status", "Volgende termijn", "Gewijzigd", "Eigenaar")
STEPS = ("1 Signalen", "2 Consultatie", "3 Gesprek", "4 Wegen", "5 Beslissen")


def rows(n: int = 200) -> list[tuple[str, ...]]:
    return [(f"Leerling {i:03d} (fictief)", f"groep {i % 8 + 1}", str(4 + i % 12), STEPS[i % 5],
             "open", f"{1 + i % 28:02d}-03-2026 Weging afronden", f"{1 + i % 28:02d}-02-2026",
             "coordinator") for i in range(n)]


class FloorApp(App):
    BINDINGS = [Binding("q", "quit", "Stoppen")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.add_rows(rows())
        table.focus()


if __name__ == "__main__":
    FloorApp().run()
