"""Fixtures of the alert tests: a hand-made database, a local HTTP receiver, a local SMTP server.

The database (UTC business hours 09:00-17:00, default policy: high 5, medium 60, low 480
business minutes, warning 30 before the target, escalation 240 after it). On Tue 2026-06-02
at 12:00Z, worked out by hand:

    lead  tier    mql_at             elapsed  stage
    A     high    Tue 11:58             2     warning   (>= 5 - 30, <= 5)
    B     high    Tue 11:00            60     breached  (> 5, <= 245)
    C     high    Mon 09:00           660     escalated (480 on Monday + 180)
    D     medium  Tue 11:45            15     -         (< 60 - 30)
    E     medium  Tue 11:20            40     warning   (>= 30, <= 60)
    F     high    Tue 11:00, touched 11:03    -         (contacted)
    G     low     Tue 09:00           180     -         (< 480 - 30)

At 16:00Z: A 242 breached, B 300 escalated, C escalated, D 255 breached, E 280 breached,
G 420 still out. At 17:00Z: A 302, B 360, D 315, E 340: all escalated; G 480 warning.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from handmade import frame

from handoff.alerts.transport import RetryPolicy
from handoff.store import Store

AT_NOON = "2026-06-02T12:00:00Z"
AT_FOUR = "2026-06-02T16:00:00Z"
AT_FIVE = "2026-06-02T17:00:00Z"
NOON = {("A", "warning"), ("B", "breached"), ("C", "escalated"), ("E", "warning")}
FOUR_NEW = {("A", "breached"), ("B", "escalated"), ("D", "breached"), ("E", "breached")}
HOSTILE_COMPANY = "<!channel> & <b>Evil</b> <https://x.example|click>"
FAST = RetryPolicy(attempts=3, backoff=0.01, backoff_max=0.05, retry_after_max=5, timeout=5, pause=0)


def leads() -> list[dict]:
    def lead(lead_id, tier, mql_at, **extra):
        return {
            "lead_id": lead_id,
            "created_at": mql_at,
            "mql_at": mql_at,
            "owner_id": "r1",
            "tier": tier,
            "source": "Webinar",
            "company": f"Company {lead_id}",
            "title": "VP Sales",
        } | extra

    return [
        lead("A", "high", "2026-06-02T11:58:00Z", company="Acme & Co"),
        lead("B", "high", "2026-06-02T11:00:00Z", company=HOSTILE_COMPANY),
        lead("C", "high", "2026-06-01T09:00:00Z"),
        lead("D", "medium", "2026-06-02T11:45:00Z"),
        lead("E", "medium", "2026-06-02T11:20:00Z", owner_id=None),
        lead("F", "high", "2026-06-02T11:00:00Z"),
        lead("G", "low", "2026-06-02T09:00:00Z"),
    ]


def write_db(path: Path) -> Path:
    with Store(path) as store:
        store.upsert(
            "reps", frame([{"rep_id": "r1", "name": "Ann <Lee>", "team": "East", "timezone": "UTC", "role": "SDR"}])
        )
        store.upsert("leads", frame(leads()))
        store.upsert(
            "activities",
            frame([{"activity_id": "a1", "lead_id": "F", "occurred_at": "2026-06-02T11:03:00Z", "type": "call"}]),
        )
    return path


@pytest.fixture
def db(tmp_path) -> Path:
    return write_db(tmp_path / "leads.duckdb")


@pytest.fixture(autouse=True)
def no_alert_environment(monkeypatch, tmp_path):
    """No alert secret from the machine, no handoff.toml or secrets.toml of the checkout."""
    for name in ("HANDOFF_ALERT_WEBHOOK_URL", "HANDOFF_SLACK_WEBHOOK_URL", "HANDOFF_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


# -- a local HTTP receiver ------------------------------------------------------------------------------
@dataclass
class Received:
    path: str
    body: dict
    at: float


@dataclass
class Receiver:
    """Answers POSTs with the scripted statuses in turn (then 200), recording each body."""

    script: list[tuple[int, dict]] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    port: int = 0

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def bodies(self) -> list[dict]:
        return [r.body for r in self.requests]


@pytest.fixture
def receiver():
    state = Receiver()
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null")
            with lock:
                state.requests.append(Received(self.path, body, time.monotonic()))
                status, headers = state.script.pop(0) if state.script else (200, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- a local SMTP server (STARTTLS required, AUTH) -------------------------------------------------------
SMTP_USER = "alerts@example.com"


@dataclass
class Mailbox:
    port: int
    password: str
    messages: list = field(default_factory=list)
    logins: list = field(default_factory=list)


@pytest.fixture
def smtp_server(monkeypatch, tmp_path):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    box = Mailbox(port=closed_port(), password="smtp-Pa55-word-9f8e7d")

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            box.messages.append(envelope)
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode()
        password = auth_data.password.decode()
        box.logins.append(login)
        return AuthResult(success=login == SMTP_USER and password == box.password, handled=False)

    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=box.port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
    )
    controller.start()
    yield box
    controller.stop()


def smtp_policy(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "handoff.toml"
    path.write_text(
        "[alerts]\n"
        'email_to = ["managers@example.com", "sales@example.com"]\n'
        'email_from = "handoff@example.com"\n'
        'smtp_host = "127.0.0.1"\n'
        f"smtp_port = {port}\n"
        f'smtp_user = "{SMTP_USER}"\n',
        encoding="utf-8",
    )
    return path
