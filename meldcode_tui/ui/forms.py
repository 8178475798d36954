"""Generic record form (one per service intent), built from a list of fields.

Every form keeps what the user typed when the service refuses: the refusal (Dutch message and
what would make it possible) is shown at the top of the form and the field is focused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Label, Select, Static, TextArea

from ..errors import (ConcurrentEdit, InputError, MeldcodeError, RuleViolation, StaleCase,
                      StoreError)
from ..i18n import N_, _
from .widgets import PickSelect, Tick, TickList
from .base import Modal
from .drafts import DraftMixin
from .labels import dutch_field_names, fmt_date, parse_date


@dataclass
class Field:
    name: str
    label: str
    kind: str = "text"          # text | area | date | bool | choice | multi | tristate | team
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)   # (value, Dutch label)
    default: Any = None
    help: str = ""
    sets: dict = field(default_factory=dict)   # chosen value -> {other field: value}
    # kind "team": {"required": [role codes step 2 needs], "directory": [{"user", "display_name"}]}
    extra: dict = field(default_factory=dict)


def _wid(name: str) -> str:
    return "f-" + name.replace(".", "-").replace("[", "-").replace("]", "")


class FormScreen(DraftMixin, Modal):
    """A modal form. ``submit(values)`` runs the intent; errors stay in the form."""

    AUTO_FOCUS = ""   # on_mount focuses the first field without scrolling the form down a line

    BINDINGS = [
        Binding("ctrl+s", "save", _("Opslaan"), id="form.save", priority=True),
        Binding("escape", "cancel", _("Annuleren"), id="form.cancel"),
        Binding("f2", "exception", _("Uitzondering met reden"), id="form.exception", show=False,
                priority=True),
        Binding("f3", "draft_toggle", _("Concept terugzetten / leeg formulier"), id="form.draft",
                show=False, priority=True),
    ]

    def __init__(self, title: str, fields: list[Field], submit: Callable[[dict], Any], *,
                 intro: str = "", confirm: str | None = None,
                 on_exception: Callable[[str | None], None] | None = None,
                 on_concurrent: Callable[[], None] | None = None, form_id: str = "form",
                 draft_key: str | None = None, precheck: Callable[[dict], Any] | None = None,
                 start_at_first: bool = False):
        super().__init__(id=form_id)
        self.start_at_first = start_at_first
        self.draft_key = draft_key
        self.form_title = title
        self.fields = fields
        self._submit = submit
        self.intro = intro
        self.confirm_question = confirm
        self._on_exception = on_exception
        self._on_concurrent = on_concurrent
        self._precheck = precheck
        self.last_violation: RuleViolation | None = None
        # The case's last event seq this form was opened on (set by intent_form.open_form); a save
        # passes it, so a colleague's record in between is never decided over unseen.
        self.expect_seq: int | None = None
        self.decisive = False

    @property
    def help_title(self) -> str:
        return self.form_title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(self.form_title, classes="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="form-intro")
            yield Static("", id="form-error", classes="form-error")
            yield Static("", id="form-draft", classes="form-draft")
            with VerticalScroll(id="form-fields") as scroll:
                scroll.can_focus = False      # Tab goes from field to field, not to the frame
                for f in self.fields:
                    label = f.label + (" *" if f.required else "")
                    if f.kind != "bool":
                        yield Label(label, classes="field-label")
                    elif f.help:       # a tick box's explanation first: the tick is what gets focus
                        yield Static(f.help, classes="field-help")
                    yield self._widget(f, label)
                    if f.help and f.kind != "bool":
                        yield Static(f.help, classes="field-help")
            yield Static(_("Ctrl+S: opslaan · Esc: annuleren · Tab: volgend veld · * verplicht"),
                         classes="dialog-hint")
        yield Footer()

    def _widget(self, f: Field, label: str):
        wid = _wid(f.name)
        if f.kind == "area":
            ta = TextArea(str(f.default or ""), id=wid, classes="field-area", soft_wrap=True,
                          show_line_numbers=False, tab_behavior="focus")
            return ta
        if f.kind == "bool":
            return Tick(label, value=bool(f.default), id=wid, compact=True)
        if f.kind in ("choice", "tristate"):
            opts = [(lab, val) for val, lab in f.options]
            kwargs: dict[str, Any] = {"allow_blank": not f.required or f.default is None}
            if f.default is not None:
                kwargs["value"] = f.default
            return PickSelect(opts, id=wid, prompt=_("Kies…"), compact=True, **kwargs)
        if f.kind == "team":
            from .team_field import TeamField

            return TeamField(f.options, list(f.extra.get("required", ())), members=f.default or [],
                             directory=f.extra.get("directory") or [], id=wid)
        if f.kind == "multi":
            defaults = set(f.default or ())
            # Numbered: the digit ticks the option (TickList), the number says which.
            return TickList(*[(f"{n} {lab}" if n <= 9 else lab, val, val in defaults)
                              for n, (val, lab) in enumerate(f.options, 1)], id=wid,
                            classes="field-multi")
        value = f.default or ""
        if f.kind == "date" and value:
            value = fmt_date(value)
        placeholder = _("dd-mm-jjjj") if f.kind == "date" else ""
        return Input(str(value), id=wid, placeholder=placeholder, compact=True)

    def on_mount(self) -> None:
        # The cursor starts where typing starts: the first required field the form could not
        # fill in itself (the date is today, the kind is the usual one), else the first field.
        # A correction starts at the first field: what it changes comes before its reason.
        start = None if self.start_at_first else next(
            (f for f in self.fields if f.required and f.kind != "bool" and f.default in (None, "", [])), None)
        first = self.widget_for(start.name) if start is not None else \
            self.query("#form-fields > *").exclude("Label").exclude(".field-help").first()
        if first is not None:
            first.focus(scroll_visible=start is not None and start is not self.fields[0])
        self.draft_restore()
        self.call_after_refresh(self._fit_fields)

    def on_select_changed(self, event: Select.Changed) -> None:
        for f in self.fields:
            # ``extra["options_for"] = (other field, {chosen value: [(code, label)]})``: the other
            # select offers only what fits this choice (a form offers only what the rules accept).
            narrow = f.extra.get("options_for") if isinstance(f.extra, dict) else None
            if _wid(f.name) == event.select.id and narrow and event.value in narrow[1]:
                try:
                    other = self.widget_for(narrow[0])
                    keep = other.value
                    options = narrow[1][event.value]
                    other.set_options([(label, code) for code, label in options])
                    codes = [code for code, _label in options]
                    if keep in codes:
                        other.value = keep
                    elif len(codes) == 1:
                        other.value = codes[0]
                except Exception:  # noqa: BLE001 - the rules still refuse a wrong pair
                    pass
            if _wid(f.name) == event.select.id and f.sets:
                for other, value in (f.sets.get(event.value) or {}).items():
                    try:
                        self.widget_for(other).value = value
                    except Exception:  # noqa: BLE001
                        pass

    # -- values ------------------------------------------------------------------------------
    def widget_for(self, name: str):
        return self.query_one("#" + _wid(name))

    def values(self) -> dict:
        """The form's values, checked locally (required, dates). Raises InputError."""
        out: dict[str, Any] = {}
        for f in self.fields:
            w = self.widget_for(f.name)
            if f.kind == "area":
                v: Any = w.text.strip()
            elif f.kind == "bool":
                v = bool(w.value)
            elif f.kind in ("choice", "tristate"):
                v = None if w.value is Select.NULL else w.value
            elif f.kind == "multi":
                v = list(w.selected)
            elif f.kind == "team":
                v = w.value
            else:
                v = w.value.strip()
            if f.required and (v is None or v == "" or v == []):
                raise InputError(_("Vul '{label}' in.", label=f.label), field=f.name)
            if f.kind == "date" and v:
                v = parse_date(v, field=f.name)
            out[f.name] = v
        return out

    def named_field(self, text: str) -> str | None:
        """The form field that a service message names as 'field_name', if any (a field that
        stands for several payload keys, like the conversation's four ticks, answers for them)."""
        for name in re.findall(r"'([A-Za-z_][\w.\[\]]*)'", text or ""):
            base = name.split(".")[0].split("[")[0]
            if any(f.name in (name, base) for f in self.fields):
                return name
            for f in self.fields:
                if base in f.extra.get("covers", ()):
                    return f.name
        return None

    def dutch_fields(self, text: str) -> str:
        """Service messages name fields by their key ('observed_on'): show the form's label."""
        labels = {f.name: f.label for f in self.fields}

        def repl(m: re.Match) -> str:
            name = m.group(1)
            base = name.split(".")[0].split("[")[0]
            if name in labels or base in labels:
                return f"'{labels.get(name) or labels[base]}'"
            return dutch_field_names(m.group(0))

        return re.sub(r"'([A-Za-z_][\w.\[\]]*)'", repl, text)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_fields)

    def _fit_fields(self) -> None:
        """Give the scrolling fields what the dialog has left, so at 80x24 the last field, the
        error and the hint line are all on screen (CSS alone cannot size an auto-height box)."""
        try:
            dialog = self.query_one(".dialog")
            fields = self.query_one("#form-fields", VerticalScroll)
        except Exception:  # noqa: BLE001 - not mounted (any more)
            return
        footer = sum(f.outer_size.height for f in self.query(Footer))
        room = int((self.size.height - footer) * 0.95) - 2   # dialog max-height 95%, its border
        for child in dialog.children:
            if child is not fields and child.display:
                room -= child.outer_size.height
        room = max(room, 4)
        if fields.styles.max_height is None or fields.styles.max_height.value != room:
            fields.styles.max_height = room

    def draft_announce(self, text: str) -> None:
        banner = self.query_one("#form-draft", Static)
        banner.update(text)
        banner.add_class("visible")
        self.call_after_refresh(self._fit_fields)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "draft_toggle" and self._draft_held is None and not self._draft_restored:
            return None      # nothing to put back or to empty: F3 is not offered
        return super().check_action(action, parameters)

    def show_error(self, message: str, hint: str | None = None) -> None:
        message = self.dutch_fields(message)
        hint = self.dutch_fields(hint) if hint else hint
        text = message if not hint else f"{message}\n→ {hint}"
        err = self.query_one("#form-error", Static)
        err.update(text)
        err.add_class("visible")
        self.call_after_refresh(self._fit_fields)

    def clear_error(self) -> None:
        err = self.query_one("#form-error", Static)
        err.update("")
        err.remove_class("visible")
        self.call_after_refresh(self._fit_fields)

    def _focus_field(self, name: str | None) -> None:
        if not name:
            return
        base = name.split(".")[0].split("[")[0]
        for candidate in (name, base):
            try:
                self.widget_for(candidate).focus()
                return
            except Exception:  # noqa: BLE001 - not every service field is a form field
                continue

    # -- actions -----------------------------------------------------------------------------
    def action_cancel(self) -> None:
        if self.last_violation is not None and self.draft_key and not self._draft_done:
            # Refused by the protocol: the hint said "Esc, then <key>; your input is kept". The
            # coordinator goes to do what it asks first; the form puts the text back afterwards.
            self.draft_keep()
            self.dismiss(None)
            return
        if not self.draft_ask_to_leave():
            self.draft_discard_typing()
            self.dismiss(None)

    def action_save(self) -> None:
        try:
            values = self.values()
        except InputError as exc:
            self.show_error(exc.message, exc.hint)
            self._focus_field(exc.field)
            return
        if self.confirm_question:
            # Ask only when the protocol allows it: a refusal after "yes, go ahead" is confusing.
            if self._precheck is not None:
                ok, _result = self._attempt(self._precheck, values)
                if not ok:
                    return
            self.app.confirm(self.confirm_question, lambda: self._do_submit(values))
        else:
            self._do_submit(values)

    def _do_submit(self, values: dict) -> None:
        ok, result = self._attempt(self._submit, values)
        if not ok:
            return
        self.draft_finish()
        self.dismiss(result if result is not None else True)

    def _attempt(self, fn: Callable[[dict], Any], values: dict) -> tuple[bool, Any]:
        """Run ``fn``; a refusal is shown in the form (input kept) and gives (False, None)."""
        self.last_violation = None
        self.clear_error()
        try:
            return True, fn(values)
        except StaleCase as exc:
            self._stale(exc, fn, values)
            return False, None
        except ConcurrentEdit:
            self.show_error(_("Een collega heeft deze casus net gewijzigd. De gegevens zijn opnieuw "
                              "geladen; uw invoer staat er nog. Controleer en sla opnieuw op."))
            if self._on_concurrent:
                self._on_concurrent()
            return False, None
        except RuleViolation as exc:
            self.last_violation = exc
            if self._on_concurrent:      # the refusal may come from a colleague's change: reload
                self._on_concurrent()
            hint = exc.hint
            field_named = self.named_field(f"{exc.message} {exc.hint or ''}")
            if self._on_exception is not None and _exception_for(exc) and not field_named:
                hint = (hint + " " if hint else "") + _("(F2: uitzondering met reden vastleggen)")
            elif not field_named and exc.rule in RULE_KEYS:
                key, what = RULE_KEYS[exc.rule]
                hint = (hint + " " if hint else "") + _("(Esc, dan {key}: {what}; uw invoer blijft "
                                                        "bewaard)", key=key, what=_(what))
            self.show_error(exc.message, hint)
            self._focus_field(field_named)
            return False, None
        except InputError as exc:
            self.show_error(exc.message, exc.hint)
            self._focus_field(exc.field)
            return False, None
        except MeldcodeError as exc:
            self.show_error(exc.message, exc.hint)
            if isinstance(exc, StoreError):
                self.app.report_error(exc)
            return False, None
        except Exception as exc:  # noqa: BLE001 - never a traceback on screen
            from .dialogs import generic_error_message

            self.show_error(generic_error_message(exc))
        return False, None

    def _stale(self, exc: StaleCase, fn: Callable[[dict], Any], values: dict) -> None:
        """A colleague recorded something since this form opened: say what (who, what,
        when). A decision asks: save anyway (on the new state) or go back to the form with
        the input kept; anything else saves straight through with a notice."""
        from .labels import fmt_datetime, kind_label

        lines = [_("{when} · {who}: {what}", when=fmt_datetime(a.get("at") or ""),
                   who=a.get("actor", ""), what=kind_label(a.get("kind", "")))
                 for a in exc.added[-6:]]
        added = "\n".join(lines)
        try:
            values = self.values()           # afresh: a payload builder may have changed them
        except InputError:
            pass
        if self._on_concurrent:
            self._on_concurrent()            # the screen underneath shows it now
        if not self.decisive:
            self.expect_seq = exc.head
            self.app.notify(_("Intussen vastgelegd door een collega:") + "\n" + added,
                            title=_("Nieuw op deze casus"), severity="information")
            ok, result = self._attempt(fn, values)
            if ok:
                self.draft_finish()
                self.dismiss(result if result is not None else True)
            return
        self.show_error(_("Sinds u dit formulier opende is er op deze casus vastgelegd:") + "\n"
                        + added, _("Uw invoer staat er nog. Bevestig om toch op te slaan."))

        def answered(yes: bool | None) -> None:
            if yes:
                self.expect_seq = exc.head
                self._do_submit(values)

        from .dialogs import ConfirmScreen

        self.app.push_screen(ConfirmScreen(
            _("Sinds u dit formulier opende is er op deze casus vastgelegd:") + "\n" + added + "\n\n"
            + _("Toch opslaan? (N: terug naar het formulier, uw invoer blijft staan)")), answered)

    def action_exception(self) -> None:
        if self._on_exception is None:
            return
        code = _exception_for(self.last_violation) if self.last_violation else None
        self._version_before_exception = self._data_version()
        self._on_exception(code)

    def _data_version(self):
        try:
            return self.app.svc.store.data_version()
        except Exception:  # noqa: BLE001 - no store behind this form: nothing to compare
            return None

    def on_screen_resume(self) -> None:
        # Back from F2: when the exception was saved, the refusal shown here was about the case
        # before it; leave it standing and the coordinator reads an answer that no longer holds.
        before = getattr(self, "_version_before_exception", None)
        self._version_before_exception = None
        if before is not None and self._data_version() != before:
            self.last_violation = None
            self.clear_error()


