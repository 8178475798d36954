"""Who could change a file: the one check behind ``admin keys write`` (authorized_keys), the
config load (the config and its catalogue folders) and ``meldcode admin check``.

A file is only as safe as the folders above it: whoever can write a parent folder can rename
the file away and put another in its place. So every check walks from the file up to ``/``.
"""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path


def groups_of(uid: int) -> set[int]:
    """The groups account ``uid`` is in (primary and supplementary); empty for an unknown uid."""
    try:
        pw = pwd.getpwuid(uid)
    except KeyError:
        return set()
    import grp

    gids = {pw.pw_gid}
    gids.update(g.gr_gid for g in grp.getgrall() if pw.pw_name in g.gr_mem)
    return gids


def _self_and_parents(path: Path):
    """``(p, os.stat(p))`` for ``path`` (if it exists) and each of its parent folders, nearest
    first; a folder that cannot be stat'ed is skipped."""
    path = Path(path)
    candidates = [path] if path.exists() else []
    for p in candidates + list(path.absolute().parents):
        try:
            yield p, os.stat(p)
        except OSError:
            continue


def writable_by(path: Path, uid: int) -> Path | None:
    """The first of ``path`` (if it exists) and its parent folders that account ``uid`` could
    write to, replace or rename into (owner, group or other write bit; a sticky folder counts
    only if ``uid`` owns it), or None. uid 0 can write everything: not asked here."""
    gids = groups_of(uid)
    for p, st in _self_and_parents(path):
        is_dir = stat.S_ISDIR(st.st_mode)
        if st.st_uid == uid:
            return p
        writable = bool(st.st_mode & stat.S_IWOTH) or (st.st_gid in gids and st.st_mode & stat.S_IWGRP)
        if writable and not (is_dir and st.st_mode & stat.S_ISVTX):
            return p
    return None


def writable_by_anyone(path: Path) -> Path | None:
    """The first of ``path`` and its parents that every account could write (the "other" write
    bit; a sticky folder such as /tmp does not count), or None."""
    for p, st in _self_and_parents(path):
        if st.st_mode & stat.S_IWOTH and not (stat.S_ISDIR(st.st_mode) and st.st_mode & stat.S_ISVTX):
            return p
    return None


def account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)
