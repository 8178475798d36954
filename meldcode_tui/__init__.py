"""Meldcode TUI: run the Meldcode huiselijk geweld en kindermishandeling from a terminal.

The package is layered (imports point down only):

    ui/          Textual screens (the only place textual is imported)
    cli/         the `meldcode` command
    service.py   one method per user intent; checks the protocol, appends events
    domain/      the Meldcode rules as plain Python
    store/       the SQLite journal (append-only, hash-chained) and read models
    plugins/     pluggy host, hookspecs, built-in plugins

Keep this module import-free so `import meldcode_tui` stays cheap.
"""

__version__ = "0.1.0"
