"""``meldcode admin check``: is the server still as the README set it up?

One line per check, ``OK`` / ``WAARSCHUWING`` / ``FOUT``, each non-OK line with the command that
fixes it; the exit code is the worst status (0 / 1 / 2) for a monitoring system. Run as root
(``sshd -T`` reads the host keys; the files of root and of the service account are both looked
at); what the database holds is read as the database's owner (admin.as_db_owner), so no
``-wal``/``-shm`` becomes root's.

Nothing here changes anything. Lines name files, accounts and sequence numbers, never case
content.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .file_safety import account_name, writable_by, writable_by_anyone
from .i18n import _

OK, WARN, FAIL = 0, 1, 2
LABELS = {OK: "OK", WARN: "WAARSCHUWING", FAIL: "FOUT"}
# What the README's drop-in (deploy/sshd-meldcode.conf) sets for the service account.
SSHD_EXPECTED = {
    "permituserenvironment": "no",
    "allowtcpforwarding": "no",
    "allowagentforwarding": "no",
    "allowstreamlocalforwarding": "no",
    "x11forwarding": "no",
    "permittunnel": "no",
    "permituserrc": "no",
    "passwordauthentication": "no",
}
KEY_LINE = re.compile(r'^restrict,pty,command="(?P<prefix>[^"]*) serve --user (?P<user>[a-z0-9._-]+)" '
                      r'(?P<type>\S+) (?P<blob>\S+)')
BACKUP_MAX_AGE_DAYS = 2


@dataclass
class Check:
    status: int
    what: str
    message: str
    fix: str = ""

    def line(self) -> str:
        text = f"{LABELS[self.status]:<12} {self.what}: {self.message}"
        return f"{text} — {self.fix}" if self.fix and self.status != OK else text


@dataclass
class Setup:
    """Where the deployment is (the README's paths by default, from the CLI)."""

    db: Path
    config_path: Path | None
    service_uid: int
    sshd_config: Path = Path("/etc/ssh/sshd_config")
    backup_dirs: tuple[Path, ...] = ()
    checkpoints: Path | None = None
    now: float = field(default_factory=time.time)

    def last_checkpoint(self) -> str | None:
        """The last line of the checkpoints file (root's: read before becoming the service
        account), or None."""
        if self.checkpoints is None or not self.checkpoints.exists():
            return None
        lines = [ln.strip() for ln in self.checkpoints.read_text().splitlines() if ln.strip()]
        return lines[-1] if lines else None


@dataclass
class DbFacts:
    """What only the database's owner can read (collected in one child process)."""

    encrypted: bool
    users: list
    verify_ok: bool
    head: tuple[int, str]
    problem: str = ""
    checkpoint_ok: bool | None = None
    checkpoint_problem: str = ""
    backups: list = field(default_factory=list)


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(os.stat(path).st_mode))[2:].zfill(4)