# What to do on the case screen when a rule refuses (key, what it opens).
RULE_KEYS = {
    "step1_signals": ("S", N_("signaal")),
    "step2_consultation": ("C", N_("consultatie")),
    "step2_care_team": ("Z", N_("zorgteam")),
    "conversation_four_elements": ("G", N_("gesprek")),
    "step4_weighing": ("W", N_("afwegingskader")),
    "weighing_order": ("W", N_("afwegingskader")),
    "decision_after_weighing": ("W", N_("afwegingskader")),
    "doubt_ask_veilig_thuis": ("C", N_("advies Veilig Thuis")),
    "step5_decision": ("B", N_("besluit")),
    "report_needs_decision": ("B", N_("besluit")),
    "help_plan_needs_decision": ("B", N_("besluit")),
    "step5_help_plan": ("H", N_("hulp plannen")),
    "help_review_needs_plan": ("H", N_("hulp plannen")),
    "weighing_q5_after_review": ("E", N_("hulp evalueren")),
    "vt_feedback_needs_report": ("M", N_("melding")),
    "case_closed_readonly": ("L", N_("heropenen")),
}


def _exception_for(exc: RuleViolation | None) -> str | None:
    """The exception code that a refusal can be lifted with, if its rule names one."""
    if exc is None:
        return None
    from ..domain.kinds.conversations import EXCEPTIONS

    mapped = {"step3_conversation_pupil": "no_conversation_pupil",
              "step3_conversation_parents": "no_conversation_parents",
              "report_needs_contact": "report_without_contact",
              "age_contact_rule": "report_without_contact",
              "open_melden_tenzij": "reporter_not_disclosed"}.get(exc.rule or "")
    if mapped:
        return mapped
    text = f"{exc.rule} {exc.hint or ''}"
    for code in EXCEPTIONS:
        if code in text:
            return code
    if "conversation" in (exc.rule or "") or "contact" in (exc.rule or ""):
        return ""
    return None


