"""Verifiable transfers: a forged case file is refused against the *sending* school's control
value; signed files verify with OpenSSH's ``ssh-keygen -Y``; one changed byte is refused.

The abuse these tests replay (from the issue): change a pupil's date of birth in an exported
case and recompute every hash. The chain alone cannot notice that; the sender's control value
(the hash of the export event, which sits in the sender's own journal chain) and the signature
can. Everything runs the real CLI, real SQLite files and the real ``ssh-keygen``.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.exports.importer import check_case_file
from meldcode_tui.exports.signing import TRAILER_HEAD
from meldcode_tui.exports.toml_format import ImportRefused
from tests.exports.conftest import build_full_case, make_service
from tests.exports.helpers import BASIS_ARGS, db_content, dump, load, rehash

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")

CONTROL_RE = re.compile(r"Controlewaarde voor de ontvangende school[^:]*: (\d+) ([0-9a-f]{64})")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _keypair(folder, name):
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key


@pytest.fixture
def sender(tmp_path):
    """School A: a full case, exported as a transfer file with the CLI (unsigned)."""
    db = tmp_path / "a" / "school-a.sqlite"
    svc = make_service(db, actor="test-coordinator")
    case_id = build_full_case(svc)
    svc.store.close()
    out = tmp_path / "a-out" / "overdracht.toml"
    out.parent.mkdir()
    result = run("export", case_id, "-f", "toml", *BASIS_ARGS, "-o", out, "--db", db)
    assert result.exit_code == 0, result.output
    seq, head = CONTROL_RE.search(result.output).groups()
    return {"db": db, "case_id": case_id, "file": out, "seq": int(seq), "head": head, "tmp": tmp_path}


def _forge_date_of_birth(data: bytes) -> bytes:
    """A careful forger: another date of birth, then every hash and the binding recomputed."""
    doc = load(data)
    assert doc["events"][0]["kind"] == "case_opened"
    doc["events"][0]["payload"]["pupil"]["date_of_birth"] = "2013-05-17"
    return dump(rehash(doc))


def test_the_control_value_is_the_export_event_in_the_senders_journal(sender):
    svc = make_service(sender["db"], actor="test-coordinator")
    try:
        last = svc.store.checkpoint()
        export_event = [e for e in svc.journal(sender["case_id"]) if e.kind == "case_exported"][-1]
    finally:
        svc.store.close()
    assert (export_event.seq, export_event.hash) == (sender["seq"], sender["head"])
    assert tuple(last) == (sender["seq"], sender["head"])  # a checkpoint right after it
    bound = export_event.payload
    case_events = [e for e in svc_events(sender) if e.seq < export_event.seq]
    assert bound["case_events"] == len(case_events) and bound["case_head"] == case_events[-1].hash


def svc_events(sender):
    svc = make_service(sender["db"], actor="test-coordinator")
    try:
        return list(svc.store.case_events(sender["case_id"]))
    finally:
        svc.store.close()


def test_forged_date_of_birth_with_recomputed_hashes_is_refused_against_the_sender(sender):
    genuine = sender["file"].read_bytes()
    forged = _forge_date_of_birth(genuine)
    assert forged != genuine

    # Without the sender's value the forgery is internally consistent -- and the app says so.
    unproven = check_case_file(forged)
    assert unproven.proof.bound and not unproven.proof.proven
    assert any("Niet bewezen" in line for line in unproven.proof.lines())

    control = f"{sender['seq']} {sender['head']}"
    with pytest.raises(ImportRefused, match="niet de controlewaarde van de verzendende school"):
        check_case_file(forged, expect_head=control)
    # The genuine file meets it (full hash alone, or "SEQ HASH" as `meldcode checkpoint` prints it).
    for value in (sender["head"], control, f"{sender['seq']}:{sender['head']}"):
        assert check_case_file(genuine, expect_head=value).proof.proven


def test_cli_import_with_expect_head_proves_or_refuses_and_leaves_the_target_untouched(sender):
    target = sender["tmp"] / "b" / "school-b.sqlite"
    forged_file = sender["tmp"] / "vervalst.toml"
    forged_file.write_bytes(_forge_date_of_birth(sender["file"].read_bytes()))
    control = f"{sender['seq']} {sender['head']}"

    assert run("import", sender["file"], "--db", target).exit_code == 0  # creates school B's db
    again_target = sender["tmp"] / "c" / "school-c.sqlite"
    assert run("import", sender["file"], "--db", again_target, "--expect-head", "abc").exit_code == 1
    before = db_content(target)
    for check in ((), ("--check",)):
        refused = run("import", *check, forged_file, "--db", target, "--expect-head", control)
        assert refused.exit_code == 1, refused.output
        assert "niet de controlewaarde" in refused.stderr and "onverwachte fout" not in refused.stderr
    assert db_content(target) == before

    checked = run("import", "--check", sender["file"], "--db", again_target, "--expect-head", control)
    assert checked.exit_code == 0, checked.output
    done = run("import", sender["file"], "--db", again_target, "--expect-head", control)
    assert done.exit_code == 0, done.output
    for output in (checked.output, done.output):
        assert "Gelijk aan de controlewaarde" in output and "Bewezen:" in output
        assert "niet ondertekend" in output
    svc = make_service(again_target, actor="test-coordinator")
    try:
        origin = svc.get_state("MC-0001").imported_from
    finally:
        svc.store.close()
    assert origin["head_confirmed"] is True and origin["source_head"] == sender["head"]


def test_careless_forgery_that_does_not_rebind_is_refused_without_any_control_value(sender):
    doc = load(sender["file"].read_bytes())
    doc["events"][0]["payload"]["pupil"]["date_of_birth"] = "2013-05-17"
    head_before = doc["events"][-1]["payload"]["case_head"]
    rehash(doc)
    doc["events"][-1]["payload"]["case_head"] = head_before  # kept the old binding ...
    rehash_without_binding = dump(doc)
    with pytest.raises(ImportRefused):  # ... so payload hash or binding no longer hold
        check_case_file(rehash_without_binding)
    dropped = load(sender["file"].read_bytes())
    dropped["events"] = dropped["events"][:-1]  # remove the export event itself
    with pytest.raises(ImportRefused, match="exportregel"):
        check_case_file(dump(rehash(dropped)))


@pytest.fixture
def signing(sender):
    """School A signs with its key; school B trusts it through an allowed-signers file."""
    keys = sender["tmp"] / "keys"
    keys.mkdir(mode=0o700)
    key = _keypair(keys, "school-a")
    allowed = keys / "allowed_signers"
    allowed.write_text(f'school-a@fictief.example namespaces="meldcode-transfer" {(keys / "school-a.pub").read_text()}')
    a_config = sender["tmp"] / "a.toml"
    a_config.write_text(f'[school]\nname = "OBS De Fictieve Linde"\n[transfer]\nsigning_key = "{key}"\n')
    b_config = sender["tmp"] / "b.toml"
    b_config.write_text(f'[transfer]\nallowed_signers = "{allowed}"\nrequire_signature = true\n')
    signed = sender["tmp"] / "a-out" / "ondertekend.toml"
    result = run("--config", a_config, "export", sender["case_id"], "-f", "toml", *BASIS_ARGS, "-o", signed, "--db", sender["db"])
    assert result.exit_code == 0, result.output
    return {**sender, "key": key, "keys": keys, "a_config": a_config, "b_config": b_config, "signed": signed}


def test_signed_file_verifies_and_names_the_signer(signing):
    data = signing["signed"].read_bytes()
    assert TRAILER_HEAD in data and b"-----BEGIN SSH SIGNATURE-----" in data
    target = signing["tmp"] / "b" / "school-b.sqlite"
    for check in (("--check",), ()):
        result = run("--config", signing["b_config"], "import", *check, signing["signed"], "--db", target)
        assert result.exit_code == 0, result.output
        assert "ondertekend door school-a@fictief.example" in result.output
        assert "Bewezen:" in result.output


@pytest.mark.parametrize("where", ["comment", "payload", "signature", "end"])
def test_one_changed_byte_in_a_signed_file_is_refused(signing, where):
    data = bytearray(signing["signed"].read_bytes())
    at = {"comment": data.index(b"Vertrouwelijk"),      # outside the hash chain: only the signature sees it
          "payload": data.index(b"Blauwe plekken"),
          "signature": data.index(b"-----BEGIN SSH SIGNATURE-----\n") + 40,
          "end": len(data) - 2}[where]
    data[at] = data[at] ^ 0x01 if data[at] not in (0x0A,) else 0x41
    changed = signing["tmp"] / "gewijzigd.toml"
    changed.write_bytes(bytes(data))
    target = signing["tmp"] / "b" / "school-b.sqlite"
    for check in (("--check",), ()):
        result = run("--config", signing["b_config"], "import", *check, changed, "--db", target)
        assert result.exit_code == 1, (where, result.output)
        assert "Import geweigerd" in result.stderr and "onverwachte fout" not in result.stderr
    assert not target.exists() or "MC-0001" not in db_content(target)


def test_the_signature_covers_the_transfer_basis(signing):
    """A forger who rewrites the basis the receiving school reads (header and export record
    alike, every hash recomputed) and keeps the sender's signature is refused by it."""
    data = signing["signed"].read_bytes()
    body, trailer = data.split(TRAILER_HEAD)
    doc = load(body)
    assert doc["basis"] == "same_board"
    doc["basis"] = doc["events"][-1]["payload"]["basis"] = "legal_obligation"
    forged = signing["tmp"] / "andere-grondslag.toml"
    forged.write_bytes(dump(rehash(doc)) + TRAILER_HEAD + trailer)
    target = signing["tmp"] / "b" / "school-b.sqlite"
    result = run("--config", signing["b_config"], "import", forged, "--db", target)
    assert result.exit_code == 1, result.output
    assert "Import geweigerd" in result.stderr and "handtekening" in result.stderr.lower()
    assert not target.exists() or "MC-0001" not in db_content(target)


