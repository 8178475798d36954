"""``meldcode serve --user NAME``: the one forced command of the SSH service account.

The gitolite pattern. Every coordinator's key in ``authorized_keys`` carries

    restrict,pty,command="/srv/meldcode/venv/bin/meldcode --db … serve --user anouk"

so whatever the client asks to run arrives here as ``SSH_ORIGINAL_COMMAND`` and is *data*:

- no ``SSH_ORIGINAL_COMMAND`` (plain ``ssh -t meldcode@server``) and a terminal: the TUI in
  *server mode* (exports never write a file on the server; the export dialog offers the fetch
  command instead);
- ``export CASUS --format NAAM``: the document on stdout, after the same access check and
  journalled like any export (``exports.export_case``);
- ``attach CASUS --title "TEKST"`` with the file on stdin, and ``fetch CASUS NUMMER`` with the
  file on stdout (``cli/attachment_cmds.py``: the same checks and journal entries as locally);
- ``mosh-server new …`` (what the ``mosh`` client asks for): ``mosh-server`` is started with the
  same fixed command (this ``serve --user NAME``) as the program it runs; of the client's words
  only the colour count, the locale variables, ``-s``, a port in the UDP range and a local
  address are passed on, each checked; a command of the client's own (``-- …``) is refused;
- anything else (``sh``, ``cat /etc/passwd``, ``scp``/``sftp``, ``rsync``, unknown verbs, a
  quote that does not close): one Dutch line on stderr and exit 2. The string is never given
  to a shell and never echoed back.

The identity comes from ``--user`` on the forced command line only: ``MELDCODE_USER``,
``MELDCODE_DB``, ``MELDCODE_CONFIG`` and ``MELDCODE_DEBUG`` are dropped from the environment (an
sshd with ``AcceptEnv`` could let a client set them), and server mode is set here and nowhere
else (there is no option or variable for it).
"""

from __future__ import annotations

import os
import re
import shlex
import sys

import click

from ..errors import InputError, MeldcodeError
from ..i18n import _
from . import db_option, handle_errors, main, pass_env

CASE_ID = re.compile(r"^MC-[0-9]{4,9}$")
FORMAT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
SEQ = re.compile(r"^[1-9][0-9]{0,17}$")
CLIENT_ENV = ("MELDCODE_USER", "MELDCODE_DB", "MELDCODE_CONFIG", "MELDCODE_DEBUG")
MAX_COMMAND = 300
# mosh: the UDP ports the README's firewall rule opens (mosh-server's own default range).
MOSH_PORTS = (60000, 61000)
MOSH_LOCALE = re.compile(r"^(LANG|LANGUAGE|LC_[A-Z]{2,14})=[A-Za-z0-9_.@-]{0,40}$")
MOSH_PORT = re.compile(r"^([0-9]{1,5})(?::([0-9]{1,5}))?$")


class CommandRefused(MeldcodeError):
    exit_code = 2


def refused() -> CommandRefused:
    return CommandRefused(_("Deze opdracht is niet toegestaan. Via ssh kan alleen de app "
                            "(ssh -t of mosh) of: export CASUS --format NAAM (bij toml met --grondslag CODE "
                            "--toelichting \"TEKST\"), attach CASUS --title "
                            "\"TEKST\" < BESTAND, fetch CASUS NUMMER."))


