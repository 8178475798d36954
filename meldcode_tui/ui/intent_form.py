"""The form machinery every intent's form is built on: open a form on the case screen that
records one kind (or runs one service call), with the protocol's check before the confirmation
question, the stale-screen guard and the draft; and the small helpers the forms share.

The builders per area live in ``ui/intents/``; other screens that record something on a case
(the body map) use this module too, so it imports nothing from ``ui/intents``.
"""

from __future__ import annotations

from typing import Callable

from ..i18n import _
from .forms import Field, FormScreen

YES_NO_UNKNOWN = [("yes", _("ja")), ("no", _("nee")), ("unknown", _("niet van toepassing / onbekend"))]

# What remains on a case about a member of staff (see domain/staff_route.py).
STAFF_ROUTE_INTENTS = frozenset({
    "route_staff_suspicion", "record_staff_route", "agree_follow_up", "complete_follow_up", "correct_record",
    "close_or_reopen", "close_case", "reopen_case", "export", "journal", "attachments",
    # the AVG applies to every file the school keeps
    "privacy", "decide_inzage", "export_inzage", "record_zienswijze", "record_pupil_left",
    "erase_on_request", "confirm_pupil_left"})

# Forms whose save is a decision: when a colleague recorded something since the form opened,
# these always ask (what was added, then save anyway or go back); the others save with a notice.
# The zorgteam is one: a save replaces the whole team, and the team decides who sees the case,
# so a colleague's team saved meanwhile is never replaced without asking.
DECISIVE_FORMS = frozenset({"form-complete-step", "form-decision", "form-report", "form-close",
                            "form-care-team"})


def choice_options(pairs) -> list[tuple[str, str]]:
    """(code, untranslated word) pairs as a form's (code, Dutch label) options."""
    return [(v, _(label)) for v, label in pairs]


def today_iso(screen) -> str:
    return screen.app.today().isoformat()


def selected_record(screen):
    """``(seq, record)`` of the chronology row the cursor is on; record None if there is none."""
    seq = screen.selected_seq()
    state = screen.state
    return seq, (state.records_by_seq.get(seq) if (state is not None and seq) else None)


def open_form(screen, title: str, fields: list[Field], kind: str | None = None, *,
              build: Callable[[dict], dict] | None = None, run: Callable[[dict], object] | None = None,
              intro: str = "", confirm: str | None = None, form_id: str = "form",
              precheck_kind: str | None = None, start_at_first: bool = False) -> None:
    """Push the form for ``kind`` on the case screen ``screen``: a save records ``build(values)``
    (or the values) as ``kind``, or calls ``run(values)`` for intents that are a service call of
    their own. F2 in the form opens the exception form through ``screen.open_intent``, so this
    module needs no registry of intents."""
    app = screen.app
    case_id = screen.case_id

    def submit(values: dict):
        # The case as the form was opened on it (FormScreen moves it on after "save anyway").
        expect = form.expect_seq
        if run is not None:
            app.svc.check_not_stale(case_id, expect)
            return run(values)
        payload = build(values) if build else values
        return app.svc.record(case_id, kind, payload, expect_seq=expect)

    def precheck(values: dict) -> None:
        """The protocol's own check, before the confirmation question (nothing is written)."""
        from ..domain.case import fold
        from ..domain.events import validate
        from ..domain.rules import check
        from ..errors import MeldcodeError

        app.svc.check_not_stale(case_id, form.expect_seq)   # a colleague's record first
        check_kind = precheck_kind or kind
        try:
            payload = validate(check_kind, dict(build(values) if build else values))
            state = fold(app.svc.journal(case_id))
        except MeldcodeError:
            raise
        except Exception:  # noqa: BLE001 - cannot tell here: the service decides on save
            return
        check(state, check_kind, payload, app.today(), policy=app.svc.care_team_policy)

    form = FormScreen(title, fields, submit, intro=intro, confirm=confirm, form_id=form_id,
                      on_exception=lambda code: screen.open_intent("record_exception", code=code),
                      on_concurrent=screen.reload, draft_key=f"{case_id}:{form_id}",
                      precheck=precheck if (confirm and (precheck_kind or kind)) else None,
                      start_at_first=start_at_first)
    form.expect_seq = getattr(getattr(screen, "state", None), "last_seq", None)
    form.decisive = form_id in DECISIVE_FORMS
    app.push_screen(form, screen.after_write)
