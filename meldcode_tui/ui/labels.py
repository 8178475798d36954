"""Dutch labels for codes used in the journal, and small formatting helpers (no textual)."""

from __future__ import annotations

import re
from datetime import date

from ..domain import afwegingskader as _ak
from ..domain import ages as _ages
from ..domain.dates import format_date as fmt_date, format_datetime as fmt_datetime, parse_date
from ..domain.kinds.consultation import CONSULTATION_KINDS as _CONSULTATION_KINDS
from ..domain.kinds.conversations import EXCEPTIONS as _EXCEPTIONS
from ..domain.kinds.conversations import GROUNDS as _GROUNDS
from ..domain.kinds.conversations import PARTICIPANTS as _PARTICIPANTS
from ..domain.kinds.weighing import ANSWERS as _ANSWERS
from ..domain.steps import STEP_NAMES, STEP_SHORT_NAMES
from ..domain.vocabulary import CODE_WORDS, FIELD_LABELS, FIELD_SCREEN_WORDS, kind_screen, option_words
from ..i18n import N_, _
from ..text_safety import safe_line

# Imported by the screens from here; each is defined once, in the domain.
__all__ = ["STEP_NAMES", "STEP_SHORT_NAMES", "fmt_date", "fmt_datetime", "parse_date", "safe_line"]

STATUS_LABELS = {
    "open": N_("open"),
    "help": N_("hulp"),
    "hulp": N_("hulp"),
    "reported": N_("gemeld"),
    "gemeld": N_("gemeld"),
    "acuut": N_("acute hulp"),
    "closed": N_("gesloten"),
    "gesloten": N_("gesloten"),
    "monitoring": N_("monitoren"),
    "routed": N_("andere route"),
    "staff_route": N_("andere route"),
}

# The words for event kinds and codes are in domain/vocabulary.py (one place, with the record's,
# the form's and the screen's wording side by side); these are the form lists built from it.
CONSULTATION_KINDS = option_words(_CONSULTATION_KINDS)
EXCEPTIONS = option_words(_EXCEPTIONS)
EXCEPTION_GROUNDS = option_words(_GROUNDS)
PARTICIPANTS = option_words(_PARTICIPANTS)
# The four elements of a conversation (basismodel step 3), in the order they happen.
CONVERSATION_ELEMENTS = [
    ("purpose_explained", N_("Doel van het gesprek uitgelegd")),
    ("facts_presented", N_("Feiten en waarnemingen voorgelegd")),
    ("reaction_invited", N_("Uitgenodigd om te reageren")),
    ("interpretation_after_reaction", N_("Pas na de reactie een interpretatie gegeven")),
]

# The afwegingskader's questions and where each answer leads: one text, in the domain.
WEIGHING_QUESTIONS = {q: (_ak.QUESTIONS[q], _ak.ROUTES[q]) for q in _ak.QUESTIONS}

ANSWERS = {code: CODE_WORDS[code].record for code in _ANSWERS}

SEVERITY_LABELS = {"overdue": N_("te laat"), "due": N_("binnenkort"), "todo": N_("te doen"),
                   "info": N_("info")}


def step_name(step: int | None) -> str:
    """A step as a chronology row names it (the short form: the row is one line)."""
    return _(STEP_SHORT_NAMES.get(int(step or 0), "")) if step else ""


def status_label(status: str | None) -> str:
    if not status:
        return ""
    return _(STATUS_LABELS.get(status, status))


def kind_label(kind: str) -> str:
    """An event kind in the chronology's "Soort" column (short)."""
    return kind_screen(kind)


def age_on(date_of_birth, today: date) -> int | None:
    """``domain.ages.age_on`` for a list row: no (or no readable) date of birth is no age, not an
    error that would stop the whole list from drawing."""
    if not date_of_birth:
        return None
    try:
        return _ages.age_on(str(date_of_birth)[:10], today)
    except ValueError:
        return None


_SUMMARY_FIELDS = ("description", "summary", "advice", "reason", "outcome", "notes", "grounds",
                   "agreements", "question", "reaction", "text", "format", "purpose")


