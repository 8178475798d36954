"""The plugin host: finds, loads, checks and calls plugins, one at a time.

Plugins (built-in ones included) come from the ``meldcode`` entry-point group. Each is loaded
on its own; a plugin that cannot be imported, implements an unknown (misspelled) hook, raises
inside a hook or returns something malformed is unregistered and reported with a Dutch reason
in :meth:`PluginHost.statuses` - the app keeps working with the others.
"""

from __future__ import annotations

import copy
import difflib
import inspect
import re
import types
import unicodedata
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any, Callable, Iterable

import pluggy

from ..config import Config
from ..errors import InputError, NotFound
from ..i18n import _
from . import hookspecs
from .catalogue import AgeGroup, Catalogue, Signal, validate_catalogue
from .exporting import ExportFormat, validate_export_format

BUILTIN_DIST = "meldcode-tui"
_MAX_REASON = 300


@dataclass
class PluginStatus:
    """What happened to one plugin. ``reason`` (Dutch) says why it is not loaded."""

    name: str
    dist: str | None
    version: str | None
    loaded: bool = False
    reason: str = ""
    catalogues: list[tuple[str, int]] = field(default_factory=list)  # (catalogue id, signal count)
    formats: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    builtin: bool = False
    disabled_by_config: bool = False

    @property
    def state(self) -> str:
        if self.loaded:
            return _("geladen")
        return _("uitgeschakeld: {reason}", reason=self.reason)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["catalogues"] = [{"id": cid, "signals": n} for cid, n in self.catalogues]
        return data


@dataclass(frozen=True)
class SignalMatch:
    """A search hit: the signal, where it comes from and how well it matched (0-100)."""

    catalogue_id: str
    catalogue_version: str
    catalogue_title: str
    signal: Signal
    score: float
    conversation_danger: bool = False   # the signal's form warns before talking with the parents

    @property
    def text(self) -> str:
        return self.signal.text

    @property
    def ref(self) -> dict:
        """The ``catalogue`` part of a ``signal_recorded`` payload."""
        return {
            "catalogue_id": self.catalogue_id,
            "catalogue_version": self.catalogue_version,
            "signal_id": self.signal.id,
            "text": self.signal.text,
            "conversation_danger": self.conversation_danger,
        }


class _PluginManager(pluggy.PluginManager):
    """Treats every function named ``meldcode_*`` as a hook implementation, marked or not,
    so that a misspelled hook is caught by the pending check instead of silently ignored."""

    def parse_hookimpl_opts(self, plugin, name: str):
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and name.startswith(hookspecs.HOOK_PREFIX):
            attr = inspect.getattr_static(plugin, name, None)
            if isinstance(attr, (types.FunctionType, staticmethod, classmethod)):
                return {}  # pluggy fills in the default options
        return opts


