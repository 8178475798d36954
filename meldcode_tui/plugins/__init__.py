"""Plugins: signal catalogues and export formats (pluggy project ``meldcode``).

The public API for plugin authors and for the rest of the app::

    from meldcode_tui.plugins import (
        hookimpl,                                   # marker for hook implementations
        Catalogue, Signal, Category, AgeGroup,      # catalogue types
        ExportFormat, ExportRequest,                # export types
        load_plugins, PluginHost, PluginStatus,     # the host
    )

Importing this package is cheap: names are loaded on first use (pluggy and rapidfuzz only
when the host is needed).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "hookimpl": "hookspecs",
    "hookspec": "hookspecs",
    "Catalogue": "catalogue",
    "Signal": "catalogue",
    "Category": "catalogue",
    "AgeGroup": "catalogue",
    "Problem": "catalogue",
    "CatalogueError": "catalogue",
    "CONCERNS": "catalogue",
    "load_catalogue_file": "catalogue",
    "check_catalogue_file": "catalogue",
    "validate_catalogue": "catalogue",
    "ExportFormat": "exporting",
    "ExportRequest": "exporting",
    "ReportFormat": "reporting",
    "load_plugins": "manager",
    "PluginHost": "manager",
    "PluginStatus": "manager",
    "SignalMatch": "manager",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover
    from .catalogue import (CONCERNS, AgeGroup, Catalogue, CatalogueError, Category, Problem, Signal,
                            check_catalogue_file, load_catalogue_file, validate_catalogue)
    from .exporting import ExportFormat, ExportRequest
    from .hookspecs import hookimpl, hookspec
    from .manager import PluginHost, PluginStatus, SignalMatch, load_plugins


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
