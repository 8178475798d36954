"""The `meldcode` command: the TUI by default, plus admin and scripting subcommands.

Subcommands live in sibling modules (``store_cmds``, ``case_cmds``, ``plugin_cmds``,
``export_cmds``) and register themselves on ``main``. Every subcommand takes ``--db`` and
``--help``; exit codes are documented in :mod:`meldcode_tui.errors`.

Heavy imports (textual, the store, plugins) happen inside commands, so ``meldcode --help``
and scripting calls start fast.
"""

from __future__ import annotations

import functools
import getpass
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..errors import MeldcodeError
from ..i18n import _, current_language
from . import click_nl

if current_language() == "nl":
    click_nl.install()


@dataclass
class Env:
    """What every command needs: where the database is, who acts, the config."""

    db_arg: str | None = None
    config_arg: str | None = None
    user_arg: str | None = None
    _config: object = field(default=None, repr=False)
    _key: str | None = field(default=None, repr=False)
    _key_read: bool = field(default=False, repr=False)

    @property
    def db_path(self) -> Path:
        from ..config import resolve_db_path

        return resolve_db_path(self.db_arg)

    @property
    def actor(self) -> str:
        from ..text_safety import check_user_name

        if self.user_arg is not None:
            return check_user_name(self.user_arg, "--user")
        if os.environ.get("MELDCODE_USER"):
            return check_user_name(os.environ["MELDCODE_USER"], "MELDCODE_USER")
        return getpass.getuser()

    @property
    def config(self):
        if self._config is None:
            from ..config import load_config

            self._config = load_config(self.config_arg, service_uid=self.service_uid())
        return self._config

    def service_uid(self) -> int | None:
        """The service account whose config this is, for the config load's writer check:
        under ``serve`` this process's account; root acting on another account's database,
        that account (admin.db_owner_to_drop_to); otherwise None (a person's own config)."""
        if not hasattr(os, "geteuid"):
            return None
        if self.server_mode:
            return os.geteuid()
        if os.geteuid() == 0:
            from ..admin import db_owner_to_drop_to

            ids = db_owner_to_drop_to(self.db_path)
            return ids[0] if ids else None
        return None

    def store_key(self) -> str | None:
        """The SQLCipher key of the database, or None (a plain database): from
        ``[encryption] key_file`` (readable by its owner only), or asked once with getpass when
        ``[encryption] prompt = true``. Read once per command."""
        if not self._key_read:
            cfg = self.config
            if cfg.encryption_key_file is not None:
                from ..store.crypto import read_key_file

                self._key = read_key_file(cfg.encryption_key_file)
            elif cfg.encryption_prompt and self.server_mode:
                # Under serve the prompt would ask every SSH user, teachers included, for the
                # database key: on a server the key comes from a file only.
                from ..store.crypto import KeyError_

                raise KeyError_(_("[encryption] prompt = true werkt niet via 'serve' (dan vraagt "
                                  "de app iedere gebruiker om de sleutel)."),
                                hint=_("Zet [encryption] key_file = \"/etc/meldcode/db.key\" "
                                       "(zie README, 'Installing on a school server')."))
            elif cfg.encryption_prompt:
                self._key = ask_key(_("Sleutel van de database: "))
            self._key_read = True
        return self._key

    def open_store(self, *, create: bool = False):
        from ..errors import DatabaseCorrupt
        from ..store import open_store
        from ..store import crypto

        key = self.store_key()
        try:
            return open_store(self.db_path, create=create, key=key)
        except DatabaseCorrupt:
            path = self.db_path
            if key is None and not crypto.looks_plain(path) and not crypto.could_be_encrypted(path):
                raise DatabaseCorrupt(
                    _("Database {path} is geen Meldcode-database (en ook geen versleutelde): "
                      "het is een ander soort bestand.", path=path),
                    hint=_("Controleer het pad of kies een ander bestand met --db.")) from None
            if key is None and not crypto.looks_plain(path):
                raise crypto.KeyError_(
                    _("Database {path} is versleuteld (of beschadigd) en er is geen sleutel "
                      "opgegeven.", path=path),
                    hint=_("Stel [encryption] key_file in de configuratie in.")) from None
            raise

    def plugin_host(self):
        from ..plugins import load_plugins

        return load_plugins(self.config)

    def service(self, *, create: bool = False, with_plugins: bool = True):
        from ..domain.care_team import CareTeamPolicy
        from ..service import CaseService

        care_team_policy = CareTeamPolicy.of(self.config)
        host = self.plugin_host() if with_plugins else None
        store = self.open_store(create=create)
        try:
            role = self.session_role(store)
        except BaseException:
            store.close()
            raise
        return CaseService(store, actor=self.actor, plugins=host,
                           all_access=self.actor in self.config.access_all_cases
                           or self.owner_console, role=role, care_team_policy=care_team_policy)

    # once the school manages its people (any row in the user table), every session
    # needs an enabled user with a role; before that, the owner/zorgteam/all_cases rule alone.
    server_mode: bool = False
    owner_console: bool = False

    def _is_file_owner(self) -> bool:
        """No --user / MELDCODE_USER, and this OS account owns the database (or is root):
        cron jobs of the service account (`retention --apply`) and the admin at the console."""
        if self.user_arg is not None or os.environ.get("MELDCODE_USER"):
            return False
        try:
            return os.geteuid() in (0, os.stat(self.db_path).st_uid)
        except (OSError, AttributeError):
            return False

    def session_role(self, store) -> str | None:
        from ..admin import session_refusal

        if store.user_count() == 0 and not self.server_mode:
            return None
        user = store.user(self.actor)
        if user is None and not self.server_mode and self._is_file_owner():
            # The service account (or root) at the console: it holds the file anyway, so it
            # sees every case (retention, exports for the board) - as the table's admin.
            self.owner_console = True
            return None
        refusal = session_refusal(user, self.actor, empty=store.user_count() == 0)
        if refusal is not None:
            raise refusal
        from ..clock import format_at, utc_now

        store.touch_user(self.actor, format_at(utc_now()))
        return user["role"]


