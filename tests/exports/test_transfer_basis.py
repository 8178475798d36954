"""The whole-journal (toml) transfer records its basis: refused without one, on the export
record, in ``case show --json`` and the journal view, in the signed file's header for the
receiving school, and never with control or bidi characters."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.errors import InputError
from meldcode_tui.exports import export_case, import_case
from meldcode_tui.exports.importer import check_case_file
from meldcode_tui.exports.toml_format import ImportRefused

from .conftest import build_full_case, make_service
from .helpers import BASIS, BASIS_ARGS, db_content, dump, load, rehash


def run(*args, **kwargs):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def exports_of(svc, case_id):
    return [e for e in svc.journal(case_id) if e.kind == "case_exported"]


# --- the service --------------------------------------------------------------------------

def test_a_toml_export_without_a_basis_is_refused_and_nothing_is_journalled(svc, full_case):
    before = len(svc.journal(full_case))
    for given in ({}, {"basis": "same_board"}, {"basis_reason": BASIS["basis_reason"]}):
        with pytest.raises(InputError) as err:
            export_case(svc, full_case, "toml", **given)
        assert err.value.field == "basis"
        assert "--grondslag" in err.value.message and "\n" not in err.value.message
    assert len(svc.journal(full_case)) == before


@pytest.mark.parametrize("given, field", [
    ({"basis": "other_board", "basis_reason": BASIS["basis_reason"]}, "basis"),
    ({"basis": "same_board", "basis_reason": "omdat"}, "basis_reason"),
    ({"basis": "same_board", "basis_reason": "xxxxxxxxxxxxxxxxxxxxxxxx"}, "basis_reason"),
])
def test_an_unknown_ground_or_a_reason_without_words_is_refused(svc, full_case, given, field):
    before = len(svc.journal(full_case))
    with pytest.raises(InputError) as err:
        export_case(svc, full_case, "toml", **given)
    assert err.value.field == field
    assert len(svc.journal(full_case)) == before


@pytest.mark.parametrize("bad", ["\x1b[31m", "\u202e", "\x00", "\u2066"])
def test_control_and_bidi_characters_in_the_reason_are_refused(svc, full_case, bad):
    """Abuse: a reason that would recolour a terminal or reverse the text a receiving school
    reads (in the header, the journal view, ``case show``) never reaches the record."""
    before = len(svc.journal(full_case))
    reason = f"De leerling gaat {bad}naar een school van hetzelfde bestuur."
    with pytest.raises(InputError) as err:
        export_case(svc, full_case, "toml", basis="same_board", basis_reason=reason)
    assert err.value.field == "basis_reason"
    assert bad not in err.value.message
    assert len(svc.journal(full_case)) == before


def test_other_formats_are_unchanged_and_take_no_basis(svc, full_case):
    result = export_case(svc, full_case, "markdown")
    assert "basis" not in result.event.payload
    with pytest.raises(InputError) as err:
        export_case(svc, full_case, "markdown", **BASIS)
    assert err.value.field == "basis"


def test_the_basis_is_on_the_export_record_and_in_the_files_header(svc, full_case):
    result = export_case(svc, full_case, "toml", **BASIS)
    last = exports_of(svc, full_case)[-1]
    assert last.payload["basis"] == "same_board"
    assert last.payload["basis_reason"] == BASIS["basis_reason"]
    doc = load(result.data)
    assert doc["basis"] == "same_board" and doc["basis_reason"] == BASIS["basis_reason"]
    from meldcode_tui.ui.labels import event_summary

    line = event_summary("case_exported", last.payload)   # the journal view's "what" column
    assert "hetzelfde bestuur" in line and BASIS["basis_reason"] in line


# --- the round trip -------------------------------------------------------------------------

def test_round_trip_of_a_file_with_a_basis(tmp_path, svc, full_case):
    data = export_case(svc, full_case, "toml", **BASIS).data
    target = make_service(tmp_path / "doel.sqlite", actor="ontvanger")
    result = import_case(target, data)
    lines = "\n".join(result.proof.lines())
    assert "Grondslag van de overdracht: overdracht aan een school van hetzelfde bestuur" in lines
    assert BASIS["basis_reason"] in lines
    received = [e for e in target.journal(result.case_id) if e.kind == "case_exported"][-1]
    assert received.payload["basis"] == "same_board"
    target.store.close()


def test_an_older_file_without_a_basis_still_imports(tmp_path, svc, full_case):
    doc = load(export_case(svc, full_case, "toml", **BASIS).data)
    for key in ("basis", "basis_reason"):
        del doc[key]
        del doc["events"][-1]["payload"][key]
    older = dump(rehash(doc))
    target = make_service(tmp_path / "doel.sqlite", actor="ontvanger")
    result = import_case(target, older)
    assert "Geen grondslag in het bestand" in "\n".join(result.proof.lines())
    target.store.close()


def test_a_header_basis_that_is_not_the_records_is_refused(tmp_path, svc, full_case):
    """A file whose header says 'same board' while the sending school recorded something else
    (or recorded nothing) is refused: the receiving school reads the header first."""
    data = export_case(svc, full_case, "toml", **BASIS).data
    doc = load(data)
    doc["basis_reason"] = "Ouders hebben toestemming gegeven voor de hele overdracht."
    with pytest.raises(ImportRefused) as err:
        check_case_file(dump(doc))
    assert err.value.place == "basis_reason"
    doc = load(data)
    for key in ("basis", "basis_reason"):
        del doc["events"][-1]["payload"][key]
    with pytest.raises(ImportRefused) as err:
        check_case_file(dump(rehash(doc)))
    assert err.value.place == "basis"


def test_a_forged_basis_with_control_characters_is_refused_on_import(tmp_path, svc, full_case):
    doc = load(export_case(svc, full_case, "toml", **BASIS).data)
    forged = "Zelfde bestuur \x1b]52;c;ZXZpbA==\x07 echt waar."
    doc["basis_reason"] = forged
    doc["events"][-1]["payload"]["basis_reason"] = forged
    target = make_service(tmp_path / "doel.sqlite", actor="ontvanger")
    before = db_content(tmp_path / "doel.sqlite")
    with pytest.raises(InputError) as err:
        import_case(target, dump(rehash(doc)))
    assert "\x1b" not in err.value.message
    assert db_content(tmp_path / "doel.sqlite") == before
    target.store.close()


# --- the command line -------------------------------------------------------------------------

def make_db(path):
    svc = make_service(path, actor="test-coordinator")
    case_id = build_full_case(svc)
    svc.store.close()
    return case_id


def test_cli_refuses_toml_without_basis_in_one_line_naming_the_option(tmp_path):
    db = tmp_path / "school.sqlite"
    case_id = make_db(db)
    before = db_content(db)
    result = run("export", case_id, "-f", "toml", "--db", str(db))
    assert result.exit_code == 1
    assert not result.stdout
    assert "--grondslag" in result.stderr and "--toelichting" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    out = tmp_path / "t.toml"
    result = run("export", case_id, "-f", "toml", "--grondslag", "same_board", "-o", str(out), "--db", str(db))
    assert result.exit_code == 1 and not out.exists()
    assert db_content(db) == before


def test_cli_basis_is_shown_by_case_show_json_and_case_show(tmp_path):
    db = tmp_path / "school.sqlite"
    case_id = make_db(db)
    out = tmp_path / "t.toml"
    result = run("export", case_id, "-f", "toml", *BASIS_ARGS, "-o", str(out), "--db", str(db))
    assert result.exit_code == 0, result.output
    shown = json.loads(run("case", "show", case_id, "--json", "--db", str(db)).stdout)
    text = json.dumps(shown, ensure_ascii=False)
    assert '"basis": "same_board"' in text and BASIS["basis_reason"] in text
    plain = run("case", "show", case_id, "--db", str(db)).stdout
    assert BASIS["basis_reason"] in plain
    assert "grondslag" in plain.lower()


def test_ssh_export_verb_takes_the_basis():
    from meldcode_tui.cli.serve_cmds import CommandRefused, parse_remote

    verb, args = parse_remote("export MC-0001 --format toml --grondslag same_board "
                              "--toelichting 'Naar een school van hetzelfde bestuur.'")
    assert verb == "export" and args["basis"] == "same_board"
    assert args["basis_reason"] == "Naar een school van hetzelfde bestuur."
    assert parse_remote("export MC-0001 --format=markdown") == (
        "export", {"case_id": "MC-0001", "format": "markdown"})
    for bad in ("export MC-0001 --format toml --grondslag same_board --grondslag x",
                "export MC-0001 --format toml --toelichting",
                "export MC-0001 --format toml --grondslag 'a b'",
                "export MC-0001 --format toml --reden x",
                "export MC-0001 --grondslag same_board",
                "export MC-0001 --format toml --grondslag same_board --toelichting 'a \x1b[31m b'",
                "export MC-0001 --format toml --grondslag same_board --toelichting 'a \u202e b'"):
        with pytest.raises(CommandRefused):
            parse_remote(bad)
