"""The fold: CaseState from events, corrections keep history, status values, age."""

from __future__ import annotations

from datetime import date

import pytest

from meldcode_tui.domain.ages import age_on, contact_rule, contact_satisfies
from meldcode_tui.domain.case import Event, fold
from meldcode_tui.domain.deadlines import add_working_days, easter_sunday, is_working_day, vt_feedback_due
from meldcode_tui.domain.events import KINDS, text_of, validate
from meldcode_tui.domain.vocabulary import label
from meldcode_tui.errors import InputError

from .builders import DOB_9, Case


def test_fold_exposes_the_contract_fields():
    c = Case().through_step(2)
    s = c.state
    assert s.case_id == "MC-0001"
    assert s.pupil.name.endswith("(fictief)") and s.pupil.date_of_birth == DOB_9
    assert s.parents and s.owner == "coordinator" and s.opened_at
    assert s.step == 3 and s.steps_completed == [1, 2]
    assert s.status == "open"
    assert len(s.signals) == 1 and len(s.consultations) == 1 and len(s.care_team) == 4
    assert s.records_by_seq[1].kind == "case_opened"
    assert s.last_change_at == c.events[-1].at
    assert s.age_on("2026-09-01") == 9
    assert "coordinator" in s.members and "schoolleider" in s.members


def test_status_values():
    c = Case().through_step(4)
    assert c.state.status == "open"
    c.answer(3, "yes"); c.answer(4, "yes"); c.decide(False, True); c.plan()
    assert c.state.status == "hulp"
    c.add("help_reviewed", {"on": "2026-09-01", "results_reached": False, "violence_continues": True,
                            "notes": "Gaat door"})
    c.contact(); c.report()
    assert c.state.status == "gemeld"
    c.outcome()
    c.add("case_closed", {"grounds": "reported", "reason": "Veilig Thuis heeft overgenomen"})
    assert c.state.status == "gesloten"
    c.add("case_reopened", {"reason": "Nieuwe signalen na de melding"})
    assert c.state.status == "gemeld" and len(c.state.open_close_history) == 2


def test_views_do_not_count_as_changes():
    c = Case()
    before = c.state.last_change_at
    c.add("case_viewed", {"purpose": "inzage"})
    assert c.state.last_change_at == before and len(c.state.views) == 1


def test_corrections_keep_history_and_apply_in_order():
    c = Case()
    sig = c.signal()
    for i, text in enumerate(("Eerste correctie van de tekst", "Tweede correctie van de tekst")):
        c.add("record_corrected", {"target_seq": sig.seq, "changes": {"description": text},
                                   "reason": f"Correctie nummer {i + 1} na overleg"})
    rec = c.state.signals[0]
    assert rec["description"] == "Tweede correctie van de tekst"
    assert [x.changes["description"] for x in rec.corrections] == [
        "Eerste correctie van de tekst", "Tweede correctie van de tekst"]
    assert rec.original["description"].startswith("Blauwe plek")
    assert rec.corrected


def test_correcting_the_date_of_birth_changes_age_rules():
    c = Case()
    c.add("record_corrected", {"target_seq": 1, "changes": {"pupil": {
        "name": "Sanne de Vries (fictief)", "date_of_birth": "2009-01-01", "group": "5b", "pupil_number": ""}},
        "reason": "Geboortedatum verkeerd overgenomen"})
    assert c.state.age_on("2026-09-01") == 17


def test_erased_payload_folds_without_error():
    c = Case()
    c.signal()
    events = list(c.events) + [Event(99, "2026-09-02T10:00:00.000000Z", "x", "MC-0001",
                                           "signal_recorded", None)]
    s = fold(events)
    assert s.records_by_seq[99].erased and len(s.signals) == 2


def test_ages():
    assert age_on("2014-02-28", "2026-02-27") == 11
    assert age_on("2014-02-28", "2026-02-28") == 12
    assert age_on("2012-02-29", "2026-02-28") == 13 and age_on("2012-02-29", "2026-03-01") == 14
    assert [contact_rule(a) for a in (4, 11, 12, 15, 16, 18)] == [
        "parents", "parents", "pupil_or_parents", "pupil_or_parents", "pupil", "pupil"]
    assert contact_satisfies(11, ["parents"]) and not contact_satisfies(11, ["pupil"])
    assert contact_satisfies(16, ["pupil"]) and not contact_satisfies(16, ["parents"])


def test_working_days_and_holidays():
    assert easter_sunday(2026) == date(2026, 4, 5) and easter_sunday(2027) == date(2027, 3, 28)
    assert not is_working_day(date(2026, 4, 6))          # Tweede Paasdag
    assert not is_working_day(date(2026, 4, 27))         # Koningsdag
    assert not is_working_day(date(2026, 12, 25))
    assert add_working_days(date(2026, 9, 4), 5) == date(2026, 9, 11)   # Fri -> next Fri
    assert vt_feedback_due("2026-12-23") == date(2026, 12, 31)          # over Kerst
    assert vt_feedback_due("2026-04-02") == date(2026, 4, 10)          # over Pasen


def test_validators_name_the_field():
    with pytest.raises(InputError) as info:
        validate("signal_recorded", {"description": "x", "observed_on": "2026-02-30",
                                     "observed_by": "juf", "source": "own"})
    assert info.value.field == "observed_on"
    with pytest.raises(InputError) as info:
        validate("signal_recorded", {"description": "x", "observed_on": "2026-02-03",
                                     "observed_by": "juf", "source": "other"})
    assert info.value.field == "source_name"   # another source must be named
    with pytest.raises(InputError) as info:
        validate("case_opened", {"pupil": {"name": "", "date_of_birth": "2015-01-01"}, "owner": "x"})
    assert info.value.field == "pupil.name"
    with pytest.raises(InputError):
        validate("nonsense", {})


def test_every_kind_has_a_title_and_labels_are_dutch():
    assert all(spec.title for spec in KINDS.values())
    assert label("no_conversation_pupil") == "geen gesprek met de leerling"
    p = validate("signal_recorded", {"description": "Zichtbaar letsel", "observed_on": "2026-02-03",
                                     "observed_by": "juf", "source": "other", "source_name": "buurvrouw"})
    assert "Zichtbaar letsel" in text_of("signal_recorded", p) and "buurvrouw" in text_of("signal_recorded", p)


def test_guide_survives_erased_payloads():
    from meldcode_tui.domain.guide import open_points

    c = Case()
    c.add("follow_up_agreed", {"description": "Navragen", "due_on": "2026-09-10", "who": "IB"})
    events = [Event(e.seq, e.at, e.actor, e.case_id, e.kind, None if e.seq == 2 else e.payload)
              for e in c.events]
    assert isinstance(open_points(fold(events), date(2026, 9, 1)), list)
