"""Drafts: what a coordinator types in a form is kept (debounced) as she types, so a dropped SSH
connection or a closed terminal loses nothing. The next time she opens the same form for the
same case, the text is back, with a note saying so.

Drafts are not records: they live outside the journal (``Store.save_draft``), belong to one
user, are replaced freely and are deleted when the record is saved or when she answers "W:
weggooien" to the question Esc asks on a changed form. One draft per form and case: keeping a
new one (B) replaces an older one that was only offered (F3) and not put back.

Newest wins across the sessions of one user (two SSH logins, a hang-up whose last keys are
written late): a draft carries when it was last typed, and the store keeps it only if nothing
later was typed or saved in that form (Store.save_draft). Throwing a draft away takes only
what this session knew of.
"""

from __future__ import annotations

from datetime import datetime, timezone

from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from ..errors import MeldcodeError
from ..i18n import _

SAVE_AFTER_SECONDS = 0.6
# Stored beside the values: what the form held when it was opened. A draft is put back only
# into a form that opened the same way; a consultation form opened as "advice from Veilig
# Thuis (anonymous)" must not silently get an older colleague-consultation draft with the
# pupil's name in it.
OPENED_WITH = "__opened_with__"


class DraftMixin:
    """Mix into a Screen; set ``draft_key`` (None disables), call ``draft_restore()`` at the
    end of ``on_mount`` and ``draft_finish()`` when the form is saved or cancelled."""

    draft_key: str | None = None
    _draft_timer = None
    _draft_pending: dict | None = None
    _draft_baseline: dict | None = None
    _draft_done = False
    _draft_restoring = False
    # A draft that belongs to the form opened differently: offered (F3), not applied.
    _draft_held: dict | None = None
    _draft_restored = False
    # When this form's content was last typed, and the newest draft time this session has seen
    # (loaded or written): what a discard may take.
    _draft_typed_at: datetime | str | None = None
    _draft_known_at: datetime | str | None = None
    _draft_last_written: dict | None = None

    # -- what is in the form ---------------------------------------------------------------
    def _draft_widgets(self):
        # ".draft-value": a composite field (the zorgteam list) that says its own value.
        for widget in self.query("Input, TextArea, Select, Checkbox, SelectionList.field-multi, .draft-value"):
            if widget.id:
                yield widget

    def draft_snapshot(self) -> dict:
        out: dict = {}
        for w in self._draft_widgets():
            if w.has_class("draft-value"):
                out[w.id] = w.draft_value
            elif isinstance(w, TextArea):
                out[w.id] = w.text
            elif isinstance(w, Select):
                out[w.id] = None if w.value is Select.NULL else w.value
            elif isinstance(w, (Input, Checkbox)):
                out[w.id] = w.value
            elif isinstance(w, SelectionList):
                out[w.id] = list(w.selected)
        return out

    def _draft_apply(self, data: dict) -> None:
        """Put ``data`` in the form, replacing what is there: a field the draft does not name
        goes back to how the form opened, so nothing old and new is ever mixed."""
        if self._draft_baseline is not None:
            data = {**self._draft_baseline, **data}
        for w in self._draft_widgets():
            if w.id not in data:
                continue
            value = data[w.id]
            try:
                if w.has_class("draft-value"):
                    w.draft_value = value
                elif isinstance(w, TextArea) and isinstance(value, str):
                    w.load_text(value)
                elif isinstance(w, Select):
                    w.value = Select.NULL if value is None else value
                elif isinstance(w, Checkbox):
                    w.value = bool(value)
                elif isinstance(w, Input) and isinstance(value, str):
                    w.value = value
                elif isinstance(w, SelectionList) and isinstance(value, list):
                    w.deselect_all()
                    for v in value:
                        w.select(v)
            except Exception:  # noqa: BLE001 - an option that no longer exists: skip that field
                continue

    # -- life cycle ----------------------------------------------------------------------------
    def draft_restore(self) -> None:
        self._draft_baseline = self.draft_snapshot()
        if not self.draft_key:
            return
        try:
            found = self.app.svc.load_draft(self.draft_key)
        except MeldcodeError:
            return
        if not found:
            return
        data, saved_at = found
        self._draft_known_at = saved_at
        data = dict(data)
        opened_with = data.pop(OPENED_WITH, None)
        from .labels import fmt_datetime

        when = fmt_datetime(saved_at)
        if opened_with is not None and opened_with != self._draft_baseline:
            self._draft_held = data
            self.draft_announce(_("Er ligt een concept van {when} dat hoort bij dit formulier met "
                                  "andere beginwaarden; het is niet teruggezet. F3: toch terugzetten.",
                                  when=when))
            return
        self._put_back(data)
        # What the form now holds is that draft, typed then: a hang-up that writes it again
        # must not make it newer than a record another session saves meanwhile.
        self._draft_typed_at = saved_at
        try:
            self._draft_last_written = self.draft_snapshot()
        except Exception:  # noqa: BLE001 - widgets not ready: the flush then treats it as typed
            self._draft_last_written = None
        self.draft_announce(_("Concept van {when} teruggezet: het formulier toont uw invoer van "
                              "toen (vervangen, niet samengevoegd). F3: leeg formulier.", when=when))

    def _apply_quietly(self, data: dict) -> None:
        """Fill the form without its change handlers saving that as new typing."""
        self._draft_restoring = True
        try:
            self._draft_apply(data)
        finally:
            self.call_after_refresh(self._end_restoring)

    def _stop_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def _put_back(self, data: dict) -> None:
        self._apply_quietly(data)
        self._draft_restored = True
        self._draft_held = None

    def draft_announce(self, text: str) -> None:
        """Say that a draft is back (or waiting). Forms show it in the form; others notify."""
        self.app.notify(text, title=_("Concept hersteld") if self._draft_restored else _("Concept"),
                        timeout=8)

    def action_draft_toggle(self) -> None:
        """F3: put a waiting draft back, or empty the form of a restored one (and drop it)."""
        if self._draft_held is not None:
            self._put_back(self._draft_held)
            self._draft_typed_at = _now()
            self._draft_pending = self.draft_snapshot()
            self.draft_announce(_("Concept teruggezet (vervangen, niet samengevoegd). F3: leeg "
                                  "formulier."))
        elif self._draft_restored and self._draft_baseline is not None:
            self._apply_quietly(self._draft_baseline)
            self._draft_restored = False
            if self.draft_key:
                try:
                    self.app.svc.discard_draft(self.draft_key, unless_newer_than=self._draft_known_at)
                except MeldcodeError:
                    pass
            self.draft_announce(_("Formulier leeggemaakt; het concept is weggegooid."))

    def _end_restoring(self) -> None:
        self._draft_restoring = False

    def draft_finish(self, *, saved: bool = True) -> None:
        """The form was saved (the record is newer than any draft typed before it: those go,
        in every session) or cancelled (only the draft this session knew of goes)."""
        self._draft_done = True
        self._stop_timer()
        if self.draft_key:
            try:
                self.app.svc.discard_draft(
                    self.draft_key, unless_newer_than=None if saved else self._draft_known_at)
            except MeldcodeError:
                pass

    # -- leaving the form (Esc) -------------------------------------------------------------
    def draft_changed_since_open(self) -> bool:
        """The form holds something else than it opened with (a restored draft counts)."""
        if self._draft_done or self._draft_baseline is None:
            return False
        try:
            return self.draft_snapshot() != self._draft_baseline
        except Exception:  # noqa: BLE001 - widgets gone: nothing left to ask about
            return False

    def draft_ask_to_leave(self) -> bool:
        """Esc on a form with changes asks: keep as draft, throw away, or back to the form
        (nothing typed is lost, not even on Esc). False: nothing to ask about."""
        if not self.draft_changed_since_open():
            return False
        from .dialogs import LeaveFormScreen

        self.app.push_screen(LeaveFormScreen(can_keep=bool(self.draft_key)), self._draft_leave_answer)
        return True

    def _draft_leave_answer(self, answer: str | None) -> None:
        if answer == "keep" and self.draft_key:
            self.draft_keep()
            self.dismiss(None)
        elif answer == "discard":
            self.draft_discard_typing()
            self.dismiss(None)
        # "back" (or Esc): the form stays, with everything in it

    def draft_keep(self) -> None:
        """Write what is in the form as the draft now and stop saving (the form closes)."""
        if not self.draft_key or self._draft_done:
            return
        self._draft_pending = self.draft_snapshot()
        kept = self.draft_save()
        self._draft_done = True
        self._stop_timer()
        if kept is False:
            self.app.notify(_("Niet als concept bewaard: in een andere sessie is in dit formulier "
                              "later getypt of opgeslagen."), title=_("Concept"), severity="warning",
                            timeout=10)
            return
        self.app.notify(_("Uw invoer is bewaard als concept; dit formulier zet hem terug als u het "
                          "opnieuw opent."), title=_("Concept bewaard"))

    def draft_discard_typing(self) -> None:
        """Throw away what was typed in this form, but never an older draft that was only
        offered (F3) and not put back: that was typed another time."""
        if self._draft_held is not None:
            self._draft_done = True
            self._stop_timer()
            return
        self.draft_finish(saved=False)

    def _draft_changed(self) -> None:
        if not self.draft_key or self._draft_done or self._draft_restoring or self._draft_baseline is None:
            return
        # Snapshot now (a few widgets: cheap): when the screen goes away its widgets may be gone
        # before on_unmount runs, so the last known content is what gets written then.
        self._draft_pending = self.draft_snapshot()
        self._draft_typed_at = _now()
        self._stop_timer()
        self._draft_timer = self.set_timer(SAVE_AFTER_SECONDS, self.draft_save)

    def draft_save(self) -> bool | None:
        """Write the pending snapshot. False: the store kept a newer draft or record (typed or
        saved later in another session of this user); None: nothing written."""
        self._draft_timer = None
        snapshot, self._draft_pending = self._draft_pending, None
        if not self.draft_key or self._draft_done or snapshot is None:
            return None
        try:
            if snapshot == self._draft_baseline:
                if self._draft_held is None:     # never drop a draft that was only offered
                    self.app.svc.discard_draft(self.draft_key, unless_newer_than=self._draft_known_at)
                return None
            typed_at = self._draft_typed_at or _now()
            kept = self.app.svc.save_draft(self.draft_key, {**snapshot, OPENED_WITH: self._draft_baseline},
                                           typed_at=typed_at)
            if kept:
                self._draft_known_at = typed_at
                self._draft_last_written = snapshot
            return bool(kept)
        except MeldcodeError:
            return None  # best effort: a locked database must not interrupt typing

    # -- Textual handlers (dispatched along the MRO, next to the screen's own) ----------------
    def on_input_changed(self, _event) -> None:
        self._draft_changed()

    def on_text_area_changed(self, _event) -> None:
        self._draft_changed()

    def on_select_changed(self, _event) -> None:
        self._draft_changed()

    def on_checkbox_changed(self, _event) -> None:
        self._draft_changed()

    def on_selection_list_selected_changed(self, _event) -> None:
        self._draft_changed()

    def on_team_field_changed(self, _event) -> None:
        self._draft_changed()

    def draft_flush(self) -> None:
        """Write what is pending now (hang-up, quit)."""
        self._stop_timer()
        if self._draft_done:
            return
        # A hang-up can come before the last keys' Changed messages were handled: the widgets
        # already hold the text, so read them now - but only while they are all still there
        # (during unmount they may be gone, and an empty read must never replace the draft).
        try:
            fresh = self.draft_snapshot()
        except Exception:  # noqa: BLE001 - widgets gone
            fresh = None
        if fresh is not None and self._draft_baseline is not None \
                and fresh.keys() == self._draft_baseline.keys() and fresh != self._draft_baseline:
            if fresh != self._draft_pending and fresh != self._draft_last_written:
                self._draft_typed_at = _now()    # keys not seen yet: typed just now
            self._draft_pending = fresh
        if self._draft_pending is not None:
            self.draft_save()

    def on_unmount(self) -> None:
        # Leaving without save or cancel (the app quit): keep it now.
        self.draft_flush()


def _now() -> datetime:
    return datetime.now(timezone.utc)
