"""Signal entry with the catalogue picker: fuzzy search, age group, categories, several at once."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Footer, Input, Label, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import Option

from ..errors import StoreError, ConcurrentEdit, InputError, MeldcodeError, StaleCase
from ..i18n import _
from .widgets import PickSelect, Tick, TickList
from .base import Modal
from .drafts import DraftMixin
from .labels import fmt_date, parse_date

ALL = "__all__"


class SignalPicker(DraftMixin, Modal):
    """Pick signals from every loaded catalogue (and/or write one), then record them."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Opslaan"), id="signals.save", priority=True),
        Binding("escape", "cancel", _("Annuleren"), id="signals.cancel"),
        # F-keys, not ctrl+a/ctrl+f: in a text field those are line start and cursor forward.
        Binding("f4", "toggle_age", _("Leeftijd / alles"), id="signals.toggle_age", priority=True),
        Binding("f5", "focus_search", _("Zoeken"), id="signals.search", priority=True),
        Binding("ctrl+o", "focus_categories", _("Categorieën"), id="signals.categories", priority=True),
        Binding("f3", "draft_toggle", _("Concept terugzetten / leeg formulier"), id="signals.draft",
                show=False, priority=True),
    ]

    def __init__(self, case_id: str, state):
        super().__init__(id="signal-picker")
        self.case_id = case_id
        self.draft_key = f"{case_id}:signal"
        self.state = state
        # The case's last event the screen was opened on: a colleague's record since then is
        # told (a notice) and the signal saves straight through (a signal is not a decision).
        self.expect_seq: int | None = getattr(state, "last_seq", None)
        self.only_age_group = True
        self.category: str | None = None
        self.matches: dict[str, object] = {}
        self.chosen: dict[str, object] = {}   # key -> SignalMatch, kept across searches

    help_title = _("Signalen vastleggen")

    @property
    def host(self):
        return self.app.plugin_host

    def age(self) -> int | None:
        return self.state.age_on(self.app.today()) if self.state is not None else None

    def age_group(self) -> str | None:
        host = self.host
        if host is None or not self.only_age_group:
            return None
        try:
            return host.age_group_for(self.age())
        except Exception:  # noqa: BLE001
            return None

    def compose(self) -> ComposeResult:
        today = fmt_date(self.app.today())
        with Vertical(classes="dialog form", id="signal-box"):
            yield Static(_("Signalen vastleggen (stap 1)"), classes="dialog-title")
            yield Static("", id="signal-scope", classes="form-intro")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(id="signal-pick"):
                yield OptionList(id="signal-categories")
                with Vertical(id="signal-right"):
                    yield Input(placeholder=_("Zoek in de catalogi (bijv. 'blauwe plekken')"),
                                id="signal-search", compact=True)
                    yield TickList(id="signal-results")
                    yield Static("", id="signal-detail")
            yield Input(placeholder=_("Eigen omschrijving, als de catalogus het niet heeft"),
                        id="signal-free", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Bron"), classes="inline-label")
                yield PickSelect([(_("eigen waarneming"), "own"), (_("andere bron"), "other")],
                             value="own", allow_blank=False, id="signal-source", compact=True)
                yield Input(placeholder=_("welke bron (verplicht bij andere bron)"),
                            id="signal-source-name", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Datum"), classes="inline-label")
                yield Input(today, placeholder=_("dd-mm-jjjj"), id="signal-observed-on", compact=True)
                yield Label(_("Door"), classes="inline-label")
                yield Input(self.app.actor, id="signal-observed-by", compact=True)
            with Horizontal(classes="row"):
                yield Tick(_("Weerspreekt het vermoeden"), id="signal-contradicting", compact=True)
                # The pupil's own disclosure changes the route (straight to question 2, discuss it today).
                yield Tick(_("Kind vertelt het zelf"), id="signal-disclosure", compact=True)
            yield Static(_("↓/Tab: naar de lijst · Spatie: kiezen · F4: leeftijdsgroep/alles · F5: zoeken · "
                           "Ctrl+O: categorieën · Ctrl+S: opslaan · Esc: annuleren"),
                         classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        cats = self.query_one("#signal-categories", OptionList)
        cats.add_option(Option(_("Alle categorieën"), id=ALL))
        seen = set()
        host = self.host
        for cat in (host.catalogues() if host is not None else []):
            for c in cat.categories:
                if c.id not in seen:
                    seen.add(c.id)
                    cats.add_option(Option(c.title, id=c.id))
        cats.highlighted = 0
        self.refresh_results()
        self.query_one("#signal-search", Input).focus()
        self.draft_restore()

    # -- results -----------------------------------------------------------------------------
    def refresh_results(self) -> None:
        host = self.host
        group = self.age_group()
        self.refresh_scope_only()
        results = self.query_one("#signal-results", SelectionList)
        query = self.query_one("#signal-search", Input).value
        matches = []
        if host is not None:
            try:
                matches = host.search_signals(query, group, 200)
            except MeldcodeError as exc:
                self.show_error(exc.message, exc.hint)
        if self.category:
            matches = [m for m in matches if self.category in m.signal.forms]
        results.clear_options()
        self.matches = {}
        for m in matches[:60]:
            key = f"{m.catalogue_id}/{m.signal.id}"
            self.matches[key] = m
            results.add_option((m.text, key, key in self.chosen))
        for key, m in self.chosen.items():   # keep chosen ones visible
            if key not in self.matches:
                self.matches[key] = m
                results.add_option((m.text, key, True))
        if results.option_count:
            results.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "signal-search":
            self.refresh_results()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "signal-search":
            self.query_one("#signal-results", SelectionList).focus()

    def on_selection_list_selection_highlighted(self, event) -> None:
        key = event.selection.value
        m = self.matches.get(key)
        detail = self.query_one("#signal-detail", Static)
        if m is None:
            detail.update("")
            return
        from ..plugins.catalogue import CONCERN_LABELS

        concern = _(CONCERN_LABELS.get(m.signal.concerns, m.signal.concerns))
        detail.update(f"{m.text} ({concern}; {m.catalogue_title})")

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled) -> None:
        key = event.selection.value
        if key in event.selection_list.selected:
            self.chosen[key] = self.matches[key]
        else:
            self.chosen.pop(key, None)
        self.refresh_scope_only()

    def scope_text(self) -> str:
        group = self.age_group()
        text = (_("Leerling {n} jaar: signalen voor leeftijdsgroep {g}", n=self.age(), g=group)
                if group else _("Alle leeftijdsgroepen"))
        if self.category:
            text += " · " + _("categorie: {c}", c=self.category_title())
        return text + " · " + _("{n} gekozen", n=len(self.chosen))

    def category_title(self) -> str:
        cats = self.query_one("#signal-categories", OptionList)
        for i in range(cats.option_count):
            opt = cats.get_option_at_index(i)
            if opt.id == self.category:
                return str(opt.prompt)
        return str(self.category)

    def refresh_scope_only(self) -> None:
        self.query_one("#signal-scope", Static).update(self.scope_text())

    def on_key(self, event) -> None:
        # From the search field, arrow down goes straight into the results to pick with space.
        if event.key == "down" and self.focused is not None and self.focused.id == "signal-search":
            results = self.query_one("#signal-results", SelectionList)
            if results.option_count:
                results.focus()
                event.stop()
                event.prevent_default()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "signal-categories":
            self.category = None if event.option.id == ALL else event.option.id
            self.refresh_results()
            self.query_one("#signal-results", SelectionList).focus()

    # -- actions -----------------------------------------------------------------------------
    def action_toggle_age(self) -> None:
        self.only_age_group = not self.only_age_group
        self.refresh_results()

    def action_focus_search(self) -> None:
        self.query_one("#signal-search", Input).focus()

    def action_focus_categories(self) -> None:
        self.query_one("#signal-categories", OptionList).focus()

    def action_cancel(self) -> None:
        if not self.draft_ask_to_leave():
            self.draft_discard_typing()
            self.dismiss(None)

    # -- drafts: the ticked catalogue signals are part of what was typed -----------------------
    def draft_snapshot(self) -> dict:
        out = super().draft_snapshot()
        out["chosen"] = sorted(self.chosen)
        return out

    def _draft_apply(self, data: dict) -> None:
        super()._draft_apply(data)
        wanted = data.get("chosen") if "chosen" in data else (self._draft_baseline or {}).get("chosen")
        if not isinstance(wanted, list):
            return
        host = self.host
        self.chosen = {}
        for key in wanted:
            if not isinstance(key, str) or "/" not in key or host is None:
                continue
            catalogue_id, signal_id = key.split("/", 1)
            try:
                found = host.search_signals("", None, 100_000, catalogue_id=catalogue_id)
            except MeldcodeError:
                continue
            for m in found:
                if m.signal.id == signal_id:
                    self.chosen[key] = m   # a signal no longer in the catalogue is skipped
                    break
        self.refresh_results()

    def show_error(self, message: str, hint: str | None = None) -> None:
        from .labels import dutch_field_names

        message, hint = dutch_field_names(message), dutch_field_names(hint)
        err = self.query_one("#form-error", Static)
        err.update(message if not hint else f"{message}\n→ {hint}")
        err.add_class("visible")

    def payloads(self) -> list[dict]:
        source = self.query_one("#signal-source", Select).value
        source_name = self.query_one("#signal-source-name", Input).value.strip()
        if source == "other" and not source_name:
            raise InputError(_("Noem de andere bron: van wie komt het signaal?"), field="signal-source-name")
        observed_on = parse_date(self.query_one("#signal-observed-on", Input).value, field="signal-observed-on")
        observed_by = self.query_one("#signal-observed-by", Input).value.strip()
        if not observed_by:
            raise InputError(_("Vul in wie het signaal heeft waargenomen."), field="signal-observed-by")
        common = {"observed_on": observed_on, "observed_by": observed_by, "source": source,
                  "source_name": source_name if source == "other" else "",
                  "contradicting": self.query_one("#signal-contradicting", Checkbox).value}
        if self.query_one("#signal-disclosure", Checkbox).value:
            common["disclosure"] = True
        out = []
        for m in self.chosen.values():
            out.append({"description": m.text, "catalogue": m.ref, **common})
        free = self.query_one("#signal-free", Input).value.strip()
        if free:
            out.append({"description": free, "catalogue": None, **common})
        if not out:
            raise InputError(_("Kies een signaal uit de catalogus (spatie) of schrijf een eigen omschrijving."),
                             field="signal-search")
        return out

    def action_save(self) -> None:
        try:
            payloads = self.payloads()
        except InputError as exc:
            self.show_error(exc.message, exc.hint)
            try:
                self.query_one("#" + (exc.field or "signal-search")).focus()
            except Exception:  # noqa: BLE001
                pass
            return
        state = None
        saved = 0
        for payload in payloads:
            try:
                try:
                    state = self.app.svc.record(self.case_id, "signal_recorded", payload,
                                                expect_seq=self.expect_seq)
                except StaleCase as exc:
                    from . import stale

                    stale.notice(self.app, exc)
                    self.expect_seq = exc.head
                    state = self.app.svc.record(self.case_id, "signal_recorded", payload,
                                                expect_seq=self.expect_seq)
                self.expect_seq = state.last_seq
            except ConcurrentEdit:
                self.show_error(_("Een collega heeft deze casus net gewijzigd; probeer opnieuw op te slaan."))
                break
            except MeldcodeError as exc:
                self.show_error(exc.message, exc.hint)
                if isinstance(exc, StoreError):
                    self.app.report_error(exc)
                break
            except Exception as exc:  # noqa: BLE001
                from .dialogs import generic_error_message

                self.show_error(generic_error_message(exc))
                break
            saved += 1
            key = (payload.get("catalogue") or {}).get("catalogue_id")
            if key:
                self.chosen.pop(f"{key}/{payload['catalogue']['signal_id']}", None)
            else:
                self.query_one("#signal-free", Input).value = ""
        if saved == len(payloads):
            self.app.notify(_("1 signaal vastgelegd.") if saved == 1
                            else _("{n} signalen vastgelegd.", n=saved))
            self.draft_finish()
            self.dismiss(state)
        elif saved:
            self.refresh_results()
            self.app.notify(_("{n} van {total} vastgelegd; de rest staat nog klaar.", n=saved,
                              total=len(payloads)), severity="warning")