def parse_remote(command: str) -> tuple[str, dict]:
    """The allow-list. Returns ``("export", {"case_id", "format"})`` or raises CommandRefused."""
    from ..text_safety import bad_character

    if len(command) > MAX_COMMAND or bad_character(command) is not None:
        raise refused()
    try:
        words = shlex.split(command, comments=False, posix=True)
    except ValueError:
        raise refused() from None
    if words[:1] == ["export"] and len(words) >= 2:
        export = _export_words(words[1:])
        if export is not None:
            return "export", export
    if len(words) == 3 and words[0] == "attach" and words[2].startswith("--title="):
        words = [words[0], words[1], "--title", words[2].split("=", 1)[1]]
    if len(words) == 4 and words[0] == "attach" and words[2] == "--title" and CASE_ID.fullmatch(words[1]):
        return "attach", {"case_id": words[1], "title": words[3]}
    if len(words) >= 2 and words[0] == "mosh-server" and words[1] == "new":
        return "mosh", _mosh_options(words[2:])
    if len(words) == 3 and words[0] == "fetch" and CASE_ID.fullmatch(words[1]) \
            and SEQ.fullmatch(words[2]):
        return "fetch", {"case_id": words[1], "seq": int(words[2])}
    if words[:1] == ["pupils-load"] and len(words) in (1, 2, 3):
        # the student administration's export on stdin (the coordinator only, see below)
        if len(words) == 2 and words[1].startswith("--system="):
            words = [words[0], "--system", words[1].split("=", 1)[1]]
        if len(words) == 1:
            return "pupils-load", {"system": None}
        if len(words) == 3 and words[1] == "--system" and FORMAT_NAME.fullmatch(words[2]):
            return "pupils-load", {"system": words[2]}
    raise refused()


# The options of ``export`` a client may give: the format, and for the whole-journal (toml)
# transfer its basis - a code and a reason (the command as a whole is already free of control
# and bidi characters and bounded in length; the service checks the values as for the CLI).
EXPORT_OPTIONS = {"--format": "format", "-f": "format", "--grondslag": "basis",
                  "--toelichting": "basis_reason"}


def _export_words(words: list[str]) -> dict | None:
    """``CASUS --format NAAM [--grondslag CODE --toelichting TEKST]`` (``--optie=waarde`` too),
    each option once; None for anything else."""
    if not CASE_ID.fullmatch(words[0]):
        return None
    opts: dict[str, str] = {}
    i, rest = 0, words[1:]
    while i < len(rest):
        word = rest[i]
        if word.startswith("--") and "=" in word:
            key, value = word.split("=", 1)
            i += 1
        else:
            key, value = word, rest[i + 1] if i + 1 < len(rest) else None
            i += 2
        name = EXPORT_OPTIONS.get(key)
        if name is None or value is None or name in opts:
            return None
        opts[name] = value
    if not FORMAT_NAME.fullmatch(opts.get("format", "")):
        return None
    if "basis" in opts and not FORMAT_NAME.fullmatch(opts["basis"]):
        return None
    out = {"case_id": words[0], "format": opts["format"]}
    if "basis" in opts or "basis_reason" in opts:
        out.update(basis=opts.get("basis", ""), basis_reason=opts.get("basis_reason", ""))
    return out


def _mosh_options(words: list[str]) -> dict:
    """The options of ``mosh-server new`` that the client may choose, checked one by one; any
    other word (``--`` and a command above all) refuses the whole request."""
    import ipaddress

    opts: dict = {"colors": None, "locale": [], "port": None, "ip": None, "s": False}
    i = 0
    while i < len(words):
        word, value = words[i], words[i + 1] if i + 1 < len(words) else None
        if word == "-s":
            opts["s"] = True
            i += 1
            continue
        if value is None:
            raise refused()
        if word == "-c" and value.isdigit() and len(value) <= 8:
            opts["colors"] = value
        elif word == "-l" and MOSH_LOCALE.fullmatch(value) and len(opts["locale"]) < 16:
            opts["locale"].append(value)
        elif word == "-p" and (m := MOSH_PORT.fullmatch(value)) and all(
                MOSH_PORTS[0] <= int(p) <= MOSH_PORTS[1] for p in m.groups() if p is not None):
            opts["port"] = value
        elif word == "-i":
            try:
                opts["ip"] = str(ipaddress.ip_address(value))
            except ValueError:
                raise refused() from None
        else:
            raise refused()
        i += 2
    return opts


