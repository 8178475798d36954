"""An in-memory case journal for domain tests: validate -> check -> append, like the service."""

from __future__ import annotations

from datetime import date

from meldcode_tui.domain.care_team import DEFAULT_POLICY
from meldcode_tui.domain.case import Event, fold
from meldcode_tui.domain.events import validate
from meldcode_tui.domain.rules import check

DOB_9 = "2017-03-01"     # 9 on 2026-09-01
DOB_14 = "2012-03-01"    # 14
DOB_17 = "2009-03-01"    # 17

BASE = date(2026, 9, 1)


class Case:
    def __init__(self, dob: str = DOB_9, *, today: date = BASE, staff_suspicion: bool = False,
                 case_id: str = "MC-0001", policy=DEFAULT_POLICY):
        self.case_id = case_id
        self.policy = policy      # the school's zorgteam, as the service passes it
        self.today = today
        self.events: list[Event] = []
        self.add("case_opened", {
            "pupil": {"name": "Sanne de Vries (fictief)", "date_of_birth": dob, "group": "5b",
                      "pupil_number": "F-001"},
            "parents": [{"name": "Ouder de Vries (fictief)", "relation": "moeder"}],
            "owner": "coordinator", "staff_suspicion": staff_suspicion})

    @property
    def state(self):
        return fold(self.events)

    def add(self, kind: str, payload: dict, today: date | None = None):
        today = today or self.today
        payload = validate(kind, payload)
        check(self.state, kind, payload, today, policy=self.policy)
        seq = len(self.events) + 1
        at = f"{today.isoformat()}T10:00:{seq % 60:02d}.000000Z"
        self.events.append(Event(seq, at, "coordinator", self.case_id, kind, payload))
        return self.events[-1]

    # --- shortcuts along the happy path -------------------------------------------------
    def signal(self, **kw):
        p = {"description": "Blauwe plek op de arm, twee keer deze maand", "observed_on": "2026-08-30",
             "observed_by": "leerkracht", "source": "own"}
        p.update(kw)
        return self.add("signal_recorded", p)

    def step(self, n: int):
        return self.add("step_completed", {"step": n, "summary": "Afgerond"})

    def consult(self, kind="colleague", **kw):
        p = {"kind": kind, "with_whom": "IB'er (fictief)", "on": "2026-08-31",
             "anonymous": kind == "veilig_thuis_advice", "question": "Hoe duiden we dit?", "advice": "Gesprek voeren"}
        p.update(kw)
        return self.add("consultation_recorded", p)

    def team(self, roles=("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")):
        return self.add("care_team_set", {"members": [{"role": r, "name": f"{r} (fictief)", "user": r}
                                                      for r in roles]})

    def talk(self, participants=("pupil", "parents"), **kw):
        p = {"on": "2026-08-31", "participants": list(participants), "purpose_explained": True,
             "facts_presented": True, "reaction_invited": True, "interpretation_after_reaction": True,
             "parents_informed_beforehand": True, "summary": "Gesprek gevoerd", "concern_removed": False}
        p.update(kw)
        return self.add("conversation_recorded", p)

    def answer(self, q, a, **kw):
        p = {"question": q, "answer": a, "reason": "Besproken in het zorgteam", "with_veilig_thuis": False}
        p.update(kw)
        return self.add("weighing_answered", p)

    def exception(self, exc, ground="safety", reason="Concrete aanwijzing dat het gesprek gevaar oplevert",
                  **kw):
        p = {"exception": exc, "ground": ground, "reason": reason}
        if exc == "reporter_not_disclosed":     # decided together with Veilig Thuis
            p.update(vt_agreed_by="Medewerker Veilig Thuis (fictief)", vt_agreed_on="2026-08-31")
        p.update(kw)
        return self.add("exception_recorded", p)

    def decide(self, report, help_, reason="Besloten met het zorgteam"):
        return self.add("decision_recorded", {"report_needed": report, "help_possible": help_, "reason": reason})

    def contact(self, with_=("parents",), on="2026-09-01"):
        return self.add("pre_report_contact_recorded", {"on": on, "with": list(with_),
                                                        "explained": "Uitgelegd wat een melding is",
                                                        "reaction": "Begrip"})

    def report(self, disclosed=True, on="2026-09-01"):
        return self.add("report_made", {"on": on, "office": "Veilig Thuis Regio (fictief)",
                                        "summary": "Feiten gemeld", "reporter_disclosed_to_family": disclosed})

    def feedback(self, stage="first", on="2026-09-01"):
        return self.add("vt_feedback_recorded", {"on": on, "outcome": "Veilig Thuis doet onderzoek",
                                                 "stage": stage})

    def evaluate(self, concerns_remain=False, on="2026-09-01"):
        return self.add("school_evaluation_recorded", {"on": on, "concerns_remain": concerns_remain,
                                                       "summary": "Besproken in het zorgteam"})

    def outcome(self):
        """After a report: Veilig Thuis's final feedback (after a first one, recorded here when
        missing) and the school's evaluation (no concerns)."""
        from meldcode_tui.domain.rules import feedback_stage_due

        if feedback_stage_due(self.state) == "first":
            self.feedback("first")
        self.feedback("final")
        return self.evaluate(False)

    def plan(self, review_on="2026-10-15"):
        return self.add("help_planned", {"description": "Gezinscoach", "agreements": "Wekelijks contact",
                                         "roles": "IB'er volgt", "case_manager": "IB'er (fictief)",
                                         "review_on": review_on, "results_expected": "Geen nieuwe signalen"})

    def through_step(self, n: int):
        """Complete steps 1..n along the plain path."""
        if n >= 1:
            self.signal(); self.step(1)
        if n >= 2:
            self.consult(); self.team(); self.step(2)
        if n >= 3:
            self.talk(); self.step(3)
        if n >= 4:
            self.answer(1, "yes"); self.answer(2, "no"); self.step(4)
        return self
