"""The yearly Meldcode evaluation (a journal record, figures prefilled) and the training
register, through the CLI; exported as Markdown and PDF (read back)."""

from __future__ import annotations

import io

from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.store import open_store

from .generate import YEAR, generate


def _run(db, *args):
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_training_register_and_evaluation_markdown_and_pdf(tmp_path):
    from pypdf import PdfReader

    db = tmp_path / "s.sqlite"
    store = open_store(db, create=True)
    generate(store, 60, seed=4)
    store.close()
    _run(db, "training", "add", "--name", "Karin Dekker (fictief)", "--course", "Meldcode basis",
         "--on", f"{YEAR}-10-02", "--provider", "Fictief Opleidingen")
    _run(db, "training", "add", "--name", "Mark Peters (fictief)", "--course", "Meldcode opfris",
         "--on", f"{YEAR - 1}-03-01")
    listed = _run(db, "training", "list")
    assert "Karin Dekker (fictief): Meldcode basis (Fictief Opleidingen)" in listed
    assert listed.index("Mark Peters") < listed.index("Karin Dekker")
    _run(db, "evaluation", "record", "--year", str(YEAR), "--went-well", "Signalen vroeg besproken.",
         "--to-improve", "Terugkoppeling van Veilig Thuis beter volgen.", "--hours", "4",
         "--agreements-vt", "Vaste contactpersoon.", "--agreements-wijkteam", "Maandelijks overleg.")
    md = _run(db, "evaluation", "show", "--year", str(YEAR))
    assert md.startswith(f"# Jaarevaluatie Meldcode, schooljaar {YEAR}-{YEAR + 1}")
    assert "Signalen vroeg besproken." in md and "4 uur per week." in md
    assert "Karin Dekker (fictief)" in md and "Mark Peters" not in md     # other school year
    opened = next(line for line in md.splitlines() if line.startswith("| Casussen geopend |"))
    assert opened.endswith("| 60 |")
    out = tmp_path / "evaluatie.pdf"
    _run(db, "evaluation", "show", "--year", str(YEAR), "-o", str(out))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Jaarevaluatie Meldcode" in text and "Maandelijks overleg." in text
    assert "Casussen geopend per maand" in text and "MC-" not in text
    store = open_store(db)
    kinds = [(e.case_id, e.kind) for e in store.events() if e.case_id in ("scholing", f"JE-{YEAR}")]
    store.close()
    assert kinds == [("scholing", "training_recorded"), ("scholing", "training_recorded"),
                     (f"JE-{YEAR}", "meldcode_evaluation_recorded")]


def test_a_member_may_not_record_the_evaluation(tmp_path):
    from meldcode_tui.errors import AccessDenied
    from meldcode_tui.service import CaseService
    from meldcode_tui.service_layer.evaluation import Evaluations

    store = open_store(tmp_path / "s.sqlite", create=True)
    svc = CaseService(store, actor="lid")
    svc.role = "member"
    try:
        Evaluations(svc).record_training("X (fictief)", "Meldcode", "2025-10-01")
    except AccessDenied:
        pass
    else:
        raise AssertionError("refused expected")
    assert [e.kind for e in store.events()] == ["access_refused"]
    store.close()
