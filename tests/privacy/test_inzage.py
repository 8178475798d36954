"""Inzage (AVG art. 15) through the real command on a real file: the decision is recorded, the
export follows it (one source's name replaced, one kept with its reason, a withheld record left
out, colleagues replaced), it is journalled and written 0600; a refusal exports nothing; the
parents' view is a record of its own, after the inzage."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.clock import SettableClock
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

PUPIL = "Sanne Vlietstra (fictief)"
HIDDEN = "Karel Bronsma"
KEPT = "Els Noordhoek"
OBSERVER = "Mira Stamhuis"
SECRET = "Geheimwoordonthouden"


def _case(db):
    clock = SettableClock(datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    svc = CaseService(open_store(db, create=True), actor="anouk", clock=clock)
    case_id = svc.create_case(PUPIL, "2014-05-01", "7", "").case_id
    svc.record_signal(case_id, description=f"Buurman {HIDDEN} (fictief) hoorde geschreeuw.",
                      observed_on="2026-03-01", observed_by=f"{OBSERVER} (fictief)",
                      source="other", source_name=f"{HIDDEN} (fictief)")
    svc.record_signal(case_id, description="Vertelt over de avond thuis.", observed_on="2026-03-01",
                      observed_by="IB", source="other", source_name=f"{KEPT} (fictief)")
    state = svc.record_signal(case_id, description=f"{SECRET}: gevaar als de vader dit leest.",
                              observed_on="2026-03-01", observed_by="IB", source="own")
    withheld_seq = state.last_seq
    svc.store.close()
    return case_id, withheld_seq


def test_inzage_export_follows_the_decision(db_path, tmp_path):
    case_id, withheld_seq = _case(db_path)
    run = lambda *a: CliRunner().invoke(main, ["--db", str(db_path), "--user", "anouk", *a])  # noqa: E731
    out = tmp_path / "inzage.md"

    early = run("inzage", "zienswijze", case_id, "--on", "2026-03-02", "--by", "ouders",
                "--text", "Wij zien het anders.")
    assert early.exit_code == 1 and "inzage" in early.output
    none_yet = run("inzage", "export", case_id, "-o", str(out))
    assert none_yet.exit_code == 1 and "geen besluit" in none_yet.output and not out.exists()

    res = run("inzage", "decide", case_id, "--requester", "parent_with_authority",
              "--requester-name", "Moeder Vlietstra (fictief)", "--legal-basis", "AVG art. 15",
              "--approved-by", "anouk", "--on", "2026-03-02", "--outcome", "partly_granted",
              "--withhold", f"#{withheld_seq} signaal over de vader::Verstrekken brengt het kind in gevaar.",
              "--keep", f"{KEPT} (fictief)::Zij heeft zelf ingestemd met noemen.",
              "--reason", "Inzage toegekend, één signaal uitgezonderd (fictief).")
    assert res.exit_code == 0, res.output
    res = run("inzage", "export", case_id, "-o", str(out))
    assert res.exit_code == 0, res.output
    assert (os.stat(out).st_mode & 0o777) == 0o600
    text = out.read_text(encoding="utf-8")
    assert PUPIL in text and "AVG art. 15" in text
    assert HIDDEN not in text and "[bron 1]" in text            # replaced, also inside the text
    assert KEPT in text and "ingestemd met noemen" in text      # kept, with its reason
    assert OBSERVER not in text and "anouk" not in text and "[collega" in text
    assert SECRET not in text and "Verstrekken brengt het kind in gevaar" in text
    assert f"#{withheld_seq} signaal over de vader" in text

    svc = CaseService(open_store(db_path), actor="anouk")
    kinds = [e.kind for e in svc.journal(case_id)]
    assert kinds.count("case_exported") == 1 and "inzage_decided" in kinds
    svc.store.close()
    res = run("inzage", "zienswijze", case_id, "--on", "2026-03-02", "--by", "beide ouders",
              "--text", "Wij herkennen het beeld van de avond niet (fictief).")
    assert res.exit_code == 0, res.output
    again = tmp_path / "inzage2.md"
    assert run("inzage", "export", case_id, "-o", str(again)).exit_code == 0
    assert "Wij herkennen het beeld" in again.read_text(encoding="utf-8")

    refused = run("inzage", "decide", case_id, "--requester", "pupil_16_plus", "--requester-name",
                  "Sanne (fictief)", "--legal-basis", "AVG art. 15", "--approved-by", "anouk",
                  "--on", "2026-03-02", "--outcome", "refused", "--reason",
                  "Leerling is nog geen 16 jaar (fictief).")
    assert refused.exit_code == 0
    third = tmp_path / "inzage3.md"
    res = run("inzage", "export", case_id, "-o", str(third))
    assert res.exit_code == 1 and "weigert" in res.output and not third.exists()
