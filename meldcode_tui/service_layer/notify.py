"""Notifications: ``meldcode notify`` (a digest per user from cron), ``meldcode todo`` and the
dashboard's "Voor u vandaag" all read :meth:`Notifications.due` (one list, so a message and the
app never disagree), and a user's channel (``meldcode admin user set-notify``).

Channels are apprise URLs (https://github.com/caronc/apprise): ``mailtos://`` for the school's
SMTP relay (STARTTLS and login), ``msteams://``, ``matrixs://``, ``slack://``, ``ntfys://`` …
What was sent is journalled (``notification_sent`` on the ``meldingen`` stream: recipient, item
keys, channel scheme; no content, no URL) only after the channel accepted it, so a second run
sends nothing new, a failing channel is tried again next run, and ``meldcode verify`` covers
the record of what went out.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from ..domain import notify as dn
from ..domain.events import validate
from ..domain.guide import open_points
from ..errors import InputError, MeldcodeError
from ..i18n import _

# (url, title, body) -> accepted by the channel?
Sender = Callable[[str, str, str], bool]


class ChannelFailed(MeldcodeError):
    exit_code = 1


class NotifyBusy(MeldcodeError):
    exit_code = 1


def apprise_send(url: str, title: str, body: str) -> bool:
    """Send one message through apprise; True only when the service accepted it. apprise's
    own log is kept quiet: its lines could name a host or a recipient, never needed here."""
    import apprise

    log = logging.getLogger("apprise")
    log.setLevel(logging.CRITICAL + 1)
    log.propagate = False
    ap = apprise.Apprise()
    if not ap.add(url):
        return False
    try:
        return bool(ap.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT))
    except Exception:  # noqa: BLE001 - a broken channel is a failed send, retried next run
        return False


def quiet_days_of(config) -> tuple[str, ...]:
    """``[notify] quiet_days`` of the school's config (checked)."""
    days = tuple(((getattr(config, "extra", None) or {}).get("notify") or {}).get("quiet_days", ()))
    for d in days:
        if d not in dn.QUIET_CHOICES:
            raise InputError(_("Configuratie: onbekende stille dag '{day}' in [notify] quiet_days; "
                               "kies uit {choices}.", day=str(d)[:40],
                               choices=", ".join(dn.QUIET_CHOICES)), field="quiet_days")
    return days


@dataclass
class RunReport:
    quiet: bool = False
    sent: dict[str, list[dn.Item]] = field(default_factory=dict)     # user -> items sent
    failed: list[str] = field(default_factory=list)                   # Dutch lines
    no_channel: list[str] = field(default_factory=list)               # users with news, no channel
    messages: dict[str, tuple[str, str]] = field(default_factory=dict)  # user -> (title, body)


def _may_have_items(row: dict, today: date) -> bool:
    """Whether a case-list row can yield an item today, so only those cases are folded (a
    board's thousands of cases cost a read of the list). Exact, not a guess: the row's
    ``next_deadline`` is its earliest dated open point (due dates change only with a record,
    which rewrites the row); a staff-route case may have an undated open step; a colleague's
    acute melding changed the case within ``RECENT_DAYS``."""
    nd = row.get("next_deadline")
    if nd and str(nd)[:10] <= today.isoformat():
        return True
    if row.get("route") == "staff":
        return True
    recent = (today - timedelta(days=dn.RECENT_DAYS)).isoformat()
    return str(row.get("last_change_at") or "")[:10] >= recent


