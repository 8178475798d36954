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