def _owner_mode(path: Path, uid: int, mode: int, what: str, fix_owner: str) -> Check:
    """``path`` owned by ``uid`` with no permission bits beyond ``mode``."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return Check(FAIL, what, _("{path} bestaat niet", path=path))
    extra = stat.S_IMODE(st.st_mode) & ~mode
    if st.st_uid != uid or extra:
        return Check(FAIL, what, _("{path} is van {owner} met modus {mode}",
                                   path=path, owner=account_name(st.st_uid), mode=_mode(path)),
                     _("sudo chown {owner} {path} && sudo chmod {want} {path}", owner=fix_owner,
                       path=path, want=oct(mode)[2:].zfill(4)))
    return Check(OK, what, _("{path} ({owner}, {mode})", path=path,
                             owner=account_name(st.st_uid), mode=_mode(path)))


# --------------------------------------------------------------------------- sshd


def sshd_effective(setup: Setup, service: str) -> dict[str, list[str]] | str:
    """``sshd -T`` for the service account (a Match block applies): option -> values, or a
    Dutch reason why it could not be asked."""
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    if not Path(sshd).exists():
        return _("sshd is niet geïnstalleerd")
    try:
        result = subprocess.run([sshd, "-T", "-f", str(setup.sshd_config), "-C",
                                 f"user={service},host=localhost,addr=127.0.0.1"],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _("sshd -T mislukte ({error})", error=type(exc).__name__)
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["?"])[0][:200]
        return _("sshd -T weigert de configuratie: {error}", error=first)
    out: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        key, _sep, value = line.partition(" ")
        out.setdefault(key.lower(), []).append(value.strip())
    return out


def check_sshd(setup: Setup, service: str, effective) -> list[Check]:
    what = _("sshd voor {user}", user=service)
    if isinstance(effective, str):
        return [Check(FAIL if os.geteuid() == 0 else WARN, what, effective,
                      _("sudo sshd -t; zie deploy/sshd-meldcode.conf"))]
    wrong = [f"{k} {' '.join(effective.get(k, ['?']))}" for k, v in SSHD_EXPECTED.items()
             if effective.get(k, [""])[0].lower() != v]
    if wrong:
        return [Check(FAIL, what, _("afwijkend: {settings}", settings=", ".join(wrong)),
                      _("zet deploy/sshd-meldcode.conf in /etc/ssh/sshd_config.d/, dan "
                        "sudo sshd -t && sudo systemctl reload ssh"))]
    return [Check(OK, what, _("geen forwarding, geen omgeving of rc van de gebruiker, geen "
                              "wachtwoord"))]


def keys_file_of(effective, home: Path, service: str) -> Path:
    if isinstance(effective, dict) and effective.get("authorizedkeysfile"):
        first = effective["authorizedkeysfile"][0].split()[0]
        first = first.replace("%%", "\0").replace("%h", str(home)).replace("%u", service) \
            .replace("\0", "%")
        p = Path(first)
        return p if p.is_absolute() else home / p
    return home / ".ssh" / "authorized_keys"


# --------------------------------------------------------------------------- keys file


def check_keys_file(path: Path, service_uid: int, users: list | None) -> list[Check]:
    what = _("sleutelbestand")
    if not path.exists():
        return [Check(FAIL, what, _("{path} bestaat niet", path=path),
                      _("sudo meldcode … admin keys write --service-user {user}",
                        user=account_name(service_uid)))]
    checks = []
    hit = writable_by(path, service_uid)
    st = os.stat(path)
    if hit is not None or st.st_uid != 0:
        checks.append(Check(FAIL, what, _("{path} kan door het service-account worden gewijzigd "
                                          "(via {hit}): dan kan het eigen sleutels toevoegen",
                                          path=path, hit=hit or path),
                            _("sudo chown root:root {path} && sudo chmod 0644 {path}",
                              path=hit or path)))
    else:
        checks.append(Check(OK, what, _("{path} (root, {mode})", path=path, mode=_mode(path))))
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    loose = [n for n, ln in enumerate(lines, 1) if KEY_LINE.match(ln) is None]
    if loose:
        checks.append(Check(FAIL, _("sleutelregels"), _(
            "{n} regel(s) zonder restrict en een vaste opdracht 'serve --user': zo'n sleutel "
            "krijgt een shell", n=len(loose)),
            _("verwijder ze en draai sudo meldcode … admin keys write")))
    else:
        checks.append(Check(OK, _("sleutelregels"), _(
            "{n} regel(s), elk met restrict en een vaste opdracht 'serve --user'", n=len(lines))))
    if users is not None:
        want = {(u["name"], k["key_blob"]) for u in users
                if u["status"] == "enabled" for k in u["keys"]}
        have = {(m["user"], m["blob"]) for m in map(KEY_LINE.match, lines) if m}
        if want != have:
            names = sorted({n for n, _b in want ^ have})
            checks.append(Check(FAIL, _("sleutels en gebruikers"), _(
                "niet in de pas met de gebruikerstabel ({names})", names=", ".join(names[:10])),
                _("sudo meldcode … admin keys write --service-user {user}",
                  user=account_name(service_uid))))
        else:
            checks.append(Check(OK, _("sleutels en gebruikers"),
                                _("in de pas met de gebruikerstabel")))
    return checks


# --------------------------------------------------------------------------- files


def check_files(setup: Setup, config, service_uid: int) -> list[Check]:
    service = account_name(service_uid)
    checks = [
        _owner_mode(setup.db.parent, service_uid, 0o700, _("datamap"), f"{service}:{service}"),
        _owner_mode(setup.db, service_uid, 0o600, _("database"), f"{service}:{service}"),
    ]
    for suffix in ("-wal", "-shm"):
        p = Path(f"{setup.db}{suffix}")
        if p.exists():
            checks.append(_owner_mode(p, service_uid, 0o600, _("database{suffix}", suffix=suffix),
                                      f"{service}:{service}"))
    if setup.config_path is not None:
        from .config import refuse_foreign_writers
        from .errors import InputError

        try:
            refuse_foreign_writers(setup.config_path, service_uid, "config")
            checks.append(Check(OK, _("configuratie"), _(
                "{path} (niet te wijzigen door {user})", path=setup.config_path, user=service)))
        except InputError as exc:
            checks.append(Check(FAIL, _("configuratie"), exc.message))
    for folder in getattr(config, "catalogue_folders", ()):
        if not folder.exists():
            checks.append(Check(WARN, _("catalogusmap"), _("{path} bestaat niet", path=folder)))
            continue
        from .config import refuse_foreign_writers
        from .errors import InputError

        try:
            refuse_foreign_writers(folder, service_uid, "catalogue")
            checks.append(Check(OK, _("catalogusmap"), str(folder)))
        except InputError as exc:
            checks.append(Check(FAIL, _("catalogusmap"), exc.message))
    for folder in setup.backup_dirs:
        checks.append(_owner_mode(folder, service_uid, 0o700, _("backupmap"),
                                  f"{service}:{service}"))
    if setup.checkpoints is not None and setup.checkpoints.exists():
        # The service account could otherwise write a checkpoint that fits a rewritten journal.
        hit = writable_by(setup.checkpoints, service_uid) or writable_by_anyone(setup.checkpoints)
        if hit is not None:
            checks.append(Check(FAIL, _("controlepuntenbestand"), _(
                "{path} kan door {user} worden gewijzigd (via {hit}): dan bewijst het niets",
                path=setup.checkpoints, user=service, hit=hit),
                _("sudo chown root:root {hit} && sudo chmod go-w {hit}", hit=hit)))
        else:
            checks.append(Check(OK, _("controlepuntenbestand"), _(
                "{path} (niet te wijzigen door {user})", path=setup.checkpoints, user=service)))
    return checks


def check_key(setup: Setup, config, service_uid: int) -> list[Check]:
    key = getattr(config, "encryption_key_file", None)
    what = _("sleutel van de database")
    if key is None:
        return [Check(FAIL, what, _("geen [encryption] key_file in de configuratie"),
                      _("zie README, 'Installing on a school server', stap 2"))]
    service = account_name(service_uid)
    checks = [_owner_mode(key, service_uid, 0o600, what, f"{service}:{service}")]
    key_abs = Path(os.path.realpath(key))
    trees = [Path(os.path.realpath(setup.db.parent))]
    trees += [Path(os.path.realpath(d)) for d in setup.backup_dirs]
    home = Path(os.path.realpath(pwd.getpwuid(service_uid).pw_dir)) if _has_pw(service_uid) else None
    if home is not None and home != Path("/"):
        trees.append(home)
    inside = [t for t in trees if t == key_abs.parent or t in key_abs.parents]
    if inside:
        checks.append(Check(FAIL, _("plaats van de sleutel"), _(
            "{key} staat in {tree}, bij de gegevens of reservekopieën: wie die kopieert, heeft "
            "de sleutel erbij", key=key, tree=inside[0]),
            _("sudo install -d -o root -g {user} -m 0750 /etc/meldcode && sudo mv {key} "
              "/etc/meldcode/db.key; zet key_file = \"/etc/meldcode/db.key\"", user=service,
              key=key)))
    else:
        hit = writable_by(key_abs.parent, service_uid)
        if hit is not None:
            checks.append(Check(WARN, _("plaats van de sleutel"), _(
                "de map {folder} is schrijfbaar voor {user}", folder=hit, user=service),
                _("sudo chown root:{user} {folder} && sudo chmod 0750 {folder}", user=service,
                  folder=hit)))
        else:
            checks.append(Check(OK, _("plaats van de sleutel"), _(
                "{key}, buiten de gegevens en de reservekopieën", key=key)))
    return checks


def _has_pw(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
        return True
    except KeyError:
        return False


# --------------------------------------------------------------------------- database facts


def read_db_facts(open_store, setup: Setup, key: str | None,
                  checkpoint: str | None) -> DbFacts:
    """Run as the database's owner: users, verify (against the last checkpoint), backups."""
    from .store import crypto
    from .store.backup import inspect_backup
    from .store.journal import parse_checkpoint

    encrypted = not crypto.looks_plain(setup.db)
    store = open_store()
    try:
        users = store.users()
        result = store.verify()
        facts = DbFacts(encrypted=encrypted, users=users, verify_ok=result.ok,
                        head=(result.head_seq, result.head_hash),
                        problem=result.problem or "")
        if checkpoint is not None:
            try:
                against = store.verify(parse_checkpoint(checkpoint))
                facts.checkpoint_ok = against.ok
                facts.checkpoint_problem = against.problem or ""
            except Exception as exc:  # noqa: BLE001 - a malformed line is a finding
                facts.checkpoint_ok = False
                facts.checkpoint_problem = str(exc)
        erased = dict(store.db.execute(
            "SELECT x.hash, e.case_id FROM erasures x JOIN events e ON e.seq = x.seq").fetchall())
    finally:
        store.close()
    for folder in setup.backup_dirs:
        if not folder.is_dir():
            continue
        for f in sorted(folder.iterdir()):
            if f.is_file() and not f.name.endswith(("-wal", "-shm", "-journal")):
                info = inspect_backup(f, key, erased)
                info["mtime"] = f.stat().st_mtime
                facts.backups.append(info)
    return facts


