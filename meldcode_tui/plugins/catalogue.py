"""Signal catalogues: the types, the TOML loader and the checker.

A catalogue is a list of observable signals ("signalen"), grouped by age group and pointing at
the forms of abuse ("categorieën") they may indicate. Catalogues come from plugins: the
built-in plugin reads TOML files (``catalogues/*.toml`` plus the folders named in the config),
third-party plugins may build :class:`Catalogue` objects in Python.

TOML format (see docs/PLUGINS.md for the full description)::

    [catalogue]
    id = "meldcode-basis"          # stable, [a-z0-9._-]
    title = "Signalen basis"
    version = "2026.1"
    source = "Eigen formulering"   # optional: where the wording comes from / licence note
    licence = "EUPL-1.2"           # optional

    [[age_groups]]
    id = "4-12"
    label = "4 tot 12 jaar"
    min_age = 4                    # years, inclusive
    max_age = 12                   # years, exclusive

    [[categories]]
    id = "lichamelijke-mishandeling"
    title = "Lichamelijke mishandeling"
    conversation_danger = false    # optional: true when talking with the parents may endanger
                                   # the child (sexual abuse, honour-related violence, FGM)

    [[signals]]
    id = "bs-0001"                 # stable: records point at it
    text = "Blauwe plekken op plaatsen waar kinderen zelden vallen"
    concerns = "child"             # child | parent | risk_factor | protective_factor
    forms = ["lichamelijke-mishandeling"]
    age_groups = ["4-12"]          # empty or missing: every age group

Nothing here imports pluggy or textual.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import InputError
from ..i18n import N_, _

CONCERNS: tuple[str, ...] = ("child", "parent", "risk_factor", "protective_factor")

#: Dutch labels for ``Signal.concerns`` (translate at use with ``_()``).
CONCERN_LABELS: dict[str, str] = {
    "child": N_("signaal bij het kind"),
    "parent": N_("signaal bij de ouder(s)"),
    "risk_factor": N_("risicofactor"),
    "protective_factor": N_("beschermende factor"),
}

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def concern_label(concerns: str) -> str:
    return _(CONCERN_LABELS.get(concerns, concerns))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue. ``place`` is ``line:col`` for TOML syntax errors,
    a key path such as ``signals[12].age_groups[0]`` otherwise (``""`` for the whole file)."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


@dataclass(frozen=True)
class AgeGroup:
    id: str
    label: str
    min_age: float
    max_age: float  # exclusive

    def contains(self, age_years: float) -> bool:
        return self.min_age <= age_years < self.max_age


@dataclass(frozen=True)
class Category:
    """A form of abuse a signal may point at. ``conversation_danger``: a conversation with the
    parents about a signal of this form may endanger the child, so the app warns before it,
    proposes the exception "geen gesprek met de ouders" (veiligheid) and asks to consult Veilig
    Thuis first. Source: the school's protocol, step 3 "Geen gesprek met de cliënt/dader" (a
    suspicion of sexual abuse or honour-related violence is not yet discussed with the
    perpetrator when he may take it out on the victim); Movisie, factsheet "De Meldcode bij
    (vermoedens van) eergerelateerd geweld" (april 2020, chapter "expert raadplegen": consult an
    expert such as Veilig Thuis, 0800-2000, before the steps with the family); GGD Amsterdam,
    https://www.ggd.amsterdam.nl/nieuws/wees-alert-signalen-meisjesbesnijdenis/ ("Als u signalen
    oppikt of zorgen heeft over meisjesbesnijdenis, vraag dan advies bij Veilig Thuis")."""

    id: str
    title: str
    description: str = ""
    conversation_danger: bool = False