def ask_key(prompt: str) -> str:
    """Ask for a key without echo (getpass reads from the terminal, not from stdin)."""
    from ..errors import InputError
    from ..store.crypto import check_key

    if not sys.stdin.isatty():
        raise InputError(_("Er is geen terminal om de sleutel te vragen; gebruik "
                           "[encryption] key_file."), field="key")
    try:
        return check_key(getpass.getpass(prompt))
    except (EOFError, KeyboardInterrupt):
        raise InputError(_("Er is geen sleutel opgegeven."), field="key") from None


def _set_db(ctx: click.Context, _param, value):
    if value is not None:
        ctx.ensure_object(Env).db_arg = value
    return value


def db_option(fn):
    """``--db PATH`` on a subcommand (the group has one too; the innermost wins)."""
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        default=None,
        expose_value=False,
        callback=_set_db,
        is_eager=True,
        help=_("Het databasebestand (standaard: MELDCODE_DB of de gebruikersmap)."),
    )(fn)


def handle_errors(fn):
    """Turn known errors into one Dutch line on stderr and an exit code; never a traceback
    (it could carry case content). ``MELDCODE_DEBUG=1`` re-raises for developers."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MeldcodeError as exc:
            if os.environ.get("MELDCODE_DEBUG"):
                raise
            click.echo(f"meldcode: {exc}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            _quiet_after_closed_pipe()
        except PermissionError as exc:
            # An admin command run by an account without the rights (not root, not the service
            # account): say which file and who may, not "unexpected error".
            if os.environ.get("MELDCODE_DEBUG"):
                raise
            click.echo(no_permission_line(exc), err=True)
            sys.exit(PERMISSION_EXIT)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence
            if os.environ.get("MELDCODE_DEBUG"):
                raise
            click.echo(
                _("meldcode: onverwachte fout ({kind}). Er is niets half opgeslagen; "
                  "zet MELDCODE_DEBUG=1 voor details.", kind=type(exc).__name__),
                err=True,
            )
            sys.exit(1)

    return wrapper


PERMISSION_EXIT = 3  # like the other "cannot use this file" errors (StoreError)


def no_permission_line(exc: PermissionError) -> str:
    where = exc.filename or ""
    if where:
        return _("meldcode: geen toegang tot {path} voor account '{who}'. Voer deze opdracht "
                 "uit als root (sudo) of als het service-account (sudo -u meldcode …).",
                 path=where, who=_os_account())
    return _("meldcode: account '{who}' heeft hiervoor niet de rechten. Voer deze opdracht uit "
             "als root (sudo) of als het service-account (sudo -u meldcode …).", who=_os_account())


def _os_account() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, AttributeError):
        return "?"


def _quiet_after_closed_pipe() -> None:
    """The reader of stdout went away (``meldcode case list | head``): end at once, quietly,
    with the shell's code for SIGPIPE; point stdout at /dev/null so the interpreter's final
    flush does not complain either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(141)


