"""What the AVG asks of the school for this pupil: access requests, the parents' view, the
leaving date and erasure on request."""

from __future__ import annotations

from ...domain.kinds.privacy import INZAGE_OUTCOMES, INZAGE_REQUESTERS
from ...domain.vocabulary import option_words
from ...errors import InputError, MeldcodeError
from ...i18n import _
from ..forms import Field
from ..intent_form import choice_options, open_form, today_iso
from . import register, start


@register("privacy")
def privacy(screen) -> None:
    """``A``: the AVG's intents for this pupil (a small menu)."""
    from ..privacy_menu import PrivacyMenu

    screen.app.push_screen(PrivacyMenu(), lambda name: name and start(screen, name))


def _why_lines(text: str, key: str, field: str) -> list[dict]:
    """"wat :: waarom" per line (the form's way of writing a list of items with a reason)."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        what, sep, why = line.partition("::")
        if not sep:
            raise InputError(_("Schrijf per regel '… :: waarom' (twee dubbele punten)."), field=field)
        out.append({key: what.strip(), "why": why.strip()})
    return out


@register("decide_inzage")
def decide_inzage(screen) -> None:
    """An access request (AVG art. 15) decided: who asked, the legal basis, who approved, what is
    withheld and why, whose names stay. The export follows the latest decision."""
    fields = [
        Field("requester", _("Wie vraagt"), kind="choice", required=True,
              options=choice_options(option_words(INZAGE_REQUESTERS))),
        Field("requester_name", _("Naam van wie het vraagt"), required=True),
        Field("legal_basis", _("Wettelijke grondslag"), required=True, default=_("AVG art. 15")),
        Field("approved_by", _("Goedgekeurd door"), required=True),
        Field("decided_on", _("Datum van het besluit"), kind="date", required=True, default=today_iso(screen)),
        Field("outcome", _("Besluit"), kind="choice", required=True,
              options=choice_options(option_words(INZAGE_OUTCOMES))),
        Field("withheld", _("Niet verstrekt (per regel: #nummer omschrijving :: waarom)"), kind="area"),
        Field("keep_identities", _("Namen van anderen die blijven staan (per regel: naam :: waarom)"),
              kind="area"),
        Field("reason", _("Toelichting bij het besluit"), kind="area", required=True),
    ]

    def build(v):
        out = {k: v[k] for k in ("requester", "requester_name", "legal_basis", "approved_by",
                                 "decided_on", "outcome", "reason")}
        out["withheld"] = _why_lines(v.get("withheld", ""), "what", "withheld")
        out["keep_identities"] = _why_lines(v.get("keep_identities", ""), "name", "keep_identities")
        return out

    open_form(screen, _("Inzageverzoek: besluit"), fields, "inzage_decided", build=build,
              intro=_("Ouders met gezag (en een leerling vanaf 16) mogen zien wat de school over de "
                      "leerling vastlegt. In de export worden namen van anderen (bronnen, melders, "
                      "collega's) vervangen, behalve wie u hier met een reden laat staan."),
              form_id="form-inzage")


@register("export_inzage")
def export_inzage(screen) -> None:
    from ..export_dialog import ExportScreen
    from ...exports.inzage import inzage_format

    screen.app.push_screen(ExportScreen(screen.case_id, formats={"inzage": inzage_format()}),
                           screen.after_write)


@register("record_zienswijze")
def record_zienswijze(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("by", _("Van wie (bijv. 'beide ouders')"), required=True),
        Field("zienswijze", _("De zienswijze, in hun woorden"), kind="area", required=True),
    ]
    open_form(screen, _("Zienswijze van de ouders"), fields, "zienswijze_recorded",
              intro=_("Een eigen vastlegging naast het dossier: wat er al staat, verandert niet."),
              form_id="form-zienswijze")


@register("record_pupil_left")
def record_pupil_left(screen) -> None:
    """"Leerling heeft de school verlaten op …": also on a closed case; retention counts from it."""
    fields = [
        Field("on", _("Datum van vertrek"), kind="date", required=True, default=today_iso(screen)),
        Field("note", _("Toelichting (bijv. naar welke school)"), kind="area"),
    ]
    open_form(screen, _("Leerling heeft de school verlaten"), fields, "pupil_left",
              run=lambda v: screen.app.svc.record_pupil_left(screen.case_id, v["on"], v["note"]),
              intro=_("De bewaartermijn telt vanaf deze datum of het sluiten van de casus, het "
                      "laatste van beide."), form_id="form-pupil-left")


@register("confirm_pupil_left")
def confirm_pupil_left(screen) -> None:
    """One key: the leaving date the pupil register proposes becomes the recorded leaving date
    (retention counts from it). The open point says the date; nothing to type."""
    from ...service_layer.pupils import confirm_pupil_left as confirm

    try:
        confirm(screen.app.svc, screen.case_id,
                expect_seq=getattr(getattr(screen, "state", None), "last_seq", None))
    except MeldcodeError as exc:
        screen.app.report_error(exc)
        return
    screen.app.notify(_("Vertrekdatum vastgelegd; de bewaartermijn telt vanaf die datum."))
    screen.reload()


@register("erase_on_request")
def erase_on_request(screen) -> None:
    """Erasure of one closed case on request (AVG art. 17), as ``meldcode retention erase``:
    payloads, drafts, the search index and the file's bytes; the chain stays verifiable."""
    from ...retention import clean_pending_message, erase_case, finish_erasure

    state = getattr(screen, "state", None)
    if state is not None and not state.closed:
        # Refused before anything is typed: only a closed case is erased.
        screen.app.notify(_("Alleen een gesloten casus kan worden gewist. Sluit de casus eerst "
                            "(L), met een reden."), severity="warning", timeout=10)
        return
    fields = [
        Field("requested_by", _("Wie heeft om het wissen gevraagd"), required=True,
              help=_("Bijvoorbeeld: ouder met gezag, brief van 12-11.")),
        Field("reason", _("Waarom wissen"), kind="area", required=True),
    ]

    def run(values):
        erase_case(screen.app.svc, screen.case_id, values["reason"], policy="request",
                   requested_by=values["requested_by"])
        if not finish_erasure(screen.app.svc):
            # Recorded, but a reader keeps the words in the file: say so, not "gewist".
            screen.app.notify(clean_pending_message(), severity="warning", timeout=20)
        return screen.app.svc.get_state(screen.case_id)

    open_form(screen, _("Wissen op verzoek"), fields, run=run,
              confirm=_("Casus {case_id} wissen? Namen, data en alles wat is geschreven verdwijnen; "
                        "dit kan niet ongedaan worden gemaakt. Het journaal houdt vast dát er is "
                        "gewist, door wie en waarom.", case_id=screen.case_id),
              intro=_("Alleen een gesloten casus. Zo wist ook de bewaartermijn."), form_id="form-erase")
