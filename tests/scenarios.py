"""One fictional case brought to a given Meldcode step through the service, for the tests that
start from there (the TUI walkthroughs, the afwegingskader drafts, the dropped SSH connection).

Lotte Kok (fictief), 10 years old: a signal (step 1), a colleague consulted and the school's
zorgteam (step 2), a complete conversation with her and her parents (step 3), afwegingskader
questions 1 (yes) and 2 (no) (step 4). ``case_in_step(svc, n)`` completes every step before ``n``.
"""

from __future__ import annotations

ZORGTEAM = ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")


def case_in_step(svc, step: int) -> str:
    """A new case with steps 1 .. ``step`` - 1 completed (``step`` 3, 4 or 5); its id."""
    if step not in (3, 4, 5):
        raise ValueError(f"case_in_step: step {step} (3, 4 or 5)")
    cid = svc.create_case("Lotte Kok (fictief)", "2015-09-01", "6a").case_id
    svc.record(cid, "signal_recorded", {"description": "Blauwe plekken op de bovenarm.",
                                        "observed_on": "2026-03-10", "observed_by": "juf Anne",
                                        "source": "own", "source_name": "", "contradicting": False})
    svc.record(cid, "step_completed", {"step": 1, "summary": ""})
    svc.record(cid, "consultation_recorded", {"kind": "colleague", "with_whom": "IB-er (fictief)",
                                              "on": "2026-03-11", "anonymous": False,
                                              "question": "Passen de plekken bij mishandeling?",
                                              "advice": ""})
    svc.record(cid, "care_team_set", {"members": [
        {"role": r, "name": f"{r} (fictief)", "user": ""} for r in ZORGTEAM]})
    svc.record(cid, "step_completed", {"step": 2, "summary": ""})
    if step == 3:
        return cid
    svc.record(cid, "conversation_recorded", {
        "on": "2026-03-12", "participants": ["pupil", "parents"], "purpose_explained": True,
        "facts_presented": True, "reaction_invited": True, "interpretation_after_reaction": True,
        "parents_informed_beforehand": None, "summary": "Gesprek met Lotte en haar ouders samen.",
        "outcome": "", "concern_removed": False})
    svc.record(cid, "step_completed", {"step": 3, "summary": ""})
    if step == 4:
        return cid
    for q, a in ((1, "yes"), (2, "no")):
        svc.record(cid, "weighing_answered", {"question": q, "answer": a, "with_veilig_thuis": False,
                                              "reason": f"Besproken in het zorgteam (vraag {q})."})
    svc.record(cid, "step_completed", {"step": 4, "summary": ""})
    return cid