def check_db(setup: Setup, facts: DbFacts | None, error: str) -> list[Check]:
    if facts is None:
        return [Check(FAIL, _("database"), error or _("kon niet worden gelezen"))]
    checks = []
    if facts.encrypted:
        checks.append(Check(OK, _("versleuteling"), _("de database is versleuteld (SQLCipher)")))
    else:
        checks.append(Check(FAIL, _("versleuteling"), _("de database is NIET versleuteld"),
                            _("sudo -u {user} meldcode … admin encrypt --key-file "
                              "/etc/meldcode/db.key", user=account_name(setup.service_uid))))
    if facts.verify_ok:
        checks.append(Check(OK, _("journaal"), _("keten intact tot {seq}", seq=facts.head[0])))
    else:
        checks.append(Check(FAIL, _("journaal"), facts.problem or _("keten niet intact"),
                            _("meldcode verify; zet de laatste goede reservekopie terug")))
    what = _("controlepunt")
    if setup.checkpoints is None:
        checks.append(Check(WARN, what, _("niet nagekeken (geen --checkpoints)"),
                            _("geef --checkpoints /var/lib/meldcode/checkpoints")))
    elif facts.checkpoint_ok is None:
        checks.append(Check(WARN, what, _("nog geen controlepunt in {path}",
                                          path=setup.checkpoints),
                            _("zie deploy/meldcode.cron (wekelijks checkpoint)")))
    elif facts.checkpoint_ok:
        checks.append(Check(OK, what, _("het journaal klopt met het laatste controlepunt")))
    else:
        checks.append(Check(FAIL, what, _("het journaal klopt NIET met het laatste controlepunt "
                                          "in {path}: {problem}", path=setup.checkpoints,
                                          problem=facts.checkpoint_problem),
                            _("de geschiedenis is herschreven of het verkeerde bestand: zet de "
                              "laatste goede reservekopie terug en meld het bij het bestuur")))
    checks += check_backups(setup, facts)
    return checks