def test_stripped_or_foreign_signature_is_refused_by_a_school_that_requires_one(signing):
    data = signing["signed"].read_bytes()
    stripped = signing["tmp"] / "zonder.toml"
    stripped.write_bytes(data[: data.index(TRAILER_HEAD)])
    target = signing["tmp"] / "b" / "school-b.sqlite"
    result = run("--config", signing["b_config"], "import", stripped, "--db", target)
    assert result.exit_code == 1 and "niet ondertekend" in result.stderr

    # A forger signs the recomputed file with a key of their own: not in the allowed signers.
    from meldcode_tui.exports.signing import sign

    other = _keypair(signing["keys"], "iemand-anders")
    forged = sign(_forge_date_of_birth(stripped.read_bytes()), other)
    forged_file = signing["tmp"] / "vervalst-ondertekend.toml"
    forged_file.write_bytes(forged)
    result = run("--config", signing["b_config"], "import", forged_file, "--db", target)
    assert result.exit_code == 1 and "niet in allowed_signers staat" in result.stderr


def test_a_signature_table_anywhere_but_the_trailer_is_refused(signing):
    data = signing["signed"].read_bytes()
    body, trailer = data.split(TRAILER_HEAD)
    moved = b'[signature]\nsshsig = "x"\n' + body
    for bad in (moved, body + b"[signature]\n" + trailer, data.replace(b'sshsig = """', b'sshsig  = """')):
        with pytest.raises(Exception) as info:
            check_case_file(bad)
        assert "ondertekening" in str(info.value)


