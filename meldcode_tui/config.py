"""Where things live and what the school configured.

Database: ``--db PATH`` > ``MELDCODE_DB`` > ``<user data dir>/meldcode/meldcode.sqlite``.
Config:   ``--config PATH`` > ``MELDCODE_CONFIG`` > ``<user config dir>/meldcode/config.toml``.
A missing config file means defaults; a broken one is an error with its line (never ignored:
an admin who blocked a plugin must not have it silently loaded).

Example ``config.toml``::

    [school]
    name = "OBS De Fictieve Linde"

    [plugins]
    allow = []            # empty: every installed plugin may load
    block = ["some-plugin"]

    [catalogues]
    folders = ["/srv/meldcode/catalogues"]   # extra TOML catalogues, no Python needed

    [retention]           # the school's own period, with its reason (the app warns without)
    years = 5
    counted_from = "leaving"   # the later of the pupil's leaving date and the closing;
                               # "closing": from the closing only
    reason = "Privacyreglement van de school, art. 7 (fictief)"

    [encryption]          # optional extra 'meldcode-tui[encrypted]' (SQLCipher)
    key_file = "/etc/meldcode/db.key"   # chmod 400, the service account's, outside the data
                                        # and backup folders (in a root-owned folder)
    # prompt = true       # or: ask for the key when a command starts (never under serve)

    [access]
    all_cases = ["anouk"]  # users who see every case (e.g. the aandachtsfunctionaris);
                           # everyone else sees the cases they own or are on the zorgteam of
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .i18n import N_, _

APP_NAME = "meldcode"
# A retention period is counted in years after a pupil left: a century is already longer than
# any school keeps a pupil file; a larger number is a typo, not a policy.
MAX_RETENTION_YEARS = 100


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "meldcode.sqlite"


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("MELDCODE_DB")
    if env:
        return Path(env).expanduser()
    return default_db_path()


@dataclass(frozen=True)
class Config:
    school_name: str = ""
    school_phone: str = ""
    school_email: str = ""
    plugins_allow: tuple[str, ...] = ()
    plugins_block: tuple[str, ...] = ()
    catalogue_folders: tuple[Path, ...] = ()
    retention_years: int | None = None   # None: the school set no period (a warning)
    retention_counted_from: str = "leaving"
    retention_reason: str = ""
    access_all_cases: tuple[str, ...] = ()
    encryption_key_file: Path | None = None
    encryption_prompt: bool = False
    server_ssh_host: str = ""
    transfer_signing_key: Path | None = None
    transfer_allowed_signers: Path | None = None
    attachments_max_mb: int = 10
    transfer_require_signature: bool = False
    care_team_roles: tuple[str, ...] = ()
    care_team_required: tuple[str, ...] | None = None
    care_team_deciders: tuple[str, ...] | None = None
    care_team_second_line: tuple[str, ...] | None = None
    care_team_min_deciders: int | None = None
    source: Path | None = None
    extra: dict = field(default_factory=dict, compare=False)
    # ``[plugins.NAME]`` tables: each plugin's own settings, handed to that plugin alone (its
    # hooks' ``settings`` argument), checked by the plugin.
    plugin_settings: dict = field(default_factory=dict, compare=False)

    def plugin_permitted(self, name: str) -> tuple[bool, str]:
        """Whether a plugin may load, and if not, why (Dutch)."""
        if name in self.plugins_block:
            return False, _("geblokkeerd in de configuratie")
        if self.plugins_allow and name not in self.plugins_allow:
            return False, _("niet toegestaan in de configuratie (staat niet in 'allow')")
        return True, ""

    @property
    def attachments_max_bytes(self) -> int:
        return self.attachments_max_mb * 1024 * 1024

    @property
    def fetch_host(self) -> str:
        """``user@host`` a coordinator runs ``ssh`` against to fetch an export."""
        host = self.server_ssh_host or "SERVER"
        return host if "@" in host else f"meldcode@{host}"


# The schema: table -> key -> type. "str", "int", "path", "[str]", "user", "[user]", "host", and
# "{str}" (a table of text values with free keys, e.g. [keys]). Anything else is an error naming
# the key: a typo like `blok = [...]` must not leave a blocked plugin loaded. Other engineers
# adding a config key add it here.
SCHEMA: dict[str, dict[str, str] | str] = {
    "school": {"name": "str", "phone": "str", "email": "str"},
    "plugins": {"allow": "[str]", "block": "[str]"},
    "catalogues": {"folders": "[path]"},
    "access": {"all_cases": "[user]"},
    "retention": {"years": "int", "years_after_close": "int", "counted_from": "str",
                  "reason": "str"},
    "server": {"ssh_host": "host"},
    "transfer": {"signing_key": "path", "allowed_signers": "path", "require_signature": "bool"},
    "attachments": {"max_mb": "int"},
    "keys": "{str}",
    # the zorgteam's roles (codes) and which of them step 2 requires
    "zorgteam": {"roles": "[str]", "required": "[str]",
                 # who decides at step 5: roles, second-line roles, how many at least
                 "deciders": "[str]", "second_line": "[str]", "min_deciders": "int"},
    "encryption": {"key_file": "path", "prompt": "bool"},
    # notifications: days `meldcode notify` sends nothing ("weekend", "feestdagen")
    "notify": {"quiet_days": "[str]"},
    # the pupil register: the usual system, the size limit, and a school's own mapping
    "pupils": {"system": "str", "max_mb": "int"},
    "pupils_mapping": "{str}",
}

_HOST = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,31}@)?[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$")
_TYPE_NAMES = {"str": N_("een tekst"), "bool": N_("true of false"), "path": N_("een pad (tekst)"), "int": N_("een geheel getal"),
               "[str]": N_("een lijst met teksten"), "[path]": N_("een lijst met paden"),
               "[user]": N_("een lijst met gebruikersnamen"), "user": N_("een gebruikersnaam"),
               "host": N_("een servernaam zoals meldcode@server.school.nl"),
               "{str}": N_("een tabel met teksten"), "table": N_("een tabel")}


def _line_of(raw: str, table: str, key: str | None) -> int | None:
    """The line where ``[table]`` (or ``key`` inside it) is written; None if not found."""
    lines = raw.splitlines()
    header = re.compile(r"^\s*\[\s*" + re.escape(table) + r"\s*\]")
    any_header = re.compile(r"^\s*\[")
    in_table = False
    for number, line in enumerate(lines, 1):
        if header.match(line):
            if key is None:
                return number
            in_table = True
            continue
        if any_header.match(line):
            in_table = False
        pattern = (re.escape(key) if in_table else re.escape(table) + r"\s*\.\s*" + re.escape(key or ""))
        if key is None:
            pattern = re.escape(table)
        if re.match(r"^\s*[\"']?" + pattern + r"[\"']?\s*[=.]", line):
            return number
    return None


def _where(raw: str, table: str, key: str | None) -> str:
    line = _line_of(raw, table, key)
    name = table if key is None else f"{table}.{key}"
    return _("'{name}' (regel {line})", name=name, line=line) if line else f"'{name}'"


def _check_value(raw: str, table: str, key: str, kind: str, value):
    from .text_safety import check_text, check_user_name

    def wrong() -> InputError:
        if isinstance(value, dict) and kind not in ("{str}",):
            return InputError(_("Configuratie: {where} moet {type} zijn, geen tabel.",
                                where=_where(raw, table, key), type=_(_TYPE_NAMES[kind])))
        return InputError(_("Configuratie: {where} moet {type} zijn.", where=_where(raw, table, key),
                            type=_(_TYPE_NAMES[kind])))

    label = f"{table}.{key}"
    if kind in ("str", "path", "host", "user"):
        if not isinstance(value, str):
            raise wrong()
        check_text(value, label, max_len=4096 if kind == "path" else None)
        if kind == "host" and value and not _HOST.fullmatch(value):
            raise wrong()
        if kind == "user":
            check_user_name(value, label)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise wrong()
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise wrong()
        return value
    if kind in ("[str]", "[path]", "[user]"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise wrong()
        for item in value:
            check_text(item, label, max_len=4096 if kind == "[path]" else None)
            if kind == "[user]":
                check_user_name(item, label)
        return tuple(value)
    if kind == "{str}":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise wrong()
        for k, v in value.items():
            check_text(k, label)
            check_text(v, f"{label}.{k}")
        return value
    raise AssertionError(kind)


_PLUGIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _plugin_settings(raw: str, name: str, table: dict) -> dict:
    """A ``[plugins.NAME]`` table: the plugin checks its own keys and values; the app checks
    only what every config text must be (no control or bidi characters)."""
    from .text_safety import check_text

    if not _PLUGIN_NAME.fullmatch(name):
        raise InputError(_("Configuratie: {where}: geen geldige pluginnaam.",
                           where=_where(raw, "plugins", name)))
    stack = [(f"plugins.{name}", table)]
    while stack:
        place, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            sub = f"{place}.{key}" if isinstance(node, dict) else f"{place}[{key}]"
            if isinstance(key, str):
                check_text(key, sub)
            if isinstance(value, str):
                check_text(value, sub, multiline=True, max_len=4096)
            elif isinstance(value, (dict, list)):
                stack.append((sub, value))
    return table


def validate_config_data(data: dict, raw: str = "") -> dict:
    """Check ``data`` (parsed TOML) against :data:`SCHEMA`; return ``{table: {key: value}}``."""
    out: dict = {}
    for table, content in data.items():
        spec = SCHEMA.get(table)
        if spec is None:
            raise InputError(_("Configuratie: onbekende tabel {where}; bekend zijn: {known}.",
                               where=_where(raw, table, None), known=", ".join(sorted(SCHEMA))),
                             hint=_("Instellingen voor een plugin horen in [plugins.{name}].",
                                    name=table))
        if isinstance(spec, str):
            if not isinstance(content, dict):
                raise InputError(_("Configuratie: '{name}' moet een tabel zijn ([{name}]).", name=table))
            for k, v in content.items():
                if not isinstance(v, str):
                    raise InputError(_("Configuratie: {where} moet een tekst zijn.", where=_where(raw, table, k)))
            out[table] = _check_value(raw, table, "*", spec, content)
            continue
        if not isinstance(content, dict):
            raise InputError(_("Configuratie: '{name}' moet een tabel zijn ([{name}]).", name=table))
        values = {}
        for key, value in content.items():
            if table == "plugins" and isinstance(value, dict):
                values[key] = _plugin_settings(raw, key, value)
                continue
            kind = spec.get(key)
            if kind is None:
                raise InputError(_("Configuratie: onbekende sleutel {where}; bekend in [{table}]: {known}.",
                                   where=_where(raw, table, key), table=table, known=", ".join(sorted(spec))))
            values[key] = _check_value(raw, table, key, kind, value)
        out[table] = values
    return out


def refuse_foreign_writers(path: Path, service_uid: int | None, what: str) -> None:
    """Refuse ``path`` (the config, a catalogue folder) when every account, or the service
    account ``service_uid``, could change it or a folder above it: such an account could then
    unblock a plugin, add a catalogue or point the key file elsewhere. The same check as
    ``admin keys write`` (file_safety.writable_by)."""
    from .file_safety import account_name, writable_by, writable_by_anyone

    hit = writable_by_anyone(path)
    who = _("iedereen")
    if hit is None and service_uid not in (None, 0):
        hit = writable_by(path, service_uid)
        who = _("het service-account '{name}'", name=account_name(service_uid))
    if hit is not None:
        fix = (_("sudo chown root:root {hit} && sudo chmod go-w {hit}", hit=hit) if hit != path
               else _("sudo chown root:{group} {path} && sudo chmod 0640 {path}", path=path,
                      group=account_name(service_uid) if service_uid else "root")
               if what == "config" else
               _("sudo chown -R root:root {path} && sudo chmod -R go-w {path}", path=path))
        raise InputError(_("{what} {path} kan worden gewijzigd door {who} (via {hit}); dan "
                           "kiest die de instellingen van de app. Oplossing: {fix}",
                           what=_("Configuratiebestand") if what == "config" else _("Catalogusmap"),
                           path=path, who=who, hit=hit, fix=fix))


def load_config(path: str | os.PathLike | None = None, *,
                service_uid: int | None = None, check_writers: bool = True) -> Config:
    """The config at ``path`` (or MELDCODE_CONFIG, or the user's default). ``service_uid``: the
    service account this process serves (``serve``, or root acting on its database): a config
    or catalogue folder that account could change is refused, as is one anyone could change.
    ``check_writers=False``: only ``admin check``, which reports those as lines of its own."""
    explicit = path or os.environ.get("MELDCODE_CONFIG")
    cfg_path = Path(explicit).expanduser() if explicit else default_config_path()
    from .bounded_input import MAX_CONFIG_BYTES, decode_utf8, parse_toml, read_regular_file

    if not cfg_path.exists() and not cfg_path.is_symlink():
        if explicit:
            raise InputError(_("Configuratiebestand {path} bestaat niet.", path=cfg_path))
        return Config()
    # What kind of file it is comes first: the writers' advice (chown, chmod) is for a real
    # config file, never for a FIFO or /dev/zero.
    raw_bytes = read_regular_file(cfg_path, limit=MAX_CONFIG_BYTES, what=_("Configuratiebestand"))
    if check_writers:
        refuse_foreign_writers(cfg_path, service_uid, "config")
    what = _("Configuratiebestand {path}", path=cfg_path)
    raw = decode_utf8(raw_bytes, what=what)
    try:
        data = parse_toml(raw, what=what)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(_("Configuratiebestand {path} is geen geldige TOML: {error}", path=cfg_path, error=exc)) from None

    checked = validate_config_data(data, raw)
    school = checked.get("school", {})
    plugins = checked.get("plugins", {})
    catalogues = checked.get("catalogues", {})
    retention = checked.get("retention", {})
    access = checked.get("access", {})
    server = checked.get("server", {})
    transfer = checked.get("transfer", {})
    zorgteam = checked.get("zorgteam", {})
    encryption = checked.get("encryption", {})
    # `years_after_close` is the older name of `years` (then counted from the closing only).
    years_key = "years" if "years" in retention else "years_after_close"
    years = retention.get(years_key)
    if years is not None and not 0 <= years <= MAX_RETENTION_YEARS:
        raise InputError(_("Configuratie: 'retention.{key}' moet een geheel getal van 0 tot en met "
                           "{max} zijn (jaren).", key=years_key, max=MAX_RETENTION_YEARS))
    counted_from = retention.get("counted_from",
                                 "closing" if years_key == "years_after_close" and years is not None
                                 else "leaving")
    if counted_from not in ("leaving", "closing"):
        raise InputError(_("Configuratie: {where} moet \"leaving\" (vertrek of sluiten, het "
                           "laatste) of \"closing\" (sluiten) zijn.",
                           where=_where(raw, "retention", "counted_from")))

    def rel(p: str) -> Path:
        return (cfg_path.parent / p).expanduser() if not Path(p).expanduser().is_absolute() else Path(p).expanduser()

    for folder in catalogues.get("folders", ()):
        if check_writers and rel(folder).exists():
            refuse_foreign_writers(rel(folder), service_uid, "catalogue")

    max_mb = checked.get("attachments", {}).get("max_mb", 10)
    if not 1 <= max_mb <= 100:
        raise InputError(_("Configuratie: 'attachments.max_mb' moet tussen 1 en 100 liggen (megabytes)."))

    return Config(
        attachments_max_mb=max_mb,
        school_name=school.get("name", ""),
        school_phone=school.get("phone", ""),
        school_email=school.get("email", ""),
        plugins_allow=plugins.get("allow", ()),
        plugins_block=plugins.get("block", ()),
        plugin_settings={k: v for k, v in plugins.items() if isinstance(v, dict)},
        catalogue_folders=tuple(rel(p) for p in catalogues.get("folders", ())),
        retention_years=years,
        retention_counted_from=counted_from,
        retention_reason=retention.get("reason", ""),
        access_all_cases=access.get("all_cases", ()),
        server_ssh_host=server.get("ssh_host", ""),
        transfer_signing_key=rel(transfer["signing_key"]) if transfer.get("signing_key") else None,
        transfer_allowed_signers=rel(transfer["allowed_signers"]) if transfer.get("allowed_signers") else None,
        transfer_require_signature=transfer.get("require_signature", False),
        care_team_roles=zorgteam.get("roles", ()),
        care_team_required=zorgteam.get("required"),
        care_team_deciders=zorgteam.get("deciders"),
        care_team_second_line=zorgteam.get("second_line"),
        care_team_min_deciders=zorgteam.get("min_deciders"),
        encryption_key_file=rel(encryption["key_file"]) if encryption.get("key_file") else None,
        encryption_prompt=encryption.get("prompt", False),
        source=cfg_path,
        extra=data,
    )
