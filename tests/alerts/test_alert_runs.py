"""`handoff alert` against a real DuckDB file and a local HTTP receiver: which (lead, stage)
pairs go out, once each, and what a failing receiver leaves for the next run."""

from __future__ import annotations

import duckdb
import pytest
from alert_fixtures import AT_FIVE, AT_FOUR, AT_NOON, FAST, FOUR_NEW, NOON, closed_port

from handoff.cli import build_parser
from handoff.commands import alert


def run_alert(*argv: str, retry=FAST) -> int:
    args = build_parser().parse_args(["alert", *argv])
    return alert.main(args, retry=retry)


def pairs(body: dict) -> set[tuple[str, str]]:
    return {(a["lead_id"], a["stage"]) for a in body["alerts"]}


def sent_rows(db) -> set[tuple[str, str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return set(con.execute("SELECT lead_id, stage, destination FROM alerts_sent").fetchall())


def failures(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT destination, error, pending FROM alert_failures ORDER BY failed_at").fetchall()


@pytest.fixture
def webhook(receiver, monkeypatch):
    monkeypatch.setenv("HANDOFF_ALERT_WEBHOOK_URL", receiver.url("/hook"))
    return receiver


def test_the_first_run_sends_each_queued_lead_at_its_stage_in_one_post(db, webhook):
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert len(webhook.requests) == 1
    body = webhook.requests[0].body
    assert body["as_of"] == "2026-06-02T12:00:00Z"
    assert pairs(body) == NOON
    by_lead = {a["lead_id"]: a for a in body["alerts"]}
    assert set(by_lead["B"]) == {
        "lead_id", "owner_id", "tier", "stage", "mql_at", "elapsed_business_minutes",
        "sla_target_business_minutes", "crm_url",
    }  # fmt: skip
    assert by_lead["B"] == {
        "lead_id": "B",
        "owner_id": "r1",
        "tier": "high",
        "stage": "breached",
        "mql_at": "2026-06-02T11:00:00Z",
        "elapsed_business_minutes": 60.0,
        "sla_target_business_minutes": 5.0,
        "crm_url": None,
    }
    assert by_lead["C"]["elapsed_business_minutes"] == 660.0
    assert by_lead["E"]["owner_id"] is None
    assert sent_rows(db) == {(lead, stage, "webhook") for lead, stage in NOON}


def test_a_second_run_sends_nothing_and_posts_nothing(db, webhook, capsys):
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert len(webhook.requests) == 1
    assert "webhook: nothing new" in capsys.readouterr().out


def test_a_later_run_sends_only_the_new_stages(db, webhook):
    run_alert("--db", str(db), "--as-of", AT_NOON)
    assert run_alert("--db", str(db), "--as-of", AT_FOUR) == 0
    assert len(webhook.requests) == 2
    assert pairs(webhook.requests[1].body) == FOUR_NEW


def test_a_lead_that_skipped_a_stage_between_runs_gets_its_current_stage_only(db, webhook):
    run_alert("--db", str(db), "--as-of", AT_NOON)
    run_alert("--db", str(db), "--as-of", AT_FIVE)
    later = pairs(webhook.requests[1].body)
    # A and E were warnings at noon and are escalated at 17:00: no late `breached` for them.
    assert later == {("A", "escalated"), ("B", "escalated"), ("D", "escalated"), ("E", "escalated"), ("G", "warning")}


def test_an_earlier_stage_than_one_sent_is_not_sent(db, webhook):
    run_alert("--db", str(db), "--as-of", AT_FOUR)
    run_alert("--db", str(db), "--as-of", AT_NOON)
    # At noon A and E are warnings, but their breached alerts went out already.
    assert len(webhook.requests) == 1


def test_a_receiver_failing_every_try_loses_nothing_and_the_next_run_delivers(db, webhook, capsys):
    webhook.script = [(500, {})] * FAST.attempts
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 2
    assert len(webhook.requests) == FAST.attempts
    assert sent_rows(db) == set()
    assert failures(db) == [("webhook", "HTTP 500 after 3 tries", 4)]
    assert "4 left for the next run" in capsys.readouterr().err
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert pairs(webhook.requests[-1].body) == NOON
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert len(webhook.requests) == FAST.attempts + 1


def test_a_server_error_is_retried_within_the_run(db, webhook):
    webhook.script = [(503, {}), (502, {})]
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert len(webhook.requests) == 3
    assert all(pairs(r.body) == NOON for r in webhook.requests)
    assert len(sent_rows(db)) == 4


def test_429_waits_for_its_retry_after(db, webhook):
    webhook.script = [(429, {"Retry-After": "1"})]
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    first, second = webhook.requests
    assert second.at - first.at >= 1.0  # the backoff alone would be 0.01 s
    assert len(sent_rows(db)) == 4


def test_a_retry_after_beyond_the_cap_leaves_the_alerts_for_the_next_run(db, webhook):
    webhook.script = [(429, {"Retry-After": "3600"})]
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 2
    assert len(webhook.requests) == 1
    assert sent_rows(db) == set()
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert pairs(webhook.requests[-1].body) == NOON


def test_a_client_error_is_not_retried(db, webhook):
    webhook.script = [(404, {})]
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 2
    assert len(webhook.requests) == 1
    assert failures(db) == [("webhook", "HTTP 404", 4)]


def test_connection_refused_leaves_everything_pending(db, monkeypatch, capsys):
    monkeypatch.setenv("HANDOFF_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{closed_port()}/hook")
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 2
    assert sent_rows(db) == set()
    assert failures(db) == [("webhook", "connection refused after 3 tries", 4)]
    assert "connection refused" in capsys.readouterr().err


def test_one_failing_destination_neither_blocks_nor_repeats_another(db, receiver, monkeypatch):
    monkeypatch.setenv("HANDOFF_ALERT_WEBHOOK_URL", receiver.url("/hook"))
    monkeypatch.setenv("HANDOFF_SLACK_WEBHOOK_URL", receiver.url("/slack"))
    receiver.script = [(200, {})] + [(500, {})] * FAST.attempts  # the webhook goes first
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 1
    assert [r.path for r in receiver.requests] == ["/hook"] + ["/slack"] * FAST.attempts
    assert {d for _, _, d in sent_rows(db)} == {"webhook"}
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 0
    assert [r.path for r in receiver.requests[1 + FAST.attempts :]] == ["/slack"]
    assert sent_rows(db) == {(lead, stage, d) for lead, stage in NOON for d in ("webhook", "slack")}


def test_dry_run_sends_and_marks_nothing(db, webhook, capsys):
    assert run_alert("--db", str(db), "--as-of", AT_NOON, "--dry-run") == 0
    out = capsys.readouterr().out
    assert webhook.requests == []
    assert sent_rows(db) == set()
    assert "4 leads (2 warning, 1 breached, 1 escalated)" in out
    assert "would send 4 to webhook" in out
    run_alert("--db", str(db), "--as-of", AT_NOON)
    run_alert("--db", str(db), "--as-of", AT_FOUR, "--dry-run")
    assert "would send 4 to webhook (0 warning, 3 breached, 1 escalated)" in capsys.readouterr().out
    assert len(webhook.requests) == 1


def test_without_a_destination_the_command_says_so(db, capsys):
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 2
    err = capsys.readouterr().err
    assert "no alert destination is configured" in err and "HANDOFF_SLACK_WEBHOOK_URL" in err
    assert sent_rows(db) == set()
    assert run_alert("--db", str(db), "--as-of", AT_NOON, "--dry-run") == 0
    assert "the first run sends these 4" in capsys.readouterr().out


def test_the_secrets_file_configures_a_destination(db, receiver, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[alerts]\nwebhook_url = "{receiver.url("/from-file")}"\n', encoding="utf-8")
    assert run_alert("--db", str(db), "--as-of", AT_NOON, "--secrets", str(secrets)) == 0
    assert [r.path for r in receiver.requests] == ["/from-file"]


def test_warn_minutes_and_stages_follow_the_options_and_the_policy(db, webhook, tmp_path):
    (tmp_path / "handoff.toml").write_text('[alerts]\nstages = ["breached", "escalated"]\n', encoding="utf-8")
    assert run_alert("--db", str(db), "--as-of", AT_NOON, "--warn-minutes", "50") == 0
    # 50 minutes of warning would add D (15 >= 60 - 50), but warnings are not sent.
    assert pairs(webhook.requests[0].body) == {("B", "breached"), ("C", "escalated")}


def test_reading_files_keeps_the_log_in_the_state_file(tmp_path, webhook):
    from alert_fixtures import leads
    from handmade import frame

    folder = tmp_path / "data"
    folder.mkdir()
    frame(leads()).to_csv(folder / "leads.csv", index=False)
    assert run_alert("--data", str(folder), "--as-of", AT_NOON) == 0
    assert run_alert("--data", str(folder), "--as-of", AT_NOON) == 0
    assert len(webhook.requests) == 1
    assert len(sent_rows(tmp_path / "handoff-alerts.duckdb")) == 5  # F is untouched without activities
