"""What is due for whom: the one list behind ``meldcode notify``, ``meldcode todo`` and the
dashboard's "Voor u vandaag" (pure: no I/O), so a message and the app never disagree.

An :class:`Item` is content-free by construction: a case (or concern) id, the kind of point and
a date. Nothing else of a case ever enters it, so no message built from items can carry a
pupil's name, a group, a date of birth, a person's name or anything anyone wrote.

Who gets an item (the roles of ``domain.people``):

- a new teacher's concern: every enabled coordinator (they run the inbox);
- a point of a case (a deadline reached or passed, Veilig Thuis's feedback outstanding after 5
  working days, a help review or follow-up due today, a staff-route step open, a colleague's
  acute melding): the case's owner and the zorgteam members with a user name, if that user is
  an enabled coordinator or member. Never a teacher (a teacher never learns a case exists),
  never an auditor (no case content, not even that a point is due), never a member outside
  the case's zorgteam;
- a concern taken in: the teacher who logged it, without the case id (she may not know it).

Sources: the school's protocol (the aandachtsfunctionaris watches the deadlines and informs the
reporter that the concern was picked up), Veilig Thuis for professionals ("binnen 5 werkdagen
terugkoppeling"; after that the school asks), Basismodel meldcode stap 5 (follow the agreements).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable
from urllib.parse import urlsplit

from ..errors import InputError
from ..i18n import N_, _
from ..text_safety import SHORT_MAX, check_text
from .dates import format_date
from .deadlines import is_working_day
from .payload import KindSpec, register
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .guide import OpenPoint

# The journal stream of what was sent (never an MC- number: it never shows up as a case).
NOTIFY_STREAM = "meldingen"

KIND_LABELS = {
    "concern_new": N_("nieuwe zorgmelding van een leerkracht"),
    "concern_taken": N_("uw zorgmelding is opgepakt"),
    "vt_feedback_overdue": N_("terugkoppeling van Veilig Thuis uitgebleven"),
    "help_review_due": N_("evaluatie van de hulp"),
    "follow_up_due": N_("vervolgafspraak"),
    "deadline": N_("termijn bereikt"),
    "staff_route_open": N_("stap van de andere route open"),
    "acute_report": N_("acute melding door een collega"),
}
# Order in a digest: what needs a person first.
KIND_ORDER = tuple(KIND_LABELS)
ROLES_ON_CASES = ("coordinator", "member")
# News (a concern taken in, a colleague's acute melding) stays on the list this many days.
RECENT_DAYS = 14


@dataclass(frozen=True)
class Item:
    """One point for one user. ``ref`` tells two points of one kind on one case apart (a
    follow-up's seq, a report's seq); ``due`` is the date it fell due, if it has one."""

    case_id: str
    kind: str
    due: date | None = None
    ref: str = ""

    @property
    def key(self) -> str:
        """What the journal keeps of a sent item: the same item never goes out twice; a new
        due date (a review moved) is a new item."""
        return ":".join((self.case_id, self.kind, self.ref, self.due.isoformat() if self.due else ""))

    def line(self) -> str:
        """The item as one Dutch line (ids, the kind of point, a date: nothing else)."""
        text = f"{self.case_id}: {_(KIND_LABELS[self.kind])}" if self.case_id else _(KIND_LABELS[self.kind])
        if self.due is not None:
            text += " " + _("({when})", when=format_date(self.due))
        return text


def _case_items(case_id: str, points: Iterable[OpenPoint], today: date) -> list[Item]:
    """The points of one case that call for a person now (open points that wait for a later
    date, or only say what the next step needs, are for the app, not for a message)."""
    out: list[Item] = []
    for p in points:
        code = p.code
        if code.startswith("vt_feedback:"):
            if p.due is not None and today > p.due:
                out.append(Item(case_id, "vt_feedback_overdue", p.due, code.split(":", 1)[1]))
        elif code == "help_review":
            if p.due is not None and p.due <= today:
                out.append(Item(case_id, "help_review_due", p.due))
        elif code.startswith("follow_up:"):
            if p.due is not None and p.due <= today:
                out.append(Item(case_id, "follow_up_due", p.due, code.split(":", 1)[1]))
        elif code in ("staff_route", "staff_route_records"):
            out.append(Item(case_id, "staff_route_open", None, code))
        elif p.due is not None and p.due <= today:
            out.append(Item(case_id, "deadline", p.due, code))
    return out


def _recent(at: str, today: date) -> bool:
    try:
        return (today - date.fromisoformat(str(at)[:10])).days <= RECENT_DAYS
    except ValueError:
        return False


def _may_get_case_items(user: dict | None) -> bool:
    return bool(user) and user.get("status") == "enabled" and user.get("role") in ROLES_ON_CASES


def due_items(cases: Iterable, concerns: Iterable[dict], users: Iterable[dict], today: date,
              points_of) -> dict[str, list[Item]]:
    """``{user name: [Item, …]}`` for every user who has something.

    ``cases``: folded :class:`CaseState` objects; ``points_of(state, today)``: the guide's open
    points (``domain.guide.open_points``); ``concerns``: the concern inbox rows
    (``concern_id``, ``author``, ``status``, ``taken_on``); ``users``: the user table."""
    by_name = {u["name"]: u for u in users}
    out: dict[str, list[Item]] = {}

    def give(name: str, item: Item) -> None:
        items = out.setdefault(name, [])
        if item not in items:
            items.append(item)

    coordinators = [n for n, u in by_name.items()
                    if u.get("status") == "enabled" and u.get("role") == "coordinator"]
    for c in concerns:
        if c.get("status") == "new":
            for name in coordinators:
                give(name, Item(c["concern_id"], "concern_new"))
        elif c.get("status") == "taken" and c.get("taken_on") and \
                (today - c["taken_on"]).days <= RECENT_DAYS:
            author = by_name.get(c.get("author", ""))
            if author and author.get("status") == "enabled":
                # The teacher hears that it was picked up; the concern id is hers, the case id
                # is not (a teacher never learns that a case exists).
                give(author["name"], Item(c["concern_id"], "concern_taken", c["taken_on"]))
    for state in cases:
        if not state.exists or state.closed:
            continue
        recipients = [n for n in dict.fromkeys(state.members) if _may_get_case_items(by_name.get(n))]
        if not recipients:
            continue
        items = _case_items(state.case_id, points_of(state, today), today)
        for name in recipients:
            for item in items:
                give(name, item)
            for rep in state.acute_reports:
                if rep.actor != name and _recent(rep.at, today):
                    give(name, Item(state.case_id, "acute_report", None, str(rep.seq)))
    for name, items in out.items():
        items.sort(key=lambda i: (KIND_ORDER.index(i.kind), i.due or date.min, i.case_id, i.ref))
    return out


# --------------------------------------------------------------------------- the message

def digest(items: list[Item]) -> tuple[str, str]:
    """(title, body) of one message: counts, ids, kinds of point, dates; and "log in om te
    lezen". Built from items only, so it cannot carry case content."""
    n = len(items)
    if n == 1:
        title = _("Meldcode: 1 punt voor u")
        lines = [_("Er staat 1 punt voor u klaar in Meldcode:"), ""]
    else:
        title = _("Meldcode: {n} punten voor u", n=n)
        lines = [_("Er staan {n} punten voor u klaar in Meldcode:", n=n), ""]
    lines += [f"- {i.line()}" for i in items]
    lines += ["", _("Log in om te lezen. Dit bericht bevat bewust geen namen of inhoud.")]
    return title, "\n".join(lines)


