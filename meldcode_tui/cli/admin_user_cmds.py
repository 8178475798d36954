"""``meldcode admin user …``, ``meldcode admin keys write`` and ``meldcode admin config``: the
school's people on the server (run as root or the service account, never through ``serve``).
Every action is journalled with the OS account that ran it (``admin.os_user``)."""

from __future__ import annotations

import json
import os
import pwd
import sys
from pathlib import Path

import click

from ..i18n import _
from . import db_option, handle_errors, pass_env
from .admin_cmds import admin


def _admin(env):
    """The admin service on the database. Run as root on the service account's database, the
    process first becomes that account (after noting who ran it): see admin.db_owner_to_drop_to."""
    from ..admin import UserAdmin, db_owner_to_drop_to, drop_privileges, os_user

    actor = os_user()
    ids = db_owner_to_drop_to(env.db_path)
    if ids is not None:
        env.config  # read while still root: the config (and a key file it names) may be root's
        drop_privileges(ids)
    return UserAdmin(env.open_store(create=True), actor=actor)


def _change_access(env, fn, keys_file=None):
    """One access change (``fn(UserAdmin)``), then ``authorized_keys`` rewritten in the same
    command: a removed key or a disabled user must not keep reaching sshd until someone
    remembers ``keys write`` (a lost laptop). The change runs as the database's owner; the
    file is written by this (root) process, as ``keys write`` does."""
    from ..admin import UserAdmin, as_db_owner, os_user

    actor = os_user()
    env.config  # read while still root: the config (and a key file it names) may be root's

    def run():
        store = env.open_store(create=True)
        try:
            return fn(UserAdmin(store, actor=actor))
        finally:
            store.close()

    result = as_db_owner(env.db_path, run)
    return result, (lambda: _keys_follow(env, actor, keys_file))


def _keys_write_command(env) -> str:
    parts = ["meldcode"]
    config = env.config_arg or os.environ.get("MELDCODE_CONFIG")
    if config:
        parts += ["--config", str(Path(config).absolute())]
    parts += ["--db", str(env.db_path.absolute()), "admin", "keys", "write"]
    return " ".join(parts)


def _managed_keys_file(env) -> Path | None:
    """The ``authorized_keys`` Meldcode manages for this database: the file ``keys write`` last
    wrote (journalled), else the service account's ``~/.ssh/authorized_keys`` - only one that
    already holds the managed block. (Never a path anyone could choose through the database
    alone: a file root does not already manage for Meldcode is not written.)"""
    from ..admin import BEGIN_MARK, as_db_owner
    from ..domain.people import ADMIN_CASE

    def last_written():
        store = env.open_store()
        try:
            files = [e.payload.get("file") for e in store.events(ADMIN_CASE)
                     if e.kind == "keys_written" and e.payload]
        finally:
            store.close()
        return files[-1] if files else None

    candidates = []
    journalled = as_db_owner(env.db_path, last_written)
    if isinstance(journalled, str) and journalled:
        candidates.append(Path(journalled))
    try:
        owner = pwd.getpwuid(os.stat(env.db_path).st_uid)
        candidates.append(Path(owner.pw_dir) / ".ssh" / "authorized_keys")
    except (KeyError, OSError):
        pass
    for path in candidates:
        try:
            if path.is_file() and not path.is_symlink() and BEGIN_MARK in path.read_text(
                    encoding="utf-8", errors="replace").splitlines():
                return path
        except OSError:
            continue
    return None


def service_account(name: str | None, db_uid: int):
    """The service account's passwd entry: ``name`` (``--service-user``) or the database's
    owner."""
    from ..admin import AdminRefused

    if not name:
        return pwd.getpwuid(db_uid)
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise AdminRefused(_("Account '{name}' bestaat niet op deze server.", name=name)) from None


