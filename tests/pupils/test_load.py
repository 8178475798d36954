"""Loading the student administration's export into the pupil register: the three systems'
formats (sample exports written from their documentation, fictional pupils), the report (counts;
each unreadable line by number and field, never its content), a second load (one gone, one
changed), and the register kept out of the journal but inside the (encrypted) database file."""

from __future__ import annotations

import pytest

from meldcode_tui.errors import AccessDenied, InputError
from meldcode_tui.service_layer import pupils as sp

from .conftest import make_service, sample


def load(svc, name, system):
    return sp.load_register(svc, sample(name), sp.mappings()[system])


def test_parnassys_windows_1252_with_semicolons(svc):
    report = load(svc, "parnassys_cp1252.csv", "parnassys")
    assert (report.total, report.new, report.changed, report.gone) == (4, 4, 0, 0)
    assert report.encoding == "cp1252" and report.delimiter == ";"
    assert report.problems == []
    row = svc.store.pupil("1003")
    # Windows-1252 letters read right; only the fields the app uses are kept
    assert row["name"] == "Zoë Çelik (fictief)"
    assert row["date_of_birth"] == "2017-11-23" and row["group"] == "Groep 4"
    assert row["gender"] == "female" and row["address"] == "Molenweg 7, 1234 EF Dorpstad"
    assert row["parents"][0] == {"name": "Aïsha Çelik (fictief)", "relation": "moeder",
                                 "gezag": "yes", "phone": "06-44444444", "email": ""}
    assert row["parents"][1]["gezag"] == "no"
    assert set(row) == {"pupil_number", "name", "date_of_birth", "group", "gender", "address",
                        "left_on", "parents"}


def test_magister_unknown_column_is_ignored_and_not_stored(svc, db_path):
    report = load(svc, "magister_unknown_column.csv", "magister")
    assert report.total == 2 and report.problems == []
    assert report.ignored_columns == [12]           # "Mentor": named by position only
    assert any("12" in line and "niet gebruikt" in line for line in report.lines())
    # leading zeros of the stamnummer do not matter
    assert svc.store.pupil("4711")["name"] == "Lotte Visser (fictief)"
    svc.store.close()
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert b"Stadskanaal" in raw                     # kept (a plain database: readable bytes)
    assert b"Mentor (fictief)" not in raw             # the unknown column: never stored


def test_somtoday_broken_lines_reported_by_number_and_field_never_content(svc):
    report = load(svc, "somtoday_broken_line.csv", "somtoday")
    assert report.delimiter == "," and report.total == 2
    assert [(p.line, p.field, p.reason) for p in report.problems] == [
        (3, "", "columns"), (4, "date_of_birth", "date"), (5, "last_name", "characters")]
    text = "\n".join(report.lines())
    assert "regel 3" in text and "regel 4, veld geboortedatum" in text
    for secret in ("Mulder", "Dekker", "31-02-2012", "Bos", "\x1b", "Finn", "Julia", "Levi"):
        assert secret not in text


def test_second_load_one_gone_one_changed(svc):
    load(svc, "parnassys_cp1252.csv", "parnassys")
    report = load(svc, "parnassys_cp1252_second.csv", "parnassys")
    assert (report.total, report.new, report.changed, report.gone, report.unchanged) == (3, 0, 1, 1, 2)
    assert svc.store.pupil("1004") is None               # replaced whole: no history
    assert svc.store.pupil("1002")["group"] == "Groep 7"


def test_unreadable_line_keeps_the_old_row_and_proposes_no_leaving(svc):
    load(svc, "parnassys_cp1252.csv", "parnassys")
    broken = sample("parnassys_cp1252_second.csv").replace(b"01-09-2015", b"31-13-2015")
    report = sp.load_register(svc, broken, sp.mappings()["parnassys"])
    assert report.kept == 1 and svc.store.pupil("1002")["group"] == "Groep 6"


def test_the_register_is_not_in_the_journal(svc):
    before = svc.store.checkpoint()
    load(svc, "parnassys_cp1252.csv", "parnassys")
    assert svc.store.checkpoint() == before
    assert svc.store.pupil_register_load()["source"] == "ParnasSys"


@pytest.mark.parametrize("data,word", [
    (b"", "kopregel"),
    (b"\x00\x01\x02binary", "CSV"),
    ("Naam;Klas\nX;1\n".encode(), "kolommen"),
    ("Leerlingnummer;Achternaam;Geboortedatum\n;;\n".encode(), "geen enkele"),
])
def test_a_file_that_is_not_an_export_changes_nothing(svc, data, word):
    load(svc, "parnassys_cp1252.csv", "parnassys")
    with pytest.raises(InputError) as info:
        sp.load_register(svc, data, sp.mappings()["parnassys"])
    assert word in str(info.value)
    assert len(svc.store.pupils()) == 4


