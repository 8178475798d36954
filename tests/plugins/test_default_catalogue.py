"""The shipped default catalogue: valid, big enough, spread over forms, ages and concerns."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from meldcode_tui.plugins.builtin.catalogues import shipped_catalogue_dir
from meldcode_tui.plugins.catalogue import CONCERNS, check_catalogue_file, load_catalogue_file

REPO = Path(__file__).resolve().parents[2]
BASIS = REPO / "catalogues" / "meldcode-basis.toml"

FORMS = {
    "lichamelijke-mishandeling", "lichamelijke-verwaarlozing", "psychische-mishandeling",
    "psychische-verwaarlozing", "seksueel-misbruik", "getuige-huiselijk-geweld",
    "eergerelateerd-geweld", "vrouwelijke-genitale-verminking", "uitbuiting",
}


def test_default_catalogue_is_clean():
    assert check_catalogue_file(BASIS) == []


def test_default_catalogue_content():
    cat = load_catalogue_file(BASIS)
    assert cat.id == "meldcode-basis"
    assert len(cat.signals) >= 150
    assert [a.id for a in cat.age_groups] == ["0-4", "4-12", "12-18"]
    assert FORMS <= {c.id for c in cat.categories}
    per_form = Counter(f for s in cat.signals for f in s.forms)
    assert all(per_form[f] >= 5 for f in FORMS), per_form
    per_concern = Counter(s.concerns for s in cat.signals)
    assert all(per_concern[c] >= 10 for c in CONCERNS), per_concern
    for age in ("0-4", "4-12", "12-18"):
        assert len(cat.signals_for(age)) >= 60, age
    assert len({s.text for s in cat.signals}) == len(cat.signals)  # no duplicate wording


def test_shipped_folder_is_found_through_the_package():
    folder = shipped_catalogue_dir()
    assert folder is not None and (folder / "meldcode-basis.toml").is_file()
    # the package's folder is a link to the repo's top-level catalogues/ (one source of truth)
    assert (folder / "meldcode-basis.toml").resolve() == BASIS.resolve()
