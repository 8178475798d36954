"""The ``advies`` export: an anonymised summary for an advice consult (e.g. Veilig Thuis).

What it leaves out: every name (pupil, parents, care team, sources, observers, people
consulted, case managers), the pupil number, the school, the group, the case id and the date of birth
(given as an age in years). Dates become relative: "dag 0" is the first signal.

What it refuses: the free text it would print is checked for the case's names and
identifiers; while any remains, ``AnonymisationError`` lists the places (e.g.
``signaal #12 (omschrijving)``) so the coordinator can fix them with a correction.
Matching is case-insensitive, accent-insensitive, on word boundaries, for full names and
for every name part of three letters or more (tussenvoegsels, titles and role words such as
"klasgenoot" or "buurvrouw" skipped: a source may be named by role). Names checked: the pupil,
the parents, the care team, every observer and every other source; plus the pupil number,
group, school, case id and date of birth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.anonymity import find_identifiers, identifier_pattern
from ..domain.vocabulary import kind_noun
from ..errors import MeldcodeError
from ..i18n import _
from .common import (
    Record,
    WEIGHING_QUESTIONS,
    age_in_years,
    case_facts,
    field_label,
    parse_at,
    parse_date,
    value_label,
)
from .melding import Block, Document, Section, document_to_markdown


class AnonymisationError(MeldcodeError):
    """Names or identifiers are still in the text; ``places`` says where (no content)."""

    exit_code = 1

    def __init__(self, places: list[str]):
        shown = ", ".join(places[:10]) + (_(" en {n} meer", n=len(places) - 10) if len(places) > 10 else "")
        super().__init__(
            _("Anonimiseren lukt niet: er staan nog namen of kenmerken in {places}.", places=shown),
            hint=_("Pas die tekst aan met een correctie en probeer het opnieuw."),
        )
        self.places = places


@dataclass
class _Ctx:
    day0: date | None
    pattern: re.Pattern | None
    places: list[str]

    def day(self, value: Any) -> str:
        d = value if isinstance(value, date) else parse_date(value)
        if d is None or self.day0 is None:
            return _("dag ?")
        return _("dag {n}", n=(d - self.day0).days)

    def text(self, rec: Record, name: str) -> str:
        value = rec.payload.get(name)
        text = "" if value is None else str(value)
        if find_identifiers(text, self.pattern):
            place = f"{kind_noun(rec.kind)} #{rec.seq} ({field_label(name)})"
            if place not in self.places:
                self.places.append(place)
        return text


def _event_day(rec: Record):
    at = parse_at(rec.at)
    return at.date() if at else None


def advies_document(request) -> Document:
    """Build the anonymised document; raises ``AnonymisationError`` if names remain."""
    facts = case_facts(list(request.events))
    signals = facts.of_kind("signal_recorded")
    signal_days = [d for d in (parse_date(r.payload.get("observed_on")) for r in signals) if d]
    opened = parse_at(facts.opened_at)
    day0 = min(signal_days) if signal_days else (opened.date() if opened else None)
    # The one anonymity check (domain/anonymity.py), the same as the VT-advice rule's; the
    # export adds only what it alone knows (the school's name is in the request).
    from ..domain.anonymity import case_identifier_terms

    terms = case_identifier_terms(request.case, school=request.school or "")
    ctx = _Ctx(day0=day0, pattern=identifier_pattern(terms), places=[])

    age = age_in_years(parse_date(facts.date_of_birth), day0)
    relations = [str(p.get("relation") or _("ouder")) for p in facts.parents]
    if any(find_identifiers(r, ctx.pattern) for r in relations):
        ctx.places.append(_("casus #{seq} (relatie van een ouder)",
                            seq=facts.records[0].seq if facts.records else 1))
    meta = [
        (_("Leeftijd van de leerling"), _("{n} jaar (op dag 0)", n=age) if age is not None else _("onbekend")),
        (_("Ouders/verzorgers"), value_label(relations)),
        (_("Dag 0"), _("de datum van het eerste signaal")),
        (_("Journaalverwijzing"), request.journal_ref),
    ]
    sections: list[Section] = []

    opened = [r for r in facts.records if r.kind == "case_opened"]
    if opened and str(opened[0].payload.get("note") or "").strip():
        sections.append(Section(_("Aanleiding"), [Block(text=ctx.text(opened[0], "note"))]))

    blocks = []
    for rec in sorted(signals, key=lambda r: (parse_date(r.payload.get("observed_on")) or date.max, r.seq)):
        p = rec.payload
        heading = ctx.day(p.get("observed_on")) + " — " + (
            _("eigen waarneming") if p.get("source") != "other" else _("waarneming van een ander"))
        if p.get("contradicting"):
            heading += " — " + _("spreekt het vermoeden tegen")
        fields = []
        cat = p.get("catalogue")
        if isinstance(cat, dict) and cat.get("text"):
            text = str(cat["text"])
            if find_identifiers(text, ctx.pattern):
                ctx.places.append(f"{kind_noun(rec.kind)} #{rec.seq} ({field_label('catalogue')})")
            fields.append((_("Signaal uit de signalenlijst"), text))
        blocks.append(Block(heading=heading, fields=fields, text=ctx.text(rec, "description")))
    sections.append(Section(_("Signalen"), blocks or [Block(text=_("Geen signalen vastgelegd."))]))

    blocks = []
    for rec in facts.of_kind("consultation_recorded", "conversation_recorded", "exception_recorded"):
        p = rec.payload
        if rec.kind == "consultation_recorded":
            blocks.append(Block(
                heading=_("{day} — consultatie ({kind})", day=ctx.day(p.get("on")), kind=value_label(p.get("kind"), "kind")),
                fields=[(_("Vraag"), ctx.text(rec, "question")), (_("Advies"), ctx.text(rec, "advice"))]))
        elif rec.kind == "conversation_recorded":
            blocks.append(Block(
                heading=_("{day} — gesprek met {who}", day=ctx.day(p.get("on")),
                          who=value_label(p.get("participants") or [])),
                fields=[(_("Uitkomst"), ctx.text(rec, "outcome")),
                        (_("Zorg weggenomen"), value_label(bool(p.get("concern_removed"))))],
                text=ctx.text(rec, "summary")))
        else:
            blocks.append(Block(
                heading=_("{day} — uitzondering: {what}", day=ctx.day(_event_day(rec)),
                          what=value_label(p.get("exception"))),
                fields=[(_("Grond"), value_label(p.get("ground")))], text=ctx.text(rec, "reason")))
    sections.append(Section(_("Consultaties en gesprekken"),
                            blocks or [Block(text=_("Nog geen consultaties of gesprekken."))]))

    latest: dict[int, Record] = {}
    for rec in facts.of_kind("weighing_answered"):
        if isinstance(rec.payload.get("question"), int):
            latest[rec.payload["question"]] = rec
    blocks = []
    for q in sorted(latest):
        rec = latest[q]
        blocks.append(Block(
            heading=_("Vraag {n}: {question}", n=q,
                      question=_(WEIGHING_QUESTIONS[q]) if q in WEIGHING_QUESTIONS else ""),
            fields=[(_("Antwoord"), value_label(rec.payload.get("answer"))),
                    (_("Wanneer"), ctx.day(_event_day(rec)))],
            text=ctx.text(rec, "reason")))
    for rec in facts.of_kind("decision_recorded"):
        blocks.append(Block(
            heading=_("{day} — besluit", day=ctx.day(_event_day(rec))),
            fields=[(_("Melden noodzakelijk"), value_label(rec.payload.get("report_needed"))),
                    (_("Hulp mogelijk"), value_label(rec.payload.get("help_possible")))],
            text=ctx.text(rec, "reason")))
    sections.append(Section(_("Weging en besluiten"),
                            blocks or [Block(text=_("Nog niet gewogen."))]))

    blocks = []
    for rec in facts.of_kind("help_planned", "help_reviewed"):
        p = rec.payload
        if rec.kind == "help_planned":
            blocks.append(Block(
                heading=_("{day} — hulp gepland", day=ctx.day(_event_day(rec))),
                fields=[(_("Afspraken"), ctx.text(rec, "agreements")),
                        (_("Verwachte resultaten"), ctx.text(rec, "results_expected")),
                        (_("Evaluatie op"), ctx.day(p.get("review_on")))],
                text=ctx.text(rec, "description")))
        else:
            blocks.append(Block(
                heading=_("{day} — hulp geëvalueerd", day=ctx.day(p.get("on"))),
                fields=[(_("Resultaten bereikt"), value_label(bool(p.get("results_reached")))),
                        (_("Geweld gaat door"), value_label(bool(p.get("violence_continues"))))],
                text=ctx.text(rec, "notes")))
    if blocks:
        sections.append(Section(_("Hulp"), blocks))

    if ctx.places:
        raise AnonymisationError(ctx.places)
    return Document(title=_("Adviesvraag (geanonimiseerd)"), meta=meta, sections=sections,
                    journal_ref=request.journal_ref, case_id="")


def render_advies(request) -> bytes:
    doc = advies_document(request)
    text = document_to_markdown(doc).replace(_("*Vertrouwelijk — bevat persoonsgegevens.*"),
                                             _("*Geanonimiseerd voor een adviesvraag.*"))
    return text.encode("utf-8")
