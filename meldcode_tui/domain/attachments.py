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
import re
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


# A web page or an SVG is text to the sniffer but a program to a browser (scripts, links that
# call home when the file is opened): refused even when it is clean UTF-8.
_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta)\b",
                     re.IGNORECASE)


def is_markup(data: bytes) -> bool:
    """True for an HTML page or SVG image: the first 4 KB hold one of its tags."""
    return _MARKUP.search(data[:4096]) is not None


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
        size, limit = human_sizes(len(data), max_bytes)
        raise InputError(_("De bijlage is {size} groot; het maximum is {max} ([attachments] max_mb).",
                           size=size, max=limit), field="file")
    media = media_type_of(bytes(data))
    if media == "text/plain" and is_markup(bytes(data)):
        raise InputError(_("Een webpagina (HTML) of SVG-afbeelding kan niet als bijlage: ze kan "
                           "scripts en verwijzingen bevatten. Bewaar haar als PDF."), field="file")
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


def human_sizes(size: int, limit: int) -> tuple[str, str]:
    """``size`` and ``limit`` as text precise enough to tell them apart: 10.5 MB against a
    10 MiB maximum is "10,01 MB" against "10,00 MB", not twice "10,0 MB"."""
    if size < 1024 * 1024 or limit < 1024 * 1024:
        return human_size(size), human_size(limit)
    for digits in (1, 2, 3):
        a, b = (f"{n / (1024 * 1024):.{digits}f}".replace(".", ",") for n in (size, limit))
        if a != b:
            return _("{n} MB", n=a), _("{n} MB", n=b)
    return _("{n} bytes", n=size), _("{n} bytes", n=limit)


def extension(media_type: str) -> str:
    return MEDIA_TYPES.get(media_type, ("", "bin"))[1]


def label(media_type: str) -> str:
    return _(MEDIA_TYPES[media_type][0]) if media_type in MEDIA_TYPES else media_type
