"""The "Cijfers" screen: the school's anonymous figures as pictures (coordinator and auditor).

Bars per month and per category and a step-duration plot, drawn with textual-plotext (a
maintained Textual wrapper of plotext): readable at 80x24, the same without colour (NO_COLOR:
the bars are block characters, the median and the 90th percentile differ by their character,
not their colour). Every picture is drawn from the PUBLISHED cells only: a "<5" (or a cell
hidden so that a total cannot give it away) is drawn as 0 and labelled with what the table
shows, never its true length, so the picture cannot show more than the table does. Every
opening (and every other school year looked at) is journalled.
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


def shown_values(cells: list[str]) -> list[int]:
    """The length each published cell may be drawn with: its number, or 0 for "<5" and hidden."""
    return [n if (n := _number(c)) is not None else 0 for c in cells]


def _fit(label: str, width: int) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _ticks(top: float, count: int = 4) -> list[int]:
    """Whole-number ticks from 0 to at least ``top`` (counts and days have no fractions)."""
    step = max(1, -(-int(top) // count))
    return list(range(0, int(top) + step + 1, step))[: count + 2]


def bar_lines(labels: list[str], cells: list[str], width: int, label_width: int) -> list[str]:
    """One line per label: a bar scaled to the largest shown number, then the cell as shown."""
    numbers = [_number(c) for c in cells]
    top = max([n for n in numbers if n is not None] or [1]) or 1
    room = max(4, width - label_width - 6)
    lines = []
    for label, cell, n in zip(labels, cells, numbers):
        text = _fit(label, label_width)
        if n is None:
            bar = STUB if cell == SMALL else "·" if cell == MASKED else ""
        else:
            bar = BAR * max(1, round(n * room / top)) if n else ""
        lines.append(f"{text.ljust(label_width)} {bar} {cell}")
    return lines


def plot_months(plt, months: list[str], cells: list[str]) -> None:
    """Vertical bars, one per month, with the published cell written above each bar."""
    plt.clear_figure()
    values = shown_values(cells)
    xs = list(range(1, len(months) + 1))
    top = max(values + [1])
    ticks = _ticks(top)
    plt.bar(xs, values, width=0.6, marker=BAR)
    plt.xticks(xs, months)
    plt.yticks(ticks)
    plt.ylim(0, max(ticks[-1], top * 1.4))
    for x, cell in zip(xs, cells):
        # all on one row above the highest bar: a number written over a bar would cut it
        plt.text(cell, x=x, y=top * 1.33, alignment="center")


def plot_rows(plt, labels: list[str], cells: list[str], label_width: int) -> None:
    """Horizontal bars, one per row, the published cell in the row's label.

    Give the plot exactly ``len(labels) + 3`` rows (one per bar, the frame and the ticks): then
    plotext puts each bar on the row of its own label. With more rows it places the labels on
    its own ticks, and a long bar can stand next to a "<5" label; with a wide bar it spills onto
    the next row."""
    plt.clear_figure()
    values = shown_values(cells)
    names = [f"{_fit(label, label_width - 5):<{label_width - 5}} {cell:>4}"
             for label, cell in zip(labels, cells)]
    # plotext draws the first bar at the bottom: reversed, the table's order reads downwards
    plt.bar(names[::-1], values[::-1], orientation="horizontal", width=0.3, marker=BAR)
    plt.xticks(_ticks(max(values + [1])))


def plot_durations(plt, table, label_width: int) -> None:
    """Median (full) and on to the 90th percentile (light) per step; too few cases: labelled.
    Exactly ``len(table.rows) + 3`` rows, as ``plot_rows``."""
    plt.clear_figure()
    names, med, p90 = [], [], []
    for label, row in zip(table.rows, table.cells):
        m, p = row[1].replace(",", "."), row[2].replace(",", ".")
        known = m not in ("-", "") and p not in ("-", "")
        note = f"{row[1]}/{row[2]}" if known else _("{n} cas.", n=row[0])
        names.append(f"{_fit(label, label_width - 8):<{label_width - 8}} {note:>7}")
        med.append(float(m) if known else 0)
        p90.append(float(p) if known else 0)
    # the light bar first, the full bar over it: without colour the characters tell them apart
    plt.bar(names[::-1], p90[::-1], orientation="horizontal", width=0.3, marker=HALF)
    plt.bar(names[::-1], med[::-1], orientation="horizontal", width=0.3, marker=BAR)
    plt.xticks(_ticks(max(p90 + [1])))


class StatsScreen(BaseScreen):
    """The school's figures for a school year, as bars; [ and ] go a school year back/on."""

    DEFAULT_CSS = """
    StatsScreen .stats-caption { margin: 1 0 0 0; text-style: bold; }
    StatsScreen .stats-plot { height: 12; }
    StatsScreen #stats-charts { margin: 1 0 0 0; }
    """

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
        # plotext is imported with this screen only, never before the first frame
        from textual_plotext import PlotextPlot

        yield Static("", id="stats-title", classes="section-title")
        with VerticalScroll(id="stats-body"):
            for part in ("opened", "reports", "signals", "durations"):
                yield Static("", id=f"stats-{part}-title", classes="stats-caption")
                yield PlotextPlot(id=f"stats-{part}", classes="stats-plot")
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
        from textual_plotext import PlotextPlot

        self.query_one("#stats-title", Static).update(
            _("Cijfers Meldcode - {period} (anoniem: '<5' is minder dan 5)", period=f.period))
        width = max(40, self.app.size.width - 4)
        label_w = 24 if width < 100 else 34

        def caption(part: str, text: str) -> None:
            self.query_one(f"#stats-{part}-title", Static).update(text)

        def plot(part: str, height: int):
            widget = self.query_one(f"#stats-{part}", PlotextPlot)
            widget.styles.height = height
            widget.refresh()
            return widget.plt

        act = f.table("activity")
        months = act.columns[:-1]
        caption("opened", _("Casussen geopend per maand (totaal {n})", n=act.cells[0][-1]))
        plot_months(plot("opened", 12), months, act.cells[0][:-1])
        caption("reports", _("Meldingen bij Veilig Thuis per maand (totaal {n})", n=act.cells[4][-1]))
        plot_months(plot("reports", 12), months, act.cells[4][:-1])
        sig = f.table("signals")
        rows = list(zip(sig.rows, sig.cells))[: -1 if sig.total_row else None]
        caption("signals", _("Signalen per categorie (hele periode, totaal {n})",
                             n=sig.cells[-1][-1] if sig.total_row else "-"))
        plot_rows(plot("signals", len(rows) + 3), [r for r, _c in rows],
                  [c[-1] for _r, c in rows], label_w)
        dur = f.table("durations")
        caption("durations", _("Dagen van het eerste signaal tot elke stap "
                               "({full} mediaan, {light} tot het 90e percentiel)", full=BAR, light=HALF))
        plot_durations(plot("durations", len(dur.rows) + 3), dur, label_w)
        out: list[str] = []
        closed = f.table("closed")
        out += [_("Afgesloten casussen per reden"), ""]
        out += bar_lines(closed.rows, [row[-1] for row in closed.cells], width, min(label_w, 24))
        dl = f.table("deadlines")
        out += ["", _("Termijnen (totaal per soort; gemist = te laat of nog open)"), ""]
        for label, row in zip(dl.rows, dl.cells):
            out.append(f"{_fit(label, label_w).ljust(label_w)} " + _(
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
