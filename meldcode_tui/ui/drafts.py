"""Drafts: what a coordinator types in a form is kept (debounced) as she types, so a dropped SSH
connection or a closed terminal loses nothing. The next time she opens the same form for the
same case, the text is back, with a note saying so.

Drafts are not records: they live outside the journal (``Store.save_draft``), belong to one
user, are replaced freely and are deleted when the record is saved or the form is cancelled.
"""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from ..errors import MeldcodeError
from ..i18n import _

SAVE_AFTER_SECONDS = 0.6


class DraftMixin:
    """Mix into a Screen; set ``draft_key`` (None disables), call ``draft_restore()`` at the
    end of ``on_mount`` and ``draft_finish()`` when the form is saved or cancelled."""

    draft_key: str | None = None
    _draft_timer = None
    _draft_pending: dict | None = None
    _draft_baseline: dict | None = None
    _draft_done = False
    _draft_restoring = False

    # -- what is in the form ---------------------------------------------------------------
    def _draft_widgets(self):
        for widget in self.query("Input, TextArea, Select, Checkbox, SelectionList.field-multi"):
            if widget.id:
                yield widget

    def draft_snapshot(self) -> dict:
        out: dict = {}
        for w in self._draft_widgets():
            if isinstance(w, TextArea):
                out[w.id] = w.text
            elif isinstance(w, Select):
                out[w.id] = None if w.value is Select.NULL else w.value
            elif isinstance(w, (Input, Checkbox)):
                out[w.id] = w.value
            elif isinstance(w, SelectionList):
                out[w.id] = list(w.selected)
        return out

    def _draft_apply(self, data: dict) -> None:
        for w in self._draft_widgets():
            if w.id not in data:
                continue
            value = data[w.id]
            try:
                if isinstance(w, TextArea) and isinstance(value, str):
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
        self._draft_restoring = True
        try:
            self._draft_apply(data)
        finally:
            self.call_after_refresh(self._end_restoring)
        from .labels import fmt_datetime

        self.app.notify(_("Uw niet-opgeslagen invoer van {when} is teruggezet (concept). "
                          "Esc gooit het concept weg.", when=fmt_datetime(saved_at)),
                        title=_("Concept hersteld"), timeout=8)

    def _end_restoring(self) -> None:
        self._draft_restoring = False

    def draft_finish(self) -> None:
        """The form was saved or cancelled: the draft has done its work."""
        self._draft_done = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.draft_key:
            try:
                self.app.svc.discard_draft(self.draft_key)
            except MeldcodeError:
                pass

    def _draft_changed(self) -> None:
        if not self.draft_key or self._draft_done or self._draft_restoring or self._draft_baseline is None:
            return
        # Snapshot now (a few widgets: cheap): when the screen goes away its widgets may be gone
        # before on_unmount runs, so the last known content is what gets written then.
        self._draft_pending = self.draft_snapshot()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(SAVE_AFTER_SECONDS, self.draft_save)

    def draft_save(self) -> None:
        self._draft_timer = None
        snapshot, self._draft_pending = self._draft_pending, None
        if not self.draft_key or self._draft_done or snapshot is None:
            return
        try:
            if snapshot == self._draft_baseline:
                self.app.svc.discard_draft(self.draft_key)
            else:
                self.app.svc.save_draft(self.draft_key, snapshot)
        except MeldcodeError:
            pass  # best effort: a locked database must not interrupt typing

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

    def draft_flush(self) -> None:
        """Write what is pending now (hang-up, quit)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self._draft_pending is not None and not self._draft_done:
            self.draft_save()

    def on_unmount(self) -> None:
        # Leaving without save or cancel (the app quit): keep it now.
        self.draft_flush()
