"""The case file itself: opening, viewing, closing and reopening a case, correcting a record,
leaving a source out of the melding, and the attachments.

Option tuples here are the stored codes; their Dutch words are in ``domain/vocabulary.py``.
"""

from __future__ import annotations

from ...errors import InputError
from ...i18n import _
from ..attachments import MEDIA_TYPES
from ..payload import (SHA256, KindSpec, bad_form, boolean, choice, clean, clean_tree, integer,
                       iso_date, list_of_dicts, mapping, prefixed, reason, register, text)

GENDERS = ("female", "male", "other")
CLOSE_GROUNDS = ("concern_removed", "no_suspicion", "help_succeeded", "reported", "staff_route",
                 "moved_away", "other")


def _case_opened(p: dict) -> dict:
    pupil = mapping(p, "pupil")
    pupil_out = prefixed("pupil", lambda: {
        "name": text(pupil, "name"),
        "date_of_birth": iso_date(pupil, "date_of_birth"),
        "group": text(pupil, "group", required=False),
        "pupil_number": text(pupil, "pupil_number", required=False),
        # Optional (the melding to Veilig Thuis asks them; the pupil register fills them): only
        # kept when given, so a case opened without them records what it always did.
        **{k: v for k, v in (("gender", text(pupil, "gender", required=False)),
                             ("address", text(pupil, "address", required=False))) if v},
    })
    # Additive: the pupil's address and gender, and each parent's address - Veilig Thuis's
    # meldformulier asks them in its part "betrokkenen" (older records have none).
    for key, read in (("address", lambda: text(pupil, "address", required=False)),
                      ("gender", lambda: choice(pupil, "gender", GENDERS, required=False))):
        if pupil.get(key) not in (None, ""):
            pupil_out[key] = prefixed("pupil", read)
    parents = []
    for i, par in enumerate(list_of_dicts(p, "parents")):
        parents.append(prefixed(f"parents[{i}]", lambda par=par: {
            "name": text(par, "name"),
            "relation": text(par, "relation", required=False),
            **({"address": text(par, "address")} if par.get("address") not in (None, "") else {}),
        }))
    return {
        "pupil": pupil_out,
        "parents": parents,
        "owner": text(p, "owner"),
        "note": text(p, "note", required=False),
        # Additive: the suspicion is against a member of staff (not the Meldcode route).
        "staff_suspicion": bool(boolean(p, "staff_suspicion", required=False, default=False)),
        # The case's pupil data came from the pupil register (its load, and what was edited).
        **({"register": prefixed("register", lambda: _register_origin(p["register"]))}
           if p.get("register") else {}),
    }


def _register_origin(r: dict) -> dict:
    if not isinstance(r, dict):
        raise bad_form("register")
    edited = r.get("edited") or []
    if not isinstance(edited, list) or not all(isinstance(e, str) for e in edited):
        raise bad_form("edited")
    return {"source": text(r, "source"), "loaded_at": text(r, "loaded_at"),
            "edited": [clean(e, "edited") for e in edited]}


def _case_viewed(p: dict) -> dict:
    return {"purpose": text(p, "purpose", required=False, default="bekijken") or "bekijken"}


def _record_corrected(p: dict) -> dict:
    changes = mapping(p, "changes")
    if not changes:
        raise InputError(_("Geef aan wat er verandert (veld 'changes')."), field="changes")
    clean_tree(changes, "changes")
    return {"target_seq": integer(p, "target_seq", 1, 2**62), "changes": dict(changes), "reason": reason(p)}


def _case_closed(p: dict) -> dict:
    grounds = choice(p, "grounds", CLOSE_GROUNDS)
    out = {
        "grounds": grounds,
        "reason": reason(p),
        "monitoring_agreements": text(p, "monitoring_agreements", required=False),
    }
    # The next school, when the pupil moved away: where the concern goes on (older records
    # have none, so it is only there when given).
    if grounds == "moved_away" or p.get("new_school"):
        out["new_school"] = text(p, "new_school", required=grounds == "moved_away")
    return out


def _case_reopened(p: dict) -> dict:
    return {"reason": reason(p)}


def _source_withheld(p: dict) -> dict:
    """The coordinator leaves a colleague's or source's identity out of the melding (Veilig Thuis
    may show the melding to the parents and to children from 12); always with a reason."""
    return {"name": text(p, "name"), "reason": reason(p)}


# -- attachments (domain/attachments.py says what may be attached) -------------------------

def _attachment_added(p: dict) -> dict:
    """The file itself lives in the store's ``attachments`` table, bound to this event by its
    sha256 (which is in this payload, so in the journal's hash chain). ``case`` (the case id)
    keeps the payload -- and so its bytes -- from being shared with another case's identical
    attachment: payloads are stored by hash, and retention erases one case's alone."""
    name = text(p, "filename", required=False)
    if name and ("/" in name or "\\" in name or name.startswith(".")):
        raise InputError(_("Een bestandsnaam zonder map en zonder punt vooraan, graag."), field="filename")
    sha = p.get("sha256")
    if not isinstance(sha, str) or not SHA256.match(sha):
        raise InputError(_("Ongeldige sha256 van de bijlage."), field="sha256")
    case = text(p, "case", required=False)
    return {"case": case, "title": text(p, "title", min_len=3), "filename": name,
            "media_type": choice(p, "media_type", tuple(MEDIA_TYPES)),
            "size": integer(p, "size", 1, 1 << 31), "sha256": sha}


def _attachment_fetched(p: dict) -> dict:
    return {"target_seq": integer(p, "target_seq", 1, 1 << 62),
            "how": choice(p, "how", ("cli", "ssh"), required=False, default="cli") or "cli"}


register(
    KindSpec("case_opened", _case_opened, locked_fields=("staff_suspicion",),
             text_fields=("note",)),
    KindSpec("case_viewed", _case_viewed, correctable=False),
    KindSpec("record_corrected", _record_corrected, correctable=False,
             text_fields=("reason",)),
    KindSpec("case_closed", _case_closed, text_fields=("reason", "monitoring_agreements")),
    KindSpec("case_reopened", _case_reopened, text_fields=("reason",)),
    KindSpec("source_withheld", _source_withheld,
             locked_fields=("name",), text_fields=("reason",)),
    KindSpec("attachment_added", _attachment_added,
             locked_fields=("media_type", "size", "sha256"), text_fields=("title",)),
    KindSpec("attachment_fetched", _attachment_fetched, correctable=False),
)