@dataclass(frozen=True)
class Signal:
    id: str
    text: str
    concerns: str = "child"
    forms: tuple[str, ...] = ()
    age_groups: tuple[str, ...] = ()  # empty: every age group

    def __post_init__(self) -> None:
        # Accept lists from plugin authors; keep the object hashable.
        if isinstance(self.forms, list):
            object.__setattr__(self, "forms", tuple(self.forms))
        if isinstance(self.age_groups, list):
            object.__setattr__(self, "age_groups", tuple(self.age_groups))

    def applies_to(self, age_group_id: str | None) -> bool:
        return not age_group_id or not self.age_groups or age_group_id in self.age_groups


@dataclass(frozen=True)
class Catalogue:
    id: str
    title: str
    version: str
    signals: tuple[Signal, ...] = ()
    categories: tuple[Category, ...] = ()
    age_groups: tuple[AgeGroup, ...] = ()
    source: str = ""
    licence: str = ""
    description: str = ""
    path: Path | None = field(default=None, compare=False)
    _signal_index: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("signals", "categories", "age_groups"):
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        index = {}
        if isinstance(self.signals, tuple):
            for s in self.signals:
                sid = getattr(s, "id", None)
                if isinstance(sid, str):
                    index.setdefault(sid, s)
        object.__setattr__(self, "_signal_index", index)

    # -- lookups -------------------------------------------------------------------------
    def signal(self, signal_id: str) -> Signal | None:
        return self._signal_index.get(signal_id)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def age_group(self, age_group_id: str) -> AgeGroup | None:
        return next((a for a in self.age_groups if a.id == age_group_id), None)

    def age_group_for(self, age_years: float) -> AgeGroup | None:
        return next((a for a in self.age_groups if a.contains(age_years)), None)

    def signals_for(self, age_group: str | None = None, *, concerns: str | None = None,
                    form: str | None = None) -> list[Signal]:
        return [
            s for s in self.signals
            if s.applies_to(age_group)
            and (concerns is None or s.concerns == concerns)
            and (form is None or form in s.forms)
        ]

    def conversation_danger(self, signal: Signal) -> bool:
        """Whether the signal points at a form marked ``conversation_danger``."""
        return any(c.conversation_danger for c in self.categories if c.id in signal.forms)

    def signal_ref(self, signal_id: str) -> dict:
        """The ``catalogue`` part of a ``signal_recorded`` payload for this signal. The danger
        flag is recorded with the signal, so the case keeps the warning when the catalogue
        changes (and the domain needs no catalogue to give it)."""
        sig = self.signal(signal_id)
        if sig is None:
            raise KeyError(signal_id)
        return {
            "catalogue_id": self.id,
            "catalogue_version": self.version,
            "signal_id": sig.id,
            "text": sig.text,
            "conversation_danger": self.conversation_danger(sig),
        }

    def problems(self) -> list[Problem]:
        """Everything wrong with this catalogue (empty list: usable)."""
        return validate_catalogue(self)