# --------------------------------------------------------------------------- new case
def new_case_form(app) -> FormScreen:
    fields = [
        Field("pupil_name", _("Naam leerling"), required=True),
        Field("date_of_birth", _("Geboortedatum"), kind="date", required=True),
        Field("group", _("Groep / klas")),
        Field("pupil_number", _("Leerlingnummer")),
        Field("parents", _("Ouders/verzorgers (één per regel: naam, relatie)"), kind="area"),
        Field("note", _("Aanleiding (kort)"), kind="area"),
        Field("staff_suspicion", _("Het vermoeden richt zich tegen een medewerker van school"),
              kind="bool",
              help=_("Dan geldt niet de Meldcode maar de andere route: het schoolbestuur, dat "
                     "overlegt met de vertrouwensinspecteur. U legt daarna de doorverwijzing vast.")),
    ]

    def submit(v: dict):
        parents = []
        for line in (v.pop("parents") or "").splitlines():
            if line.strip():
                name, _sep, relation = line.partition(",")
                parents.append({"name": name.strip(), "relation": relation.strip()})
        state = app.svc.create_case(v["pupil_name"], v["date_of_birth"], v["group"],
                                    v["pupil_number"], parents=parents, note=v["note"],
                                    staff_suspicion=bool(v.get("staff_suspicion")))
        from ..service_layer.look_alikes import look_alike_warning

        warning = look_alike_warning(app.svc, v["pupil_name"], state.case_id)
        if warning:
            app.notify(warning, severity="warning", timeout=15)
        return state

    return FormScreen(_("Nieuwe casus"), fields, submit, form_id="form-new-case",
                      intro=_("Gebruik bij oefenen alleen fictieve namen."), draft_key="new-case")
