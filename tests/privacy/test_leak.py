"""Nothing on the side: run the app's workflows in real processes with a recognisable fictional
name, then search every file they wrote outside the intended outputs (home, config, data dir,
TMPDIR; the database too once the case is erased) and their stderr for it. Stdout may show
the name only where the user asked for the case (list, show, export to stdout)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NAME = "Zoltanka Leksvinder"
WORD = "Lekwoordzeldzaam"

SETUP = f"""
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store
import os
svc = CaseService(open_store(os.environ["MELDCODE_DB"], create=True), actor="anouk")
cid = svc.create_case("{NAME} (fictief)", "2014-05-01", "7", "", note="Zorg om {WORD}.").case_id
svc.record_signal(cid, description="{WORD}: blauwe plek bij {NAME}.", observed_on="2026-03-01",
                  observed_by="juf (fictief)", source="own")
svc.store.save_draft("anouk", cid + ":form-notitie", {{"text": "concept {WORD}"}})
svc.close_case(cid, "other", "Zorg besproken en afgerond (fictief).")
print(cid)
"""

TUI = """
import asyncio, os
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store
from meldcode_tui.ui.app import MeldcodeApp

async def main():
    svc = CaseService(open_store(os.environ["MELDCODE_DB"]), actor="anouk")
    app = MeldcodeApp(svc, actor="anouk", refresh_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_case(os.environ["CASE"])
        await pilot.pause()
        for key in ("j", "escape", "x", "escape", "escape"):
            await pilot.press(key)
            await pilot.pause()
    svc.store.close()

asyncio.run(main())
"""


def test_no_case_content_outside_the_database_and_the_asked_outputs(tmp_path):
    root = tmp_path / "root"
    home, tmp, data, out = root / "home", root / "tmp", root / "data", tmp_path / "uitvoer"
    for d in (home, tmp, data, out):
        d.mkdir(parents=True)
    db = data / "school.sqlite"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MELDCODE_", "XDG_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_STATE_HOME=str(home / ".local/state"), MELDCODE_DB=str(db),
               MELDCODE_USER="anouk", PYTHONDONTWRITEBYTECODE="1")
    runs: list[tuple[list[str], subprocess.CompletedProcess, bool]] = []

    def run(args, *, may_show=False, code=None, extra=None):
        proc = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=str(home),
                              env={**env, **(extra or {})})
        runs.append((args, proc, may_show))
        if code is not None:
            assert proc.returncode == code, (args, proc.stdout, proc.stderr)
        return proc

    py, mc = sys.executable, [sys.executable, "-m", "meldcode_tui"]
    case_id = run([py, "-c", SETUP], code=0).stdout.strip()
    run([*mc, "case", "list"], may_show=True, code=0)
    run([*mc, "case", "show", case_id], may_show=True, code=0)
    run([*mc, "case", "show", "MC-9999"], code=4)
    run([*mc, "verify"], code=0)
    run([*mc, "checkpoint"], code=0)
    run([*mc, "backup", str(out / "kopie.sqlite")], code=0)
    run([*mc, "export", case_id, "--format", "markdown", "-o", str(out / "export.md")], code=0)
    run([*mc, "export", case_id, "--format", "advies"], code=None)     # refused: names in text
    run([*mc, "case", "left", case_id, "--on", "2999-01-01"], code=1)   # refused by a rule
    run([*mc, "--config", str(home / "kapot.toml"), "verify"], code=1)  # missing config
    run([py, "-c", TUI], code=0, extra={"CASE": case_id})
    run([*mc, "retention"], code=0)
    run([*mc, "retention", "erase", case_id, "--reason",
         "Verzoek van de ouders (fictief).", "--requested-by", "ouder met gezag"], code=0)
    run([*mc, "verify"], code=0)

    needles = [NAME.encode(), WORD.encode(), WORD.lower().encode()]
    for args, proc, may_show in runs:
        for stream, text in (("stderr", proc.stderr), ("stdout", proc.stdout)):
            if stream == "stdout" and may_show:
                continue
            assert NAME not in text and WORD not in text, (args, stream, text)
    # Every file written under home, TMPDIR and the data folder - the database included,
    # now that the case is erased. The backup and export were asked for (and are outside).
    written = [p for p in root.rglob("*") if p.is_file()]
    assert db in written
    for path in written:
        raw = path.read_bytes()
        assert not any(n in raw or n in raw.lower() for n in needles), path
    assert NAME.encode() in (out / "export.md").read_bytes()   # the search itself works
