"""Weighing and deciding (steps 4 and 5): the afwegingskader's answers, the decision, and a step
completed."""

from __future__ import annotations

from ..payload import (KindSpec, boolean, choice, integer, list_of_dicts, prefixed, reason, register,
                       role_code, text)

ANSWERS = ("yes", "no", "doubt")


def _step_completed(p: dict) -> dict:
    return {"step": integer(p, "step", 1, 5), "summary": text(p, "summary", required=False)}


def _weighing_answered(p: dict) -> dict:
    return {
        "question": integer(p, "question", 1, 5),
        "answer": choice(p, "answer", ANSWERS),
        "reason": reason(p),
        "with_veilig_thuis": bool(boolean(p, "with_veilig_thuis", required=False, default=False)),
    }


def _decision_recorded(p: dict) -> dict:
    out = {
        "report_needed": boolean(p, "report_needed"),
        "help_possible": boolean(p, "help_possible"),
        "reason": reason(p),
    }
    # Additive (older records have none): who decided, names and roles (Basismodel stap 5: "de
    # beroepskracht met het zorgteam die ... verantwoordelijk zijn voor de beslissing"). A role is
    # checked for its form here; who may decide is the school's configuration, so the
    # ``decision_makers`` rule checks it (an older record keeps its names on replay).
    if p.get("decided_by") not in (None, []):
        makers = []
        for i, m in enumerate(list_of_dicts(p, "decided_by")):
            makers.append(prefixed(f"decided_by[{i}]", lambda m=m: {
                "name": text(m, "name"),
                "role": role_code(m, "role"),
            }))
        out["decided_by"] = makers
    return out


register(
    KindSpec("step_completed", _step_completed, locked_fields=("step",),
             text_fields=("summary",)),
    KindSpec("weighing_answered", _weighing_answered,
             locked_fields=("question",), text_fields=("reason",)),
    KindSpec("decision_recorded", _decision_recorded, text_fields=("reason",)),
)
