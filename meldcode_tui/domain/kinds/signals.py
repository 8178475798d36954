"""Signals (step 1): what was seen or heard, and the marks on the body map that go with a signal."""

from __future__ import annotations

from ..body_map import BY_ID, MARK_KINDS
from ..payload import (KindSpec, boolean, choice, integer, iso_date, mapping, prefixed, register,
                       text)

SOURCES = ("own", "other")


def _signal_recorded(p: dict) -> dict:
    source = choice(p, "source", SOURCES)
    cat = mapping(p, "catalogue", required=False)
    catalogue = None
    if cat is not None:
        catalogue = prefixed("catalogue", lambda: {
            "catalogue_id": text(cat, "catalogue_id"),
            "catalogue_version": text(cat, "catalogue_version", required=False),
            "signal_id": text(cat, "signal_id"),
            "text": text(cat, "text", required=False),
            # Additive: the signal's form is one where talking with the parents may endanger the
            # child (the catalogue's category flag, recorded with the signal).
            "conversation_danger": bool(boolean(cat, "conversation_danger", required=False, default=False)),
        })
    out = {
        "description": text(p, "description"),
        "observed_on": iso_date(p, "observed_on"),
        "observed_by": text(p, "observed_by"),
        "source": source,
        "source_name": text(p, "source_name", required=source == "other"),
        "contradicting": bool(boolean(p, "contradicting", required=False, default=False)),
        "catalogue": catalogue,
        # Additive: the signal is an injury (letsel); the guide then suggests a medical consult.
        "injury": bool(boolean(p, "injury", required=False, default=False)),
    }
    # Additive (older records have none): the pupil's own disclosure. A child's own account of
    # acute danger counts as acute unsafety (afwegingskader onderwijs 2019, toelichting bij vraag 2).
    if p.get("disclosure") is not None:
        out["disclosure"] = bool(boolean(p, "disclosure"))
    # Additive: the signal (often the child's own account) is of sexual abuse, honour-related
    # violence or female genital mutilation, also without a catalogue signal.
    if p.get("conversation_danger") is not None:
        out["conversation_danger"] = bool(boolean(p, "conversation_danger"))
    return out


def _body_mark_recorded(p: dict) -> dict:
    """One mark on the body map (domain/body_map.py), belonging to signal #``signal_seq``."""
    return {
        "signal_seq": integer(p, "signal_seq", 1, 1 << 62),
        "region": choice(p, "region", tuple(BY_ID)),
        "what": choice(p, "what", tuple(k for k, _label in MARK_KINDS)),
        "size": text(p, "size", required=False),
        "colour": text(p, "colour", required=False),
        "observed_on": iso_date(p, "observed_on"),
        "observed_by": text(p, "observed_by"),
        "note": text(p, "note", required=False, multiline=True),
    }


register(
    KindSpec("signal_recorded", _signal_recorded,
             text_fields=("description", "source_name")),
    KindSpec("body_mark_recorded", _body_mark_recorded,
             locked_fields=("signal_seq",), text_fields=("size", "colour", "observed_by", "note")),
)
