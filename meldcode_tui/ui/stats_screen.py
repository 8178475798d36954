"""The "Cijfers" screen: the school's anonymous figures as pictures (coordinator and auditor).

Bars per month and per category and a step-duration plot, drawn with block characters: readable
at 80x24, the same without colour (NO_COLOR), and drawn from the PUBLISHED cells only (a "<5"
is a stub with "<5" next to it, never its true length), so the picture cannot show more than
the table does. Every opening (and every other school year looked at) is journalled.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from ..domain.anonymity import MASKED, SMALL
from ..i18n import _
from .base import BaseScreen

BAR = "█"
STUB = "▏"
HALF = "░"


def _number(cell: str) -> int | None:
    return int(cell) if cell.isdigit() else None


def bar_lines(labels: list[str], cells: list[str], width: int, label_width: int) -> list[str]:
    """One line per label: a bar scaled to the largest shown number, then the cell as shown."""
    numbers = [_number(c) for c in cells]
    top = max([n for n in numbers if n is not None] or [1]) or 1
    room = max(4, width - label_width - 6)
    lines = []
    for label, cell, n in zip(labels, cells, numbers):
        text = label if len(label) <= label_width else label[: label_width - 1] + "…"
        if n is None:
            bar = STUB if cell == SMALL else "·" if cell == MASKED else ""
        else:
            bar = BAR * max(1, round(n * room / top)) if n else ""
        lines.append(f"{text.ljust(label_width)} {bar} {cell}")
    return lines


def duration_lines(table, width: int, label_width: int) -> list[str]:
    """Median as a full bar, on to the 90th percentile as a light bar; too few cases: said."""
    values = []
    for row in table.cells:
        med = row[1].replace(",", ".")
        values.append((float(med) if med not in ("-", "") else None,
                       int(row[2]) if row[2].isdigit() else None))
    top = max([p for _m, p in values if p is not None] or [1]) or 1
    room = max(4, width - label_width - 22)
    lines = []
    for label, row, (med, p90) in zip(table.rows, table.cells, values):
        text = label if len(label) <= label_width else label[: label_width - 1] + "…"
        if med is None or p90 is None:
            lines.append(f"{text.ljust(label_width)} " + _("te weinig casussen ({n})", n=row[0]))
            continue
        full = round(med * room / top)
        light = max(0, round(p90 * room / top) - full)
        lines.append(f"{text.ljust(label_width)} {BAR * full}{HALF * light} "
                     + _("{m} / {p} dg", m=row[1], p=row[2]))
    return lines


class StatsScreen(BaseScreen):
    """The school's figures for a school year, as bars; [ and ] go a school year back/on."""

    BINDINGS = [
        Binding("escape", "back", _("Terug"), id="stats.back"),
        Binding("left_square_bracket", "year(-1)", _("Vorig schooljaar"), id="stats.previous"),
        Binding("right_square_bracket", "year(1)", _("Volgend schooljaar"), id="stats.next"),
        Binding("s", "training", _("Scholing"), id="stats.training"),
        Binding("e", "evaluation", _("Jaarevaluatie"), id="stats.evaluation"),
    ]

    def __init__(self):
        super().__init__()
        self.year: int | None = None
        self.figures = None

    @property
    def help_title(self) -> str:
        return _("Cijfers")

    def compose(self) -> ComposeResult:
        yield Static("", id="stats-title", classes="section-title")
        with VerticalScroll(id="stats-body"):
            yield Static("", id="stats-charts")
        yield Footer()

    def on_mount(self) -> None:
        self._load()
        self.query_one("#stats-body").focus()

    def on_resize(self) -> None:
        self._draw()

    def _load(self) -> None:
        from ..service_layer.stats import FigureViews

        views = FigureViews(self.app.svc)
        if self.year is None:
            self.year = views.period().start.year
        ok, figures = self.app.guard(views.school_figures, views.period(self.year), output="screen")
        self.figures = figures if ok else None
        self._draw()

    def _draw(self) -> None:
        f = self.figures
        if f is None:
            return
        self.query_one("#stats-title", Static).update(
            _("Cijfers Meldcode - {period} (anoniem: '<5' is minder dan 5)", period=f.period))
        width = max(40, self.app.size.width - 4)
        label_w = 14 if width < 100 else 24
        out: list[str] = []
        act = f.table("activity")
        opened = act.cells[0][:-1]
        out += [_("Casussen geopend per maand (totaal {n})", n=act.cells[0][-1]), ""]
        out += bar_lines(act.columns[:-1], opened, width, 4)
        out += ["", _("Meldingen bij Veilig Thuis per maand (totaal {n})", n=act.cells[4][-1]), ""]
        out += bar_lines(act.columns[:-1], act.cells[4][:-1], width, 4)
        sig = f.table("signals")
        out += ["", _("Signalen per categorie (hele periode)"), ""]
        out += bar_lines(sig.rows, [row[-1] for row in sig.cells], width, label_w)
        closed = f.table("closed")
        out += ["", _("Afgesloten casussen per reden"), ""]
        out += bar_lines(closed.rows, [row[-1] for row in closed.cells], width, label_w)
        dur = f.table("durations")
        out += ["", _("Dagen van het eerste signaal tot elke stap (█ mediaan, ░ tot het 90e percentiel)"), ""]
        out += duration_lines(dur, width, label_w)
        dl = f.table("deadlines")
        out += ["", _("Termijnen (totaal per soort; gemist = te laat of nog open)"), ""]
        for label, row in zip(dl.rows, dl.cells):
            out.append(f"{label[:label_w].ljust(label_w)} " + _(
                "op tijd {a}, te laat {b}/{c}/{d}, open {e}", a=row[0], b=row[1], c=row[2],
                d=row[3], e=row[4]))
        from rich.text import Text

        self.query_one("#stats-charts", Static).update(Text("\n".join(out)))

    def action_year(self, step: int) -> None:
        self.year = (self.year or 2000) + int(step)
        self._load()

    def action_training(self) -> None:
        from .training_screen import TrainingScreen

        self.app.push_screen(TrainingScreen())

    def action_evaluation(self) -> None:
        from .training_screen import EvaluationScreen

        self.app.push_screen(EvaluationScreen(self.year or 2000))

    def action_back(self) -> None:
        self.app.pop_screen()