def event_summary(kind: str, payload: dict | None) -> str:
    """One line describing an event for the chronology (control/bidi characters shown as
    a placeholder: the text comes from the journal)."""
    return safe_line(_event_summary(kind, payload))


def _event_summary(kind: str, payload: dict | None) -> str:
    if payload is None:
        return _("(inhoud gewist)")
    p = payload
    if kind == "case_opened":
        pupil = p.get("pupil") or {}
        group = str(pupil.get("group") or "")
        if group and not group.lower().startswith(("groep", "klas")):
            group = _("groep {g}", g=group)
        return ", ".join(x for x in (pupil.get("name", ""), group) if x)
    if kind == "signal_recorded":
        src = _("eigen waarneming") if p.get("source") == "own" else _("bron: {s}", s=p.get("source_name") or "?")
        extra = _(" (tegenindicatie)") if p.get("contradicting") else ""
        return f"{p.get('description', '')} — {src}{extra}"
    if kind == "consultation_recorded":
        kinds = dict(CONSULTATION_KINDS)
        label = _(kinds.get(p.get("kind"), p.get("kind") or ""))
        return f"{label}: {p.get('with_whom', '')} — {p.get('advice', '')}"
    if kind == "care_team_set":
        return ", ".join(f"{m.get('name', '')}" for m in p.get("members", []))
    if kind == "conversation_recorded":
        who = "/".join(_(dict(PARTICIPANTS).get(x, x)) for x in p.get("participants", []))
        return f"{who}: {p.get('summary', '')}"
    if kind == "pre_report_contact_recorded":
        # With whom first: a row with the reaction alone did not say who was told.
        who = "/".join(_(dict(PARTICIPANTS).get(x, x)) for x in p.get("with", []))
        return _("met {who}: {reaction}", who=who.lower() or "?", reaction=p.get("reaction", ""))
    if kind == "exception_recorded":
        return f"{_(dict(EXCEPTIONS).get(p.get('exception'), p.get('exception') or ''))}: {p.get('reason', '')}"
    if kind == "step_completed":
        return _("Stap {n} ({name}) afgerond", n=p.get("step"), name=step_name(p.get("step")))
    if kind == "weighing_answered":
        ans = _(ANSWERS.get(p.get("answer"), p.get("answer") or ""))
        return _("Vraag {q}: {a} — {r}", q=p.get("question"), a=ans, r=p.get("reason", ""))
    if kind == "decision_recorded":
        yes, no = _("ja"), _("nee")
        return _("Melden: {m}; hulp mogelijk: {h}", m=yes if p.get("report_needed") else no,
                 h=yes if p.get("help_possible") else no)
    if kind == "record_corrected":
        return _("correctie van #{seq}: {r}", seq=p.get("target_seq"), r=p.get("reason", ""))
    if kind == "household_member_added":
        relation = p.get("relation_detail") or _(dict(HOUSEHOLD_RELATION_LABELS).get(p.get("relation"), ""))
        gezag = {"yes": _("met gezag"), "no": _("zonder gezag")}.get(p.get("gezag"), "")
        return ", ".join(x for x in (p.get("name", ""), relation, gezag) if x)
    if kind in ("household_member_left", "professional_ended"):
        return _("#{seq}: {r}", seq=p.get("target_seq"), r=p.get("reason", ""))
    if kind == "professional_added":
        return ", ".join(x for x in (p.get("name", ""), p.get("role", ""), p.get("organisation", "")) if x)
    if kind == "body_mark_recorded":
        from ..domain.body_map import BY_ID, MARK_KINDS

        region = BY_ID.get(p.get("region", ""))
        what = dict(MARK_KINDS).get(p.get("what", ""), "")
        extra = ", ".join(str(p[k]) for k in ("size", "colour") if p.get(k))
        return _("bij signaal #{seq}: {what} op {region}{extra}", seq=p.get("signal_seq"), what=_(what),
                 region=_(region.label) if region else "?", extra=f" ({extra})" if extra else "")
    if kind == "source_withheld":
        return _("{name} niet noemen in de melding: {r}", name=p.get("name", ""), r=p.get("reason", ""))
    if kind == "acute_report":
        # To whom and what was agreed (seen: an empty "Wat" column for an acute melding).
        from ..domain.vocabulary import record_word

        to = ", ".join(record_word(c) for c in p.get("reported_to") or [])
        return _("aan {to}: {agreed}", to=to or "?", agreed=p.get("agreed", ""))
    if kind == "vt_feedback_recorded" and p.get("decision"):
        from ..domain.vocabulary import record_word

        return f"{record_word(p['decision'], 'decision')}: {p.get('outcome', '')}"
    if kind == "case_linked":
        # No case id here: whoever may not see the sibling's case should not learn its number
        # (the header lists the linked cases this user may open).
        return (_("gekoppeld aan de casus van een broer of zus") if p.get("relation") == "sibling"
                else _("gekoppeld aan een casus uit hetzelfde huishouden"))
    if kind == "reference_recorded":
        return _("#{seq} van {case}: {note}", seq=p.get("source_seq"), case=p.get("source_case", ""),
                 note=p.get("note", ""))
    if kind == "attachment_added":
        from ..domain.attachments import human_size, label as media_label

        return _("{title} ({kind}, {size}; ophalen met i)", title=p.get("title", ""),
                 kind=media_label(p.get("media_type", "")), size=human_size(int(p.get("size") or 0)))
    if kind == "attachment_fetched":
        return _("bijlage #{seq} opgehaald", seq=p.get("target_seq"))
    if kind == "pupil_left":
        return _("leerling heeft de school verlaten op {on}", on=fmt_date(p.get("on")))
    if kind == "case_erased":
        return _("{n} inhouden gewist ({rule}): {r}", n=p.get("payloads"), rule=p.get("rule", ""),
                 r=p.get("reason", ""))
    if kind == "pupil_gone_from_register":
        return _("niet meer in de leerlingadministratie ({source}); voorgestelde vertrekdatum {on}",
                 source=p.get("source", ""), on=fmt_date(p.get("proposed_on")))
    if kind in ("overstap_exported", "overstap_received"):
        n = len(p.get("selection") or p.get("records") or [])
        return (_("overstapdossier: {n} vastleggingen naar {school}", n=n, school=p.get("receiving_school", ""))
                if kind == "overstap_exported" else
                _("overstapdossier: {n} vastleggingen van {school}", n=n, school=p.get("origin_school", "")))
    if kind == "overstap_receipt":
        return _("ontvangstcode {code}", code=p.get("code", ""))
    if kind == "case_exported" and p.get("basis"):
        # A whole-journal transfer shows why the whole file went, where the exports are listed.
        from ..domain.vocabulary import record_word

        return _("{title}; grondslag: {basis}: {reason}", title=p.get("title") or p.get("format", ""),
                 basis=record_word(p["basis"]), reason=p.get("basis_reason", ""))
    for key in _SUMMARY_FIELDS:
        if p.get(key):
            return str(p[key])
    return ""


HOUSEHOLD_RELATION_LABELS = [("parent", N_("ouder")), ("carer", N_("verzorger")), ("sibling", N_("broer of zus")),
                             ("other", N_("huisgenoot"))]

def field_label(key: str) -> str:
    """A payload field's name on a screen: the record's word with a capital, or its screen form."""
    if key in FIELD_SCREEN_WORDS:
        return _(FIELD_SCREEN_WORDS[key])
    if key in FIELD_LABELS:
        word = _(FIELD_LABELS[key])
        return word[:1].upper() + word[1:]
    return key


def _has_label(key: str) -> bool:
    return key in FIELD_SCREEN_WORDS or key in FIELD_LABELS


def dutch_field_names(text: str | None) -> str:
    """Service messages name fields by key ('observed_on'); show the Dutch label instead."""
    if not text:
        return text or ""

    def repl(m: re.Match) -> str:
        name = m.group(1)
        base = name.split(".")[-1].split("[")[0]
        label = field_label(name) if _has_label(name) else field_label(base)
        return f"'{label}'" if label not in (name, base) else m.group(0)

    return re.sub(r"'([A-Za-z_][\w.\[\]]*)'", repl, text)
