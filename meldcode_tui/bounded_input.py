"""Reading what a person or another program hands us, within bounds.

Every file the app reads that someone else could have written (a config, a catalogue, a transfer
file, a key file) and every document on standard input comes through here, so that no input can
hang a command or grow it without bound, and every refusal is one Dutch line that names the file
and the place, never the content:

- only *regular* files: a FIFO would block the open or the read for ever, ``/dev/zero`` would
  fill memory; both are refused before a byte is read (``O_NONBLOCK`` on the open, then ``fstat``
  on the open descriptor, so the check and the read are about the same file);
- at most ``limit`` bytes: one byte more is read to know that there is more, then refused;
- strict UTF-8, with the byte position of the first bad byte;
- JSON and TOML nested at most ``MAX_DEPTH`` deep (Python's parsers recurse: 100,000 ``[`` end in
  a RecursionError otherwise), and no lone surrogate (``"\\ud800"`` in JSON) in any string: such a
  string cannot be written to a UTF-8 file or a terminal.

The limits (and why) are listed in the README's "Grenzen aan invoer".
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError
from .i18n import _

# Nesting: a record's payload is at most four levels deep (a decision's decided_by list of
# objects); a config or a catalogue three. 32 leaves room for any honest document and stays far
# below the interpreter's recursion limit, also for the code that walks the result.
MAX_DEPTH = 32

# Sizes, in bytes (see the README's "Grenzen aan invoer").
MAX_CONFIG_BYTES = 1 * 1024 * 1024          # a config is a few KB
MAX_CATALOGUE_BYTES = 5 * 1024 * 1024       # the built-in catalogue is ~60 KB
MAX_STDIN_BYTES = 1 * 1024 * 1024           # one record's fields
MAX_TRANSFER_BYTES = 256 * 1024 * 1024      # a whole case with its attachments (10 MB each)
MAX_KEY_BYTES = 64 * 1024                   # a key file or a signing key


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",")


def read_regular_file(path: str | os.PathLike, *, limit: int, what: str,
                      follow_symlinks: bool = True, caller_judges_size: bool = False) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    ``what`` is the Dutch noun the message starts with ("Configuratiebestand"). A FIFO, a
    device, a directory or a socket is refused without blocking; with
    ``follow_symlinks=False`` a symbolic link too. ``caller_judges_size``: a file over the
    limit is not refused here; at most ``limit + 1`` bytes are returned, so the caller can say
    it in its own words (an attachment names its size and the school's maximum)."""
    p = Path(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise InputError(_("{what} {path} bestaat niet.", what=what, path=p)) from None
    except IsADirectoryError:
        raise InputError(_("{what} {path} is een map, geen gewoon bestand.", what=what, path=p)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise InputError(_("{what} {path} is een symbolische koppeling; alleen gewone "
                               "bestanden worden gelezen.", what=what, path=p)) from None
        raise InputError(_("{what} {path} is niet leesbaar ({error}).", what=what, path=p,
                           error=exc.strerror or type(exc).__name__)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(_("{what} {path} is een map, geen gewoon bestand.", what=what, path=p))
        if not stat.S_ISREG(info.st_mode):
            raise InputError(_("{what} {path} is geen gewoon bestand (maar een pijp, apparaat of "
                               "socket); alleen gewone bestanden worden gelezen.", what=what, path=p))
        if info.st_size > limit and not caller_judges_size:
            raise InputError(_("{what} {path} is te groot ({size} MB; het maximum is {max} MB).",
                               what=what, path=p, size=_mb(info.st_size), max=_mb(limit)))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(_("{what} {path} is niet leesbaar ({error}).", what=what, path=p,
                           error=exc.strerror or type(exc).__name__)) from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit and not caller_judges_size:  # it grew while we read
        raise InputError(_("{what} {path} is te groot (het maximum is {max} MB).",
                           what=what, path=p, max=_mb(limit)))
    return data


def read_stream(stream: BinaryIO, *, limit: int, what: str, caller_judges_size: bool = False) -> bytes:
    """At most ``limit`` bytes from a binary stream (standard input); more is refused, or, with
    ``caller_judges_size``, at most ``limit + 1`` bytes are returned for the caller to judge.
    Read in pieces: a pipe may hand over less than asked at a time."""
    chunks, total = [], 0
    while total <= limit:
        chunk = stream.read(min(1 << 16, limit + 1 - total))
        if not chunk:
            break
        if isinstance(chunk, str):  # a text stream handed in by a caller (tests)
            chunk = chunk.encode("utf-8", errors="surrogatepass")
        chunks.append(chunk)
        total += len(chunk)
    data = b"".join(chunks)
    if len(data) > limit and not caller_judges_size:
        raise InputError(_("{what} is te groot (het maximum is {max} MB).", what=what,
                           max=_mb(limit)), field="stdin")
    return data


def decode_utf8(data: bytes, *, what: str) -> str:
    """Strict UTF-8; the message names the line and the byte of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(_("{what} is geen UTF-8-tekst (regel {line}, byte {pos}).",
                           what=what, line=line, pos=exc.start)) from None


def check_tree(value: Any, *, what: str, max_depth: int = MAX_DEPTH) -> Any:
    """Walk a parsed document without recursion: refuse it when it nests deeper than
    ``max_depth`` or holds a string that is no valid Unicode (a lone surrogate). The message
    names the place (``signals[0].description``), never the value."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        node, place, depth = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                raise InputError(_("{what}: het veld {place} bevat een ongeldig teken (een losse "
                                   "surrogaat, bijvoorbeeld \\ud800).", what=what,
                                   place=place or "(hoofdniveau)"), field=place or None) from None
            continue
        if isinstance(node, (dict, list)):
            if depth >= max_depth:
                raise InputError(_("{what} is te diep genest (meer dan {n} niveaus).",
                                   what=what, n=max_depth), field=place or None)
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in items:
                if isinstance(key, str):
                    stack.append((key, place or "(sleutel)", depth + 1))
                    sub = f"{place}.{key}" if place else key
                else:
                    sub = f"{place}[{key}]"
                stack.append((child, sub, depth + 1))
    return value


def _too_deep(what: str) -> InputError:
    return InputError(_("{what} is te diep genest (meer dan {n} niveaus).", what=what,
                        n=MAX_DEPTH))


def parse_json(text: str, *, what: str) -> Any:
    """``json.loads`` within bounds (ValueError for bad syntax is left to the caller, which
    knows how to name the place)."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise _too_deep(what) from None
    return check_tree(value, what=what)


def parse_toml(text: str, *, what: str) -> dict:
    """``tomllib.loads`` within bounds (TOMLDecodeError is left to the caller)."""
    import tomllib

    try:
        value = tomllib.loads(text)
    except RecursionError:
        raise _too_deep(what) from None
    return check_tree(value, what=what)
