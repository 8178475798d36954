"""Payload checks: the field checkers every kind's validator is built from, and the registry of kinds.

``validate(kind, payload)`` returns a normalised copy of the payload (strings stripped, optional
fields filled with their defaults) or raises :class:`InputError` naming the field. Validators check
*shape* only (types, dates, choices, required text); whether the protocol allows the event now is
the job of :mod:`meldcode_tui.domain.rules`.

Each area of the protocol writes its kinds in ``domain/kinds/<area>.py`` and registers them here
with :func:`register`; ``domain/events.py`` is the one import that loads them all. The Dutch words
(field names, code words, titles) live in :mod:`meldcode_tui.domain.vocabulary`.

Dates are ISO ``YYYY-MM-DD`` strings; timestamps ISO 8601 UTC with ``Z``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from ..errors import InputError
from ..i18n import _
from ..text_safety import LONG_MAX, SHORT_MAX, check_text, invisible_only
from .vocabulary import KIND_WORDS, field_name

# Minimum length of a written reason for an exception ("uitzondering"): enough to say *why*.
MIN_EXCEPTION_REASON = 20
# Minimum length of other reasons (closing, reopening, correcting, weighing, deciding).
MIN_REASON = 10
# A reason is words, not just characters: see ``missing_words``.
MIN_REASON_WORDS = 3

# A sha256 in hex, as the journal and the attachment store write it.
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A role code (a care-team role, a decision maker's role): its form only. Which roles a school
# accepts is its configuration's to say, and so a rule's to check (domain/care_team.py), not the
# payload's: an older record keeps validating when the school's roles change.
ROLE_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


# --------------------------------------------------------------------------- messages

def field_message(text: str, /, *, field: str, **values) -> str:
    """A message about ``field``, naming it in Dutch (``InputError.field`` keeps the key)."""
    return _(text, field=field_name(field), **values)


def missing(field: str) -> InputError:
    return InputError(field_message("Het veld '{field}' ontbreekt.", field=field), field=field)


def bad_form(field: str) -> InputError:
    return InputError(field_message("Het veld '{field}' heeft een onjuiste vorm.", field=field), field=field)


# --------------------------------------------------------------------------- free text

# Free-text fields (several lines, up to LONG_MAX characters). Every other text field is a short,
# single-line field (names, places, ids: at most SHORT_MAX characters). A kind with a free-text
# field of its own name registers it with ``multiline_fields()`` (or passes ``multiline=True`` to
# ``text()``), so the forms and ``case kinds`` offer it as several lines too.
MULTILINE_FIELDS: set[str] = {
    "description", "note", "notes", "summary", "outcome", "question", "advice", "agreements",
    "roles", "results_expected", "explained", "reaction", "objections", "weighing",
    "monitoring_agreements", "reason",
}


def multiline_fields(*fields: str) -> None:
    """Register free-text field names (several lines, up to LONG_MAX characters)."""
    MULTILINE_FIELDS.update(fields)


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
            raise missing(field)
        return default
    if not isinstance(value, str):
        raise InputError(field_message("Het veld '{field}' moet tekst zijn.", field=field), field=field)
    clean(value, field, multiline=multiline, max_len=max_len)
    value = value.strip()
    if required and not value:
        raise InputError(field_message("Het veld '{field}' mag niet leeg zijn.", field=field), field=field)
    if invisible_only(value):
        raise InputError(field_message("Het veld '{field}' bevat alleen onzichtbare tekens of losse "
                                       "accenten.", field=field), field=field)
    if value and len(value) < min_len:
        raise InputError(
            field_message("Het veld '{field}' is te kort: schrijf minstens {n} tekens.", field=field,
                          n=min_len),
            field=field)
    return value


# --------------------------------------------------------------------------- reasons

def missing_words(value: str, min_words: int = MIN_REASON_WORDS) -> str | None:
    """What keeps ``value`` from reading as a written reason, in Dutch, or None. A reason is
    words: at least ``min_words`` words of two or more letters, and not one character repeated
    ('xxxxxxxxxxxxxxxxxxxx', 'aa bb cc'): a minimum length alone let twenty x's pass for a reason."""
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
        raise InputError(field_message("Schrijf een reden op (veld '{field}').", field=field), field=field)
    if not isinstance(value, str):
        raise InputError(field_message("Het veld '{field}' moet tekst zijn.", field=field), field=field)
    clean(value, field, multiline=True)
    value = " ".join(value.split())
    if len(value) < min_len:
        raise InputError(
            field_message("De reden (veld '{field}') is te kort: schrijf minstens {n} tekens.",
                          field=field, n=min_len),
            field=field)
    if min_words and (gap := missing_words(value, min_words)):
        raise InputError(
            field_message("Schrijf de reden (veld '{field}') in woorden: {missing}. Schrijf in minstens {n} "
                          "woorden waarom.", field=field, missing=gap, n=min_words), field=field)
    return value


# --------------------------------------------------------------------------- other values

