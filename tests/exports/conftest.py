"""Fixtures for the export tests: real SQLite files through the real service."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from meldcode_tui.clock import SettableClock
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

PUPIL = "Noor van den Berg (fictief)"
MOTHER = "Petra van den Berg (fictief)"
FATHER = "Ruben Smit (fictief)"
TEACHER = "Meester Daan Kuipers (fictief)"
NEIGHBOUR = "Ilse Hoekstra (fictief)"
GROUP = "Groep 7c"
PUPIL_NUMBER = "4711-815"


def make_service(path, actor: str = "coordinator", start: date = date(2026, 3, 2)) -> CaseService:
    clock = SettableClock(datetime(start.year, start.month, start.day, 9, 0, tzinfo=timezone.utc))
    return CaseService(open_store(path, create=True), actor=actor, clock=clock)


def build_full_case(svc: CaseService) -> str:
    """A case through all five steps up to a report (fictional data only)."""
    clock = svc.clock
    clock.set(date(2026, 3, 2))
    state = svc.create_case(PUPIL, "2014-05-17", GROUP, PUPIL_NUMBER,
                            parents=[{"name": MOTHER, "relation": "moeder"},
                                     {"name": FATHER, "relation": "vader"}],
                            note="Zorgen over blauwe plekken en vermoeidheid.")
    cid = state.case_id
    svc.record_signal(cid, description="Blauwe plekken op beide bovenarmen, in de gymles gezien.",
                      observed_on="2026-03-02", observed_by=TEACHER, source="own")
    clock.set(date(2026, 3, 4))
    svc.record_signal(cid, description="Een buurvrouw hoorde 's avonds vaak geschreeuw en gehuil.",
                      observed_on="2026-03-03", observed_by=TEACHER, source="other",
                      source_name=NEIGHBOUR)
    svc.record_signal(cid, description="Komt altijd op tijd en heeft een verzorgde lunch mee.",
                      observed_on="2026-03-04", observed_by=TEACHER, source="own", contradicting=True)
    svc.correct_record(cid, 2, {"description": "Blauwe plekken op beide bovenarmen — in de gymles gezien."},
                       "Tekst nauwkeuriger gemaakt.")
    svc.complete_step(cid, 1, "Signalen vastgelegd.")
    clock.set(date(2026, 3, 6))
    svc.record_consultation(cid, kind="colleague", with_whom="Intern begeleider", on="2026-03-06",
                            question="Hoe duiden we de blauwe plekken?", advice="Zorgteam samenstellen.")
    svc.set_care_team(cid, [
        {"role": "leerkracht", "name": TEACHER, "user": ""},
        {"role": "interne_vertrouwenspersoon", "name": "Fatima El Amrani (fictief)", "user": "coordinator"},
        {"role": "ondersteuningscoach", "name": "Joost Vermeulen (fictief)", "user": ""},
        {"role": "schoolleider", "name": "Anke de Groot (fictief)", "user": ""},
    ])
    svc.complete_step(cid, 2, "Zorgteam samengesteld.")
    clock.set(date(2026, 3, 10))
    for who in ("pupil", "parents"):
        svc.record_conversation(cid, on="2026-03-10", participants=[who], purpose_explained=True,
                                facts_presented=True, reaction_invited=True,
                                interpretation_after_reaction=True,
                                parents_informed_beforehand=True if who == "pupil" else None,
                                summary="Het doel uitgelegd en de feiten besproken; reactie gevraagd.",
                                outcome="Zorg blijft bestaan.", concern_removed=False)
    svc.complete_step(cid, 3, "Gesprekken gevoerd.")
    clock.set(date(2026, 3, 12))
    svc.answer_weighing(cid, 1, "yes", "De signalen wijzen samen op een vermoeden.")
    svc.answer_weighing(cid, 2, "yes", "Herhaald letsel: structurele onveiligheid.", with_veilig_thuis=False)
    svc.complete_step(cid, 4, "Gewogen met het zorgteam.")
    svc.answer_weighing(cid, 3, "no", "Geen effectieve hulp mogelijk zonder Veilig Thuis.",
                        with_veilig_thuis=True)
    svc.record(cid, "decision_recorded", {"report_needed": True, "help_possible": False,
                                          "reason": "Structurele onveiligheid: melden is de norm."})
    svc.record_pre_report_contact(cid, on="2026-03-12", **{"with": ["parents"]},
                                  explained="Uitgelegd wat een melding is en waarom.",
                                  reaction="Moeder is boos maar begrijpt het.",
                                  objections="Bang voor gevolgen op het werk.",
                                  weighing="Bescherming weegt zwaarder dan het bezwaar.")
    svc.record_report(cid, on="2026-03-12", office="Veilig Thuis regio (fictief)", reference="VT-0001",
                      summary="Melding telefonisch gedaan.", reporter_disclosed_to_family=True)
    return cid


@pytest.fixture
def svc(db_path):
    service = make_service(db_path)
    yield service
    service.store.close()


@pytest.fixture
def full_case(svc):
    return build_full_case(svc)
