"""Shared base for modal screens: Textual cuts app bindings off at a modal, so F1 and the
command palette are bound here again."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer

from ..i18n import _


# F7 selects all of the focused field and F8 empties it, on every screen. A text area already
# selects all on F7 (its own binding, which comes first); a one-line field has only
# ctrl+shift+a, which most terminals cannot send apart from ctrl+a (line start). Textual merges
# BINDINGS only from widget classes, so the screens below list these themselves.
FIELD_BINDINGS = [
    Binding("f7", "select_all_in_field", _("Alles selecteren in het veld"), id="field.select_all",
            show=False),
    Binding("f8", "clear_field", _("Veld leegmaken"), id="field.clear", show=False),
]


PALETTE_CORNER = 16     # "▏^p Opdrachten" docked at the footer's right end


ALWAYS_SHOWN = (".help", ".back", ".cancel", ".close", ".save")   # binding id endings kept in every footer


def fit_footer(screen, order=None, *, hide_prefix: str | None = None) -> None:
    """Show in ``screen``'s footer the keys named in ``order`` (binding ids, most used first;
    by default the screen's shown keys in their own order) that fit the terminal's width next
    to the keys it always shows (F1, Esc, Ctrl+S); F1 lists every key (a footer of every key was cut
    mid-word at 80x24). Keys with ``hide_prefix`` that are not in ``order`` are left out
    of the footer. A key left out of the footer still works."""
    merged = screen._merged_bindings.key_to_bindings
    if order is None:
        # The screen's own keys in the order it declares them (the merged map is ordered by
        # where a key was first bound, often a base class), then any inherited ones.
        own = [b for b in type(screen).__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
        order = [b.id for b in own + [b for bs in merged.values() for b in bs]
                 if b.show and b.id and not b.id.endswith(ALWAYS_SHOWN)]
    order = list(dict.fromkeys(order))      # a binding with two keys is listed under both
    from dataclasses import replace

    from textual.binding import BindingsMap

    if not screen.is_attached:
        return
    width = screen.app.size.width
    if getattr(screen, "_footer_for", None) == (tuple(order), width):
        return
    screen._footer_for = (tuple(order), width)

    def cost(b) -> int:
        return len(screen.app.get_key_display(b)) + len(str(b.description)) + 3

    ranked = {name: i for i, name in enumerate(order)}

    def hidden(b) -> bool:
        return bool(hide_prefix and b.id and b.id.startswith(hide_prefix) and b.id not in ranked
                    and not b.id.endswith(ALWAYS_SHOWN))

    candidates = {b.id: b for bs in merged.values() for b in bs if b.id in ranked}
    # One entry per binding, not per key: "t,escape" is one item in the footer.
    always = {b.id or id(b): b for bs in merged.values() for b in bs
              if b.show and b.id not in ranked and not hidden(b)}
    room = width - PALETTE_CORNER - sum(cost(b) for b in always.values())
    shown: list[str] = []
    for name in order:
        b = candidates.get(name)
        if b is not None and cost(b) <= room:
            room -= cost(b)
            shown.append(name)
    fixed: dict[str, list] = {}
    fitted: dict[str, list] = {}
    for key, bindings in merged.items():
        out = [replace(b, show=b.id in shown) if b.id in ranked else
               replace(b, show=False) if hidden(b) else b for b in bindings]
        first = next((b.id for b in out if b.id in ranked), None)
        (fitted if first is not None else fixed)[key] = out
    # The footer lists keys in the map's order: the fixed ones, then by rank.
    ordered = dict(fixed)
    for key in sorted(fitted, key=lambda k: min(ranked.get(b.id, 999) for b in fitted[k])):
        ordered[key] = fitted[key]
    screen._bindings = BindingsMap.from_keys(ordered)
    screen.help_order = order           # F1 lists the keys in the same order, most used first
    screen.refresh_bindings()


GENERIC_KEY_IDS = ("app.", "field.", "modal.", "screen.")   # listed last by F1: the same everywhere


def help_rows(screen, key_display) -> list[tuple[str, str]]:
    """F1's list for ``screen``: (key, what it does), the screen's keys in its footer order,
    then its other keys, then the ones every screen has; none of ``screen.help_hidden`` (keys
    that can only be refused there, like the Meldcode's steps on a staff-route case)."""
    order = {name: i for i, name in enumerate(getattr(screen, "help_order", ()) or ())}
    hidden = getattr(screen, "help_hidden", set()) or set()
    rows: list[tuple[tuple[int, int], str, str]] = []
    seen = set()
    for n, active in enumerate(screen.active_bindings.values()):
        b = active.binding
        if not b.description or b.id is None or b.id in hidden or (b.action, b.description) in seen:
            continue
        seen.add((b.action, b.description))
        if b.id in order:
            rank = (0, order[b.id])
        elif b.id.startswith(GENERIC_KEY_IDS) or b.id.endswith(".help"):
            rank = (2, n)
        else:
            rank = (1, n)
        rows.append((rank, key_display(b), str(b.description)))
    return [(key, desc) for _rank, key, desc in sorted(rows, key=lambda r: r[0])]


class FieldEditing:
    """The actions behind FIELD_BINDINGS."""

    def action_select_all_in_field(self) -> None:
        from textual.widgets import Input, TextArea

        focused = self.focused
        if isinstance(focused, (Input, TextArea)):
            focused.select_all()

    def action_clear_field(self) -> None:
        from textual.widgets import Input, TextArea

        focused = self.focused
        if isinstance(focused, Input):
            focused.value = ""
        elif isinstance(focused, TextArea):
            focused.clear()


class SteadyFooter(Footer):
    """A footer that builds its keys once and again only when they change.

    Textual's footer mounts empty and rebuilds all its key widgets after every
    ``bindings_updated`` signal (each focus change, each ``refresh_bindings``), each rebuild a
    relayout and repaint of the screen; opening a case rebuilt it five times with the same keys.
    This one rebuilds only when what it would show differs from what it shows. With
    ``ready=True`` it shows the keys in its first composition: for a screen that fits its
    bindings before its widgets are composed (the case screen does so in ``compose``)."""

    def __init__(self, *args, ready: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if ready:
            self.set_reactive(Footer._bindings_ready, True)
        self._shown: tuple | None = None

    def _what_it_shows(self) -> tuple:
        """Everything ``Footer.compose`` reads, as a comparable value."""
        app = self.app
        return (self.compact, self.show_command_palette, app.ENABLE_COMMAND_PALETTE,
                tuple((key, b.key, b.action, str(b.description), b.group, b.tooltip, enabled,
                       tooltip, b.show or key == app.COMMAND_PALETTE_BINDING,
                       app.get_key_display(b))
                      for key, (_node, b, enabled, tooltip)
                      in self.screen.active_bindings.items()
                      if b.show or key == app.COMMAND_PALETTE_BINDING))

    def compose(self):
        from textual.widgets._footer import FooterKey

        if self._bindings_ready:
            self._shown = self._what_it_shows()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and "compact" in (widget._reactive_connect or {}):
                # A key bound to the footer's compact state is born in it: it starts compact
                # and is then bound to the footer's (not compact), each change a restyle of the
                # key; 30 of them were a fifth of opening a case. (The palette key is not
                # bound and stays as it is.)
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached or self._shown == self._what_it_shows():
            return
        await self.recompose()


class FittedFooter:
    """Screens whose footer shows what fits (see fit_footer); a screen with its own order
    overrides ``_fit_footer``."""

    def _fit_footer(self) -> None:
        fit_footer(self)

    def on_mount(self) -> None:
        self.call_after_refresh(self._fit_footer)

    def on_resize(self) -> None:
        self._fit_footer()


class Modal(FittedFooter, FieldEditing, ModalScreen):
    BINDINGS = [
        Binding("f1", "app.help", _("Alle toetsen"), id="modal.help"),
        Binding("ctrl+p", "app.command_palette", _("Opdrachten"), id="modal.palette", show=False),
        *FIELD_BINDINGS,
    ]

    @property
    def server_mode(self) -> bool:
        """Started by ``meldcode serve``: nothing is written to a file on the server."""
        return bool(getattr(self.app, "server_mode", False))

    @property
    def fetch_host(self) -> str:
        """``user@host`` for the ssh commands a coordinator runs on her own computer."""
        from ..config import Config

        return (getattr(self.app, "config", None) or Config()).fetch_host


class BaseScreen(FittedFooter, FieldEditing, Screen):
    BINDINGS = [
        Binding("f1", "app.help", _("Alle toetsen"), id="screen.help"),
        *FIELD_BINDINGS,
    ]