def test_signed_file_without_allowed_signers_is_still_checked_for_changes(signing):
    data = bytearray(signing["signed"].read_bytes())
    ok = check_case_file(bytes(data))  # no allowed_signers: checked for validity, signer not known
    assert ok.proof.signature.signed and not ok.proof.signature.checked
    assert "niet gecontroleerd" in ok.proof.signature.describe()
    at = data.index(b"Vertrouwelijk")
    data[at] ^= 0x01
    with pytest.raises(Exception, match="handtekening klopt niet"):
        check_case_file(bytes(data))


def test_a_broken_signing_key_journals_no_export(signing):
    signing["key"].write_text("geen sleutel\n")
    signing["key"].chmod(0o600)
    svc = make_service(signing["db"], actor="test-coordinator")
    before = svc.store.checkpoint()
    svc.store.close()
    out = signing["tmp"] / "a-out" / "mislukt.toml"
    result = run("--config", signing["a_config"], "export", signing["case_id"], "-f", "toml", *BASIS_ARGS, "-o", out,
                 "--db", signing["db"])
    assert result.exit_code == 5, result.output
    assert "Ondertekenen met" in result.stderr and not out.exists()
    svc = make_service(signing["db"], actor="test-coordinator")
    try:
        assert svc.store.checkpoint() == before  # no case_exported without the file
    finally:
        svc.store.close()
