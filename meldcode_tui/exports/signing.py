"""Signing transfer files with OpenSSH's own tool (``ssh-keygen -Y``), namespace
``meldcode-transfer``.

Why ssh-keygen: every school server has it, the key format is the one the IT admin already
manages, and the signature format (SSHSIG) is specified and reviewed; no crypto of our own.

A signed file is the rendered TOML *byte for byte*, followed by a trailer::

    # --- ondertekening (ssh-keygen -Y sign -n meldcode-transfer) ---
    [signature]
    sshsig = \"\"\"
    -----BEGIN SSH SIGNATURE-----
    ...
    -----END SSH SIGNATURE-----
    \"\"\"

The signature covers everything before the trailer. The trailer must be the very end of the
file and exactly of this shape (anything else is refused as damaged); the body TOML itself
may not hold a ``signature`` key. The body is written by ``tomli_w`` without multi-line
strings, so the trailer's first line can never occur inside a body value.

Neither the document nor the signature ever touches a temporary file: ssh-keygen signs from
stdin to stdout, and the signature to check is handed over through a pipe (``/dev/fd/N``).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, MeldcodeError
from ..i18n import _
from ..text_safety import safe_line

NAMESPACE = "meldcode-transfer"
TRAILER_HEAD = b"# --- ondertekening (ssh-keygen -Y sign -n meldcode-transfer) ---\n[signature]\n"
_TRAILER_BODY = re.compile(
    rb'sshsig = """\n(-----BEGIN SSH SIGNATURE-----\n[A-Za-z0-9+/=\n]{1,8000}-----END SSH SIGNATURE-----\n)"""\n\Z')
_TIMEOUT = 30


class SigningError(MeldcodeError):
    """Signing failed on the sending side (key missing, unreadable, ssh-keygen absent)."""

    exit_code = 5


class SignatureRefused(InputError):
    """The signature on a received file does not hold."""


@dataclass(frozen=True)
class SignatureVerdict:
    signed: bool
    signer: str = ""          # principal from the allowed-signers file ("" when not checked)
    key: str = ""             # SHA256 fingerprint of the signing key, as ssh-keygen reports it
    checked: bool = False     # checked against an allowed-signers file

    def describe(self) -> str:
        if not self.signed:
            return _("niet ondertekend")
        if self.checked:
            return _("ondertekend door {signer} (sleutel {key})", signer=safe_line(self.signer),
                     key=safe_line(self.key) or "?")
        return _("ondertekend met sleutel {key}, maar niet gecontroleerd: er is geen "
                 "[transfer] allowed_signers ingesteld", key=safe_line(self.key) or "?")


def _ssh_keygen(args: list[str], *, data: bytes | None = None, signature: bytes | None = None):
    fds: tuple[int, ...] = ()
    read_fd = None
    if signature is not None:
        read_fd, write_fd = os.pipe()
        try:
            os.write(write_fd, signature)  # far below a pipe's buffer: bounded by _TRAILER_BODY
        finally:
            os.close(write_fd)
        fds = (read_fd,)
        args = [a.replace("{sig}", f"/dev/fd/{read_fd}") for a in args]
    try:
        return subprocess.run(["ssh-keygen", *args], input=data if data is not None else b"",
                              capture_output=True, timeout=_TIMEOUT, pass_fds=fds,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"})
    except FileNotFoundError:
        raise SigningError(_("ssh-keygen is niet gevonden; installeer OpenSSH (openssh-client).")) from None
    except subprocess.TimeoutExpired:
        raise SigningError(_("ssh-keygen reageerde niet binnen {n} seconden.", n=_TIMEOUT)) from None
    finally:
        if read_fd is not None:
            os.close(read_fd)


def _tool_message(proc) -> str:
    lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines()
             if ln.strip() and not ln.startswith("Signing data on standard input")]
    return safe_line(lines[-1] if lines else f"exit {proc.returncode}")[:200]


def sign(body: bytes, key: Path) -> bytes:
    """Return ``body`` with the signature trailer. Raises :class:`SigningError` (Dutch)."""
    key = Path(key)
    if not key.is_file():
        raise SigningError(_("De ondertekensleutel {path} bestaat niet ([transfer] signing_key).",
                             path=safe_line(key)))
    proc = _ssh_keygen(["-Y", "sign", "-q", "-f", str(key), "-n", NAMESPACE], data=body)
    if proc.returncode != 0 or b"-----BEGIN SSH SIGNATURE-----" not in proc.stdout:
        raise SigningError(_("Ondertekenen met {path} is mislukt: {why}", path=safe_line(key),
                             why=_tool_message(proc)),
                           hint=_("De sleutel moet een privésleutel zonder wachtwoord zijn, alleen "
                                  "leesbaar voor het service-account (chmod 600)."))
    armored = proc.stdout.replace(b"\r\n", b"\n")
    if not armored.endswith(b"\n"):
        armored += b"\n"
    if not body.endswith(b"\n"):
        body += b"\n"
    return body + TRAILER_HEAD + b'sshsig = """\n' + armored + b'"""\n'


def split_signed(data: bytes) -> tuple[bytes, bytes | None]:
    """``(body, armored signature)``; signature None for an unsigned file. A trailer that is
    not exactly of the documented shape is refused (never silently treated as unsigned)."""
    at = data.rfind(TRAILER_HEAD)
    if at < 0:
        if re.search(rb"(?m)^\s*\[\s*signature\s*\]", data) or re.search(rb"(?m)^\s*signature\s*[=.]", data):
            raise SignatureRefused(_("Import geweigerd: de ondertekening staat niet op de verwachte "
                                     "plaats of in de verwachte vorm."), field="signature")
        return data, None
    if at > 0 and data[at - 1:at] != b"\n":
        raise SignatureRefused(_("Import geweigerd: de ondertekening is beschadigd."), field="signature")
    match = _TRAILER_BODY.match(data, at + len(TRAILER_HEAD))
    if not match:
        raise SignatureRefused(_("Import geweigerd: de ondertekening is beschadigd."), field="signature")
    return data[:at], match.group(1)


def verify(body: bytes, signature: bytes | None, allowed_signers: Path | None) -> SignatureVerdict:
    """Check ``signature`` over ``body``. With an allowed-signers file: the signer must be in
    it (``find-principals``) and the signature must verify for that principal; without one
    the signature must still be valid for the key it names (``check-novalidate``), so a
    changed byte is refused either way. Raises :class:`SignatureRefused` (Dutch)."""
    if signature is None:
        return SignatureVerdict(signed=False)
    changed = _("Import geweigerd: de handtekening klopt niet; het bestand is na het ondertekenen "
                "gewijzigd of de handtekening is van een ander bestand.")
    if allowed_signers is None:
        proc = _ssh_keygen(["-Y", "check-novalidate", "-n", NAMESPACE, "-s", "{sig}"],
                           data=body, signature=signature)
        if proc.returncode != 0:
            raise SignatureRefused(changed, field="signature")
        return SignatureVerdict(signed=True, key=_fingerprint(proc.stdout), checked=False)
    allowed = Path(allowed_signers)
    if not allowed.is_file():
        raise SignatureRefused(_("Het bestand met toegestane ondertekenaars {path} bestaat niet "
                                 "([transfer] allowed_signers).", path=safe_line(allowed)))
    found = _ssh_keygen(["-Y", "find-principals", "-f", str(allowed), "-s", "{sig}"], signature=signature)
    principals = [ln.strip() for ln in found.stdout.decode("utf-8", "replace").splitlines() if ln.strip()]
    if found.returncode != 0 or not principals:
        raise SignatureRefused(_("Import geweigerd: ondertekend met een sleutel die niet in {path} "
                                 "staat; vraag de verzendende school om haar publieke sleutel.",
                                 path=safe_line(allowed.name)), field="signature")
    principal = principals[0]
    proc = _ssh_keygen(["-Y", "verify", "-f", str(allowed), "-I", principal, "-n", NAMESPACE, "-s", "{sig}"],
                       data=body, signature=signature)
    if proc.returncode != 0:
        raise SignatureRefused(changed, field="signature")
    return SignatureVerdict(signed=True, signer=principal, key=_fingerprint(proc.stdout), checked=True)


def _fingerprint(stdout: bytes) -> str:
    match = re.search(rb"(SHA256:[A-Za-z0-9+/=]{20,})", stdout)
    return match.group(1).decode("ascii") if match else ""


__all__ = ["NAMESPACE", "SignatureRefused", "SignatureVerdict", "SigningError", "sign", "split_signed", "verify"]