def probe_message() -> tuple[str, str]:
    return (_("Meldcode: testbericht"),
            _("Dit is een testbericht van Meldcode. Meldingen komen via dit kanaal binnen."))


# --------------------------------------------------------------------------- quiet days

QUIET_CHOICES = ("weekend", "feestdagen")


def is_quiet_day(day: date, quiet_days: Iterable[str]) -> bool:
    """Weekends and/or the Dutch public holidays (``deadlines.public_holidays``), as the
    school's config says (``[notify] quiet_days``)."""
    quiet = set(quiet_days)
    if "weekend" in quiet and day.weekday() >= 5:
        return True
    if "feestdagen" in quiet and day.weekday() < 5 and not is_working_day(day):
        return True
    return False


# --------------------------------------------------------------------------- channels

def channel_summary(url: str) -> str:
    """What may be shown of a channel URL: its scheme and host, never a user, password, token
    or path (webhook URLs carry their secret in the path)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "?"
    scheme = parts.scheme or "?"
    # Several services put a token where the host goes (slack://TokenA/…, tgram://bottoken/…):
    # only a name with a dot (a DNS name or an address) is shown as a host.
    if host and ("." in host or ":" in host or host == "localhost"):
        return f"{scheme}://{host}"
    return f"{scheme}://…"


def check_channel_url(url: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise InputError(_("Geef een kanaal-URL (bijv. mailtos://… of msteams://…)."), field="url")
    url = url.strip()
    check_text(url, "url", label=_("kanaal"), max_len=2048)
    if "://" not in url or " " in url:
        raise InputError(_("Dit is geen kanaal-URL (schema://…)."), field="url")
    return url


# --------------------------------------------------------------------------- event payloads

def _name(value, field: str) -> str:
    from ..text_safety import check_user_name

    if not isinstance(value, str):
        raise InputError(_("Het veld '{field}' ontbreekt.", field=field), field=field)
    return check_user_name(value, field)


def notification_sent(p: dict) -> dict:
    """A digest accepted by the user's channel: who, which item keys, the channel's scheme.
    No content, no URL."""
    keys = p.get("items")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise InputError(_("Het veld '{field}' ontbreekt.", field="items"), field="items")
    for k in keys:
        check_text(k, "items", max_len=SHORT_MAX)
    scheme = p.get("channel")
    if not isinstance(scheme, str) or not scheme.strip():
        raise InputError(_("Het veld '{field}' ontbreekt.", field="channel"), field="channel")
    check_text(scheme, "channel", max_len=SHORT_MAX)
    return {"recipient": _name(p.get("recipient"), "recipient"), "items": list(keys),
            "channel": scheme.strip()}


def user_notify_set(p: dict) -> dict:
    """A user's channel set (or cleared): scheme and host only; the URL itself stays in the
    user table (its secrets never enter the journal)."""
    channel = p.get("channel", "")
    if not isinstance(channel, str):
        raise InputError(_("Het veld '{field}' ontbreekt.", field="channel"), field="channel")
    check_text(channel, "channel", max_len=SHORT_MAX)
    os_user = p.get("os_user")
    if not isinstance(os_user, str) or not os_user.strip():
        raise InputError(_("Het veld '{field}' ontbreekt.", field="os_user"), field="os_user")
    check_text(os_user, "os_user", max_len=SHORT_MAX)
    return {"name": _name(p.get("name"), "name"), "channel": channel, "os_user": os_user.strip()}


# What was sent to whom (no content) and a user's channel set: journal entries, never corrected.
register(KindSpec("notification_sent", notification_sent, correctable=False, on_a_case=False),
         KindSpec("user_notify_set", user_notify_set, correctable=False, on_a_case=False))
