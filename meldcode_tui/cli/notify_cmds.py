"""``meldcode notify`` (from cron: one content-free digest per user), ``meldcode todo`` (what is
due for you) and ``meldcode admin user set-notify NAME URL`` (a user's channel)."""

from __future__ import annotations

import sys

import click

from ..i18n import _
from . import db_option, handle_errors, main, pass_env
from .admin_user_cmds import _admin, user_group


@main.command("notify", help=_(
    "Stuur elke gebruiker één bericht met wat nieuw of verlopen is (zonder namen of inhoud). "
    "Voor cron, als het service-account."))
@click.option("--dry-run", is_flag=True, help=_("Laat zien wie wat zou krijgen; verstuur niets."))
@db_option
@pass_env
@handle_errors
def notify(env, dry_run):
    from ..service_layer.notify import Notifications, quiet_days_of

    svc = env.service(with_plugins=False)
    report = Notifications(svc, quiet_days=quiet_days_of(env.config)).run(dry_run=dry_run)
    if report.quiet:
        click.echo(_("Vandaag is een stille dag: er is niets verstuurd."))
        return
    if dry_run:
        for name, (_title, body) in report.messages.items():
            click.echo(_("Aan {name}:", name=name))
            click.echo(body)
            click.echo("")
    for name in report.no_channel:
        click.echo(_("{name} heeft nieuwe punten maar geen meldingskanaal (meldcode admin user "
                     "set-notify).", name=name))
    for line in report.failed:
        click.echo(line, err=True)
    if not dry_run:
        n_items = sum(len(v) for v in report.sent.values())
        click.echo(_("{users} bericht(en) verstuurd met {items} punt(en).",
                     users=len(report.sent), items=n_items))
    if report.failed:
        sys.exit(1)


@main.command("todo", help=_("Wat vandaag voor u klaarstaat (dezelfde lijst als de meldingen)."))
@db_option
@pass_env
@handle_errors
def todo(env):
    from ..service_layer.notify import Notifications

    items = Notifications(env.service(with_plugins=False)).mine()
    if not items:
        click.echo(_("Voor u vandaag: niets."))
        return
    click.echo(_("Voor u vandaag ({n}):", n=len(items)))
    for item in items:
        click.echo(f"- {item.line()}")


@user_group.command("set-notify", help=_(
    "Stel het meldingskanaal van een gebruiker in (een apprise-URL: mailtos://, msteams://, "
    "matrixs://, ntfys:// …). Het geheim in de URL wordt nooit getoond."))
@click.argument("name", metavar="NAAM")
@click.argument("url", metavar="URL", required=False)
@click.option("--test", "send_test", is_flag=True, help=_("Stuur een testbericht via het kanaal."))
@click.option("--clear", is_flag=True, help=_("Verwijder het kanaal."))
@db_option
@pass_env
@handle_errors
def user_set_notify(env, name, url, send_test, clear):
    from ..service_layer.notify import Channels

    channels = Channels(_admin(env))
    if clear:
        channels.set(name, None)
        click.echo(_("Meldingskanaal van '{name}' verwijderd.", name=name))
        return
    if url:
        shown = channels.set(name, url)
        click.echo(_("Meldingskanaal van '{name}': {channel}.", name=name, channel=shown))
    elif not send_test:
        shown = channels.shown(name)
        click.echo(_("Meldingskanaal van '{name}': {channel}.", name=name,
                     channel=shown or _("geen")))
        return
    if send_test:
        shown = channels.test(name)
        click.echo(_("Testbericht verstuurd aan '{name}' via {channel}.", name=name, channel=shown))
