"""Meldcode TUI plugin: "Signalen kinderopvang 0–4", a catalogue built in Python.

Registered through the entry point ``kinderopvang`` in the ``meldcode`` group. Uses only the
public types of ``meldcode_tui.plugins``.
"""

from __future__ import annotations

from meldcode_tui.plugins import AgeGroup, Catalogue, Category, Signal, hookimpl

__version__ = "0.1.0"

CATALOGUE_ID = "kinderopvang-0-4"

_BABY, _DREUMES, _PEUTER = "0-1", "1-2", "2-4"

_AGE_GROUPS = (
    AgeGroup(_BABY, "Baby (0 tot 1 jaar)", 0, 1),
    AgeGroup(_DREUMES, "Dreumes (1 tot 2 jaar)", 1, 2),
    AgeGroup(_PEUTER, "Peuter (2 tot 4 jaar)", 2, 4),
)

_LM, _LV, _PM, _PV, _SM, _GH = (
    "lichamelijke-mishandeling", "lichamelijke-verwaarlozing", "psychische-mishandeling",
    "psychische-verwaarlozing", "seksueel-misbruik", "getuige-huiselijk-geweld",
)

_CATEGORIES = (
    Category(_LM, "Lichamelijke mishandeling"),
    Category(_LV, "Lichamelijke verwaarlozing"),
    Category(_PM, "Psychische mishandeling"),
    Category(_PV, "Psychische verwaarlozing"),
    Category(_SM, "Seksueel misbruik"),
    Category(_GH, "Getuige van huiselijk geweld"),
)

# (concerns, forms, age groups, text); ids are assigned below and must never be reused.
_ROWS = [
    ("child", [_LM], [_BABY], "Blauwe plekken bij een baby die nog niet kan kruipen."),
    ("child", [_LM], [], "Plekken op oren, wangen, hals of bovenarmen, waar een jong kind zelden valt."),
    ("child", [_LM], [], "Een plek met de vorm van een vingerafdruk of een hand."),
    ("child", [_LM, _PM], [_DREUMES, _PEUTER], "Het kind krimpt ineen als een volwassene de hand opsteekt."),
    ("child", [_LM], [_BABY], "De baby huilt hevig als hij wordt opgetild of aangeraakt op één bepaalde plek."),
    ("child", [_LV], [], "Het kind komt met een luier die al lang niet is verschoond."),
    ("child", [_LV], [], "Het kind heeft bij het brengen duidelijk honger of dorst en eet gulzig."),
    ("child", [_LV], [], "Er zijn geen reservekleding, luiers of flesvoeding mee, ook niet na afspraken."),
    ("child", [_LV], [_BABY], "De baby groeit slecht volgens de gegevens van het consultatiebureau."),
    ("child", [_LV], [], "Het kind heeft vaak een ongewassen lijfje, vuile nagels of vieze kleding."),
    ("child", [_LV], [], "Het kind komt ziek of met koorts naar de opvang zonder dat er iets is geregeld."),
    ("child", [_PV], [_BABY], "De baby reageert nauwelijks op een glimlach of een stem."),
    ("child", [_PV], [_BABY, _DREUMES], "Het kind huilt niet meer als het pijn heeft of alleen wordt gelaten."),
    ("child", [_PV], [_DREUMES, _PEUTER], "Het kind klampt zich vast aan iedere volwassene op de groep."),
    ("child", [_PV, _PM], [_PEUTER], "Het kind praat veel minder dan leeftijdsgenoten en kent weinig woorden."),
    ("child", [_PM, _GH], [_DREUMES, _PEUTER], "Het kind heeft driftbuien die opvallend lang duren of heftig zijn."),
    ("child", [_PM], [_PEUTER], "Het kind is bang om iets fout te doen en ruimt dwangmatig op."),
    ("child", [_GH], [_PEUTER], "Het kind speelt in de poppenhoek na dat papa en mama elkaar pijn doen."),
    ("child", [_GH, _PM], [], "Het kind schrikt hevig van harde geluiden of van volwassenen die hun stem verheffen."),
    ("child", [_SM], [_PEUTER], "Het kind doet seksuele handelingen na die het op deze leeftijd niet kan kennen."),
    ("child", [_SM], [], "Roodheid of wondjes rond de billen of geslachtsdelen, die niet door luieruitslag komen."),
    ("child", [_SM], [_DREUMES, _PEUTER], "Het kind verzet zich hevig tegen verschonen."),
    ("parent", [_LV, _PV], [], "Ouder haalt het kind vaak te laat op of is onbereikbaar."),
    ("parent", [_PM], [], "Ouder praat bij het brengen boos of kleinerend tegen het kind."),
    ("parent", [_PV], [_BABY], "Ouder heeft weinig oogcontact met de baby en praat er nauwelijks tegen."),
    ("parent", [_LV], [], "Ouder lijkt bij het halen onder invloed van alcohol of drugs."),
    ("parent", [_GH], [], "Ouder heeft zichtbaar letsel of vertelt over ruzies met geweld thuis."),
    ("risk_factor", [], [_BABY], "Een baby die veel huilt bij ouders die aangeven het niet meer aan te kunnen."),
    ("risk_factor", [], [], "Ouder heeft geen netwerk dat kan bijspringen."),
    ("protective_factor", [], [], "Ouder vraagt zelf om tips of hulp bij de opvoeding."),
    ("protective_factor", [], [], "Ouder en pedagogisch medewerker hebben een goed, open contact."),
]


def build_catalogue() -> Catalogue:
    signals = tuple(
        Signal(id=f"ko-{n:03d}", text=text, concerns=concerns, forms=tuple(forms), age_groups=tuple(ages))
        for n, (concerns, forms, ages, text) in enumerate(_ROWS, start=1)
    )
    return Catalogue(
        id=CATALOGUE_ID,
        title="Signalen kinderopvang 0–4",
        version=__version__,
        signals=signals,
        categories=_CATEGORIES,
        age_groups=_AGE_GROUPS,
        source="Eigen formulering, voorbeeldplugin Meldcode TUI",
        licence="EUPL-1.2",
        description="Signalen voor pedagogisch medewerkers in de kinderopvang en op de peutergroep.",
    )


@hookimpl
def meldcode_catalogues():
    return [build_catalogue()]
