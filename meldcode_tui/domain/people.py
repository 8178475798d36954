"""The school's people on the server: roles, what each role may do, and the shape of the admin
events (pure: no I/O; the admin service and the CLI call it).

Roles (ids English, labels Dutch):

- ``coordinator``: aandachtsfunctionaris / intern begeleider / zorgcoördinator: sees and runs
  every case, takes the step 4-5 decisions, manages zorgteams.
- ``member``: zorgteam member: sees the cases whose zorgteam includes them; records signals,
  conversations and consultations; no step-5 decision, no closing, no zorgteam changes.
- ``teacher``: logs concerns; never sees a case.
- ``auditor``: verify, the journal's metadata and the access log; no case content.

Admin events and access refusals are journal events like any other (so they are hash-chained
and verified), on the pseudo case ids :data:`ADMIN_CASE` and :data:`ACCESS_CASE` (never a
``MC-`` number, so they never show up as a case).
"""

from __future__ import annotations

import base64
import binascii
import re
import struct

from ..errors import InputError
from ..i18n import N_, _
from ..text_safety import LONG_MAX, SHORT_MAX, check_text, check_user_name
from .payload import KindSpec, register

ROLES = ("coordinator", "member", "teacher", "auditor")
ROLE_LABELS = {
    "coordinator": N_("coördinator (aandachtsfunctionaris)"),
    "member": N_("zorgteamlid"),
    "teacher": N_("leerkracht"),
    "auditor": N_("controleur"),
}
STATUS_LABELS = {"enabled": N_("actief"), "disabled": N_("uitgeschakeld")}

ADMIN_CASE = "beheer"
ACCESS_CASE = "toegang"

# What a zorgteam member may record on a case she may see (everything else is the coordinator's:
# the step 4-5 decisions, the report, closing and reopening, the zorgteam itself).
MEMBER_KINDS = frozenset({
    "case_viewed", "case_exported", "signal_recorded", "conversation_recorded",
    "consultation_recorded", "exception_recorded", "follow_up_agreed", "follow_up_done",
    "help_reviewed", "record_corrected",
    # What a member sees and hears of the family, a letter, an injury: she records it herself
    "attachment_added", "attachment_fetched", "household_member_added", "household_member_left",
    "professional_added", "professional_ended", "body_mark_recorded", "reference_recorded",
})
# Step completions a member may do (steps 1-3: signals, consultation, conversation).
MEMBER_STEPS = frozenset({1, 2, 3})


def role_label(role: str | None) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else _("geen rol")


# --------------------------------------------------------------------------- what a role may do
# Every role rule of the application is one function here; the service and its use cases ask
# these, never compare role names themselves. ``role`` None means no user table is in use (one
# school PC, the tests): whoever may open the database acts as the coordinator would -- which
# cases she sees is still the access rule's (owner, zorgteam, the config's ``[access]
# all_cases``).

# Who oversees the school's use of the Meldcode without seeing case content.
OVERSIGHT_ROLES = ("coordinator", "auditor")


def _one_of(role: str | None, *roles: str) -> bool:
    return role is None or role in roles


def may_record(role: str | None, kind: str, payload: dict | None = None) -> bool:
    """Whether ``role`` may append ``kind`` on a case it can see (visibility is separate).
    This covers exporting (``case_exported``) and importing (``case_imported``) too."""
    if role is None or role == "coordinator":
        return True
    if role == "member":
        if kind == "step_completed":
            return int((payload or {}).get("step") or 0) in MEMBER_STEPS
        return kind in MEMBER_KINDS
    return False


def may_open_cases(role: str | None) -> bool:
    """Sees case content at all (a teacher and an auditor never do)."""
    return _one_of(role, "coordinator", "member")


def sees_every_case(role: str | None) -> bool:
    """The coordinator sees every case, not only her own and her zorgteams'. Without a user
    table (None) the config's ``[access] all_cases`` decides instead."""
    return role == "coordinator"


def may_create_case(role: str | None) -> bool:
    """A new case -- typed in, from the pupil register, or received from another school."""
    return _one_of(role, "coordinator")


def may_log_concern(role: str | None) -> bool:
    """A concern about a pupil: everyone who works with pupils (not the auditor)."""
    return _one_of(role, "coordinator", "member", "teacher")


def may_handle_concerns(role: str | None) -> bool:
    """The concern inbox: read it, take a concern into a case, answer "geen zorg nu"."""
    return _one_of(role, "coordinator")


def may_read_staff_directory(role: str | None) -> bool:
    """The list of people a zorgteam can be put together from."""
    return _one_of(role, "coordinator", "member")


def may_join_care_team(user_role: str | None) -> bool:
    """Whether a user with this role can be named on a zorgteam: anyone who works with pupils;
    the auditor checks the journal and never sees a case. (A user row's role, so None -- no
    valid role -- is no.)"""
    return user_role in ROLES and user_role != "auditor"


def may_erase_cases(role: str | None) -> bool:
    """Erasing a case's words is the school's act: a coordinator's, never a member's."""
    return _one_of(role, "coordinator")


