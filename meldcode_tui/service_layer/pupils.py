"""The pupil register: loading the student administration's export, finding a pupil for a new
case, opening a case from the register, and the leaving pupil noticed.

The register is not a record: it is replaced whole at each load, never journalled, kept in the
database file (so encrypted with it) and read by the coordinator only (and by the file's owner at
the console) - never by a teacher, a zorgteam member or an auditor. What a load does to cases
(the notice that a pupil with a case left) goes through ``CaseService.record`` like every record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from ..clock import format_at
from ..domain import pupil_register as pr
from ..domain.case import CaseState
from ..domain.events import validate
from ..domain.people import may_create_case, may_use_pupil_register
from ..domain.rules import check
from ..errors import InputError, NotFound
from ..i18n import _

SYSTEMS = ("parnassys", "magister", "somtoday")
OWN_MAPPING = "eigen"
DEFAULT_MAX_MB = 20


# --------------------------------------------------------------------------- mappings

def mappings(config=None) -> dict[str, pr.Mapping]:
    """The shipped mappings (data files) and the school's own ([pupils_mapping] in the config)."""
    import tomllib

    out = {}
    for name in SYSTEMS:
        table = tomllib.loads(resources.files("meldcode_tui.pupil_exports")
                              .joinpath(f"{name}.toml").read_text("utf-8"))
        out[name] = pr.mapping_from_table(name, table)
    own = (getattr(config, "extra", None) or {}).get("pupils_mapping")
    if own:
        name = own.get("system", OWN_MAPPING).strip().lower() or OWN_MAPPING
        try:
            out[name] = pr.mapping_from_table(name, {k: v for k, v in own.items() if k != "system"})
        except pr.MappingError as exc:
            raise InputError(_("Configuratie: 'pupils_mapping.{key}' is niet bruikbaar.",
                               key=exc.key), field=f"pupils_mapping.{exc.key}") from None
    return out


def pupils_settings(config) -> tuple[str | None, int]:
    table = (getattr(config, "extra", None) or {}).get("pupils") or {}
    max_mb = int(table.get("max_mb", DEFAULT_MAX_MB))
    if not 1 <= max_mb <= 200:
        raise InputError(_("Configuratie: 'pupils.max_mb' moet tussen 1 en 200 liggen (megabytes)."),
                         field="pupils.max_mb")
    return table.get("system"), max_mb * 1024 * 1024


def pick_mapping(config, system: str | None) -> pr.Mapping:
    all_ = mappings(config)
    default, _max = pupils_settings(config)
    name = (system or default or "").strip().lower()
    if not name:
        raise InputError(_("Kies het systeem van de export met --system ({names}) of zet "
                           "[pupils] system in de configuratie.", names=", ".join(all_)),
                         field="system")
    if name not in all_:
        raise InputError(_("Onbekend systeem '{name}'; bekend zijn: {names}.", name=name,
                           names=", ".join(all_)), field="system")
    return all_[name]


# --------------------------------------------------------------------------- access

def _guard(svc, action: str) -> None:
    """Only the coordinator (and the file's owner at the console) reads or loads the register."""
    svc._require(may_use_pupil_register, action)


# --------------------------------------------------------------------------- loading

@dataclass
class LoadReport:
    source: str
    total: int = 0
    new: int = 0
    changed: int = 0
    gone: int = 0
    unchanged: int = 0
    kept: int = 0                          # unreadable lines whose old row is kept
    problems: list[pr.Problem] = field(default_factory=list)
    ignored_columns: list[int] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    noticed: list[str] = field(default_factory=list)     # case ids given the leaving point
    gone_unchecked: bool = False            # unreadable lines without a number: nobody "gone"

    def lines(self) -> list[str]:
        """The report in Dutch, one line each: counts, then each unreadable line (line
        number and field, never the content)."""
        sep = {";": "puntkomma", ",": "komma", "\t": "tab"}.get(self.delimiter, self.delimiter)
        out = [_("Leerlingadministratie ingelezen ({source}, {encoding}, {sep}): {total} leerlingen; "
                 "nieuw {new}, gewijzigd {changed}, verdwenen {gone}, ongewijzigd {unchanged}.",
                 source=self.source, encoding=self.encoding, sep=sep, total=self.total,
                 new=self.new, changed=self.changed, gone=self.gone, unchanged=self.unchanged)]
        if self.ignored_columns:
            out.append(_("Kolommen die de app niet gebruikt en niet bewaart: {cols}.",
                         cols=", ".join(str(c) for c in self.ignored_columns)))
        if self.problems:
            out.append(_("{n} regels niet gelezen:", n=len(self.problems)))
            out.extend("  " + p.text() for p in self.problems)
        if self.kept:
            out.append(_("Van {n} niet gelezen leerlingen blijven de gegevens van de vorige keer "
                         "staan.", n=self.kept))
        if self.gone_unchecked:
            out.append(_("Omdat niet elke regel een leesbaar leerlingnummer had, is voor niemand "
                         "een vertrek voorgesteld; lees een herstelde export opnieuw in."))
        if self.noticed:
            out.append(_("Vertrek voorgesteld (open punt) bij: {cases}.", cases=", ".join(self.noticed)))
        return out