def check_backups(setup: Setup, facts: DbFacts) -> list[Check]:
    what = _("reservekopie")
    if not setup.backup_dirs:
        return [Check(WARN, what, _("niet nagekeken (geen --backups)"),
                      _("geef --backups /srv/meldcode/backup"))]
    good = [b for b in facts.backups if "problem" not in b]
    if not good:
        return [Check(FAIL, what, _("geen leesbare reservekopie in {dirs}",
                                    dirs=", ".join(map(str, setup.backup_dirs))),
                      _("zie deploy/meldcode.cron (nachtelijke backup)"))]
    newest = max(good, key=lambda b: b["mtime"])
    days = (setup.now - newest["mtime"]) / 86400
    checks = []
    if days > BACKUP_MAX_AGE_DAYS:
        checks.append(Check(FAIL, what, _("de nieuwste ({path}) is {days} dagen oud",
                                          path=newest["path"], days=int(days)),
                            _("staat de backupregel in /etc/cron.d/meldcode? Draai hem met de "
                              "hand en lees de fout")))
    else:
        checks.append(Check(OK, what, _("nieuwste {path}, {hours} uur oud, tot gebeurtenis {seq}",
                                        path=newest["path"], hours=int(days * 24),
                                        seq=newest["head_seq"])))
    plain = [b for b in good if not b["encrypted"]] + [b for b in facts.backups if b.get("plain")]
    if plain and facts.encrypted:
        checks.append(Check(FAIL, _("reservekopie versleuteld"), _(
            "{n} onversleutelde kopie(ën), bijv. {path}", n=len(plain), path=plain[0]["path"]),
            _("verwijder ze (shred -u) en maak een nieuwe met meldcode backup")))
    elif not plain:
        checks.append(Check(OK, _("reservekopie versleuteld"), _("alle {n} versleuteld",
                                                                 n=len(good))))
    return checks


