"""The one translation function every user-facing string goes through.

Source strings are written in Dutch (the product's language) and passed through ``_()``.
Another language is a TOML file ``locale/<lang>.toml`` mapping each Dutch source string
to its translation; ``MELDCODE_LANG=en`` selects it. Missing entries fall back to Dutch,
so a partial translation never hides text.

    _("Casus {case_id} is gesloten.", case_id="MC-0001")
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

_LOCALE_DIR = Path(__file__).parent / "locale"


@lru_cache(maxsize=8)
def _catalog(lang: str) -> dict[str, str]:
    if lang in ("", "nl"):
        return {}
    path = _LOCALE_DIR / f"{lang}.toml"
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {k: v for k, v in data.get("messages", {}).items() if isinstance(v, str)}


def current_language() -> str:
    return os.environ.get("MELDCODE_LANG", "nl").strip().lower() or "nl"


def _(message: str, /, **values: object) -> str:
    """Translate ``message`` (a Dutch source string) and fill in ``{placeholders}``."""
    text = _catalog(current_language()).get(message, message)
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never hide the message: fall back to the source.
            return message.format(**values)
    return text


def N_(message: str, /) -> str:
    """Mark a string for translation without translating it yet (module-level tables)."""
    return message