def _replace_register(svc, rows: list[dict], meta: dict) -> dict[str, str]:
    """THE write of the register (one transaction): returns the digests it held before."""
    from .unit_of_work import unit_of_work

    with unit_of_work(svc, "pupils_load") as uow:
        return uow.replace_pupils(rows, meta)


def load_register(svc, data: bytes, mapping: pr.Mapping, *, max_bytes: int | None = None) -> LoadReport:
    """Read ``data`` (the export's bytes) with ``mapping`` and replace the register."""
    _guard(svc, "pupils_load")
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(_("De export is groter dan {mb} MB; er is niets ingelezen.",
                           mb=max_bytes // (1024 * 1024)), field="file")
    try:
        parsed = pr.parse_export(data, mapping)
    except pr.ExportUnreadable as exc:
        raise InputError({
            "encoding": _("De export is geen tekst in {encodings}; er is niets ingelezen.",
                          encodings=" of ".join(mapping.encodings)),
            "binary": _("De export is geen CSV-tekst; er is niets ingelezen."),
            "header": _("De export heeft geen kopregel; er is niets ingelezen."),
            "too_wide": _("De kopregel heeft meer dan {n} kolommen; er is niets ingelezen.",
                          n=pr.MAX_COLUMNS),
            "columns": _("De kopregel heeft niet de kolommen van {system} (leerlingnummer, naam, "
                         "geboortedatum); er is niets ingelezen. Kies een ander --system of een "
                         "eigen koppeling in de configuratie.", system=mapping.label),
        }[exc.reason], field="file") from None
    if not parsed.rows:
        raise InputError(_("Er is geen enkele leerling gelezen; de leerlingadministratie is niet "
                           "vervangen."), field="file")
    previous = {r["pupil_number"]: r for r in svc.store.pupils()}
    rows = dict(parsed.rows)
    kept = 0
    for number in parsed.unread_numbers - set(rows):
        if number in previous:        # an unreadable line does not make a pupil disappear
            rows[number] = previous[number]
            kept += 1
    stored = []
    for number, row in rows.items():
        stored.append({**row, "digest": pr.row_digest({k: v for k, v in row.items() if k != "digest"})})
    now = svc.now()
    meta = {"loaded_at": format_at(now), "source": mapping.label, "actor": svc.actor}
    before = _replace_register(svc, stored, meta)
    report = LoadReport(source=mapping.label, total=len(stored), problems=parsed.problems,
                        ignored_columns=parsed.ignored_columns,
                        missing_columns=parsed.missing_columns, encoding=parsed.encoding,
                        delimiter=parsed.delimiter, kept=kept,
                        gone_unchecked=parsed.unread_unknown > 0)
    for r in stored:
        old = before.get(r["pupil_number"])
        if old is None:
            report.new += 1
        elif old != r["digest"]:
            report.changed += 1
        else:
            report.unchanged += 1
    gone = set(before) - set(rows)
    report.gone = len(gone)
    today = svc.today()
    leaving = {n: r["left_on"] for n, r in rows.items()
               if r.get("left_on") and r["left_on"] <= today.isoformat()}
    candidates = {n: ("leaving_date", d) for n, d in leaving.items()}
    if not report.gone_unchecked:
        candidates.update({n: ("gone", today.isoformat()) for n in gone})
    if candidates:
        report.noticed = _notice_leavers(svc, candidates, mapping.label)
    return report


def _cases_by_number(svc) -> dict[str, list[CaseState]]:
    out: dict[str, list[CaseState]] = {}
    for row in svc.store.case_rows():
        try:
            state = svc.get_state(row["case_id"])
        except Exception:  # noqa: BLE001 - a case this session may not see is not ours to mark
            continue
        number = pr.normal_number(state.pupil.pupil_number or "")
        if number:
            out.setdefault(number, []).append(state)
    return out


def _notice_leavers(svc, candidates: dict[str, tuple[str, str]], source: str) -> list[str]:
    noticed = []
    by_number = _cases_by_number(svc)
    for number, (reason, proposed) in sorted(candidates.items()):
        for state in by_number.get(number, []):
            if state.left_on:
                continue                # the leaving date is recorded already
            pending = pr.pending_notice(state)
            if pending is not None and pending.get("proposed_on") == proposed:
                continue                # told already (the same load again)
            svc.record(state.case_id, pr.NOTICE_KIND,
                       {"proposed_on": proposed, "reason": reason, "source": source})
            noticed.append(state.case_id)
    return noticed


def confirm_pupil_left(svc, case_id: str, *, expect_seq: int | None = None) -> CaseState:
    """One key: the register's proposed leaving date becomes the recorded ``pupil_left``."""
    state = svc.get_state(case_id)
    notice = pr.pending_notice(state)
    if notice is None:
        raise InputError(_("Casus {case_id} heeft geen voorgestelde vertrekdatum uit de "
                           "leerlingadministratie.", case_id=case_id), field="on")
    note = _("Vertrekdatum uit de leerlingadministratie ({source}).",
             source=notice.get("source") or "")
    return svc.record_pupil_left(case_id, notice["proposed_on"], note, expect_seq=expect_seq)


# --------------------------------------------------------------------------- finding a pupil

def register_info(svc) -> dict | None:
    """When the register was last loaded (None: never); the coordinator's only."""
    if not may_use_pupil_register(svc.role):
        return None
    return svc.store.pupil_register_load()


def all_pupils(svc) -> list[dict]:
    """The whole register (a picker reads it once, then filters as the coordinator types)."""
    _guard(svc, "pupils_find")
    return svc.store.pupils()


def find_pupils(svc, query: str, limit: int = 8, *, rows: list[dict] | None = None) -> list[dict]:
    """Pupils by number (exact, leading zeros ignored) or name (fuzzy, as the signal picker)."""
    if rows is None:
        rows = all_pupils(svc)
    q = (query or "").strip()
    if not q:
        return rows[:limit]
    number = pr.normal_number(q)
    exact = [r for r in rows if r["pupil_number"] == number]
    if exact:
        return exact
    from rapidfuzz import fuzz, process

    names = [r["name"] for r in rows]
    hits = process.extract(q, names, scorer=fuzz.WRatio, processor=str.lower, limit=limit,
                           score_cutoff=60)
    return [rows[i] for _name, _score, i in hits]


def pupil(svc, number: str) -> dict:
    _guard(svc, "pupils_find")
    row = svc.store.pupil(pr.normal_number(number or ""))
    if row is None:
        raise NotFound(_("Leerlingnummer {number} staat niet in de leerlingadministratie.",
                         number=number if len(number or "") <= 32 else "?"))
    return row


# --------------------------------------------------------------------------- a case from it

def case_values(row: dict) -> dict:
    """The new-case form's values for a register row (all stay editable)."""
    return {"pupil_name": row["name"], "date_of_birth": row["date_of_birth"],
            "group": row.get("group", ""), "pupil_number": row["pupil_number"],
            "gender": row.get("gender", ""), "address": row.get("address", ""),
            "parents": "\n".join(parent_line(p) for p in row.get("parents", []))}


GEZAG_WORDS = {"yes": "gezag", "no": "geen gezag"}


def parent_line(p: dict) -> str:
    """``naam, relatie, gezag, telefoon`` (the form's parents field, one per line)."""
    parts = [p.get("name", ""), p.get("relation", ""), GEZAG_WORDS.get(p.get("gezag", ""), ""),
             p.get("phone", "")]
    while parts and not parts[-1]:
        parts.pop()
    return ", ".join(parts)


def parse_parent_line(line: str) -> dict:
    parts = [x.strip() for x in line.split(",")]
    out = {"name": parts[0], "relation": parts[1] if len(parts) > 1 else "", "gezag": "unknown",
           "phone": ""}
    for extra in parts[2:]:
        low = extra.lower()
        if low in ("gezag", "met gezag"):
            out["gezag"] = "yes"
        elif low in ("geen gezag", "zonder gezag"):
            out["gezag"] = "no"
        elif extra:
            out["phone"] = extra
    return out


def create_case_from_register(svc, number: str, values: dict | None = None) -> CaseState:
    """A new case with the register's data for pupil ``number`` (``values``: the form as the
    coordinator left it - every field editable). The case records the register's load and which
    fields were changed; the parents become household members with their gezag and contact."""
    row = pupil(svc, number)
    info = svc.store.pupil_register_load() or {}
    base = case_values(row)
    v = {**base, **{k: val for k, val in (values or {}).items() if val is not None}}
    edited = sorted(k for k in base if (v.get(k) or "") != (base.get(k) or ""))
    parents = [parse_parent_line(line) for line in (v.get("parents") or "").splitlines() if line.strip()]
    payload = validate("case_opened", {
        "pupil": {"name": v["pupil_name"], "date_of_birth": v["date_of_birth"],
                  "group": v.get("group", ""), "pupil_number": v.get("pupil_number", ""),
                  "gender": v.get("gender", ""), "address": v.get("address", "")},
        "parents": [{"name": p["name"], "relation": p["relation"]} for p in parents],
        "owner": svc.actor, "note": v.get("note", "") or "",
        "staff_suspicion": bool(v.get("staff_suspicion")),
        "register": {"source": info.get("source", ""), "loaded_at": info.get("loaded_at", ""),
                     "edited": edited},
    })
    members = [validate("household_member_added", {
        "name": p["name"], "relation": pr.household_relation(p["relation"]),
        "relation_detail": p["relation"], "gezag": p["gezag"], "phone": p["phone"]})
        for p in parents]
    svc._require(may_create_case, "case_opened")
    today, at = svc.today(), format_at(svc.now())
    check(CaseState(), "case_opened", payload, today)
    return _open_case_with_household(svc, payload, members, today, at)


def _open_case_with_household(svc, payload: dict, members: list[dict], today, at) -> CaseState:
    """THE write of a case from the register: the case and its household in one transaction."""
    from .unit_of_work import unit_of_work

    with unit_of_work(svc, "case_opened") as uow:
        case = uow.new_case(payload)
        for member in members:
            uow.record(case, "household_member_added", member)
        return case.state
