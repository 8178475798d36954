"""The afwegingskader, one question at a time, with the reason asked for each answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Footer, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ..errors import StoreError, ConcurrentEdit, InputError, MeldcodeError, RuleViolation, StaleCase
from ..i18n import _
from .widgets import Tick
from .base import Modal
from .drafts import DraftMixin
from .labels import ANSWERS, WEIGHING_QUESTIONS


def next_question(state) -> int | None:
    """The next question to answer (None: the kader stops here, or waits for a review)."""
    if state is None:
        return 1
    from ..domain.afwegingskader import next_question as domain_next

    return domain_next(state)


def consequence(q: int, answer: str) -> str:
    if q == 1:
        return (_("Geen vermoeden: sluit de casus en leg vast waarom; organiseer zo nodig hulp.")
                if answer == "no" else _("Vermoeden: ga door met vraag 2."))
    if q == 2:
        return (_("Acute of structurele onveiligheid (of twijfel): meld nu telefonisch bij Veilig Thuis "
                  "en beantwoord 3 tot en met 5 samen met Veilig Thuis.")
                if answer in ("yes", "doubt") else _("Ga door met vraag 3."))
    if q == 3:
        return _("Geen effectieve hulp mogelijk: melden.") if answer == "no" else _("Ga door met vraag 4.")
    if q == 4:
        return (_("Hulp wordt niet aanvaard: melden.") if answer == "no" else
                _("Start de hulp: plan hem met termijn, afspraken, rollen en casemanager (H)."))
    return (_("Resultaten niet bereikt: (opnieuw) melden.") if answer == "no" else
            _("Resultaten bereikt: sluit af met afspraken over het volgen van de veiligheid."))


def _resume_at(state) -> int:
    """Where to open when the kader stops or waits (e.g. question 5 waits for a review): the
    first unanswered question, so its explanation shows, else the last answered one."""
    answered = dict(getattr(state, "weighing", None) or {}) if state is not None else {}
    if not answered:
        return 1
    open_ = [q for q in range(1, 6) if q not in answered]
    return open_[0] if open_ else max(answered)


class WeighingWizard(DraftMixin, Modal):
    """Drafts: the reasons typed for unanswered questions (all of them, also those left with
    F4/F5) are the draft of ``CASE:weighing``, saved as they are typed like every form's, so a
    dropped connection loses none; the next wizard for the case puts them back."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Antwoord opslaan"), id="weighing.save", priority=True),
        Binding("escape", "cancel", _("Sluiten"), id="weighing.cancel"),
        # F-keys: ctrl+b/ctrl+f and friends move the cursor in a text field, so they cannot
        # also move between questions.
        Binding("f5,ctrl+n", "move(1)", _("Volgende vraag"), id="weighing.next", priority=True),
        Binding("f4", "move(-1)", _("Vorige vraag"), id="weighing.previous", priority=True),
    ]

    help_title = _("Afwegingskader")

    def __init__(self, case_id: str, state, question: int | None = None):
        super().__init__(id="weighing")
        self.case_id = case_id
        self.state = state
        self.question = question or next_question(state) or _resume_at(state)
        self.result = None
        # The case's last event this screen shows: an answer is part of the decision, so a
        # colleague's record since then is shown and asked about before saving.
        self.expect_seq: int | None = getattr(state, "last_seq", None)
        # What was typed for an unanswered question, kept while moving between questions
        # (F4/F5) so nothing typed is lost by looking at another question first.
        self._typed: dict[int, str] = {}
        self.draft_key = f"{case_id}:weighing"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="weighing-box"):
            yield Static("", id="weighing-title", classes="dialog-title")
            yield Static("", id="weighing-question", classes="weighing-question")
            yield Static("", id="weighing-explain", classes="form-intro")
            yield Static("", id="form-error", classes="form-error")
            yield Label(_("Antwoord *"), classes="field-label")
            yield OptionList(id="weighing-answer")
            yield Label(_("Reden van dit antwoord *"), classes="field-label")
            yield TextArea("", id="weighing-reason", soft_wrap=True, tab_behavior="focus", classes="field-area")
            yield Tick(_("Samen met Veilig Thuis beantwoord"), id="weighing-vt", compact=True)
            yield Static(_("↑↓: antwoord · Tab: reden · Ctrl+S: opslaan · F5/F4: volgende/vorige "
                           "vraag · Esc: sluiten"), classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.show_question()
        self.draft_restore()

    # -- drafts (ui/drafts.py): the typed reasons, per unanswered question ----------------------
    def _answered(self, q: int) -> bool:
        return self.state is not None and self.state.weighing.get(q) is not None

    def draft_snapshot(self) -> dict:
        typed = dict(self._typed)
        if not self._answered(self.question):
            text = self.query_one("#weighing-reason", TextArea).text
            if text.strip():
                typed[self.question] = text
            else:
                typed.pop(self.question, None)
        return {"reasons": {str(q): t for q, t in sorted(typed.items()) if not self._answered(q)}}

    def _draft_apply(self, data: dict) -> None:
        reasons = data.get("reasons") if isinstance(data, dict) else None
        self._typed = {int(k): v for k, v in (reasons or {}).items()
                       if isinstance(k, str) and k in "12345" and len(k) == 1
                       and isinstance(v, str) and not self._answered(int(k))}
        if not self._answered(self.question):
            self.query_one("#weighing-reason", TextArea).load_text(self._typed.get(self.question, ""))

    def show_question(self) -> None:
        q = self.question
        text, explain = WEIGHING_QUESTIONS[q]
        self.query_one("#weighing-title", Static).update(
            _("Afwegingskader — vraag {q} van 5", q=q))
        self.query_one("#weighing-question", Static).update(_(text))
        self.query_one("#weighing-explain", Static).update(_(explain))
        ol = self.query_one("#weighing-answer", OptionList)
        ol.clear_options()
        choices = ["yes", "no"] + (["doubt"] if q == 2 else [])
        for code in choices:
            ol.add_option(Option(_(ANSWERS[code]), id=code))
        previous = self.state.weighing.get(q) if self.state is not None else None
        reason = self.query_one("#weighing-reason", TextArea)
        vt = self.query_one("#weighing-vt", Checkbox)
        if previous is not None:
            ol.highlighted = choices.index(previous.get("answer")) if previous.get("answer") in choices else 0
            reason.text = previous.get("reason", "")
            vt.value = bool(previous.get("with_veilig_thuis"))
        else:
            ol.highlighted = 0
            reason.text = self._typed.get(q, "")
            a2 = self.state.answer(2) if self.state is not None else None
            vt.value = q >= 3 and a2 in ("yes", "doubt")
        if previous is not None:
            self.show_error(_("Deze vraag is al beantwoord ({a}). Klopt het niet, corrigeer het dan vanuit "
                              "de chronologie (K).", a=_(ANSWERS.get(previous.get("answer"), ""))))
            return
        self.clear_error()
        ol.focus()
        if self.state is not None and next_question(self.state) is None and q == self.question \
                and previous is None and self.state.weighing:
            from ..domain.afwegingskader import stop_hint

            self.show_error(stop_hint(self.state))

    def clear_error(self) -> None:
        err = self.query_one("#form-error", Static)
        err.update("")
        err.remove_class("visible")

    def show_error(self, message: str, hint: str | None = None) -> None:
        from .labels import dutch_field_names

        message, hint = dutch_field_names(message), dutch_field_names(hint)
        err = self.query_one("#form-error", Static)
        err.update(message if not hint else f"{message}\n→ {hint}")
        err.add_class("visible")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#weighing-reason", TextArea).focus()

    def _remember_typing(self) -> None:
        if self.state is not None and self.state.weighing.get(self.question) is not None:
            return
        text = self.query_one("#weighing-reason", TextArea).text
        if text.strip():
            self._typed[self.question] = text
        else:
            self._typed.pop(self.question, None)

    def action_move(self, delta: int) -> None:
        q = self.question + int(delta)
        if 1 <= q <= 5:
            self._remember_typing()
            self.question = q
            self.show_question()

    def action_cancel(self) -> None:
        self._remember_typing()
        if not self._typed:
            self.draft_discard_typing()
            self.dismiss(self.result)
            return
        # A reason typed and not saved: Esc asks (nothing typed is lost by one key): keep it as
        # a draft, throw it away, or back to the wizard.
        from .dialogs import LeaveFormScreen

        def answer(what: str | None) -> None:
            if what == "keep":
                self.draft_keep()
                self.dismiss(self.result)
            elif what == "discard":
                self.draft_discard_typing()
                self.dismiss(self.result)

        self.app.push_screen(LeaveFormScreen(can_keep=True), answer)

    def action_save(self) -> None:
        ol = self.query_one("#weighing-answer", OptionList)
        if ol.highlighted is None:
            self.show_error(_("Kies een antwoord."))
            return
        answer = ol.get_option_at_index(ol.highlighted).id
        reason = self.query_one("#weighing-reason", TextArea).text.strip()
        if not reason:
            self.show_error(_("Schrijf de reden van dit antwoord op."))
            self.query_one("#weighing-reason", TextArea).focus()
            return
        payload = {"question": self.question, "answer": answer, "reason": reason,
                   "with_veilig_thuis": self.query_one("#weighing-vt", Checkbox).value}
        try:
            state = self.app.svc.record(self.case_id, "weighing_answered", payload,
                                        expect_seq=self.expect_seq)
        except StaleCase as exc:
            from . import stale

            head = exc.head

            def anyway() -> None:
                self.expect_seq = head
                ok, fresh = self.app.guard(self.app.svc.get_state, self.case_id)
                if ok:
                    self.state = fresh
                self.action_save()

            stale.ask(self, exc, anyway)
            return
        except ConcurrentEdit:
            self.show_error(_("Een collega heeft deze casus net gewijzigd; controleer en sla opnieuw op."))
            return
        except (RuleViolation, InputError, MeldcodeError) as exc:
            self.show_error(exc.message, exc.hint)
            if isinstance(exc, StoreError):
                self.app.report_error(exc)
            if isinstance(exc, InputError) and exc.field == "reason":
                self.query_one("#weighing-reason", TextArea).focus()
            return
        except Exception as exc:  # noqa: BLE001
            from .dialogs import generic_error_message

            self.show_error(generic_error_message(exc))
            return
        self.state = state
        self.result = state
        self.expect_seq = state.last_seq
        self._typed.pop(self.question, None)
        # The saved reason leaves the draft; reasons typed for other questions stay in it.
        self._draft_pending = self.draft_snapshot()
        self.draft_save()
        self.app.notify(consequence(self.question, answer), title=_("Afwegingskader"))
        nxt = next_question(state)
        if nxt is None or nxt == self.question:
            self._draft_done = True
            self.dismiss(state)
            return
        if nxt >= 3 and 4 not in getattr(state, "steps_completed", [4]):
            self.app.notify(_("Rond nu stap 4 af (V). De vragen 3 tot en met 5 horen bij stap 5 "
                              "(Beslissen)."), title=_("Afwegingskader"))
            self._draft_done = True
            self.dismiss(state)
            return
        self.question = nxt
        self.show_question()
