"""Help organised by the school (step 5, "hulp organiseren"): the plan and its reviews."""

from __future__ import annotations

from ...errors import InputError
from ..payload import (KindSpec, boolean, clean, field_message, integer, iso_date, list_of_dicts,
                       prefixed, register, text)


def _help_planned(p: dict) -> dict:
    out = {
        "description": text(p, "description"),
        "agreements": text(p, "agreements"),
        "roles": text(p, "roles"),
        "case_manager": text(p, "case_manager"),
        "review_on": iso_date(p, "review_on"),
        "results_expected": text(p, "results_expected"),
    }
    # Additive (older records have neither): help that already started (``starts_on`` in the
    # past) and its goals, each reviewed on its own (afwegingskader Q4: "een termijn waarbinnen
    # het effect zichtbaar moet zijn", Q5: "bereikt de hulp de afgesproken resultaten").
    if p.get("starts_on") not in (None, ""):
        out["starts_on"] = iso_date(p, "starts_on")
    if p.get("goals") not in (None, []):
        out["goals"] = _goals(p)
    return out


def _goals(p: dict) -> list[str]:
    value = p.get("goals")
    if not isinstance(value, (list, tuple)) or not all(isinstance(g, str) for g in value):
        raise InputError(field_message("Het veld '{field}' moet een lijst van doelen zijn.", field="goals"),
                         field="goals")
    goals = [clean(g, f"goals[{i}]").strip() for i, g in enumerate(value)]
    if not all(goals):
        raise InputError(field_message("Een doel in '{field}' is leeg.", field="goals"), field="goals")
    return goals


def _help_reviewed(p: dict) -> dict:
    out = {
        "on": iso_date(p, "on"),
        "results_reached": boolean(p, "results_reached"),
        "violence_continues": boolean(p, "violence_continues"),
        "notes": text(p, "notes"),
        "next_review_on": iso_date(p, "next_review_on", required=False),
    }
    # Additive (older records have none): the result per goal of the plan, so a review says which
    # goals were reached rather than only whether "the help" worked.
    if p.get("goal_results") not in (None, []):
        results = []
        for i, r in enumerate(list_of_dicts(p, "goal_results")):
            results.append(prefixed(f"goal_results[{i}]", lambda r=r: {
                "goal": integer(r, "goal", 1, 100),
                "reached": boolean(r, "reached"),
                "note": text(r, "note", required=False),
            }))
        out["goal_results"] = results
    return out


register(
    KindSpec("help_planned", _help_planned,
             text_fields=("description", "agreements", "roles", "results_expected")),
    KindSpec("help_reviewed", _help_reviewed, text_fields=("notes",)),
)
