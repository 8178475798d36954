"""One test per rule, named after it: the right path is accepted, the wrong one refused with
the rule id (and a Dutch message)."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from meldcode_tui.domain.case import CaseState
from meldcode_tui.domain.events import validate
from meldcode_tui.domain.guide import open_points
from meldcode_tui.domain.rules import RULES, check
from meldcode_tui.errors import InputError, RuleViolation

from .builders import BASE, DOB_9, DOB_14, DOB_17, Case

REASON = "Concrete aanwijzing dat een gesprek de veiligheid in gevaar brengt"


def refused(rule: str, fn, *args, **kwargs) -> RuleViolation:
    with pytest.raises(RuleViolation) as info:
        fn(*args, **kwargs)
    assert info.value.rule == rule, (info.value.rule, str(info.value))
    assert str(info.value).strip()
    return info.value


def codes(state, today=BASE):
    return {p.rule for p in open_points(state, today)}


def test_every_rule_has_a_test():
    names = {n for n in dir(sys.modules[__name__]) if n.startswith("test_rule_")}
    missing = [r for r in RULES if f"test_rule_{r}" not in names]
    assert not missing, missing


# Calls whose first argument is a rule id: a refusal (RuleViolation, violation) or what a step
# still needs (steps.Missing, raised by step_completed under the Missing's rule id).
_RULE_ID_CALLS = {"RuleViolation": 0, "violation": 0, "Missing": 0, "check_reason": 1}


def raised_rule_ids() -> dict[str, str]:
    """Every rule id raised anywhere in the package, with one place that raises it."""
    import ast
    from pathlib import Path

    import meldcode_tui

    found: dict[str, str] = {}
    root = Path(meldcode_tui.__file__).parent
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            at = _RULE_ID_CALLS.get(name)
            if at is None or len(node.args) <= at:
                continue
            arg = node.args[at]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_every_raised_rule_id_is_in_rules():
    """A rule id raised outside the rules package (the store, the conversion, the erasure, the
    inzage export) is still one of RULES, so test_every_rule_has_a_test asks for its test."""
    raised = raised_rule_ids()
    assert {"case_must_exist", "already_erased", "rekey_same", "step1_signals",
            "close_needs_reason"} <= set(raised)
    unknown = {rule: where for rule, where in raised.items() if rule not in RULES}
    assert not unknown, unknown


# --------------------------------------------------------------------------- case lifecycle

def test_rule_case_must_exist():
    payload = validate("signal_recorded", {"description": "x", "observed_on": "2026-08-01",
                                           "observed_by": "juf", "source": "own"})
    refused("case_must_exist", check, CaseState(), "signal_recorded", payload, BASE)
    Case().signal()  # an opened case accepts it


def test_rule_case_already_open():
    c = Case()
    refused("case_already_open", c.add, "case_opened",
            {"pupil": {"name": "Ander Kind (fictief)", "date_of_birth": DOB_9}, "owner": "x"})


def test_rule_case_closed_readonly():
    c = Case()
    c.add("case_closed", {"grounds": "other", "reason": "Leerling verhuisd naar een andere school"})
    e = refused("case_closed_readonly", c.signal)
    assert "gesloten" in str(e)
    c.add("case_viewed", {"purpose": "inzage"})       # viewing stays possible
    c.add("case_exported", {"format": "markdown"})
    c.add("case_reopened", {"reason": "Nieuwe signalen ontvangen"})
    c.signal()
    assert c.state.status == "open"


def test_rule_erased_case_final():
    """An erased case (its words gone) is not reopened and gets nothing new; views stay."""
    from meldcode_tui.domain.case import Event

    c = Case()
    c.signal()
    c.add("case_closed", {"grounds": "other", "reason": "Leerling verhuisd naar een andere school"})
    erasure = validate("case_erased", {"policy": "request", "rule": "op verzoek",
                                       "reason": "Verzoek van de ouders (fictief).",
                                       "requested_by": "ouders", "payloads": 3})
    check(c.state, "case_erased", erasure, BASE, replay=True)   # as the erasure writes it
    c.events.append(Event(len(c.events) + 1, "2026-09-01T10:00:00.000000Z", "coordinator",
                                c.case_id, "case_erased", erasure))
    e = refused("erased_case_final", c.add, "case_reopened", {"reason": "Nieuwe signalen ontvangen"})
    assert "gewist" in str(e) and e.hint
    refused("erased_case_final", c.add, "pupil_left", {"on": "2026-08-30"})
    refused("erased_case_final", c.add, "zienswijze_recorded",
            {"on": "2026-08-30", "by": "ouders", "zienswijze": "Wij zien het anders (fictief)."})
    c.add("case_viewed", {"purpose": "inzage"})                # reading it stays possible


def test_rule_reopen_only_closed():
    c = Case()
    refused("reopen_only_closed", c.add, "case_reopened", {"reason": "Nieuwe signalen ontvangen"})
    c.add("case_closed", {"grounds": "other", "reason": "Leerling verhuisd naar het buitenland"})
    c.add("case_reopened", {"reason": "Nieuwe signalen ontvangen"})
    assert not c.state.closed and len(c.state.reopenings) == 1


def test_rule_reopen_needs_reason():
    c = Case()
    c.add("case_closed", {"grounds": "other", "reason": "Leerling verhuisd naar het buitenland"})
    with pytest.raises(InputError) as info:
        c.add("case_reopened", {"reason": "   "})
    assert info.value.field == "reason"
    refused("reopen_needs_reason", check, c.state, "case_reopened", {"reason": "kort"}, BASE)
    c.add("case_reopened", {"reason": "Nieuwe signalen ontvangen"})


def test_rule_close_needs_reason():
    c = Case()
    with pytest.raises(InputError) as info:
        c.add("case_closed", {"grounds": "other", "reason": ""})
    assert info.value.field == "reason"
    refused("close_needs_reason", check, c.state, "case_closed", {"grounds": "other", "reason": " x "}, BASE)
    c.add("case_closed", {"grounds": "other", "reason": "Leerling verhuisd naar het buitenland"})
    assert c.state.closed and c.state.status == "gesloten"


def test_rule_close_grounds_match():
    c = Case().through_step(2)
    refused("close_grounds_match", c.add, "case_closed",
            {"grounds": "concern_removed", "reason": "Gesprek nam de zorg weg"})
    refused("close_grounds_match", c.add, "case_closed", {"grounds": "no_suspicion", "reason": "Geen vermoeden meer"})
    refused("close_grounds_match", c.add, "case_closed", {"grounds": "reported", "reason": "Veilig Thuis neemt over"})
    c.talk(concern_removed=True)
    assert "close_grounds_match" in codes(c.state)  # the guide offers closing
    c.add("case_closed", {"grounds": "concern_removed", "reason": "Gesprek nam de zorg weg"})
    assert c.state.status == "gesloten"
    # Ground "gemeld" fits an acute (phone) report as well as a written melding.
    a = Case()
    a.add("acute_report", {"on": "2026-09-01", "reported_to": ["veilig_thuis_phone"],
                           "by_whom": "Aandachtsfunctionaris (fictief)", "agreed": "Veilig Thuis neemt over",
                           "child_safety": "Kind is nu veilig op school"})
    a.outcome()
    a.add("case_closed", {"grounds": "reported", "reason": "Veilig Thuis neemt over"})
    assert a.state.closed


# --------------------------------------------------------------------------- steps

def test_rule_step_order():
    c = Case()
    refused("step_order", c.step, 2)
    e = refused("step_order", c.team)
    assert "stap 1" in str(e)
    c.signal()
    c.step(1)
    refused("step_order", c.talk)                 # step 3 intent before step 2
    c.consult(); c.team(); c.step(2)
    c.talk()
    refused("step_order", c.answer, 1, "yes")     # step 4 intent before step 3
    c.step(3)
    refused("step_order", c.decide, False, True)  # step 5 intent before step 4
    refused("step_order", c.answer, 3, "yes")
    c.answer(1, "yes"); c.answer(2, "no"); c.step(4)
    c.answer(3, "yes")
    assert c.state.step == 5


def test_rule_step_already_completed():
    c = Case()
    c.signal(); c.step(1)
    refused("step_already_completed", c.step, 1)


def test_rule_step1_signals():
    c = Case()
    refused("step1_signals", c.step, 1)
    c.signal(contradicting=True, description="Komt altijd verzorgd op school")
    refused("step1_signals", c.step, 1)  # only contradicting facts: no signal of concern yet
    c.signal()
    c.step(1)
    assert c.state.steps_completed == [1]


def test_rule_step2_consultation():
    c = Case().through_step(1)
    c.team()
    c.consult("veilig_thuis_advice")
    refused("step2_consultation", c.step, 2)
    c.consult("colleague")
    c.step(2)


def test_rule_step2_care_team():
    c = Case().through_step(1)
    c.consult()
    refused("step2_care_team", c.step, 2)
    c.team(roles=("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach"))
    e = refused("step2_care_team", c.step, 2)
    assert "schoolleider" in str(e)
    c.team()
    c.step(2)
    assert "schoolleider" in {m["role"] for m in c.state.care_team}


def test_rule_step3_conversation_pupil():
    c = Case().through_step(2)
    c.talk(participants=("parents",))
    refused("step3_conversation_pupil", c.step, 3)
    c.exception("no_conversation_pupil", "age", "Leerling is te jong voor een gesprek hierover")
    c.step(3)


def test_rule_step3_conversation_parents():
    c = Case().through_step(2)
    c.talk(participants=("pupil",), parents_informed_beforehand=True)
    refused("step3_conversation_parents", c.step, 3)
    c.exception("no_conversation_parents", "out_of_sight", "Ouders dreigen de leerling van school te halen")
    c.step(3)


def test_rule_conversation_four_elements():
    c = Case().through_step(2)
    c.talk(interpretation_after_reaction=False, concern_removed=True)   # recorded as it happened
    refused("conversation_four_elements", c.step, 3)
    # an incomplete conversation cannot take away the worry either
    refused("close_grounds_match", c.add, "case_closed",
            {"grounds": "concern_removed", "reason": "Gesprek nam de zorg weg"})
    c.talk()
    c.step(3)


def test_rule_step4_weighing():
    c = Case().through_step(3)
    refused("step4_weighing", c.step, 4)
    c.answer(1, "yes")
    refused("step4_weighing", c.step, 4)
    c.answer(2, "no")
    c.step(4)


def test_rule_doubt_ask_veilig_thuis():
    c = Case().through_step(3)
    c.answer(1, "yes"); c.answer(2, "doubt")
    refused("doubt_ask_veilig_thuis", c.step, 4)
    c.consult("veilig_thuis_advice")
    c.step(4)
    # Twijfel: "meld nu telefonisch bij Veilig Thuis" - that call is also the advice the school's
    # protocol asks; no separate advice record before step 4 closes.
    d = Case().through_step(3)
    d.answer(1, "yes"); d.answer(2, "doubt")
    [now] = [p for p in open_points(d.state, BASE) if p.code == "report_now"]
    assert now.action == "record_acute_report" and "telefonisch" in now.text and "advies" in now.text
    d.add("acute_report", ACUTE)
    d.step(4)
    assert not any(p.code == "report_now" for p in open_points(d.state, BASE))


def test_re_report_needs_its_own_contact_beforehand():
    """A pre-report contact from an earlier melding does not count for a re-report: the family
    hears again (or the exception is recorded again) before the new melding."""
    c = Case().through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    c.contact(); c.report()
    c.feedback("first"); c.feedback("final"); c.evaluate(True)
    refused("report_needs_contact", c.report)
    assert "pre_report_contact" in {p.code for p in open_points(c.state, BASE)}
    c.contact()
    c.report()
    c.feedback("first"); c.feedback("final"); c.evaluate(True)
    c.exception("report_without_contact", "safety", "Vader dreigt het kind iets aan te doen als hij het hoort")
    c.report()
    assert len(c.state.reports) == 3


def test_rule_step5_decision():
    c = Case().through_step(4)
    c.answer(3, "yes"); c.answer(4, "yes")
    refused("step5_decision", c.step, 5)
    c.decide(False, True); c.plan()
    c.step(5)


def test_rule_step5_report():
    c = Case().through_step(4)
    c.answer(3, "no")
    c.decide(True, False)
    refused("step5_report", c.step, 5)
    c.contact(("parents",)); c.report()
    c.step(5)
    assert c.state.status == "gemeld"


def test_rule_step5_help_plan():
    c = Case().through_step(4)
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True)
    refused("step5_help_plan", c.step, 5)
    c.plan()
    c.step(5)
    assert c.state.status == "hulp"


def test_rule_step5_no_suspicion():
    c = Case().through_step(3)
    c.answer(1, "no"); c.step(4)
    refused("step5_no_suspicion", c.step, 5)
    c.add("case_closed", {"grounds": "no_suspicion", "reason": "Geen vermoeden na weging"})


# --------------------------------------------------------------------------- consultations, exceptions, conversations

def test_rule_vt_advice_anonymous():
    c = Case()
    refused("vt_advice_anonymous", c.consult, "veilig_thuis_advice", anonymous=False)
    c.consult("veilig_thuis_advice", anonymous=True)
    # Anonymous in what is written too: the pupil's first name in the question is refused,
    # and the message says where without repeating the name.
    first = c.state.pupil.name.split()[0]
    e = refused("vt_advice_anonymous", c.consult, "veilig_thuis_advice", anonymous=True,
                question=f"Wat te doen met {first.lower()} en de blauwe plekken?")
    assert "de vraag" in str(e) and first not in str(e)
    e = refused("vt_advice_anonymous", c.consult, "veilig_thuis_advice", anonymous=True,
                advice=f"Geboren {date.fromisoformat(c.state.pupil.date_of_birth).strftime('%d-%m-%Y')}: let op.")
    assert "het advies" in str(e)
    c.consult("veilig_thuis_advice", anonymous=True, question="Wat te doen bij een leerling van 9 jaar?")
    # A colleague consult may name the pupil: only the advice to Veilig Thuis is anonymous.
    c.consult("colleague", question=f"Hoe duiden we wat {first} vertelde?")


def test_rule_exception_needs_written_reason():
    c = Case().through_step(2)
    for bad in ("", "   ", "te kort", "x" * 19, " " * 30):
        with pytest.raises(InputError) as info:
            c.exception("no_conversation_pupil", "safety", bad)
        assert info.value.field == "reason"
    refused("exception_needs_written_reason", check, c.state, "exception_recorded",
            {"exception": "no_conversation_pupil", "ground": "safety", "reason": "kort"}, BASE)
    # Long enough is not enough; a reason reads as words, and the message says why.
    for bad, why in (("x" * 20, "één teken herhaald"), ("x" * 40, "één teken herhaald"),
                     ("aaaa bbbb cccc dddd eeee", "0 van de minstens 3 woorden"),
                     ("12345678901234567890 99", "0 van de minstens 3 woorden"),
                     ("Veiligheid!!!!!!!!!!!!!!!!!!", "1 van de minstens 3 woorden"),
                     ("Gevaar thuis ----------------", "2 van de minstens 3 woorden")):
        with pytest.raises(InputError) as info:
            c.exception("no_conversation_pupil", "safety", bad)
        assert info.value.field == "reason" and why in str(info.value), (bad, str(info.value))
        refused("exception_needs_written_reason", check, c.state, "exception_recorded",
                {"exception": "no_conversation_pupil", "ground": "safety", "reason": bad}, BASE)
    c.exception("no_conversation_pupil", "safety", "Kind is in gevaar thuis, nu")   # three words, 26 chars
    c.exception("no_conversation_pupil", "safety", REASON)
    assert c.state.exception("no_conversation_pupil")["reason"] == REASON


def test_rule_exception_ground_allowed():
    c = Case(DOB_14).through_step(2)
    refused("exception_ground_allowed", c.exception, "pupil_without_informing_parents", "out_of_sight")
    refused("exception_ground_allowed", c.exception, "no_conversation_pupil", "age",
            "Te jong voor een gesprek hierover, zegt het zorgteam")  # 14: not "young"
    c.exception("no_conversation_pupil", "out_of_sight", "Leerling verbreekt dan het contact met school")
    young = Case(DOB_9).through_step(2)
    young.exception("no_conversation_pupil", "age", "Te jong voor een gesprek hierover, zegt het zorgteam")


def test_rule_pupil_without_informing_parents():
    c = Case(DOB_14).through_step(2)
    refused("pupil_without_informing_parents", c.talk, ("pupil",), parents_informed_beforehand=False)
    refused("pupil_without_informing_parents", c.talk, ("pupil",), parents_informed_beforehand=None)
    c.talk(("pupil",), parents_informed_beforehand=True)
    c.exception("pupil_without_informing_parents", "safety", REASON)
    c.talk(("pupil",), parents_informed_beforehand=False)


# --------------------------------------------------------------------------- afwegingskader and decision

def test_rule_weighing_order():
    c = Case().through_step(3)
    refused("weighing_order", c.answer, 2, "no")
    c.answer(1, "no")
    refused("weighing_order", c.answer, 1, "yes")        # answered once; correct instead
    refused("weighing_order", c.answer, 2, "no")         # q1 no: the path stops
    c2 = Case().through_step(4)
    refused("weighing_order", c2.answer, 4, "yes")
    c2.answer(3, "no")
    refused("weighing_order", c2.answer, 4, "yes")       # q3 no: report, q4 not asked
    c3 = Case().through_step(4)
    c3.answer(3, "yes"); c3.answer(4, "yes")


def test_rule_weighing_answer_allowed():
    c = Case().through_step(3)
    refused("weighing_answer_allowed", c.answer, 1, "doubt")
    c.answer(1, "yes")
    c.answer(2, "doubt")
    assert c.state.answer(2) == "doubt"


def test_rule_weighing_with_veilig_thuis():
    c = Case().through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    assert "weighing_with_veilig_thuis" in codes(c.state)   # report now
    refused("weighing_with_veilig_thuis", c.answer, 3, "yes", with_veilig_thuis=False)
    c.answer(3, "yes", with_veilig_thuis=True)
    c.answer(4, "no", with_veilig_thuis=True)


def test_rule_weighing_q5_after_review():
    c = Case().through_step(4)
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True); c.plan()
    refused("weighing_q5_after_review", c.answer, 5, "yes")
    c.add("help_reviewed", {"on": "2026-09-01", "results_reached": True, "violence_continues": False,
                            "notes": "Gaat goed"})
    c.answer(5, "yes")
    c.add("case_closed", {"grounds": "help_succeeded", "reason": "Hulp heeft resultaat",
                          "monitoring_agreements": "IVP spreekt de leerling maandelijks"})


def test_rule_decision_after_weighing():
    c = Case().through_step(4)
    refused("decision_after_weighing", c.decide, False, True)
    c.answer(3, "yes")
    refused("decision_after_weighing", c.decide, False, True)
    c.answer(4, "yes")
    c.decide(False, True)
    # Q2 yes or twijfel: "melden noodzakelijk" right after question 2; 3-5 follow with Veilig Thuis.
    for q2 in ("yes", "doubt"):
        c = Case().through_step(3)
        c.answer(1, "yes"); c.answer(2, q2)
        c.consult("veilig_thuis_advice"); c.step(4)
        refused("decision_consistent_with_weighing", c.decide, False, False)
        c.decide(True, False)
        c.contact(); c.report()
        c.answer(3, "yes", with_veilig_thuis=True)


def test_rule_decision_consistent_with_weighing():
    c = Case().through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    c.answer(3, "yes", with_veilig_thuis=True); c.answer(4, "yes", with_veilig_thuis=True)
    refused("decision_consistent_with_weighing", c.decide, False, True)   # q2 yes => report
    refused("decision_consistent_with_weighing", c.decide, True, False)   # q4 yes => help too
    c.decide(True, True)                                                   # both may be yes
    c2 = Case().through_step(4)
    c2.answer(3, "no")
    refused("decision_consistent_with_weighing", c2.decide, True, True)
    refused("decision_consistent_with_weighing", c2.decide, False, False)
    c2.decide(True, False)


def test_rule_help_plan_needs_decision():
    c = Case().through_step(4)
    c.answer(3, "no"); c.decide(True, False)
    refused("help_plan_needs_decision", c.plan)
    c2 = Case().through_step(4)
    c2.answer(3, "yes"); c2.answer(4, "yes"); c2.decide(False, True)
    c2.plan()


def test_rule_help_review_date_future():
    c = Case().through_step(4)
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True)
    refused("help_review_date_future", c.plan, BASE.isoformat())
    c.plan("2026-10-01")
    refused("help_review_date_future", c.add, "help_reviewed",
            {"on": "2026-09-01", "results_reached": False, "violence_continues": False, "notes": "n",
             "next_review_on": "2026-08-01"})


def test_rule_help_review_needs_plan():
    c = Case().through_step(4)
    review = {"on": "2026-09-01", "results_reached": True, "violence_continues": False, "notes": "Goed"}
    refused("help_review_needs_plan", c.add, "help_reviewed", review)
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True); c.plan()
    c.add("help_reviewed", review)


# --------------------------------------------------------------------------- reporting

def test_rule_report_needs_decision():
    c = Case().through_step(4)
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True); c.plan(); c.step(5)
    c.contact()
    refused("report_needs_decision", c.report)
    c.add("help_reviewed", {"on": "2026-09-01", "results_reached": False, "violence_continues": True,
                            "notes": "Geweld gaat door"})
    assert "help_violence_continues" in codes(c.state)
    c.report()   # report after all


def test_rule_report_needs_contact():
    c = Case().through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    e = refused("report_needs_contact", c.report)
    assert "ouders" in str(e)   # 9 years old: the parents
    assert "report_needs_contact" in codes(c.state)
    c.exception("report_without_contact", "safety", "Vader dreigt met geweld als de school meldt")
    c.report()


def test_rule_age_contact_rule():
    # under 12: parents
    c = Case(DOB_9).through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    refused("age_contact_rule", c.contact, ("pupil",))
    c.contact(("parents",)); c.report()
    # 16 and over: the pupil
    c = Case(DOB_17).through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    refused("age_contact_rule", c.contact, ("parents",))
    c.contact(("pupil",)); c.report()
    # 12 to 16: pupil and/or parents
    for who in (("pupil",), ("parents",), ("pupil", "parents")):
        c = Case(DOB_14).through_step(3)
        c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
        c.contact(who); c.report()
    # computed on the date of the contact: turns 12 on 2026-09-01
    c = Case("2014-09-01").through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    refused("age_contact_rule", c.contact, ("pupil",), on="2026-08-31")
    c.contact(("pupil",), on="2026-09-01")
    c.report()


def test_rule_open_melden_tenzij():
    c = Case().through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4); c.contact()
    refused("open_melden_tenzij", c.report, disclosed=False)
    c.exception("reporter_not_disclosed", "safety", "Gezin heeft eerder gedreigd tegen melders")
    c.report(disclosed=False)


def test_rule_vt_feedback_needs_report():
    c = Case().through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4); c.contact()
    fb = {"on": "2026-09-01", "outcome": "Onderzoek gestart"}
    refused("vt_feedback_needs_report", c.add, "vt_feedback_recorded", fb)
    c.report()
    c.add("vt_feedback_recorded", fb)


def test_rule_follow_up_done_target():
    c = Case()
    sig = c.signal()
    fu = c.add("follow_up_agreed", {"description": "Navragen bij IB", "due_on": "2026-09-10", "who": "IB"})
    refused("follow_up_done_target", c.add, "follow_up_done", {"target_seq": sig.seq, "on": "2026-09-01"})
    c.add("follow_up_done", {"target_seq": fu.seq, "on": "2026-09-01"})
    refused("follow_up_done_target", c.add, "follow_up_done", {"target_seq": fu.seq, "on": "2026-09-01"})


# --------------------------------------------------------------------------- corrections

def test_rule_correction_target():
    c = Case()
    view = c.add("case_viewed", {"purpose": "inzage"})
    sig = c.signal()
    reason = "Tikfout in de beschrijving"
    refused("correction_target", c.add, "record_corrected",
            {"target_seq": view.seq, "changes": {"purpose": "x"}, "reason": reason})
    refused("correction_target", c.add, "record_corrected",     # not a record of this case
            {"target_seq": 999, "changes": {"description": "x"}, "reason": reason})
    corr = c.add("record_corrected", {"target_seq": sig.seq, "changes": {"description": "Blauwe plek op de rug"},
                                      "reason": reason})
    refused("correction_target", c.add, "record_corrected",     # not a correction of a correction
            {"target_seq": corr.seq, "changes": {"reason": "Andere reden hier"}, "reason": reason})
    rec = c.state.records_by_seq[sig.seq]
    assert rec["description"] == "Blauwe plek op de rug"
    assert rec.original["description"].startswith("Blauwe plek op de arm")
    assert rec.corrections[0].reason == reason


def test_rule_correction_field():
    c = Case().through_step(3)
    q = c.answer(1, "yes")
    reason = "Verkeerd vastgelegd in het overleg"
    refused("correction_field", c.add, "record_corrected",
            {"target_seq": q.seq, "changes": {"question": 2}, "reason": reason})
    refused("correction_field", c.add, "record_corrected",
            {"target_seq": q.seq, "changes": {"nonsense": 1}, "reason": reason})
    refused("correction_field", c.add, "record_corrected",
            {"target_seq": q.seq, "changes": {"answer": "yes"}, "reason": reason})   # changes nothing
    with pytest.raises(InputError) as info:
        c.add("record_corrected", {"target_seq": q.seq, "changes": {"answer": "maybe"}, "reason": reason})
    assert info.value.field == "changes.answer"
    c.add("record_corrected", {"target_seq": q.seq, "changes": {"reason": "Besproken met zorgteam en IB"},
                               "reason": reason})


def test_rule_correction_consistent():
    c = Case().through_step(4)   # q2 = no
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True)
    q2 = c.state.weighing[2]
    reason = "Antwoord verkeerd overgenomen uit het verslag"
    e = refused("correction_consistent", c.add, "record_corrected",
                {"target_seq": q2.seq, "changes": {"answer": "yes"}, "reason": reason})
    assert "Veilig Thuis" in str(e)
    c.add("record_corrected", {"target_seq": q2.seq, "changes": {"reason": "Geen acute onveiligheid gezien"},
                               "reason": reason})


def test_rule_date_not_in_future():
    c = Case()
    refused("date_not_in_future", c.signal, observed_on="2026-09-02")
    c.signal(observed_on="2026-09-01")
    refused("date_not_in_future", Case, "2027-01-01")


# --------------------------------------------------------------------------- the other route

def test_rule_staff_route_no_meldcode():
    c = Case(staff_suspicion=True)
    assert c.state.status == "doorverwezen"
    e = refused("staff_route_no_meldcode", c.signal)
    assert "schoolbestuur" in str(e)
    assert "staff_route_no_meldcode" in codes(c.state)
    c.add("staff_suspicion_routed", {"on": "2026-09-01", "routed_to": ["school_board", "vertrouwensinspecteur"],
                                     "reason": "Vermoeden tegen een medewerker"})
    c.add("follow_up_agreed", {"description": "Bestuur koppelt terug", "due_on": "2026-09-20", "who": "directeur"})
    refused("close_grounds_match", c.add, "case_closed", {"grounds": "other", "reason": "Klaar met deze casus"})
    c.add("case_closed", {"grounds": "staff_route", "reason": "Bestuur handelt het af"})
    assert c.state.status == "gesloten"  # done: hidden with the other closed cases
    # routing an ordinary case later also stops the Meldcode intents
    c2 = Case().through_step(1)
    c2.add("staff_suspicion_routed", {"on": "2026-09-01", "routed_to": ["school_board"],
                                      "reason": "Blijkt te gaan om een medewerker"})
    refused("staff_route_no_meldcode", c2.consult)
    assert c2.state.status == "doorverwezen"


def test_rule_staff_route_school_board():
    c = Case(staff_suspicion=True)
    refused("staff_route_school_board", c.add, "staff_suspicion_routed",
            {"on": "2026-09-01", "routed_to": ["police"], "reason": "Direct aangifte gedaan"})
    c.add("staff_suspicion_routed", {"on": "2026-09-01", "routed_to": ["school_board", "police"],
                                     "reason": "Bestuur ingelicht en aangifte"})


def test_rule_staff_route_once():
    c = Case(staff_suspicion=True)
    p = {"on": "2026-09-01", "routed_to": ["school_board"], "reason": "Bestuur ingelicht"}
    c.add("staff_suspicion_routed", p)
    refused("staff_route_once", c.add, "staff_suspicion_routed", p)


# --------------------------------------------------------------------------- guide-only rules (deadlines)

def _reported(on="2026-09-04"):   # a Friday
    c = Case(today=date(2026, 9, 4)).through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4); c.contact(on=on); c.report(on=on)
    return c


def test_rule_vt_feedback_due():
    c = _reported()
    [p] = [p for p in open_points(c.state, date(2026, 9, 7)) if p.rule == "vt_feedback_due"]
    assert p.due == date(2026, 9, 11) and p.severity == "due" and p.action == "record_vt_feedback"
    assert "streeft" in p.text
    # After the 5 working days: Veilig Thuis's aim, not a deadline of the school's - no "te laat",
    # the school calls Veilig Thuis.
    [p] = [p for p in open_points(c.state, date(2026, 9, 14)) if p.rule == "vt_feedback_due"]
    assert p.severity == "due" and p.text.startswith("Nog geen terugkoppeling van Veilig Thuis")
    assert "neem contact op met Veilig Thuis" in p.text and "te laat" not in p.text
    c.add("vt_feedback_recorded", {"on": "2026-09-04", "outcome": "Onderzoek gestart"})
    assert "vt_feedback_due" not in codes(c.state, date(2026, 9, 14))


def test_rule_help_review_due():
    c = Case().through_step(4)
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True); c.plan("2026-10-15")
    [p] = [p for p in open_points(c.state, BASE) if p.rule == "help_review_due"]
    assert p.due == date(2026, 10, 15) and p.severity == "info" and p.action == "review_help"
    [p] = [p for p in open_points(c.state, date(2026, 10, 16)) if p.rule == "help_review_due"]
    assert p.severity == "overdue"
    c.add("help_reviewed", {"on": "2026-09-01", "results_reached": False, "violence_continues": False,
                            "notes": "Nog niet", "next_review_on": "2026-11-01"})
    [p] = [p for p in open_points(c.state, BASE) if p.rule == "help_review_due"]
    assert p.due == date(2026, 11, 1)


def test_rule_help_violence_continues():
    c = Case(DOB_14).through_step(4)
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True); c.plan(); c.step(5)
    assert "help_violence_continues" not in codes(c.state)
    c.add("help_reviewed", {"on": "2026-09-01", "results_reached": False, "violence_continues": True,
                            "notes": "Geweld gaat door"})
    points = [p for p in open_points(c.state, BASE) if p.rule == "help_violence_continues"]
    assert points and points[0].action == "record_report" and "alsnog" in points[0].text
    c.contact(("pupil",)); c.report()
    assert "help_violence_continues" not in codes(c.state)


def test_rule_follow_up_due():
    c = Case()
    fu = c.add("follow_up_agreed", {"description": "Terugbellen", "due_on": "2026-08-31", "who": "IB"})
    [p] = [p for p in open_points(c.state, BASE) if p.rule == "follow_up_due"]
    assert p.severity == "overdue" and p.action == "complete_follow_up"
    c.add("follow_up_done", {"target_seq": fu.seq, "on": "2026-09-01"})
    assert "follow_up_due" not in codes(c.state)


def test_rule_injury_medical_consult():
    c = Case()
    c.signal(injury=True)
    assert "injury_medical_consult" in codes(c.state)
    c.consult("vertrouwensarts", anonymous=True)
    assert "injury_medical_consult" not in codes(c.state)


# --------------------------------------------------------------------------- plausible dates

def test_rule_pupil_age_plausible():
    """Abuse (the issue's): a date of birth in the year 0001 was accepted; so was one after the
    opening day. 0 and 25 on the opening day are the bounds, both accepted."""
    refused("pupil_age_plausible", Case, "0001-01-01")
    refused("pupil_age_plausible", Case, "2000-08-31")                    # 26 on 2026-09-01
    Case("2001-09-01")                                                   # exactly 25
    Case("2026-09-01")                                                   # born today: 0
    refused("date_not_in_future", Case, "2026-09-02")                     # not born yet
    with pytest.raises(RuleViolation):                                   # replay (import) too
        check(CaseState(), "case_opened", validate("case_opened", {
            "pupil": {"name": "X (fictief)", "date_of_birth": "0001-01-01"}, "owner": "x"}),
            BASE, replay=True)


def test_rule_date_not_before_birth():
    c = Case(DOB_9)
    refused("date_not_before_birth", c.signal, observed_on="2017-02-28")
    c.signal(observed_on="2017-03-01")
    refused("date_not_before_birth", c.add, "follow_up_agreed",
            {"description": "Gesprek", "due_on": "2010-01-01", "who": "juf"})
    refused("date_not_before_birth", c.add, "record_corrected",
            {"target_seq": 2, "changes": {"observed_on": "1999-01-01"},
             "reason": "Datum verkeerd overgenomen"})


def test_rule_consultation_anonymous():
    """Abuse (the issue's): a consultation ticked "anoniem" named the pupil and nothing said so,
    while the VT form and the advies export each had their own idea of "anonymous"."""
    c = Case()
    first = c.state.pupil.name.split()[0]
    e = refused("consultation_anonymous", c.consult, "colleague", anonymous=True,
                question=f"Hoe duiden we wat {first} vertelde?")
    assert "de vraag" in str(e) and first not in str(e)
    refused("consultation_anonymous", c.consult, "vertrouwensarts", anonymous=True,
            advice="Leerlingnummer F-001 nagevraagd")
    c.consult("colleague", anonymous=True, question="Hoe duiden we wat een leerling van 9 vertelde?")
    c.consult("colleague", anonymous=False, question=f"Hoe duiden we wat {first} vertelde?")


@pytest.mark.parametrize("text,identifies", [
    ("Een leerling van 9 jaar vertelt over slaag thuis.", False),
    ("Sanne vertelt over slaag thuis.", True),
    ("De leerling uit groep 5b vertelt over slaag.", True),
    ("Leerlingnummer F-001 vertelt over slaag.", True),
    ("Geboren op 01-03-2017, vertelt over slaag.", True),
    ("Ouder de Vries is boos.", True),
])
def test_one_anonymity_verdict_everywhere(text, identifies):
    """The VT-advice rule, an anonymous consultation and the advies export give the same verdict
    on the same text (domain/anonymity.py is the one check)."""
    from meldcode_tui.domain.anonymity import case_pattern, find_identifiers
    from meldcode_tui.exports.advies import AnonymisationError, advies_document
    from meldcode_tui.plugins.exporting import ExportRequest

    verdicts = []
    for kind in ("veilig_thuis_advice", "colleague"):
        c = Case()
        try:
            c.consult(kind, anonymous=True, question=text)
            verdicts.append(False)
        except RuleViolation:
            verdicts.append(True)
    c = Case()
    c.consult("colleague", anonymous=False, question=text)
    request = ExportRequest(case=c.state, events=list(c.events), journal_ref="1:x",
                            exported_at="2026-09-01T10:00:00.000000Z", actor="coordinator", school="")
    try:
        advies_document(request)
        verdicts.append(False)
    except AnonymisationError:
        verdicts.append(True)
    verdicts.append(find_identifiers(text, case_pattern(c.state)))
    assert verdicts == [identifies] * 4, verdicts
# --------------------------------------------------------------------------- acute danger

ACUTE = {"on": "2026-09-01", "reported_to": ["veilig_thuis_phone"], "by_whom": "Aandachtsfunctionaris (fictief)",
         "agreed": "Veilig Thuis komt vandaag langs; school houdt het kind op school",
         "child_safety": "Kind is nu veilig op school"}


def test_rule_acute_catch_up():
    # Without an acute report the step order holds.
    c = Case()
    refused("step_order", c.talk)
    # An acute report is accepted at step 1, before anything else is on record ...
    c.add("acute_report", ACUTE)
    s = c.state
    assert s.status == "gemeld" and s.has_report and s.step == 1
    points = open_points(s, BASE)
    vt = [p for p in points if p.rule == "vt_feedback_due"]
    assert vt and vt[0].due == date(2026, 9, 8)          # 5 working days after 1-9-2026
    acute = [p for p in points if p.code.startswith("acute:")]
    assert {p.rule for p in acute} >= {"step1_signals", "step2_consultation", "step2_care_team"}
    # ... and the missing steps are caught up afterwards rather than refused.
    c.talk()                                               # step 3 intent before step 2
    c.answer(1, "yes"); c.answer(2, "yes")
    c.add("vt_feedback_recorded", {"on": "2026-09-01", "outcome": "Veilig Thuis pakt het op"})
    c.signal(); c.step(1); c.consult(); c.team(); c.step(2); c.step(3); c.step(4)
    assert c.state.steps_completed == [1, 2, 3, 4]
    # The report path: no pre-report contact is demanded for an acute report already made.
    assert not any(p.rule == "report_needs_contact" for p in open_points(c.state, BASE))
    # Refused: on a staff-route case, on a closed case, and with a date in the future.
    refused("staff_route_no_meldcode", Case(staff_suspicion=True).add, "acute_report", ACUTE)
    closed = Case()
    closed.add("case_closed", {"grounds": "other", "reason": "Leerling verhuisd naar het buitenland"})
    refused("case_closed_readonly", closed.add, "acute_report", ACUTE)
    refused("date_not_in_future", Case().add, "acute_report", {**ACUTE, "on": "2026-09-05"})
    with pytest.raises(InputError) as info:
        Case().add("acute_report", {**ACUTE, "reported_to": ["neighbour"]})
    assert info.value.field == "reported_to"


def test_rule_close_unsafety_needs_report():
    for q2 in ("yes", "doubt"):
        c = Case().through_step(3)
        c.answer(1, "yes"); c.answer(2, q2)
        for grounds in ("other", "no_suspicion", "concern_removed"):
            refused("close_unsafety_needs_report", c.add, "case_closed",
                    {"grounds": grounds, "reason": "Leerling verhuisd naar een andere school"})
        c.consult("veilig_thuis_advice"); c.step(4)
        c.contact(); c.report(); c.outcome()
        c.add("case_closed", {"grounds": "reported", "reason": "Veilig Thuis heeft de casus overgenomen"})
        assert c.state.closed
    # An acute report is itself the report on record.
    c = Case()
    c.add("acute_report", ACUTE)
    c.outcome()
    c.add("case_closed", {"grounds": "other", "reason": "Veilig Thuis heeft de casus overgenomen"})
    # Q2 "no": the guard does not apply.
    c = Case().through_step(4)
    c.add("case_closed", {"grounds": "other", "reason": "Leerling verhuisd naar het buitenland"})


def test_anonymity_remembers_earlier_zorgteams_and_corrected_names():
    """Abuse: name a colleague from an earlier zorgteam, or the pupil's name as first written
    (and corrected since), in an 'anonymous' question. Both still identify the case."""
    from meldcode_tui.domain.anonymity import case_pattern, find_identifiers

    c = Case()
    c.signal()
    c.step(1)
    c.add("care_team_set", {"members": [{"role": "leerkracht", "name": "Wendelien Oosterhuis (fictief)",
                                         "user": "woosterhuis"}]})
    c.team()  # a new zorgteam without her
    original_first = c.state.pupil.name.split()[0]
    pupil = {**c.events[0].payload["pupil"], "name": "Femke Brouwer (fictief)"}
    c.add("record_corrected", {"target_seq": 1, "changes": {"pupil": pupil},
                               "reason": "Naam verkeerd overgenomen uit het leerlingdossier"})
    assert c.state.pupil.name.startswith("Femke")
    pattern = case_pattern(c.state)
    for text in ("Oosterhuis twijfelt", "Gevraagd aan woosterhuis", f"{original_first} vertelt iets",
                 "Femke vertelt iets"):
        assert find_identifiers(text, pattern), text
        refused("vt_advice_anonymous", c.consult, "veilig_thuis_advice", anonymous=True, question=text)
        refused("consultation_anonymous", c.consult, "colleague", anonymous=True, question=text)
    assert not find_identifiers("Een leerling van 9 vertelt iets", pattern)


# --------------------------------------------------------------------------- the family

MOTHER = {"name": "Petra Jansen (fictief)", "relation": "parent", "relation_detail": "moeder", "gezag": "yes",
          "date_of_birth": "1988-02-03", "address": "Lindelaan 1, Fictiefdorp", "phone": "06-00000000",
          "language": "Nederlands"}


def test_rule_ended_names_a_current_person():
    c = Case()
    mother = c.add("household_member_added", MOTHER)
    pro = c.add("professional_added", {"name": "Wijkcoach (fictief)", "organisation": "Wijkteam Fictief"})
    assert [r.seq for r in c.state.household] == [mother.seq]
    refused("ended_names_a_current_person", c.add, "household_member_left",
            {"target_seq": pro.seq, "reason": "Verhuisd naar elders"})          # not a household member
    c.add("household_member_left", {"target_seq": mother.seq, "reason": "Woont niet meer in het gezin"})
    assert c.state.household == [] and [r.seq for r in c.state.professionals] == [pro.seq]
    refused("ended_names_a_current_person", c.add, "household_member_left",
            {"target_seq": mother.seq, "reason": "Nog een keer"})               # already gone
    refused("ended_names_a_current_person", c.add, "professional_ended",
            {"target_seq": 999, "reason": "Bestaat niet"})


def test_household_member_validation():
    from meldcode_tui.domain.events import validate
    from meldcode_tui.errors import InputError

    assert validate("household_member_added", {"name": "Kim (fictief)", "relation": "sibling"})["gezag"] == "unknown"
    for bad in ({"name": "", "relation": "parent"}, {"name": "X (fictief)", "relation": "buurman"},
                {"name": "X (fictief)", "relation": "parent", "gezag": "misschien"},
                {"name": "X\x1b[2J (fictief)", "relation": "parent"},
                {"name": "X (fictief)", "relation": "parent", "date_of_birth": "2026-13-01"}):
        with pytest.raises(InputError):
            validate("household_member_added", bad)


def test_rule_case_link_once():
    c = Case()
    c.add("case_linked", {"other_case": "MC-0002", "relation": "sibling"})
    assert c.state.linked_cases == {"MC-0002": "sibling"}
    refused("case_link_once", c.add, "case_linked", {"other_case": "MC-0002", "relation": "sibling"})
    refused("case_link_once", c.add, "case_linked", {"other_case": "MC-0001", "relation": "sibling"})


def test_rule_body_mark_on_signal():
    from meldcode_tui.domain.body_map import BY_ID, neighbour

    c = Case()
    sig = c.signal(injury=True)
    mark = {"signal_seq": sig.seq, "region": "arm_left", "what": "bruise", "size": "3 cm", "colour": "blauw",
            "observed_on": "2026-08-30", "observed_by": "Juf (fictief)"}
    c.add("body_mark_recorded", mark)
    assert [m.payload["region"] for m in c.state.body_marks] == ["arm_left"]
    refused("body_mark_on_signal", c.add, "body_mark_recorded", {**mark, "signal_seq": 1})   # the case_opened
    refused("body_mark_on_signal", c.add, "body_mark_recorded", {**mark, "signal_seq": 99})
    refused("date_not_in_future", c.add, "body_mark_recorded", {**mark, "observed_on": "2026-09-30"})
    # Arrow keys move to the neighbour in that direction, within the same view.
    assert neighbour(BY_ID["chest"], "down").id == "belly"
    assert neighbour(BY_ID["chest"], "right").id == "arm_left"   # the pupil's left, on the viewer's right
    assert neighbour(BY_ID["head"], "up").id == "head"            # nothing above: stays
    assert neighbour(BY_ID["upper_back"], "down").id == "lower_back"
# --------------------------------------------------------------------------- after the report
# Veilig Thuis reports back within 5 working days (triage) and at the end of its involvement
# (outcome); the school evaluates, keeps following the child and reports again if concerns remain.

def _reported_case():
    c = Case().through_step(3)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    c.contact(); c.report()
    return c


def test_rule_close_reported_needs_outcome():
    c = _reported_case()
    close = {"grounds": "reported", "reason": "Veilig Thuis heeft de casus overgenomen"}
    e = refused("close_reported_needs_outcome", c.add, "case_closed", close)
    assert "eindterugkoppeling" in str(e)
    c.feedback("first")
    # The first feedback (triage) no longer prompts closing; it says to wait for the final one.
    points = {p.code: p for p in open_points(c.state, BASE)}
    assert "close_reported" not in points and points["vt_final_feedback"].action == "record_vt_feedback"
    refused("close_reported_needs_outcome", c.add, "case_closed", close)
    refused("close_reported_needs_outcome", c.add, "case_closed",
            {"grounds": "other", "reason": "Het lijkt goed te gaan thuis"})
    c.feedback("final")
    assert "school_evaluation" in {p.code for p in open_points(c.state, BASE)}
    e = refused("close_reported_needs_outcome", c.add, "case_closed", close)
    assert "evalu" in str(e)
    c.evaluate(False)
    assert "close_reported" in {p.code for p in open_points(c.state, BASE)}
    c.add("case_closed", close)
    assert c.state.closed
    # Moved away: closes before Veilig Thuis's final feedback, with the new school recorded.
    m = _reported_case()
    with pytest.raises(InputError) as info:
        validate("case_closed", {"grounds": "moved_away", "reason": "Gezin is verhuisd naar Zeeland"})
    assert info.value.field == "new_school"
    m.add("case_closed", {"grounds": "moved_away", "reason": "Gezin is verhuisd naar Zeeland",
                          "new_school": "OBS De Verre Verte (fictief)"})
    assert m.state.closure.get("new_school") == "OBS De Verre Verte (fictief)"
    # ... but never over unsafety without a report (the guard comes first).
    u = Case().through_step(3)
    u.answer(1, "yes"); u.answer(2, "doubt")
    refused("close_unsafety_needs_report", u.add, "case_closed",
            {"grounds": "moved_away", "reason": "Gezin is verhuisd naar Zeeland", "new_school": "OBS (fictief)"})
    # Old feedback records without a stage count as the first feedback.
    assert validate("vt_feedback_recorded", {"on": "2026-09-01", "outcome": "Triage"})["stage"] == "first"


def test_rule_close_concerns_remain():
    c = _reported_case()
    c.feedback("first"); c.feedback("final"); c.evaluate(True)
    points = {p.code: p for p in open_points(c.state, BASE)}
    assert points["report_again"].action == "record_report" and points["report_again"].severity == "due"
    refused("close_concerns_remain", c.add, "case_closed",
            {"grounds": "reported", "reason": "Veilig Thuis heeft de casus overgenomen"})
    # Re-report: a new contact beforehand and a new report, then again both feedbacks and an evaluation.
    c.contact(); c.report()
    assert "report_again" not in {p.code for p in open_points(c.state, BASE)}
    refused("close_reported_needs_outcome", c.add, "case_closed",
            {"grounds": "reported", "reason": "Veilig Thuis heeft de casus overgenomen"})
    c.feedback("first"); c.feedback("final"); c.evaluate(False)
    c.add("case_closed", {"grounds": "reported", "reason": "Veilig Thuis heeft de casus overgenomen"})
    assert c.state.closed and len(c.state.reports) == 2


def test_rule_school_evaluation_needs_report():
    c = Case().through_step(4)
    refused("school_evaluation_needs_report", c.evaluate, False)
    c = _reported_case()
    c.evaluate(False)          # periodic follow-up ("blijven volgen") may come before the outcome
    assert len(c.state.school_evaluations) == 1


# --------------------------------------------------------------------------- help

def _help_case():
    c = Case().through_step(4)
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True)
    return c


PLAN = {"description": "Gezinscoach", "agreements": "Wekelijks contact", "roles": "IB'er volgt",
        "case_manager": "IB'er (fictief)", "results_expected": "Geen nieuwe signalen"}


def test_rule_help_review_after_start():
    c = _help_case()
    # Help that already started: the review date may be in the past, but after the start.
    refused("help_review_after_start", c.add, "help_planned",
            {**PLAN, "starts_on": "2026-08-01", "review_on": "2026-07-15"})
    refused("help_review_after_start", c.add, "help_planned",
            {**PLAN, "starts_on": "2026-08-01", "review_on": "2026-08-01"})
    c.add("help_planned", {**PLAN, "starts_on": "2026-06-01", "review_on": "2026-08-15"})
    assert c.state.help_plan.get("starts_on") == "2026-06-01"
    # The review is then already due (overdue), as the open points say.
    points = {p.rule: p for p in open_points(c.state, BASE)}
    assert points["help_review_due"].severity == "overdue"


def test_help_review_date_future_without_a_start():
    c = _help_case()
    refused("help_review_date_future", c.add, "help_planned", {**PLAN, "review_on": "2026-08-15"})
    c.add("help_planned", {**PLAN, "review_on": "2026-10-15"})
    refused("help_review_date_future", c.add, "help_reviewed",
            {"on": "2026-09-01", "results_reached": False, "violence_continues": False,
             "notes": "Loopt", "next_review_on": "2026-08-01"})


def test_rule_help_review_goal_results():
    c = _help_case()
    c.add("help_planned", {**PLAN, "review_on": "2026-10-15",
                           "goals": ["Elke dag op tijd op school", "Ontbijt gehad"]})
    review = {"on": "2026-09-01", "violence_continues": False, "notes": "Besproken met het zorgteam"}
    e = refused("help_review_goal_results", c.add, "help_reviewed", {**review, "results_reached": True})
    assert "1 tot en met 2" in str(e) and "1, 2" in str(e)
    refused("help_review_goal_results", c.add, "help_reviewed",
            {**review, "results_reached": True, "goal_results": [{"goal": 1, "reached": True}]})
    refused("help_review_goal_results", c.add, "help_reviewed",
            {**review, "results_reached": True, "goal_results": [
                {"goal": 1, "reached": True}, {"goal": 1, "reached": True}, {"goal": 2, "reached": True}]})
    refused("help_review_goal_results", c.add, "help_reviewed",
            {**review, "results_reached": True, "goal_results": [
                {"goal": 1, "reached": True}, {"goal": 2, "reached": False}]})
    c.add("help_reviewed", {**review, "results_reached": False, "goal_results": [
        {"goal": 1, "reached": True, "note": "Elke dag op tijd"}, {"goal": 2, "reached": False}]})
    assert [r["reached"] for r in c.state.help_reviews[-1]["goal_results"]] == [True, False]
    # A plan without goals takes no per-goal results.
    d = _help_case()
    d.add("help_planned", {**PLAN, "review_on": "2026-10-15"})
    refused("help_review_goal_results", d.add, "help_reviewed",
            {**review, "results_reached": True, "goal_results": [{"goal": 1, "reached": True}]})
    d.add("help_reviewed", {**review, "results_reached": True})


# --------------------------------------------------------------------------- corrections

def test_rule_disclosure_straight_to_q2():
    c = Case()
    refused("step_order", c.answer, 1, "yes")        # an ordinary signal: the steps come first
    c.signal(description="Sanne vertelt dat haar vader haar slaat", disclosure=True)
    points = {p.code: p for p in open_points(c.state, BASE)}
    assert points["disclosure_today"].rule == "disclosure_straight_to_q2"
    assert points["disclosure_today"].action == "record_consultation" and "vandaag" in points["disclosure_today"].text
    assert points["disclosure_q2"].action == "answer_weighing"
    c.answer(1, "yes"); c.answer(2, "yes")           # straight to Q2, before steps 2 and 3
    refused("step_order", c.answer, 3, "yes", with_veilig_thuis=True)   # Q3-5 stay in order
    c.consult("zorgteam", with_whom="Aandachtsfunctionaris (fictief)", on="2026-09-01")
    codes_ = {p.code for p in open_points(c.state, BASE)}
    assert "disclosure_today" not in codes_ and "disclosure_q2" not in codes_
    # A disclosure is unsafety: no closing without a report.
    d = Case()
    d.signal(disclosure=True)
    refused("close_unsafety_needs_report", d.add, "case_closed",
            {"grounds": "other", "reason": "Kind nam het later terug"})
    assert validate("signal_recorded", {"description": "x", "observed_on": "2026-09-01",
                                        "observed_by": "juf", "source": "own"}).get("disclosure") is None


def test_conversation_interpretation_zo_nodig():
    """Basismodel stap 3: "pas na deze reactie *zo nodig* ... een interpretatie": no interpretation,
    with a word why, still counts as a complete conversation."""
    c = Case().through_step(2)
    c.talk(interpretation_after_reaction=False)
    refused("conversation_four_elements", c.step, 3)
    c.talk(interpretation_after_reaction=False,
           interpretation_not_needed="Het kind gaf zelf al de uitleg; duiden was niet nodig")
    c.step(3)


def test_reporter_not_disclosed_three_grounds():
    for ground in ("child_safety", "reporter_safety", "trust_relationship"):
        c = Case().through_step(4)
        c.exception("reporter_not_disclosed", ground, "De relatie met het gezin breekt als zij weten wie meldde")
        assert c.state.exception("reporter_not_disclosed")
    c = Case().through_step(4)
    refused("exception_ground_allowed", c.exception, "reporter_not_disclosed", "out_of_sight",
            "De leerling raakt uit beeld als het gezin het weet")
    refused("exception_ground_allowed", c.exception, "no_conversation_pupil", "trust_relationship",
            "De relatie met het gezin breekt als zij weten wie meldde")


def test_rule_decision_makers():
    """The zorgteam decides (protocol stap 5): by default at least two people with a zorgteam or
    coordinator role, one of them second-line staff. The seed's own zorgteam (schoolleider, interne
    vertrouwenspersoon, ondersteuningscoach) can decide without a coordinator role; who decides is
    the school's to configure."""
    from meldcode_tui.domain.care_team import CareTeamPolicy

    def case(policy=None):
        c = Case(**({"policy": policy} if policy else {})).through_step(4)
        c.answer(3, "yes"); c.answer(4, "yes")
        return c

    def decide(c, *makers):
        return c.add("decision_recorded", {"report_needed": False, "help_possible": True,
                                           "reason": "Besloten met het zorgteam",
                                           "decided_by": [{"name": n, "role": r} for n, r in makers]})

    juf = ("Juf (fictief)", "leerkracht")
    ivp = ("Karin (fictief)", "interne_vertrouwenspersoon")
    refused("decision_makers", decide, case(), juf)                       # one person, first line only
    refused("decision_makers", decide, case(), juf, ("Meester (fictief)", "leerkracht"))   # no second line
    refused("decision_makers", decide, case(), ivp)                       # one person
    e = refused("decision_makers", decide, case(), ivp, ("Karin (fictief) ", "interne_vertrouwenspersoon"))
    assert "minstens 2" in str(e)                                          # the same name twice
    refused("decision_makers", decide, case(), ivp, ("Iemand (fictief)", "other"))   # 'other' does not decide
    c = case()
    decide(c, ("Ingrid (fictief)", "schoolleider"), ivp, ("Mark (fictief)", "ondersteuningscoach"))
    assert [m["role"] for m in c.state.decision["decided_by"]] == [
        "schoolleider", "interne_vertrouwenspersoon", "ondersteuningscoach"]
    decide(case(), juf, ("Anouk (fictief)", "aandachtsfunctionaris"))
    # Configured: three deciders, and only the IVP and the schoolleider.
    three = CareTeamPolicy.from_config(deciders=["interne_vertrouwenspersoon", "schoolleider", "leerkracht"],
                                       min_deciders=3)
    refused("decision_makers", decide, case(three), ivp, ("Ingrid (fictief)", "schoolleider"))
    refused("decision_makers", decide, case(three), ivp, ("Ingrid (fictief)", "schoolleider"),
            ("Mark (fictief)", "ondersteuningscoach"))
    decide(case(three), ivp, ("Ingrid (fictief)", "schoolleider"), juf)
    decide(case(), ivp, ("Ingrid (fictief)", "schoolleider"))     # the policy was passed, not kept
    with pytest.raises(InputError):
        CareTeamPolicy.from_config(deciders=["Rector!"])
    with pytest.raises(InputError):
        CareTeamPolicy.from_config(min_deciders=0)
    # The coordinator alone records the decision of the case's zorgteam: accepted when that team
    # can decide (the full team of four here), refused when it cannot (only the coordinator herself
    # and a role that does not decide).
    decide(case(), ("Anouk (fictief)", "coordinator"))
    from meldcode_tui.domain.rules import _check_decision_makers

    lone = Case().state
    lone.care_team = [{"name": "Anouk (fictief)", "role": "aandachtsfunctionaris"},
                      {"name": "Iemand (fictief)", "role": "other"}]
    refused("decision_makers", _check_decision_makers,
            {"decided_by": [{"name": "Anouk (fictief)", "role": "coordinator"}]}, False, lone)
    # An older record with one coordinator still replays (the names as they were recorded).
    c = case()
    payload = {"report_needed": False, "help_possible": True, "reason": "Besloten met het zorgteam",
               "decided_by": [{"name": "Anouk (fictief)", "role": "coordinator"}]}
    check(c.state, "decision_recorded", validate("decision_recorded", payload), BASE, replay=True)


def test_care_team_roles_from_the_config():
    """[zorgteam] roles / required: a school with an intern begeleider instead of an
    ondersteuningscoach; step 2 asks for the roles that school requires."""
    from meldcode_tui.domain.care_team import CareTeamPolicy

    school = CareTeamPolicy.from_config(
        ["leerkracht", "intern_begeleider", "schoolleider", "aandachtsfunctionaris"],
        ["leerkracht", "intern_begeleider", "aandachtsfunctionaris"])
    c = Case(policy=school).through_step(1)
    c.consult()
    c.team(roles=("leerkracht", "intern_begeleider", "schoolleider"))
    e = refused("step2_care_team", c.step, 2)
    assert "aandachtsfunctionaris" in str(e) and "ondersteuningscoach" not in str(e)
    c.team(roles=("leerkracht", "intern_begeleider", "aandachtsfunctionaris"))
    c.step(2)
    with pytest.raises(InputError):
        CareTeamPolicy.from_config(["leerkracht"], ["schoolleider"])
    with pytest.raises(InputError):
        CareTeamPolicy.from_config(["Leerkracht!"])
    # Back to the protocol's four.
    c = Case().through_step(1)
    c.consult(); c.team(roles=("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach"))
    refused("step2_care_team", c.step, 2)


def test_rule_staff_route_records_only():
    c = Case().through_step(1)
    refused("staff_route_records_only", c.add, "staff_route_recorded",
            {"on": "2026-09-01", "record_type": "facts", "summary": "Feiten"})
    s = Case(staff_suspicion=True)
    s.add("staff_suspicion_routed", {"on": "2026-09-01", "routed_to": ["school_board"],
                                     "reason": "Vermoeden tegen een medewerker gemeld bij het bestuur"})
    todo = {p.code: p for p in open_points(s.state, BASE)}["staff_route_records"]
    assert todo.action == "record_staff_route" and "vertrouwensinspecteur" in todo.text
    for t in ("facts", "inspector_advice", "board_decision", "outcome"):
        s.add("staff_route_recorded", {"on": "2026-09-01", "record_type": t, "summary": f"Vastgelegd: {t}"})
    assert "staff_route_records" not in {p.code for p in open_points(s.state, BASE)}
    refused("staff_route_no_meldcode", s.signal)       # the Meldcode steps stay refused
    s.add("case_closed", {"grounds": "staff_route", "reason": "Bestuur heeft aangifte gedaan; afgerond"})


def test_afwegingskader_official_wording():
    """Afwegingskader onderwijs (2019): Q3 'kan de dreiging ... worden afgewend', Q5 'herstel'."""
    from meldcode_tui.domain.afwegingskader import question_text

    assert "dreiging" in question_text(3) and "afgewend" in question_text(3)
    assert "herstel" in question_text(5)


EMERGENCY = {**ACUTE, "reported_to": ["emergency_112", "police"],
             "agreed": "Politie komt naar school", "child_safety": "Kind blijft bij de leerkracht"}


def test_rule_acute_help_not_a_melding():
    """A call to 112, the police or the huisarts protects the child now but is no melding: the case
    is 'acute hulp', the guide's first point is to report to Veilig Thuis today, and neither step 5
    nor closing accepts the call in place of the melding (Veilig Thuis, vooreenveiligthuis.nl for
    professionals: the melding is made at Veilig Thuis, 0800-2000 or its form)."""
    for to in (["emergency_112"], ["police"], ["huisarts"], ["emergency_112", "police", "huisarts"]):
        c = Case()
        c.add("acute_report", {**EMERGENCY, "reported_to": to})
        s = c.state
        assert not s.has_report and s.status == "acuut" and not s.meldingen
        points = open_points(s, BASE)
        assert points[0].code == "melding_after_acute" and points[0].due == BASE
        assert points[0].severity == "due" and points[0].action == "record_acute_report"
        assert open_points(s, date(2026, 9, 2))[0].severity == "overdue"
        assert not any(p.rule == "vt_feedback_due" for p in points)   # no feedback clock runs
        for grounds in ("other", "reported", "moved_away"):
            refused("acute_help_not_a_melding", c.add, "case_closed",
                    {"grounds": grounds, "reason": "Politie heeft het kind meegenomen",
                     "new_school": "OBS Elders (fictief)"})
        refused("vt_feedback_needs_report", c.feedback)
    # Step 5 is not satisfied by the call either.
    c = Case().through_step(3)
    c.add("acute_report", EMERGENCY)
    c.answer(1, "yes"); c.answer(2, "yes"); c.step(4)
    c.answer(3, "no", with_veilig_thuis=True)
    c.decide(True, False)
    refused("step5_report", c.step, 5)
    # The melding at Veilig Thuis by phone: one acute record, the point goes, the clock starts.
    c.add("acute_report", ACUTE)
    s = c.state
    assert s.has_report and s.status == "gemeld" and len(s.meldingen) == 1
    points = open_points(s, BASE)
    assert not any(p.code == "melding_after_acute" for p in points)
    assert any(p.rule == "vt_feedback_due" for p in points)
    c.step(5)
    c.feedback("first"); c.outcome()
    c.add("case_closed", {"grounds": "reported", "reason": "Veilig Thuis heeft de casus overgenomen"})
    # An acute call to Veilig Thuis itself stays one record and is the melding.
    c = Case()
    c.add("acute_report", {**ACUTE, "reported_to": ["veilig_thuis_phone", "police"]})
    assert c.state.has_report and c.state.status == "gemeld"
    assert not any(p.code == "melding_after_acute" for p in open_points(c.state, BASE))


def test_rule_conversation_danger_consult_vt():
    """A signal of honour-related violence (the catalogue category's flag recorded with it) or the
    child's own account marked so: the guide warns before any conversation with the parents and
    proposes the exception; a conversation with the parents is refused until Veilig Thuis is
    consulted; the exception 'geen gesprek met de ouders' (veiligheid) is the other way (the school's
    protocol, step 3 "Geen gesprek met de cliënt/dader")."""
    ref = {"catalogue_id": "meldcode-basis", "signal_id": "mb-0120", "conversation_danger": True,
           "text": "De jongere vertelt dat de familie al een partner voor haar of hem heeft gekozen."}
    for signal in ({"catalogue": ref}, {"disclosure": True, "conversation_danger": True}):
        c = Case(DOB_14)
        c.signal(**signal)
        s = c.state
        assert s.conversation_danger_signals
        points = open_points(s, BASE)
        warn = [p for p in points if p.code == "conversation_danger"]
        assert warn and warn[0].action == "record_consultation" and "Veilig Thuis" in warn[0].text
        c.step(1); c.consult(); c.team(); c.step(2)
        step3 = [p for p in open_points(c.state, BASE) if p.rule == "conversation_danger_consult_vt"
                 and p.action == "record_exception"]
        assert step3 and "geen gesprek met de ouders" in step3[0].text
        refused("conversation_danger_consult_vt", c.talk, ("parents",))
        refused("conversation_danger_consult_vt", c.talk, ("pupil", "parents"))
        c.talk(("pupil",), parents_informed_beforehand=True)   # the pupil alone: no refusal
    # After Veilig Thuis's advice the warning goes and the conversation is possible.
    c.consult("veilig_thuis_advice", question="Jongere vertelt over een gekozen partner",
              advice="Nog niet met de ouders praten; melden")
    assert not any(p.code == "conversation_danger" for p in open_points(c.state, BASE))
    c.talk(("parents",))
    # Or, without the conversation: the proposed exception satisfies step 3.
    c = Case(DOB_14)
    c.signal(catalogue=ref); c.step(1); c.consult(); c.team(); c.step(2)
    c.talk(("pupil",), parents_informed_beforehand=True)
    c.exception("no_conversation_parents", "safety",
                "Gesprek met de ouders brengt het meisje in gevaar; Veilig Thuis geraadpleegd")
    c.step(3)
    assert not any(p.rule == "conversation_danger_consult_vt" for p in open_points(c.state, BASE))
    # A signal without the flag changes nothing; a contradicting one neither.
    c = Case(DOB_14)
    c.signal(catalogue={**ref, "conversation_danger": False})
    c.signal(contradicting=True, conversation_danger=True)
    assert not c.state.conversation_danger_signals


def test_rule_vt_final_after_first():
    """Veilig Thuis's final feedback follows a first one about the same melding; a new melding
    starts the cycle over (seen: stages first, final, first, and the case closed on 'gemeld' while
    Veilig Thuis was still busy)."""
    from meldcode_tui.domain.rules import feedback_stage_due

    c = _reported_case()
    assert feedback_stage_due(c.state) == "first"
    refused("vt_final_after_first", c.feedback, "final")
    c.feedback("first")
    assert feedback_stage_due(c.state) == "final"
    c.feedback("final"); c.evaluate(True)
    # Re-report: the default is the first feedback again, and a final one is refused until then.
    c.contact(); c.report()
    assert feedback_stage_due(c.state) == "first"
    refused("vt_final_after_first", c.feedback, "final")
    close = {"grounds": "reported", "reason": "Veilig Thuis heeft de casus overgenomen"}
    c.feedback("first")
    refused("close_reported_needs_outcome", c.add, "case_closed", close)
    c.feedback("final"); c.evaluate(False)
    c.add("case_closed", close)
    # Old records without a stage are the first feedback.
    old = _reported_case()
    old.add("vt_feedback_recorded", {"on": "2026-09-01", "outcome": "Triage"})
    assert feedback_stage_due(old.state) == "final"


def test_rule_vt_feedback_follows():
    """Veilig Thuis's structured feedback: its decision from a fixed list (plus 'anders'), who takes
    over, the contact person and what it asks of the school; the open points follow from it."""
    c = _reported_case()
    fb = {"on": "2026-09-01", "outcome": "Overgedragen", "stage": "first", "decision": "local_team",
          "contact_person": "Mevr. Wijk (fictief)", "asks_of_school": "Meld nieuwe signalen aan het wijkteam"}
    with pytest.raises(InputError) as info:                 # a hand-over names who takes over
        validate("vt_feedback_recorded", fb)
    assert info.value.field == "taken_over_by"
    with pytest.raises(InputError):
        validate("vt_feedback_recorded", {**fb, "decision": "onbekend"})
    c.add("vt_feedback_recorded", {**fb, "taken_over_by": "Wijkteam Noord (fictief)"})
    points = {p.code.split(":")[0]: p for p in open_points(c.state, BASE)}
    asks = points["vt_asks"]
    assert asks.rule == "vt_feedback_follows" and asks.action == "agree_follow_up"
    assert "Meld nieuwe signalen aan het wijkteam." in asks.text
    assert "Wijkteam Noord (fictief)" in points["vt_handover"].text
    assert "Mevr. Wijk (fictief)" in points["vt_handover"].text
    c.add("follow_up_agreed", {"description": "Nieuwe signalen naar het wijkteam", "due_on": "2026-10-01",
                               "who": "IVP"})
    assert "vt_asks" not in {p.code.split(":")[0] for p in open_points(c.state, BASE)}
    # 'anders' and an old free-text feedback: no structured points, still valid.
    assert validate("vt_feedback_recorded", {**fb, "decision": "other"})["decision"] == "other"
    old = validate("vt_feedback_recorded", {"on": "2026-09-01", "outcome": "Triage"})
    assert "decision" not in old and old["stage"] == "first"


def test_rule_reporter_not_disclosed_with_vt():
    """Not telling the family who reported is decided with Veilig Thuis: the exception names who
    at Veilig Thuis agreed and when; an older record without them still replays."""
    c = Case().through_step(4)
    base = {"exception": "reporter_not_disclosed", "ground": "reporter_safety",
            "reason": "De melder vreest voor haar veiligheid als het gezin het hoort"}
    refused("reporter_not_disclosed_with_vt", c.add, "exception_recorded", dict(base))
    refused("reporter_not_disclosed_with_vt", c.add, "exception_recorded",
            {**base, "vt_agreed_by": "Medewerker Veilig Thuis (fictief)"})
    refused("date_not_in_future", c.add, "exception_recorded",
            {**base, "vt_agreed_by": "Medewerker Veilig Thuis (fictief)", "vt_agreed_on": "2026-09-30"})
    c.add("exception_recorded", {**base, "vt_agreed_by": "Medewerker Veilig Thuis (fictief)",
                                 "vt_agreed_on": "2026-09-01"})
    rec = c.state.exception("reporter_not_disclosed")
    assert rec["vt_agreed_by"] == "Medewerker Veilig Thuis (fictief)" and rec["vt_agreed_on"] == "2026-09-01"
    old = Case().through_step(4)
    check(old.state, "exception_recorded", validate("exception_recorded", base), BASE, replay=True)
    # Other exceptions need no agreement.
    Case().through_step(2).exception("no_conversation_parents", "safety",
                                     "Gesprek met de ouders brengt het kind in gevaar volgens VT")


def test_exception_form_offers_only_grounds_the_rule_accepts():
    """Seen: the exception form offered 'Veiligheid van het kind' for 'leerling spreken zonder de
    ouders vooraf te informeren' and then refused it. The form narrows the grounds per exception
    to EXCEPTION_GROUNDS, the rule's own table; each pair it can offer is accepted."""
    from meldcode_tui.domain.rules import EXCEPTION_GROUNDS

    for exc, grounds in EXCEPTION_GROUNDS.items():
        for ground in grounds:
            if ground == "age":
                c = Case(DOB_9).through_step(2)
            else:
                c = Case(DOB_14).through_step(2)
                if exc in ("report_without_contact", "reporter_not_disclosed"):
                    c.talk(); c.step(3); c.answer(1, "yes"); c.answer(2, "no"); c.step(4)
            c.exception(exc, ground, "Concrete aanwijzing dat het gesprek gevaar oplevert voor iemand")


def test_reasons_that_are_reasons():
    """Seen: 'asdf asdf asdf asdf asdf' accepted as the reason for 'geen gesprek met de leerling'.
    One word repeated, or words of no language of the case, are refused with what is missing."""
    c = Case(DOB_9).through_step(2)
    for noise, missing in (("asdf asdf asdf asdf asdf", "één woord herhaald"),
                           ("asdf qwer zxcv uiop hjkl", "geen Nederlands woord"),
                           ("Kind Kind Kind Kind Kind Kind", "één woord herhaald")):
        with pytest.raises((RuleViolation, InputError)) as info:
            c.exception("no_conversation_pupil", "age", noise)
        assert missing in str(info.value), (noise, str(info.value))
    c.exception("no_conversation_pupil", "age", "Het kind is vier jaar en kan het gesprek niet aan")


def test_an_older_journal_closed_on_a_112_call_stays_readable():
    """Before acute help stopped counting as a melding, a case could close on a call to the police
    alone. Such a journal still folds and replays (corrections, imports); a new one cannot."""
    from meldcode_tui.domain.case import Event
    from meldcode_tui.domain.rules import check_history

    c = Case()
    c.add("acute_report", EMERGENCY)
    close = {"grounds": "other", "reason": "Politie heeft het kind in veiligheid gebracht"}
    refused("acute_help_not_a_melding", c.add, "case_closed", close)
    old = list(c.events) + [Event(len(c.events) + 1, "2026-09-01T11:00:00.000000Z", "coordinator",
                                        c.case_id, "case_closed", validate("case_closed", close))]
    state = check_history(old)
    assert state.closed and state.status == "gesloten" and not state.has_report


# --------------------------------------------------------------------------- zorgteam roles

def test_rule_care_team_role_accepted():
    """A care-team member's role, and a decision maker's, is one the school's policy accepts (its
    configured roles, the built-in ones, 'other'); the payload check looks at the code's form
    only, so the school's [zorgteam] roles are a rule the service passes in."""
    from meldcode_tui.domain.care_team import CareTeamPolicy

    c = Case().through_step(1)
    e = refused("care_team_role_accepted", c.team, roles=("leerkracht", "intern_begeleider"))
    assert "intern begeleider" in str(e) and e.hint and "leerkracht" in e.hint
    with pytest.raises(InputError):                     # not a code at all: the payload's form
        c.team(roles=("Intern Begeleider!",))
    school = CareTeamPolicy.from_config(["leerkracht", "intern_begeleider"], ["leerkracht"])
    c = Case(policy=school).through_step(1)
    c.team(roles=("leerkracht", "intern_begeleider"))
    assert [m["role"] for m in c.state.care_team] == ["leerkracht", "intern_begeleider"]
    # Replayed (an import, a correction): the receiving school's policy still applies.
    from meldcode_tui.domain.rules import check_history

    refused("care_team_role_accepted", check_history, c.events)
    assert check_history(c.events, policy=school).care_team
    # Who decided: a role of the zorgteam or the coordinator's, else refused before the count.
    d = Case().through_step(4)
    d.answer(3, "yes"); d.answer(4, "yes")
    refused("care_team_role_accepted", d.add, "decision_recorded", {
        "report_needed": False, "help_possible": True, "reason": "Besloten met het zorgteam",
        "decided_by": [{"name": "Karin (fictief)", "role": "interne_vertrouwenspersoon"},
                       {"name": "Piet (fictief)", "role": "concierge"}]})


# --------------------------------------------------------------------------- data protection

def test_rule_erase_via_retention():
    c = Case()
    c.add("case_closed", {"grounds": "other", "reason": "Leerling verhuisd naar een andere school"})
    refused("erase_via_retention", c.add, "case_erased",
            {"policy": "retention", "rule": "2 jaar", "reason": "Bewaartermijn verstreken", "payloads": 0})
    # The retention code's own record replays (imports, corrections) as it was written.
    payload = validate("case_erased", {"policy": "retention", "rule": "2 jaar",
                                       "reason": "Bewaartermijn verstreken", "payloads": 0})
    check(c.state, "case_erased", payload, BASE, replay=True)


def test_rule_zienswijze_after_inzage():
    c = Case()
    view = {"on": "2026-09-01", "by": "ouders", "zienswijze": "Wij zien het anders (fictief)."}
    refused("zienswijze_after_inzage", c.add, "zienswijze_recorded", view)
    c.add("inzage_decided", _inzage("granted"))
    c.add("zienswijze_recorded", view)


def _inzage(outcome: str) -> dict:
    return {"requester": "parent_with_authority", "requester_name": "Moeder (fictief)",
            "legal_basis": "AVG art. 15", "approved_by": "coordinator", "decided_on": "2026-09-01",
            "outcome": outcome, "withheld": [], "keep_identities": [],
            "reason": "Besluit over de inzage na overleg (fictief)."}


def test_rule_inzage_needs_decision():
    from types import SimpleNamespace

    from meldcode_tui.exports.inzage import render_inzage

    c = Case()
    refused("inzage_needs_decision", render_inzage, SimpleNamespace(case=c.state))


def test_rule_inzage_refused():
    from types import SimpleNamespace

    from meldcode_tui.exports.inzage import render_inzage

    c = Case()
    c.add("inzage_decided", _inzage("refused"))
    e = refused("inzage_refused", render_inzage, SimpleNamespace(case=c.state))
    assert "Sanne" not in str(e)                      # no case content in the refusal


def _service(db_path, on=BASE):
    from datetime import datetime, timezone

    from meldcode_tui.clock import SettableClock
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    clock = SettableClock(datetime(on.year, on.month, on.day, 9, tzinfo=timezone.utc))
    return CaseService(open_store(db_path, create=True), actor="beheer", clock=clock, all_access=True)


def _closed_case(svc, name="Sanne de Vries (fictief)", signal="Blauwe plek op de arm (fictief)"):
    case_id = svc.create_case(name, DOB_9, "5b").case_id
    svc.record_signal(case_id, description=signal, observed_on="2026-08-30", observed_by="juf",
                      source="own")
    svc.close_case(case_id, "other", "Leerling verhuisd naar een andere school (fictief)")
    return case_id


def test_rule_retention_only_closed(db_path):
    from meldcode_tui.retention import erase_case

    svc = _service(db_path)
    try:
        case_id = svc.create_case("Sanne de Vries (fictief)", DOB_9, "5b").case_id
        refused("retention_only_closed", erase_case, svc, case_id, "Bewaartermijn verstreken (fictief).")
        assert svc.get_state(case_id).pupil.name == "Sanne de Vries (fictief)"   # nothing erased
    finally:
        svc.store.close()


def test_rule_already_erased(db_path):
    from meldcode_tui.retention import erase_case

    svc = _service(db_path)
    try:
        case_id = _closed_case(svc)
        signal = next(e for e in svc.store.case_events(case_id) if e.kind == "signal_recorded")
        assert erase_case(svc, case_id, "Bewaartermijn verstreken (fictief).") >= 2
        refused("already_erased", erase_case, svc, case_id, "Bewaartermijn verstreken (fictief).")
        # The store refuses the same words twice as well (a second erasure of one payload).
        refused("already_erased", svc.store.erase_payload, "beheer", case_id, signal.payload_hash,
                "Nog eens (fictief)")
    finally:
        svc.store.close()


def test_rule_erasure_record(db_path):
    from meldcode_tui.retention import erase_case

    svc = _service(db_path)
    try:
        case_id = _closed_case(svc)
        erase_case(svc, case_id, "Bewaartermijn verstreken (fictief).")
        record = next(e for e in svc.store.case_events(case_id) if e.kind == "case_erased")
        refused("erasure_record", svc.store.erase_payload, "beheer", case_id, record.payload_hash,
                "Ook de wisactie weg (fictief)")
        assert next(e for e in svc.store.case_events(case_id) if e.kind == "case_erased").payload
    finally:
        svc.store.close()


def test_rule_payload_shared(db_path):
    svc = _service(db_path)
    try:
        same = "Zelfde woorden in twee dossiers (fictief)"
        first = _closed_case(svc, signal=same)
        second = _closed_case(svc, name="Daan Jansen (fictief)", signal=same)
        signal = next(e for e in svc.store.case_events(first) if e.kind == "signal_recorded")
        refused("payload_shared", svc.store.erase_payload, "beheer", first, signal.payload_hash,
                "Bewaartermijn verstreken (fictief)")
        assert next(e for e in svc.store.case_events(second) if e.kind == "signal_recorded").payload
    finally:
        svc.store.close()


# --------------------------------------------------------------------------- the encrypted store

def _plain_db(db_path):
    svc = _service(db_path)
    try:
        _closed_case(svc)
        svc.store.checkpoint()
    finally:
        svc.store.close()
    return db_path


KEY = "fictieve-sleutel-voor-tests"


def test_rule_rekey_same(db_path):
    pytest.importorskip("sqlcipher3", reason="extra 'encrypted' (sqlcipher3) not installed")
    from meldcode_tui.store.convert import convert

    db = _plain_db(db_path)
    convert(db, None, KEY)
    before = db.read_bytes()
    refused("rekey_same", convert, db, KEY, KEY)
    assert db.read_bytes() == before


def test_rule_already_encrypted(db_path):
    pytest.importorskip("sqlcipher3", reason="extra 'encrypted' (sqlcipher3) not installed")
    from meldcode_tui.store.convert import convert

    db = _plain_db(db_path)
    convert(db, None, KEY)
    before = db.read_bytes()
    e = refused("already_encrypted", convert, db, None, "een-andere-fictieve-sleutel")
    assert "rekey" in (e.hint or "")
    assert db.read_bytes() == before


def test_rule_convert_unverified(db_path):
    pytest.importorskip("sqlcipher3", reason="extra 'encrypted' (sqlcipher3) not installed")
    from meldcode_tui.store.convert import convert

    from ..store.conftest import tamper

    db = _plain_db(db_path)
    tamper(db, "UPDATE payloads SET body = replace(body, 'a', 'o') WHERE rowid = 1")
    before = db.read_bytes()
    refused("convert_unverified", convert, db, None, KEY)
    assert db.read_bytes() == before
