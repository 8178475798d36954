"""The catalogue checker reports every problem with its place; the loader refuses broken files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from meldcode_tui.plugins.catalogue import (
    AgeGroup, Catalogue, CatalogueError, Category, Problem, Signal,
    check_catalogue_file, load_catalogue_file, validate_catalogue,
)

GOOD = """\
[catalogue]
id = "test-cat"
title = "Testcatalogus (fictief)"
version = "1"

[[age_groups]]
id = "0-4"
label = "0 tot 4 jaar"
min_age = 0
max_age = 4

[[age_groups]]
id = "4-12"
label = "4 tot 12 jaar"
min_age = 4
max_age = 12

[[categories]]
id = "lm"
title = "Lichamelijke mishandeling"

[[signals]]
id = "t-001"
text = "Blauwe plekken op de bovenarmen"
concerns = "child"
forms = ["lm"]
age_groups = ["4-12"]

[[signals]]
id = "t-002"
text = "Ouder zoekt geen hulp bij letsel"
concerns = "parent"
forms = ["lm"]
"""


def write(tmp_path: Path, text: str, name: str = "cat.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def places(problems: list[Problem]) -> dict[str, str]:
    return {p.place: p.message for p in problems}


def test_good_file_is_clean_and_loads(tmp_path):
    path = write(tmp_path, GOOD)
    assert check_catalogue_file(path) == []
    cat = load_catalogue_file(path)
    assert cat.id == "test-cat" and len(cat.signals) == 2
    assert cat.signal("t-001").age_groups == ("4-12",)
    assert cat.signal("t-002").applies_to("0-4")  # no age groups: every age
    assert not cat.signal("t-001").applies_to("0-4")
    assert cat.age_group_for(3.5).id == "0-4" and cat.age_group_for(12) is None
    assert cat.signal_ref("t-001") == {"catalogue_id": "test-cat", "catalogue_version": "1",
                                       "signal_id": "t-001", "text": "Blauwe plekken op de bovenarmen",
                                       "conversation_danger": False}


def test_syntax_error_reports_line_and_column(tmp_path):
    path = write(tmp_path, GOOD.replace('title = "Lichamelijke mishandeling"', 'title = "Lichamelijke mishandeling'))
    problems = check_catalogue_file(path)
    assert len(problems) == 1
    line = GOOD.splitlines().index('title = "Lichamelijke mishandeling"') + 1
    assert problems[0].place.startswith(f"{line}:")
    assert "TOML-syntaxfout" in problems[0].message
    with pytest.raises(CatalogueError) as err:
        load_catalogue_file(path)
    assert err.value.problems == problems


def test_every_problem_is_reported_with_its_key_path(tmp_path):
    text = GOOD + """
[[categories]]
id = "lm"
title = "Dubbel"

[[signals]]
id = "t-001"
text = "Dubbel id"

[[signals]]
id = "t-003"
concerns = "kind"
forms = ["onbekend"]
age_groups = ["0-4", "12-18"]

[[signals]]
id = "t-004"
text = 42
forms = "lm"
age_groups = [4]

[[age_groups]]
id = "0-4"
label = "nogmaals"
min_age = "nul"
max_age = 4
"""
    got = places(check_catalogue_file(write(tmp_path, text)))
    assert "dubbele categorie-id 'lm'" in got["categories[1].id"]
    assert "dubbele signaal-id 't-001'" in got["signals[2].id"]
    assert got["signals[3].text"] == "ontbreekt"
    assert "onbekende waarde 'kind'" in got["signals[3].concerns"]
    assert "onbekende categorie 'onbekend'" in got["signals[3].forms[0]"]
    assert "onbekende leeftijdsgroep '12-18'" in got["signals[3].age_groups[1]"]
    assert "signals[3].age_groups[0]" not in got
    assert "moet een tekst zijn, niet getal" in got["signals[4].text"]
    assert "moet een lijst met id's zijn" in got["signals[4].forms"]
    assert "moet een tekst (id) zijn" in got["signals[4].age_groups[0]"]
    assert "dubbele leeftijdsgroep-id '0-4'" in got["age_groups[2].id"]
    assert "moet een getal zijn" in got["age_groups[2].min_age"]
    with pytest.raises(CatalogueError) as err:
        load_catalogue_file(write(tmp_path, text))
    assert len(err.value.problems) == len(got)


def test_missing_header_and_empty_catalogue(tmp_path):
    got = places(check_catalogue_file(write(tmp_path, "[[age_groups]]\nid = 'x'\nlabel = 'x'\nmin_age = 0\nmax_age = 1\n")))
    assert "[catalogue]" in got["catalogue"]
    assert "geen signalen" in got["signals"]


def test_missing_text_and_wrong_types_in_header(tmp_path):
    text = GOOD.replace('title = "Testcatalogus (fictief)"', "title = true").replace('id = "test-cat"', 'id = ""')
    got = places(check_catalogue_file(write(tmp_path, text)))
    assert got["catalogue.id"] == "is leeg"
    assert "ja/nee-waarde" in got["catalogue.title"]


def test_unknown_keys_are_reported(tmp_path):
    got = places(check_catalogue_file(write(tmp_path, GOOD.replace('concerns = "parent"', 'concern = "parent"'))))
    assert "onbekende sleutel" in got["signals[1].concern"]


def test_unreadable_file(tmp_path):
    problems = check_catalogue_file(tmp_path / "bestaat-niet.toml")
    assert len(problems) == 1 and "bestaat niet" in problems[0].message


def test_validate_catalogue_objects_from_code():
    ok = Catalogue("c", "C", "1", signals=[Signal("s", "Tekst", "child", ["f"], ["a"])],
                   categories=[Category("f", "F")], age_groups=[AgeGroup("a", "A", 0, 4)])
    assert validate_catalogue(ok) == []
    bad = Catalogue("c", "C", "1", signals=[Signal("s", "", "iemand", ["x"], ["y"]), "geen signaal"])
    got = places(validate_catalogue(bad))
    assert set(got) == {"signals[0].text", "signals[0].concerns", "signals[0].forms[0]",
                        "signals[0].age_groups[0]", "signals[1]"}
    assert validate_catalogue("geen catalogus")[0].message.startswith("geen Catalogue-object")
    assert "geen signalen" in places(validate_catalogue(Catalogue("c", "C", "1")))["signals"]