def iso_date(p: dict, field: str, *, required: bool = True) -> str:
    value = p.get(field)
    if value is None or value == "":
        if required:
            raise missing(field)
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise InputError(field_message("Het veld '{field}' moet een datum zijn (JJJJ-MM-DD).", field=field),
                         field=field)
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(field_message("Het veld '{field}' is geen geldige datum (JJJJ-MM-DD).", field=field),
                         field=field) from None


def boolean(p: dict, field: str, *, required: bool = True, default: bool | None = False,
            nullable: bool = False) -> bool | None:
    value = p.get(field)
    if value is None:
        if nullable:
            return None
        if required:
            raise missing(field)
        return default
    if not isinstance(value, bool):
        raise InputError(field_message("Het veld '{field}' moet ja of nee zijn.", field=field), field=field)
    return value


def choice(p: dict, field: str, options: tuple[str, ...], *, required: bool = True, default: str = "") -> str:
    value = p.get(field)
    if value is None or value == "":
        if required:
            raise missing(field)
        return default
    if value not in options:
        raise InputError(
            field_message("Het veld '{field}' heeft een onbekende waarde; kies uit: {options}.",
                          field=field, options=", ".join(options)), field=field)
    return value


def role_code(p: dict, field: str = "role") -> str:
    """A role's code, checked for its form only (see ``ROLE_CODE``)."""
    value = p.get(field)
    if value is None or value == "":
        raise missing(field)
    if not isinstance(value, str) or not ROLE_CODE.fullmatch(value):
        raise bad_form(field)
    return value


def subset(p: dict, field: str, options: tuple[str, ...], *, required: bool = True) -> list[str]:
    value = p.get(field)
    if value is None:
        if required:
            raise missing(field)
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or any(v not in options for v in value):
        raise InputError(
            field_message("Het veld '{field}' heeft een onbekende waarde; kies uit: {options}.",
                          field=field, options=", ".join(options)), field=field)
    if required and not value:
        raise InputError(field_message("Kies minstens één waarde in '{field}'.", field=field), field=field)
    return [o for o in options if o in value]  # canonical order, no duplicates


def integer(p: dict, field: str, lo: int, hi: int) -> int:
    value = p.get(field)
    if value is None:
        raise missing(field)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise InputError(field_message("Het veld '{field}' moet een getal zijn.", field=field), field=field)
    if not lo <= value <= hi:
        raise InputError(field_message("Het veld '{field}' moet tussen {lo} en {hi} liggen.", field=field,
                                       lo=lo, hi=hi),
                         field=field)
    return value


def mapping(p: dict, field: str, *, required: bool = True) -> dict | None:
    """A nested object (``pupil``, ``changes``, ``origin``)."""
    value = p.get(field)
    if value is None:
        if required:
            raise missing(field)
        return None
    if not isinstance(value, dict):
        raise bad_form(field)
    return value


def list_of_dicts(p: dict, field: str) -> list[dict]:
    value = p.get(field) or []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, dict) for v in value):
        raise bad_form(field)
    return list(value)


def prefixed(prefix: str, fn: Callable[[], Any]) -> Any:
    """Run a field validator on a nested dict and report the field as ``prefix.field``."""
    try:
        return fn()
    except InputError as exc:
        full = f"{prefix}.{exc.field}" if exc.field else prefix
        raise InputError(field_message("Het veld '{field}' is niet in orde.", field=full) + " " + exc.message,
                         field=full) from None


# --------------------------------------------------------------------------- the kinds

@dataclass(frozen=True)
class KindSpec:
    kind: str
    validate: Callable[[dict], dict]
    correctable: bool = True        # may be the target of record_corrected
    locked_fields: tuple[str, ...] = ()   # fields a correction may not change
    text_fields: tuple[str, ...] = ()     # free text for the full-text index
    # False: a school record on its own stream (people, access, concerns, notifications, the
    # figures): never appended to a pupil's case, whoever asks.
    on_a_case: bool = True

    @property
    def title(self) -> str:
        """The record's name (Dutch, N_; translate at use), from domain/vocabulary.py."""
        return KIND_WORDS[self.kind].title


# Every kind a journal holds, by name. Filled by ``register`` as the area modules load
# (``domain/events.py`` loads them all); read it through ``domain.events``.
KINDS: dict[str, KindSpec] = {}


def register(*specs: KindSpec) -> None:
    """Add kinds to the registry. A kind registered twice is a programming error: two
    validators for one kind would make the stored record depend on import order."""
    for spec in specs:
        if spec.kind in KINDS:
            raise ValueError(f"kind registered twice: {spec.kind}")
        KINDS[spec.kind] = spec


# Kinds that are access/audit entries rather than records of the case itself: who looked, who
# exported, who fetched an attachment. The record view, the inzage document and the access log
# leave them out of (or keep them apart from) the case's own content.
AUDIT_KINDS = frozenset({"case_viewed", "case_exported", "attachment_fetched"})


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
