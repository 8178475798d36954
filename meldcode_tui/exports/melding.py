"""The ``melding`` export: the report for Veilig Thuis.

A report carries the client's identifying data (unlike an advice request). It gives the
facts in order, own observations apart from those of others (each source named), the
contact about the report beforehand and any objections, the weighing (afwegingskader
answers with their reasons) and the decisions.

``melding_document(request)`` returns the content as data (``Document`` with sections and
blocks), so the text/markdown renderer here and the PDF plugin render the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _
from .common import (
    CaseFacts,
    Record,
    WEIGHING_QUESTIONS,
    age_in_years,
    case_facts,
    fmt_at,
    fmt_date,
    parse_at,
    parse_date,
    value_label,
)
from .markdown import md_escape


@dataclass
class Block:
    """One item in a section: an optional heading, label/value lines, an optional paragraph."""

    heading: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    intro: str = ""


@dataclass
class Document:
    title: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    journal_ref: str
    case_id: str


def _corr_note(rec: Record) -> list[tuple[str, str]]:
    if not rec.corrections:
        return []
    seqs = ", ".join(f"#{c.seq}" for c in rec.corrections)
    return [(_("Gecorrigeerd"), _("ja, in {seqs} (oorspronkelijke tekst staat in het journaal)", seqs=seqs))]


def _signal_date(rec: Record):
    return parse_date(rec.payload.get("observed_on")) or (parse_at(rec.at).date()
                                                           if parse_at(rec.at) else None)


def _pupil_section(facts: CaseFacts, today) -> Section:
    born = parse_date(facts.date_of_birth)
    age = age_in_years(born, today)
    pupil = Block(heading=_("Leerling"), fields=[
        (_("Naam"), facts.pupil_name),
        (_("Geboortedatum"), fmt_date(facts.date_of_birth)
         + (_(" ({age} jaar)", age=age) if age is not None else "")),
        (_("Groep"), facts.group),
        (_("Leerlingnummer"), facts.pupil_number),
    ])
    blocks = [pupil]
    for parent in facts.parents:
        blocks.append(Block(heading=_("Ouder/verzorger"), fields=[
            (_("Naam"), str(parent.get("name", ""))),
            (_("Relatie"), str(parent.get("relation", ""))),
        ]))
    if not facts.parents:
        blocks.append(Block(heading=_("Ouders/verzorgers"), text=_("Niet vastgelegd.")))
    ended = {r.payload.get("target_seq") for r in facts.of_kind("household_member_left")}
    relations = {"parent": _("ouder"), "carer": _("verzorger"), "sibling": _("broer of zus"),
                 "other": _("huisgenoot")}
    gezag = {"yes": _("ja"), "no": _("nee"), "unknown": _("onbekend")}
    for rec in facts.of_kind("household_member_added"):
        if rec.seq in ended or rec.erased:
            continue
        p = rec.payload
        fields = [(_("Naam"), str(p.get("name") or "")),
                  (_("Relatie"), str(p.get("relation_detail") or relations.get(p.get("relation"), ""))),
                  (_("Gezag"), gezag.get(p.get("gezag"), _("onbekend"))),
                  (_("Woont bij de leerling"), value_label(p.get("lives_with_pupil")))]
        for key, label in (("date_of_birth", _("Geboortedatum")), ("address", _("Adres")),
                           ("phone", _("Telefoon")), ("language", _("Taal"))):
            if p.get(key):
                fields.append((label, fmt_date(p[key]) if key == "date_of_birth" else str(p[key])))
        if p.get("interpreter_needed"):
            fields.append((_("Tolk nodig"), _("ja")))
        blocks.append(Block(heading=_("Huishouden en verwanten"), fields=fields + [(_("Journaal"), f"#{rec.seq}")]))
    return Section(_("1. Gegevens van de leerling en de ouders"), blocks)


def _network_section(facts: CaseFacts) -> Section | None:
    """Ondersteunend netwerk: the professionals involved and what protects the child."""
    ended = {r.payload.get("target_seq") for r in facts.of_kind("professional_ended")}
    blocks = []
    for rec in facts.of_kind("professional_added"):
        if rec.seq in ended or rec.erased:
            continue
        p = rec.payload
        fields = [(_("Organisatie"), str(p.get("organisation") or "")), (_("Functie"), str(p.get("role") or "")),
                  (_("Bereikbaar via"), str(p.get("contact") or "")),
                  (_("Betrokken sinds"), fmt_date(p.get("since")) if p.get("since") else ""),
                  (_("Journaal"), f"#{rec.seq}")]
        blocks.append(Block(heading=str(p.get("name") or ""), fields=[f for f in fields if f[1]]))
    if not blocks:
        return None
    return Section(_("Ondersteunend netwerk: betrokken hulpverleners"), blocks)


def _body_marks_text(rec: Record, marks: list[Record]) -> str:
    """The body map of one signal as a list of regions (the PDF plugin may draw it)."""
    from ..domain.body_map import BY_ID, MARK_KINDS, VIEWS

    kinds = dict(MARK_KINDS)
    lines = []
    for m in marks:
        p = m.payload
        if m.erased or p.get("signal_seq") != rec.seq:
            continue
        region = BY_ID.get(p.get("region", ""))
        where = f"{_(region.label)} ({_(VIEWS[region.view])})" if region else "?"
        detail = ", ".join(str(p[k]) for k in ("size", "colour") if p.get(k))
        lines.append(_("{where}: {what}{detail}; gezien op {on} door {by} (#{seq})", where=where,
                       what=_(kinds.get(p.get("what"), "")), detail=f", {detail}" if detail else "",
                       on=fmt_date(p.get("observed_on")), by=str(p.get("observed_by") or ""), seq=m.seq)
                     + (f" — {p['note']}" if p.get("note") else ""))
    return "; ".join(lines)


def _signal_block(rec: Record, marks: list[Record] | None = None) -> Block:
    p = rec.payload
    heading = fmt_date(p.get("observed_on"))
    if p.get("contradicting"):
        heading += " — " + _("feit dat het vermoeden tegenspreekt")
    fields = [(_("Waargenomen door"), str(p.get("observed_by") or ""))]
    if p.get("injury"):
        fields.append((_("Letsel"), _("ja")))
    if p.get("source") == "other":
        fields.append((_("Bron"), str(p.get("source_name") or _("niet genoemd"))))
    catalogue = p.get("catalogue")
    if isinstance(catalogue, dict) and catalogue.get("text"):
        fields.append((_("Signaal uit de signalenlijst"), str(catalogue["text"])))
    map_text = _body_marks_text(rec, marks or [])
    if map_text:
        fields.append((_("Poptekening"), map_text))
    fields.append((_("Journaal"), f"#{rec.seq}"))
    fields.extend(_corr_note(rec))
    return Block(heading=heading, fields=fields, text=str(p.get("description") or ""))


def melding_document(request) -> Document:
    events = list(request.events)
    facts = case_facts(events)
    exported = parse_at(request.exported_at)
    today = exported.date() if exported else None

    sections: list[Section] = [_pupil_section(facts, today)]
    network = _network_section(facts)

    signals = sorted(facts.of_kind("signal_recorded"),
                     key=lambda r: (_signal_date(r) or parse_date("9999-12-31"), r.seq))
    own = [r for r in signals if r.payload.get("source") != "other"]
    other = [r for r in signals if r.payload.get("source") == "other"]
    sections.append(Section(
        _("2. Eigen waarnemingen"),
        [_signal_block(r, facts.of_kind("body_mark_recorded")) for r in own] or [Block(text=_("Geen eigen waarnemingen vastgelegd."))],
        intro=_("Feiten die de school zelf heeft gezien of gehoord, in volgorde van datum."),
    ))
    sections.append(Section(
        _("3. Waarnemingen van anderen"),
        [_signal_block(r, facts.of_kind("body_mark_recorded")) for r in other] or [Block(text=_("Geen waarnemingen van anderen vastgelegd."))],
        intro=_("Wat anderen hebben gezien of verteld; bij elke waarneming staat de bron."),
    ))

    talks: list[Block] = []
    for rec in facts.of_kind("conversation_recorded", "consultation_recorded", "exception_recorded"):
        p = rec.payload
        if rec.kind == "conversation_recorded":
            talks.append(Block(
                heading=_("Gesprek op {date}", date=fmt_date(p.get("on"))),
                fields=[(_("Met"), value_label(p.get("participants") or [])),
                        (_("Uitkomst"), str(p.get("outcome") or "")),
                        (_("Journaal"), f"#{rec.seq}")] + _corr_note(rec),
                text=str(p.get("summary") or "")))
        elif rec.kind == "consultation_recorded":
            talks.append(Block(
                heading=_("Consultatie op {date}", date=fmt_date(p.get("on"))),
                fields=[(_("Soort"), value_label(p.get("kind"), "kind")),
                        (_("Met"), str(p.get("with_whom") or "")),
                        (_("Vraag"), str(p.get("question") or "")),
                        (_("Advies"), str(p.get("advice") or "")),
                        (_("Journaal"), f"#{rec.seq}")] + _corr_note(rec)))
        else:
            talks.append(Block(
                heading=_("Uitzondering: {what}", what=value_label(p.get("exception"))),
                fields=[(_("Grond"), value_label(p.get("ground"))),
                        (_("Journaal"), f"#{rec.seq}")] + _corr_note(rec),
                text=str(p.get("reason") or "")))
    sections.append(Section(_("4. Gesprekken en consultaties"),
                            talks or [Block(text=_("Geen gesprekken of consultaties vastgelegd."))]))

    contact: list[Block] = []
    for rec in facts.of_kind("pre_report_contact_recorded"):
        p = rec.payload
        contact.append(Block(
            heading=_("Contact op {date}", date=fmt_date(p.get("on"))),
            fields=[(_("Met"), value_label(p.get("with") or [])),
                    (_("Uitleg gegeven"), str(p.get("explained") or "")),
                    (_("Reactie"), str(p.get("reaction") or "")),
                    (_("Bezwaren"), str(p.get("objections") or _("geen"))),
                    (_("Afweging van de bezwaren"), str(p.get("weighing") or "")),
                    (_("Journaal"), f"#{rec.seq}")] + _corr_note(rec)))
    for rec in facts.of_kind("exception_recorded"):
        if rec.payload.get("exception") in ("report_without_contact", "reporter_not_disclosed"):
            contact.append(Block(
                heading=value_label(rec.payload.get("exception")),
                fields=[(_("Grond"), value_label(rec.payload.get("ground"))),
                        (_("Journaal"), f"#{rec.seq}")],
                text=str(rec.payload.get("reason") or "")))
    sections.append(Section(_("5. Contact vooraf over de melding"),
                            contact or [Block(text=_("Geen contact vooraf vastgelegd."))]))

    latest: dict[int, Record] = {}
    for rec in facts.of_kind("weighing_answered"):
        q = rec.payload.get("question")
        if isinstance(q, int):
            latest[q] = rec
    weigh: list[Block] = []
    for q in sorted(latest):
        rec = latest[q]
        p = rec.payload
        question = _(WEIGHING_QUESTIONS[q]) if q in WEIGHING_QUESTIONS else ""
        fields = [(_("Antwoord"), value_label(p.get("answer"))),
                  (_("Samen met Veilig Thuis"), value_label(bool(p.get("with_veilig_thuis")))),
                  (_("Datum"), fmt_at(rec.at)),
                  (_("Journaal"), f"#{rec.seq}")] + _corr_note(rec)
        weigh.append(Block(heading=_("Vraag {n}: {question}", n=q, question=question), fields=fields,
                           text=str(p.get("reason") or "")))
    sections.append(Section(_("6. Weging (afwegingskader)"),
                            weigh or [Block(text=_("Het afwegingskader is nog niet doorlopen."))]))

    decisions: list[Block] = []
    for rec in facts.of_kind("decision_recorded"):
        p = rec.payload
        decisions.append(Block(
            heading=_("Besluit van {date}", date=fmt_at(rec.at)),
            fields=[(_("Melden noodzakelijk"), value_label(p.get("report_needed"))),
                    (_("Hulp verlenen of organiseren mogelijk"), value_label(p.get("help_possible"))),
                    (_("Journaal"), f"#{rec.seq}")] + _corr_note(rec),
            text=str(p.get("reason") or "")))
    for rec in facts.of_kind("report_made"):
        p = rec.payload
        decisions.append(Block(
            heading=_("Melding gedaan op {date}", date=fmt_date(p.get("on"))),
            fields=[(_("Veilig Thuis-regio"), str(p.get("office") or "")),
                    (_("Kenmerk"), str(p.get("reference") or "")),
                    (_("Melder bekend bij het gezin"), value_label(p.get("reporter_disclosed_to_family"))),
                    (_("Journaal"), f"#{rec.seq}")],
            text=str(p.get("summary") or "")))
    sections.append(Section(_("7. Besluiten"),
                            decisions or [Block(text=_("Nog geen besluit vastgelegd."))]))

    if network is not None:
        sections.append(network)

    from ..domain.attachments import human_size, label as media_label

    attached = [Block(heading=str(rec.payload.get("title") or ""),
                      fields=[(_("Soort"), media_label(rec.payload.get("media_type", ""))),
                              (_("Grootte"), human_size(int(rec.payload.get("size") or 0))),
                              (_("SHA-256"), str(rec.payload.get("sha256") or "")),
                              (_("Journaal"), f"#{rec.seq}")])
                for rec in facts.of_kind("attachment_added")]
    if attached:
        sections.append(Section(_("8. Bijlagen"), attached,
                                intro=_("Meegestuurd als aparte bestanden; de SHA-256 laat zien dat een "
                                        "bestand hetzelfde is als het vastgelegde.")))

    meta = [
        (_("Casus"), facts.case_id),
        (_("School"), request.school or _("niet ingesteld")),
        (_("Opgesteld door"), request.actor),
        (_("Datum"), fmt_at(request.exported_at)),
        (_("Journaalverwijzing"), request.journal_ref),
    ]
    return Document(title=_("Melding aan Veilig Thuis"), meta=meta, sections=sections,
                    journal_ref=request.journal_ref, case_id=facts.case_id)


def document_to_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", ""]
    out.append(_("*Vertrouwelijk — bevat persoonsgegevens.*"))
    out.append("")
    for label, value in doc.meta:
        out.append(f"- **{label}:** {md_escape(value)}")
    out.append("")
    for section in doc.sections:
        out.append(f"## {section.title}")
        out.append("")
        if section.intro:
            out.append(f"*{section.intro}*")
            out.append("")
        for block in section.blocks:
            if block.heading:
                out.append(f"### {md_escape(block.heading)}")
                out.append("")
            for label, value in block.fields:
                out.append(f"- **{label}:** {md_escape(value)}")
            if block.fields:
                out.append("")
            if block.text:
                out.append(md_escape(block.text))
                out.append("")
    out.append("---")
    out.append(_("Journaalverwijzing van deze export: `{ref}`", ref=doc.journal_ref))
    out.append("")
    return "\n".join(out)


def render_melding(request) -> bytes:
    return document_to_markdown(melding_document(request)).encode("utf-8")