def test_size_limit(svc):
    with pytest.raises(InputError, match="groter"):
        sp.load_register(svc, sample("parnassys_cp1252.csv"), sp.mappings()["parnassys"], max_bytes=100)


@pytest.mark.parametrize("role", ["teacher", "member", "auditor"])
def test_only_the_coordinator_loads_or_reads_the_register(db_path, role):
    from meldcode_tui.store import open_store

    make_service(db_path).store.close()
    store = open_store(db_path)
    with store.write(guarded=False) as tx:
        tx.put_user({"name": "piet", "display_name": "Piet (fictief)", "role": role,
                     "status": "enabled", "created_at": "2026-01-01T00:00:00Z"})
    store.close()
    svc = make_service(db_path, role=role, actor="piet")
    with pytest.raises(AccessDenied):
        load(svc, "parnassys_cp1252.csv", "parnassys")
    with pytest.raises(AccessDenied):
        sp.find_pupils(svc, "Sanne")
    assert sp.register_info(svc) is None


def test_a_schools_own_mapping_from_the_config(tmp_path, svc):
    from meldcode_tui.config import load_config

    cfg = tmp_path / "c.toml"
    cfg.write_text('[pupils_mapping]\nsystem = "eigen"\nlabel = "Eigen systeem"\nencoding = "utf-8"\n'
                   'delimiter = "tab"\ndate_format = "%Y%m%d"\npupil_number = "nr"\nnaam_kolom = "x"\n',
                   encoding="utf-8")
    with pytest.raises(InputError, match="naam_kolom"):
        sp.mappings(load_config(cfg))
    cfg.write_text('[pupils_mapping]\nsystem = "eigen"\nlabel = "Eigen systeem"\nencoding = "utf-8"\n'
                   'delimiter = "tab"\ndate_format = "%Y%m%d"\npupil_number = "nr"\n'
                   'last_name = "achternaam"\ndate_of_birth = "geboren"\n',
                   encoding="utf-8")
    m = sp.pick_mapping(load_config(cfg), "eigen")
    report = sp.load_register(svc, "nr\tachternaam\tgeboren\n7\tPiet Puk (fictief)\t20150102\n".encode(), m)
    assert report.total == 1 and svc.store.pupil("7")["date_of_birth"] == "2015-01-02"


def test_encrypted_database_holds_the_register_encrypted(tmp_path):
    pytest.importorskip("sqlcipher3", reason="extra 'encrypted' (sqlcipher3) not installed")
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    db = tmp_path / "enc.sqlite"
    svc = CaseService(open_store(db, create=True, key="fictieve-sleutel"), actor="anouk")
    load(svc, "parnassys_cp1252.csv", "parnassys")
    svc.store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("enc.sqlite*"))
    assert b"Dorpstad" not in raw and b"Lindelaan" not in raw


@pytest.mark.parametrize("data,expect", [
    # a value over the limit: the line is named, not read
    (("Leerlingnummer;Achternaam;Roepnaam;Geboortedatum\n1;" + "x" * 300 + ";A;01-01-2015\n"
      "2;Puk (fictief);Piet;01-01-2015\n").encode(), [(2, "last_name", "too_long")]),
    # a quoted value with a line break inside is one line of the file's records, read as one
    ('Leerlingnummer;Achternaam;Roepnaam;Geboortedatum\n1;"Puk\n(fictief)";Piet;01-01-2015\n'.encode(), []),
    # a duplicate number: the second is named
    (b"Leerlingnummer;Achternaam;Roepnaam;Geboortedatum\n1;A (fictief);B;01-01-2015\n001;C (fictief);D;01-01-2015\n",
     [(3, "pupil_number", "duplicate")]),
    # right-to-left override in a name
    ("Leerlingnummer;Achternaam;Roepnaam;Geboortedatum\n1;A\u202e (fictief);B;01-01-2015\n2;C (fictief);D;01-01-2015\n".encode(),
     [(2, "last_name", "characters")]),
])
def test_hostile_lines(svc, data, expect):
    report = sp.load_register(svc, data, sp.mappings()["parnassys"])
    assert [(p.line, p.field, p.reason) for p in report.problems] == expect
    for row in svc.store.pupils():
        assert "\u202e" not in row["name"] and len(row["name"]) <= 200


def test_too_many_columns_is_not_an_export(svc):
    header = ";".join(["Leerlingnummer", "Achternaam", "Geboortedatum"] + [f"k{i}" for i in range(300)])
    with pytest.raises(InputError, match="meer dan 200 kolommen"):
        sp.load_register(svc, (header + "\n").encode(), sp.mappings()["parnassys"])
