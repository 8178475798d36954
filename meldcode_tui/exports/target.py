"""Where an export may be written: the one path policy for the TUI dialog and ``export -o``.

A coordinator is trusted with cases, not with the machine, so an export is *data* and must
never become configuration or code. :func:`check_target` refuses, before anything is journalled:

- an existing file (never overwrite; :func:`free_name` suggests one that is free);
- the database and its ``-wal`` / ``-shm`` / ``-journal`` files, and the config file;
- a symlink as the last component; symlinked folders are resolved first, so the checks see
  the real place;
- anything inside a dot-folder of a home directory (``~/.ssh/authorized_keys``,
  ``~/.config/…``, ``~/.local/…``) and dot-files in a home directory (``~/.bash_profile``,
  ``~/.pam_environment``): those are read by a shell or a login;
- anything inside the running Python installation (a ``.pth`` file in ``site-packages`` is
  code that runs at the next start).

:func:`write_new` then creates the file with ``O_CREAT | O_EXCL | O_NOFOLLOW`` and mode 0600,
so even a file or symlink that appears between the check and the write is never followed or
overwritten.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import InputError
from ..i18n import _

SIDE_FILES = ("", "-wal", "-shm", "-journal")


def _homes() -> set[Path]:
    homes = set()
    for raw in (os.path.expanduser("~"), os.environ.get("HOME")):
        if raw:
            homes.add(Path(os.path.realpath(raw)))
    try:
        import pwd

        for entry in pwd.getpwall():
            if entry.pw_dir and entry.pw_dir != "/":
                homes.add(Path(os.path.realpath(entry.pw_dir)))
    except (ImportError, OSError):
        pass
    return homes


def _protected(db_path, config_path) -> set[Path]:
    out: set[Path] = set()
    if db_path:
        real = os.path.realpath(os.fspath(db_path))
        out.update(Path(real + suffix) for suffix in SIDE_FILES)
        out.update(Path(os.path.abspath(os.fspath(db_path)) + suffix) for suffix in SIDE_FILES)
    if config_path:
        out.add(Path(os.path.realpath(os.fspath(config_path))))
    return out


def _python_roots() -> set[Path]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    return {Path(os.path.realpath(r)) for r in roots if r and r != "/"}


def resolve(raw: str | os.PathLike) -> Path:
    """The path as the kernel will see it: ``~`` expanded, absolute, every symlinked folder
    resolved; the last component is kept as given (it must not be a symlink)."""
    path = Path(os.path.abspath(os.path.expanduser(os.fspath(raw))))
    return Path(os.path.realpath(path.parent)) / path.name


def check_target(raw: str | os.PathLike, *, db_path=None, config_path=None) -> Path:
    """The resolved target for an export, or :class:`InputError` (one Dutch line) saying why
    not. Never touches the file system beyond ``lstat``."""
    text = os.fspath(raw)
    if not text.strip() or "\x00" in text:
        raise InputError(_("Vul een bestandsnaam in."), field="output")
    target = resolve(text)
    if not target.name or target.name in (".", ".."):
        raise InputError(_("Vul een bestandsnaam in, geen map."), field="output")
    if not target.parent.is_dir():
        raise InputError(_("De map {path} bestaat niet.", path=target.parent), field="output",
                         hint=_("Kies een bestaande map, bijvoorbeeld uw thuismap."))
    if target in _protected(db_path, config_path):
        raise InputError(_("Naar de database of de configuratie wordt nooit geëxporteerd."),
                         field="output", hint=_("Kies een ander bestand, bijvoorbeeld in uw thuismap."))
    homes = _homes()
    for folder in (target, *target.parents):
        if folder.parent in homes and folder.name.startswith("."):
            raise InputError(_("Niet in een verborgen map of bestand van een thuismap (zoals ~/.ssh): "
                               "daar staan instellingen, geen exports."), field="output")
    if target.name.startswith("."):
        raise InputError(_("Een export krijgt geen verborgen bestandsnaam (begint met een punt)."),
                         field="output")
    for root in _python_roots():
        if target == root or root in target.parents:
            raise InputError(_("Niet in de Python-installatie van de app exporteren."), field="output")
    if os.path.lexists(target):
        if target.is_symlink():
            raise InputError(_("{path} is een symbolische koppeling; daarheen wordt niet geëxporteerd.",
                               path=target), field="output")
        raise InputError(_("Het bestand {path} bestaat al en wordt niet overschreven.", path=target),
                         field="output", hint=_("Vrij is bijvoorbeeld: {free}", free=free_name(target)))
    return target


def free_name(raw: str | os.PathLike) -> Path:
    """``raw`` itself if nothing is there, else ``name-2.ext``, ``name-3.ext``, …"""
    path = resolve(raw)
    if not os.path.lexists(path):
        return path
    stem, suffix = path.stem, path.suffix
    for n in range(2, 10_000):
        candidate = path.with_name(f"{stem}-{n}{suffix}")
        if not os.path.lexists(candidate):
            return candidate
    return path


def open_new(target: Path) -> int:
    """Create ``target`` exclusively (0600, never following a symlink): a file descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        raise InputError(_("Het bestand {path} bestaat al en wordt niet overschreven.", path=target),
                         field="output", hint=_("Vrij is bijvoorbeeld: {free}", free=free_name(target))) from None
    except OSError as exc:
        raise InputError(_("Kan {path} niet aanmaken ({error}).", path=target, error=exc.strerror),
                         field="output") from None
    os.fchmod(fd, 0o600)
    return fd


def write_new(fd: int, target: Path, data: bytes) -> None:
    """Write ``data`` to the file :func:`open_new` created; on failure remove it again."""
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        discard(target)
        raise


def discard(target: Path) -> None:
    try:
        os.unlink(target)
    except OSError:
        pass


def export_to_file(export, raw, *, db_path=None, config_path=None) -> tuple[Path, object]:
    """Check ``raw``, create the file, then run ``export()`` (which journals and renders) and
    write its ``.data``. No event without a file: a target that cannot be created fails before
    ``export`` runs; a failed export removes the empty file."""
    target = check_target(raw, db_path=db_path, config_path=config_path)
    fd = open_new(target)
    try:
        result = export()
    except BaseException:
        os.close(fd)
        discard(target)
        raise
    write_new(fd, target, result.data)
    return target, result


__all__ = ["check_target", "export_to_file", "free_name", "open_new", "resolve", "write_new"]
