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

from ..i18n import N_, _
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
    body_marks: list[str] = field(default_factory=list)   # region ids (domain/body_map.py) to draw
    key: str = ""       # a person in the household or network, to share them across a family melding


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    intro: str = ""
    part: str = ""      # one of the meldformulier's five parts (PARTS), set by melding_document


@dataclass
class Document:
    title: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    journal_ref: str
    case_id: str
    warning: str = ""                       # shown first (who may read a melding)
    names: list[str] = field(default_factory=list)   # colleagues and sources named in it
    subject: str = ""                       # the pupil's name


# Veilig Thuis's meldformulier for professionals has these five parts; the melding follows them.
PARTS = (N_("1. Melder"), N_("2. Betrokkenen"), N_("3. Melding"), N_("4. Ondersteunend netwerk"),
         N_("5. Overige informatie"))


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
        (_("Geslacht"), value_label(facts.pupil_gender, "gender") if facts.pupil_gender else _("niet vastgelegd")),
        (_("Adres"), facts.pupil_address or _("niet vastgelegd")),
        (_("Groep"), facts.group),
        (_("Leerlingnummer"), facts.pupil_number),
    ])
    blocks = [pupil]
    ended = {r.payload.get("target_seq") for r in facts.of_kind("household_member_left")}
    current = [r for r in facts.of_kind("household_member_added") if r.seq not in ended and not r.erased]
    in_household = {_person_key(r.payload.get("name")) for r in current}
    # Each person once, under their own name (seen: "Niet vastgelegd" right above two parents,
    # each under the same repeated heading); the household record has the most detail.
    for parent in facts.parents:
        if _person_key(parent.get("name")) in in_household:
            continue
        fields = [(_("Relatie"), str(parent.get("relation", "") or _("ouder/verzorger")))]
        if parent.get("address"):
            fields.append((_("Adres"), str(parent["address"])))
        blocks.append(Block(heading=str(parent.get("name", "")), fields=fields,
                            key="person:" + _person_key(parent.get("name"))))
    if not facts.parents and not any(r.payload.get("relation") in ("parent", "carer") for r in current):
        blocks.append(Block(heading=_("Ouders/verzorgers"), text=_("Niet vastgelegd.")))
    relations = {"parent": _("ouder"), "carer": _("verzorger"), "sibling": _("broer of zus"),
                 "other": _("huisgenoot")}
    gezag = {"yes": _("ja"), "no": _("nee"), "unknown": _("onbekend")}
    for rec in current:
        p = rec.payload
        fields = [(_("Relatie"), str(p.get("relation_detail") or relations.get(p.get("relation"), ""))),
                  (_("Gezag"), gezag.get(p.get("gezag"), _("onbekend"))),
                  (_("Woont bij de leerling"), value_label(p.get("lives_with_pupil")))]
        for key, label in (("date_of_birth", _("Geboortedatum")), ("address", _("Adres")),
                           ("phone", _("Telefoon")), ("language", _("Taal"))):
            if p.get(key):
                fields.append((label, fmt_date(p[key]) if key == "date_of_birth" else str(p[key])))
        if p.get("interpreter_needed"):
            fields.append((_("Tolk nodig"), _("ja")))
        blocks.append(Block(heading=str(p.get("name") or ""), fields=fields + [(_("Journaal"), f"#{rec.seq}")],
                            key="person:" + _person_key(p.get("name"))))
    return Section(_("Leerling, ouders en huishouden"), blocks)


