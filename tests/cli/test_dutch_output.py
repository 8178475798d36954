"""No English word in what the command line prints: every kind, field and choice has Dutch
words, and the commands' output over the demo school holds none of the English words that
slipped through before ('gezag: no', household relations 'parent', 'carer', 'sibling')."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.demo import create_demo
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

# Codes that are Dutch words already: their label may equal the code.
DUTCH_CODES = {"zorgteam", "vertrouwensarts", "vertrouwensinspecteur", "gezag", "huisarts"}
# English words that are not also Dutch words (so "is", "of", "door", "open" are not here).
ENGLISH = {"yes", "no", "unknown", "parent", "carer", "sibling", "relation", "none", "true",
           "false", "null", "error", "the", "and", "with", "without", "found", "invalid",
           "missing", "required", "optional", "other", "own", "first", "final", "step",
           "signal", "household", "case", "report", "closed", "failed", "warning", "bruise",
           "burn", "chest", "belly", "head", "face", "back"}


def run(db, *args):
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code in (0, 1), (args, result.output)
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "school.sqlite"
    store = open_store(db, create=True)
    ids = create_demo(CaseService(store, actor="test-coordinator"))
    store.close()
    return db, ids


def test_every_kind_field_and_choice_has_dutch_words(demo):
    db, _ids = demo
    kinds = json.loads(CliRunner().invoke(main, ["--db", str(db), "case", "kinds", "--json"]).stdout)
    untranslated = []
    for k in kinds:
        if k["title"] == k["kind"]:
            untranslated.append(k["kind"])
        for f in k["fields"] or ():
            if f["label"] in (f["name"], f["name"].replace("_", " ")) and f["name"] not in DUTCH_CODES:
                untranslated.append(f"{k['kind']}.{f['name']}")
            for c in f.get("choices") or ():
                if c["label"] == c["value"] and c["value"] not in DUTCH_CODES:
                    untranslated.append(f"{k['kind']}.{f['name']}={c['value']}")
    assert untranslated == []


def test_cli_output_over_the_demo_has_no_english_words(demo, monkeypatch):
    db, ids = demo
    monkeypatch.setenv("MELDCODE_USER", "test-coordinator")
    out = [run(db, "case", "list"), run(db, "verify"), run(db, "checkpoint"), run(db, "retention"),
           run(db, "plugins"), run(db, "catalogue", "list")]
    for cid in ids:
        out += [run(db, "case", "show", cid), run(db, "family", "show", cid)]
    # Command names quoted in a hint ('meldcode case left') are commands, not prose.
    text = re.sub(r"'meldcode [^']*'", "", "\n".join(out))
    words = {w.lower() for w in re.findall(r"(?<![\w#/.-])[A-Za-z]+(?![\w/.-])", text)}
    assert sorted(words & ENGLISH) == []
