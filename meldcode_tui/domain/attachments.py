"""Attachments (a photo of a note, a letter, a screenshot): what may be attached and how its
type is known. Pure functions, no storage.

The type comes from the *content*, never from the file name or what the sender says: a file
named ``brief.pdf`` that is an executable, an HTML page or a terminal-escape bomb is refused.
Accepted: PDF, PNG, JPEG and plain UTF-8 text. Plain text may hold newlines and tabs (and CR of
a Windows file) but no other control character and no bidi control: it can be shown in a
terminal or pasted into a melding.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..errors import InputError
from ..i18n import N_, _

DEFAULT_MAX_MB = 10

# media type -> (Dutch label, file extension)
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "application/pdf": (N_("PDF-document"), "pdf"),
    "image/png": (N_("PNG-afbeelding"), "png"),
    "image/jpeg": (N_("JPEG-foto"), "jpg"),
    "text/plain": (N_("tekstbestand"), "txt"),
}


@dataclass(frozen=True)
class Sniffed:
    media_type: str
    size: int
    sha256: str


def _is_plain_text(data: bytes) -> bool:
    from ..text_safety import bad_character

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return bad_character(text, multiline=True) is None


def media_type_of(data: bytes) -> str | None:
    """The accepted media type of ``data`` judged by its bytes, or None."""
    if data.startswith(b"%PDF-"):  # a damaged PDF is refused, not taken for text
        return "application/pdf" if b"%%EOF" in data[-1024:] else None
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return "image/png"
    if data.startswith(b"\xff\xd8\xff") and b"\xff\xd9" in data[-64:]:
        return "image/jpeg"
    if _is_plain_text(data):
        return "text/plain"
    return None


def sniff(data: bytes, *, max_bytes: int) -> Sniffed:
    """Check an attachment before it is stored. Raises :class:`InputError` (Dutch, one line)."""
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise InputError(_("De bijlage is leeg."), field="file")
    if len(data) > max_bytes:
        raise InputError(_("De bijlage is {size} groot; het maximum is {max} ([attachments] max_mb).",
                           size=human_size(len(data)), max=human_size(max_bytes)), field="file")
    media = media_type_of(bytes(data))
    if media is None:
        raise InputError(_("Dit soort bestand kan niet als bijlage: alleen PDF, PNG, JPEG of platte "
                           "tekst (UTF-8, zonder stuurtekens). Het type wordt aan de inhoud herkend, "
                           "niet aan de naam."), field="file")
    return Sniffed(media_type=media, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def human_size(n: int) -> str:
    if n < 1024:
        return _("{n} bytes", n=n)
    if n < 1024 * 1024:
        return _("{n} kB", n=round(n / 1024))
    return _("{n} MB", n=f"{n / (1024 * 1024):.1f}".replace(".", ","))


def extension(media_type: str) -> str:
    return MEDIA_TYPES.get(media_type, ("", "bin"))[1]


def label(media_type: str) -> str:
    return _(MEDIA_TYPES[media_type][0]) if media_type in MEDIA_TYPES else media_type
