"""`handoff report --send`: the weekly pack emailed as an attachment (local SMTP server) and
announced to Slack and the webhook (local receiver)."""

from __future__ import annotations

import email
from email import policy as email_policy

from alert_fixtures import AT_NOON, smtp_policy

from handoff.cli import main


def test_the_pack_is_emailed_as_an_attachment_and_announced_on_slack_and_the_webhook(
    db, smtp_server, receiver, monkeypatch, tmp_path, capsys
):
    smtp_policy(tmp_path, smtp_server.port)
    monkeypatch.setenv("HANDOFF_SMTP_PASSWORD", smtp_server.password)
    monkeypatch.setenv("HANDOFF_SLACK_WEBHOOK_URL", receiver.url("/slack"))
    monkeypatch.setenv("HANDOFF_ALERT_WEBHOOK_URL", receiver.url("/hook"))
    out = tmp_path / "pack.html"
    assert main(["report", "--week", "2026-W23", "--db", str(db), "--as-of", AT_NOON, "--out", str(out), "--send"]) == 0
    (envelope,) = smtp_server.messages
    message = email.message_from_bytes(envelope.original_content, policy=email_policy.default)
    assert message["Subject"] == "Weekly handoff pack: 2026-W23 (week of 1 Jun 2026)"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "pack.html"
    assert attachment.get_content_type() == "text/html"
    assert attachment.get_content().replace("\r\n", "\n") == out.read_text(encoding="utf-8")
    assert attachment.get_content_charset() == "utf-8"
    slack, hook = sorted(receiver.requests, key=lambda r: r.path)[::-1]
    assert slack.path == "/slack" and "2026-W23 (week of 1 Jun 2026)" in slack.body["text"]
    assert "emailed" in slack.body["text"]
    assert hook.body == {
        "as_of": "2026-06-02T12:00:00Z",
        "report": {"week": "2026-W23", "label": "week of 1 Jun 2026", "file": "pack.html"},
    }
    err = capsys.readouterr().err
    assert "email: sent the pack" in err and smtp_server.password not in err


def test_without_out_the_pack_is_attached_from_memory(db, smtp_server, monkeypatch, tmp_path):
    smtp_policy(tmp_path, smtp_server.port)
    monkeypatch.setenv("HANDOFF_SMTP_PASSWORD", smtp_server.password)
    assert main(["report", "--week", "2026-W23", "--db", str(db), "--as-of", AT_NOON, "--send"]) == 0
    message = email.message_from_bytes(smtp_server.messages[0].original_content, policy=email_policy.default)
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "handoff-pack-2026-W23.html"
    assert attachment.get_content().lstrip().lower().startswith("<!doctype html")
    assert list(tmp_path.glob("*.html")) == []


def test_a_failing_destination_is_exit_1_and_none_configured_is_exit_2(db, receiver, monkeypatch, capsys):
    assert main(["report", "--week", "2026-W23", "--db", str(db), "--as-of", AT_NOON, "--send"]) == 2
    assert "no alert destination is configured" in capsys.readouterr().err
    monkeypatch.setenv("HANDOFF_SLACK_WEBHOOK_URL", receiver.url("/slack"))
    monkeypatch.setenv("HANDOFF_ALERT_WEBHOOK_URL", receiver.url("/hook"))
    receiver.script = [(200, {}), (400, {})]  # Slack goes first, then the webhook
    assert main(["report", "--week", "2026-W23", "--db", str(db), "--as-of", AT_NOON, "--send"]) == 1
    err = capsys.readouterr().err
    assert "slack: sent the pack" in err and "webhook: failed (HTTP 400)" in err