def _person_key(name) -> str:
    return " ".join(str(name or "").split()).casefold()


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
        blocks.append(Block(heading=str(p.get("name") or ""), fields=[f for f in fields if f[1]],
                            key="professional:" + _person_key(p.get("name"))))
    if not blocks:
        return None
    return Section(_("Betrokken hulpverleners"), blocks)


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
    regions = [m.payload.get("region", "") for m in marks or []
               if not m.erased and m.payload.get("signal_seq") == rec.seq]
    return Block(heading=heading, fields=fields, text=str(p.get("description") or ""), body_marks=regions)


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
        _("Eigen waarnemingen"),
        [_signal_block(r, facts.of_kind("body_mark_recorded")) for r in own] or [Block(text=_("Geen eigen waarnemingen vastgelegd."))],
        intro=_("Feiten die de school zelf heeft gezien of gehoord, in volgorde van datum."),
    ))
    sections.append(Section(
        _("Waarnemingen van anderen"),
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
    sections.append(Section(_("Gesprekken en consultaties"),
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
    sections.append(Section(_("Contact vooraf over de melding, bezwaren en open melden"),
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
    sections.append(Section(_("Weging (afwegingskader)"),
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
    sections.append(Section(_("Besluiten"),
                            decisions or [Block(text=_("Nog geen besluit vastgelegd."))]))

    from ..domain.attachments import human_size, label as media_label

    attached_section = None
    attached = [Block(heading=str(rec.payload.get("title") or ""),
                      fields=[(_("Soort"), media_label(rec.payload.get("media_type", ""))),
                              (_("Grootte"), human_size(int(rec.payload.get("size") or 0))),
                              (_("SHA-256"), str(rec.payload.get("sha256") or "")),
                              (_("Journaal"), f"#{rec.seq}")])
                for rec in facts.of_kind("attachment_added")]
    if attached:
        attached_section = (Section(_("Bijlagen"), attached,
                                intro=_("Meegestuurd als aparte bestanden; de SHA-256 laat zien dat een "
                                        "bestand hetzelfde is als het vastgelegde.")))

    return _in_parts(request, facts, sections, network, attached_section if attached else None)


def _melder_section(request) -> Section:
    """Part 1: who reports and how Veilig Thuis reaches her (``ExportRequest.reporter``, from the
    user record or the config's [school] table)."""
    r = dict(getattr(request, "reporter", None) or {})
    fields = [(_("Naam"), str(r.get("name") or request.actor)),
              (_("Functie"), str(r.get("function") or _("aandachtsfunctionaris / coördinator Meldcode"))),
              (_("School"), str(r.get("school") or request.school or _("niet ingesteld"))),
              (_("Telefoon"), str(r.get("phone") or _("niet ingesteld"))),
              (_("E-mail"), str(r.get("email") or _("niet ingesteld")))]
    return Section(_("Melder"), [Block(fields=fields, text=_(
        "Veilig Thuis neemt contact op met de melder; de melder is op schooldagen via de school bereikbaar."))])


def _family_section(request) -> Section | None:
    linked = list(getattr(request, "linked", None) or [])
    if not linked:
        return None
    blocks = [Block(heading=str(x.get("pupil_name") or x.get("case_id")),
                    fields=[(_("Casus"), str(x.get("case_id") or "")),
                            (_("Geboortedatum"), fmt_date(x.get("date_of_birth")) if x.get("date_of_birth") else ""),
                            (_("Verband"), _("broer of zus") if x.get("relation") == "sibling"
                             else _("zelfde huishouden"))])
              for x in linked]
    return Section(_("Andere kinderen in het gezin (gekoppelde casussen)"), blocks)


def _acute_section(facts: CaseFacts) -> Section | None:
    blocks = []
    for rec in facts.of_kind("acute_report"):
        p = rec.payload
        blocks.append(Block(heading=_("Acute melding op {date}", date=fmt_date(p.get("on"))),
                            fields=[(_("Aan"), value_label(p.get("reported_to") or [])),
                                    (_("Door"), str(p.get("by_whom") or "")),
                                    (_("Afgesproken"), str(p.get("agreed") or "")),
                                    (_("Veiligheid van het kind"), str(p.get("child_safety") or "")),
                                    (_("Kenmerk"), str(p.get("reference") or "")),
                                    (_("Journaal"), f"#{rec.seq}")]))
    if not blocks:
        return None
    return Section(_("Urgentie: acute onveiligheid"), blocks,
                   intro=_("Er is acuut gevaar gemeld; deze melding volgt daarop."))


def _protective_section(facts: CaseFacts) -> Section | None:
    blocks = [Block(heading=fmt_date(r.payload.get("observed_on")), text=str(r.payload.get("description") or ""),
                    fields=[(_("Journaal"), f"#{r.seq}")])
              for r in facts.of_kind("signal_recorded") if r.payload.get("contradicting") and not r.erased]
    if not blocks:
        return None
    return Section(_("Wat beschermt of het vermoeden tegenspreekt"), blocks)


NOT_FOR_FAMILY = N_("Niet bestemd voor het gezin")


def _withhold(sections: list[Section], names: list[str]) -> None:
    """Replace each withheld name in the parts the family may read (fields, headings, free text)
    with a pointer to the part "Niet bestemd voor het gezin", where it is named with the reason."""
    import re

    patterns = [re.compile(r"\s+".join(re.escape(w) for w in n.split()), re.IGNORECASE) for n in names if n.strip()]
    placeholder = _("[bron: zie '{part}']", part=_(NOT_FOR_FAMILY))

    def clean(value: str) -> str:
        for pattern in patterns:
            value = pattern.sub(placeholder, value)
        return value

    for section in sections:
        for block in section.blocks:
            block.heading = clean(block.heading)
            block.text = clean(block.text)
            block.fields = [(label, clean(str(value))) for label, value in block.fields]


def named_people(facts: CaseFacts) -> list[str]:
    """Colleagues and sources named in the melding (not the pupil or the family)."""
    names: list[str] = []
    for m in facts.care_team or []:
        names.append(str(m.get("name") or ""))
    for r in facts.of_kind("signal_recorded"):
        names.append(str(r.payload.get("observed_by") or ""))
        if r.payload.get("source") == "other":
            names.append(str(r.payload.get("source_name") or ""))
    for r in facts.of_kind("consultation_recorded"):
        names.append(str(r.payload.get("with_whom") or ""))
    seen, out = set(), []
    for n in names:
        n = " ".join(n.split())
        if n and n.lower() not in seen:
            seen.add(n.lower())
            out.append(n)
    return out


def _in_parts(request, facts: CaseFacts, sections: list[Section], network, attachments) -> Document:
    by_title = {s.title: s for s in sections}

    def take(title):
        return by_title.get(title)

    melder, betrokkenen, melding, netwerk, overig = (_(p) for p in PARTS)
    ordered: list[tuple[str, Section | None]] = [
        (melder, _melder_section(request)),
        (betrokkenen, take(_("Leerling, ouders en huishouden"))),
        (betrokkenen, _family_section(request)),
        (melding, _acute_section(facts)),
        (melding, take(_("Eigen waarnemingen"))),
        (melding, take(_("Waarnemingen van anderen"))),
        (melding, take(_("Gesprekken en consultaties"))),
        (melding, take(_("Weging (afwegingskader)"))),
        (melding, take(_("Besluiten"))),
        (netwerk, network),
        (netwerk, _protective_section(facts)),
        (overig, take(_("Contact vooraf over de melding, bezwaren en open melden"))),
        (overig, attachments),
    ]
    out: list[Section] = []
    present = set()
    for part, section in ordered:
        if section is not None:
            section.part = part
            out.append(section)
            present.add(part)
    if netwerk not in present:
        out.insert(next(i for i, s in enumerate(out) if s.part == overig) if overig in present else len(out),
                   Section(_("Betrokken hulpverleners"), [Block(text=_("Geen hulpverleners of netwerk vastgelegd."))],
                           part=netwerk))
    if overig not in present:
        out.append(Section(_("Overig"), [Block(text=_("Geen."))], part=overig))
    names = named_people(facts)
    withheld_recs = [r for r in facts.of_kind("source_withheld") if not r.erased]
    withheld = [r.payload.get("name", "") for r in withheld_recs]
    if withheld:
        # The protocol wants the other source named in the melding; what must not reach the family
        # goes to the part of Veilig Thuis's form for information that is not for the family
        # (the meldformulier's "informatie die niet bestemd is voor het gezin").
        _withhold(out, withheld)
        keep = {" ".join(n.split()).lower() for n in withheld}
        names = [n for n in names if n.lower() not in keep]
        names.append(_("{n} alleen in het deel '{part}'", n=len(keep), part=_(NOT_FOR_FAMILY)))
        out.append(Section(_(NOT_FOR_FAMILY), [
            Block(heading=str(r.payload.get("name") or ""),
                  fields=[(_("Reden"), str(r.payload.get("reason") or "")), (_("Journaal"), f"#{r.seq}")])
            for r in withheld_recs],
            intro=_("Voor Veilig Thuis: deze bronnen en hun gegevens zijn niet bestemd voor het gezin. "
                    "In de rest van de melding staat op hun plaats een verwijzing naar dit deel."),
            part=_("6. Niet bestemd voor het gezin")))
    warning = _("Let op: Veilig Thuis kan deze melding laten inzien door de ouders en door kinderen vanaf 12 "
                "jaar. Controleer vóór het versturen welke namen van collega's en bronnen erin staan.")
    meta = [
        (_("Casus"), facts.case_id),
        (_("School"), request.school or _("niet ingesteld")),
        (_("Opgesteld door"), request.actor),
        (_("Datum"), fmt_at(request.exported_at)),
        (_("Journaalverwijzing"), request.journal_ref),
    ]
    return Document(title=_("Melding aan Veilig Thuis"), meta=meta, sections=out,
                    journal_ref=request.journal_ref, case_id=facts.case_id, warning=warning, names=names,
                    subject=facts.pupil_name)


def document_to_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", ""]
    out.append(_("*Vertrouwelijk — bevat persoonsgegevens.*"))
    out.append("")
    for label, value in doc.meta:
        out.append(f"- **{label}:** {md_escape(value)}")
    out.append("")
    if doc.warning:
        out.append(f"> **{md_escape(doc.warning)}**")
        out.append(">")
        out.append("> " + _("Namen van collega's en bronnen in deze melding: {names}.",
                            names=md_escape(", ".join(doc.names)) or _("geen")))
        out.append("")
    part = None
    for section in doc.sections:
        if section.part and section.part != part:
            part = section.part
            out.append(f"## {part}")
            out.append("")
        out.append(f"### {section.title}")
        out.append("")
        if section.intro:
            out.append(f"*{section.intro}*")
            out.append("")
        for block in section.blocks:
            if block.heading:
                out.append(f"#### {md_escape(block.heading)}")
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


def render_family_melding(request) -> bytes:
    """One melding for several children of one family: a part per child (this case first)."""
    requests = [request, *(getattr(request, "family", None) or [])]
    docs = [melding_document(r) for r in requests]
    _share_household(docs)
    out = [f"# {_('Melding aan Veilig Thuis voor het gezin ({n} kinderen)', n=len(docs))}", ""]
    for i, doc in enumerate(docs, 1):
        name = doc.subject or doc.case_id
        out.append(f"- {_('Kind {i}: {name} (casus {case_id})', i=i, name=md_escape(name), case_id=doc.case_id)}")
    out.append("")
    for i, doc in enumerate(docs, 1):
        doc.title = _("Deel {i} van {n} — casus {case_id}", i=i, n=len(docs), case_id=doc.case_id)
        out.append(document_to_markdown(doc))
        out.append("")
    return "\n".join(out).encode("utf-8")


def _share_household(docs: list[Document]) -> None:
    """The family melding: the shared household (with gezag) and the professionals recorded on any
    child's case go into every child's part, each person once (seen: the sibling's part showed no
    household and no professionals). Veilig Thuis reads each child's part on its own."""
    import copy

    shared: dict[str, tuple[str, Block]] = {}
    for doc in docs:
        for section in doc.sections:
            for block in section.blocks:
                if block.key and block.key not in shared:
                    shared[block.key] = (section.title, block)
    for doc in docs:
        have = {b.key for sec in doc.sections for b in sec.blocks if b.key}
        by_title = {sec.title: sec for sec in doc.sections}
        for key, (title, block) in shared.items():
            if key in have or title not in by_title:
                continue
            section = by_title[title]
            # Drop the "nothing recorded" placeholders once a person is there.
            section.blocks = [b for b in section.blocks if b.key or b.fields or b.heading not in (
                "", _("Ouders/verzorgers"))]
            moved = copy.deepcopy(block)
            moved.fields = [(label, value) for label, value in moved.fields if label != _("Journaal")]
            moved.fields.append((_("Vastgelegd bij"), _("een andere casus van het gezin")))
            section.blocks.append(moved)
