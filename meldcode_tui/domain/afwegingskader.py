"""The afwegingskader (education version, since 2019): five questions answered in order.

| # | question | no | yes |
| 1 | suspicion? | close (reason), help if needed | go to 2 |
| 2 | acute and/or structural unsafety? (yes or doubt) | go to 3 | report now; 3-5 with Veilig Thuis |
| 3 | effective help possible? | report | go to 4 |
| 4 | help accepted by those involved? | report | help: deadline, agreements, roles, case manager |
| 5 | results reached in time? (after the help was reviewed) | (re)report | close with monitoring agreements |

Wording of questions 3 and 5 as in the afwegingskader for education (Rijksoverheid, 2019; as used
in the regional handelingsprotocol, e.g. handelingsprotocol.nl "Utrecht BO, stap 5: hulp of
melden"): Q3 asks whether effective help can be offered or organised *and the threat of
(possible) domestic violence or child abuse can be averted* ("kan de dreiging ... worden
afgewend"); Q5 asks for the agreed results on safety, wellbeing *and/or recovery* ("herstel") of
those directly involved. Both parts are kept because each changes the answer: help that cannot
avert the threat, or results without recovery, lead to a report.
"""

from __future__ import annotations

from ..i18n import N_, _

QUESTIONS = {
    1: N_("Is er op basis van de stappen 1 tot en met 3 een vermoeden van (dreigend) huiselijk "
          "geweld of kindermishandeling?"),
    2: N_("Is er sprake van acute en/of structurele onveiligheid? (ook bij twijfel: ja)"),
    3: N_("Kan de school (tweedelijns: zorgcoördinator, vertrouwenspersoon) of een partner "
          "effectieve hulp bieden of organiseren, en kan zo de dreiging van (mogelijk) huiselijk "
          "geweld of kindermishandeling worden afgewend?"),
    4: N_("Aanvaarden de betrokkenen die hulp en werken zij actief mee?"),
    5: N_("Leidt de hulp binnen de afgesproken termijn tot de afgesproken resultaten voor de "
          "veiligheid, het welzijn en/of het herstel van de direct betrokkenen?"),
}

# Where each answer leads (the right-hand columns of the afwegingskader).
ROUTES = {
    1: N_("Nee: sluit de casus en leg vast waarom; organiseer zo nodig hulp. Ja: ga naar vraag 2."),
    2: N_("Ja of twijfel: meld nu (telefonisch) bij Veilig Thuis en beantwoord 3 tot en met 5 "
          "samen met Veilig Thuis. Nee: ga naar vraag 3."),
    3: N_("Nee: melden. Ja: ga naar vraag 4."),
    4: N_("Nee: melden. Ja: start de hulp met een termijn, afspraken, rollen en een casemanager."),
    5: N_("Nee: (opnieuw) melden. Ja: sluit af met schriftelijke afspraken over het volgen "
          "van de veiligheid."),
}


def question_text(q: int) -> str:
    return _(QUESTIONS[q])


def next_question(state) -> int | None:
    """The question to answer next, or None when the path stops (or waits for a review)."""
    a = state.answer
    if a(1) is None:
        return 1
    if a(1) == "no":
        return None
    if a(2) is None:
        return 2
    if a(3) is None:
        return 3
    if a(3) == "no":
        return None
    if a(4) is None:
        return 4
    if a(4) == "no":
        return None
    if a(5) is None and state.help_reviews:
        return 5
    return None


def stop_hint(state) -> str:
    a = state.answer
    if a(1) == "no":
        return _("Er is geen vermoeden: sluit de casus en schrijf op waarom.")
    if a(3) == "no" or a(4) == "no":
        return _("Effectieve, aanvaarde hulp is niet mogelijk: doe een melding.")
    if a(4) == "yes" and a(5) is None:
        return _("Vraag 5 komt na de evaluatie van de hulp.")
    return _("Alle vragen zijn beantwoord.")


def with_veilig_thuis_required(state) -> bool:
    return state.answer(2) in ("yes", "doubt")


def missing_for_decision(state) -> str | None:
    """Dutch text saying which answer the decision still waits for, or None."""
    a = state.answer
    if a(1) is None:
        return _("Vraag 1 van het afwegingskader is nog niet beantwoord.")
    if a(1) == "no":
        return _("Er is geen vermoeden (vraag 1): er valt niets te besluiten; sluit de casus met een reden.")
    if a(2) is None:
        return _("Vraag 2 van het afwegingskader is nog niet beantwoord.")
    if a(2) in ("yes", "doubt"):
        # Afwegingskader onderwijs (2019): acute/structural unsafety or doubt -> report now; questions
        # 3-5 are answered together with Veilig Thuis after the report (open points), so the decision
        # "melden noodzakelijk" does not wait for them.
        return None
    for q in (3,):
        if a(q) is None:
            return _("Vraag {q} van het afwegingskader is nog niet beantwoord.", q=q)
    if a(3) == "yes" and a(4) is None:
        return _("Vraag 4 van het afwegingskader is nog niet beantwoord.")
    return None


def decision_problem(state, report_needed: bool, help_possible: bool) -> str | None:
    """Why a decision does not fit the answers (Dutch), or None."""
    a = state.answer
    if a(2) in ("yes", "doubt") and not report_needed:
        return _("Bij acute of structurele onveiligheid (of twijfel) is melden noodzakelijk.")
    if a(3) == "no":
        if not report_needed:
            return _("Effectieve hulp is niet mogelijk (vraag 3): melden is noodzakelijk.")
        if help_possible:
            return _("Vraag 3 zegt dat effectieve hulp niet mogelijk is; het besluit zegt van wel.")
    if a(4) == "no":
        if not report_needed:
            return _("De hulp wordt niet aanvaard (vraag 4): melden is noodzakelijk.")
        if help_possible:
            return _("Vraag 4 zegt dat de hulp niet wordt aanvaard; het besluit zegt dat hulp mogelijk is.")
    if a(4) == "yes" and not help_possible:
        return _("Hulp is mogelijk en wordt aanvaard (vragen 3 en 4): plan die hulp.")
    if a(5) == "no" and not report_needed:
        return _("De hulp bereikt de resultaten niet (vraag 5): (opnieuw) melden is noodzakelijk.")
    return None