def may_read_journal_metadata(role: str | None) -> bool:
    """Verify, the journal's metadata and the access log (no case content)."""
    return _one_of(role, *OVERSIGHT_ROLES)


def may_view_figures(role: str | None) -> bool:
    """The school's anonymous figures: its management view. Zorgteam members and teachers see
    cases or nothing."""
    return _one_of(role, *OVERSIGHT_ROLES)


def may_keep_school_records(role: str | None) -> bool:
    """The training register and the yearly Meldcode evaluation: the aandachtsfunctionaris's."""
    return _one_of(role, "coordinator")


def may_read_trainings(role: str | None) -> bool:
    return _one_of(role, *OVERSIGHT_ROLES)


def may_use_pupil_register(role: str | None) -> bool:
    """Load, read and pick from the pupil register (pupils' personal data, no case)."""
    return _one_of(role, "coordinator")


# --------------------------------------------------------------------------- input checks

def check_name(value: str) -> str:
    """A user name as it appears on the forced command line and in every event."""
    return check_user_name(value, "NAAM")


def check_display_name(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(_("Geef een weergavenaam (--display-name)."), field="display_name")
    check_text(value, "display_name", label=_("weergavenaam"), max_len=SHORT_MAX)
    return value.strip()


def check_role(value: str) -> str:
    if value not in ROLES:
        raise InputError(_("Onbekende rol '{role}': kies uit {roles}.", role=str(value)[:40],
                           roles=", ".join(ROLES)), field="role")
    return value


def check_reason(value: str) -> str:
    if not isinstance(value, str) or len(value.strip()) < 5:
        raise InputError(_("Geef een reden (--reason, minstens 5 tekens)."), field="reason")
    check_text(value, "reason", label=_("reden"), max_len=SHORT_MAX)
    return value.strip()


KEY_TYPES = frozenset({
    "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
})
_B64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")
_COMMENT = re.compile(r"^[A-Za-z0-9._@+-]{1,100}$")


def parse_public_key(text: str) -> tuple[str, str, str]:
    """``(type, base64 blob, comment)`` of ONE OpenSSH public key line, or InputError.

    Refused: a private key, several keys or lines, ``authorized_keys`` options in front of the
    key (``command=…``, ``from=…``: the app writes the options itself), an unknown key type, a
    blob that is not base64 or whose inner type does not match, control characters. The
    comment is kept only if it is plain (letters, digits, ``._@+-``); otherwise dropped."""
    if not isinstance(text, str):
        raise InputError(_("Het sleutelbestand is geen tekst."), field="key")
    if "PRIVATE KEY" in text:
        raise InputError(_("Dit is een privésleutel: geef het .pub-bestand (de publieke "
                           "sleutel). Stuur een privésleutel nooit door."), field="key")
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != 1:
        raise InputError(_("Het sleutelbestand moet precies één publieke sleutel op één regel "
                           "bevatten (nu {n} regels).", n=len(lines)), field="key")
    line = lines[0].strip()
    check_text(line, "key", label=_("sleutel"), max_len=16_384)
    words = line.split()
    if words[0] not in KEY_TYPES:
        raise InputError(_("De sleutel moet beginnen met het sleuteltype (bijv. ssh-ed25519); "
                           "opties ervoor (command=, from=, …) zijn niet toegestaan: die "
                           "schrijft de app zelf."), field="key")
    if len(words) < 2 or not _B64.fullmatch(words[1]):
        raise InputError(_("De sleutel is onleesbaar (geen geldige base64)."), field="key")
    try:
        blob = base64.b64decode(words[1], validate=True)
        (n,) = struct.unpack(">I", blob[:4])
        inner = blob[4:4 + n].decode("ascii")
    except (binascii.Error, struct.error, UnicodeDecodeError, ValueError):
        raise InputError(_("De sleutel is onleesbaar (geen geldige base64)."), field="key") from None
    if inner != words[0]:
        raise InputError(_("Het sleuteltype klopt niet met de sleutel zelf."), field="key")
    comment = " ".join(words[2:])
    if not _COMMENT.fullmatch(comment):
        comment = ""
    return words[0], words[1], comment


# --------------------------------------------------------------------------- event payloads
# Validators for the admin / access kinds (registered below). Shape only.

def _name(p: dict, field: str = "name") -> str:
    value = p.get(field)
    if not isinstance(value, str):
        raise InputError(_("Het veld '{field}' ontbreekt.", field=field), field=field)
    return check_user_name(value, field)


def _short(p: dict, field: str, *, required: bool = True, multiline: bool = False) -> str:
    value = p.get(field, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()):
        raise InputError(_("Het veld '{field}' ontbreekt.", field=field), field=field)
    check_text(value, field, multiline=multiline, max_len=LONG_MAX if multiline else SHORT_MAX)
    return value.strip()


def _os_user(p: dict) -> dict:
    return {"os_user": _short(p, "os_user")}


def _fingerprint(p: dict) -> str:
    value = _short(p, "fingerprint")
    if not value.startswith("SHA256:"):
        raise InputError(_("Ongeldige vingerafdruk."), field="fingerprint")
    return value


def user_added(p: dict) -> dict:
    return {"name": _name(p), "display_name": _short(p, "display_name"),
            "role": check_role(p.get("role")), **_os_user(p)}


def user_disabled(p: dict) -> dict:
    return {"name": _name(p), "reason": _short(p, "reason", multiline=True), **_os_user(p)}


def user_enabled(p: dict) -> dict:
    return {"name": _name(p), **_os_user(p)}


def user_role_set(p: dict) -> dict:
    return {"name": _name(p), "role": check_role(p.get("role")), **_os_user(p)}


def user_key_added(p: dict) -> dict:
    return {"name": _name(p), "fingerprint": _fingerprint(p),
            "key_type": _short(p, "key_type"), **_os_user(p)}


def user_key_removed(p: dict) -> dict:
    return {"name": _name(p), "fingerprint": _fingerprint(p), **_os_user(p)}


def keys_written(p: dict) -> dict:
    return {"file": _short(p, "file"), "lines": int(p.get("lines") or 0), **_os_user(p)}


def access_refused(p: dict) -> dict:
    """An access attempt that was refused: who (the event's actor), what, which case. No
    content: the action is a kind or method name, the case an id."""
    return {"action": _short(p, "action"), "case": _short(p, "case", required=False),
            "role": _short(p, "role", required=False)}


# --------------------------------------------------------------------------- teachers' concerns
# A concern a teacher logs lives on its own pseudo case id ``ZG-NNNN`` (never a case): the
# coordinators' inbox reads them; taking one into a case copies its signals into the case (each
# keeping its author and date) and records ``concern_taken``; or it is answered "geen zorg nu".

CONCERN_PREFIX = "ZG-"
CONCERN_STATUS_LABELS = {"new": N_("nieuw"), "taken": N_("opgepakt"),
                         "answered": N_("geen zorg nu")}


def concern_id_for(number: int) -> str:
    return f"{CONCERN_PREFIX}{number:04d}"


def _concern_signal(s: dict, i: int) -> dict:
    from datetime import date

    if not isinstance(s, dict):
        raise InputError(_("Signaal {n} heeft een onjuiste vorm.", n=i + 1), field=f"signals[{i}]")
    desc = s.get("description")
    if not isinstance(desc, str) or not desc.strip():
        raise InputError(_("Beschrijf signaal {n}: wat is er gezien of gehoord?", n=i + 1),
                         field=f"signals[{i}].description")
    check_text(desc, "description", multiline=True, label=_("beschrijving"), max_len=LONG_MAX)
    on = s.get("observed_on")
    try:
        date.fromisoformat(on)
    except (TypeError, ValueError):
        raise InputError(_("Geef de datum van signaal {n} als JJJJ-MM-DD.", n=i + 1),
                         field=f"signals[{i}].observed_on") from None
    source = s.get("source")
    if source not in ("own", "other"):
        raise InputError(_("Zeg bij signaal {n} of het een eigen waarneming is of van een andere "
                           "bron komt.", n=i + 1), field=f"signals[{i}].source")
    source_name = s.get("source_name") or ""
    if source == "other" and not str(source_name).strip():
        raise InputError(_("Noem bij signaal {n} de andere bron.", n=i + 1),
                         field=f"signals[{i}].source_name")
    check_text(str(source_name), "source_name", label=_("bron"), max_len=SHORT_MAX)
    cat = s.get("catalogue")
    catalogue = None
    if isinstance(cat, dict) and cat.get("signal_id"):
        catalogue = {k: check_text(str(cat.get(k) or ""), f"catalogue.{k}", max_len=SHORT_MAX)
                     for k in ("catalogue_id", "catalogue_version", "signal_id", "text")}
        catalogue["conversation_danger"] = cat.get("conversation_danger") is True
    return {"description": desc.strip(), "observed_on": on, "source": source,
            "source_name": str(source_name).strip(), "catalogue": catalogue}


def concern_logged(p: dict) -> dict:
    pupil = _short(p, "pupil_name")
    group = _short(p, "group", required=False)
    signals = p.get("signals")
    if not isinstance(signals, list) or not signals:
        raise InputError(_("Leg minstens één signaal vast."), field="signals")
    return {"pupil_name": pupil, "group": group,
            "signals": [_concern_signal(s, i) for i, s in enumerate(signals)]}


def concern_taken(p: dict) -> dict:
    case = _short(p, "case")
    return {"case": case, "signal_seqs": [int(x) for x in p.get("signal_seqs") or []]}


def concern_answered(p: dict) -> dict:
    return {"reason": _short(p, "reason", multiline=True)}


# The people's kinds are school records, not case records: none of them is corrected (a change
# is a new admin act, journalled in its turn).
register(*(KindSpec(kind, validator, correctable=False, on_a_case=False) for kind, validator in (
    ("user_added", user_added), ("user_disabled", user_disabled), ("user_enabled", user_enabled),
    ("user_role_set", user_role_set), ("user_key_added", user_key_added),
    ("user_key_removed", user_key_removed), ("keys_written", keys_written),
    ("access_refused", access_refused), ("concern_logged", concern_logged),
    ("concern_taken", concern_taken), ("concern_answered", concern_answered),
)))
