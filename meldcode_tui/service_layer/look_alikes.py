"""Pupils whose names look the same but are written with other letters.

"Sаnne de Vries" with a Cyrillic "а" is a different string from "Sanne de Vries": a second case
for the same child would be opened without a word, and a search for the one never finds the
other. A real name may well hold letters of another script, so this never refuses: it names
the case numbers whose pupil looks alike, for the coordinator to check (the new-case form and
`meldcode case new` show it as a warning)."""

from __future__ import annotations

from ..text_safety import skeleton


def look_alike_cases(service, name: str, *, exclude: str | None = None) -> list[str]:
    """Case ids (this user may see) whose pupil's name looks like ``name`` but is not the same
    text. Reads the case list's names only; no access-log entry (nothing is shown but a
    number the user could open anyway)."""
    wanted = skeleton(name.strip())
    out = []
    for case_id, other in service.store.case_names():
        if case_id == exclude or not other or other.strip() == name.strip():
            continue
        if skeleton(other.strip()) != wanted:
            continue
        row = service.store.case_row(case_id)
        if row is not None and service.can_see(row):
            out.append(case_id)
    return out


def look_alike_warning(service, name: str, case_id: str) -> str | None:
    """The Dutch warning for a case just opened with ``name``, or None."""
    from ..i18n import _

    twins = look_alike_cases(service, name, exclude=case_id)
    if not twins:
        return None
    return _("Let op: de naam lijkt op die van de leerling in casus {cases}, maar is met andere "
             "letters geschreven (bijvoorbeeld Cyrillisch). Controleer of het dezelfde leerling is.",
             cases=", ".join(twins[:5]))
