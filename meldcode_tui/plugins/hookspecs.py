"""The hooks a Meldcode plugin can implement (pluggy project name ``meldcode``).

A plugin is a module (or object) named by an entry point in the ``meldcode`` group::

    [project.entry-points.meldcode]
    my_catalogue = "my_package.plugin"

whose functions are marked with ``hookimpl``::

    from meldcode_tui.plugins import hookimpl

    @hookimpl
    def meldcode_catalogues():
        return [Catalogue(...)]

Hook implementations may accept any subset of a spec's arguments (pluggy matches by name).
Functions whose name starts with ``meldcode_`` count as hooks even without the marker, so a
misspelled hook name is reported instead of silently ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import pluggy

if TYPE_CHECKING:
    from ..config import Config
    from .catalogue import Catalogue
    from .exporting import ExportFormat
    from .reporting import ReportFormat

PROJECT_NAME = "meldcode"
ENTRY_POINT_GROUP = "meldcode"
HOOK_PREFIX = "meldcode_"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def meldcode_catalogues(config: "Config", warn: Callable[[str], None],
                        settings: dict) -> "list[Catalogue]":
    """Return the signal catalogues this plugin offers (a list of ``Catalogue`` objects).

    ``config`` is the school's configuration (e.g. ``config.catalogue_folders``); call
    ``warn(message)`` (Dutch, one line) for a problem that should be shown to the admin but
    does not stop the plugin (e.g. one broken file among several). ``settings`` is this
    plugin's own table from the config, ``[plugins.NAME]`` with NAME the plugin's entry-point
    name (an empty dict when there is none); the plugin checks it itself and raises
    ``ValueError`` with a Dutch message when it cannot work with it. Raising, or returning
    anything that is not a list of valid catalogues, disables the whole plugin.
    """


@hookspec
def meldcode_export_formats(config: "Config", warn: Callable[[str], None],
                            settings: dict) -> "list[ExportFormat]":
    """Return the export formats this plugin offers (a list of ``ExportFormat`` objects).
    Format names must be unique across plugins; the first plugin to claim a name keeps it.
    ``config``, ``warn`` and ``settings`` as for ``meldcode_catalogues``."""


@hookspec
def meldcode_report_formats(config: "Config", warn: Callable[[str], None],
                            settings: dict) -> "list[ReportFormat]":
    """Return whole-school report formats (a list of ``ReportFormat`` objects).

    A report renders the school's or the board's ANONYMOUS figures (``domain.figures.Figures``:
    protected text cells, every count under 5 shown as "<5"), never a case: a board's own CSV
    or dashboard feed is a report plugin. Names are unique across plugins; the first plugin to
    claim a name keeps it. The built-in ``csv``, ``json``, ``markdown`` and ``pdf`` are
    report formats too."""
