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


class CommandRefused(MeldcodeError):
    exit_code = 2


def refused() -> CommandRefused:
    return CommandRefused(_("Deze opdracht is niet toegestaan. Via ssh kan alleen de app "
                            "(ssh -t) of: export CASUS --format NAAM, attach CASUS --title "
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
    if len(words) == 3 and words[0] == "export" and words[2].startswith("--format="):
        words = [words[0], words[1], "--format", words[2].split("=", 1)[1]]
    if len(words) == 4 and words[0] == "export" and words[2] in ("--format", "-f"):
        case_id, fmt = words[1], words[3]
        if CASE_ID.fullmatch(case_id) and FORMAT_NAME.fullmatch(fmt):
            return "export", {"case_id": case_id, "format": fmt}
    if len(words) == 3 and words[0] == "attach" and words[2].startswith("--title="):
        words = [words[0], words[1], "--title", words[2].split("=", 1)[1]]
    if len(words) == 4 and words[0] == "attach" and words[2] == "--title" and CASE_ID.fullmatch(words[1]):
        return "attach", {"case_id": words[1], "title": words[3]}
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


def _stream_export(env, case_id: str, format_name: str) -> None:
    from ..exports import available_formats, export_case
    from .export_cmds import _is_text

    service = env.service()
    formats = available_formats(service)
    fmt = formats.get(format_name)
    if fmt is not None and not _is_text(fmt) and sys.stdout.isatty():
        raise InputError(_("Formaat '{name}' is binair en gaat niet naar de terminal: gebruik "
                           "'ssh -T … > BESTAND'.", name=format_name))
    result = export_case(service, case_id, format_name, formats=formats)
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
    # Issue 10: only an enabled user of the table, before anything else is looked at.
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
    if verb == "export":
        _stream_export(env, args["case_id"], args["format"])
    elif verb == "attach":
        from .attachment_cmds import attach, read_bounded

        if sys.stdin.isatty():
            raise InputError(_("Geef het bestand op de standaardinvoer: ssh -T … attach CASUS --title "
                               "\"TEKST\" < BESTAND."))
        data = read_bounded(sys.stdin.buffer, env.config.attachments_max_bytes)
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