class Notifications:
    """The use cases on a :class:`CaseService`."""

    # Fold every case a user is on, not only those the case list says may have an item (the
    # test that the shortcut changes nothing).
    everything = False

    def __init__(self, svc, *, send: Sender | None = None, quiet_days=()):
        self.svc = svc
        self.send = send or apprise_send
        self.quiet_days = tuple(quiet_days)

    # ------------------------------------------------------------------ reading

    def _concerns(self) -> list[dict]:
        from ..domain.people import CONCERN_PREFIX

        rows: dict[str, dict] = {}
        for e in self.svc.store.events_with_prefix(CONCERN_PREFIX):
            if e.kind == "concern_logged":
                rows[e.case_id] = {"concern_id": e.case_id, "author": e.actor, "status": "new"}
            elif e.case_id in rows and e.kind == "concern_taken":
                rows[e.case_id].update(status="taken", taken_on=date.fromisoformat(e.at[:10]))
            elif e.case_id in rows and e.kind == "concern_answered":
                rows[e.case_id].update(status="answered")
        return list(rows.values())

    def _users(self) -> list[dict]:
        users = self.svc.store.users()
        if not users:
            # One school PC without a user table: whoever runs the app is its coordinator.
            users = [{"name": self.svc.actor, "role": "coordinator", "status": "enabled"}]
        return users

    def due(self, only: str | None = None) -> dict[str, list[dn.Item]]:
        """Everything due now, per user (``only``: that user alone; fewer cases folded)."""
        from ..domain.case import fold

        today = self.svc.today()
        users = self._users()
        if only is not None:
            users = [u for u in users if u["name"] == only]
        names = {u["name"] for u in users}
        states = []
        for row in self.svc.store.case_rows():
            if row.get("status") == "gesloten" or not names & set(row.get("members") or ()):
                continue
            if not self.everything and not _may_have_items(row, today):
                continue
            states.append(fold(self.svc.store.case_events(row["case_id"])))
        return dn.due_items(states, self._concerns(), users, today, open_points)

    def mine(self) -> list[dn.Item]:
        """"Voor u vandaag" / ``meldcode todo``: this session's user's items."""
        return self.due(only=self.svc.actor).get(self.svc.actor, [])

    def sent_keys(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for e in self.svc.store.events(case_id=dn.NOTIFY_STREAM):
            if e.kind == "notification_sent" and e.payload:
                out.setdefault(e.payload["recipient"], set()).update(e.payload["items"])
        return out

    # ------------------------------------------------------------------ sending

    def run(self, *, dry_run: bool = False) -> RunReport:
        """One digest per user with something new; marked sent only once the channel took it."""
        if self.svc.role is not None:
            raise self.svc._refuse("notify")
        report = RunReport()
        if dn.is_quiet_day(self.svc.today(), self.quiet_days):
            report.quiet = True
            return report
        if dry_run:
            return self._run(report, dry_run=True)
        with self._one_run_at_a_time():
            return self._run(report, dry_run=False)

    @contextmanager
    def _one_run_at_a_time(self):
        """Two runs at once (a slow relay, cron's next tick) would both see an item as unsent
        and send it twice: the second one stops. An advisory lock on a file next to the
        database (the service account's 0700 folder), released when the process ends."""
        import fcntl

        path = Path(str(self.svc.store.path) + ".notify-lock")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise NotifyBusy(_("Er loopt al een 'meldcode notify' op deze database; deze "
                                   "keer is niets verstuurd.")) from None
            yield
        finally:
            os.close(fd)

    def _run(self, report: RunReport, *, dry_run: bool) -> RunReport:
        sent = self.sent_keys()
        channels = self.svc.store.channels()
        for name, items in sorted(self.due().items()):
            new = [i for i in items if i.key not in sent.get(name, set())]
            if not new:
                continue
            url = channels.get(name)
            if not url:
                report.no_channel.append(name)
                continue
            title, body = dn.digest(new)
            report.messages[name] = (title, body)
            if dry_run:
                continue
            if not self.send(url, title, body):
                report.failed.append(_("Melding aan {name} niet verstuurd via {channel}; de "
                                       "volgende keer opnieuw.", name=name,
                                       channel=dn.channel_summary(url)))
                continue
            self._journal_sent(name, [i.key for i in new], dn.channel_summary(url).split(":")[0])
            report.sent[name] = new
        return report

    def _journal_sent(self, recipient: str, keys: list[str], scheme: str) -> None:
        """The one write of this module: what went out to whom (no content, no URL)."""
        payload = validate("notification_sent", {"recipient": recipient, "items": keys,
                                                 "channel": scheme})
        from .unit_of_work import admin_unit_of_work

        # Not a session's act (cron as the service account): the admin's unit of work.
        with admin_unit_of_work(self.svc.store, self.svc.actor, self.svc.now()) as uow:
            uow.append_to_stream(dn.NOTIFY_STREAM, "notification_sent", payload)


# --------------------------------------------------------------------------- channels (admin)

class Channels:
    """``meldcode admin user set-notify``: on the admin service (``admin.UserAdmin``)."""

    def __init__(self, admin, *, send: Sender | None = None):
        self.admin = admin
        self.send = send or apprise_send

    def set(self, name: str, url: str | None) -> str:
        """Store ``url`` as ``name``'s channel (None: remove it); returns what may be shown."""
        from ..domain import people

        name = people.check_name(name)
        url = dn.check_channel_url(url) if url is not None else None
        if url is not None:
            import apprise

            if apprise.Apprise.instantiate(url, suppress_exceptions=True) is None:
                raise InputError(_("Dit kanaal kent apprise niet of de URL is onvolledig "
                                   "({channel}).", channel=dn.channel_summary(url)), field="url")
        shown = dn.channel_summary(url) if url else ""
        self._write_channel(name, url, shown)
        return shown

    def _write_channel(self, name: str, url: str | None, shown: str) -> None:
        """The one write: the URL into the user table, the journal keeps scheme and host."""
        from ..errors import NotFound

        with self.admin._work() as uow:
            if uow.user(name) is None:
                raise NotFound(_("Gebruiker '{name}' bestaat niet.", name=name))
            self.admin._append(uow, "user_notify_set", {"name": name, "channel": shown})
            uow.put_channel(name, url)

    def shown(self, name: str) -> str:
        """What may be shown of ``name``'s channel ("" if none)."""
        from ..domain import people

        url = self.admin.store.channels().get(people.check_name(name))
        return dn.channel_summary(url) if url else ""

    def test(self, name: str) -> str:
        url = self.admin.store.channels().get(name)
        if not url:
            raise InputError(_("Gebruiker '{name}' heeft geen meldingskanaal.", name=name),
                             field="url")
        title, body = dn.probe_message()
        if not self.send(url, title, body):
            raise ChannelFailed(_("Testbericht aan {name} niet verstuurd via {channel}.",
                                  name=name, channel=dn.channel_summary(url)))
        return dn.channel_summary(url)
