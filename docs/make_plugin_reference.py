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
    ("ExportRequest", "journal_ref"): "`SEQ:HASH16` of the export's own journal event (its seq and the "
                                      "first 16 hex digits of its hash, e.g. `42:3f9a0c1d2e4b5a67`); "
                                      "print it in the document",
    ("ExportRequest", "catalogues"): "the loaded catalogues by id (`Catalogue`, above); `None` without plugins",
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
    ("Config", "extra"): "the whole parsed config file (read-only); a plugin's own settings come as "
                         "its hooks' `settings` argument, from `[plugins.NAME]`",
    ("Config", "plugin_settings"): "every plugin's `[plugins.NAME]` table by name; a hook gets its own as `settings`",
    ("ReportFormat", "name"): "lowercase, unique; `meldcode stats --report NAME`",
    ("ReportFormat", "render"): "`render(figures: Figures) -> bytes`: the anonymous figures only, never a case",
    ("Figures", "tables"): "every table, cells as text: a count of 5 or more, `<5` or `x` (hidden); "
                           "in `durations` the median and percentile are days",
    ("Figures", "months"): "the period's months as `YYYY-MM` (no finer date anywhere)",
    ("Figures", "schools"): "a board's school names (the tables' columns, then the board), else empty",
    ("Table", "cells"): "rows of text; the last column (and, with `total_row`, the last row) are totals",
}


def _classes():
    from meldcode_tui.config import Config
    from meldcode_tui.domain.case import CaseState, Pupil, Record
    from meldcode_tui.domain.figures import Figures, Table
    from meldcode_tui.plugins import AgeGroup, Catalogue, Category, ExportFormat, ExportRequest, Signal
    from meldcode_tui.plugins.reporting import ReportFormat
    from meldcode_tui.store.journal import Event

    constructed = (Catalogue, Category, AgeGroup, Signal, ExportFormat, ReportFormat)
    return constructed, (Catalogue, Category, AgeGroup, Signal, ExportFormat, ExportRequest,
                         CaseState, Pupil, Record, Event, Config, ReportFormat, Figures, Table)


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
    out += _payloads()
    return "\n".join(out)


# Streams that are not a case's records (users, keys, teachers' concerns, refusals): an
# ExportRequest never carries them.
NOT_CASE_RECORDS = ("user_", "keys_", "concern_", "access_")


def _demo_payload_keys() -> dict[str, list[str]]:
    """The top-level payload keys of each kind in the demo school (for kinds whose fields are
    nested and so not in the field table), made in a throw-away database."""
    import tempfile

    from meldcode_tui.demo import create_demo
    from meldcode_tui.service import CaseService
    from meldcode_tui.store import open_store

    keys: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "demo.sqlite", create=True)
        try:
            create_demo(CaseService(store, actor="demo"))
            for event in store.events():
                if isinstance(event.payload, dict):
                    seen = keys.setdefault(event.kind, [])
                    seen += [k for k in event.payload if k not in seen]
        finally:
            store.close()
    return keys


def _payloads() -> list[str]:
    """Each record kind's payload fields (``Record.payload``, ``Event.payload``), from the same
    field table ``meldcode case kinds`` prints."""
    from meldcode_tui.domain.events import KINDS
    from meldcode_tui.domain.intent_fields import describe

    out = ["## Record payloads by kind", "",
           "What `Record.payload` and `Event.payload` hold for each kind (`Record.kind`, "
           "`Event.kind`), generated from the same table as `meldcode case kinds`. Dates are "
           "`YYYY-MM-DD`; a choice is one of the codes listed (their Dutch words are in "
           "`meldcode case kinds`).", ""]
    examples = _demo_payload_keys()
    for kind in sorted(KINDS):
        if kind.startswith(NOT_CASE_RECORDS):
            continue
        info = describe(kind)
        out.append(f"### `{kind}`: {info['title']}")
        out.append("")
        if info["fields"] is None:
            keys = examples.get(kind)
            where = KINDS[kind].validate.__module__.replace(".", "/") + ".py"
            out += [("Keys, as the demo school records them: " + ", ".join(f"`{k}`" for k in keys))
                    if keys else f"Not recorded by the demo school; see its validator in `{where}`.", ""]
            continue
        if not info["fields"]:
            out += ["No fields.", ""]
            continue
        out += ["| field | type | required | codes |", "|---|---|---|---|"]
        for f in info["fields"]:
            codes = ", ".join(f"`{c['value']}`" for c in f.get("choices") or ())
            out.append(f"| `{f['name']}` | {f['type']} | {'yes' if f['required'] else 'no'} | {codes} |")
        out.append("")
    return out


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
