"""Server administration: the user table and ``authorized_keys`` (``meldcode admin user …`` and
``meldcode admin keys write`` call only this).

Every admin action is one journal event (``domain.people``) appended in the same write
transaction that changes the user table; its actor is the OS account that ran the command,
taken from the process's real uid (``pwd``), never from ``USER``/``LOGNAME``/``--user`` or
anything else a client could set.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .clock import format_at, utc_now
from .domain import people
from .errors import InputError, MeldcodeError, NotFound
from .file_safety import writable_by  # the one check, shared with the config load
from .i18n import _


class AdminRefused(MeldcodeError):
    exit_code = 1


def os_user() -> str:
    """The OS account running this process (real uid), as recorded in admin events."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid-{os.getuid()}"


def db_owner_to_drop_to(db_path: Path) -> tuple[int, int] | None:
    """(uid, gid) of the database's owner when this process runs as root and the file belongs
    to another account (the service account), else None. SQLite creates ``-wal``/``-shm`` as the
    user that opens the file: root must not open the service account's database as root, or the
    account could no longer open its own files."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    try:
        st = os.stat(db_path)
    except OSError:
        return None
    return None if st.st_uid == 0 else (st.st_uid, st.st_gid)


def drop_privileges(ids: tuple[int, int]) -> None:
    # Everything the rest of the command imports, loaded while the code is surely readable.
    # (On a server the interpreter is readable by every account; this also covers one that is
    # not, e.g. a Python under /root.)
    import _strptime  # noqa: F401
    import importlib.metadata  # noqa: F401
    import json  # noqa: F401
    import pickle  # noqa: F401

    import meldcode_tui.domain.attachments  # noqa: F401  (imported lazily by the validators)
    import meldcode_tui.domain.body_map  # noqa: F401
    import meldcode_tui.domain.events  # noqa: F401
    import meldcode_tui.store.backup  # noqa: F401
    import meldcode_tui.store.core  # noqa: F401
    import meldcode_tui.store.crypto  # noqa: F401
    import meldcode_tui.store.journal  # noqa: F401

    uid, gid = ids
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)


def as_db_owner(db_path: Path, fn):
    """Run ``fn()`` as the database's owner (see db_owner_to_drop_to) in a child process and
    return its result (or re-raise its MeldcodeError); without a need to switch, just call it."""
    import pickle

    ids = db_owner_to_drop_to(Path(db_path))
    if ids is None:
        return fn()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(read)
            drop_privileges(ids)
            try:
                out = ("ok", fn())
            except MeldcodeError as exc:
                out = ("err", exc)
                code = 1
            with os.fdopen(write, "wb") as fh:
                pickle.dump(out, fh)
        except BaseException:  # noqa: BLE001
            code = 2
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    if not data:
        raise AdminRefused(_("De database kon niet als het service-account worden geopend."))
    status, value = pickle.loads(data)
    if status == "err":
        raise value
    return value


def fingerprint(key_type: str, blob: str) -> str:
    """``SHA256:…`` of a public key, by OpenSSH's own ``ssh-keygen -lf`` (the same fingerprint
    sshd logs and ``ssh-keygen -l`` shows the user)."""
    tool = shutil.which("ssh-keygen")
    if tool is None:
        raise AdminRefused(_("ssh-keygen ontbreekt: installeer openssh-client."))
    result = subprocess.run([tool, "-lf", "-"], input=f"{key_type} {blob}\n", text=True,
                            capture_output=True, timeout=20)
    words = result.stdout.split()
    if result.returncode != 0 or len(words) < 2 or not words[1].startswith("SHA256:"):
        raise InputError(_("ssh-keygen herkent dit niet als publieke sleutel."), field="key")
    return words[1]


def read_key_file(path: str | Path) -> tuple[str, str, str, str]:
    """``(type, blob, comment, fingerprint)`` of a public key file (checked, see
    ``people.parse_public_key``)."""
    from .bounded_input import read_regular_file

    p = Path(path)
    if not p.exists():
        raise NotFound(_("Sleutelbestand {path} kan niet worden gelezen.", path=p))
    data = read_regular_file(p, limit=20_000, what=_("Sleutelbestand"))
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise InputError(_("Het sleutelbestand bevat tekens die niet in een publieke sleutel "
                           "horen."), field="key") from None
    key_type, blob, comment = people.parse_public_key(text)
    return key_type, blob, comment, fingerprint(key_type, blob)


def session_refusal(user: dict | None, name: str, *, empty: bool = False):
    """The one Dutch line for a session that may not start (None: it may)."""
    from .errors import AccessRevoked

    if empty:
        return AccessRevoked(_(
            "Er zijn nog geen gebruikers op deze server. De beheerder voegt de eerste toe met: "
            "meldcode admin user add {name} --display-name \"…\" --role coordinator --key "
            "BESTAND.pub, en daarna: meldcode admin keys write.", name=name))
    if user is None or user.get("status") != "enabled" or user.get("role") not in people.ROLES:
        return AccessRevoked(_("U heeft geen toegang (meer) tot Meldcode op deze server."))
    return None


class UserAdmin:
    def __init__(self, store, *, actor: str | None = None, clock=None):
        self.store = store
        self.actor = actor or os_user()
        self.clock = clock or utc_now

    def _at(self) -> str:
        return format_at(self.clock())

    def _work(self):
        """The admin's unit of work: not a session (no session guard); the act's event on
        ``beheer`` and the user table change commit together."""
        from .service_layer.unit_of_work import admin_unit_of_work

        return admin_unit_of_work(self.store, self.actor, self.clock())

    def _append(self, tx, kind: str, payload: dict):
        return tx.append_to_stream(people.ADMIN_CASE, kind, {**payload, "os_user": self.actor})

    def _existing(self, tx, name: str) -> dict:
        row = tx.user(name)
        if row is None:
            raise NotFound(_("Gebruiker '{name}' bestaat niet.", name=name))
        return row

    # writes never pass the session guard: an admin is not a session
    def add_user(self, name: str, display_name: str, role: str, *,
                 keys: list[tuple[str, str, str, str]] = ()) -> list[str]:
        """``keys``: public keys as ``read_key_file`` returns them; the caller reads the files
        (before it gives up root's rights, so a key in root's own folder can be given)."""
        name = people.check_name(name)
        display_name = people.check_display_name(display_name)
        role = people.check_role(role)
        with self._work() as tx:
            if tx.user(name) is not None:
                raise AdminRefused(_("Gebruiker '{name}' bestaat al.", name=name))
            self._append(tx, "user_added", {"name": name, "display_name": display_name,
                                            "role": role})
            tx.put_user({"name": name, "display_name": display_name, "role": role,
                         "status": "enabled", "created_at": tx.at})
            for key in keys:
                self._add_key(tx, name, key)
        return [k[3] for k in keys]

    def _add_key(self, tx, name: str, key: tuple[str, str, str, str]) -> None:
        key_type, blob, comment, fp = key
        owner = tx.key_owner(fp)
        if owner is not None:
            raise AdminRefused(_("Deze sleutel ({fp}) hoort al bij '{name}': één sleutel is één "
                                 "persoon.", fp=fp, name=owner))
        self._append(tx, "user_key_added", {"name": name, "fingerprint": fp, "key_type": key_type})
        tx.put_key(name, fp, key_type, blob, comment)

    def add_key(self, name: str, key: tuple[str, str, str, str]) -> str:
        """``key``: a public key as ``read_key_file`` returns it (read by the caller)."""
        name = people.check_name(name)
        with self._work() as tx:
            self._existing(tx, name)
            self._add_key(tx, name, key)
        return key[3]

    def remove_key(self, name: str, fingerprint_: str) -> None:
        name = people.check_name(name)
        with self._work() as tx:
            self._existing(tx, name)
            if not tx.delete_key(name, str(fingerprint_)):
                raise NotFound(_("'{name}' heeft geen sleutel met vingerafdruk {fp}.",
                                 name=name, fp=str(fingerprint_)[:80]))
            self._append(tx, "user_key_removed", {"name": name, "fingerprint": fingerprint_})

    def disable(self, name: str, reason: str) -> None:
        name = people.check_name(name)
        reason = people.check_reason(reason)
        with self._work() as tx:
            row = self._existing(tx, name)
            if row["status"] == "disabled":
                raise AdminRefused(_("Gebruiker '{name}' is al uitgeschakeld.", name=name))
            self._append(tx, "user_disabled", {"name": name, "reason": reason})
            tx.put_user({"name": name, "status": "disabled", "disabled_reason": reason,
                         "display_name": row["display_name"], "role": row["role"],
                         "created_at": row["created_at"]})

    def enable(self, name: str) -> None:
        name = people.check_name(name)
        with self._work() as tx:
            row = self._existing(tx, name)
            if row["status"] == "enabled":
                raise AdminRefused(_("Gebruiker '{name}' is al actief.", name=name))
            self._append(tx, "user_enabled", {"name": name})
            tx.put_user({**row, "status": "enabled", "disabled_reason": None})

    def set_role(self, name: str, role: str) -> None:
        name = people.check_name(name)
        role = people.check_role(role)
        with self._work() as tx:
            row = self._existing(tx, name)
            if row["role"] == role:
                raise AdminRefused(_("Gebruiker '{name}' heeft die rol al.", name=name))
            self._append(tx, "user_role_set", {"name": name, "role": role})
            tx.put_user({**row, "role": role})

    def list_users(self) -> list[dict]:
        return self.store.users()

    # ------------------------------------------------------------------ authorized_keys

    def journal_keys_written(self, target: Path, lines: int) -> None:
        with self._work() as tx:
            self._append(tx, "keys_written", {"file": str(target), "lines": lines})


# --------------------------------------------------------------------------- authorized_keys

BEGIN_MARK = "# BEGIN meldcode: beheerd door 'meldcode admin keys write'; niet met de hand wijzigen"
END_MARK = "# END meldcode"


@dataclass
class KeysWritten:
    path: Path
    lines: int
    kept: int
    warning: str = ""


def check_command_part(value: str, what: str) -> str:
    """A path or name that goes inside ``command="…"``: nothing sshd or the shell would read as
    syntax (quotes, backslashes, ``$``, backticks, whitespace, control characters)."""
    if not value or any(c in value for c in "\"'\\$`;&|<>(){}*?![]#~ \t\r\n") or \
            any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise AdminRefused(_("{what} bevat tekens die niet in een command=-regel mogen: {value}",
                             what=what, value=value[:120]))
    return value


def render_lines(users: list[dict], command_prefix: str) -> list[str]:
    lines = []
    for u in users:
        if u["status"] != "enabled" or u["role"] not in people.ROLES:
            continue
        name = check_command_part(u["name"], "gebruikersnaam")
        for k in u["keys"]:
            if k["key_type"] not in people.KEY_TYPES:
                continue
            lines.append(f'restrict,pty,command="{command_prefix} serve --user {name}" '
                         f'{k["key_type"]} {k["key_blob"]} {name}')
    return lines


def _split_unmanaged(text: str) -> tuple[list[str], list[str]]:
    before, after, inside, seen = [], [], False, False
    for line in text.splitlines():
        if line.strip() == BEGIN_MARK:
            inside, seen = True, True
            continue
        if line.strip() == END_MARK and inside:
            inside = False
            continue
        if inside:
            continue
        (after if seen else before).append(line)
    return before, after


def write_authorized_keys(target: Path, users: list[dict], command_prefix: str, *,
                          service_uid: int | None = None) -> KeysWritten:
    """Rewrite ``target`` atomically: unmanaged lines kept, the managed block between the
    markers replaced; temp file in the same folder + fsync + rename; the old file's mode and
    owner kept (new file: 0644, the folder's owner). Refused if the service account
    (``service_uid``) could write the file or a folder above it."""
    target = Path(target).absolute()
    warning = ""
    if service_uid is not None and service_uid != 0:
        hit = writable_by(target, service_uid)
        if hit is not None:
            try:
                who = pwd.getpwuid(service_uid).pw_name
            except KeyError:
                who = str(service_uid)
            raise AdminRefused(_(
                "{path} is schrijfbaar voor het service-account '{who}': dan kan dat account zijn "
                "eigen sleutels en opdrachten toevoegen. Oplossing: sudo chown root:root {path} "
                "&& sudo chmod 0755 {path} (voor een map) of 0644 (voor het bestand), en "
                "probeer het opnieuw.", path=hit, who=who))
    elif service_uid == 0:
        warning = _("Let op: de database is van root. Gebruik een eigen service-account "
                    "(zie README, 'Installing on a school server').")
    for part in command_prefix.split(" "):
        check_command_part(part, "opdracht")
    lines = render_lines(users, command_prefix)
    old_text = ""
    mode, uid, gid = 0o644, None, None
    if target.exists():
        st = os.stat(target)
        mode, uid, gid = stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid
        old_text = target.read_text(encoding="utf-8", errors="replace")
    else:
        pst = os.stat(target.parent)
        uid, gid = pst.st_uid, pst.st_gid
    before, after = _split_unmanaged(old_text)
    body = "\n".join([*before, BEGIN_MARK, *lines, END_MARK, *after]) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".authorized_keys.", dir=str(target.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            if uid is not None and hasattr(os, "fchown"):
                try:
                    os.fchown(fh.fileno(), uid, gid)
                except PermissionError:
                    pass  # not root: the file stays ours, as it was
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    kept = sum(1 for line in before + after if line.strip())
    return KeysWritten(target, len(lines), kept, warning)
