"""The event vocabulary: every kind of event a case journal holds, with a payload validator.

``validate(kind, payload)`` returns a normalised copy of the payload (strings stripped, optional
fields filled with their defaults) or raises :class:`InputError` naming the field. Validators check
*shape* only (types, dates, choices, required text); whether the protocol allows the event now is
the job of :mod:`meldcode_tui.domain.rules`.

Dates are ISO ``YYYY-MM-DD`` strings; timestamps ISO 8601 UTC with ``Z``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from ..errors import InputError
from ..i18n import N_, _
from ..text_safety import LONG_MAX, SHORT_MAX, check_text, invisible_only
from .vocabulary import CODE_WORDS, CODE_WORDS_IN_FIELD, KIND_WORDS, record_word

# Minimum length of a written reason for an exception ("uitzondering"): enough to say *why*.
MIN_EXCEPTION_REASON = 20
# Minimum length of other reasons (closing, reopening, correcting, weighing, deciding).
MIN_REASON = 10

SOURCES = ("own", "other")
CONSULTATION_KINDS = ("colleague", "zorgteam", "veilig_thuis_advice", "vertrouwensarts",
                      "forensisch_arts", "other")
CARE_TEAM_ROLES = ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach",
                   "schoolleider", "other")
REQUIRED_CARE_TEAM_ROLES = ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach",
                            "schoolleider")
PARTICIPANTS = ("pupil", "parents")
EXCEPTIONS = ("no_conversation_pupil", "pupil_without_informing_parents", "no_conversation_parents",
              "report_without_contact", "reporter_not_disclosed")
GROUNDS = ("safety", "out_of_sight", "age",
           # issue 11: Veilig Thuis's three grounds for not telling the family who reported
           # ("open melden, tenzij"; meldformulier voor professionals, Veilig Thuis).
           "child_safety", "reporter_safety", "trust_relationship")
ANSWERS = ("yes", "no", "doubt")
ROUTED_TO = ("school_board", "vertrouwensinspecteur", "police")
# Acute danger: who was called (Basismodel meldcode: act at once, before step 2). Only the call to
# Veilig Thuis is a melding; 112, the police and the huisarts give help now (domain/case.py).
ACUTE_REPORTED_TO = ("veilig_thuis_phone", "emergency_112", "police", "huisarts")
CLOSE_GROUNDS = ("concern_removed", "no_suspicion", "help_succeeded", "reported", "staff_route",
                 "moved_away", "other")
# --- issue 11: after the report. Veilig Thuis reports back twice: within 5 working days (what it
# does now: triage) and at the end of its involvement (the outcome). Source: Veilig Thuis,
# "Wat gebeurt er na een melding" (vooreenveiligthuis.nl, for professionals) and the Basismodel
# meldcode, step 5 ("Veilig Thuis houdt melders op de hoogte van de uitkomsten").
VT_FEEDBACK_STAGES = ("first", "final")
GENDERS = ("female", "male", "other")
# What Veilig Thuis decided after its safety assessment (Handelingsprotocol Veilig Thuis 2019, as
# summarised on https://www.meldcode.nu/triage/ and in "Bescherming in beweging", 4.3.1: own
# investigation, a request to the Raad voor de Kinderbescherming, "Voorwaarden en vervolg", hand
# over to the local team, to care already involved or a multidisciplinary team, the melding turned
# into an advice, or the end of its involvement), plus "anders".
VT_DECISIONS = ("investigation", "child_protection_board", "conditions_follow_up", "local_team",
                "current_care", "advice_only", "no_follow_up", "other")
# Decisions that hand the follow-up to another organisation: it must be named.
VT_HANDOVER = ("local_team", "current_care")
# --- issue 11: the staff route's own records (suspicion against a member of staff: the board
# consults the vertrouwensinspecteur and, on reasonable suspicion, reports to the police).
STAFF_RECORD_TYPES = ("facts", "conversation", "inspector_advice", "board_decision", "outcome")

# Dutch words for codes: written once in domain/vocabulary.py (record, form option, document).
LABELS: dict[str, str] = {code: words.record for code, words in CODE_WORDS.items()}


# Dutch names of payload fields, for messages and exports (translate at use).
FIELD_LABELS: dict[str, str] = {
    "description": N_("omschrijving"),
    "observed_on": N_("waargenomen op"),
    "observed_by": N_("waargenomen door"),
    "source": N_("bron"),
    "source_name": N_("naam van de bron"),
    "contradicting": N_("spreekt het vermoeden tegen"),
    "catalogue": N_("uit signalenlijst"),
    "kind": N_("soort"),
    "with_whom": N_("met wie"),
    "on": N_("datum"),
    "anonymous": N_("anoniem"),
    "question": N_("vraag"),
    "advice": N_("advies"),
    "members": N_("leden"),
    "participants": N_("deelnemers"),
    "purpose_explained": N_("doel uitgelegd"),
    "facts_presented": N_("feiten voorgelegd"),
    "reaction_invited": N_("reactie gevraagd"),
    "interpretation_after_reaction": N_("duiding pas na de reactie"),
    "parents_informed_beforehand": N_("ouders vooraf geïnformeerd"),
    "summary": N_("samenvatting"),
    "outcome": N_("uitkomst"),
    "concern_removed": N_("zorg weggenomen"),
    "exception": N_("uitzondering"),
    "ground": N_("grond"),
    "reason": N_("reden"),
    "step": N_("stap"),
    "answer": N_("antwoord"),
    "with_veilig_thuis": N_("samen met Veilig Thuis"),
    "report_needed": N_("melden noodzakelijk"),
    "help_possible": N_("hulp mogelijk"),
    "agreements": N_("afspraken"),
    "roles": N_("rollen"),
    "case_manager": N_("casusregisseur"),
    "review_on": N_("evaluatie op"),
    "results_expected": N_("verwachte resultaten"),
    "results_reached": N_("resultaten bereikt"),
    "violence_continues": N_("geweld gaat door"),
    "notes": N_("notities"),
    "next_review_on": N_("volgende evaluatie op"),
    "with": N_("met"),
    "explained": N_("uitleg"),
    "reaction": N_("reactie"),
    "objections": N_("bezwaren"),
    "weighing": N_("weging"),
    "office": N_("Veilig Thuis-regio"),
    "reference": N_("kenmerk"),
    "reporter_disclosed_to_family": N_("melder bekend bij het gezin"),
    "due_on": N_("uiterlijk op"),
    "who": N_("wie"),
    "target_seq": N_("betreft record"),
    "routed_to": N_("doorgeleid naar"),
    "grounds": N_("gronden"),
    "monitoring_agreements": N_("afspraken over het volgen van de veiligheid"),
    "purpose": N_("doel"),
    "format": N_("formaat"),
    "title": N_("titel"),
    "journal_ref": N_("journaalverwijzing"),
    "origin": N_("herkomst"),
    "pupil": N_("leerling"),
    "parents": N_("ouders"),
    "owner": N_("eigenaar"),
    "note": N_("notitie"),
    "name": N_("naam"),
    "date_of_birth": N_("geboortedatum"),
    "group": N_("groep"),
    "pupil_number": N_("leerlingnummer"),
    "changes": N_("wijzigingen"),
    "staff_suspicion": N_("vermoeden tegen een medewerker"),
    "injury": N_("letsel"),
    "reported_to": N_("gemeld bij"),
    "by_whom": N_("door wie"),
    "agreed": N_("afgesproken"),
    "child_safety": N_("veiligheid van het kind nu"),
    "stage": N_("soort terugkoppeling"),
    "concerns_remain": N_("zorgen blijven"),
    "new_school": N_("nieuwe school"),
    "starts_on": N_("gestart op"),
    "goals": N_("doelen"),
    "goal_results": N_("resultaat per doel"),
    "reached": N_("bereikt"),
    "decided_by": N_("besloten door"),
    "record_type": N_("soort vastlegging"),
    "disclosure": N_("het kind vertelt het zelf (onthulling)"),
    "conversation_danger": N_("gesprek met de ouders kan het kind in gevaar brengen"),
    "decision": N_("besluit van Veilig Thuis"),
    "vt_agreed_by": N_("akkoord van (Veilig Thuis)"),
    "vt_agreed_on": N_("akkoord op"),
    "address": N_("adres"),
    "gender": N_("geslacht"),
    "taken_over_by": N_("overgenomen door"),
    "contact_person": N_("contactpersoon"),
    "asks_of_school": N_("wat Veilig Thuis van de school vraagt"),
    "interpretation_not_needed": N_("geen duiding nodig, omdat"),
    "pupil.name": N_("naam leerling"),
    "pupil.date_of_birth": N_("geboortedatum"),
    "pupil.group": N_("groep"),
    "pupil.pupil_number": N_("leerlingnummer"),
}


LABELS_IN_FIELD = CODE_WORDS_IN_FIELD


def label(code: str, field: str | None = None) -> str:
    """Dutch label of a code (in ``field``, where the meaning depends on it), translated now."""
    return record_word(code, field)


# --------------------------------------------------------------------------- field helpers

def field_name(field: str) -> str:
    """The Dutch name of a payload field ('changes.observed_on' -> 'waargenomen op')."""
    base = str(field).split(".")[-1].split("[")[0]
    return _(FIELD_LABELS[base]) if base in FIELD_LABELS else base.replace("_", " ")


def _msg(text: str, /, *, field: str, **values) -> str:
    """A message about ``field``, naming it in Dutch (``InputError.field`` keeps the key)."""
    return _(text, field=field_name(field), **values)


def _missing(field: str) -> InputError:
    return InputError(_msg("Het veld '{field}' ontbreekt.", field=field), field=field)


# Free-text fields (several lines, up to LONG_MAX characters). Every other text field is a short,
# single-line field (names, places, ids: at most SHORT_MAX characters). A new kind with a new
# free-text field either uses one of these names or passes ``multiline=True`` to ``text()``.
MULTILINE_FIELDS = frozenset({
    "description", "note", "notes", "summary", "outcome", "question", "advice", "agreements",
    "roles", "results_expected", "explained", "reaction", "objections", "weighing",
    "monitoring_agreements", "reason",
    "interpretation_not_needed",   # issue 11
    "asks_of_school",
})


def clean(value: str, field: str, *, multiline: bool | None = None, max_len: int | None = None) -> str:
    """Refuse control/bidi characters and over-long text in ``value`` (see text_safety), with a
    Dutch message naming ``field``. Used by every text helper below; call it for any other
    string that goes into a payload."""
    if multiline is None:
        multiline = str(field).split(".")[-1].split("[")[0] in MULTILINE_FIELDS
    return check_text(value, field, multiline=multiline, label=field_name(field),
                      max_len=max_len if max_len is not None else (LONG_MAX if multiline else SHORT_MAX))


def clean_tree(value: Any, field: str) -> Any:
    """``clean`` every string (and key) inside nested dicts/lists; the values of free-form
    payload parts (``record_corrected.changes``, ``case_imported.origin``)."""
    if isinstance(value, str):
        return clean(value, field)
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str):
                check_text(k, field, label=field_name(field))
            clean_tree(v, f"{field}.{k}")
        return value
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            clean_tree(v, f"{field}[{i}]")
    return value


def text(p: dict, field: str, *, required: bool = True, min_len: int = 1, default: str = "",
         multiline: bool | None = None, max_len: int | None = None) -> str:
    value = p.get(field)
    if value is None:
        if required:
            raise _missing(field)
        return default
    if not isinstance(value, str):
        raise InputError(_msg("Het veld '{field}' moet tekst zijn.", field=field), field=field)
    clean(value, field, multiline=multiline, max_len=max_len)
    value = value.strip()
    if required and not value:
        raise InputError(_msg("Het veld '{field}' mag niet leeg zijn.", field=field), field=field)
    if invisible_only(value):
        raise InputError(_msg("Het veld '{field}' bevat alleen onzichtbare tekens of losse "
                              "accenten.", field=field), field=field)
    if value and len(value) < min_len:
        raise InputError(
            _msg("Het veld '{field}' is te kort: schrijf minstens {n} tekens.", field=field, n=min_len),
            field=field)
    return value


MIN_REASON_WORDS = 3


def missing_words(value: str, min_words: int = MIN_REASON_WORDS) -> str | None:
    """What keeps ``value`` from reading as a written reason, in Dutch, or None. A reason is
    words: at least ``min_words`` words of two or more letters, and not one character repeated
    ('xxxxxxxxxxxxxxxxxxxx', 'aa bb cc'). Length alone let twenty x's pass (issue 14)."""
    words = [w for w in re.findall(r"[^\W\d_]{2,}", value) if len(set(w.lower())) > 1]
    if len(words) >= min_words:
        distinct = {w.casefold() for w in words}
        if len(distinct) < min(min_words, 2):
            return _("het is één woord herhaald")
        if not distinct & DUTCH_WORDS:
            return _("er staat geen Nederlands woord in (zoals 'de', 'het', 'kind', 'omdat')")
        return None
    if len(set(value.replace(" ", "").lower())) <= 1:
        return _("het is één teken herhaald, geen woorden")
    return _("er staan {found} van de minstens {n} woorden in", found=len(words), n=min_words)