# --------------------------------------------------------------------------- the rest


def check_retention(config) -> Check:
    if getattr(config, "retention_years", None) is None:
        return Check(WARN, _("bewaartermijn"), _("geen [retention] years in de configuratie"),
                     _("zet [retention] years, counted_from en reason (vastgesteld door het "
                       "bestuur)"))
    return Check(OK, _("bewaartermijn"), _("{years} jaar", years=config.retention_years))


def check_disk(path: Path) -> Check:
    usage = shutil.disk_usage(path)
    free = usage.free / usage.total if usage.total else 1.0
    gib = usage.free / 2**30
    what = _("schijfruimte")
    text = _("{gib} GiB vrij ({pct}%)", gib=f"{gib:.1f}", pct=int(free * 100))
    if free < 0.02 or usage.free < 200 * 2**20:
        return Check(FAIL, what, text, _("maak ruimte: oude reservekopieën, logbestanden"))
    if free < 0.10 or usage.free < 2**30:
        return Check(WARN, what, text, _("maak ruimte voordat de database niet meer kan groeien"))
    return Check(OK, what, text)


def check_plugins(config, service_uid: int, entry_points=None) -> list[Check]:
    from .plugins.manager import BUILTIN_DIST, _canon, _dist_info, discover_entry_points

    eps = discover_entry_points() if entry_points is None else entry_points
    extra = [(ep.name, _dist_info(ep)[0]) for ep in eps if _canon(_dist_info(ep)[0]) != BUILTIN_DIST]
    checks = []
    allow = set(getattr(config, "plugins_allow", ()))
    block = set(getattr(config, "plugins_block", ()))
    for name, dist in extra:
        if name in block:
            continue
        if not allow:
            checks.append(Check(WARN, _("plugin {name}", name=name), _(
                "geïnstalleerd ({dist}) en laadt, want [plugins] allow is leeg", dist=dist or "?"),
                _("zet [plugins] allow = [\"{name}\"] als de school hem wil, anders pip "
                  "uninstall {dist}", name=name, dist=dist or name)))
        elif name not in allow:
            checks.append(Check(WARN, _("plugin {name}", name=name), _(
                "geïnstalleerd ({dist}) maar niet op de allow-lijst (laadt niet)",
                dist=dist or "?"),
                _("sudo {pip} uninstall {dist}", pip=Path(sys.prefix) / "bin" / "pip",
                  dist=dist or name)))
    if not checks:
        checks.append(Check(OK, _("plugins"), _("{n} extra plugin(s), elk toegestaan",
                                                n=len(extra))))
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    hit = writable_by(site, service_uid) or writable_by_anyone(site)
    if hit is not None:
        checks.append(Check(FAIL, _("venv"), _(
            "{path} is schrijfbaar voor {user}: dan kan dat account code in de app zetten",
            path=hit, user=account_name(service_uid)),
            _("sudo chown -R root:root {path} && sudo chmod -R go-w {path}", path=hit)))
    return checks


def worst(checks: list[Check]) -> int:
    return max((c.status for c in checks), default=OK)