def _write_keys(env, actor: str, path: Path, service_uid: int):
    """Rewrite ``path`` from the user table: the table is read, and the write journalled, as
    the database's owner; the file itself is written by this (root) process."""
    from ..admin import UserAdmin, as_db_owner, write_authorized_keys

    def with_store(fn):
        def run():
            store = env.open_store()
            try:
                return fn(UserAdmin(store, actor=actor))
            finally:
                store.close()
        return run

    users = as_db_owner(env.db_path, with_store(lambda a: a.list_users()))
    result = write_authorized_keys(path, users, _command_prefix(env), service_uid=service_uid)
    as_db_owner(env.db_path, with_store(lambda a: a.journal_keys_written(path, result.lines)))
    return result


def _keys_follow(env, actor, keys_file=None) -> None:
    """Rewrite the managed ``authorized_keys`` now; where there is none, say plainly that sshd
    still has the old lines and give the exact command."""
    from ..admin import AdminRefused
    from ..errors import MeldcodeError

    path = Path(keys_file) if keys_file else _managed_keys_file(env)
    if path is None:
        click.echo(_("Let op: authorized_keys is niet bijgewerkt (geen door Meldcode beheerd "
                     "bestand gevonden); tot dan laat sshd de oude sleutelregels toe. Draai nu: "
                     "{cmd}", cmd=_keys_write_command(env) + " --file PAD"), err=True)
        return

    try:
        result = _write_keys(env, actor, path, os.stat(env.db_path).st_uid)
    except (MeldcodeError, OSError) as exc:
        reason = str(exc) if isinstance(exc, MeldcodeError) else _("het bestand kon niet worden "
                                                                     "geschreven.")
        raise AdminRefused(_("De wijziging staat in de database, maar authorized_keys is niet "
                             "bijgewerkt: {reason} Draai daarna: {cmd}", reason=reason,
                             cmd=_keys_write_command(env) + f" --file {path}")) from None
    if result.warning:
        click.echo(result.warning, err=True)
    click.echo(_("authorized_keys bijgewerkt: {path} ({n} sleutelregel(s)).", path=result.path,
                 n=result.lines))


_KEYS_FILE = click.option(
    "--keys-file", "keys_file", default=None, metavar="PAD",
    help=_("authorized_keys om meteen bij te werken (standaard: het bestand dat 'admin keys "
           "write' beheert)."))


@admin.group("user", help=_("Gebruikers: toevoegen, uit- en inschakelen, rol, sleutels, lijst."))
def user_group() -> None:
    pass


@user_group.command("add", help=_("Voeg een gebruiker toe (met één of meer publieke sleutels)."))
@click.argument("name", metavar="NAAM")
@click.option("--display-name", required=True, metavar="TEKST", help=_("Naam zoals de app hem toont."))
@click.option("--role", required=True, metavar="ROL",
              help=_("coordinator, member, teacher of auditor."))
@click.option("--key", "keys", multiple=True, metavar="BESTAND",
              help=_("Publieke sleutel (.pub); mag vaker."))
@_KEYS_FILE
@db_option
@pass_env
@handle_errors
def user_add(env, name, display_name, role, keys, keys_file):
    from ..admin import read_key_file

    # Read here, as whoever runs the command: under sudo the key may sit in root's home, which
    # the service account the change then runs as cannot read.
    read = [read_key_file(k) for k in keys]
    fps, follow = _change_access(env, lambda a: a.add_user(name, display_name, role, keys=read),
                                 keys_file)
    click.echo(_("Gebruiker '{name}' toegevoegd als {role}.", name=name, role=role))
    for fp in fps:
        click.echo(_("Sleutel: {fp}", fp=fp))
    follow()


@user_group.command("disable", help=_("Schakel een gebruiker uit: de toegang stopt meteen, de "
                                      "geschiedenis blijft."))
@click.argument("name", metavar="NAAM")
@click.option("--reason", required=True, metavar="TEKST")
@_KEYS_FILE
@db_option
@pass_env
@handle_errors
def user_disable(env, name, reason, keys_file):
    _none, follow = _change_access(env, lambda a: a.disable(name, reason), keys_file)
    click.echo(_("Gebruiker '{name}' is uitgeschakeld.", name=name))
    follow()