def _start_mosh(env, opts: dict) -> None:
    """Replace this process by ``mosh-server``, which runs the fixed command (this same
    ``serve --user NAME``, now without a client command) in its own terminal and hands the
    client its UDP port and key on stdout."""
    import shutil

    server = shutil.which("mosh-server")
    if server is None:
        raise InputError(_("mosh is niet geïnstalleerd op de server: gebruik 'ssh -t'."))
    argv = [server, "new"]
    if opts["s"]:
        argv.append("-s")
    if opts["colors"]:
        argv += ["-c", opts["colors"]]
    if opts["ip"]:
        argv += ["-i", opts["ip"]]
    argv += ["-p", opts["port"] or f"{MOSH_PORTS[0]}:{MOSH_PORTS[1]}"]
    for value in opts["locale"]:
        argv += ["-l", value]
    # -I: no current directory or PYTHON* variable on the path of the program mosh runs.
    own = [sys.executable, "-I", "-m", "meldcode_tui", "--db", str(env.db_path)]
    if env.config_arg:
        own += ["--config", os.path.abspath(env.config_arg)]
    argv += ["--", *own, "serve", "--user", env.user_arg]
    child_env = {k: v for k, v in os.environ.items() if k != "SSH_ORIGINAL_COMMAND"}
    sys.stdout.flush()
    os.execve(server, argv, child_env)


def _stream_export(env, case_id: str, format_name: str, basis: str = "", basis_reason: str = "") -> None:
    from ..exports import available_formats, export_case
    from .export_cmds import _is_text

    service = env.service()
    formats = available_formats(service)
    fmt = formats.get(format_name)
    if fmt is not None and not _is_text(fmt) and sys.stdout.isatty():
        raise InputError(_("Formaat '{name}' is binair en gaat niet naar de terminal: gebruik "
                           "'ssh -T … > BESTAND'.", name=format_name))
    result = export_case(service, case_id, format_name, formats=formats, basis=basis,
                         basis_reason=basis_reason)
    from ..text_safety import binary_stdout

    out = binary_stdout()
    out.write(result.data)
    out.flush()
    click.echo(_("Export vastgelegd in het journaal: {ref}", ref=result.journal_ref), err=True)
    from .export_cmds import echo_control_value

    echo_control_value(result, err=True)


@main.command("serve", help=_(
    "De opdracht voor authorized_keys op de server (command=\"… serve --user NAAM\"): start de "
    "app voor NAAM, of voert een toegestane opdracht uit (export CASUS --format NAAM). Al het "
    "andere wordt geweigerd."))
@click.option("--user", "serve_user", required=True, metavar="NAAM",
              help=_("Wie deze sleutel gebruikt (alleen uit de command=-regel)."))
@db_option
@pass_env
@handle_errors
def serve_cmd(env, serve_user):
    from ..text_safety import check_user_name

    for name in CLIENT_ENV:
        os.environ.pop(name, None)
    env.user_arg = check_user_name(serve_user, "--user")
    env.server_mode = True
    # Only an enabled user of the table, before anything else is looked at.
    from ..admin import session_refusal
    from ..errors import DatabaseMissing

    try:
        store = env.open_store(create=False)
    except DatabaseMissing:
        raise session_refusal(None, env.user_arg, empty=True) from None
    try:
        env.session_role(store)
    finally:
        store.close()
    original = os.environ.get("SSH_ORIGINAL_COMMAND")
    if original is None or not original.strip():
        from . import run_tui

        run_tui(env, server_mode=True)
        return
    verb, args = parse_remote(original)
    if verb == "mosh":
        _start_mosh(env, args)
    elif verb == "export":
        _stream_export(env, args["case_id"], args["format"], args.get("basis", ""),
                       args.get("basis_reason", ""))
    elif verb == "attach":
        from ..bounded_input import read_stream
        from .attachment_cmds import attach

        if sys.stdin.isatty():
            raise InputError(_("Geef het bestand op de standaardinvoer: ssh -T … attach CASUS --title "
                               "\"TEKST\" < BESTAND."))
        data = read_stream(sys.stdin.buffer, limit=env.config.attachments_max_bytes,
                           what=_("De bijlage"), caller_judges_size=True)
        attach(env, args["case_id"], data, args["title"])
    elif verb == "fetch":
        from .attachment_cmds import fetch, write_stdout

        if sys.stdout.isatty():
            raise InputError(_("Een bijlage gaat niet naar de terminal: gebruik 'ssh -T … fetch CASUS "
                               "NUMMER > BESTAND'."))
        _payload, body = fetch(env, args["case_id"], args["seq"], how="ssh")
        write_stdout(body)
    elif verb == "pupils-load":
        from .pupil_cmds import serve_pupils_load

        serve_pupils_load(env, args["system"])
