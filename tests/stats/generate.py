"""A generated school whose figures are known by construction (tests and bench/bench_stats.py).

Events are appended straight to the journal (validated payloads, the real store), not through
the service: thousands of cases in a second, and every kind the figures count, with dates
spread over one school year. Only fictional data."""

from __future__ import annotations

import random
from datetime import date, timedelta

from meldcode_tui.domain.events import validate

YEAR = 2025                       # school year 2025-2026
START = date(YEAR, 8, 1)
SIGNALS = [("meldcode-basis", "mb-0001"), ("meldcode-basis", "mb-0002"), None]  # None: own words
CONSULT = ("colleague", "zorgteam", "veilig_thuis_advice", "vertrouwensarts", "other")
GROUNDS = ("concern_removed", "no_suspicion", "help_succeeded", "reported", "other")


def _at(day: date, n: int) -> str:
    return f"{day.isoformat()}T10:{(n // 60) % 60:02d}:{n % 60:02d}.000000Z"


def generate(store, n_cases: int, seed: int = 1, *, first: int = 1) -> None:
    rnd = random.Random(seed)
    with store.write(guarded=False) as tx:
        n = 0
        for i in range(first, first + n_cases):
            cid = f"MC-{i:04d}"
            opened = START + timedelta(days=rnd.randrange(0, 365))

            def add(kind, payload, day, cid=cid):
                nonlocal n
                n += 1
                return tx.append("coordinator", cid, kind, validate(kind, payload), _at(day, n))

            add("case_opened", {"pupil": {"name": f"Leerling {i} (fictief)",
                                          "date_of_birth": "2015-03-01"},
                                "owner": "coordinator", "staff_suspicion": rnd.random() < 0.03},
                opened)
            for _s in range(rnd.randint(1, 3)):
                ref = rnd.choice(SIGNALS)
                observed = opened - timedelta(days=rnd.randint(0, 5))
                payload = {"description": "Een signaal (fictief).", "observed_on": observed.isoformat(),
                           "observed_by": "Juf Fictief (fictief)", "source": "own"}
                if ref:
                    payload["catalogue"] = {"catalogue_id": ref[0], "signal_id": ref[1]}
                add("signal_recorded", payload, opened)
            day = opened
            for step in range(1, 6):
                if rnd.random() < 0.15:
                    break
                day = day + timedelta(days=rnd.randint(0, 9))
                if step == 2:
                    consult = add("consultation_recorded", {"kind": rnd.choice(CONSULT),
                                                            "with_whom": "Collega (fictief)",
                                                            "on": day.isoformat(), "question": "Wat nu?"}, day)
                    if rnd.random() < 0.1:     # a correction: another kind and another day
                        add("record_corrected", {"target_seq": consult.seq, "reason": "Verkeerd gekozen, hersteld.",
                                                 "changes": {"kind": rnd.choice(CONSULT),
                                                             "on": (day + timedelta(days=40)).isoformat()}}, day)
                if step == 3:
                    add("conversation_recorded", {
                        "on": day.isoformat(), "participants": ["parents"], "purpose_explained": True,
                        "facts_presented": True, "reaction_invited": True,
                        "interpretation_after_reaction": True, "parents_informed_beforehand": None,
                        "summary": "Gesprek gevoerd."}, day)
                    if rnd.random() < 0.1:
                        add("exception_recorded", {"exception": "no_conversation_pupil", "ground": "age",
                                                   "reason": "Het kind is daar te jong voor, zegt de leerkracht."}, day)
                if step == 5:
                    report, help_ = rnd.random() < 0.3, rnd.random() < 0.6
                    add("decision_recorded", {"report_needed": report, "help_possible": help_,
                                              "reason": "Afgewogen met het zorgteam."}, day)
                    if report:
                        add("report_made", {"on": day.isoformat(), "office": "Veilig Thuis Fictief",
                                            "summary": "Melding gedaan.",
                                            "reporter_disclosed_to_family": True}, day)
                        if rnd.random() < 0.8:
                            fb = day + timedelta(days=rnd.randint(1, 20))
                            add("vt_feedback_recorded", {"on": fb.isoformat(), "outcome": "Onderzoek.",
                                                         "stage": "first"}, fb)
                    if help_:
                        add("help_planned", {"description": "Hulp.", "agreements": "Afspraken.",
                                             "roles": "Rollen.", "case_manager": "IB (fictief)",
                                             "review_on": (day + timedelta(days=42)).isoformat(),
                                             "results_expected": "Rust."}, day)
                add("step_completed", {"step": step}, day)
            if rnd.random() < 0.2:
                add("acute_report", {"on": opened.isoformat(), "reported_to": ["veilig_thuis_phone"],
                                     "by_whom": "IB (fictief)", "agreed": "Afspraak.",
                                     "child_safety": "Veilig."}, opened)
            agreed = add("follow_up_agreed", {"description": "Nabellen.", "who": "IB (fictief)",
                                              "due_on": (opened + timedelta(days=14)).isoformat()}, opened)
            if rnd.random() < 0.7:
                done = opened + timedelta(days=rnd.randint(5, 60))
                add("follow_up_done", {"target_seq": agreed.seq, "on": done.isoformat()}, done)
            if rnd.random() < 0.6:
                closed = day + timedelta(days=rnd.randint(1, 40))
                closing = add("case_closed", {"grounds": rnd.choice(GROUNDS),
                                              "reason": "Afgerond met het zorgteam."}, closed)
                if rnd.random() < 0.15:
                    add("record_corrected", {"target_seq": closing.seq, "reason": "Reden hersteld na overleg.",
                                             "changes": {"grounds": rnd.choice(GROUNDS)}}, closed)