@user_group.command("enable", help=_("Schakel een gebruiker weer in."))
@click.argument("name", metavar="NAAM")
@_KEYS_FILE
@db_option
@pass_env
@handle_errors
def user_enable(env, name, keys_file):
    _none, follow = _change_access(env, lambda a: a.enable(name), keys_file)
    click.echo(_("Gebruiker '{name}' is weer actief.", name=name))
    follow()


@user_group.command("set-role", help=_("Geef een gebruiker een andere rol."))
@click.argument("name", metavar="NAAM")
@click.argument("role", metavar="ROL")
@_KEYS_FILE
@db_option
@pass_env
@handle_errors
def user_set_role(env, name, role, keys_file):
    _none, follow = _change_access(env, lambda a: a.set_role(name, role), keys_file)
    click.echo(_("Gebruiker '{name}' heeft nu de rol {role}.", name=name, role=role))
    follow()


@user_group.command("add-key", help=_("Voeg een publieke sleutel toe aan een gebruiker."))
@click.argument("name", metavar="NAAM")
@click.argument("key_file", metavar="BESTAND")
@_KEYS_FILE
@db_option
@pass_env
@handle_errors
def user_add_key(env, name, key_file, keys_file):
    from ..admin import read_key_file

    read = read_key_file(key_file)      # as the one who runs it (see user add)
    fp, follow = _change_access(env, lambda a: a.add_key(name, key=read), keys_file)
    click.echo(_("Sleutel {fp} toegevoegd aan '{name}'.", fp=fp, name=name))
    follow()


@user_group.command("remove-key", help=_("Verwijder een sleutel (vingerafdruk uit 'user list')."))
@click.argument("name", metavar="NAAM")
@click.argument("fingerprint", metavar="VINGERAFDRUK")
@_KEYS_FILE
@db_option
@pass_env
@handle_errors
def user_remove_key(env, name, fingerprint, keys_file):
    _none, follow = _change_access(env, lambda a: a.remove_key(name, fingerprint), keys_file)
    click.echo(_("Sleutel {fp} van '{name}' verwijderd.", fp=fingerprint, name=name))
    follow()


@user_group.command("list", help=_("Alle gebruikers: naam, weergavenaam, rol, status, sleutels, "
                                   "laatst gezien, meldingskanaal."))
@click.option("--json", "as_json", is_flag=True, help=_("Als JSON."))
@db_option
@pass_env
@handle_errors
def user_list(env, as_json):
    from ..domain.notify import channel_summary
    from ..domain.people import role_label, STATUS_LABELS

    admin = _admin(env)
    users = admin.list_users()
    # Scheme and host only: a channel URL carries a password or a webhook's secret.
    channels = {name: channel_summary(url) for name, url in admin.store.channels().items()}
    if as_json:
        out = [{"name": u["name"], "display_name": u["display_name"], "role": u["role"],
                "status": u["status"], "disabled_reason": u["disabled_reason"],
                "last_seen": u["last_seen"], "created_at": u["created_at"],
                "notify": channels.get(u["name"]),
                "keys": [{"fingerprint": k["fingerprint"], "type": k["key_type"],
                          "added_at": k["added_at"]} for k in u["keys"]]} for u in users]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not users:
        click.echo(_("Nog geen gebruikers. Voeg de eerste toe met: meldcode admin user add NAAM "
                     "--display-name \"…\" --role coordinator --key BESTAND.pub"))
        return
    for u in users:
        click.echo(f"{u['name']}\t{u['display_name']}\t{role_label(u['role'])}\t"
                   f"{_(STATUS_LABELS.get(u['status'], u['status']))}\t"
                   + _("laatst gezien: {at}", at=u["last_seen"] or "-")
                   + ("\t" + _("meldingen: {channel}", channel=channels[u["name"]])
                      if u["name"] in channels else ""))
        for k in u["keys"]:
            click.echo(f"    {k['fingerprint']} ({k['key_type']})")


# --------------------------------------------------------------------------- keys


@admin.group("keys", help=_("authorized_keys van het service-account."))
def keys_group() -> None:
    pass


def _command_prefix(env) -> str:
    exe = Path(sys.executable).parent / "meldcode"
    if not exe.exists():
        exe = Path(sys.argv[0]).absolute()
    parts = [str(exe)]
    config = env.config_arg or os.environ.get("MELDCODE_CONFIG")
    if config:
        parts += ["--config", str(Path(config).absolute())]
    parts += ["--db", str(env.db_path.absolute())]
    return " ".join(parts)


