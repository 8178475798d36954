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

    [retention]
    years_after_close = 2

    [access]
    all_cases = ["anouk"]  # users who see every case (e.g. the aandachtsfunctionaris);
                           # everyone else sees the cases they own or are on the zorgteam of
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .i18n import _

APP_NAME = "meldcode"


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
    plugins_allow: tuple[str, ...] = ()
    plugins_block: tuple[str, ...] = ()
    catalogue_folders: tuple[Path, ...] = ()
    retention_years_after_close: int = 2
    access_all_cases: tuple[str, ...] = ()
    source: Path | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def plugin_permitted(self, name: str) -> tuple[bool, str]:
        """Whether a plugin may load, and if not, why (Dutch)."""
        if name in self.plugins_block:
            return False, _("geblokkeerd in de configuratie")
        if self.plugins_allow and name not in self.plugins_allow:
            return False, _("niet toegestaan in de configuratie (staat niet in 'allow')")
        return True, ""


def _str_list(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(_("Configuratie: '{where}.{key}' moet een lijst met teksten zijn.", where=where, key=key))
    return tuple(value)


def load_config(path: str | os.PathLike | None = None) -> Config:
    explicit = path or os.environ.get("MELDCODE_CONFIG")
    cfg_path = Path(explicit).expanduser() if explicit else default_config_path()
    if not cfg_path.exists():
        if explicit:
            raise InputError(_("Configuratiebestand {path} bestaat niet.", path=cfg_path))
        return Config()
    try:
        with cfg_path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(_("Configuratiebestand {path} is geen geldige TOML: {error}", path=cfg_path, error=exc)) from None
    except OSError as exc:
        raise InputError(_("Configuratiebestand {path} is niet leesbaar ({error}).", path=cfg_path, error=exc.strerror)) from None

    school = data.get("school", {})
    plugins = data.get("plugins", {})
    catalogues = data.get("catalogues", {})
    retention = data.get("retention", {})
    access = data.get("access", {})
    years = retention.get("years_after_close", 2)
    if not isinstance(years, int) or years < 0:
        raise InputError(_("Configuratie: 'retention.years_after_close' moet een geheel getal van 0 of meer zijn."))
    folders = tuple(
        (cfg_path.parent / p).expanduser() if not Path(p).is_absolute() else Path(p)
        for p in _str_list(catalogues, "folders", "catalogues")
    )
    return Config(
        school_name=str(school.get("name", "")),
        plugins_allow=_str_list(plugins, "allow", "plugins"),
        plugins_block=_str_list(plugins, "block", "plugins"),
        catalogue_folders=folders,
        retention_years_after_close=years,
        access_all_cases=_str_list(access, "all_cases", "access"),
        source=cfg_path,
        extra=data,
    )
