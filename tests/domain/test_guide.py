"""The guide answers "what is missing or due now" for every stage of a case."""

from __future__ import annotations

from datetime import date

from meldcode_tui.domain.guide import next_deadline, open_points
from meldcode_tui.domain.rules import RULES
from meldcode_tui.ui.intents import HANDLERS

from .builders import BASE, DOB_17, Case


def rules_actions(c, today=BASE):
    return [(p.rule, p.action) for p in open_points(c.state, today)]


def check_points(c, today=BASE):
    points = open_points(c.state, today)
    for p in points:
        assert p.rule in RULES, p.rule
        # The TUI offers the point's action: it must be one of its intents.
        assert p.action is None or p.action in HANDLERS, p.action
        assert p.severity in ("overdue", "due", "todo", "info")
        assert p.text and p.text[0].isupper()
    assert len({p.code for p in points}) == len(points)
    return points


def test_guide_walks_through_the_steps():
    c = Case()
    assert rules_actions(c) == [("step1_signals", "record_signal")]
    c.signal()
    assert ("step_order", "complete_step") in rules_actions(c)
    assert ("step1_signals", "record_signal") in rules_actions(c)   # info: contradicting facts
    c.step(1)
    ra = rules_actions(c)
    assert ("step2_consultation", "record_consultation") in ra and ("step2_care_team", "set_care_team") in ra
    c.consult(); c.team(); c.step(2)
    ra = rules_actions(c)
    assert ("step3_conversation_pupil", "record_conversation") in ra
    assert ("step3_conversation_parents", "record_conversation") in ra
    c.talk(); c.step(3)
    assert rules_actions(c) == [("weighing_order", "answer_weighing")]
    assert "vraag 1" in open_points(c.state, BASE)[0].text
    c.answer(1, "yes")
    assert "vraag 2" in open_points(c.state, BASE)[0].text
    c.answer(2, "no")
    assert rules_actions(c) == [("step_order", "complete_step")]
    c.step(4)
    assert [p.text for p in open_points(c.state, BASE)][0].startswith("Afwegingskader, vraag 3")
    c.answer(3, "yes"); c.answer(4, "yes")
    assert rules_actions(c) == [("step5_decision", "record_decision")]
    c.decide(False, True)
    assert rules_actions(c) == [("step5_help_plan", "plan_help")]
    c.plan("2026-09-05")
    ra = rules_actions(c)
    assert ("help_review_due", "review_help") in ra and ("step_order", "complete_step") in ra
    check_points(c)


def test_guide_no_suspicion_offers_closing():
    c = Case().through_step(3)
    c.answer(1, "no")
    ra = rules_actions(c)
    assert ("step5_no_suspicion", "close_case") in ra
    check_points(c)


def test_guide_acute_unsafety_reports_now_with_age_rule():
    c = Case(DOB_17).through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    points = check_points(c)
    assert points[0].rule == "weighing_with_veilig_thuis" and points[0].severity == "due"
    [contact] = [p for p in points if p.rule == "report_needs_contact"]
    assert "de leerling (16 jaar of ouder)" in contact.text
    assert any("samen met Veilig Thuis" in p.text for p in points)


def test_guide_closed_case_only_offers_reopen():
    c = Case()
    c.add("case_closed", {"grounds": "other", "reason": "Leerling is verhuisd naar elders"})
    [p] = check_points(c)
    assert p.action == "reopen_case"


def test_guide_next_deadline_is_the_earliest():
    c = Case()
    c.add("follow_up_agreed", {"description": "A", "due_on": "2026-10-01", "who": "IB"})
    c.add("follow_up_agreed", {"description": "B", "due_on": "2026-09-20", "who": "IB"})
    assert next_deadline(open_points(c.state, BASE)).due == date(2026, 9, 20)
    check_points(c)


def test_after_q5_no_only_the_report_path_is_offered():
    """After a help review and Q5 'nee' the guide says report, not 'rond stap 5 af'."""
    from meldcode_tui.domain.guide import open_points

    from .builders import BASE, Case

    c = Case().through_step(4)
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True); c.plan()
    c.add("help_reviewed", {"on": "2026-09-01", "results_reached": False, "violence_continues": False,
                            "notes": "Geen resultaat"})
    c.answer(5, "no")
    codes = {p.code for p in open_points(c.state, BASE)}
    assert "report_after_all" in codes and "complete_step5" not in codes


def test_guide_names_the_schools_own_roles():
    """Seen: the disclosure prompt named an 'aandachtsfunctionaris' in a school whose configured
    roles have none; it names the school's own role (or the zorgteam)."""
    from meldcode_tui.domain.care_team import CareTeamPolicy
    from meldcode_tui.domain.guide import open_points

    from .builders import BASE, Case

    def prompt(**config):
        policy = CareTeamPolicy.from_config(**config)
        c = Case(policy=policy)
        c.signal(disclosure=True)
        [p] = [p for p in open_points(c.state, BASE, policy=policy) if p.code == "disclosure_today"]
        return p.text

    assert "met de aandachtsfunctionaris" in prompt()
    ib = prompt(roles=["leerkracht", "intern_begeleider", "schoolleider"],
                required=["leerkracht", "intern_begeleider"])
    assert "met de intern begeleider" in ib and "aandachtsfunctionaris" not in ib
    assert "met het zorgteam" in prompt(roles=["leerkracht", "schoolleider"], required=["leerkracht"])
