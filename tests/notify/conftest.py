"""Real channels on 127.0.0.1: an SMTP relay (aiosmtpd, STARTTLS and login, as a school's relay
asks) and an HTTP endpoint for apprise's ``json://`` (a chat/push webhook stand-in); and the demo
school with its people."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from meldcode_tui.admin import UserAdmin
from meldcode_tui.demo import create_demo
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

SMTP_USER, SMTP_PASS = "relay-user", "relay-geheim-8472"


def check_bodies(request, bodies) -> None:
    """Whatever reached a channel in a test on the demo school is searched, after the test, for
    every name, word and date of birth in that school's database."""
    db = getattr(request.node, "school_db", None)
    if db is None or not bodies:
        return
    from meldcode_tui.store import open_store
    from tests.notify.leak import assert_content_free

    store = open_store(db)
    try:
        for body in bodies:
            assert_content_free(body, store)
    finally:
        store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """What the relay received: (envelope recipients, body text, whether TLS and auth were on)."""

    def __init__(self):
        self.mails: list[dict] = []

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        part = msg.get_body(preferencelist=("plain", "html"))
        self.mails.append({"to": list(envelope.rcpt_tos), "subject": str(msg["subject"]),
                           "body": part.get_content() if part else "",
                           "tls": session.ssl is not None,
                           "auth": bool(session.authenticated)})
        return "250 OK"


@pytest.fixture
def smtp_relay(tmp_path, request):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
    import ssl

    if shutil.which("openssl") is None:
        pytest.skip("openssl ontbreekt")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(cert), str(key))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (getattr(auth_data, "login", b"") == SMTP_USER.encode()
              and getattr(auth_data, "password", b"") == SMTP_PASS.encode())
        return AuthResult(success=ok)

    relay = Relay()
    port = _free_port()
    ctl = Controller(relay, hostname="127.0.0.1", port=port, tls_context=ctx,
                     require_starttls=True, authenticator=authenticator, auth_require_tls=True,
                     ready_timeout=30)
    ctl.start()
    relay.port = port
    relay.url = lambda to: (f"mailtos://{SMTP_USER}:{SMTP_PASS}@127.0.0.1:{port}?mode=starttls"
                            f"&verify=no&from=meldcode@school.example&to={to}")
    yield relay
    ctl.stop()
    check_bodies(request, [m["body"] for m in relay.mails])


class Hook:
    def __init__(self):
        self.posts: list[dict] = []
        self.fail = False


@pytest.fixture
def webhook(request):
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if hook.fail:
                self.send_response(500)
                self.end_headers()
                return
            hook.posts.append({"path": self.path, **json.loads(body)})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hook.url = lambda who: f"json://127.0.0.1:{server.server_address[1]}/{who}"
    yield hook
    server.shutdown()
    server.server_close()
    check_bodies(request, [p["message"] for p in hook.posts])


# The demo school's people. petra (teacher) and otto (auditor) are even named in a zorgteam:
# their role, not the team list, keeps case points from them.
PEOPLE = [("anouk", "Anouk de Wit (fictief)", "coordinator"),
          ("zoe", "Zoë Kramer (fictief)", "coordinator"),
          ("bram", "Bram Visser (fictief)", "member"),
          ("carla", "Carla Bos (fictief)", "member"),
          ("petra", "Petra Hendriks (fictief)", "teacher"),
          ("otto", "Otto Smit (fictief)", "auditor")]
TEAM_CASE = "MC-0007"   # Veilig Thuis's feedback is overdue in the demo


@pytest.fixture
def school(tmp_path, request):
    db = tmp_path / "school.sqlite"
    request.node.school_db = db     # for the channels' own check at teardown
    store = open_store(db, create=True)
    coord = CaseService(store, actor="anouk")
    create_demo(coord)
    admin = UserAdmin(store, actor="beheerder")
    for name, display, role in PEOPLE:
        admin.add_user(name, display, role)
    state = coord.get_state(TEAM_CASE)
    team = [dict(m) for m in state.care_team] if getattr(state, "care_team", None) else []
    team = [m for m in team if m.get("user") != "anouk"] + [
        {"role": "interne_vertrouwenspersoon", "name": "Anouk de Wit (fictief)", "user": "anouk"},
        {"role": "ondersteuningscoach", "name": "Bram Visser (fictief)", "user": "bram"},
        {"role": "leerkracht", "name": "Petra Hendriks (fictief)", "user": "petra"},
        {"role": "schoolleider", "name": "Otto Smit (fictief)", "user": "otto"}]
    coord.set_care_team(TEAM_CASE, team)
    store.close()
    made = []

    def svc(name=None, role=None):
        s = CaseService(open_store(db), actor=name or "cron", role=role)
        made.append(s)
        return s

    svc.db = db
    svc.admin = lambda: UserAdmin(svc().store, actor="beheerder")
    yield svc
    for s in made:
        s.store.close()

