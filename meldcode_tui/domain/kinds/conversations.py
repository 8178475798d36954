"""Conversations (step 3): the conversation with the pupil and the parents, and the exceptions
to having it (or to telling the family who reported)."""

from __future__ import annotations

from ..payload import (MIN_EXCEPTION_REASON, MIN_REASON_WORDS, KindSpec, boolean, choice, iso_date,
                       multiline_fields, reason, register, subset, text)

PARTICIPANTS = ("pupil", "parents")
EXCEPTIONS = ("no_conversation_pupil", "pupil_without_informing_parents", "no_conversation_parents",
              "report_without_contact", "reporter_not_disclosed")
GROUNDS = ("safety", "out_of_sight", "age",
           # Veilig Thuis's three grounds for not telling the family who reported ("open melden,
           # tenzij"; meldformulier voor professionals, Veilig Thuis).
           "child_safety", "reporter_safety", "trust_relationship")

multiline_fields("interpretation_not_needed")


def _conversation_recorded(p: dict) -> dict:
    return {
        "on": iso_date(p, "on"),
        "participants": subset(p, "participants", PARTICIPANTS),
        "purpose_explained": boolean(p, "purpose_explained"),
        "facts_presented": boolean(p, "facts_presented"),
        "reaction_invited": boolean(p, "reaction_invited"),
        "interpretation_after_reaction": boolean(p, "interpretation_after_reaction"),
        "parents_informed_beforehand": boolean(p, "parents_informed_beforehand", nullable=True),
        "summary": text(p, "summary"),
        "outcome": text(p, "outcome", required=False),
        "concern_removed": bool(boolean(p, "concern_removed", required=False, default=False)),
        # Additive (older records have none): the protocol's fourth element is "pas na deze
        # reactie *zo nodig* een interpretatie" (Basismodel, stap 3): no interpretation, with a
        # word why, counts too.
        **({"interpretation_not_needed": text(p, "interpretation_not_needed")}
           if (p.get("interpretation_not_needed") or "").strip() else {}),
    }


def _exception_recorded(p: dict) -> dict:
    out = {
        "exception": choice(p, "exception", EXCEPTIONS),
        "ground": choice(p, "ground", GROUNDS),
        "reason": reason(p, min_len=MIN_EXCEPTION_REASON, min_words=MIN_REASON_WORDS),
    }
    # Additive: not telling the family who reported is decided with Veilig Thuis - who there
    # agreed, and when (older records have neither; the rules require them for new ones).
    if p.get("vt_agreed_by") not in (None, ""):
        out["vt_agreed_by"] = text(p, "vt_agreed_by")
    if p.get("vt_agreed_on") not in (None, ""):
        out["vt_agreed_on"] = iso_date(p, "vt_agreed_on")
    return out


register(
    KindSpec("conversation_recorded", _conversation_recorded,
             text_fields=("summary", "outcome")),
    KindSpec("exception_recorded", _exception_recorded,
             locked_fields=("exception",), text_fields=("reason",)),
)
