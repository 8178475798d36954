"""Built-in plugin: signal catalogues from TOML files.

Reads the catalogues shipped with the app (``meldcode_tui/catalogues``, a link to the repo's
top-level ``catalogues/`` folder, packaged as package data) and every ``*.toml`` file in the
folders named in the config (``[catalogues] folders = [...]``), so a school can add a list
without writing Python. A broken file is reported through ``warn`` and skipped; the other
files still load.
"""

from __future__ import annotations

from pathlib import Path

from meldcode_tui.i18n import _
from meldcode_tui.plugins import hookimpl
from meldcode_tui.plugins.catalogue import CatalogueError, check_catalogue_file, load_catalogue_file


def shipped_catalogue_dir() -> Path | None:
    """The folder with the default catalogue(s), also in a non-editable install."""
    try:
        from importlib.resources import files

        res = files("meldcode_tui") / "catalogues"
        path = Path(str(res))
        if path.is_dir():
            return path
    except (ImportError, TypeError, ValueError, OSError):
        pass
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "catalogues", here.parents[3] / "catalogues"):
        if candidate.is_dir():
            return candidate
    return None


def catalogue_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


@hookimpl
def meldcode_catalogues(config, warn):
    result = []
    folders: list[Path] = []
    shipped = shipped_catalogue_dir()
    if shipped is None:
        warn(_("de meegeleverde catalogusmap ontbreekt in de installatie"))
    else:
        folders.append(shipped)
    folders += [Path(f) for f in getattr(config, "catalogue_folders", ())]
    for folder in folders:
        if not folder.is_dir():
            warn(_("catalogusmap {path} bestaat niet of is geen map", path=folder))
            continue
        for path in catalogue_files(folder):
            try:
                result.append(load_catalogue_file(path))
            except CatalogueError as exc:
                problems = exc.problems or check_catalogue_file(path)
                first = problems[0] if problems else ""
                warn(_("catalogus {path} overgeslagen: {n} probleem/problemen, eerste: {first} "
                       "(controleer met 'meldcode catalogue check')",
                       path=path, n=len(problems), first=str(first)))
    return result
