"""Text hygiene at both ends: refuse hostile characters coming in, neutralise them going out.

*In* (:func:`check_text`): every text the app takes in (payload fields, CLI options, imports,
catalogues, config values) refuses C0/C1 control characters (newline and tab only in
multi-line text), DEL, and the Unicode bidi controls that reorder what a reader sees
(U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), and is bounded in length.

*Out* (:func:`safe`): every place that prints text from the database, a plugin or a file passes
it through here first, so text written before this check existed (or past the service, or by a
plugin) can never reach the terminal's control channel (an ESC starting an OSC sequence, a CR
overwriting a line) or reorder a line. Each such character becomes the visible placeholder
``\ufffd`` (never silently dropped), so a reader sees that something was there.

This module sits at the bottom of the layering (next to ``errors`` and ``i18n``): the domain,
config, exports, CLI and TUI all use it.
"""

from __future__ import annotations

import re

from .errors import InputError
from .i18n import _

# Bounds: a name, a title, a place or a short answer fits in 200 characters; free text (a
# conversation, a reason) in 20,000 - about eight A4 pages, far above any real note, low
# enough that a pasted file or a flood cannot bloat the journal or the screen.
SHORT_MAX = 200
LONG_MAX = 20_000

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
PLACEHOLDER = "\ufffd"

_CONTROL_RANGES = "\x00-\x08\x0b-\x1f\x7f-\x9f"   # C0 except tab/newline, DEL, C1
_BIDI = "".join(sorted(BIDI_CONTROLS))
_BAD_SINGLE_LINE = re.compile(f"[\t\n{_CONTROL_RANGES}{_BIDI}\u2028\u2029]")
_BAD_MULTI_LINE = re.compile(f"[{_CONTROL_RANGES}{_BIDI}\u2028\u2029]")
# Output: tab and newline survive only where the caller says the text is multi-line.
_OUT_MULTI = _BAD_MULTI_LINE
_OUT_SINGLE = _BAD_SINGLE_LINE

USER_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}$")


def describe(char: str) -> str:
    """``U+001B`` for a character, for messages (never the character itself)."""
    return f"U+{ord(char):04X}"


def bad_character(value: str, *, multiline: bool = False) -> str | None:
    """The first forbidden character in ``value``, or None."""
    m = (_BAD_MULTI_LINE if multiline else _BAD_SINGLE_LINE).search(value)
    return m.group(0) if m else None


def check_text(value: str, field: str, *, multiline: bool = False, max_len: int | None = None,
               label: str | None = None) -> str:
    """Return ``value`` or raise :class:`InputError` naming the field (``label`` is its Dutch
    name; ``field`` the key). Refuses control and bidi characters and text above the bound."""
    name = label or field
    bad = bad_character(value, multiline=multiline)
    if bad is not None:
        if bad in "\t\n\u2028\u2029":
            message = _("'{field}' moet op één regel staan (geen regeleinde of tab).", field=name)
        else:
            message = _("'{field}' bevat een niet-toegestaan teken ({code}): stuur- en "
                        "richtingstekens worden geweigerd.", field=name, code=describe(bad))
        raise InputError(message, field=field)
    bound = max_len if max_len is not None else (LONG_MAX if multiline else SHORT_MAX)
    if len(value) > bound:
        raise InputError(_("'{field}' is te lang: hoogstens {max} tekens (nu {n}).",
                           field=name, max=bound, n=len(value)), field=field)
    return value


def invisible_only(value: str) -> bool:
    """True when ``value`` shows nothing a reader can see or search for: it holds no letter,
    digit, punctuation or symbol, only spaces, zero-width characters (U+200B, U+2060, U+FEFF)
    and combining accents with nothing to sit on. Such a "name" would make a case nobody can
    find or tell apart."""
    import unicodedata

    return bool(value) and not any(unicodedata.category(ch)[0] in "LNPS" for ch in value)


