"""Writes docs/PLUGIN_REFERENCE.md from the classes themselves, so the reference a plugin
author reads cannot drift from the code (tests/plugins/test_reference.py regenerates it and
compares). Run: python docs/make_plugin_reference.py"""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

OUT = Path(__file__).with_name("PLUGIN_REFERENCE.md")

# What an attribute means where its name and type do not say it.
NOTES = {
    ("ExportRequest", "case"): "the folded case (a `CaseState`, below), built from `events`",
    ("ExportRequest", "events"): "the case's journal in order; an erased payload is `None`; text is "
                                 "already neutralised (no control or bidi characters)",
    ("ExportRequest", "journal_ref"): "`seq:hash` of the export's own journal event; print it in the document",
    ("ExportRequest", "exported_at"): "ISO 8601, UTC",
    ("ExportRequest", "actor"): "the user name of who exports",
    ("ExportRequest", "attachments"): "attachment bytes by event seq, for exact formats only",
    ("ExportRequest", "reporter"): "name, school, phone, email of the reporting coordinator",
    ("ExportRequest", "linked"): "linked siblings' cases the user may see: case_id, relation, pupil_name, date_of_birth",
    ("ExportRequest", "family"): "for a format with `family=True`: one request per child",
    ("ExportFormat", "name"): "lowercase, unique; `meldcode export --format NAME`",
    ("ExportFormat", "render"): "`render(request) -> bytes`; an exception is shown as one Dutch line",
    ("ExportFormat", "family"): "True: one document for several children of a family",
    ("Signal", "concerns"): "`child`, `parent`, `risk_factor` or `protective_factor`",
    ("Signal", "forms"): "ids of the catalogue's categories",
    ("Category", "conversation_danger"): "True: talking with the parents about a signal of this form may "
                                         "endanger the child (sexual abuse, honour-related violence, FGM); "
                                         "the app warns, proposes the exception 'geen gesprek met de ouders' "
                                         "and asks to consult Veilig Thuis first. TOML: "
                                         "`conversation_danger = true` under `[[categories]]`",
    ("Signal", "age_groups"): "ids of the catalogue's age groups; empty: every age",
    ("AgeGroup", "min_age"): "years, inclusive",
    ("AgeGroup", "max_age"): "years, exclusive",
    ("Record", "payload"): "the record as it stands now, corrections applied",
    ("Record", "original"): "the payload as first recorded",
    ("Event", "payload"): "`None` once erased under the retention policy",
    ("Event", "case_id"): "the case the event belongs to",
    ("CaseState", "records_by_seq"): "every record of the case by its event seq",
    ("CaseState", "weighing"): "afwegingskader answers by question number (1-5)",
    ("Config", "extra"): "sections of meldcode.toml the app does not know, for plugins",
}


def _classes():
    from meldcode_tui.config import Config
    from meldcode_tui.domain.case import CaseState, Pupil, Record
    from meldcode_tui.plugins import AgeGroup, Catalogue, Category, ExportFormat, ExportRequest, Signal
    from meldcode_tui.store.journal import Event

    constructed = (Catalogue, Category, AgeGroup, Signal, ExportFormat)
    return constructed, (Catalogue, Category, AgeGroup, Signal, ExportFormat, ExportRequest,
                         CaseState, Pupil, Record, Event, Config)


def _summary(cls) -> str:
    text = (inspect.getdoc(cls) or "").split("\n\n")[0].replace("\n", " ").strip()
    return "" if text.startswith(cls.__name__ + "(") else text


def render() -> str:
    constructed, classes = _classes()
    out = ["# Plugin reference",
           "",
           "Generated from the code by `python docs/make_plugin_reference.py`; do not edit by hand.",
           "Plugins import only from `meldcode_tui.plugins` (`hookimpl`, `Catalogue`, `Category`,",
           "`AgeGroup`, `Signal`, `ExportFormat`, `ExportRequest`); the other classes below are what",
           "a hook receives (`config`) or what an `ExportRequest` carries. See the README's",
           "*Plugins and signal catalogues* for the hooks and two complete examples.",
           ""]
    for cls in classes:
        out.append(f"## `{cls.__name__}`")
        out.append("")
        if summary := _summary(cls):
            out += [summary, ""]
        fields = [f for f in dataclasses.fields(cls) if not f.name.startswith("_")]
        if cls in constructed:
            args = []
            for f in fields:
                if f.default is not dataclasses.MISSING:
                    args.append(f"{f.name}={f.default!r}")
                elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
                    args.append(f"{f.name}=…")
                else:
                    args.append(f.name)
            out += ["```python", f"{cls.__name__}({', '.join(args)})", "```", ""]
        out += ["| attribute | type | meaning |", "|---|---|---|"]
        for f in fields:
            kind = str(f.type).strip("'").replace("|", "\\|")
            note = NOTES.get((cls.__name__, f.name), "").replace("|", "\\|")
            out.append(f"| `{f.name}` | `{kind}` | {note} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
