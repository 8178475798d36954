"""The school's own keys: ``[keys]`` in config.toml maps a binding id to one or more keys.

A key map is checked before the app starts, like every other part of the config: an id that no
screen has, an empty value or a key Textual cannot produce would otherwise be ignored without a
word, and a coordinator would press a key that does nothing. Each problem is one Dutch line that
names the entry (never guessed, never half applied).
"""

from __future__ import annotations

import importlib
import pkgutil

from ..errors import InputError
from ..i18n import _

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")


def known_binding_ids() -> set[str]:
    """Every binding id of the app's screens and widgets. Imports all of ``meldcode_tui.ui``
    (only done when a school has a ``[keys]`` table)."""
    from textual.binding import Binding
    from textual.dom import DOMNode

    from .. import ui

    for info in pkgutil.iter_modules(ui.__path__):
        importlib.import_module(f"{ui.__name__}.{info.name}")
    ids: set[str] = set()
    todo = [DOMNode]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__module__.startswith(ui.__name__):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def _key_is_known(key: str) -> bool:
    from textual.keys import Keys, _character_to_key

    parts = key.split("+")
    *mods, name = parts
    if not name or any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    names = {k.value for k in Keys} | {_character_to_key(c) for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}
    return name in names or f"ctrl+{name}" in names or name in ("space", "tab", "enter", "backspace")


def checked_keymap(keys: object) -> dict[str, str]:
    """``[keys]`` as Textual's ``set_keymap`` takes it; raises :class:`InputError` on the first
    entry that cannot work."""
    if not keys:
        return {}
    if not isinstance(keys, dict):
        raise InputError(_("Configuratie: [keys] moet een tabel zijn (binding-id = \"toets\")."))
    known = known_binding_ids()
    out: dict[str, str] = {}
    for binding_id, value in keys.items():
        where = f'[keys] "{binding_id}"'
        if binding_id not in known:
            raise InputError(_("Configuratie: {where} is geen bekende actie; F1 in de app toont de "
                               "acties met hun id.", where=where), field="keys")
        if not isinstance(value, str) or not value.strip():
            raise InputError(_("Configuratie: {where} heeft geen toets.", where=where), field="keys")
        for key in (k.strip() for k in value.split(",")):
            if not key or not _key_is_known(key.lower() if len(key) > 1 else key):
                raise InputError(_("Configuratie: {where}: '{key}' is geen toets die de terminal "
                                   "kan sturen (bijvoorbeeld ctrl+g, f5, shift+tab).",
                                   where=where, key=key[:40]), field="keys")
        out[binding_id] = value
    return out