# Common Dutch words: a written reason in the case's language has at least one of them, so
# keyboard noise of three "words" ("asdf qwer zxcv") is not taken for a reason.
DUTCH_WORDS = frozenset("""
de het een en van in is op te dat die met voor niet aan er om ook als bij of maar uit dan naar
zijn was wordt worden heeft hebben kan kunnen zal zou moet moeten geen wel nog al door over na
omdat want zodat waardoor wanneer wie wat hoe waarom hij zij ze haar hem zich hun wij we ik je
u dit deze daar hier meer zeer veel weinig nu later eerst nooit altijd omdat tegen zonder
kind kinderen leerling ouder ouders vader moeder gezin thuis school gesprek gevaar veilig
veiligheid onveilig vertrouwen melding melden signaal signalen zorg zorgen geweld dreigt
bedreigd bang angst risico vertelt verteld gezegd jong jonge leeftijd contact politie
""".split())


def reason(p: dict, field: str = "reason", *, min_len: int = MIN_REASON, min_words: int = 0) -> str:
    """A written reason: required, not just whitespace, at least ``min_len`` meaningful chars
    (and, with ``min_words``, that many real words: see ``missing_words``)."""
    value = p.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(_msg("Schrijf een reden op (veld '{field}').", field=field), field=field)
    if not isinstance(value, str):
        raise InputError(_msg("Het veld '{field}' moet tekst zijn.", field=field), field=field)
    clean(value, field, multiline=True)
    value = " ".join(value.split())
    if len(value) < min_len:
        raise InputError(
            _msg("De reden (veld '{field}') is te kort: schrijf minstens {n} tekens.", field=field, n=min_len),
            field=field)
    if min_words and (missing := missing_words(value, min_words)):
        raise InputError(
            _msg("Schrijf de reden (veld '{field}') in woorden: {missing}. Schrijf in minstens {n} "
                 "woorden waarom.", field=field, missing=missing, n=min_words), field=field)
    return value


