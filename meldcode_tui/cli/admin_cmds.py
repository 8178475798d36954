"""``meldcode admin …``: the server administrator's commands (run as root or the service
account on the server, never through ``serve``). Subcommands register themselves on
:data:`admin` from their own modules (``admin_store_cmds``: encryption; ``admin_user_cmds``:
users, keys and the default config)."""

from __future__ import annotations

from ..i18n import _
from . import main


@main.group("admin", help=_(
    "Beheer op de server: gebruikers en sleutels, versleuteling, configuratie. Alleen voor de "
    "beheerder (root of het service-account); niet bereikbaar via 'serve'."))
def admin() -> None:
    pass
