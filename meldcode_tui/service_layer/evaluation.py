"""The yearly Meldcode evaluation and the staff training register.

The evaluation is the aandachtsfunctionaris's yearly look back (Basismodel meldcode: the school
"bevordert de kennis en het gebruik van de meldcode" and evaluates it): the figures of the school
year, prefilled from :mod:`service_layer.stats`, and the school's own answers. The training
register says who had Meldcode training when, which course. Both are journal records on
pseudo case ids (``scholing``; ``JE-2025`` for the school year 2025-2026), written by
:meth:`Evaluations._append`, the one write of this module. Coordinator only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..domain import figures as F
from ..domain.people import may_keep_school_records, may_read_trainings
from ..errors import AccessDenied
from ..i18n import _

TRAINING_CASE = "scholing"


def evaluation_case(year: int) -> str:
    return f"JE-{year}"


@dataclass
class Evaluation:
    """One school year's evaluation as it stands: the answers (latest record wins), the
    figures (anonymous, published) and the trainings that fell in the school year."""

    school_year: str
    answers: dict | None
    figures: "F.Figures"
    trainings: list[dict] = field(default_factory=list)
    recorded_at: str = ""
    recorded_by: str = ""


class Evaluations:
    def __init__(self, service):
        self.svc = service

    def _check(self, action: str) -> None:
        self.svc._require(may_keep_school_records, action)

    def _append(self, case_id: str, kind: str, payload: dict) -> None:
        """The one write here (school records, no case), on the school's stream."""
        from .unit_of_work import unit_of_work

        with unit_of_work(self.svc, kind) as uow:
            uow.append_to_stream(case_id, kind, payload)

    # ------------------------------------------------------------------ training register

    def record_training(self, name: str, course: str, on: str, provider: str = "") -> None:
        self._check("training_recorded")
        self._append(TRAINING_CASE, "training_recorded",
                     {"name": name, "course": course, "on": on, "provider": provider})

    def trainings(self) -> list[dict]:
        """Every training on record, oldest first."""
        if not may_read_trainings(self.svc.role):
            raise AccessDenied(_("Dit mag uw rol niet."))
        out = []
        for e in self.svc.store.events(case_id=TRAINING_CASE):
            if e.kind == "training_recorded" and e.payload:
                out.append({**e.payload, "recorded_by": e.actor})
        return sorted(out, key=lambda t: t["on"])

    # ------------------------------------------------------------------ the evaluation

    def prefill(self, year: int) -> "F.Figures":
        from .stats import FigureViews

        views = FigureViews(self.svc)
        return views.school_figures(views.period(year), output="report",
                                    title=_("Cijfers Meldcode schooljaar {a}-{b}", a=year, b=year + 1))

    def record(self, year: int, *, went_well: str, to_improve: str, hours_per_week: int,
               agreements_vt: str = "", agreements_wijkteam: str = "") -> None:
        """The school's answers for the school year starting in ``year``, with the year's
        headline figures (published cells only) kept in the record as they were then."""
        self._check("meldcode_evaluation_recorded")
        figures = self.prefill(year)
        act = figures.table("activity")
        headline = {label: row[-1] for label, row in zip(act.rows, act.cells)}
        self._append(evaluation_case(year), "meldcode_evaluation_recorded", {
            "school_year": f"{year}-{year + 1}", "went_well": went_well, "to_improve": to_improve,
            "hours_per_week": hours_per_week, "agreements_vt": agreements_vt,
            "agreements_wijkteam": agreements_wijkteam, "figures": headline})

    def evaluation(self, year: int) -> Evaluation:
        self._check("meldcode_evaluation_viewed")
        figures = self.prefill(year)
        answers, at, by = None, "", ""
        for e in self.svc.store.events(case_id=evaluation_case(year)):
            if e.kind == "meldcode_evaluation_recorded" and e.payload:
                answers, at, by = e.payload, e.at, e.actor
        period = F.school_year(date(year, 9, 1))
        start, end = period.start.isoformat(), period.end.isoformat()
        trainings = [t for t in self.trainings() if start <= t["on"] < end]
        return Evaluation(f"{year}-{year + 1}", answers, figures, trainings, at[:7], by)
