"""The family and the network around the pupil, and cases of one family linked."""

from __future__ import annotations

from ...i18n import N_, _
from ...text_safety import safe_line
from ..forms import Field
from ..intent_form import choice_options, open_form, selected_record
from . import register, start


HOUSEHOLD_RELATIONS = [("parent", N_("Ouder")), ("carer", N_("Verzorger / pleegouder")),
                       ("sibling", N_("Broer of zus")), ("other", N_("Ander lid van het huishouden"))]
GEZAG = [("yes", N_("ja")), ("no", N_("nee")), ("unknown", N_("onbekend"))]


@register("family")
def family(screen) -> None:
    """``n``: the family and the network around the pupil (a small menu of intents)."""
    from ..family import FamilyMenu

    screen.app.push_screen(FamilyMenu(), lambda name: name and start(screen, name))


@register("add_household_member")
def add_household_member(screen) -> None:
    fields = [
        Field("name", _("Naam"), required=True),
        Field("relation", _("Relatie tot de leerling"), kind="choice", required=True,
              options=choice_options(HOUSEHOLD_RELATIONS)),
        Field("relation_detail", _("Precies (bijv. moeder, stiefvader, halfbroer)")),
        Field("gezag", _("Gezag"), kind="choice", options=choice_options(GEZAG), default="unknown"),
        Field("date_of_birth", _("Geboortedatum (als bekend)"), kind="date"),
        Field("lives_with_pupil", _("Woont bij de leerling"), kind="bool", default=True),
        Field("address", _("Adres (als bekend)")),
        Field("phone", _("Telefoon (als bekend)")),
        Field("language", _("Taal (als het niet Nederlands is)")),
        Field("interpreter_needed", _("Tolk nodig"), kind="bool"),
    ]
    open_form(screen, _("Persoon in het leven van de leerling"), fields, "household_member_added",
              intro=_("Ouders en verzorgers (met gezag), broers en zussen, anderen in het huishouden. Een "
                      "wijziging later: corrigeren (K) of 'niet meer betrokken'."), form_id="form-household")


@register("add_professional")
def add_professional(screen) -> None:
    fields = [
        Field("name", _("Naam"), required=True),
        Field("organisation", _("Organisatie (wijkteam, huisarts, jeugdbescherming …)"), required=True),
        Field("role", _("Functie (bijv. gezinsvoogd)")),
        Field("contact", _("Bereikbaar via")),
        Field("since", _("Betrokken sinds"), kind="date"),
    ]
    open_form(screen, _("Betrokken hulpverlener"), fields, "professional_added", form_id="form-professional")


@register("end_person")
def end_person(screen) -> None:
    """The selected household member or professional is no longer involved."""
    seq, rec = selected_record(screen)
    kinds = {"household_member_added": "household_member_left", "professional_added": "professional_ended"}
    if rec is None or rec.kind not in kinds:
        screen.app.notify(_("Kies eerst in de chronologie de persoon of hulpverlener (Tab naar de chronologie)."),
                          severity="warning")
        return
    fields = [Field("reason", _("Waarom niet meer betrokken"), kind="area", required=True)]
    open_form(screen, _("{who} niet meer betrokken", who=safe_line(rec.payload.get("name", ""))), fields,
              kinds[rec.kind], build=lambda v: {"target_seq": seq, "reason": v["reason"]}, form_id="form-end-person")


def _visible_other_cases(screen) -> list[tuple[str, str]]:
    linked = set(getattr(screen.state, "linked_cases", {}) or {})
    out = []
    for row in screen.app.svc.list_cases(include_closed=False):
        cid = row["case_id"]
        if cid != screen.case_id and cid not in linked:
            out.append((cid, f"{cid}  {safe_line(row.get('pupil_name') or '')}"))
    return out


@register("link_case")
def link_case(screen) -> None:
    options = _visible_other_cases(screen)
    if not options:
        screen.app.notify(_("Er is geen andere open casus om te koppelen."), severity="warning")
        return
    fields = [Field("other_case", _("Broer of zus (casus)"), kind="choice", required=True, options=options),
              Field("relation", _("Verband"), kind="choice", required=True,
                    options=[("sibling", _("broer of zus")), ("household", _("zelfde huishouden"))],
                    default="sibling")]
    open_form(screen, _("Casussen van één gezin koppelen"), fields,
              run=lambda v: screen.app.svc.link_cases(screen.case_id, v["other_case"], v["relation"]),
              intro=_("De koppeling komt in beide casussen te staan."), form_id="form-link")


@register("refer_to_linked")
def refer_to_linked(screen) -> None:
    """'Geldt dit ook voor …?' for the record selected in the chronology."""
    seq, rec = selected_record(screen)
    siblings = [(x["case_id"], f"{x['case_id']}  {safe_line(x['row'].get('pupil_name') or '')}")
                for x in screen.app.svc.linked_cases(screen.case_id)]
    if rec is None or rec.kind in ("case_viewed", "case_exported", "case_linked"):
        screen.app.notify(_("Kies eerst in de chronologie het signaal of besluit dat ook voor een broer of zus "
                            "geldt (Tab naar de chronologie)."), severity="warning")
        return
    if not siblings:
        screen.app.notify(_("Deze casus is niet gekoppeld aan een casus die u mag zien."), severity="warning")
        return
    fields = [Field("target", _("Geldt ook voor"), kind="choice", required=True, options=siblings,
                    default=siblings[0][0]),
              Field("note", _("Waarom en hoe het voor die leerling geldt"), kind="area", required=True)]
    open_form(screen, _("Geldt #{seq} ook voor …?", seq=seq), fields,
              run=lambda v: screen.app.svc.refer_to_linked(v["target"], screen.case_id, seq, v["note"]),
              intro=_("In de andere casus komt een verwijzing naar #{seq} van {case_id}, geen kopie.",
                      seq=seq, case_id=screen.case_id), form_id="form-reference")
