"""The fields of every recordable kind, declared once: for ``meldcode case kinds`` (a list of
intents with their fields in Dutch) and for turning ``--set FIELD=VALUE`` strings into typed
payload values for ``meldcode case record``.

The validators in :mod:`domain.kinds` stay the authority on shape: this table only names the fields,
their type and whether the validator requires them (a test checks both agree for every kind).
Whether the protocol allows a record *now* is for :mod:`rules` to say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..i18n import N_, _
from .body_map import BY_ID as BODY_REGIONS, MARK_KINDS
from .events import KINDS
from .kinds.case_file import CLOSE_GROUNDS
from .kinds.consultation import CONSULTATION_KINDS
from .kinds.conversations import EXCEPTIONS, GROUNDS, PARTICIPANTS
from .kinds.family import GEZAG, HOUSEHOLD_RELATIONS
from .kinds.reporting import ACUTE_REPORTED_TO, VT_DECISIONS, VT_FEEDBACK_STAGES
from .kinds.signals import SOURCES
from .kinds.staff_route import ROUTED_TO, STAFF_RECORD_TYPES
from .kinds.weighing import ANSWERS
from .payload import MULTILINE_FIELDS
from .vocabulary import KIND_WORDS, field_name, label

# Kinds that are not recorded with ``case record``: a case is opened with ``case new``; views,
# exports and imports are written by those acts themselves.
# Attachments carry bytes (``meldcode attach``/``fetch``); a link is written into both cases and a
# reference checks the source case's visibility (``meldcode family link``/``refer``).
NOT_RECORDABLE = frozenset({
    "case_opened", "case_viewed", "case_exported", "case_imported",
    "attachment_added", "attachment_fetched", "case_linked", "reference_recorded",
    # retention and inzage have their own commands (meldcode case left, retention, inzage)
    # with their own checks
    "pupil_left", "case_erased", "inzage_decided", "zienswijze_recorded",
    # the pupil register's notice is written by the load (meldcode admin pupils load) only,
    # and the overstapdossier's records by `meldcode transfer` (the file, the receipt, the import)
    "pupil_gone_from_register", "overstap_exported", "overstap_receipt", "overstap_received",
    # and no school record (people, access, concerns, notifications, figures): never on a case
    *(kind for kind, spec in KINDS.items() if not spec.on_a_case)})

TYPE_LABELS = {
    "text": N_("tekst (één regel)"),
    "long_text": N_("tekst (meerdere regels)"),
    "date": N_("datum (JJJJ-MM-DD)"),
    "bool": N_("ja/nee"),
    "bool_or_none": N_("ja/nee/onbekend"),
    "choice": N_("keuze"),
    "choices": N_("één of meer keuzes (komma's)"),
    "integer": N_("getal"),
    "object": N_("object (JSON, of VELD.SUBVELD=…)"),
    "list": N_("lijst (JSON)"),
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str                       # a key of TYPE_LABELS
    required: bool = True
    choices: tuple = ()
    note: str = ""                  # Dutch (N_): a condition, e.g. when an optional field is required

    def as_dict(self) -> dict:
        d = {"name": self.name, "type": self.type, "type_label": _(TYPE_LABELS[self.type]),
             "required": self.required, "label": field_name(self.name)}
        if self.choices:
            d["choices"] = [{"value": c, "label": label(c, self.name)} for c in self.choices]
        if self.note:
            d["note"] = _(self.note)
        return d


def _t(name: str, required: bool = True, note: str = "") -> FieldSpec:
    """A text field: one line or several, as payload.MULTILINE_FIELDS says."""
    return FieldSpec(name, "long_text" if name in MULTILINE_FIELDS else "text", required, note=note)


def _d(name: str, required: bool = True) -> FieldSpec:
    return FieldSpec(name, "date", required)


def _b(name: str, required: bool = True) -> FieldSpec:
    return FieldSpec(name, "bool", required)


def _c(name: str, choices: tuple, required: bool = True) -> FieldSpec:
    return FieldSpec(name, "choice", required, choices)


def _m(name: str, choices: tuple, required: bool = True) -> FieldSpec:
    return FieldSpec(name, "choices", required, choices)


def _i(name: str) -> FieldSpec:
    return FieldSpec(name, "integer")


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "signal_recorded": (
        _t("description"), _d("observed_on"), _t("observed_by"), _c("source", SOURCES),
        _t("source_name", False, N_("verplicht bij bron 'andere bron'")),
        _b("contradicting", False),
        FieldSpec("catalogue", "object", False,
                  note=N_("catalogue_id en signal_id uit een signalenlijst")),
        _b("injury", False), _b("disclosure", False), _b("conversation_danger", False)),
    "consultation_recorded": (
        _c("kind", CONSULTATION_KINDS), _t("with_whom"), _d("on"), _b("anonymous", False),
        _t("question"), _t("advice", False)),
    "care_team_set": (
        FieldSpec("members", "list", note=N_("per lid: role, name en eventueel user")),),
    "conversation_recorded": (
        _d("on"), _m("participants", PARTICIPANTS), _b("purpose_explained"),
        _b("facts_presented"), _b("reaction_invited"), _b("interpretation_after_reaction"),
        FieldSpec("parents_informed_beforehand", "bool_or_none", False), _t("summary"),
        _t("outcome", False), _b("concern_removed", False),
        _t("interpretation_not_needed", False,
           N_("in plaats van een duiding: waarom die niet nodig was ('zo nodig')"))),
    "exception_recorded": (
        _c("exception", EXCEPTIONS), _c("ground", GROUNDS),
        _t("reason", note=N_("minstens drie woorden en 20 tekens")),
        _t("vt_agreed_by", False, N_("verplicht bij reporter_not_disclosed: wie bij Veilig Thuis akkoord gaf")),
        _d("vt_agreed_on", False)),
    "step_completed": (_i("step"), _t("summary", False)),
    "weighing_answered": (
        _i("question"), _c("answer", ANSWERS), _t("reason"), _b("with_veilig_thuis", False)),
    "decision_recorded": (_b("report_needed"), _b("help_possible"), _t("reason"),
                          FieldSpec("decided_by", "list", False,
                                    note=N_("per besluitvormer: name en role (met een aandachtsfunctionaris of "
                                              "coordinator); leeg: wie het vastlegt, als coördinator"))),
    "help_planned": (
        _t("description"), _t("agreements"), _t("roles"), _t("case_manager"), _d("review_on"),
        _t("results_expected"), _d("starts_on", False),
        FieldSpec("goals", "list", False, note=N_("lijst van doelen, elk als tekst"))),
    "help_reviewed": (
        _d("on"), _b("results_reached"), _b("violence_continues"), _t("notes"),
        _d("next_review_on", False),
        FieldSpec("goal_results", "list", False,
                  note=N_("per doel: goal (nummer), reached (ja/nee), note; verplicht als het plan doelen heeft"))),
    "pre_report_contact_recorded": (
        _d("on"), _m("with", PARTICIPANTS), _t("explained"), _t("reaction"),
        _t("objections", False), _t("weighing", False)),
    "report_made": (
        _d("on"), _t("office"), _t("reference", False), _t("summary"),
        _b("reporter_disclosed_to_family")),
    "acute_report": (
        _d("on"), _m("reported_to", ACUTE_REPORTED_TO), _t("by_whom"), _t("agreed"),
        _t("child_safety"), _t("reference", False)),
    "vt_feedback_recorded": (_d("on"), _t("outcome"), _t("notes", False),
                             _c("stage", VT_FEEDBACK_STAGES, False),
                             _c("decision", VT_DECISIONS, False),
                             _t("taken_over_by", False, N_("verplicht bij overdracht (lokaal team, hulpverlening)")),
                             _t("contact_person", False), _t("asks_of_school", False)),
    "school_evaluation_recorded": (_d("on"), _b("concerns_remain"), _t("summary"),
                                   _t("agreements", False)),
    "follow_up_agreed": (_t("description"), _d("due_on"), _t("who")),
    "follow_up_done": (_i("target_seq"), _d("on"), _t("notes", False)),
    # the family and the network around the pupil (what the melding asks of them)
    "household_member_added": (
        _t("name"), _c("relation", HOUSEHOLD_RELATIONS), _t("relation_detail", False),
        _c("gezag", GEZAG, False), _d("date_of_birth", False), _t("address", False), _t("phone", False),
        _t("language", False), _b("interpreter_needed", False), _b("lives_with_pupil", False)),
    "household_member_left": (_i("target_seq"), _t("reason")),
    "professional_added": (_t("name"), _t("organisation"), _t("role", False), _t("contact", False),
                           _d("since", False)),
    "professional_ended": (_i("target_seq"), _t("reason")),
    "body_mark_recorded": (
        _i("signal_seq"), _c("region", tuple(BODY_REGIONS)), _c("what", tuple(k for k, _label in MARK_KINDS)),
        _t("size", False), _t("colour", False), _d("observed_on"), _t("observed_by"), _t("note", False)),
    "source_withheld": (_t("name"), _t("reason")),
    "staff_suspicion_routed": (_d("on"), _m("routed_to", ROUTED_TO), _t("reason")),
    "staff_route_recorded": (_d("on"), _c("record_type", STAFF_RECORD_TYPES), _t("with_whom", False),
                             _t("summary")),
    "record_corrected": (
        _i("target_seq"), FieldSpec("changes", "object", note=N_("veld en nieuwe waarde")),
        _t("reason")),
    "case_closed": (
        _c("grounds", CLOSE_GROUNDS), _t("reason"), _t("monitoring_agreements", False),
        _t("new_school", False, N_("verplicht bij grond 'verhuisd'"))),
    "case_reopened": (_t("reason"),),
}


def recordable_kinds() -> list[str]:
    """Every kind ``case record`` takes, in the vocabulary's order (the order of the protocol's
    steps, not the order in which the areas register their kinds)."""
    order = {kind: i for i, kind in enumerate(KIND_WORDS)}
    return sorted((k for k in KINDS if k not in NOT_RECORDABLE), key=lambda k: order.get(k, len(order)))


def describe(kind: str) -> dict:
    """A JSON-ready description of ``kind``: its Dutch title and fields. A kind without a
    declared field list (added elsewhere) is still recordable with a JSON payload."""
    spec = KINDS[kind]
    fields = FIELDS.get(kind)
    return {"kind": kind, "title": _(spec.title),
            "fields": [f.as_dict() for f in fields] if fields is not None else None}


_TRUE = {"ja", "j", "yes", "y", "true", "1", "waar"}
_FALSE = {"nee", "n", "no", "false", "0", "onwaar"}
_NONE = {"onbekend", "unknown", "null", "none", "-", ""}


def _coerce(spec: FieldSpec, raw: str, previous: Any) -> Any:
    value = raw.strip()
    if spec.type == "bool" or spec.type == "bool_or_none":
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        if spec.type == "bool_or_none" and low in _NONE:
            return None
        raise InputError(_("Het veld '{field}' moet ja of nee zijn.", field=field_name(spec.name)),
                         field=spec.name)
    if spec.type == "integer":
        if not value.isdigit():
            raise InputError(_("Het veld '{field}' moet een getal zijn.", field=field_name(spec.name)),
                             field=spec.name)
        return int(value)
    if spec.type == "choices":
        items = [v.strip() for v in value.split(",") if v.strip()]
        return [*(previous or []), *items] if isinstance(previous, list) else items
    if spec.type in ("object", "list"):
        try:
            parsed = json.loads(value)
        except ValueError:
            raise InputError(_("Het veld '{field}' verwacht JSON.", field=field_name(spec.name)),
                             field=spec.name) from None
        return parsed
    return raw   # text, long text, date, choice: the validator checks and normalises


def apply_setting(kind: str, payload: dict, setting: str) -> dict:
    """Apply one ``FIELD=VALUE`` (or ``FIELD.SUB=VALUE`` for an object field) to ``payload``.
    Unknown fields are refused, so a typo never silently drops a value."""
    if "=" not in setting:
        raise InputError(_("Schrijf --set als VELD=WAARDE."), field="--set")
    name, raw = setting.split("=", 1)
    name = name.strip()
    base, _dot, sub = name.partition(".")
    fields = {f.name: f for f in FIELDS.get(kind, ())}
    spec = fields.get(base)
    if spec is None:
        raise InputError(_("Soort '{kind}' heeft geen veld '{field}'; zie 'meldcode case kinds'.",
                           kind=kind, field=base), field=base)
    out = dict(payload)
    if sub:
        if spec.type != "object" or not sub.isidentifier():
            raise InputError(_("Het veld '{field}' heeft geen onderdelen.", field=field_name(base)),
                             field=name)
        inner = dict(out.get(base) or {}) if isinstance(out.get(base), dict) else {}
        inner[sub] = raw.strip()
        out[base] = inner
        return out
    out[base] = _coerce(spec, raw, out.get(base))
    return out


def unknown_fields(kind: str, payload: dict) -> list[str]:
    """Top-level payload keys the kind does not have (for a payload read from stdin)."""
    fields = FIELDS.get(kind)
    if fields is None:
        return []
    names = {f.name for f in fields}
    return [k for k in payload if k not in names]
