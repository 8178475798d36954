"""The protocol's single-record intents, by area (the agreed area names of ``domain/kinds``,
``domain/rules`` and ``ui/intents``): each builds one payload and goes through
``CaseService.record`` -- the one write path (fold, access, staleness, validation, rules,
append, read models, refusal journal). Only the intents that the TUI, the CLI or the demo call
have a method here; every other kind is ``record(case_id, kind, payload)``."""

from __future__ import annotations

from ..domain.case import CaseState
from ..domain.people import may_join_care_team, may_read_staff_directory
from .base import ServiceBase


class ProtocolIntents(ServiceBase):
    """One method per intent of the Meldcode's steps."""

    # ------------------------------------------------------------------ signals
    # A signal: what was seen or heard (step 1).

    def record_signal(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        """``catalogue`` may be just ``{"catalogue_id", "signal_id"}``: with plugins loaded, the
        version and the signal's text are filled in from the catalogue (so the record keeps what
        it was chosen from, even after the catalogue changes)."""
        return self.record(case_id, "signal_recorded", self._with_catalogue_text(payload),
                           expect_seq=expect_seq)

    # ------------------------------------------------------------------ consultation
    # Collegiale consultatie and the zorgteam (step 2).

    def record_consultation(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "consultation_recorded", payload, expect_seq=expect_seq)

    def staff_directory(self) -> list[dict]:
        """The school's people a zorgteam can be put together from: enabled users (user name and
        display name only; no role, keys or last seen) for who may compose a zorgteam. Empty in
        a local single-user setup without a user table."""
        self._require(may_read_staff_directory, "staff_directory")
        return [{"user": u["name"], "display_name": u.get("display_name") or u["name"]}
                for u in self.store.users()
                if u.get("status") == "enabled" and may_join_care_team(u.get("role"))]

    def set_care_team(self, case_id: str, members: list[dict], *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "care_team_set", {"members": list(members)}, expect_seq=expect_seq)

    # ------------------------------------------------------------------ conversations
    # The conversation with pupil and parents, or an exception to it (step 3).

    def record_conversation(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "conversation_recorded", payload, expect_seq=expect_seq)

    def record_exception(self, case_id: str, exception: str, ground: str, reason: str, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "exception_recorded",
                           {"exception": exception, "ground": ground, "reason": reason}, expect_seq=expect_seq)

    # ------------------------------------------------------------------ weighing
    # Completing a step; the afwegingskader and the decision (steps 4-5).

    def complete_step(self, case_id: str, step: int, summary: str = "", *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "step_completed", {"step": step, "summary": summary}, expect_seq=expect_seq)

    def answer_weighing(self, case_id: str, question: int, answer: str, reason: str,
                        with_veilig_thuis: bool = False, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "weighing_answered", {
            "question": question, "answer": answer, "reason": reason, "with_veilig_thuis": with_veilig_thuis}, expect_seq=expect_seq)

    # ------------------------------------------------------------------ help
    # Help organised and reviewed (step 5).

    def plan_help(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "help_planned", payload, expect_seq=expect_seq)

    def review_help(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "help_reviewed", payload, expect_seq=expect_seq)

    # ------------------------------------------------------------------ reporting
    # Around a report to Veilig Thuis: contact before it, the report, the feedback and the
    # follow-up agreements.

    def record_pre_report_contact(self, case_id: str, with_: list[str] | None = None, *, expect_seq: int | None = None, **payload) -> CaseState:
        """``with_`` (or ``**{"with": [...]}``): who the contact was with, "pupil" and/or "parents"."""
        if with_ is not None:
            payload["with"] = list(with_)
        return self.record(case_id, "pre_report_contact_recorded", payload, expect_seq=expect_seq)

    def record_report(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "report_made", payload, expect_seq=expect_seq)

    def record_vt_feedback(self, case_id: str, *, expect_seq: int | None = None, **payload) -> CaseState:
        return self.record(case_id, "vt_feedback_recorded", payload, expect_seq=expect_seq)

    def agree_follow_up(self, case_id: str, description: str, due_on: str, who: str, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "follow_up_agreed", {"description": description, "due_on": due_on, "who": who}, expect_seq=expect_seq)

    # ------------------------------------------------------------------ staff_route
    # A suspicion against a member of staff: the other route.

    def route_staff_suspicion(self, case_id: str, routed_to: list[str], reason: str,
                              on: str | None = None, *, expect_seq: int | None = None) -> CaseState:
        return self.record(case_id, "staff_suspicion_routed", {
            "on": on or self.today().isoformat(), "routed_to": list(routed_to), "reason": reason}, expect_seq=expect_seq)


__all__ = ["ProtocolIntents"]