@keys_group.command("write", help=_(
    "Schrijf authorized_keys opnieuw uit de gebruikerstabel (atomair; regels buiten het "
    "gemarkeerde blok blijven staan)."))
@click.option("--file", "target", default=None, metavar="PAD",
              help=_("Standaard: ~SERVICE-ACCOUNT/.ssh/authorized_keys."))
@click.option("--service-user", default=None, metavar="NAAM",
              help=_("Het service-account (standaard: de eigenaar van de database)."))
@db_option
@pass_env
@handle_errors
def keys_write(env, target, service_user):
    from ..admin import os_user

    account = service_account(service_user, os.stat(env.db_path).st_uid)
    path = Path(target) if target else Path(account.pw_dir) / ".ssh" / "authorized_keys"
    env.config  # read in this process: the child that becomes the service account may not
    result = _write_keys(env, os_user(), path, account.pw_uid)
    if result.warning:
        click.echo(result.warning, err=True)
    click.echo(_("{path}: {n} sleutelregel(s) geschreven, {kept} andere regel(s) behouden.",
                 path=result.path, n=result.lines, kept=result.kept))


# --------------------------------------------------------------------------- config

DEFAULT_CONFIG = '''\
# Meldcode TUI - configuratie van de school (geschreven door 'meldcode admin config').
# Alles is optioneel; een fout in dit bestand wordt gemeld met de regel, nooit genegeerd.
# Eigenaar root, modus 0640, groep van het service-account: het account kan hem lezen, niet wijzigen.

# Database: het pad staat NIET hier maar op de command=-regel in authorized_keys (--db), die
# 'meldcode admin keys write' schrijft; zo kan niemand via deze file een ander bestand kiezen.
# Standaard op een server: /srv/meldcode/data/school.sqlite

[school]
name = ""                         # bijv. "OBS De Fictieve Linde"; staat op exports

[server]
ssh_host = "meldcode@server.school.nl"   # voor de ophaalopdracht (ssh … export … > bestand)

# Rollen: per persoon in de database, niet hier:
#   meldcode admin user add NAAM --display-name "…" --role coordinator|member|teacher|auditor --key NAAM.pub
# Zorgteams stelt de coördinator per casus samen in de app (toets z).
[access]
all_cases = []                    # alleen zonder gebruikerstabel: wie elke casus ziet

[plugins]
allow = []                        # leeg: elke geïnstalleerde plugin mag laden
block = []                        # deze nooit laden (pluginnaam uit 'meldcode plugins')

[catalogues]
folders = []                      # extra TOML-catalogi, bijv. ["/etc/meldcode/catalogi"]

[retention]
years = 2                         # persoonsgegevens wissen na zoveel jaar ...
counted_from = "leaving"          # ... na vertrek van de leerling of sluiten (het laatste); "closing": na sluiten
reason = "Gebruikelijke termijn voor leerlinggegevens; vastgesteld door het schoolbestuur (fictief)."
'''


@admin.command("config", help=_(
    "Schrijf een standaardconfiguratie met uitleg (standaard /etc/meldcode/meldcode.toml of "
    "MELDCODE_CONFIG)."))
@click.option("--file", "target", default=None, metavar="PAD")
@click.option("--force", is_flag=True, help=_("Een bestaand bestand overschrijven."))
@handle_errors
def admin_config(target, force):
    from ..admin import AdminRefused
    from ..config import load_config

    path = Path(target or os.environ.get("MELDCODE_CONFIG") or "/etc/meldcode/meldcode.toml")
    if path.exists() and not force:
        raise AdminRefused(_("{path} bestaat al; niets gewijzigd (gebruik --force om te "
                             "overschrijven).", path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(DEFAULT_CONFIG)
    os.chmod(tmp, 0o640)
    load_config(tmp)   # what we write must load under the strict schema
    os.replace(tmp, path)
    click.echo(_("Configuratie geschreven: {path}", path=path))
