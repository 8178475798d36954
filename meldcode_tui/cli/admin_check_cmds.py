"""``meldcode admin check``: one line per check (OK / WAARSCHUWING / FOUT, with the fix), exit
0 / 1 / 2. For the admin after set-up, for cron (``--quiet``: only what is not OK, so cron mails
only then) and before an audit. See meldcode_tui/admin_check.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..i18n import _
from . import db_option, handle_errors, pass_env
from .admin_cmds import admin
from .admin_user_cmds import service_account


@admin.command("check", help=_(
    "Controleer de server: sshd, sleutelbestand, eigenaars en rechten, versleuteling, plaats "
    "van de sleutel, reservekopieën, controlepunt, bewaartermijn, schijfruimte, plugins. Eén "
    "regel per controle; exitcode 0 (OK), 1 (waarschuwing) of 2 (fout)."))
@click.option("--service-user", default=None, metavar="NAAM",
              help=_("Het service-account (standaard: de eigenaar van de database)."))
@click.option("--sshd-config", default="/etc/ssh/sshd_config", metavar="PAD",
              type=click.Path(dir_okay=False), help=_("Standaard: /etc/ssh/sshd_config."))
@click.option("--backups", "backup_dirs", multiple=True, metavar="MAP",
              type=click.Path(file_okay=False), help=_("Map met reservekopieën; mag vaker."))
@click.option("--checkpoints", default=None, metavar="BESTAND", type=click.Path(dir_okay=False),
              help=_("Bestand met controlepunten ('SEQ HASH' per regel; de laatste telt)."))
@click.option("--quiet", "-q", is_flag=True, help=_("Alleen wat niet OK is (voor cron)."))
@db_option
@pass_env
@handle_errors
def check_cmd(env, service_user, sshd_config, backup_dirs, checkpoints, quiet):
    from .. import admin_check as ac
    from ..admin import AdminRefused, as_db_owner
    from ..config import load_config

    db = env.db_path.absolute()
    try:
        db_uid = os.stat(db).st_uid
    except FileNotFoundError:
        raise AdminRefused(_("Database {path} bestaat niet.", path=db)) from None
    if os.geteuid() not in (0, db_uid):
        raise AdminRefused(_("'admin check' draait als root (sudo): het leest bestanden van root "
                             "en van het service-account."))
    account = service_account(service_user, db_uid)
    config_path = env.config_arg or os.environ.get("MELDCODE_CONFIG")
    checks: list[ac.Check] = []
    config = None
    try:
        config = load_config(config_path, check_writers=False)
        env._config = config
    except Exception as exc:  # noqa: BLE001 - a broken config is a finding, not a stop
        checks.append(ac.Check(ac.FAIL, _("configuratie"), str(exc)))
    setup = ac.Setup(db=db, config_path=Path(config_path).absolute() if config_path else None,
                     service_uid=account.pw_uid, sshd_config=Path(sshd_config),
                     backup_dirs=tuple(Path(d).absolute() for d in backup_dirs),
                     checkpoints=Path(checkpoints).absolute() if checkpoints else None)
    effective = ac.sshd_effective(setup, account.pw_name)
    checks += ac.check_sshd(setup, account.pw_name, effective)
    checks += ac.check_files(setup, config, account.pw_uid)
    if config is not None:
        checks += ac.check_key(setup, config, account.pw_uid)
    facts, error = None, ""
    if config is not None:
        from ..errors import MeldcodeError

        checkpoint = setup.last_checkpoint()

        def read():
            return ac.read_db_facts(lambda: env.open_store(), setup, env.store_key(), checkpoint)
        try:
            facts = as_db_owner(db, read)
        except MeldcodeError as exc:
            error = str(exc)
    checks += ac.check_keys_file(ac.keys_file_of(effective, Path(account.pw_dir), account.pw_name),
                                 account.pw_uid, facts.users if facts else None)
    checks += ac.check_db(setup, facts, error)
    if config is not None:
        checks.append(ac.check_retention(config))
        checks += ac.check_plugins(config, account.pw_uid)
    checks.append(ac.check_disk(db.parent))
    for c in checks:
        if not quiet or c.status != ac.OK:
            click.echo(c.line())
    sys.exit(ac.worst(checks))
