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

from .dates import format_date

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
    # The household and the professionals around the pupil: their names, phones and
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
                  format_date(born),
                  f"{born.day}/{born.month}/{born.year}", f"{born.day:02d}/{born.month:02d}/{born.year}"]
        from ..i18n import _

        months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                  "september", "oktober", "november", "december")
        exact.append(f"{born.day} {_(months[born.month - 1])} {born.year}")
    terms |= {normalise(" ".join(e.split())) for e in exact if e and e.strip()}
    return {t for t in terms if t and t not in NAME_STOPWORDS}


def case_pattern(state, *, school: str = "") -> re.Pattern | None:
    return identifier_pattern(case_identifier_terms(state, school=school))


# --------------------------------------------------------------------------- small counts
# The figures a school shows its board, its medezeggenschapsraad or the inspectie must not point
# at a child. Every count under MIN_COUNT is shown as "<5" (also 0: "no acute melding this
# month" is as telling at a small school as "one"), and because a published total minus the
# other published cells would give a hidden cell back, more cells are hidden ("x") until no
# line (a row or column with its total) lets a hidden "<5" be worked out. This is the ONE place
# that turns counts into publishable text: the figures leave the service layer only as such text.

MIN_COUNT = 5
SMALL = "<5"        # the value is under MIN_COUNT
MASKED = "x"        # hidden so that a total cannot give a "<5" away (the value is MIN_COUNT or more)


_UNBOUNDED = 1 << 40


def _bounds(grid: list[list[int]], lines, hidden: dict) -> dict:
    """What someone holding the published table can work out about each hidden entry: interval
    bounds, tightened over every line (sum of cells = total) until nothing changes. A "<5" is
    0..4 and an "x" 5 or more to begin with."""
    bounds = {pos: ((0, MIN_COUNT - 1) if kind == SMALL else (MIN_COUNT, _UNBOUNDED))
              for pos, kind in hidden.items()}

    def b(pos):
        if pos in bounds:
            return bounds[pos]
        v = grid[pos[0]][pos[1]]
        return (v, v)

    changed = True
    while changed:
        changed = False
        for cells, total_pos in lines:
            # sum(cells) - total = 0: each term's bounds from the others'
            terms = [(pos, 1) for pos in cells] + [(total_pos, -1)]
            if not any(pos in bounds for pos, _s in terms):
                continue
            parts = [(pos, sign, *((b(pos)[0], b(pos)[1]) if sign > 0 else (-b(pos)[1], -b(pos)[0])))
                     for pos, sign in terms]
            lo_all = sum(p[2] for p in parts)
            hi_all = sum(p[3] for p in parts)
            for pos, sign, lo_own, hi_own in parts:
                if pos not in bounds:
                    continue
                lo_rest, hi_rest = lo_all - lo_own, hi_all - hi_own
                # sign * x = -rest  ->  x in [-hi_rest, -lo_rest] (sign 1) or [lo_rest, hi_rest]
                lo, hi = (-hi_rest, -lo_rest) if sign > 0 else (lo_rest, hi_rest)
                old = bounds[pos]
                new = (max(old[0], lo), min(old[1], hi))
                if new != old:
                    bounds[pos] = new
                    changed = True
    return bounds


def protect(values: list[list[int]], *, column_totals: bool = True) -> list[list[str]]:
    """Publishable text of a table of counts: ``values`` (rows of equal length, counts >= 0)
    gains a total per row (last column) and, with ``column_totals``, a total row (last row).
    Every count (totals too) under MIN_COUNT becomes SMALL; then, while the published table
    (the shown numbers and every row and column sum) still pins a SMALL cell to one value,
    more cells become MASKED: the smallest shown cell of a line through that cell (else the
    line's total)."""
    if not values:
        return []
    width = len(values[0])
    grid = [[int(v) for v in row] + [sum(int(v) for v in row)] for row in values]
    if column_totals:
        grid.append([sum(row[c] for row in grid) for c in range(width + 1)])
    data_rows = len(values)
    hidden: dict[tuple[int, int], str] = {
        (r, c): SMALL for r, row in enumerate(grid) for c, v in enumerate(row) if v < MIN_COUNT}
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = [
        ([(r, c) for c in range(width)], (r, width)) for r in range(len(grid))]
    if column_totals:
        lines += [([(r, c) for r in range(data_rows)], (data_rows, c)) for c in range(width + 1)]
    if not any(kind == SMALL for kind in hidden.values()):
        return [[str(v) for v in row] for row in grid]      # nothing small: nothing to protect
    # First the cheap, common case: a line with a shown total and one hidden cell.
    changed = True
    while changed:
        changed = False
        for cells, total_pos in lines:
            entries = [*cells, total_pos]
            if sum(q in hidden for q in entries) != 1 or total_pos in hidden:
                continue
            shown = [(grid[q[0]][q[1]], q) for q in cells if q not in hidden]
            hidden[min(shown)[1] if shown else total_pos] = MASKED
            changed = True
    while True:
        bounds = _bounds(grid, lines, hidden)
        pinned = [pos for pos, kind in hidden.items() if kind == SMALL
                  and bounds[pos][0] >= bounds[pos][1]]
        if not pinned:
            break
        # Where to hide more: a line through the pinned cell; else a line through any hidden
        # entry the table pins (it gave the value away on the way); else the smallest number.
        known = [q for q, (lo, hi) in bounds.items() if lo >= hi]
        best = None
        for around in ([pinned[0]], known):
            for cells, total_pos in lines:
                entries = [*cells, total_pos]
                if not any(q in entries for q in around):
                    continue
                shown = [(grid[q[0]][q[1]], q) for q in entries if q not in hidden]
                if shown and (best is None or min(shown) < best):
                    best = min(shown)
            if best is not None:
                break
        if best is None:
            shown = [(v, (r, c)) for r, row in enumerate(grid) for c, v in enumerate(row)
                     if (r, c) not in hidden]
            if not shown:
                break
            best = min(shown)
        hidden[best[1]] = MASKED
    return [[hidden.get((r, c), str(v)) for c, v in enumerate(row)] for r, row in enumerate(grid)]


def small(count: int) -> str:
    """One count on its own (no line to protect): SMALL under MIN_COUNT, else the number."""
    return SMALL if count < MIN_COUNT else str(int(count))