def normalize(text: str) -> str:
    """Lowercase, accents removed, punctuation to spaces: ``"Angstig, schrikt"`` -> ``"angstig schrikt"``."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.split(r"[^\w]+", text)).strip()


def _exc_text(exc: BaseException) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split()).rstrip(":")
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def _hook_mismatch(plugin: Any) -> str | None:
    """What is wrong with a plugin's hook functions, in Dutch (pluggy refused to register it):
    an argument no hook offers, or a hook function that is not a function."""
    for attr in dir(plugin):
        if not attr.startswith(hookspecs.HOOK_PREFIX):
            continue
        spec = getattr(hookspecs, attr, None)
        impl = getattr(plugin, attr, None)
        if spec is None:
            continue
        if not callable(impl):
            return _("{hook} is geen functie", hook=attr)
        try:
            wanted = [p for p in inspect.signature(impl).parameters
                      if p not in ("self", "cls")]
        except (TypeError, ValueError):
            return _("van {hook} zijn de argumenten niet te lezen", hook=attr)
        offered = list(inspect.signature(spec).parameters)
        unknown = [p for p in wanted if p not in offered]
        if unknown:
            return _("{hook} vraagt om een onbekend argument {arg!r}; de app geeft: {offered}",
                     hook=attr, arg=unknown[0], offered=", ".join(offered))
    return None


def _dist_info(ep: Any) -> tuple[str | None, str | None]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return None, None
    try:
        return dist.metadata["Name"] or getattr(dist, "name", None), dist.version
    except Exception:  # noqa: BLE001 - broken metadata must not stop the app
        return getattr(dist, "name", None), None


def _canon(name: str | None) -> str:
    return re.sub(r"[-_.]+", "-", name or "").lower()


def discover_entry_points() -> list[Any]:
    """Entry points of the ``meldcode`` group: built-ins first, then by name; duplicates
    (the same name and target seen twice, e.g. an editable install) are dropped."""
    seen: dict[str, Any] = {}
    result = []
    for ep in metadata.entry_points(group=hookspecs.ENTRY_POINT_GROUP):
        if ep.name in seen and seen[ep.name].value == ep.value:
            continue
        seen.setdefault(ep.name, ep)
        result.append(ep)
    return sorted(result, key=lambda ep: (_canon(_dist_info(ep)[0]) != BUILTIN_DIST, ep.name))


class _Disable(Exception):
    """Internal: the plugin under load breaks its contract; ``args[0]`` is the Dutch reason."""


@dataclass
class _Entry:
    catalogue: Catalogue
    signal: Signal
    order: int
    haystack: str
    words: tuple[str, ...]
    topic: str            # titles/descriptions of the categories the signal points to
    topic_words: tuple[str, ...]


class PluginHost:
    """The loaded plugins and what they offer. Make one with :func:`load_plugins`."""

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.pm = _PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self._statuses: list[PluginStatus] = []
        self._catalogues: dict[str, Catalogue] = {}
        self._catalogue_owner: dict[str, str] = {}
        self._formats: dict[str, ExportFormat] = {}
        self._reports: dict = {}      # name -> plugins.reporting.ReportFormat
        self._index: list[_Entry] | None = None
        self._vocab: list[str] = []

    # -- loading -------------------------------------------------------------------------
    def add_entry_point(self, ep: Any) -> PluginStatus:
        dist, version = _dist_info(ep)
        return self._add(ep.name, ep.load, dist, version, builtin=_canon(dist) == BUILTIN_DIST)

    def add_plugin(self, name: str, plugin: Any, *, dist: str | None = None,
                   version: str | None = None) -> PluginStatus:
        """Register an in-process plugin object or module (tests, embedding)."""
        return self._add(name, lambda: plugin, dist, version, builtin=False)

    def _add(self, name: str, load: Callable[[], Any], dist, version, *, builtin: bool) -> PluginStatus:
        status = PluginStatus(name=name, dist=dist, version=version, builtin=builtin)
        self._statuses.append(status)
        permitted, why = self.config.plugin_permitted(name)
        if not permitted:
            status.reason, status.disabled_by_config = why, True
            return status
        if self.pm.has_plugin(name):
            status.reason = _("er is al een plugin met de naam {name!r} geladen", name=name)
            return status
        try:
            plugin = load()
        except BaseException as exc:  # noqa: BLE001 - a plugin's import may do anything
            if isinstance(exc, KeyboardInterrupt):
                raise
            status.reason = _("kan niet worden geïmporteerd ({error})", error=_exc_text(exc))
            return status
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:  # noqa: BLE001 - PluginValidationError, ValueError
            # pluggy's own text is English and several lines: say it in Dutch, in one.
            status.reason = _("voldoet niet aan de hook-afspraken ({error})",
                              error=_hook_mismatch(plugin) or type(exc).__name__)
            if self.pm.has_plugin(name):
                self.pm.unregister(name=name)
            return status
        try:
            self._check_hooks(name)
            catalogues = self._collect(name, "meldcode_catalogues", status, self._check_catalogue)
            formats = self._collect(name, "meldcode_export_formats", status, self._check_format)
            reports = self._collect(name, "meldcode_report_formats", status, self._check_report)
        except _Disable as exc:
            self.pm.unregister(name=name)
            status.reason = str(exc.args[0])
            return status

        for cat in catalogues:
            owner = self._catalogue_owner.get(cat.id)
            if owner is not None:
                status.warnings.append(_("catalogus {id!r} overgeslagen: die id is al in gebruik door plugin {owner!r}",
                                         id=cat.id, owner=owner))
                continue
            self._catalogues[cat.id] = cat
            self._catalogue_owner[cat.id] = name
            status.catalogues.append((cat.id, len(cat.signals)))
        for fmt in formats:
            if fmt.name in self._formats:
                status.warnings.append(_("exportformaat {name!r} overgeslagen: die naam is al in gebruik", name=fmt.name))
                continue
            self._formats[fmt.name] = fmt
            status.formats.append(fmt.name)
        for rep in reports:
            if rep.name in self._reports:
                status.warnings.append(_("rapportformaat {name!r} overgeslagen: die naam is al in gebruik",
                                         name=rep.name))
                continue
            self._reports[rep.name] = rep
        if not self.pm.get_hookcallers(self.pm.get_plugin(name)):
            status.warnings.append(_("deze plugin implementeert geen enkele hook"))
        status.loaded = True
        self._index = None
        return status

    def _check_hooks(self, name: str) -> None:
        plugin = self.pm.get_plugin(name)
        for caller in self.pm.get_hookcallers(plugin) or []:
            if caller.has_spec():
                continue
            for impl in caller.get_hookimpls():
                if impl.plugin_name == name and not impl.optionalhook:
                    known = [n for n in dir(hookspecs) if n.startswith(hookspecs.HOOK_PREFIX)]
                    close = difflib.get_close_matches(caller.name, known, n=1)
                    hint = _(" (bedoeld: {name}?)", name=close[0]) if close else ""
                    raise _Disable(_("onbekende hook {hook!r}{hint}", hook=caller.name, hint=hint))

    def _collect(self, name: str, hook_name: str, status: PluginStatus, check) -> list:
        caller = getattr(self.pm.hook, hook_name)
        kwargs = {"config": self.config, "warn": lambda msg: status.warnings.append(str(msg)),
                  "settings": copy.deepcopy(self.config.plugin_settings.get(name, {}))}
        items: list = []
        for impl in caller.get_hookimpls():
            if impl.plugin_name != name or impl.hookwrapper or getattr(impl, "wrapper", False):
                continue
            try:
                result = impl.function(*[kwargs[a] for a in impl.argnames])
            except BaseException as exc:  # noqa: BLE001
                if isinstance(exc, KeyboardInterrupt):
                    raise
                raise _Disable(_("fout in hook {hook} ({error})", hook=hook_name, error=_exc_text(exc))) from None
            if result is None:
                continue
            if not isinstance(result, (list, tuple)):
                raise _Disable(_("hook {hook} gaf {kind} terug in plaats van een lijst",
                                 hook=hook_name, kind=type(result).__name__))
            for i, item in enumerate(result):
                check(hook_name, i, item)
                items.append(item)
        return items

    @staticmethod
    def _check_catalogue(hook_name: str, i: int, item: Any) -> None:
        problems = validate_catalogue(item)
        if problems:
            label = getattr(item, "id", None) if isinstance(item, Catalogue) else None
            first = problems[0]
            raise _Disable(_("hook {hook} gaf een ongeldige catalogus ({what}): {problem}{more}",
                             hook=hook_name, what=repr(label) if isinstance(label, str) else f"[{i}]",
                             problem=str(first),
                             more=_(" (en {n} andere problemen)", n=len(problems) - 1) if len(problems) > 1 else ""))

    @staticmethod
    def _check_format(hook_name: str, i: int, item: Any) -> None:
        reasons = validate_export_format(item)
        if reasons:
            raise _Disable(_("hook {hook} gaf een ongeldig exportformaat: {reason}", hook=hook_name, reason=reasons[0]))

    @staticmethod
    def _check_report(hook_name: str, i: int, item: Any) -> None:
        from .reporting import validate_report_format

        reasons = validate_report_format(item)
        if reasons:
            raise _Disable(_("hook {hook} gaf een ongeldig rapportformaat: {reason}", hook=hook_name,
                             reason=reasons[0]))

    def report_formats(self) -> dict:
        """Whole-school report formats by name (``plugins.reporting.ReportFormat``)."""
        return dict(self._reports)

    # -- what the app uses ---------------------------------------------------------------
    def statuses(self) -> list[PluginStatus]:
        return list(self._statuses)

    def warnings(self) -> list[str]:
        """Dutch lines for the admin: plugins that broke (not the ones the config blocked)
        and problems that loaded plugins reported."""
        lines = []
        for st in self._statuses:
            if not st.loaded and not st.disabled_by_config:
                lines.append(_("Plugin {name} is uitgeschakeld: {reason}", name=st.name, reason=st.reason))
            for w in st.warnings:
                lines.append(_("Plugin {name}: {warning}", name=st.name, warning=w))
        return lines

    def catalogues(self) -> list[Catalogue]:
        return list(self._catalogues.values())

    def catalogue(self, catalogue_id: str) -> Catalogue | None:
        return self._catalogues.get(catalogue_id)

    def signal(self, catalogue_id: str, signal_id: str) -> Signal | None:
        cat = self._catalogues.get(catalogue_id)
        return cat.signal(signal_id) if cat else None

    def signal_ref(self, catalogue_id: str, signal_id: str) -> dict:
        """The ``catalogue`` part of a ``signal_recorded`` payload; raises NotFound."""
        cat = self._catalogues.get(catalogue_id)
        if cat is None:
            raise NotFound(_("Catalogus {id} is niet geïnstalleerd.", id=catalogue_id))
        if cat.signal(signal_id) is None:
            raise NotFound(_("Signaal {sid} staat niet in catalogus {id}.", sid=signal_id, id=catalogue_id))
        return cat.signal_ref(signal_id)

    def describe_signal_ref(self, ref: dict | None) -> str:
        """Text to show for a recorded signal's catalogue reference: the current text when its
        catalogue is loaded, else the text stored with the record plus a note."""
        if not ref:
            return ""
        stored = str(ref.get("text") or "")
        cat = self._catalogues.get(str(ref.get("catalogue_id")))
        if cat is None:
            return _("{text} (catalogus niet meer geïnstalleerd)", text=stored).strip()
        sig = cat.signal(str(ref.get("signal_id")))
        if sig is None:
            return _("{text} (signaal staat niet meer in de catalogus)", text=stored).strip()
        return sig.text

    def export_formats(self) -> dict[str, ExportFormat]:
        return dict(self._formats)

    def export_format(self, name: str) -> ExportFormat:
        try:
            return self._formats[name]
        except KeyError:
            raise NotFound(_("Exportformaat {name!r} bestaat niet (beschikbaar: {names}).",
                             name=name, names=", ".join(self._formats) or "-")) from None

    # -- age groups and search -----------------------------------------------------------
    def age_group_for(self, age_years: float | None) -> str | None:
        """Id of the age group (of the first catalogue that has one) containing this age."""
        if age_years is None:
            return None
        for cat in self._catalogues.values():
            group = cat.age_group_for(age_years)
            if group is not None:
                return group.id
        return None

    def _age_range(self, age_group_id: str) -> AgeGroup:
        for cat in self._catalogues.values():
            group = cat.age_group(age_group_id)
            if group is not None:
                return group
        raise InputError(_("Onbekende leeftijdsgroep {id!r}.", id=age_group_id), field="age_group")

    def _allowed_groups(self, age_group: str | AgeGroup | None, age: float | None) -> dict[str, set[str]] | None:
        """Per catalogue, which of its age-group ids pass the filter (None: no filter)."""
        if age_group is None and age is None:
            return None
        allowed: dict[str, set[str]] = {}
        if age_group is not None:
            ref = age_group if isinstance(age_group, AgeGroup) else self._age_range(age_group)
            for cat in self._catalogues.values():
                if cat.age_group(ref.id) is not None:
                    allowed[cat.id] = {ref.id}
                else:
                    allowed[cat.id] = {g.id for g in cat.age_groups
                                       if g.min_age < ref.max_age and ref.min_age < g.max_age}
        else:
            for cat in self._catalogues.values():
                allowed[cat.id] = {g.id for g in cat.age_groups if g.contains(age)}
        return allowed

    def _build_index(self) -> list[_Entry]:
        if self._index is None:
            entries = []
            order = 0
            for cat in self._catalogues.values():
                topics = {c.id: normalize(f"{c.title} {c.description}") for c in cat.categories}
                for sig in cat.signals:
                    hay = normalize(f"{sig.text} {sig.id}")
                    topic = " ".join(topics.get(f, "") for f in sig.forms)
                    entries.append(_Entry(cat, sig, order, hay, tuple(hay.split()), topic, tuple(topic.split())))
                    order += 1
            self._index = entries
            self._vocab = sorted({w for e in entries for w in e.words})
        return self._index

    def search_signals(self, query: str, age_group: str | AgeGroup | None = None, limit: int = 20, *,
                       age: float | None = None, concerns: str | None = None,
                       catalogue_id: str | None = None, form: str | None = None) -> list[SignalMatch]:
        """Fuzzy, accent-insensitive search over the signals of every loaded catalogue.

        ``age_group`` is an age-group id (e.g. from :meth:`age_group_for`); catalogues that
        use other groups are matched by overlapping age ranges. Signals without age groups
        always match. An empty query lists the signals in catalogue order. ``concerns``,
        ``catalogue_id`` and ``form`` (a category id) narrow the result further.
        """
        from rapidfuzz import fuzz, process

        allowed = self._allowed_groups(age_group, age)
        tokens = normalize(query or "").split()
        full = " ".join(tokens)
        entries = self._build_index()
        # Typo tolerance: per query word, the vocabulary words that look like it (whole word
        # or the start of a longer word), computed once over the vocabulary, not per signal.
        fuzzy: list[dict[str, float]] = []
        for tok in tokens:
            sims: dict[str, float] = {}
            exact = any(tok in w for w in self._vocab)
            if len(tok) >= 4 and not exact:  # only look for typos when the word itself is not there
                for word, score, _i in process.extract(tok, self._vocab, scorer=fuzz.ratio,
                                                       score_cutoff=80, limit=None):
                    sims[word] = score
                heads = [w[: len(tok)] for w in self._vocab]
                for _head, score, i in process.extract(tok, heads, scorer=fuzz.ratio,
                                                       score_cutoff=80, limit=None):
                    word = self._vocab[i]
                    sims[word] = max(score, sims.get(word, 0.0))
            fuzzy.append(sims)
        hits: list[tuple[float, int, _Entry]] = []
        for entry in entries:
            if catalogue_id is not None and entry.catalogue.id != catalogue_id:
                continue
            sig = entry.signal
            if concerns is not None and sig.concerns != concerns:
                continue
            if form is not None and form not in sig.forms:
                continue
            if allowed is not None and sig.age_groups and not allowed.get(entry.catalogue.id, set()).intersection(sig.age_groups):
                continue
            if not tokens:
                hits.append((100.0, entry.order, entry))
                continue
            total = 0.0
            for tok, sims in zip(tokens, fuzzy):
                if any(w.startswith(tok) for w in entry.words):
                    total += 100.0
                elif tok in entry.haystack:
                    total += 92.0
                elif any(w.startswith(tok) for w in entry.topic_words):
                    total += 80.0  # matches the form of abuse, not the signal's own words
                elif sims:
                    total += 0.9 * max((sims.get(w, 0.0) for w in entry.words), default=0.0)
            score = total / len(tokens)
            if len(tokens) > 1 and full in entry.haystack:
                score = min(100.0, score + 5.0)
            if score >= 75.0:
                hits.append((score, entry.order, entry))
        hits.sort(key=lambda h: (-h[0], h[1]))
        return [
            SignalMatch(e.catalogue.id, e.catalogue.version, e.catalogue.title, e.signal, round(score, 1),
                        e.catalogue.conversation_danger(e.signal))
            for score, _order, e in hits[: max(0, limit)]
        ]


def load_plugins(config: Config | None = None, *, entry_points: Iterable[Any] | None = None,
                 plugins: Iterable[tuple[str, Any]] = ()) -> PluginHost:
    """Load every permitted plugin from the ``meldcode`` entry-point group (or from
    ``entry_points`` when given, for tests), then the in-process ``plugins`` (name, object).
    Never raises for a broken plugin: see :meth:`PluginHost.statuses`."""
    host = PluginHost(config)
    for ep in (discover_entry_points() if entry_points is None else entry_points):
        host.add_entry_point(ep)
    for name, plugin in plugins:
        host.add_plugin(name, plugin)
    return host
