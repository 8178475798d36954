"""The pupil register: reading the student administration's CSV export (pure: bytes in, rows
and problems out; no I/O), and the open point of a pupil who left the administration.

Mappings (one per system, as data in ``meldcode_tui/pupil_exports/*.toml``; a school adds its own
as ``[pupils_mapping]`` in the config, same keys) say which column headers carry which field,
the file's encodings, separator and date formats. Sources used to write them (column names as
the systems' documentation and the documentation of the systems' import partners name them; the
exact headers of a configurable export vary per school, which is why a mapping is data and a
column key may name several headers):

- ParnasSys: the EDEX export's pupil fields as listed by Aura Online's help ("Exportbestand
  maken in Parnassys of Esis", aura.nl/auraonlinehelp): leerlingnummer, achternaam,
  voorvoegsels, voorletters, roepnaam, geboortedatum, geslacht (1 = jongen, 2 = meisje),
  groep, postcode; "Uitwisseling met BRON" (ParnasSys handleiding, docplayer.nl) for the
  uitgeschreven status / uitschrijfdatum (rovict.nl support: "Welke dag wordt als
  uitschrijfdatum gezien").
- Magister: "Exportbestand maken in Magister" (aura.nl/auraonlinehelp): Leerlingen > Export,
  Stamnummer is the pupil's unique number, leading zeros optional (so a number is compared as
  text after stripping leading zeros); klas / stamklas.
- SOMtoday: Zermelo's documentation of importing pupils and parents from the administration
  (confluence.zermelo.nl "Leerlingen importeren en bijwerken", "ouders/verzorgers importeren"):
  the leerlingnummer is numeric, CSV files with a header line and ``;`` between fields.

What is kept is only what the app uses (name, date of birth, group, pupil number, gender,
address, leaving date, the parents with gezag and contact); every other column is ignored and
never stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from ..i18n import N_, _
from .case import last_unsettled
from .dates import format_date

MAX_PARENTS = 2
PARENT_FIELDS = ("name", "relation", "gezag", "phone", "email")
COLUMN_FIELDS = ("pupil_number", "last_name", "prefix", "first_name", "name", "date_of_birth",
                 "group", "gender", "street", "house_number", "postcode", "city", "address",
                 "left_on", *(f"parent{i}_{f}" for i in range(1, MAX_PARENTS + 1)
                              for f in PARENT_FIELDS))
SETTING_KEYS = ("label", "encoding", "delimiter", "date_format", "gender_values", "gezag_values")
GENDERS = ("male", "female", "other")
MAX_FIELD = 200            # one value of a pupil row (names, addresses)
MAX_COLUMNS = 200
MAX_ROWS = 20_000          # a very large school board stays far below

# Problem reasons (Dutch, shown with the line number and the field, never the value).
REASONS = {
    "columns": N_("aantal velden klopt niet met de kopregel"),
    "missing": N_("verplicht veld is leeg"),
    "date": N_("geen geldige datum"),
    "characters": N_("bevat stuur- of richtingstekens"),
    "too_long": N_("te lang"),
    "duplicate": N_("leerlingnummer staat er al eerder in"),
    "value": N_("onbekende waarde"),
    "too_many": N_("te veel regels; de rest is niet gelezen"),
}


FIELD_WORDS = {
    "pupil_number": N_("leerlingnummer"), "last_name": N_("achternaam"), "prefix": N_("tussenvoegsel"),
    "first_name": N_("roepnaam"), "name": N_("naam"), "date_of_birth": N_("geboortedatum"),
    "group": N_("groep/klas"), "gender": N_("geslacht"), "street": N_("straat"),
    "house_number": N_("huisnummer"), "postcode": N_("postcode"), "city": N_("plaats"),
    "address": N_("adres"), "left_on": N_("uitschrijfdatum"),
}
_PARENT_WORDS_FIELD = {"name": N_("naam"), "relation": N_("relatie"), "gezag": N_("gezag"),
                       "phone": N_("telefoon"), "email": N_("e-mail")}


def field_word(fld: str) -> str:
    """Our field name in Dutch (a report names the field, never the value)."""
    if fld in FIELD_WORDS:
        return _(FIELD_WORDS[fld])
    if fld.startswith("parent") and "_" in fld:
        head, _sep, sub = fld.partition("_")
        return _("ouder {n} {what}", n=head[6:], what=_(_PARENT_WORDS_FIELD.get(sub, sub)))
    return fld


class MappingError(ValueError):
    """A mapping (shipped or the school's own) that cannot be used; ``key`` names the key."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Mapping:
    name: str
    label: str
    encodings: tuple[str, ...]
    delimiter: str                         # ";", ",", "\t" or "auto"
    date_formats: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]    # field -> header names
    gender_values: dict[str, str]
    gezag_values: dict[str, str]


