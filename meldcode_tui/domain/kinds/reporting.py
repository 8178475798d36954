"""Reporting to Veilig Thuis (step 5, "melden") and after: the contact with the family before the
melding, the melding, an acute report, Veilig Thuis's feedback, follow-up agreements and the
school's own evaluation."""

from __future__ import annotations

from ..payload import (KindSpec, boolean, choice, integer, iso_date, multiline_fields, register,
                       subset, text)
from .conversations import PARTICIPANTS

# Acute danger: who was called (Basismodel meldcode: act at once, before step 2). Only the call to
# Veilig Thuis is a melding; 112, the police and the huisarts give help now (domain/case.py).
ACUTE_REPORTED_TO = ("veilig_thuis_phone", "emergency_112", "police", "huisarts")
# Veilig Thuis reports back twice: within 5 working days (what it does now: triage) and at the end
# of its involvement (the outcome). Source: Veilig Thuis, "Wat gebeurt er na een melding"
# (vooreenveiligthuis.nl, for professionals) and the Basismodel meldcode, step 5 ("Veilig Thuis
# houdt melders op de hoogte van de uitkomsten").
VT_FEEDBACK_STAGES = ("first", "final")
# What Veilig Thuis decided after its safety assessment (Handelingsprotocol Veilig Thuis 2019, as
# summarised on https://www.meldcode.nu/triage/ and in "Bescherming in beweging", 4.3.1: own
# investigation, a request to the Raad voor de Kinderbescherming, "Voorwaarden en vervolg", hand
# over to the local team, to care already involved or a multidisciplinary team, the melding turned
# into an advice, or the end of its involvement), plus "anders".
VT_DECISIONS = ("investigation", "child_protection_board", "conditions_follow_up", "local_team",
                "current_care", "advice_only", "no_follow_up", "other")
# Decisions that hand the follow-up to another organisation: it must be named.
VT_HANDOVER = ("local_team", "current_care")

multiline_fields("asks_of_school")


def _pre_report_contact_recorded(p: dict) -> dict:
    return {
        "on": iso_date(p, "on"),
        "with": subset(p, "with", PARTICIPANTS),
        "explained": text(p, "explained"),
        "reaction": text(p, "reaction"),
        "objections": text(p, "objections", required=False),
        "weighing": text(p, "weighing", required=False),
    }


def _report_made(p: dict) -> dict:
    return {
        "on": iso_date(p, "on"),
        "office": text(p, "office"),
        "reference": text(p, "reference", required=False),
        "summary": text(p, "summary"),
        "reporter_disclosed_to_family": boolean(p, "reporter_disclosed_to_family"),
    }


def _acute_report(p: dict) -> dict:
    """Acute danger reported at once (by phone to Veilig Thuis, 112 or the police)."""
    return {
        "on": iso_date(p, "on"),
        "reported_to": subset(p, "reported_to", ACUTE_REPORTED_TO),
        "by_whom": text(p, "by_whom"),
        "agreed": text(p, "agreed"),
        "child_safety": text(p, "child_safety"),
        "reference": text(p, "reference", required=False),
    }


def _vt_feedback_recorded(p: dict) -> dict:
    # ``stage`` came later: an older record without it is the first feedback.
    out = {"on": iso_date(p, "on"), "outcome": text(p, "outcome"), "notes": text(p, "notes", required=False),
           "stage": choice(p, "stage", VT_FEEDBACK_STAGES, required=False, default="first")}
    # Additive: Veilig Thuis's feedback structured - what it decided, the organisation that takes
    # over, the contact person, and what it asks of the school (older records have none of these).
    if p.get("decision") not in (None, ""):
        out["decision"] = choice(p, "decision", VT_DECISIONS)
        out["taken_over_by"] = text(p, "taken_over_by", required=out["decision"] in VT_HANDOVER)
        out["contact_person"] = text(p, "contact_person", required=False)
        out["asks_of_school"] = text(p, "asks_of_school", required=False)
    return out


def _school_evaluation_recorded(p: dict) -> dict:
    """The school's own evaluation after a report: do concerns remain (then report again), and
    how the school keeps following the child ("blijven volgen")."""
    return {"on": iso_date(p, "on"),
            "concerns_remain": boolean(p, "concerns_remain"),
            "summary": text(p, "summary"),
            "agreements": text(p, "agreements", required=False)}


def _follow_up_agreed(p: dict) -> dict:
    return {"description": text(p, "description"), "due_on": iso_date(p, "due_on"), "who": text(p, "who")}


def _follow_up_done(p: dict) -> dict:
    return {"target_seq": integer(p, "target_seq", 1, 2**62), "on": iso_date(p, "on"),
            "notes": text(p, "notes", required=False)}


register(
    KindSpec("pre_report_contact_recorded", _pre_report_contact_recorded,
             text_fields=("explained", "reaction", "objections", "weighing")),
    KindSpec("report_made", _report_made, text_fields=("summary",)),
    KindSpec("acute_report", _acute_report,
             text_fields=("by_whom", "agreed", "child_safety")),
    KindSpec("vt_feedback_recorded", _vt_feedback_recorded,
             text_fields=("outcome", "notes", "taken_over_by", "contact_person", "asks_of_school")),
    KindSpec("school_evaluation_recorded", _school_evaluation_recorded,
             text_fields=("summary", "agreements")),
    KindSpec("follow_up_agreed", _follow_up_agreed,
             text_fields=("description",)),
    KindSpec("follow_up_done", _follow_up_done,
             locked_fields=("target_seq",), text_fields=("notes",)),
)
