"""The family and the network around the pupil: the household, the professionals involved, and
links between the cases of one family.

Veilig Thuis's meldformulier asks for "alle persoonsgegevens van betrokkene en verwanten" and the
professionals already involved. One person per record: an addition is its own event, a change is
a correction (``record_corrected``), someone leaving is ``household_member_left``.
"""

from __future__ import annotations

import re

from ...errors import InputError
from ...i18n import _
from ..payload import KindSpec, boolean, choice, integer, iso_date, reason, register, text

HOUSEHOLD_RELATIONS = ("parent", "carer", "sibling", "other")
GEZAG = ("yes", "no", "unknown")
CASE_LINKS = ("sibling", "household")
_CASE_ID = re.compile(r"MC-[0-9]{4,9}")


def _household_member_added(p: dict) -> dict:
    return {
        "name": text(p, "name"),
        "relation": choice(p, "relation", HOUSEHOLD_RELATIONS),
        "relation_detail": text(p, "relation_detail", required=False),
        "gezag": choice(p, "gezag", GEZAG, required=False, default="unknown") or "unknown",
        "date_of_birth": iso_date(p, "date_of_birth", required=False),
        "address": text(p, "address", required=False),
        "phone": text(p, "phone", required=False),
        "language": text(p, "language", required=False),
        "interpreter_needed": bool(boolean(p, "interpreter_needed", required=False, default=False)),
        "lives_with_pupil": bool(boolean(p, "lives_with_pupil", required=False, default=True)),
    }


def _household_member_left(p: dict) -> dict:
    return {"target_seq": integer(p, "target_seq", 1, 1 << 62), "reason": reason(p, min_len=5)}


def _professional_added(p: dict) -> dict:
    return {
        "name": text(p, "name"),
        "organisation": text(p, "organisation"),
        "role": text(p, "role", required=False),
        "contact": text(p, "contact", required=False),
        "since": iso_date(p, "since", required=False),
    }


def _professional_ended(p: dict) -> dict:
    return {"target_seq": integer(p, "target_seq", 1, 1 << 62), "reason": reason(p, min_len=5)}


def _case_linked(p: dict) -> dict:
    other = text(p, "other_case")
    if not _CASE_ID.fullmatch(other):
        raise InputError(_("Een casusnummer zoals MC-0007, graag."), field="other_case")
    return {"other_case": other, "relation": choice(p, "relation", CASE_LINKS)}


def _reference_recorded(p: dict) -> dict:
    """'Geldt dit ook voor …?': a record of a linked case applies here too. A reference, not a
    copy: the text stays in the source case (which may be erased or corrected on its own)."""
    source = text(p, "source_case")
    if not _CASE_ID.fullmatch(source):
        raise InputError(_("Een casusnummer zoals MC-0007, graag."), field="source_case")
    return {"source_case": source, "source_seq": integer(p, "source_seq", 1, 1 << 62),
            "source_kind": text(p, "source_kind"), "note": text(p, "note", multiline=True)}


register(
    KindSpec("household_member_added", _household_member_added,
             text_fields=("name", "relation_detail", "address")),
    KindSpec("household_member_left", _household_member_left,
             locked_fields=("target_seq",), text_fields=("reason",)),
    KindSpec("professional_added", _professional_added,
             text_fields=("name", "organisation", "role")),
    KindSpec("professional_ended", _professional_ended,
             locked_fields=("target_seq",), text_fields=("reason",)),
    KindSpec("case_linked", _case_linked, correctable=False),
    KindSpec("reference_recorded", _reference_recorded,
             locked_fields=("source_case", "source_seq", "source_kind"), text_fields=("note",)),
)