def _pairs(value: str, key: str, allowed: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for part in value.split("|"):
        if not part.strip():
            continue
        src, sep, dst = part.partition("=")
        if not sep or dst.strip() not in allowed:
            raise MappingError(key)
        out[src.strip().lower()] = dst.strip()
    return out


def mapping_from_table(name: str, table: dict) -> Mapping:
    """A mapping from its flat table of strings (the TOML file or the config's [pupils_mapping])."""
    for key, value in table.items():
        if key not in COLUMN_FIELDS and key not in SETTING_KEYS:
            raise MappingError(key)
        if not isinstance(value, str):
            raise MappingError(key)
    columns = {f: tuple(h.strip() for h in table[f].split("|") if h.strip())
               for f in COLUMN_FIELDS if table.get(f)}
    if "pupil_number" not in columns:
        raise MappingError("pupil_number")
    if "name" not in columns and "last_name" not in columns:
        raise MappingError("last_name")
    if "date_of_birth" not in columns:
        raise MappingError("date_of_birth")
    encodings = tuple(e.strip() for e in table.get("encoding", "utf-8-sig|cp1252").split("|") if e.strip())
    for enc in encodings:
        try:
            "".encode(enc)
        except LookupError:
            raise MappingError("encoding") from None
    delimiter = table.get("delimiter", "auto")
    delimiter = {"tab": "\t", "\\t": "\t"}.get(delimiter, delimiter)
    if delimiter not in (";", ",", "\t", "auto"):
        raise MappingError("delimiter")
    formats = tuple(f.strip() for f in table.get("date_format", "%d-%m-%Y|%Y-%m-%d").split("|") if f.strip())
    if not formats or any("%" not in f for f in formats):
        raise MappingError("date_format")
    return Mapping(name=name, label=table.get("label", name), encodings=encodings or ("utf-8",),
                   delimiter=delimiter, date_formats=formats, columns=columns,
                   gender_values=_pairs(table.get("gender_values", ""), "gender_values", GENDERS),
                   gezag_values=_pairs(table.get("gezag_values", ""), "gezag_values",
                                       ("yes", "no", "unknown")))


@dataclass(frozen=True)
class Problem:
    line: int      # physical line in the file (1 = the header)
    field: str     # our field name (or "" for the whole line)
    reason: str    # a key of REASONS

    def text(self) -> str:
        where = _("regel {line}", line=self.line)
        if self.field:
            where += ", " + _("veld {field}", field=field_word(self.field))
        return f"{where}: {_(REASONS[self.reason])}"


@dataclass
class ParseResult:
    rows: dict[str, dict] = field(default_factory=dict)     # pupil_number -> row
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[int] = field(default_factory=list)  # 1-based positions
    missing_columns: list[str] = field(default_factory=list)  # our fields the header lacks
    encoding: str = ""
    delimiter: str = ""
    # Pupil numbers on lines that could not be read (their register row is kept as it was), and
    # how many unreadable lines had no readable number (then nobody is taken for gone).
    unread_numbers: set[str] = field(default_factory=set)
    unread_unknown: int = 0


class ExportUnreadable(ValueError):
    """The file as a whole cannot be read (no header, wrong encoding, not the mapping's
    columns); ``reason`` is a short code for the Dutch message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _decode(data: bytes, encodings: tuple[str, ...]) -> tuple[str, str]:
    for enc in encodings:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise ExportUnreadable("encoding")


def _header_key(value: str) -> str:
    return " ".join(value.replace("\ufeff", "").strip().strip('"').lower().split())


def _pick_delimiter(first_line: str, mapping: Mapping) -> str:
    if mapping.delimiter != "auto":
        return mapping.delimiter
    known = {_header_key(h) for heads in mapping.columns.values() for h in heads}
    best, score = ";", -1
    for cand in (";", ",", "\t"):
        cells = next(csv.reader([first_line], delimiter=cand), [])
        hits = sum(1 for c in cells if _header_key(c) in known)
        if hits > score:
            best, score = cand, hits
    return best


def normal_number(value: str) -> str:
    """Pupil numbers compare as text without leading zeros (Magister exports them either way)."""
    v = value.strip()
    return v.lstrip("0") or v


def parse_date(value: str, formats: tuple[str, ...]) -> str | None:
    v = value.strip()
    for fmt in formats:
        try:
            return datetime.strptime(v, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _bad(value: str) -> bool:
    from ..text_safety import bad_character

    return bad_character(value) is not None


def parse_export(data: bytes, mapping: Mapping) -> ParseResult:
    """Read one export. Lines that cannot be read are reported (line, field, reason) and left
    out; the rest is returned. Raises :class:`ExportUnreadable` for the file as a whole."""
    text, encoding = _decode(data, mapping.encodings)
    if "\x00" in text:
        raise ExportUnreadable("binary")
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ExportUnreadable("header")
    delimiter = _pick_delimiter(first_line, mapping)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    result = ParseResult(encoding=encoding, delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ExportUnreadable("header") from None
    if len(header) > MAX_COLUMNS:
        raise ExportUnreadable("too_wide")
    keys = [_header_key(h) for h in header]
    index: dict[str, int] = {}
    for fld, heads in mapping.columns.items():
        for head in heads:
            k = _header_key(head)
            if k in keys:
                index[fld] = keys.index(k)
                break
    if "pupil_number" not in index or "date_of_birth" not in index or \
            ("name" not in index and "last_name" not in index):
        raise ExportUnreadable("columns")
    used = set(index.values())
    result.ignored_columns = [i + 1 for i in range(len(header)) if i not in used]
    result.missing_columns = [f for f in mapping.columns if f not in index]
    line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            result.problems.append(Problem(reader.line_num, "", "columns"))
            result.unread_unknown += 1
            continue
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.problems.append(Problem(start, "", "too_many"))
            break
        if len(cells) != len(header):
            result.problems.append(Problem(start, "", "columns"))
            _unread(result, cells, index)
            continue
        row, problem = _row(cells, index, mapping, start)
        if problem is not None:
            result.problems.append(problem)
            _unread(result, cells, index)
            continue
        if row["pupil_number"] in result.rows:
            result.problems.append(Problem(start, "pupil_number", "duplicate"))
            continue
        result.rows[row["pupil_number"]] = row
    return result


def _unread(result: ParseResult, cells: list[str], index: dict[str, int]) -> None:
    i = index["pupil_number"]
    number = normal_number(cells[i]) if i < len(cells) else ""
    if number and len(number) <= 32 and not _bad(number):
        result.unread_numbers.add(number)
    else:
        result.unread_unknown += 1


def _row(cells: list[str], index: dict[str, int], mapping: Mapping, line: int
         ) -> tuple[dict, Problem | None]:
    raw: dict[str, str] = {}
    for fld, i in index.items():
        value = " ".join(cells[i].split()) if "\n" in cells[i] or "\r" in cells[i] else cells[i].strip()
        if _bad(value):
            return {}, Problem(line, fld, "characters")
        if len(value) > MAX_FIELD:
            return {}, Problem(line, fld, "too_long")
        raw[fld] = value
    number = normal_number(raw.get("pupil_number", ""))
    if not number:
        return {}, Problem(line, "pupil_number", "missing")
    name = raw.get("name") or " ".join(p for p in (raw.get("first_name", ""), raw.get("prefix", ""),
                                                  raw.get("last_name", "")) if p)
    if not name:
        return {}, Problem(line, "last_name" if "last_name" in index else "name", "missing")
    if not raw.get("date_of_birth"):
        return {}, Problem(line, "date_of_birth", "missing")
    dob = parse_date(raw["date_of_birth"], mapping.date_formats)
    if dob is None:
        return {}, Problem(line, "date_of_birth", "date")
    left_on = ""
    if raw.get("left_on"):
        left_on = parse_date(raw["left_on"], mapping.date_formats) or ""
        if not left_on:
            return {}, Problem(line, "left_on", "date")
    gender = ""
    if raw.get("gender"):
        gender = mapping.gender_values.get(raw["gender"].lower(), "")
        if not gender and raw["gender"].lower() in GENDERS:
            gender = raw["gender"].lower()
        if not gender:
            return {}, Problem(line, "gender", "value")
    address = raw.get("address") or ", ".join(p for p in (
        " ".join(p for p in (raw.get("street", ""), raw.get("house_number", "")) if p),
        " ".join(p for p in (raw.get("postcode", ""), raw.get("city", "")) if p)) if p)
    parents = []
    for i in range(1, MAX_PARENTS + 1):
        pname = raw.get(f"parent{i}_name", "")
        if not pname:
            continue
        gezag_raw = raw.get(f"parent{i}_gezag", "")
        gezag = mapping.gezag_values.get(gezag_raw.lower(), "unknown") if gezag_raw else "unknown"
        parents.append({"name": pname, "relation": raw.get(f"parent{i}_relation", ""),
                        "gezag": gezag, "phone": raw.get(f"parent{i}_phone", ""),
                        "email": raw.get(f"parent{i}_email", "")})
    return {"pupil_number": number, "name": name, "date_of_birth": dob,
            "group": raw.get("group", ""), "gender": gender, "address": address,
            "left_on": left_on, "parents": parents}, None


def row_digest(row: dict) -> str:
    """What a "changed" pupil is compared by (every kept field)."""
    return hashlib.sha256(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --------------------------------------------------------------------------- relations

_PARENT_WORDS = ("moeder", "vader", "ouder", "mother", "father", "parent")


def household_relation(relation: str) -> str:
    """The household record's relation code for an administration's relation text."""
    low = relation.lower()
    if any(w in low for w in _PARENT_WORDS) and "pleeg" not in low and "stief" not in low:
        return "parent"
    return "carer"


# --------------------------------------------------------------------------- the leaving pupil

NOTICE_KIND = "pupil_gone_from_register"
LEAVING_TEXT = N_("Leerling staat niet meer in de leerlingadministratie: leg de vertrekdatum vast")


def pending_notice(state):
    """The register's latest notice that this pupil left, if no leaving date is recorded after
    it (the leaving date recorded settles it), else None."""
    notices = [r for r in state.records_by_seq.values() if r.kind == NOTICE_KIND and not r.erased]
    return last_unsettled(notices, state.departures)


def leaving_point(state, today: date):
    """The open point "record the leaving date", with the date the register proposes.

    Retention counts from the pupil's leaving (the school's protocol, bewaartermijn; AVG art. 5
    lid 1 e), so a leaving the administration knows of must not wait for someone to remember."""
    from .guide import OpenPoint

    notice = pending_notice(state)
    if notice is None:
        return None
    proposed = notice.get("proposed_on") or ""
    when = ""
    if proposed:
        when = " " + _("(voorstel: {date})", date=format_date(date.fromisoformat(proposed)))
    return OpenPoint("pupil_left_register", _(LEAVING_TEXT) + when + ".", "pupil_left_register",
                     "due", None, "confirm_pupil_left")