pass_env = click.make_pass_decorator(Env, ensure=True)


class _DutchHelp:
    """Click's own help option text, in Dutch like the rest."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Toon deze hulp en stop.")
        return option


class DutchCommand(_DutchHelp, click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIES]")
        super().__init__(*args, **kwargs)


class DutchGroup(_DutchHelp, click.Group):
    command_class = DutchCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIES]")
        kwargs.setdefault("subcommand_metavar", "OPDRACHT [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)


DutchGroup.group_class = DutchGroup


@click.group(cls=DutchGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help=_("Het databasebestand (standaard: MELDCODE_DB of de gebruikersmap)."))
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
              help=_("Configuratiebestand (standaard: MELDCODE_CONFIG of de gebruikersmap)."))
@click.option("--user", "user", default=None,
              help=_("Wie handelt (standaard: MELDCODE_USER of de systeemgebruiker)."))
@click.version_option(package_name="meldcode-tui", prog_name="meldcode",
                      help=_("Toon de versie en stop."))
@click.pass_context
def main(ctx: click.Context, db, config, user):
    """Meldcode huiselijk geweld en kindermishandeling: zonder opdracht start de app."""
    _guard_output()
    env = ctx.ensure_object(Env)
    env.db_arg = env.db_arg or db
    env.config_arg = config
    env.user_arg = user
    if ctx.invoked_subcommand is None:
        run_tui(env)


def _guard_output() -> None:
    """Every text the CLI prints goes through text_safety.safe (one choke point): values from
    the database, a plugin or a file never reach the terminal as control sequences."""
    from ..text_safety import SafeTextStream

    if not isinstance(sys.stdout, SafeTextStream):
        sys.stdout = SafeTextStream(sys.stdout)
    if not isinstance(sys.stderr, SafeTextStream):
        sys.stderr = SafeTextStream(sys.stderr)


@handle_errors
def run_tui(env: Env, *, server_mode: bool = False) -> None:
    # Over SSH without `-t` there is no terminal: say so instead of drawing garbage. This also
    # means a forced-command account never runs what the client asked for (SSH_ORIGINAL_COMMAND).
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo(_("meldcode: de app heeft een terminal nodig (gebruik 'ssh -t'). "
                     "Voor scripts: zie 'meldcode --help'."), err=True)
        sys.exit(2)
    from ..text_safety import SafeTextStream
    from ..ui import run_app

    # Textual draws with escape sequences of its own; it gets the real streams, and its
    # output is guarded where it renders (ui/app.py: the render guard).
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, SafeTextStream):
            setattr(sys, name, stream._stream)
    run_app(env, server_mode=server_mode)


# Subcommands register themselves on `main` when imported.
from . import store_cmds, case_cmds, case_write_cmds, plugin_cmds, export_cmds, retention_cmds, serve_cmds, admin_cmds, admin_user_cmds, admin_store_cmds, attachment_cmds, family_cmds  # noqa: E402,F401
from . import notify_cmds  # noqa: E402,F401
from . import admin_check_cmds  # noqa: E402,F401
from . import pupil_cmds, transfer_cmds  # noqa: E402,F401
from . import stats_cmds, evaluation_cmds  # noqa: E402,F401
