"""The overstapdossier round trip between two databases, through the real CLI and the real
``ssh-keygen``: only the selected records arrive, the signature verifies, the receipt is
recorded (the sender's open point stays until then), and a record not selected is absent from
the file's bytes."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store
from tests.exports.conftest import NEIGHBOUR, build_full_case, make_service

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


@pytest.fixture
def schools(tmp_path, monkeypatch):
    monkeypatch.setenv("MELDCODE_USER", "coordinator")
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    key = keys / "school-a"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "school-a", "-f", str(key)], check=True)
    allowed = keys / "allowed_signers"
    allowed.write_text(f'school-a@fictief.example namespaces="meldcode-transfer" {(keys / "school-a.pub").read_text()}')
    a_cfg = tmp_path / "a.toml"
    a_cfg.write_text(f'[school]\nname = "OBS De Fictieve Linde"\n[transfer]\nsigning_key = "{key}"\n')
    b_cfg = tmp_path / "b.toml"
    b_cfg.write_text(f'[transfer]\nallowed_signers = "{allowed}"\nrequire_signature = true\n')
    a_db, b_db = tmp_path / "a" / "a.sqlite", tmp_path / "b" / "b.sqlite"
    svc = make_service(a_db)
    case_id = build_full_case(svc)
    svc.agree_follow_up(case_id, "Wekelijks gesprek met de mentor (fictief).", "2026-04-01", "Mentor (fictief)")
    svc.store.close()
    return {"a_db": a_db, "b_db": b_db, "a_cfg": a_cfg, "b_cfg": b_cfg, "case_id": case_id, "tmp": tmp_path}


def _points(db, case_id):
    svc = CaseService(open_store(db), actor="coordinator")
    try:
        return [p.code for p in svc.open_points(case_id)]
    finally:
        svc.store.close()


def test_round_trip_only_selected_signed_receipt(schools):
    s = schools
    proposal = run("--db", s["a_db"], "transfer", "proposal", s["case_id"])
    assert proposal.exit_code == 0, proposal.output
    proposed = [int(line.split("\t")[0]) for line in proposal.stdout.splitlines()]
    store = open_store(s["a_db"])
    events = {e.seq: e for e in store.events(s["case_id"])}
    store.close()
    kinds = {seq: events[seq].kind for seq in proposed}
    assert set(kinds.values()) >= {"case_opened", "decision_recorded", "report_made", "follow_up_agreed"}
    # the neighbour's signal (a source outside school) is proposed as an open concern: leave it out
    neighbour = next(seq for seq, e in events.items() if e.kind == "signal_recorded"
                     and (e.payload or {}).get("source_name") == NEIGHBOUR)
    out = s["tmp"] / "out" / "overstap.toml"
    out.parent.mkdir()
    r = run("--config", s["a_cfg"], "--db", s["a_db"], "transfer", "overstap", s["case_id"], "--proposed",
            "--drop", neighbour, "--select", f"{proposed[0]}=Identificatie van de leerling bij de overstap.",
            "--informed-on", "2026-03-13", "--informed-how", "Gesprek met moeder (fictief).",
            "--to", "CBS De Nieuwe School (fictief)", "-o", out)
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    assert (out.stat().st_mode & 0o777) == 0o600
    assert b"-----BEGIN SSH SIGNATURE-----" in data
    # a record not selected is absent from the file's bytes
    assert NEIGHBOUR.encode() not in data and b"geschreeuw" not in data
    assert b"Structurele onveiligheid" in data and b"Wekelijks gesprek met de mentor" in data
    assert "overstap_receipt" in _points(s["a_db"], s["case_id"])

    r = run("--config", s["b_cfg"], "--db", s["b_db"], "transfer", "import", out)
    assert r.exit_code == 0, r.output
    assert "school-a@fictief.example" in r.stdout
    code = re.search(r"Ontvangstcode voor de verzendende school: (\S+)", r.stdout).group(1)
    new_case = re.search(r"Ingelezen als casus (MC-\d+)", r.stdout).group(1)
    store = open_store(s["b_db"])
    received = [e for e in store.events(new_case)]
    store.close()
    assert [e.kind for e in received] == ["case_opened", "overstap_received"]
    got = received[1].payload
    assert sorted(r["kind"] for r in got["records"]) == sorted(
        kinds[seq] for seq in proposed if seq != neighbour)
    assert all(len(r["basis"]) >= 5 for r in got["records"])
    assert got["parents_informed_on"] == "2026-03-13"
    # the same file twice: refused
    again = run("--config", s["b_cfg"], "--db", s["b_db"], "transfer", "import", out)
    assert again.exit_code != 0 and "al ingelezen" in again.output

    wrong = run("--db", s["a_db"], "transfer", "receipt", s["case_id"], "AAAA-BBBB-CCCC")
    assert wrong.exit_code != 0 and "hoort niet bij" in wrong.output
    assert "overstap_receipt" in _points(s["a_db"], s["case_id"])
    ok = run("--db", s["a_db"], "transfer", "receipt", s["case_id"], code)
    assert ok.exit_code == 0, ok.output
    assert "overstap_receipt" not in _points(s["a_db"], s["case_id"])


def test_a_changed_byte_or_an_unsigned_file_is_refused(schools):
    s = schools
    out = s["tmp"] / "o.toml"
    r = run("--config", s["a_cfg"], "--db", s["a_db"], "transfer", "overstap", s["case_id"], "--proposed",
            "--exception", "Informeren brengt het kind in gevaar (fictief voorbeeld).", "-o", out)
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    forged = s["tmp"] / "forged.toml"
    forged.write_bytes(data.replace(b"Structurele onveiligheid", b"Structurele veiligheid!!"))
    r = run("--config", s["b_cfg"], "--db", s["b_db"], "transfer", "import", forged)
    assert r.exit_code != 0 and "handtekening klopt niet" in r.output
    unsigned = s["tmp"] / "unsigned.toml"
    from meldcode_tui.exports.signing import split_signed

    body, signature = split_signed(data)
    assert signature is not None
    unsigned.write_bytes(body)
    r = run("--config", s["b_cfg"], "--db", s["b_db"], "transfer", "import", unsigned)
    assert r.exit_code != 0 and "niet ondertekend" in r.output
    store = open_store(s["b_db"])
    assert store.is_empty()                          # nothing of either file was taken in
    store.close()


def test_parents_informed_or_an_exception_is_required(schools):
    s = schools
    r = run("--db", s["a_db"], "transfer", "overstap", s["case_id"], "--proposed", "-o", s["tmp"] / "x.toml")
    assert r.exit_code != 0 and "ouders" in r.output
    assert not (s["tmp"] / "x.toml").exists()
