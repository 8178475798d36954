"""Rules of data protection: leaving date, inzage, zienswijze, erasure, the encrypted store.

Some of these ids are raised where the act happens rather than here - the store refuses to erase
an erasure record or a payload another case shares (``store/core.py``), the erasure use case
refuses an open or already erased case (``service_layer/erasure.py``), the inzage export refuses
without a decision (``exports/inzage.py``) and the encryption refuses to rekey to the same key or
to convert a database that does not verify (``store/convert.py``) - but every id is listed here,
so a rule has one name, one Dutch text and one test wherever it is enforced.
"""

from __future__ import annotations

from datetime import date

from ...i18n import N_, _
from ..case import CaseState
from .base import as_date, check_not_before_birth, register_rules, violation

register_rules({
    "erased_case_final": N_("Een gewiste casus wordt niet heropend en krijgt geen nieuwe vastleggingen: "
                            "wat erin stond is weg."),
    "erase_via_retention": N_("Een casus wordt gewist met 'meldcode retention' (bewaartermijn of "
                              "verzoek), niet als losse vastlegging."),
    "zienswijze_after_inzage": N_("Een zienswijze van de ouders hoort bij een besluit over inzage."),
    "retention_only_closed": N_("Alleen een gesloten casus wordt gewist."),
    "already_erased": N_("Wat al gewist is, wordt niet nog eens gewist."),
    "erasure_record": N_("Een vastgelegde wisactie blijft staan; die wordt zelf niet gewist."),
    "payload_shared": N_("Inhoud die ook bij een andere casus hoort, wordt niet voor één casus gewist."),
    "inzage_needs_decision": N_("Een inzage-export volgt op een vastgelegd besluit over de inzage."),
    "inzage_refused": N_("Weigert het laatste besluit de inzage, dan wordt er niets geëxporteerd."),
    "rekey_same": N_("Een nieuwe sleutel voor de database verschilt van de oude."),
    "already_encrypted": N_("Een database wordt één keer versleuteld; een andere sleutel geven is "
                            "'meldcode admin rekey'."),
    "convert_unverified": N_("Een database wordt alleen omgezet als de controle van de keten klopt."),
})

# Records that land on a closed case too: retention counts from the pupil's leaving (closed or
# not), and inzage, zienswijze, the register's notice that the pupil left and the transfer's
# traces concern the dossier as a whole (AVG art. 15 and 17; Wet op het primair onderwijs).
PRIVACY_KINDS = frozenset({"pupil_left", "case_erased", "inzage_decided", "zienswijze_recorded",
                           "pupil_gone_from_register", "overstap_exported", "overstap_receipt"})


def check_not_erased(state: CaseState) -> None:
    """erased_case_final: the school's protocol has every step recorded "in het dossier van de
    leerling" (Stap 1); once that record is erased (retention, or on request under the AVG, art.
    17) there is no dossier left to add to, and a nameless case that grows again would be a new
    record about nobody. New concerns about the pupil start a new case."""
    if state.erasure_records:
        raise violation("erased_case_final", _(
            "Casus {case_id} is gewist: hij kan niet worden heropend en krijgt geen nieuwe "
            "vastleggingen.", case_id=state.case_id),
            _("Zijn er nieuwe zorgen over deze leerling, open dan een nieuwe casus."))


def check_privacy(state: CaseState, kind: str, payload: dict, today: date, replay: bool) -> None:
    """Leaving date, inzage and zienswijze: also on a closed case. ``erase_via_retention``: an
    erasure record is written by the retention code only, together with the erasure itself (AVG
    art. 17: the record of the erasure is what remains). ``zienswijze_after_inzage``: parents
    give their view on what they saw (AVG art. 15/16), so it follows an inzage decision."""
    if kind == "case_erased":
        if not replay:
            raise violation("erase_via_retention", _(
                "Een casus wordt gewist met 'meldcode retention', niet als vastlegging."))
        return
    check_not_before_birth(state, kind, payload)
    day = payload.get("on") or payload.get("decided_on")
    if day and not replay and as_date(day) > today:
        raise violation("date_not_in_future", _("De datum ligt in de toekomst."),
                        _("Leg vast wat gebeurd is, met de datum waarop het gebeurde."))
    if kind == "zienswijze_recorded" and not state.inzage:
        raise violation("zienswijze_after_inzage", _(
            "Een zienswijze van de ouders hoort bij een inzage; leg eerst het besluit over de "
            "inzage vast."))