class CatalogueError(InputError):
    """A catalogue file or object cannot be used; ``problems`` lists every reason."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


# ---------------------------------------------------------------------------------------
# Validation of Catalogue objects (from TOML or from plugin code)
# ---------------------------------------------------------------------------------------

def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text_problems(value: Any, place: str, add) -> None:
    """Every string in a catalogue (TOML data or a plugin's objects): no control or bidi
    characters, bounded (a signal's text is recorded with the signal, so it must pass the
    same check as a typed text). ``description`` may span lines."""
    from ..text_safety import LONG_MAX, SHORT_MAX, bad_character, describe

    if isinstance(value, str):
        key = place.rsplit(".", 1)[-1].split("[")[0]
        multiline = key == "description"
        bad = bad_character(value, multiline=multiline)
        if bad is not None:
            add(place, _("bevat een niet-toegestaan teken ({code})", code=describe(bad)))
        bound = LONG_MAX if multiline else SHORT_MAX
        if len(value) > bound:
            add(place, _("is te lang: hoogstens {max} tekens (nu {n})", max=bound, n=len(value)))
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _text_problems(v, f"{place}.{k}" if place else str(k), add)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _text_problems(v, f"{place}[{i}]", add)


def _catalogue_strings(cat: "Catalogue") -> dict:
    return {
        "catalogue": {k: getattr(cat, k, None) for k in ("id", "title", "version", "source", "licence",
                                                         "description")},
        "age_groups": [{"id": getattr(a, "id", None), "label": getattr(a, "label", None)} for a in cat.age_groups
                       if isinstance(a, AgeGroup)] if isinstance(cat.age_groups, tuple) else [],
        "categories": [{"id": getattr(c, "id", None), "title": getattr(c, "title", None),
                        "description": getattr(c, "description", None)} for c in cat.categories
                       if isinstance(c, Category)] if isinstance(cat.categories, tuple) else [],
        "signals": [{"id": getattr(x, "id", None), "text": getattr(x, "text", None)} for x in cat.signals
                    if isinstance(x, Signal)] if isinstance(cat.signals, tuple) else [],
    }


def validate_catalogue(cat: Any) -> list[Problem]:
    """Check a :class:`Catalogue` built by code (types, ids, references, text hygiene)."""
    problems: list[Problem] = []
    add = lambda place, msg: problems.append(Problem(place, msg))  # noqa: E731
    if not isinstance(cat, Catalogue):
        return [Problem("", _("geen Catalogue-object maar {kind}", kind=type(cat).__name__))]
    _text_problems(_catalogue_strings(cat), "", add)
    for key in ("id", "title", "version"):
        value = getattr(cat, key)
        if not isinstance(value, str) or not value.strip():
            add(f"catalogue.{key}", _("ontbreekt of is geen tekst"))
    if isinstance(cat.id, str) and cat.id.strip() and not ID_PATTERN.match(cat.id):
        add("catalogue.id", _("ongeldige id {value!r} (gebruik letters, cijfers, '.', '_' of '-')", value=cat.id))

    age_ids: set[str] = set()
    if not isinstance(cat.age_groups, tuple):
        add("age_groups", _("moet een lijst zijn"))
    else:
        for i, ag in enumerate(cat.age_groups):
            place = f"age_groups[{i}]"
            if not isinstance(ag, AgeGroup):
                add(place, _("geen AgeGroup-object maar {kind}", kind=type(ag).__name__))
                continue
            _check_id(ag.id, place, age_ids, N_("leeftijdsgroep"), add)
            if not isinstance(ag.label, str) or not ag.label.strip():
                add(f"{place}.label", _("ontbreekt of is geen tekst"))
            ok_min, ok_max = _is_number(ag.min_age), _is_number(ag.max_age)
            if not ok_min:
                add(f"{place}.min_age", _("moet een getal zijn (jaren)"))
            if not ok_max:
                add(f"{place}.max_age", _("moet een getal zijn (jaren)"))
            if ok_min and ok_max and not (0 <= ag.min_age < ag.max_age):
                add(place, _("min_age moet 0 of meer zijn en kleiner dan max_age"))

    cat_ids: set[str] = set()
    if not isinstance(cat.categories, tuple):
        add("categories", _("moet een lijst zijn"))
    else:
        for i, c in enumerate(cat.categories):
            place = f"categories[{i}]"
            if not isinstance(c, Category):
                add(place, _("geen Category-object maar {kind}", kind=type(c).__name__))
                continue
            _check_id(c.id, place, cat_ids, N_("categorie"), add)
            if not isinstance(c.title, str) or not c.title.strip():
                add(f"{place}.title", _("ontbreekt of is geen tekst"))
            if not isinstance(c.conversation_danger, bool):
                add(f"{place}.conversation_danger", _("moet true of false zijn"))

    sig_ids: set[str] = set()
    if not isinstance(cat.signals, tuple):
        add("signals", _("moet een lijst zijn"))
    elif not cat.signals:
        add("signals", _("de catalogus bevat geen signalen"))
    else:
        for i, s in enumerate(cat.signals):
            place = f"signals[{i}]"
            if not isinstance(s, Signal):
                add(place, _("geen Signal-object maar {kind}", kind=type(s).__name__))
                continue
            _check_id(s.id, place, sig_ids, N_("signaal"), add)
            if not isinstance(s.text, str) or not s.text.strip():
                add(f"{place}.text", _("ontbreekt of is leeg"))
            if s.concerns not in CONCERNS:
                add(f"{place}.concerns", _("onbekende waarde {value!r} (kies uit: {choices})",
                                           value=s.concerns, choices=", ".join(CONCERNS)))
            _check_refs(s.forms, f"{place}.forms", cat_ids, N_("categorie"), add)
            _check_refs(s.age_groups, f"{place}.age_groups", age_ids, N_("leeftijdsgroep"), add)
    return problems


def _check_id(value: Any, place: str, seen: set[str], what: str, add) -> None:
    if not isinstance(value, str) or not value.strip():
        add(f"{place}.id", _("ontbreekt of is geen tekst"))
    elif not ID_PATTERN.match(value):
        add(f"{place}.id", _("ongeldige id {value!r} (gebruik letters, cijfers, '.', '_' of '-')", value=value))
    elif value in seen:
        add(f"{place}.id", _("dubbele {what}-id {value!r}", what=_(what), value=value))
    else:
        seen.add(value)


def _check_refs(values: Any, place: str, known: set[str], what: str, add) -> None:
    if not isinstance(values, (tuple, list)):
        add(place, _("moet een lijst met id's zijn"))
        return
    for j, ref in enumerate(values):
        if not isinstance(ref, str):
            add(f"{place}[{j}]", _("moet een tekst (id) zijn"))
        elif ref not in known:
            add(f"{place}[{j}]", _("onbekende {what} {value!r}", what=_(what), value=ref))


# ---------------------------------------------------------------------------------------
# TOML
# ---------------------------------------------------------------------------------------

_TOP_KEYS = {"catalogue", "age_groups", "categories", "signals"}
_CATALOGUE_KEYS = {"id", "title", "version", "source", "licence", "license", "description"}
_AGE_KEYS = {"id", "label", "min_age", "max_age"}
_CATEGORY_KEYS = {"id", "title", "description", "conversation_danger"}
_SIGNAL_KEYS = {"id", "text", "concerns", "forms", "age_groups"}


def catalogue_from_data(data: Mapping[str, Any], *, path: Path | None = None) -> tuple[Catalogue | None, list[Problem]]:
    """Build a catalogue from parsed TOML. Returns ``(catalogue, problems)``; the catalogue
    is ``None`` when there are problems (every problem is listed, not just the first)."""
    problems: list[Problem] = []
    add = lambda place, msg: problems.append(Problem(place, msg))  # noqa: E731
    _text_problems(data, "", add)

    for key in data:
        if key not in _TOP_KEYS:
            add(key, _("onbekende sleutel (verwacht: {keys})", keys=", ".join(sorted(_TOP_KEYS))))

    head = data.get("catalogue")
    meta: dict[str, str] = {}
    if not isinstance(head, dict):
        add("catalogue", _("de tabel [catalogue] ontbreekt"))
    else:
        _unknown_keys(head, _CATALOGUE_KEYS, "catalogue", add)
        for key in ("id", "title", "version"):
            value = head.get(key)
            if key == "version" and _is_number(value):
                value = str(value)
            if value is None:
                add(f"catalogue.{key}", _("ontbreekt"))
            elif not isinstance(value, str):
                add(f"catalogue.{key}", _("moet een tekst zijn, niet {kind}", kind=_type_name(value)))
            elif not value.strip():
                add(f"catalogue.{key}", _("is leeg"))
            else:
                meta[key] = value
        for key in ("source", "licence", "license", "description"):
            value = head.get(key, "")
            if not isinstance(value, str):
                add(f"catalogue.{key}", _("moet een tekst zijn, niet {kind}", kind=_type_name(value)))
            elif value:
                meta["licence" if key == "license" else key] = value
        if "id" in meta and not ID_PATTERN.match(meta["id"]):
            add("catalogue.id", _("ongeldige id {value!r} (gebruik letters, cijfers, '.', '_' of '-')", value=meta["id"]))

    age_groups: list[AgeGroup] = []
    age_ids: set[str] = set()
    for i, item in _tables(data, "age_groups", add):
        place = f"age_groups[{i}]"
        _unknown_keys(item, _AGE_KEYS, place, add)
        aid = _str_field(item, "id", place, add)
        if aid is not None:
            _check_id(aid, place, age_ids, N_("leeftijdsgroep"), add)
        label = _str_field(item, "label", place, add)
        lo = _num_field(item, "min_age", place, add)
        hi = _num_field(item, "max_age", place, add)
        if lo is not None and hi is not None and not (0 <= lo < hi):
            add(place, _("min_age moet 0 of meer zijn en kleiner dan max_age"))
        if None not in (aid, label, lo, hi):
            age_groups.append(AgeGroup(aid, label, lo, hi))

    categories: list[Category] = []
    cat_ids: set[str] = set()
    for i, item in _tables(data, "categories", add):
        place = f"categories[{i}]"
        _unknown_keys(item, _CATEGORY_KEYS, place, add)
        cid = _str_field(item, "id", place, add)
        if cid is not None:
            _check_id(cid, place, cat_ids, N_("categorie"), add)
        title = _str_field(item, "title", place, add)
        desc = _str_field(item, "description", place, add, required=False) or ""
        danger = item.get("conversation_danger", False)
        if not isinstance(danger, bool):
            add(f"{place}.conversation_danger", _("moet true of false zijn, niet {kind}", kind=_type_name(danger)))
            danger = None
        if cid is not None and title is not None and danger is not None:
            categories.append(Category(cid, title, desc, danger))

    signals: list[Signal] = []
    sig_ids: set[str] = set()
    raw_signals = list(_tables(data, "signals", add))
    if "signals" not in data or (isinstance(data.get("signals"), list) and not data["signals"]):
        add("signals", _("de catalogus bevat geen signalen"))
    for i, item in raw_signals:
        place = f"signals[{i}]"
        _unknown_keys(item, _SIGNAL_KEYS, place, add)
        sid = _str_field(item, "id", place, add)
        if sid is not None:
            _check_id(sid, place, sig_ids, N_("signaal"), add)
        text = _str_field(item, "text", place, add)
        concerns = item.get("concerns", "child")
        if not isinstance(concerns, str):
            add(f"{place}.concerns", _("moet een tekst zijn, niet {kind}", kind=_type_name(concerns)))
            concerns = None
        elif concerns not in CONCERNS:
            add(f"{place}.concerns", _("onbekende waarde {value!r} (kies uit: {choices})",
                                       value=concerns, choices=", ".join(CONCERNS)))
            concerns = None
        forms = _ref_list(item, "forms", place, cat_ids, N_("categorie"), add)
        ages = _ref_list(item, "age_groups", place, age_ids, N_("leeftijdsgroep"), add)
        if None not in (sid, text, concerns, forms, ages):
            signals.append(Signal(sid, text.strip(), concerns, tuple(forms), tuple(ages)))

    if problems:
        return None, problems
    cat = Catalogue(
        id=meta["id"], title=meta["title"], version=meta["version"],
        signals=tuple(signals), categories=tuple(categories), age_groups=tuple(age_groups),
        source=meta.get("source", ""), licence=meta.get("licence", ""),
        description=meta.get("description", ""), path=path,
    )
    return cat, []


def _type_name(value: Any) -> str:
    names = {str: N_("tekst"), bool: N_("ja/nee-waarde"), int: N_("getal"), float: N_("getal"),
             list: N_("lijst"), dict: N_("tabel")}
    return _(names.get(type(value), type(value).__name__))


def _unknown_keys(item: Mapping, allowed: set[str], place: str, add) -> None:
    for key in item:
        if key not in allowed:
            add(f"{place}.{key}", _("onbekende sleutel (verwacht: {keys})", keys=", ".join(sorted(allowed))))


def _tables(data: Mapping, key: str, add) -> Iterable[tuple[int, dict]]:
    value = data.get(key, [])
    if not isinstance(value, list):
        add(key, _("moet een lijst met tabellen zijn ([[{key}]]), niet {kind}", key=key, kind=_type_name(value)))
        return
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            add(f"{key}[{i}]", _("moet een tabel zijn, niet {kind}", kind=_type_name(item)))
            continue
        yield i, item


def _str_field(item: Mapping, key: str, place: str, add, *, required: bool = True) -> str | None:
    if key not in item:
        if required:
            add(f"{place}.{key}", _("ontbreekt"))
        return None
    value = item[key]
    if not isinstance(value, str):
        add(f"{place}.{key}", _("moet een tekst zijn, niet {kind}", kind=_type_name(value)))
        return None
    if required and not value.strip():
        add(f"{place}.{key}", _("is leeg"))
        return None
    return value


def _num_field(item: Mapping, key: str, place: str, add) -> float | None:
    if key not in item:
        add(f"{place}.{key}", _("ontbreekt"))
        return None
    value = item[key]
    if not _is_number(value):
        add(f"{place}.{key}", _("moet een getal zijn (jaren), niet {kind}", kind=_type_name(value)))
        return None
    return value


def _ref_list(item: Mapping, key: str, place: str, known: set[str], what: str, add) -> list[str] | None:
    value = item.get(key, [])
    if not isinstance(value, list):
        add(f"{place}.{key}", _("moet een lijst met id's zijn, niet {kind}", kind=_type_name(value)))
        return None
    ok = True
    for j, ref in enumerate(value):
        if not isinstance(ref, str):
            add(f"{place}.{key}[{j}]", _("moet een tekst (id) zijn, niet {kind}", kind=_type_name(ref)))
            ok = False
        elif ref not in known:
            add(f"{place}.{key}[{j}]", _("onbekende {what} {value!r}", what=_(what), value=ref))
            ok = False
    return list(value) if ok else None


def _parse(path: Path) -> tuple[dict | None, list[Problem]]:
    from ..bounded_input import MAX_CATALOGUE_BYTES, check_tree, read_regular_file
    from ..errors import InputError

    try:
        raw = read_regular_file(path, limit=MAX_CATALOGUE_BYTES, what=_("Catalogus"))
    except InputError as exc:
        return None, [Problem("", exc.message)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem("", _("geen geldige UTF-8 (byte {pos})", pos=exc.start))]
    try:
        return check_tree(tomllib.loads(text), what=_("Catalogus")), []
    except RecursionError:
        return None, [Problem("", _("te diep genest"))]
    except InputError as exc:
        return None, [Problem(exc.field or "", exc.message)]
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POSITION.search(msg)
        place = f"{m.group(1)}:{m.group(2)}" if m else ""
        detail = _TOML_POSITION.sub("", msg).strip()
        return None, [Problem(place, _("TOML-syntaxfout: {detail}", detail=detail))]


def check_catalogue_file(path: str | Path) -> list[Problem]:
    """Every problem in a catalogue file, each with its place. Empty list: the file is fine."""
    data, problems = _parse(Path(path))
    if data is None:
        return problems
    _cat, problems = catalogue_from_data(data, path=Path(path))
    return problems


def load_catalogue_file(path: str | Path) -> Catalogue:
    """Load a TOML catalogue; raises :class:`CatalogueError` listing every problem."""
    path = Path(path)
    data, problems = _parse(path)
    cat = None
    if data is not None:
        cat, problems = catalogue_from_data(data, path=path)
    if cat is None:
        first = problems[0] if problems else Problem("", "?")
        raise CatalogueError(
            _("Catalogus {name} heeft {n} probleem/problemen, bijvoorbeeld {first}.",
              name=path.name, n=len(problems), first=str(first)),
            problems,
        )
    return cat
