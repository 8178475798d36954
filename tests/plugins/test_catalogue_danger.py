"""The catalogue category flag ``conversation_danger``: a form of abuse where talking with the
parents may endanger the child. TOML format, the plugin ``Category``, the built-in catalogue, and
the flag recorded with the signal (so the warning does not depend on the catalogue staying)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meldcode_tui.plugins.catalogue import (Catalogue, Category, Signal, check_catalogue_file,
                                            load_catalogue_file, validate_catalogue)

from .test_catalogue_check import GOOD, places, write

FLAGGED = GOOD.replace('''[[categories]]
id = "lm"
title = "Lichamelijke mishandeling"
''', '''[[categories]]
id = "lm"
title = "Lichamelijke mishandeling"

[[categories]]
id = "egg"
title = "Eergerelateerd geweld"
conversation_danger = true
''').replace('forms = ["lm"]\nage_groups', 'forms = ["lm", "egg"]\nage_groups')


def test_flag_in_toml_reaches_the_signal_ref(tmp_path):
    cat = load_catalogue_file(write(tmp_path, FLAGGED))
    assert cat.category("egg").conversation_danger and not cat.category("lm").conversation_danger
    assert cat.signal_ref("t-001")["conversation_danger"] is True     # forms lm + egg
    assert cat.signal_ref("t-002")["conversation_danger"] is False    # lm only


@pytest.mark.parametrize("value", ['"ja"', "1", "[true]"])
def test_flag_of_the_wrong_type_is_named(tmp_path, value):
    """Abuse: a flag that is not a boolean (a string 'ja' would read as true) is refused with its place."""
    path = write(tmp_path, FLAGGED.replace("conversation_danger = true", f"conversation_danger = {value}"))
    assert "categories[1].conversation_danger" in places(check_catalogue_file(path))


def test_plugin_category_flag_checked_and_used():
    good = Catalogue("p", "P", "1", signals=[Signal("s", "Tekst", forms=("x",))],
                     categories=[Category("x", "X", conversation_danger=True)])
    assert validate_catalogue(good) == []
    assert good.signal_ref("s")["conversation_danger"] is True
    bad = Catalogue("p", "P", "1", signals=[Signal("s", "Tekst", forms=("x",))],
                    categories=[Category("x", "X", conversation_danger="ja")])
    assert "categories[0].conversation_danger" in places(validate_catalogue(bad))


def test_builtin_catalogue_marks_the_forms_the_sources_name():
    path = Path(__file__).resolve().parents[2] / "meldcode_tui" / "catalogues" / "meldcode-basis.toml"
    cat = load_catalogue_file(path)
    flagged = {c.id for c in cat.categories if c.conversation_danger}
    assert flagged == {"seksueel-misbruik", "eergerelateerd-geweld", "vrouwelijke-genitale-verminking"}
    assert cat.signal_ref("mb-0120")["conversation_danger"] is True