def skeleton(value: str) -> str:
    """What ``value`` looks like, for telling look-alikes apart: NFKC, case folded, and every
    letter of another script that is a homoglyph of a Latin letter replaced by that letter
    (Unicode's confusables data, through ``confusable_homoglyphs``). "Sаnne" with a Cyrillic
    "а" and "Sanne" have the same skeleton. Accented Latin letters stay themselves."""
    import unicodedata

    text = unicodedata.normalize("NFKC", value).casefold()
    if text.isascii():
        return text
    from confusable_homoglyphs import categories, confusables

    out = []
    for ch in text:
        if ch.isascii() or not ch.isalpha() or categories.alias(ch) == "LATIN":
            out.append(ch)
            continue
        found = confusables.is_confusable(ch, greedy=True, preferred_aliases=["latin"]) or []
        latin = [g["c"] for hit in found for g in hit["homoglyphs"]
                 if len(g["c"]) == 1 and categories.alias(g["c"]) == "LATIN"]
        out.append(latin[0].casefold() if latin else ch)
    return "".join(out)


def check_user_name(value: str, field: str = "--user") -> str:
    """A user name (the acting coordinator): letters, digits, ``._@-``, at most 64, no
    control characters. It ends up in every event and on every screen."""
    if not isinstance(value, str) or not USER_NAME.fullmatch(value):
        raise InputError(_("Ongeldige gebruikersnaam in '{field}': alleen letters, cijfers en "
                           "._@- (hoogstens 64 tekens).", field=field), field=field)
    return value


def safe(value: object, *, multiline: bool = True) -> str:
    """``value`` as text fit for a terminal, a document or a widget: every control character
    (C0 except tab/newline, DEL, C1) and every bidi control becomes ``�``. With
    ``multiline=False`` newline and tab become a space (a table cell, a title)."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if multiline:
        text = text.replace("\r\n", "\n")
        return _OUT_MULTI.sub(PLACEHOLDER, text)
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _OUT_SINGLE.sub(PLACEHOLDER, text)


def strip_controls(text: str) -> str:
    """Remove (not replace) control and bidi characters, keeping newline and tab: for the last
    line of defence under the TUI, where every removed character had zero width, so the layout
    Textual computed stays right."""
    return _OUT_MULTI.sub("", text) if _OUT_MULTI.search(text) else text


def remove_controls(text: str) -> tuple[str, list[str]]:
    """``text`` without its control and bidi characters (newline and tab stay), and the
    characters it removed: for pasted text, which is cleaned where the person can see it
    rather than refused whole or stored reordered."""
    removed = _OUT_MULTI.findall(text.replace("\r\n", "\n"))
    if not removed:
        return text, []
    return _OUT_MULTI.sub("", text.replace("\r\n", "\n")), removed


def safe_line(value: object) -> str:
    """:func:`safe` for one line (cells, titles, option labels)."""
    return safe(value, multiline=False)


def safe_data(value):
    """:func:`safe` applied to every string inside dicts/lists (for JSON output)."""
    if isinstance(value, str):
        return safe(value)
    if isinstance(value, dict):
        return {safe(k) if isinstance(k, str) else k: safe_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_data(v) for v in value]
    return value


class SafeTextStream:
    """A text stream that neutralises everything written to it (:func:`safe`): the CLI's
    stdout and stderr, so no command can print a control sequence from the database, a plugin
    or a file. Bytes are refused (as a text stream does); binary output goes through
    :attr:`binary` on purpose (an export's document, which its renderer already neutralised).
    A closed pipe (``| head``) is swallowed: the reader went away, nothing to tell."""

    def __init__(self, stream):
        self._stream = stream
        self.binary = getattr(stream, "buffer", None)

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("SafeTextStream.write() takes str")
        return self._stream.write(safe(text))

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        return self._stream.flush()

    def isatty(self):
        try:
            return self._stream.isatty()
        except (AttributeError, ValueError):
            return False

    def fileno(self):
        return self._stream.fileno()

    @property
    def encoding(self):
        return getattr(self._stream, "encoding", "utf-8")

    @property
    def errors(self):
        return getattr(self._stream, "errors", "strict")

    def __getattr__(self, name):
        if name == "buffer":  # not offered: a writer must choose .binary explicitly
            raise AttributeError(name)
        return getattr(self._stream, name)


def binary_stdout():
    """Where a command writes an export's bytes."""
    import sys

    out = sys.stdout
    return getattr(out, "binary", None) or getattr(out, "buffer", None) or out


__all__ = ["BIDI_CONTROLS", "LONG_MAX", "PLACEHOLDER", "SHORT_MAX", "bad_character", "check_text",
           "check_user_name", "describe", "invisible_only", "remove_controls", "skeleton", "safe", "safe_data", "safe_line", "strip_controls",
           "SafeTextStream", "binary_stdout"]