def iso_date(p: dict, field: str, *, required: bool = True) -> str:
    value = p.get(field)
    if value is None or value == "":
        if required:
            raise _missing(field)
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise InputError(_msg("Het veld '{field}' moet een datum zijn (JJJJ-MM-DD).", field=field), field=field)
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(_msg("Het veld '{field}' is geen geldige datum (JJJJ-MM-DD).", field=field),
                         field=field) from None


def boolean(p: dict, field: str, *, required: bool = True, default: bool | None = False,
            nullable: bool = False) -> bool | None:
    value = p.get(field)
    if value is None:
        if nullable:
            return None
        if required:
            raise _missing(field)
        return default
    if not isinstance(value, bool):
        raise InputError(_msg("Het veld '{field}' moet ja of nee zijn.", field=field), field=field)
    return value


def choice(p: dict, field: str, options: tuple[str, ...], *, required: bool = True, default: str = "") -> str:
    value = p.get(field)
    if value is None or value == "":
        if required:
            raise _missing(field)
        return default
    if value not in options:
        raise InputError(
            _msg("Het veld '{field}' heeft een onbekende waarde; kies uit: {options}.",
              field=field, options=", ".join(options)), field=field)
    return value


def subset(p: dict, field: str, options: tuple[str, ...], *, required: bool = True) -> list[str]:
    value = p.get(field)
    if value is None:
        if required:
            raise _missing(field)
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or any(v not in options for v in value):
        raise InputError(
            _msg("Het veld '{field}' heeft een onbekende waarde; kies uit: {options}.",
              field=field, options=", ".join(options)), field=field)
    if required and not value:
        raise InputError(_msg("Kies minstens één waarde in '{field}'.", field=field), field=field)
    return [o for o in options if o in value]  # canonical order, no duplicates


def integer(p: dict, field: str, lo: int, hi: int) -> int:
    value = p.get(field)
    if value is None:
        raise _missing(field)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise InputError(_msg("Het veld '{field}' moet een getal zijn.", field=field), field=field)
    if not lo <= value <= hi:
        raise InputError(_msg("Het veld '{field}' moet tussen {lo} en {hi} liggen.", field=field, lo=lo, hi=hi),
                         field=field)
    return value


def _dict(p: dict, field: str, *, required: bool = True) -> dict | None:
    value = p.get(field)
    if value is None:
        if required:
            raise _missing(field)
        return None
    if not isinstance(value, dict):
        raise InputError(_msg("Het veld '{field}' heeft een onjuiste vorm.", field=field), field=field)
    return value


def _list_of_dicts(p: dict, field: str) -> list[dict]:
    value = p.get(field) or []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, dict) for v in value):
        raise InputError(_msg("Het veld '{field}' heeft een onjuiste vorm.", field=field), field=field)
    return list(value)


def _prefixed(prefix: str, fn: Callable[[], Any]) -> Any:
    """Run a field validator on a nested dict and report the field as ``prefix.field``."""
    try:
        return fn()
    except InputError as exc:
        full = f"{prefix}.{exc.field}" if exc.field else prefix
        raise InputError(_msg("Het veld '{field}' is niet in orde.", field=full) + " " + exc.message,
                         field=full) from None


# --------------------------------------------------------------------------- validators

