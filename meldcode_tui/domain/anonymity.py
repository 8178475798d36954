"""Anonymity: finding names and identifiers in free text (accent- and case-insensitive, on word
boundaries). Used by the rule that an advice request to Veilig Thuis is anonymous and by the
``advies`` export, which refuses while a name is still in the text.

A name counts as its full form plus every part of three letters or more; tussenvoegsels, titles
and role words ("klasgenoot", "buurvrouw", "IVP") are never matched on their own, because people
name a source by role.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

# Tussenvoegsels and forms of address: never matched on their own.
NAME_STOPWORDS = frozenset({
    "de", "den", "der", "des", "het", "van", "von", "ter", "ten", "te", "in", "op", "onder",
    "aan", "bij", "uit", "voor", "over", "la", "le", "du", "da", "di", "del", "della", "dos",
    "el", "al", "bin", "ben", "ibn", "'t", "juf", "juffrouw", "meester", "meneer", "mevrouw",
    "mw", "dhr", "mr", "mrs", "dr", "drs", "ing", "fictief", "fictieve",
    # roles and organisations people write instead of a name ("collega IB", "Veilig Thuis")
    "veilig", "thuis", "collega", "leerkracht", "mentor", "intern", "interne", "begeleider",
    "zorgteam", "ouder", "ouders", "moeder", "vader", "schoolleider", "directeur", "school",
    "ondersteuningscoach", "vertrouwenspersoon", "vertrouwensarts", "arts", "huisarts",
    "jeugdarts", "wijkagent", "politie", "ggd", "forensisch", "regio", "team",
    "klasgenoot", "klasgenote", "buurvrouw", "buurman", "buren", "oma", "opa", "tante", "oom",
    "broer", "broertje", "zus", "zusje", "zuster", "neef", "nicht", "vriend", "vriendin",
    "huisgenoot", "stiefvader", "stiefmoeder", "pleegouder", "pleegmoeder", "pleegvader",
    "gezinscoach", "wijkteam", "ivp", "leerling", "kind", "onbekend", "anoniem",
})

_PAREN_RE = re.compile(r"\([^)]*\)")


def normalise(text: str) -> str:
    """Case- and accent-insensitive form used for matching."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_terms(name: str) -> set[str]:
    """A name's full form plus each part of 3+ letters, tussenvoegsels left out."""
    cleaned = " ".join(_PAREN_RE.sub(" ", str(name)).split())
    if not cleaned:
        return set()
    terms = {normalise(cleaned)}
    for part in re.split(r"[\s\-/]+", cleaned):
        part = part.strip(".,;:'\"")
        norm = normalise(part)
        letters = sum(ch.isalpha() for ch in norm)
        if letters >= 3 and norm not in NAME_STOPWORDS:
            terms.add(norm)
    return {t for t in terms if t and t not in NAME_STOPWORDS}


def identifier_pattern(terms: Iterable[str]) -> re.Pattern | None:
    ordered = sorted(set(terms), key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def find_identifiers(text: str, pattern: re.Pattern | None) -> bool:
    return bool(pattern and text and pattern.search(normalise(text)))


# --------------------------------------------------------------------------- the one check

def case_identifier_terms(state, *, school: str = "") -> set[str]:
    """Everything that identifies this case (a folded ``CaseState``), normalised for matching:
    the names of the pupil, the parents, the care-team members, who observed a signal and the
    other source named; the pupil number, the group, the school, the case id, the care-team
    user names and the date of birth in the usual spellings.

    This is THE anonymity check: the VT-advice rule, any consultation ticked "anoniem" and the
    ``advies`` export all call it (via :func:`case_pattern`), so the same text gets the same
    verdict everywhere."""
    from datetime import date

    pupil = state.pupil
    names: list[str] = [pupil.name or ""]
    names += [str(p.get("name") or "") for p in state.parents or [] if isinstance(p, dict)]
    exact: list[str] = [pupil.pupil_number or "", pupil.group or "", school or "", state.case_id or ""]

    def versions(rec):
        # A name corrected away still identifies the case: look at what was first written too.
        return [v for v in (rec.payload, getattr(rec, "original", None)) if isinstance(v, dict)]

    opened = [r for r in (state.records_by_seq or {}).values() if r.kind == "case_opened"]
    for rec in opened:
        for p in versions(rec):
            first = p.get("pupil") or {}
            if isinstance(first, dict):
                names.append(str(first.get("name") or ""))
                exact += [str(first.get("pupil_number") or ""), str(first.get("group") or "")]
            names += [str(m.get("name") or "") for m in p.get("parents") or [] if isinstance(m, dict)]
    # Every zorgteam the case ever had, not only the current one.
    teams = [state.care_team or []]
    teams += [p.get("members") or [] for rec in state.care_team_records or [] for p in versions(rec)]
    for team in teams:
        for member in team:
            if isinstance(member, dict):
                names.append(str(member.get("name") or ""))
                exact.append(str(member.get("user") or ""))
    # The household and the professionals around the pupil (issue 12): their names, phones and
    # addresses identify the family as surely as the pupil's own name.
    for rec in [*(getattr(state, "household_records", None) or []),
                *(getattr(state, "professional_records", None) or [])]:
        for p in versions(rec):
            names.append(str(p.get("name") or ""))
            exact += [str(p.get("phone") or ""), str(p.get("address") or "")]
    for rec in state.signals or []:
        for p in versions(rec):
            names.append(str(p.get("observed_by") or ""))
            if p.get("source") == "other":
                names.append(str(p.get("source_name") or ""))
    terms: set[str] = set()
    for name in names:
        terms |= name_terms(name)
    try:
        born = date.fromisoformat(pupil.date_of_birth) if pupil.date_of_birth else None
    except ValueError:
        born = None
    if born:
        exact += [born.isoformat(), f"{born.day}-{born.month}-{born.year}",
                  f"{born.day:02d}-{born.month:02d}-{born.year}",
                  f"{born.day}/{born.month}/{born.year}", f"{born.day:02d}/{born.month:02d}/{born.year}"]
        from ..i18n import _

        months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                  "september", "oktober", "november", "december")
        exact.append(f"{born.day} {_(months[born.month - 1])} {born.year}")
    terms |= {normalise(" ".join(e.split())) for e in exact if e and e.strip()}
    return {t for t in terms if t and t not in NAME_STOPWORDS}


def case_pattern(state, *, school: str = "") -> re.Pattern | None:
    return identifier_pattern(case_identifier_terms(state, school=school))


def identifying_places(texts: dict[str, str], pattern: re.Pattern | None) -> list[str]:
    """The places (keys of ``texts``) whose text still names or identifies the case."""
    return [place for place, text in texts.items() if find_identifiers(text or "", pattern)]
