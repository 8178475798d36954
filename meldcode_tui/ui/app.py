"""The Meldcode app: shell, error handling, help (F1) and the command palette."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime, timezone
from functools import partial
from typing import Any, Callable

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider, CommandPalette

from ..errors import ConcurrentEdit, MeldcodeError, StoreError
from ..i18n import _
from ..text_safety import safe_line
from .dialogs import ConfirmScreen, HelpScreen, generic_error_message
from .key_order import KeysInOrder

log = logging.getLogger(__name__)
# Below this many bytes an update is written without the synchronized-output brackets: it
# goes out in one write and, under a TCP segment (~1,400 bytes), reaches the terminal in one
# piece, so it cannot tear; the brackets would add 16 bytes to a cursor move.
SYNC_WORTH = 1024
# Seconds after the start at which what waits for the first frame runs anyway.
FIRST_FRAME_AT_LATEST = 3.0


def install_render_guard() -> None:
    """The last line of defence under every widget: Textual's Content strips only
    BEL/BS/VT/FF/CR, so an ESC in a pupil's name (``ESC ] 0 ; … BEL`` retitles the terminal,
    ``ESC ] 52`` writes the clipboard) would reach the terminal from a cell, an Input, a
    notification or the palette. Every strip's text passes ``text_safety.strip_controls``
    before it becomes terminal output; Textual's own escape sequences are added after (styles,
    links), so they are untouched. The characters removed are zero-width, so the layout stays
    right; where the app shows text on purpose (labels.py, the record view, headers) they were
    already replaced by a visible placeholder."""
    from textual.strip import Strip

    from ..text_safety import strip_controls

    if getattr(Strip.render, "_meldcode_guard", False):
        return
    original = Strip.render

    def render(self, console):
        if self._render_cache is None:
            segments = self._segments
            for i, segment in enumerate(segments):
                clean = strip_controls(segment.text)
                if clean is not segment.text:
                    segments[i] = segment._replace(text=clean)
        return original(self, console)

    render._meldcode_guard = True
    Strip.render = render


install_render_guard()


class MeldcodeCommands(Provider):
    """Every action of the current screen, plus jumping to a case by pupil name or case id."""

    def _actions(self):
        screen = self.screen
        seen = set()
        try:
            bindings = screen.active_bindings
        except Exception:  # noqa: BLE001
            return
        for key, active in bindings.items():
            b = active.binding
            if (not b.description or b.id is None or b.action in seen
                    or b.action in ("command_palette", "app.command_palette", "app.help", "help")):
                continue
            seen.add(b.action)
            label = f"{b.description} ({self.app.get_key_display(b)})"
            yield label, partial(self.app.run_action, b.action, active.node), b.tooltip or None

    def _cases(self):
        app = self.app
        try:
            rows = app.svc.list_cases(include_closed=True)
        except Exception:  # noqa: BLE001 - the palette must never crash the app
            return
        for row in rows:
            label = _("Open casus {case_id}: {name}", case_id=row.get("case_id"),
                      name=safe_line(row.get("pupil_name", "")))
            yield label, partial(app.open_case, row.get("case_id")), None

    async def discover(self) -> Hits:
        for label, command, help_text in self._actions():
            yield DiscoveryHit(label, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for source in (self._actions(), self._cases()):
            for label, command, help_text in source:
                score = matcher.match(label)
                if score > 0:
                    yield Hit(score, matcher.highlight(label), command, text=label, help=help_text)


class DutchPalette(CommandPalette):
    """The command palette with its one user-visible English sentence in Dutch."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        from rich.align import Align
        from rich.text import Text
        from textual.command import CommandList
        from textual.widgets.option_list import Option

        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(_("Niets gevonden"), style="not bold")),
                    disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class MeldcodeApp(KeysInOrder, App):
    """Keyboard-only app over a CaseService. Keys are handled in the order typed, each with
    all its effects (ui/key_order.py)."""

    CSS_PATH = "app.tcss"
    TITLE = "Meldcode"
    COMMANDS = {MeldcodeCommands}
    ENABLE_COMMAND_PALETTE = True
    NOTIFICATION_TIMEOUT = 8

    BINDINGS = [
        Binding("f1", "help", _("Alle toetsen"), id="app.help"),
        Binding("f9", "messages", _("Meldingen"), id="app.messages", show=False),
        Binding("ctrl+p", "command_palette", _("Opdrachten"), id="app.palette", show=False),
        Binding("ctrl+q", "quit", _("Stoppen"), id="app.quit", show=False, priority=True),
    ]

    def __init__(self, service, *, plugin_host=None, actor: str | None = None,
                 today: date | Callable[[], date] | None = None, plugin_host_factory=None,
                 refresh_seconds: float = 30.0, live_seconds: float = 0.5,
                 server_mode: bool = False, config=None):
        super().__init__()
        # What plugins and catalogues reported: (time, source, text), read again with F9.
        self.messages: list[tuple[str, str, str]] = []
        # Server mode is set by `meldcode serve` only (the SSH forced command): no file is
        # ever written on the server; exports go to the coordinator's own computer.
        self.server_mode = bool(server_mode)
        self.config = config
        self.svc = service
        self._host = plugin_host
        self._host_factory = plugin_host_factory
        self.actor = actor or getattr(service, "actor", "") or ""
        self._today = today
        self.refresh_seconds = refresh_seconds
        # How often an open screen asks whether anyone committed (PRAGMA data_version).
        self.live_seconds = live_seconds
        from .wire import ScreenCopy

        # What the terminal shows: updates send only the cells that differ (ui/wire.py).
        self._wire = ScreenCopy()
        # Work that waits until the terminal shows a whole first frame (after_first_frame).
        self._first_frame_shown = False
        self._after_first: list[Callable[[], Any]] = []

    # -- output --------------------------------------------------------------------------------
    def on_descendant_focus(self, event) -> None:
        """No blinking cursor: a blink repaints the field twice a second (about 300 bytes a
        second over SSH while nobody types, and a frame in every terminal). The cursor stays
        on, as it is in a blink's visible half."""
        widget = getattr(event, "widget", None)
        if getattr(widget, "cursor_blink", False) is True:
            widget.cursor_blink = False

    def _display(self, screen, renderable) -> None:
        """Textual's own ``App._display`` (textual 8.x) for a full-screen terminal, through the
        cell-diffing layer of ui/wire.py: an update writes only the cells that change, and an
        update that changes nothing writes nothing. Headless runs (tests, snapshots) and
        anything that is not a compositor update take Textual's path unchanged."""
        from textual._compositor import ChopsUpdate, LayoutUpdate

        driver = self._driver
        update = isinstance(renderable, (ChopsUpdate, LayoutUpdate))
        if (renderable is None or self._batch_count or not self._running or self._closed
                or self.is_headless or driver is None or driver.is_inline or not update):
            super()._display(screen, renderable)
            if update and not self._batch_count and self._running:
                # No terminal to fill (tests, snapshots): the first update is the first frame.
                self._first_frame_done()
            return
        try:
            try:
                cursor = self._text_cursor()
                size = self.size
                data = self._wire.render(renderable, self.console, cursor,
                                         (size.width, size.height))
            except Exception as error:  # noqa: BLE001 - as Textual's own _display does
                self._handle_exception(error)
                return
            if not data:
                return
            if len(data) < SYNC_WORTH:
                # Fits one packet: nothing to tear; the brackets would only add bytes.
                driver.write(data)
            else:
                self._begin_update()
                try:
                    driver.write(data)
                finally:
                    self._end_update()
            driver.flush()
            if self._wire.complete:
                self._first_frame_done()
        finally:
            self.post_display_hook()

    def _text_cursor(self) -> tuple[int, int] | None:
        """Where the terminal's (hidden) cursor must be left: at the focused text field's
        cursor, where an input method puts what is being composed. Without a text field in
        focus its place does not matter, so no bytes are spent moving it (a cursor move on
        the dashboard then ends where its last cell was written)."""
        # Input and TextArea (the text fields) have it; imported here they would cost the
        # first frame the text area's import.
        if not hasattr(self.focused, "cursor_screen_offset"):
            return None
        cursor = self.screen.outer_size.clamp_offset(self.cursor_position)
        return (cursor.x, cursor.y)

    # -- after the first frame -----------------------------------------------------------------
    def after_first_frame(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once the terminal shows a whole first frame (every cell sent), or at
        once when it already does. What a user waits for at the start is that frame; whatever
        it does not need (counts, "Voor u vandaag", the plugins) comes right after it.
        Textual's ``call_after_refresh`` is not that moment: the first refreshes come while
        the screen is still being mounted and paint nothing, so work scheduled with it ran
        before the first frame reached the terminal."""
        if self._first_frame_shown:
            self.call_later(callback)
        else:
            self._after_first.append(callback)

    def _first_frame_done(self) -> None:
        if self._first_frame_shown:
            return
        self._first_frame_shown = True
        waiting, self._after_first = self._after_first, []
        for callback in waiting:
            self.call_later(callback)

    # -- environment -----------------------------------------------------------------------
    def today(self) -> date:
        if self._today is None:
            return date.today()
        if callable(self._today):
            value = self._today()
            return value.date() if isinstance(value, datetime) else value
        return self._today

    def header_warning(self) -> str:
        """A line for the header while the school has not set what the AVG asks of it (no
        retention period in the config); empty when all is set or there is no config."""
        if self.config is None or getattr(self.config, "retention_years", 0) is not None:
            return ""
        return _("geen bewaartermijn ingesteld ([retention])")

    @property
    def plugin_host(self):
        if self._host is None:
            self._host = getattr(self.svc, "plugins", None)
        if self._host is None and self._host_factory is not None:
            self._host = self._host_factory()
        return self._host

    # -- start -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        from .dashboard import DashboardScreen

        if self.no_color:
            # NO_COLOR: Textual filters colour out on the terminal; a theme of greys makes the
            # app's own screenshots (and any terminal that ignores the filter) the same.
            self.register_theme(_mono_theme())
            self.theme = "meldcode-mono"
        else:
            self.theme = "textual-dark"
        if getattr(self.svc, "role", None) == "teacher":   # she never sees a case: her own screen
            from .people_screens import TeacherScreen

            self.push_screen(TeacherScreen())
        elif getattr(self.svc, "role", None) == "auditor":
            from .people_screens import AuditorScreen

            self.push_screen(AuditorScreen())
        else:
            self.push_screen(DashboardScreen())
        self._handle_hangup()
        self._watch_access()
        self.after_first_frame(self._load_plugins)
        # Should a frame never be complete (a terminal that lost the screen early), what
        # waits for it still comes.
        self.set_timer(FIRST_FRAME_AT_LATEST, self._first_frame_done)
        # Back from a suspend (ctrl+z, an editor): the terminal showed something else meanwhile,
        # so the next frame is sent whole.
        self.app_resume_signal.subscribe(self, lambda _app: self._wire.forget())

    def _load_plugins(self) -> None:
        """What the first frame does not need: the plugins (when they come lazily, ui/__init__)
        and their warnings; the dashboard's header then shows the messages badge."""
        host = self.plugin_host
        loaded = getattr(host, "loaded", None)
        if callable(loaded):
            try:
                loaded()
            except Exception:  # noqa: BLE001 - reported where the plugins are used
                log.exception("loading the plugins failed")
        self.show_plugin_warnings()
        render = getattr(self.screen, "_render_strip", None)
        if self.messages and callable(render):
            render()

    # Revocation at once: a session of a managed user (the service has a role) re-reads the
    # user's row twice a second (one indexed lookup); a disabled user's app, or one whose role
    # changed, ends within a second with one line - no screen keeps showing what the old
    # role could see.
    ACCESS_CHECK_SECONDS = 0.5

    def _watch_access(self) -> None:
        if getattr(self.svc, "role", None) is not None:
            self.set_interval(self.ACCESS_CHECK_SECONDS, self.check_access)

    def inbox_badge(self) -> str:
        """For the dashboard's header: new teachers' concerns, for coordinators."""
        if getattr(self.svc, "role", None) not in (None, "coordinator") or \
                not hasattr(self.svc, "concern_inbox"):
            return ""
        try:
            n = len(self.svc.concern_inbox())
        except Exception:  # noqa: BLE001 - the header must not fail
            return ""
        return _(" — zorgmeldingen: {n} nieuw (i)", n=n) if n else ""

    def action_inbox(self) -> None:
        if getattr(self.svc, "role", None) not in (None, "coordinator"):
            return
        from .people_screens import InboxScreen

        self.push_screen(InboxScreen())

    SESSION_END_SHOWN_SECONDS = 1.5   # how long the reason stays on screen before the app ends

    def check_access(self) -> None:
        if getattr(self, "_access_ended", False):
            return  # ending already: one journal entry, one message
        try:
            line = self.svc.session_status()
        except Exception:  # noqa: BLE001 - a busy database: check again on the next tick
            return
        if line is not None:
            self._access_ended = True
            self._keep_what_is_typed()
            try:
                self.svc.session_closed()
            except Exception:  # noqa: BLE001 - ending anyway; the admin's change is journalled
                pass
            # At once: nothing of the cases stays on screen, only the reason; the app ends a
            # moment later, and ``run_app`` prints the line again once the app has left the
            # terminal (printed as Textual's exit message it could race the driver's last
            # writes, land on the alternate screen and vanish with it).
            self.ended_with = line
            from .dialogs import SessionEndedScreen

            self.push_screen(SessionEndedScreen(line))
            self.set_timer(self.SESSION_END_SHOWN_SECONDS, lambda: self.exit(return_code=1))

    def _keep_what_is_typed(self) -> None:
        """Every open form's draft written, and every opened case's view on record, before the
        session ends (access taken away, or the connection dropped)."""
        from .drafts import DraftMixin

        for screen in self.screen_stack:
            if isinstance(screen, DraftMixin):
                screen.draft_flush()
            if hasattr(screen, "ensure_view_logged"):
                screen.ensure_view_logged()

    def _handle_hangup(self) -> None:
        """A dropped SSH connection sends SIGHUP, whose default kills the process at once.
        Keep what is being typed first, then end: the terminal is gone, so there is nothing
        to restore on screen. (Writes are synchronous and short, so no transaction is open
        while the event loop runs this.)"""
        import asyncio
        import signal

        def hangup() -> None:
            self._keep_what_is_typed()
            try:
                self.svc.store.close()
            finally:
                os._exit(128 + signal.SIGHUP)

        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, hangup)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread (tests)
            pass

    def show_plugin_warnings(self) -> None:
        """Plugins that were switched off (with their Dutch reason) and catalogue problems go to
        the Meldingen screen (F9); one short toast says how many there are."""
        host = self.plugin_host
        try:
            warnings = list(host.warnings()) if host is not None and hasattr(host, "warnings") else []
        except Exception:  # noqa: BLE001 - a warning must never stop the app
            warnings = []
        for line in warnings:
            self.add_message(_("Plugins en catalogi"), str(line))
        if warnings:
            self.notify(_("{n} melding(en) over plugins of catalogi. F9: lezen.", n=len(warnings)),
                        title=_("Meldingen"), severity="warning", timeout=6)

    def add_message(self, source: str, text: str) -> None:
        from .labels import fmt_datetime

        at = fmt_datetime(datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.messages.append((at, source, text))

    def messages_badge(self) -> str:
        n = len(self.messages)
        return _("  meldingen: {n} (F9)", n=n) if n else ""

    def action_messages(self) -> None:
        from .dialogs import MessagesScreen

        self.push_screen(MessagesScreen(list(self.messages)))

    # -- errors ------------------------------------------------------------------------------
    def _fatal_error(self) -> None:
        """Never print Textual's traceback (it shows local variables: case content). One Dutch
        line instead; MELDCODE_DEBUG=1 keeps the full traceback for developers."""
        if os.environ.get("MELDCODE_DEBUG"):
            return super()._fatal_error()
        from rich.text import Text

        self.bell()
        kind = type(self._exception).__name__ if self._exception is not None else "Error"
        log.error("unexpected error in the app: %s", kind)
        self._exit_renderables.append(Text(_(
            "meldcode: onverwachte fout ({kind}). Wat al was opgeslagen blijft bewaard; "
            "zet MELDCODE_DEBUG=1 voor details.", kind=kind)))
        self._close_messages_no_wait()

    def report_error(self, exc: BaseException) -> None:
        """Show an error as a notification: Dutch message; never case content or a traceback."""
        if isinstance(exc, ConcurrentEdit):
            self.notify(_("Een collega heeft deze casus net gewijzigd. De gegevens zijn opnieuw "
                          "geladen; controleer ze en probeer het nog eens."),
                        title=_("Tegelijk gewijzigd"), severity="warning")
        elif isinstance(exc, StoreError):
            self.notify(str(exc) + " " + _("Er is niets verloren gegaan; probeer het zo opnieuw."),
                        title=_("Database"), severity="error")
        elif isinstance(exc, MeldcodeError):
            self.notify(str(exc), title=_("Niet mogelijk"), severity="warning")
        else:
            log.error("unexpected error in the app: %s", type(exc).__name__)
            self.notify(generic_error_message(exc), title=_("Fout"), severity="error")

    def guard(self, fn: Callable[..., Any], *args, **kwargs) -> tuple[bool, Any]:
        """Run ``fn``; on an error show it and return (False, exc)."""
        try:
            return True, fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - shown to the user, Dutch, no content
            self.report_error(exc)
            return False, exc

    # -- navigation --------------------------------------------------------------------------
    def open_case(self, case_id: str, start_intent: str | None = None) -> None:
        from .case import CaseScreen

        if not case_id:
            return
        # Leave any stacked case screen first, so Esc always leads back to the dashboard.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(CaseScreen(case_id, start_intent=start_intent))

    def confirm(self, question: str, then: Callable[[], Any]) -> None:
        def done(yes: bool | None) -> None:
            if yes:
                then()

        self.push_screen(ConfirmScreen(question), done)

    # -- actions -----------------------------------------------------------------------------
    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        from .base import help_rows

        rows = help_rows(self.screen, self.get_key_display)
        title = getattr(self.screen, "help_title", None) or self.screen.__class__.__name__
        self.push_screen(HelpScreen(title, rows))

    def action_help_quit(self) -> None:
        self.notify(_("Stoppen: Q op het overzicht of Ctrl+Q."), title=_("Stoppen?"))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(DutchPalette(
                id="--command-palette",
                placeholder=_("Zoek een opdracht, leerling of casusnummer…"),
            ))


def _mono_theme():
    """Greys only: with NO_COLOR nothing on screen may depend on colour."""
    from textual.theme import Theme

    return Theme(name="meldcode-mono", primary="#c8c8c8", secondary="#a8a8a8", accent="#e8e8e8",
                 warning="#ffffff", error="#ffffff", success="#d8d8d8", foreground="#e8e8e8",
                 background="#000000", surface="#141414", panel="#262626", dark=True)
