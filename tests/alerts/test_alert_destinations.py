"""Slack and email alerts through real local servers; data text escaped; secrets kept out of
output, logs and the database; `--every` stopped by a signal."""

from __future__ import annotations

import email
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from email import policy as email_policy

import duckdb
import pytest
from alert_fixtures import AT_NOON, FAST, HOSTILE_COMPANY, NOON, smtp_policy

from handoff.alerts import messages
from handoff.alerts.queue import Alert
from handoff.cli import build_parser
from handoff.commands import alert


def run_alert(*argv: str, retry=FAST) -> int:
    return alert.main(build_parser().parse_args(["alert", *argv]), retry=retry)


def sent_rows(db) -> set[tuple[str, str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return set(con.execute("SELECT lead_id, stage, destination FROM alerts_sent").fetchall())


def parsed(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.original_content, policy=email_policy.default)


# -- Slack -------------------------------------------------------------------------------------------
def test_slack_gets_block_kit_with_the_lead_company_owner_stage_and_time(db, receiver, monkeypatch):
    monkeypatch.setenv("HANDOFF_SLACK_WEBHOOK_URL", receiver.url("/services/T0/B0/x"))
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    (body,) = receiver.bodies()
    assert body["text"].startswith("4 leads need a first touch: 2 warning, 1 breached, 1 escalated")
    sections = [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"][1:]
    assert len(sections) == 4
    b = next(s for s in sections if "Lead B " in s)
    assert b.startswith("*Breached*: ")
    assert "owner Ann &lt;Lee&gt;" in b and "high tier" in b
    assert "1 h 00 min business since MQL (target 5 min), overdue by 55 min business" in b
    assert "MQL 2026-06-02 11:00 UTC" in b


def test_slack_escapes_markup_from_company_names(db, receiver, monkeypatch):
    monkeypatch.setenv("HANDOFF_SLACK_WEBHOOK_URL", receiver.url("/slack"))
    run_alert("--db", str(db), "--as-of", AT_NOON)
    text = str(receiver.bodies()[0])
    assert "&lt;!channel&gt; &amp; &lt;b&gt;Evil&lt;/b&gt; &lt;https://x.example|click&gt;" in text
    assert "<!channel>" not in text and "<https://x.example|click>" not in text
    assert "Acme &amp; Co" in text and "Acme & Co" not in text


def test_many_leads_go_to_slack_in_several_messages_each_marked_when_accepted(receiver):
    from pydantic import SecretStr

    from handoff.alerts.config import Destinations
    from handoff.alerts.send import run

    at = datetime(2026, 6, 2, 12, tzinfo=UTC)
    alerts = [
        Alert(f"L{i:03d}", "breached", "high", at, 60.0, 5.0, -55.0, company=f"Co {i}")
        for i in range(messages.SLACK_LEADS_PER_MESSAGE * 2 + 5)
    ]
    receiver.script = [(200, {}), (500, {})] + [(500, {})] * FAST.attempts

    class Log:
        def __init__(self):
            self.marked, self.failures = [], []

        def sent(self, destination):
            return {}

        def mark_sent(self, destination, keys, as_of):
            self.marked.append(list(keys))

        def failed(self, destination, error, pending, as_of):
            self.failures.append((destination, error, pending))

    log = Log()
    result = run(alerts, at, Destinations(slack=SecretStr(receiver.url("/slack"))), log, FAST)
    per_message = messages.SLACK_LEADS_PER_MESSAGE
    assert [len(m) for m in log.marked] == [per_message]
    assert log.failures == [("slack", "HTTP 500 after 3 tries", per_message + 5)]
    assert result.exit_code == 1
    first = receiver.bodies()[0]
    assert len(first["blocks"]) == per_message + 2 <= 50
    assert "(part 1 of 3)" in first["text"]


# -- email ---------------------------------------------------------------------------------------------
def test_email_goes_over_starttls_with_a_login_and_escaped_html(db, smtp_server, monkeypatch, tmp_path):
    smtp_policy(tmp_path, smtp_server.port)
    monkeypatch.setenv("HANDOFF_SMTP_PASSWORD", smtp_server.password)
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    (envelope,) = smtp_server.messages
    assert envelope.rcpt_tos == ["managers@example.com", "sales@example.com"]
    assert envelope.mail_from == "handoff@example.com"
    assert smtp_server.logins == ["alerts@example.com"]
    message = parsed(envelope)
    assert message["Subject"] == "4 leads need a first touch: 2 warning, 1 breached, 1 escalated"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert HOSTILE_COMPANY in text  # plain text shows it as written
    assert "&lt;b&gt;Evil&lt;/b&gt;" in html and "<b>Evil</b>" not in html
    assert "Acme &amp; Co" in html and "Ann &lt;Lee&gt;" in html
    assert sent_rows(db) == {(lead, stage, "email") for lead, stage in NOON}
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert len(smtp_server.messages) == 1


def test_a_refused_smtp_login_leaves_the_alerts_pending(db, smtp_server, monkeypatch, tmp_path, capsys):
    smtp_policy(tmp_path, smtp_server.port)
    monkeypatch.setenv("HANDOFF_SMTP_PASSWORD", "wrong-password")
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 2
    assert smtp_server.messages == [] and sent_rows(db) == set()
    assert "SMTP login refused (535)" in capsys.readouterr().err


def test_an_smtp_user_without_a_password_is_a_clear_error(db, smtp_server, tmp_path, capsys):
    smtp_policy(tmp_path, smtp_server.port)
    assert alert_exit(["--db", str(db), "--as-of", AT_NOON]) == 2
    assert "no SMTP password: set HANDOFF_SMTP_PASSWORD" in capsys.readouterr().err


def alert_exit(argv: list[str]) -> int:
    from handoff.cli import main

    return main(["alert", *argv])


def test_the_html_body_drops_a_link_that_is_not_http():
    at = datetime(2026, 6, 2, 12, tzinfo=UTC)
    bad = Alert("X", "warning", "high", at, 1.0, 5.0, 4.0, company="Co", crm_url="javascript:alert(1)")
    good = Alert(
        "Y", "warning", "high", at, 1.0, 5.0, 4.0, company="Co", crm_url="https://a.my.salesforce.com/x?a=1&b=2"
    )
    html = messages.email_html(at, [bad, good])
    assert "javascript:" not in html
    assert 'href="https://a.my.salesforce.com/x?a=1&amp;b=2"' in html
    assert "javascript:" not in str([body for body, _ in messages.slack_messages(at, [bad])])
    assert messages.webhook_payload(at, [bad])["alerts"][0]["crm_url"] is None


# -- secrets -----------------------------------------------------------------------------------------------
def test_secrets_stay_out_of_output_logs_and_the_database(
    db, receiver, smtp_server, monkeypatch, tmp_path, capsys, caplog
):
    hook = receiver.url("/hooks/webhook-SECRET-7c1f9a")
    slack = receiver.url("/services/T000/B000/slack-SECRET-3b8d2e")
    monkeypatch.setenv("HANDOFF_ALERT_WEBHOOK_URL", hook)
    monkeypatch.setenv("HANDOFF_SLACK_WEBHOOK_URL", slack)
    monkeypatch.setenv("HANDOFF_SMTP_PASSWORD", smtp_server.password)
    smtp_policy(tmp_path, smtp_server.port)
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "requests", "http.client", "smtplib", "mail.log", "asyncio"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    receiver.script = [(500, {})] * FAST.attempts  # the webhook fails first, then everything succeeds
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 1
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert alert_exit(["--db", str(db), "--as-of", AT_NOON, "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert len(smtp_server.messages) == 1 and len(receiver.requests) == FAST.attempts + 2
    assert len(sent_rows(db)) == 12
    secrets = ["webhook-SECRET-7c1f9a", "slack-SECRET-3b8d2e", smtp_server.password]
    wal = db.with_name(db.name + ".wal")
    stored = db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    for secret in secrets:
        assert secret not in out and secret not in err
        assert secret not in caplog.text
        assert secret.encode() not in stored
    assert "HTTP 500" in err  # the failure was reported, by kind


def test_a_malformed_webhook_url_is_named_by_its_setting_never_shown(db, monkeypatch, capsys):
    monkeypatch.setenv("HANDOFF_SLACK_WEBHOOK_URL", "hooks.slack.com/services/T0/B0/not-a-url-SECRET")
    assert alert_exit(["--db", str(db), "--as-of", AT_NOON]) == 2
    err = capsys.readouterr().err
    assert "slack_webhook_url (HANDOFF_SLACK_WEBHOOK_URL) is not an http(s) URL" in err
    assert "SECRET" not in err


# -- --every ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_every_runs_until_a_signal_then_exits_0(db, receiver, tmp_path, sig):
    env = {**os.environ, "HANDOFF_ALERT_WEBHOOK_URL": receiver.url("/hook")}
    command = [sys.executable, "-m", "handoff.cli", "alert", "--db", str(db), "--as-of", AT_NOON, "--every", "1s"]
    proc = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []  # each run's lines, as it flushes them

    def read_lines() -> None:
        for line in proc.stdout:
            lines.append(line)

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        # the first run sends, and at least one more finds nothing new (however slow the machine)
        while not any("nothing new" in line for line in lines) and time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        assert receiver.requests and any("nothing new" in line for line in lines), (lines, proc.poll())
        proc.send_signal(sig)
        proc.wait(timeout=60)
        reader.join(timeout=10)
        out, err = "".join(lines), proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "stopped" in err
    assert len(receiver.requests) == 1
    assert out.count("webhook: sent 4") == 1 and "webhook: nothing new" in out
    assert len(sent_rows(db)) == 4
