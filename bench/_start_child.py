"""Child process of bench_side_by_side.py: start an app headless (120x40) and print
``painted`` on stdout at the first paint of its main view, then quit. Not for use alone."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def painted() -> None:
    sys.stdout.write("painted\n")
    sys.stdout.flush()


def floor() -> None:
    from floor_app import FloorApp

    # Patched, not subclassed: Textual calls on_mount of every class in the MRO, so a
    # subclass calling super() would fill the table twice.
    original = FloorApp.on_mount

    def on_mount(self) -> None:
        original(self)
        self.call_after_refresh(lambda: (painted(), self.exit()))

    FloorApp.on_mount = on_mount
    FloorApp().run(headless=True, size=(120, 40))


def meldcode(db: str) -> None:
    # What `meldcode` does on start (ui.run_app), as a user with [access] all_cases.
    from meldcode_tui.config import Config
    from meldcode_tui.plugins import load_plugins
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store
    from meldcode_tui.ui.app import MeldcodeApp
    from meldcode_tui.ui.dashboard import DashboardScreen

    original = DashboardScreen.on_mount

    def on_mount(self) -> None:
        original(self)
        self.call_after_refresh(lambda: (painted(), self.app.exit()))

    DashboardScreen.on_mount = on_mount
    svc = CaseService(open_store(db), actor="bench-beheer", plugins=load_plugins(Config()),
                      all_access=True)
    try:
        MeldcodeApp(svc, plugin_host=svc.plugins).run(headless=True, size=(120, 40))
    finally:
        svc.store.close()


if __name__ == "__main__":
    floor() if sys.argv[1] == "floor" else meldcode(sys.argv[2])
