"""Is de melding compleet? What Veilig Thuis's meldformulier asks that is not on record yet.

Veilig Thuis's form for professionals asks, in its part "betrokkenen", the child's name, date of
birth, gender and address and the parents' names and addresses (and who has gezag), and in
"melding" the facts and whether the melding was discussed with the family beforehand
(https://vooreenveiligthuis.nl/professional/ - the digital meldformulier; the school's protocol,
stap 5: the melding rests on facts and on the conversation beforehand). The check lists the gaps
before every melding export; it never blocks one - an acute melding goes out as it is.

Only field descriptions, never case content: the list is printed on the command line.
"""

from __future__ import annotations

from ..i18n import _
from .case import CaseState


def _same(a: str, b: str) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def melding_gaps(state: CaseState) -> list[str]:
    """Dutch descriptions of what a melding to Veilig Thuis still lacks (empty: complete)."""
    gaps: list[str] = []
    if not state.pupil.date_of_birth:
        gaps.append(_("geboortedatum van de leerling"))
    if not state.pupil.address:
        gaps.append(_("adres van de leerling"))
    if not state.pupil.gender:
        gaps.append(_("geslacht van de leerling"))
    household = state.household
    parents_in_household = [r for r in household if r.get("relation") in ("parent", "carer")]
    if not state.parents and not parents_in_household:
        gaps.append(_("ouders of verzorgers (naam en adres)"))
    for i, parent in enumerate(state.parents, 1):
        if parent.get("address"):
            continue
        known = any(_same(r.get("name", ""), parent.get("name", "")) and r.get("address")
                    for r in household)
        if not known:
            gaps.append(_("adres van ouder/verzorger {n}", n=i))
    if not any(r.get("gezag") == "yes" for r in household):
        gaps.append(_("wie het gezag heeft (Gezin en netwerk)"))
    if not state.signals_supporting():
        gaps.append(_("de signalen: wat is gezien of gehoord, wanneer en door wie"))
    if not state.pre_report_contacts and not state.exception("report_without_contact"):
        gaps.append(_("het gesprek vooraf over de melding met leerling en/of ouders (of de uitzondering "
                      "met reden)"))
    return gaps


def melding_check_text(state: CaseState) -> str:
    """One Dutch paragraph for the export dialog and the command line."""
    gaps = melding_gaps(state)
    if not gaps:
        return _("Is de melding compleet? Ja: wat Veilig Thuis vraagt, is vastgelegd.")
    return _("Is de melding compleet? Nog niet vastgelegd: {gaps}. U kunt toch melden; vul het "
             "zo nodig later aan.", gaps="; ".join(gaps))