def _case_opened(p: dict) -> dict:
    pupil = _dict(p, "pupil")
    pupil_out = _prefixed("pupil", lambda: {
        "name": text(pupil, "name"),
        "date_of_birth": iso_date(pupil, "date_of_birth"),
        "group": text(pupil, "group", required=False),
        "pupil_number": text(pupil, "pupil_number", required=False),
        # Optional (issue 24's melding needs them; the pupil register fills them): only kept
        # when given, so a case opened without them records what it always did.
        **{k: v for k, v in (("gender", text(pupil, "gender", required=False)),
                             ("address", text(pupil, "address", required=False))) if v},
    })
    # Additive: the pupil's address and gender, and each parent's address - Veilig Thuis's
    # meldformulier asks them in its part "betrokkenen" (older records have none).
    for key, read in (("address", lambda: text(pupil, "address", required=False)),
                      ("gender", lambda: choice(pupil, "gender", GENDERS, required=False))):
        if pupil.get(key) not in (None, ""):
            pupil_out[key] = _prefixed("pupil", read)
    parents = []
    for i, par in enumerate(_list_of_dicts(p, "parents")):
        parents.append(_prefixed(f"parents[{i}]", lambda par=par: {
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
        **({"register": _prefixed("register", lambda: _register_origin(p["register"]))}
           if p.get("register") else {}),
    }


def _register_origin(r: dict) -> dict:
    if not isinstance(r, dict):
        raise InputError(_msg("Het veld '{field}' heeft een onjuiste vorm.", field="register"),
                         field="register")
    edited = r.get("edited") or []
    if not isinstance(edited, list) or not all(isinstance(e, str) for e in edited):
        raise InputError(_msg("Het veld '{field}' heeft een onjuiste vorm.", field="edited"),
                         field="edited")
    return {"source": text(r, "source"), "loaded_at": text(r, "loaded_at"),
            "edited": [clean(e, "edited") for e in edited]}


def _case_viewed(p: dict) -> dict:
    return {"purpose": text(p, "purpose", required=False, default="bekijken") or "bekijken"}


def _signal_recorded(p: dict) -> dict:
    source = choice(p, "source", SOURCES)
    cat = _dict(p, "catalogue", required=False)
    catalogue = None
    if cat is not None:
        catalogue = _prefixed("catalogue", lambda: {
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
    # Additive (issue 11): the pupil's own disclosure. A child's own account of acute danger
    # counts as acute unsafety (afwegingskader onderwijs 2019, toelichting bij vraag 2).
    if p.get("disclosure") is not None:
        out["disclosure"] = bool(boolean(p, "disclosure"))
    # Additive: the signal (often the child's own account) is of sexual abuse, honour-related
    # violence or female genital mutilation, also without a catalogue signal.
    if p.get("conversation_danger") is not None:
        out["conversation_danger"] = bool(boolean(p, "conversation_danger"))
    return out


def _consultation_recorded(p: dict) -> dict:
    kind = choice(p, "kind", CONSULTATION_KINDS)
    return {
        "kind": kind,
        "with_whom": text(p, "with_whom"),
        "on": iso_date(p, "on"),
        "anonymous": bool(boolean(p, "anonymous", required=False, default=False)),
        "question": text(p, "question"),
        "advice": text(p, "advice", required=False),
    }


def _care_team_set(p: dict) -> dict:
    members = []
    raw = _list_of_dicts(p, "members")
    if not raw:
        raise InputError(_("Kies minstens één lid van het zorgteam."), field="members")
    for i, m in enumerate(raw):
        members.append(_prefixed(f"members[{i}]", lambda m=m: {
            "role": choice(m, "role", _care_team_policy().accepted()),
            "name": text(m, "name"),
            "user": text(m, "user", required=False),
        }))
    return {"members": members}


def _care_team_policy():
    from .care_team import policy

    return policy()


def _decision_maker_roles() -> tuple[str, ...]:
    """Who may be named as having taken a step-5 decision: the zorgteam's roles and the
    coordinator's (aandachtsfunctionaris, coördinator, zorgcoördinator)."""
    from .care_team import COORDINATOR_ROLES

    return tuple(dict.fromkeys((*COORDINATOR_ROLES, *_care_team_policy().accepted())))


def _conversation_recorded(p: dict) -> dict:
    return {
        "on": iso_date(p, "on"),
        "participants": subset(p, "participants", PARTICIPANTS),
        "purpose_explained": boolean(p, "purpose_explained"),
        "facts_presented": boolean(p, "facts_presented"),
        "reaction_invited": boolean(p, "reaction_invited"),
        "interpretation_after_reaction": boolean(p, "interpretation_after_reaction"),
        "parents_informed_beforehand": boolean(p, "parents_informed_beforehand", nullable=True),
        "summary": text(p, "summary"),
        "outcome": text(p, "outcome", required=False),
        "concern_removed": bool(boolean(p, "concern_removed", required=False, default=False)),
        # Additive (issue 11): the protocol's fourth element is "pas na deze reactie *zo nodig*
        # een interpretatie" (Basismodel, stap 3): no interpretation, with a word why, counts too.
        **({"interpretation_not_needed": text(p, "interpretation_not_needed")}
           if (p.get("interpretation_not_needed") or "").strip() else {}),
    }


def _exception_recorded(p: dict) -> dict:
    out = {
        "exception": choice(p, "exception", EXCEPTIONS),
        "ground": choice(p, "ground", GROUNDS),
        "reason": reason(p, min_len=MIN_EXCEPTION_REASON, min_words=MIN_REASON_WORDS),
    }
    # Additive: not telling the family who reported is decided with Veilig Thuis - who there
    # agreed, and when (older records have neither; the rules require them for new ones).
    if p.get("vt_agreed_by") not in (None, ""):
        out["vt_agreed_by"] = text(p, "vt_agreed_by")
    if p.get("vt_agreed_on") not in (None, ""):
        out["vt_agreed_on"] = iso_date(p, "vt_agreed_on")
    return out


def _step_completed(p: dict) -> dict:
    return {"step": integer(p, "step", 1, 5), "summary": text(p, "summary", required=False)}


def _weighing_answered(p: dict) -> dict:
    return {
        "question": integer(p, "question", 1, 5),
        "answer": choice(p, "answer", ANSWERS),
        "reason": reason(p),
        "with_veilig_thuis": bool(boolean(p, "with_veilig_thuis", required=False, default=False)),
    }


def _decision_recorded(p: dict) -> dict:
    out = {
        "report_needed": boolean(p, "report_needed"),
        "help_possible": boolean(p, "help_possible"),
        "reason": reason(p),
    }
    # Additive (issue 11): who decided, names and roles (Basismodel stap 5: "de beroepskracht
    # met het zorgteam die ... verantwoordelijk zijn voor de beslissing").
    if p.get("decided_by") not in (None, []):
        makers = []
        for i, m in enumerate(_list_of_dicts(p, "decided_by")):
            makers.append(_prefixed(f"decided_by[{i}]", lambda m=m: {
                "name": text(m, "name"),
                "role": choice(m, "role", _decision_maker_roles()),
            }))
        out["decided_by"] = makers
    return out


def _help_planned(p: dict) -> dict:
    out = {
        "description": text(p, "description"),
        "agreements": text(p, "agreements"),
        "roles": text(p, "roles"),
        "case_manager": text(p, "case_manager"),
        "review_on": iso_date(p, "review_on"),
        "results_expected": text(p, "results_expected"),
    }
    # Additive (issue 11): help that already started (``starts_on`` in the past) and its goals,
    # each reviewed on its own (afwegingskader Q4: "een termijn waarbinnen het effect zichtbaar
    # moet zijn", Q5: "bereikt de hulp de afgesproken resultaten").
    if p.get("starts_on") not in (None, ""):
        out["starts_on"] = iso_date(p, "starts_on")
    if p.get("goals") not in (None, []):
        out["goals"] = _goals(p)
    return out


def _goals(p: dict) -> list[str]:
    value = p.get("goals")
    if not isinstance(value, (list, tuple)) or not all(isinstance(g, str) for g in value):
        raise InputError(_msg("Het veld '{field}' moet een lijst van doelen zijn.", field="goals"),
                         field="goals")
    goals = [clean(g, f"goals[{i}]").strip() for i, g in enumerate(value)]
    if not all(goals):
        raise InputError(_msg("Een doel in '{field}' is leeg.", field="goals"), field="goals")
    return goals


def _help_reviewed(p: dict) -> dict:
    out = {
        "on": iso_date(p, "on"),
        "results_reached": boolean(p, "results_reached"),
        "violence_continues": boolean(p, "violence_continues"),
        "notes": text(p, "notes"),
        "next_review_on": iso_date(p, "next_review_on", required=False),
    }
    if p.get("goal_results") not in (None, []):          # additive (issue 11): per goal
        results = []
        for i, r in enumerate(_list_of_dicts(p, "goal_results")):
            results.append(_prefixed(f"goal_results[{i}]", lambda r=r: {
                "goal": integer(r, "goal", 1, 100),
                "reached": boolean(r, "reached"),
                "note": text(r, "note", required=False),
            }))
        out["goal_results"] = results
    return out


def _pre_report_contact_recorded(p: dict) -> dict:
    return {
        "on": iso_date(p, "on"),
        "with": subset(p, "with", PARTICIPANTS),
        "explained": text(p, "explained"),
        "reaction": text(p, "reaction"),
        "objections": text(p, "objections", required=False),
        "weighing": text(p, "weighing", required=False),
    }


def _report_made(p: dict) -> dict:
    return {
        "on": iso_date(p, "on"),
        "office": text(p, "office"),
        "reference": text(p, "reference", required=False),
        "summary": text(p, "summary"),
        "reporter_disclosed_to_family": boolean(p, "reporter_disclosed_to_family"),
    }


def _acute_report(p: dict) -> dict:
    """Acute danger reported at once (by phone to Veilig Thuis, 112 or the police)."""
    return {
        "on": iso_date(p, "on"),
        "reported_to": subset(p, "reported_to", ACUTE_REPORTED_TO),
        "by_whom": text(p, "by_whom"),
        "agreed": text(p, "agreed"),
        "child_safety": text(p, "child_safety"),
        "reference": text(p, "reference", required=False),
    }


def _vt_feedback_recorded(p: dict) -> dict:
    # ``stage`` is additive (issue 11): older records without it are the first feedback.
    out = {"on": iso_date(p, "on"), "outcome": text(p, "outcome"), "notes": text(p, "notes", required=False),
           "stage": choice(p, "stage", VT_FEEDBACK_STAGES, required=False, default="first")}
    # Additive: Veilig Thuis's feedback structured - what it decided, the organisation that takes
    # over, the contact person, and what it asks of the school (older records have none of these).
    if p.get("decision") not in (None, ""):
        out["decision"] = choice(p, "decision", VT_DECISIONS)
        out["taken_over_by"] = text(p, "taken_over_by", required=out["decision"] in VT_HANDOVER)
        out["contact_person"] = text(p, "contact_person", required=False)
        out["asks_of_school"] = text(p, "asks_of_school", required=False)
    return out


def _school_evaluation_recorded(p: dict) -> dict:
    """The school's own evaluation after a report: do concerns remain (then report again), and
    how the school keeps following the child ("blijven volgen")."""
    return {"on": iso_date(p, "on"),
            "concerns_remain": boolean(p, "concerns_remain"),
            "summary": text(p, "summary"),
            "agreements": text(p, "agreements", required=False)}


def _staff_route_recorded(p: dict) -> dict:
    return {"on": iso_date(p, "on"), "record_type": choice(p, "record_type", STAFF_RECORD_TYPES),
            "with_whom": text(p, "with_whom", required=False), "summary": text(p, "summary")}


def _follow_up_agreed(p: dict) -> dict:
    return {"description": text(p, "description"), "due_on": iso_date(p, "due_on"), "who": text(p, "who")}


def _follow_up_done(p: dict) -> dict:
    return {"target_seq": integer(p, "target_seq", 1, 2**62), "on": iso_date(p, "on"),
            "notes": text(p, "notes", required=False)}


def _staff_suspicion_routed(p: dict) -> dict:
    return {"on": iso_date(p, "on"), "routed_to": subset(p, "routed_to", ROUTED_TO), "reason": reason(p)}


def _record_corrected(p: dict) -> dict:
    changes = _dict(p, "changes")
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
    if grounds == "moved_away" or p.get("new_school"):   # additive (issue 11)
        out["new_school"] = text(p, "new_school", required=grounds == "moved_away")
    return out


def _case_reopened(p: dict) -> dict:
    return {"reason": reason(p)}


_HASH = re.compile(r"^[0-9a-f]{64}$")


# The ground for passing the whole journal on (the ``toml`` transfer): the overstapdossier
# passes on only what the next school needs; the whole file goes only where the AVG's purpose
# limitation still holds - within the same board or school - or where a law demands it.
TRANSFER_BASES = ("same_board", "same_school", "legal_obligation")


def transfer_basis(p: dict) -> dict:
    """``basis`` (one of TRANSFER_BASES) and ``basis_reason`` (a written reason, in words), or
    ``{}`` when neither is given: other formats and older exports carry none; the export use
    case refuses a whole-journal transfer without it."""
    if p.get("basis") in (None, "") and p.get("basis_reason") in (None, ""):
        return {}
    return {"basis": choice(p, "basis", TRANSFER_BASES),
            "basis_reason": reason(p, "basis_reason", min_words=MIN_REASON_WORDS)}


def _case_exported(p: dict) -> dict:
    """``case_head``/``case_events``: the case's own chain as it stood when exported (hash of
    its last event before this one, and how many there were). This event is in the school's
    journal chain, so its hash binds the whole exported case to the sending school's record
    (see ``exports/importer.py``). Older exports have neither. A whole-journal transfer
    records its basis (``transfer_basis``)."""
    out = {"format": text(p, "format"), "title": text(p, "title", required=False),
           "journal_ref": text(p, "journal_ref", required=False), **transfer_basis(p)}
    head = p.get("case_head")
    if head is not None:
        if not isinstance(head, str) or not _HASH.match(head):
            raise InputError(_("Ongeldige kop van de casusketen."), field="case_head")
        count = p.get("case_events")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise InputError(_("Ongeldig aantal journaalregels van de casus."), field="case_events")
        out["case_head"], out["case_events"] = head, count
    return out


def _case_imported(p: dict) -> dict:
    origin = _dict(p, "origin")
    clean_tree(origin, "origin")
    return {"origin": dict(origin)}


# -- attachments (domain/attachments.py says what may be attached) -------------------------

def _attachment_added(p: dict) -> dict:
    """The file itself lives in the store's ``attachments`` table, bound to this event by its
    sha256 (which is in this payload, so in the journal's hash chain). ``case`` (the case id)
    keeps the payload -- and so its bytes -- from being shared with another case's identical
    attachment: payloads are stored by hash, and retention erases one case's alone."""
    from .attachments import MEDIA_TYPES

    name = text(p, "filename", required=False)
    if name and ("/" in name or "\\" in name or name.startswith(".")):
        raise InputError(_("Een bestandsnaam zonder map en zonder punt vooraan, graag."), field="filename")
    sha = p.get("sha256")
    if not isinstance(sha, str) or not _HASH.match(sha):
        raise InputError(_("Ongeldige sha256 van de bijlage."), field="sha256")
    case = text(p, "case", required=False)
    return {"case": case, "title": text(p, "title", min_len=3), "filename": name,
            "media_type": choice(p, "media_type", tuple(MEDIA_TYPES)),
            "size": integer(p, "size", 1, 1 << 31), "sha256": sha}


def _attachment_fetched(p: dict) -> dict:
    return {"target_seq": integer(p, "target_seq", 1, 1 << 62),
            "how": choice(p, "how", ("cli", "ssh"), required=False, default="cli") or "cli"}


# -- the family and the network around the pupil (issue 12) ---------------------------------
# Veilig Thuis's meldformulier asks for "alle persoonsgegevens van betrokkene en verwanten" and
# the professionals already involved. One person per record: an addition is its own event, a
# change is a correction (``record_corrected``), someone leaving is ``household_member_left``.

HOUSEHOLD_RELATIONS = ("parent", "carer", "sibling", "other")
GEZAG = ("yes", "no", "unknown")
CASE_LINKS = ("sibling", "household")


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
    if not re.fullmatch(r"MC-[0-9]{4,9}", other):
        raise InputError(_("Een casusnummer zoals MC-0007, graag."), field="other_case")
    return {"other_case": other, "relation": choice(p, "relation", CASE_LINKS)}


def _reference_recorded(p: dict) -> dict:
    """'Geldt dit ook voor …?': a record of a linked case applies here too. A reference, not a
    copy: the text stays in the source case (which may be erased or corrected on its own)."""
    source = text(p, "source_case")
    if not re.fullmatch(r"MC-[0-9]{4,9}", source):
        raise InputError(_("Een casusnummer zoals MC-0007, graag."), field="source_case")
    return {"source_case": source, "source_seq": integer(p, "source_seq", 1, 1 << 62),
            "source_kind": text(p, "source_kind"), "note": text(p, "note", multiline=True)}


def _body_mark_recorded(p: dict) -> dict:
    """One mark on the body map (domain/body_map.py), belonging to signal #``signal_seq``."""
    from .body_map import BY_ID, MARK_KINDS

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


def _source_withheld(p: dict) -> dict:
    """The coordinator leaves a colleague's or source's identity out of the melding (Veilig Thuis
    may show the melding to the parents and to children from 12); always with a reason."""
    return {"name": text(p, "name"), "reason": reason(p)}


@dataclass(frozen=True)
class KindSpec:
    kind: str
    validate: Callable[[dict], dict]
    correctable: bool = True        # may be the target of record_corrected
    locked_fields: tuple[str, ...] = ()   # fields a correction may not change
    text_fields: tuple[str, ...] = ()     # free text for the full-text index

    @property
    def title(self) -> str:
        """The record's name (Dutch, N_; translate at use), from domain/vocabulary.py."""
        return KIND_WORDS[self.kind].title


KINDS: dict[str, KindSpec] = {s.kind: s for s in (
    KindSpec("case_opened", _case_opened, locked_fields=("staff_suspicion",),
             text_fields=("note",)),
    KindSpec("case_viewed", _case_viewed, correctable=False),
    KindSpec("signal_recorded", _signal_recorded,
             text_fields=("description", "source_name")),
    KindSpec("consultation_recorded", _consultation_recorded,
             text_fields=("question", "advice")),
    KindSpec("care_team_set", _care_team_set),
    KindSpec("conversation_recorded", _conversation_recorded,
             text_fields=("summary", "outcome")),
    KindSpec("exception_recorded", _exception_recorded,
             locked_fields=("exception",), text_fields=("reason",)),
    KindSpec("step_completed", _step_completed, locked_fields=("step",),
             text_fields=("summary",)),
    KindSpec("weighing_answered", _weighing_answered,
             locked_fields=("question",), text_fields=("reason",)),
    KindSpec("decision_recorded", _decision_recorded, text_fields=("reason",)),
    KindSpec("help_planned", _help_planned,
             text_fields=("description", "agreements", "roles", "results_expected")),
    KindSpec("help_reviewed", _help_reviewed, text_fields=("notes",)),
    KindSpec("pre_report_contact_recorded", _pre_report_contact_recorded,
             text_fields=("explained", "reaction", "objections", "weighing")),
    KindSpec("report_made", _report_made, text_fields=("summary",)),
    KindSpec("acute_report", _acute_report,
             text_fields=("by_whom", "agreed", "child_safety")),
    KindSpec("vt_feedback_recorded", _vt_feedback_recorded,
             text_fields=("outcome", "notes", "taken_over_by", "contact_person", "asks_of_school")),
    KindSpec("school_evaluation_recorded", _school_evaluation_recorded,
             text_fields=("summary", "agreements")),
    KindSpec("staff_route_recorded", _staff_route_recorded,
             text_fields=("summary", "with_whom")),
    KindSpec("follow_up_agreed", _follow_up_agreed,
             text_fields=("description",)),
    KindSpec("follow_up_done", _follow_up_done,
             locked_fields=("target_seq",), text_fields=("notes",)),
    KindSpec("staff_suspicion_routed", _staff_suspicion_routed,
             text_fields=("reason",)),
    KindSpec("record_corrected", _record_corrected, correctable=False,
             text_fields=("reason",)),
    KindSpec("case_closed", _case_closed, text_fields=("reason", "monitoring_agreements")),
    KindSpec("case_reopened", _case_reopened, text_fields=("reason",)),
    KindSpec("case_exported", _case_exported, correctable=False),
    KindSpec("case_imported", _case_imported, correctable=False),
    KindSpec("household_member_added", _household_member_added,
             text_fields=("name", "relation_detail", "address")),
    KindSpec("household_member_left", _household_member_left,
             locked_fields=("target_seq",), text_fields=("reason",)),
    KindSpec("professional_added", _professional_added,
             text_fields=("name", "organisation", "role")),
    KindSpec("professional_ended", _professional_ended,
             locked_fields=("target_seq",), text_fields=("reason",)),
    KindSpec("case_linked", _case_linked, correctable=False),
    KindSpec("source_withheld", _source_withheld,
             locked_fields=("name",), text_fields=("reason",)),
    KindSpec("body_mark_recorded", _body_mark_recorded,
             locked_fields=("signal_seq",), text_fields=("size", "colour", "observed_by", "note")),
    KindSpec("reference_recorded", _reference_recorded,
             locked_fields=("source_case", "source_seq", "source_kind"), text_fields=("note",)),
    KindSpec("attachment_added", _attachment_added,
             locked_fields=("media_type", "size", "sha256"), text_fields=("title",)),
    KindSpec("attachment_fetched", _attachment_fetched, correctable=False),
)}

# Kinds that are access/audit entries rather than records of the case itself.
AUDIT_KINDS = frozenset({"case_viewed", "case_exported", "attachment_fetched"})


# --------------------------------------------------------------------------- data protection
# Issue 15 (AVG): the pupil's leaving date (retention counts from it), the record of an erasure,
# an access request (inzage) decision and the parents' own view (zienswijze). One block.
INZAGE_REQUESTERS = ("parent_with_authority", "pupil_16_plus")
INZAGE_OUTCOMES = ("granted", "partly_granted", "refused")
ERASURE_POLICIES = ("retention", "request")
MULTILINE_FIELDS = MULTILINE_FIELDS | {"why", "zienswijze"}
FIELD_LABELS.update({
    "case": N_("casus"), "filename": N_("bestandsnaam"), "media_type": N_("soort bestand"),
    "sha256": N_("controlewaarde (sha256)"), "other_case": N_("andere casus"),
    "source_case": N_("casus van herkomst"), "source_seq": N_("record van herkomst"),
    "source_kind": N_("soort record van herkomst"), "target_seq": N_("bij record #"),
    "how": N_("hoe"), "case_head": N_("kop van de casus"), "case_events": N_("aantal records"),
    "relation": N_("relatie"), "gezag": N_("gezag"), "relation_detail": N_("relatie (omschrijving)"),
    "address": N_("adres"), "phone": N_("telefoon"), "language": N_("taal"),
    "interpreter_needed": N_("tolk nodig"), "lives_with_pupil": N_("woont bij de leerling"),
    "organisation": N_("organisatie"), "role": N_("rol"), "contact": N_("contactgegevens"),
    "since": N_("sinds"), "signal_seq": N_("bij signaal #"), "region": N_("plek op het lichaam"),
    "colour": N_("kleur"), "size": N_("grootte"),
    "policy": N_("grondslag van het wissen"), "rule": N_("regel"), "requested_by": N_("gevraagd door"),
    "payloads": N_("gewiste inhouden"), "requester": N_("aanvrager"),
    "requester_name": N_("naam aanvrager"), "legal_basis": N_("wettelijke grondslag"),
    "approved_by": N_("goedgekeurd door"), "withheld": N_("niet verstrekt"),
    "keep_identities": N_("namen die blijven staan"), "what": N_("wat"), "why": N_("waarom"),
    "zienswijze": N_("zienswijze"), "decided_on": N_("besloten op"),
})


def _pupil_left(p: dict) -> dict:
    return {"on": iso_date(p, "on"), "note": text(p, "note", required=False)}


def _case_erased(p: dict) -> dict:
    return {"policy": choice(p, "policy", ERASURE_POLICIES), "rule": text(p, "rule"),
            "reason": reason(p), "requested_by": text(p, "requested_by", required=False),
            "payloads": integer(p, "payloads", 0, 2**62)}


def _why_list(p: dict, field: str, key: str) -> list[dict]:
    out = []
    for i, item in enumerate(_list_of_dicts(p, field)):
        out.append(_prefixed(f"{field}[{i}]", lambda item=item: {
            key: text(item, key), "why": reason(item, "why")}))
    return out


def _inzage_decided(p: dict) -> dict:
    return {
        "requester": choice(p, "requester", INZAGE_REQUESTERS),
        "requester_name": text(p, "requester_name"),
        "legal_basis": text(p, "legal_basis", min_len=5),
        "approved_by": text(p, "approved_by"),
        "decided_on": iso_date(p, "decided_on"),
        "outcome": choice(p, "outcome", INZAGE_OUTCOMES),
        "withheld": _why_list(p, "withheld", "what"),
        "keep_identities": _why_list(p, "keep_identities", "name"),
        "reason": reason(p),
    }


def _zienswijze_recorded(p: dict) -> dict:
    return {"on": iso_date(p, "on"), "by": text(p, "by"),
            "zienswijze": text(p, "zienswijze", multiline=True, min_len=5)}


KINDS.update({s.kind: s for s in (
    KindSpec("pupil_left", _pupil_left,
             text_fields=("note",)),
    KindSpec("case_erased", _case_erased, correctable=False),
    KindSpec("inzage_decided", _inzage_decided,
             text_fields=("reason",)),
    KindSpec("zienswijze_recorded", _zienswijze_recorded,
             locked_fields=("by",), text_fields=("zienswijze",)),
)})
# Kinds a closed case still takes (retention and AVG rights go on after the case is closed).
AFTER_CLOSE_KINDS = frozenset({"pupil_left", "inzage_decided", "zienswijze_recorded"})


def validate(kind: str, payload: dict | None) -> dict:
    """Validate and normalise ``payload`` for ``kind``. Raises :class:`InputError`."""
    spec = KINDS.get(kind)
    if spec is None:
        raise InputError(_("Onbekende soort gebeurtenis: {kind}.", kind=kind), field="kind")
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise InputError(_("De gegevens hebben een onjuiste vorm."), field="payload")
    return spec.validate(payload)


def text_of(kind: str, payload: dict) -> str:
    """The free text people wrote in this payload (for the full-text index)."""
    spec = KINDS.get(kind)
    if spec is None or not payload:
        return ""
    parts = [str(payload.get(f) or "") for f in spec.text_fields]
    if kind == "signal_recorded" and payload.get("catalogue"):
        parts.append(str(payload["catalogue"].get("text") or ""))
    return "\n".join(p for p in parts if p.strip())


# --- issue 10: the school's people (admin events and refused access attempts) ---------------
from . import people as _people  # noqa: E402

KINDS.update({s.kind: s for s in (
    KindSpec("user_added", _people.user_added, correctable=False),
    KindSpec("user_disabled", _people.user_disabled, correctable=False),
    KindSpec("user_enabled", _people.user_enabled, correctable=False),
    KindSpec("user_role_set", _people.user_role_set, correctable=False),
    KindSpec("user_key_added", _people.user_key_added, correctable=False),
    KindSpec("user_key_removed", _people.user_key_removed, correctable=False),
    KindSpec("keys_written", _people.keys_written, correctable=False),
    KindSpec("access_refused", _people.access_refused, correctable=False),
    KindSpec("concern_logged", _people.concern_logged,
             correctable=False),
    KindSpec("concern_taken", _people.concern_taken, correctable=False),
    KindSpec("concern_answered", _people.concern_answered,
             correctable=False),
)})
# --- notifications: what was sent to whom (no content), and a user's channel set ------------
from . import notify as _notify  # noqa: E402

KINDS.update({s.kind: s for s in (
    KindSpec("notification_sent", _notify.notification_sent, correctable=False),
    KindSpec("user_notify_set", _notify.user_notify_set, correctable=False),
)})
ADMIN_KINDS = frozenset({"user_added", "user_disabled", "user_enabled", "user_role_set",
                         "user_key_added", "user_key_removed", "keys_written", "user_notify_set"})


# --- the pupil register: the load's notice that a pupil with a case left the administration ---
REGISTER_NOTICE_REASONS = ("gone", "leaving_date")
FIELD_LABELS.update({"proposed_on": N_("voorgestelde vertrekdatum"), "register": N_("leerlingadministratie"),
                     "loaded_at": N_("ingelezen op"), "edited": N_("aangepast")})
for _key, _word in (("source", N_("bron")), ("gender", N_("geslacht")), ("address", N_("adres"))):
    FIELD_LABELS.setdefault(_key, _word)


def _pupil_gone_from_register(p: dict) -> dict:
    return {"proposed_on": iso_date(p, "proposed_on"),
            "reason": choice(p, "reason", REGISTER_NOTICE_REASONS),
            "source": text(p, "source", required=False)}


KINDS["pupil_gone_from_register"] = KindSpec("pupil_gone_from_register", _pupil_gone_from_register,
                                             correctable=False)
AFTER_CLOSE_KINDS = AFTER_CLOSE_KINDS | {"pupil_gone_from_register"}


# --- the overstapdossier: only the selected records, each with its basis, to the next school ---
FIELD_LABELS.update({"selection": N_("selectie"), "basis": N_("grondslag"),
                     "basis_reason": N_("toelichting op de grondslag"),
                     "parents_informed_on": N_("ouders geïnformeerd op"),
                     "parents_informed_how": N_("hoe de ouders zijn geïnformeerd"),
                     "exception_reason": N_("reden om de ouders niet te informeren"),
                     "receiving_school": N_("ontvangende school"), "file_sha256": N_("controlewaarde"),
                     "code": N_("ontvangstcode"), "origin_school": N_("verzendende school"),
                     "source_case_id": N_("casus bij de verzendende school"),
                     "records": N_("overgedragen vastleggingen")})
MULTILINE_FIELDS = MULTILINE_FIELDS | {"exception_reason"}


def _parents_informed(p: dict) -> dict:
    """The parents were informed of what passes to the next school, or the exception why not
    (e.g. it would endanger the child): one of the two, never neither."""
    on = iso_date(p, "parents_informed_on", required=False)
    how = text(p, "parents_informed_how", required=False)
    exception = text(p, "exception_reason", required=False)
    if not on and not exception:
        raise InputError(_("Leg vast wanneer de ouders zijn geïnformeerd, of de uitzondering met "
                           "de reden."), field="parents_informed_on")
    if exception:
        reason({"exception_reason": exception}, "exception_reason")
    return {"parents_informed_on": on, "parents_informed_how": how, "exception_reason": exception}


def _overstap_exported(p: dict) -> dict:
    selection = []
    for i, item in enumerate(_list_of_dicts(p, "selection")):
        selection.append(_prefixed(f"selection[{i}]", lambda item=item: {
            "seq": integer(item, "seq", 1, 1 << 62), "kind": text(item, "kind"),
            "basis": text(item, "basis", min_len=5)}))
    if not selection:
        raise _missing("selection")
    file_sha = text(p, "file_sha256", required=False)
    if file_sha and not re.fullmatch(r"[0-9a-f]{64}", file_sha):
        raise InputError(_msg("Het veld '{field}' heeft een onjuiste vorm.", field="file_sha256"),
                         field="file_sha256")
    return {"selection": selection, **_parents_informed(p),
            "receiving_school": text(p, "receiving_school", required=False),
            "file_sha256": file_sha}


def _overstap_receipt(p: dict) -> dict:
    code = text(p, "code")
    if not re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", code):
        raise InputError(_msg("Het veld '{field}' heeft een onjuiste vorm.", field="code"), field="code")
    return {"code": code}


def _overstap_received(p: dict) -> dict:
    records = _list_of_dicts(p, "records")
    for i, rec in enumerate(records):
        _prefixed(f"records[{i}]", lambda rec=rec: (text(rec, "kind"), text(rec, "basis", min_len=5),
                                                   text(rec, "at")))
        clean_tree(rec, f"records[{i}]")
    return {"origin_school": text(p, "origin_school", required=False),
            "source_case_id": text(p, "source_case_id", required=False),
            "receipt_code": _overstap_receipt({"code": p.get("receipt_code")})["code"],
            **_parents_informed(p), "records": records}


KINDS.update({s.kind: s for s in (
    KindSpec("overstap_exported", _overstap_exported, correctable=False),
    KindSpec("overstap_receipt", _overstap_receipt, correctable=False),
    KindSpec("overstap_received", _overstap_received, correctable=False),
)})
AFTER_CLOSE_KINDS = AFTER_CLOSE_KINDS | {"overstap_exported", "overstap_receipt"}


# --- the anonymous figures (domain/figures.py): who looked at them is journalled like any
# access, on the pseudo case id 'toegang' (no content: the period and how they were shown).
FIGURE_SCOPES = ("school", "board")
FIGURE_OUTPUTS = ("text", "json", "csv", "screen", "report")


def _figures_viewed(p: dict) -> dict:
    period = text(p, "period")
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}\.\.[0-9]{4}-[0-9]{2}", period):
        raise InputError(_("Een periode zoals 2025-08..2026-07, graag."), field="period")
    return {"scope": choice(p, "scope", FIGURE_SCOPES), "period": period,
            "output": choice(p, "output", FIGURE_OUTPUTS),
            "schools": integer(p, "schools", 1, 10_000) if p.get("schools") is not None else 1}


KINDS.update({s.kind: s for s in (
    KindSpec("figures_viewed", _figures_viewed, correctable=False),
)})


# --- the yearly Meldcode evaluation and the staff training register (domain/evaluation.py):
# school records, not case records, on pseudo case ids ('scholing', 'JE-2025' for the school
# year 2025-2026), journalled and hash-chained like everything else.
MULTILINE_FIELDS = MULTILINE_FIELDS | {"went_well", "to_improve", "agreements_vt",
                                       "agreements_wijkteam"}
FIELD_LABELS.update({
    "course": N_("cursus"), "provider": N_("aanbieder"), "school_year": N_("schooljaar"),
    "went_well": N_("wat ging goed"), "to_improve": N_("wat kan beter"),
    "hours_per_week": N_("uren aandachtsfunctionaris per week"),
    "agreements_vt": N_("afspraken met Veilig Thuis"),
    "agreements_wijkteam": N_("afspraken met het wijkteam"), "figures": N_("cijfers"),
})


def _training_recorded(p: dict) -> dict:
    return {"name": text(p, "name"), "course": text(p, "course"), "on": iso_date(p, "on"),
            "provider": text(p, "provider", required=False)}


def _meldcode_evaluation_recorded(p: dict) -> dict:
    year = text(p, "school_year")
    if not re.fullmatch(r"(20[0-9]{2})-(20[0-9]{2})", year) or int(year[5:]) != int(year[:4]) + 1:
        raise InputError(_("Een schooljaar zoals 2025-2026, graag."), field="school_year")
    figures = p.get("figures") or {}
    if not isinstance(figures, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in figures.items()):
        raise InputError(_("De cijfers hebben een onjuiste vorm."), field="figures")
    clean_tree(figures, "figures")
    return {"school_year": year,
            "went_well": text(p, "went_well"), "to_improve": text(p, "to_improve"),
            "hours_per_week": integer(p, "hours_per_week", 0, 40),
            "agreements_vt": text(p, "agreements_vt", required=False),
            "agreements_wijkteam": text(p, "agreements_wijkteam", required=False),
            "figures": dict(figures)}


KINDS.update({s.kind: s for s in (
    KindSpec("training_recorded", _training_recorded, correctable=False),
    KindSpec("meldcode_evaluation_recorded", _meldcode_evaluation_recorded, correctable=False),
)})
