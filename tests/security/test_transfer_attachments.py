"""A transfer file's attachments pass the same content checks as ``meldcode attach``.

Abuse: the sending school's program (hostile, or an old version without the checks) put in an
attachment whose bytes are not what its record says -- a "text" holding terminal escapes (ESC
and OSC sequences that ``fetch`` would hand to the coordinator's terminal), an executable
labelled PDF (``fetch -o x.pdf`` would write it), an HTML page labelled PDF. The chain and the
sha256 are intact: they prove only that nothing changed on the way. Each file is refused by
``import`` and ``import --check`` with one Dutch line, and nothing is written.
"""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.store import open_store
from tests.exports.conftest import build_full_case, make_service
from tests.exports.helpers import BASIS_ARGS

HOSTILE = {
    "escapes": ("text/plain", "Lees mij (fictief)\x1b]0;pwned\x07\x1b[2J\x1b]52;c;Y3VybA==\x07\n".encode()),
    "elf": ("application/pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56),
    "html": ("application/pdf", b"<!doctype html><html><body><script>alert(1)</script></body></html>\n"),
}


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _transfer_with(tmp_path, media_type: str, body: bytes):
    db = tmp_path / "bron.sqlite"
    svc = make_service(db, actor="test-coordinator")
    case_id = build_full_case(svc)
    payload = {"case": case_id, "title": "Brief (fictief)", "filename": "brief.pdf",
               "media_type": media_type, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    # What a sender without the content check writes: the record and its bytes, unchecked.
    svc.record(case_id, "attachment_added", payload,
               _with_event=lambda tx, event: tx.put_attachment(event, body))
    svc.store.close()
    out = tmp_path / "overdracht.toml"
    assert _run("export", case_id, "-f", "toml", *BASIS_ARGS, "-o", out, "--db", db).exit_code == 0
    return out


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_transfer_with_a_hostile_attachment_is_refused(tmp_path, name):
    media_type, body = HOSTILE[name]
    out = _transfer_with(tmp_path, media_type, body)
    target = tmp_path / "doel.sqlite"
    make_service(target, actor="ontvanger").store.close()
    before = open_store(target).checkpoint()
    for args in (("import", "--check", out), ("import", out)):
        result = _run(*args, "--db", target)
        assert result.exit_code == 1, (args, result.output)
        line = result.stderr.strip().splitlines()[0]
        assert "Import geweigerd" in line and "bijlage" in line.lower(), line
        assert "\x1b" not in result.output and "Traceback" not in result.output
    store = open_store(target)
    try:
        assert store.checkpoint() == before                       # nothing written
        assert not [e for e in store.events() if e.kind == "case_imported"]
    finally:
        store.close()


def test_a_clean_attachment_still_travels(tmp_path):
    body = "Briefje (fictief): ik wil niet naar huis.\n".encode()
    out = _transfer_with(tmp_path, "text/plain", body)
    result = _run("import", out, "--db", tmp_path / "doel.sqlite")
    assert result.exit_code == 0, result.output
