"""Exporting a case: choose a format, the protocol refuses before anything is asked, then
save locally or fetch over SSH. The whole journal (``toml``) also asks its basis: a ground and
a reason in words, recorded with the export."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..errors import StoreError, MeldcodeError
from ..i18n import _
from .base import Modal
from ..text_safety import safe, safe_line


WHOLE_JOURNAL = "toml"


class ExportScreen(Modal):
    """Choose a format, then:

    - locally: a path (under the home folder by default), created exclusively and 0600 through
      the one path policy (:mod:`meldcode_tui.exports.target`);
    - in server mode (``meldcode serve``): nothing is written on the server. The dialog shows
      the command to run on the coordinator's own computer and copies it (OSC 52); for text
      formats it can put the document itself on the clipboard (journalled as an export).
    """

    BINDINGS = [
        Binding("ctrl+s", "save", _("Exporteren"), id="export.save", priority=True),
        Binding("ctrl+t", "copy_document", _("Tekst naar klembord"), id="export.copy_document",
                priority=True),
        Binding("escape", "cancel", _("Annuleren"), id="export.cancel"),
    ]
    help_title = _("Exporteren")

    def __init__(self, case_id: str, formats: dict | None = None):
        super().__init__(id="export")
        self.case_id = case_id
        self.formats: dict = {}
        # Formats not from a plugin (the inzage export): offered alone, never fetched over ssh
        # (the forced command's allow-list exports plugin formats only; the clipboard works).
        self._own_formats = formats

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "copy_document":
            return self.server_mode
        return True

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="export-box"):
            yield Static(_("Casus {case_id} exporteren", case_id=self.case_id), classes="dialog-title")
            yield Static(_("Een export bevat vertrouwelijke gegevens. Bewaar hem veilig; het "
                           "exporteren wordt in het journaal vastgelegd."), classes="form-intro")
            yield Static("", id="form-error", classes="form-error")
            yield Label(_("Formaat"), classes="field-label")
            yield OptionList(id="export-formats")
            # "Is de melding compleet?" for a melding format: what Veilig Thuis asks that is not
            # on record yet (it never stops the export: an acute melding goes as it is).
            yield Static("", id="export-check", classes="form-intro")
            # Only for the whole journal: why it may go as a whole (shown when toml is chosen).
            with Vertical(id="export-basis-box"):
                yield Label(_("Grondslag voor het hele journaal, met toelichting"), classes="field-label")
                yield OptionList(id="export-basis")
                yield Input(id="export-basis-reason", compact=True,
                            placeholder=_("Toelichting: waarom gaat het hele journaal over?"))
            if self.server_mode:
                yield Label(_("Ophalen op uw eigen computer (er wordt niets op de server opgeslagen)"),
                            classes="field-label")
                yield Static("", id="export-command")
                yield Static(_("Enter: formaat kiezen · Ctrl+S: opdracht kopiëren · "
                               "Ctrl+T: tekst naar klembord · Esc: annuleren"), classes="dialog-hint")
            else:
                yield Label(_("Bestand"), classes="field-label")
                yield Input(id="export-path", compact=True)
                yield Static(_("Enter: formaat kiezen · Ctrl+S: exporteren · Esc: annuleren"),
                             classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self._own_formats is not None:
            self.formats = dict(self._own_formats)
        else:
            host = self.app.plugin_host
            ok, formats = self.app.guard(host.export_formats) if host is not None else (True, {})
            self.formats = dict(formats or {}) if ok else {}
        from ..domain.kinds.transfer import TRANSFER_BASES
        from ..domain.vocabulary import option_words

        grounds = self.query_one("#export-basis", OptionList)
        for code, words in option_words(TRANSFER_BASES):
            grounds.add_option(Option(Text(_(words)), id=code))
        ol = self.query_one("#export-formats", OptionList)
        for name, fmt in self.formats.items():
            ol.add_option(Option(Text(safe_line(getattr(fmt, "title", "") or name)), id=name))
        if not self.formats:
            self.show_error(_("Er zijn geen exportformaten geladen."))
            return
        ol.highlighted = 0
        self._format_chosen(next(iter(self.formats)))
        ol.focus()

    def _format_chosen(self, name: str) -> None:
        self._show_check(name)
        self.query_one("#export-basis-box").display = name == WHOLE_JOURNAL
        if self.server_mode:
            command = self.fetch_command(name)
            self.query_one("#export-command", Static).update(
                Text(command or _("Dit formaat kan niet via ssh worden opgehaald.")))
        else:
            self._set_default_path(name)

    def _show_check(self, name: str) -> None:
        check = self.query_one("#export-check", Static)
        text = ""
        if str(name).startswith("melding") and self._own_formats is None:
            from ..domain.melding_check import melding_check_text

            try:
                text = melding_check_text(self.app.svc.get_state(self.case_id))
            except MeldcodeError:
                text = ""
        check.update(Text(text))
        check.display = bool(text)

    # -- server mode ---------------------------------------------------------------------------
    def fetch_command(self, name: str) -> str:
        """``ssh meldcode@HOST export MC-0007 --format pdf > MC-0007-pdf.pdf``; '' when the
        format's name or extension (plugin data) is not plain enough to put in a shell command."""
        import re
        import shlex

        if self._own_formats is not None:
            return ""
        fmt = self.formats.get(name)
        ext = str(getattr(fmt, "extension", "") or "").lstrip(".")
        plain = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
        if not plain.fullmatch(name) or (ext and not plain.fullmatch(ext)):
            return ""
        host = self.fetch_host
        filename = f"{self.case_id}-{name}.{ext}" if ext else f"{self.case_id}-{name}"
        basis = ""
        if name == WHOLE_JOURNAL:
            ground = self._basis()
            basis = (f" --grondslag {shlex.quote(ground['basis'] or '…')} --toelichting "
                     f"{shlex.quote(' '.join(ground['basis_reason'].split()) or '…')}")
        return (f"ssh {shlex.quote(host)} export {shlex.quote(self.case_id)} --format "
                f"{shlex.quote(name)}{basis} > {shlex.quote(filename)}")

    # -- the basis of a whole-journal transfer ------------------------------------------------
    def _basis(self) -> dict:
        grounds = self.query_one("#export-basis", OptionList)
        code = (grounds.get_option_at_index(grounds.highlighted).id
                if grounds.highlighted is not None else "")
        return {"basis": code or "", "basis_reason": self.query_one("#export-basis-reason", Input).value}

    def _basis_ok(self, name: str) -> bool:
        """For the whole journal: a ground chosen and a reason that the record will take, before
        anything is confirmed or copied (the export checks it again when it records)."""
        if name != WHOLE_JOURNAL:
            return True
        ground = self._basis()
        if not ground["basis"] or not ground["basis_reason"].strip():
            self.show_error(_("Kies eerst een grondslag en schrijf een toelichting."))
            self.query_one("#export-basis" if not ground["basis"] else "#export-basis-reason").focus()
            return False
        from ..service_layer.exporting import export_basis

        try:
            export_basis(name, **ground)
        except MeldcodeError as exc:
            self.show_error(exc.message, exc.hint)
            return False
        return True

    def _basis_args(self, name: str) -> dict:
        return self._basis() if name == WHOLE_JOURNAL else {}

    def _is_text(self, name: str) -> bool:
        media = str(getattr(self.formats.get(name), "media_type", "") or "").lower()
        return media.startswith("text/") or media in ("application/toml", "application/json",
                                                      "application/x-toml")

    def _chosen(self) -> str | None:
        ol = self.query_one("#export-formats", OptionList)
        if ol.highlighted is None or not self.formats:
            self.show_error(_("Kies een formaat."))
            return None
        return ol.get_option_at_index(ol.highlighted).id

    def _precheck(self, name: str) -> bool:
        """The advies export refuses before anything is confirmed or copied."""
        from ..exports import precheck

        try:
            precheck(self.app.svc, self.case_id, name, self._own_formats)
        except MeldcodeError as exc:
            self.show_error(exc.message, exc.hint)
            return False
        return True

    def _copy_command(self, name: str) -> None:
        if not self._precheck(name) or not self._basis_ok(name):
            return
        command = self.fetch_command(name)
        if not command:
            self.show_error(_("Dit formaat kan niet via ssh worden opgehaald."))
            return
        self.app.copy_to_clipboard(command)
        self.app.notify(_("De opdracht staat op uw klembord: voer hem uit op uw eigen computer. "
                          "Het ophalen wordt in het journaal vastgelegd."))
        self.dismiss(True)

    def action_copy_document(self) -> None:
        if not self.server_mode:
            return
        name = self._chosen()
        if name is None:
            return
        if not self._is_text(name):
            self.show_error(_("Alleen tekstformaten kunnen naar het klembord."),
                            _("Kopieer de opdracht met Ctrl+S en haal het bestand op met ssh."))
            return
        if not self._precheck(name) or not self._basis_ok(name):
            return
        question = _("Casus {case_id} als '{fmt}' naar uw klembord kopiëren?", case_id=self.case_id,
                     fmt=safe_line(getattr(self.formats.get(name), "title", "") or name))
        self.app.confirm(question, lambda: self._export(name, None))

    # -- local ---------------------------------------------------------------------------------
    def _set_default_path(self, name: str) -> None:
        from ..exports.target import free_name

        fmt = self.formats[name]
        ext = str(getattr(fmt, "extension", "") or "")
        if ext and not ext.startswith("."):
            ext = "." + ext
        box = self.query_one("#export-path", Input)
        current = box.value.strip()
        if current and current != getattr(self, "_auto_path", None):
            # The coordinator typed a path: keep the folder and name, only fit the extension.
            old = Path(current)
            if old.suffix and ext and old.suffix != ext and old.suffix in self._extensions():
                box.value = str(old.with_suffix(ext))
                self._auto_path = None
            return
        path = str(free_name(Path.home() / f"{self.case_id}-{name}{ext}"))
        box.value = path
        self._auto_path = path

    def _extensions(self) -> set[str]:
        out = set()
        for fmt in self.formats.values():
            ext = str(getattr(fmt, "extension", "") or "")
            out.add(ext if ext.startswith(".") else "." + ext)
        return out

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "export-basis":
            self._refresh_command()
        elif event.option.id:
            self._format_chosen(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "export-basis":
            self.query_one("#export-basis-reason", Input).focus()
        elif event.option.id == WHOLE_JOURNAL:
            self.query_one("#export-basis", OptionList).focus()
        elif not self.server_mode:
            self.query_one("#export-path", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "export-basis-reason":
            self._refresh_command()

    def _refresh_command(self) -> None:
        name = self._chosen_quietly()
        if self.server_mode and name == WHOLE_JOURNAL:
            self.query_one("#export-command", Static).update(Text(self.fetch_command(name)))

    def _chosen_quietly(self) -> str | None:
        ol = self.query_one("#export-formats", OptionList)
        return ol.get_option_at_index(ol.highlighted).id if ol.highlighted is not None else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "export-basis-reason" and not self.server_mode:
            self.query_one("#export-path", Input).focus()
            return
        self.action_save()

    def show_error(self, message: str, hint: str | None = None) -> None:
        from .labels import dutch_field_names

        message, hint = dutch_field_names(message), dutch_field_names(hint)
        err = self.query_one("#form-error", Static)
        err.update(Text(safe(message if not hint else f"{message}\n→ {hint}")))
        err.add_class("visible")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _policy(self) -> dict:
        svc = self.app.svc
        store = getattr(svc, "store", None)
        config = getattr(self.app, "config", None)
        return {"db_path": getattr(store, "path", None),
                "config_path": getattr(config, "source", None)}

    def action_save(self) -> None:
        name = self._chosen()
        if name is None:
            return
        if self.server_mode:
            self._copy_command(name)
            return
        from ..exports.target import check_target

        raw = self.query_one("#export-path", Input).value.strip()
        try:
            path = check_target(raw, **self._policy())
        except MeldcodeError as exc:
            self.show_error(exc.message, exc.hint)
            return
        if not self._precheck(name) or not self._basis_ok(name):
            return
        title = safe_line(getattr(self.formats.get(name), "title", "") or name)
        question = _("Casus {case_id} exporteren als '{fmt}' naar {path}?", case_id=self.case_id,
                     fmt=title, path=safe_line(path))
        self.app.confirm(question, lambda: self._export(name, path))

    def _run_export(self, name: str):
        svc = self.app.svc
        if hasattr(svc, "export") and self._own_formats is None:
            return svc.export(self.case_id, name, **self._basis_args(name))
        from ..exports import export_case

        return export_case(svc, self.case_id, name, formats=self._own_formats, **self._basis_args(name))

    def _export(self, name: str, path: Path | None) -> None:
        """``path`` None: server mode, the document goes to the clipboard, never to a file."""
        try:
            if path is None:
                if not self.server_mode:
                    return
                result = self._run_export(name)
                self.app.copy_to_clipboard(result.data.decode("utf-8", errors="replace"))
            else:
                if self.server_mode:  # belt and braces: never a file on the server
                    return
                from ..exports.target import export_to_file

                path, result = export_to_file(lambda: self._run_export(name), path, **self._policy())
        except MeldcodeError as exc:
            self.show_error(exc.message, exc.hint)
            if isinstance(exc, StoreError):
                self.app.report_error(exc)
            return
        except OSError as exc:
            self.show_error(_("Schrijven is niet gelukt ({err}).", err=exc.strerror or type(exc).__name__))
            return
        except Exception as exc:  # noqa: BLE001
            from .dialogs import generic_error_message

            self.show_error(generic_error_message(exc))
            return
        if path is None:
            self.app.notify(_("De export staat op uw klembord (journaal: {ref}).", ref=result.journal_ref))
        else:
            self.app.notify(_("Geëxporteerd naar {path}", path=safe_line(path)))
        if name == "toml":
            # The receiving school checks the file against this value (meldcode import --expect-head).
            self.app.notify(_("Controlewaarde voor de ontvangende school (apart doorgeven): {seq} {head}",
                              seq=result.event.seq, head=result.event.hash), timeout=60)
        self.dismiss(True)
