"""A twin of an existing pupil written with look-alike letters of another script is not
refused (a real name may hold them) but named: the warning gives the similar case's number."""

from __future__ import annotations

import json

from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.service import CaseService
from meldcode_tui.service_layer.look_alikes import look_alike_cases
from meldcode_tui.store import open_store
from meldcode_tui.text_safety import skeleton


def new(db, name):
    return CliRunner().invoke(main, ["--db", str(db), "case", "new", "--json", "-"],
                              input=json.dumps({"name": name, "date_of_birth": "2016-01-01"}))


def test_skeleton_maps_cyrillic_and_greek_look_alikes_to_latin():
    assert skeleton("S\u0430nne de Vries") == skeleton("Sanne de Vries")      # Cyrillic a
    assert skeleton("N\u03bf\u0430h") == skeleton("Noah")                      # Greek o, Cyrillic a
    assert skeleton("Zo\u00eb") != skeleton("Zoe")                             # a real accent stays


def test_a_look_alike_twin_is_accepted_with_a_warning_naming_the_case(db_path):
    first = new(db_path, "Sanne de Vries (fictief)")
    assert first.exit_code == 0 and "Let op" not in first.stderr
    twin = new(db_path, "S\u0430nne de Vries (fictief)")
    assert twin.exit_code == 0
    assert first.stdout.strip() in twin.stderr and "andere letters" in twin.stderr
    other = new(db_path, "Daan Visser (fictief)")
    assert "Let op" not in other.stderr


def test_no_warning_names_a_case_the_user_may_not_see(db_path):
    store = open_store(db_path, create=True)
    owner = CaseService(store, actor="anouk")
    hidden = owner.create_case("Sanne de Vries (fictief)", "2016-01-01").case_id
    other = CaseService(store, actor="bram")
    assert look_alike_cases(owner, "S\u0430nne de Vries (fictief)") == [hidden]
    assert look_alike_cases(other, "S\u0430nne de Vries (fictief)") == []
    store.close()
