"""The Data page shows the latest alerts sent and the failed deliveries, from the store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from alert_fixtures import AT_NOON, FAST, closed_port
from streamlit.testing.v1 import AppTest

from handoff.cli import build_parser
from handoff.commands import alert
from handoff.data import database
from handoff.model import Model, views
from handoff.policy import Policy

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_alert(*argv: str) -> int:
    return alert.main(build_parser().parse_args(["alert", *argv]), retry=FAST)


def test_the_views_read_what_a_run_sent_and_what_failed(db, receiver, monkeypatch):
    monkeypatch.setenv("HANDOFF_ALERT_WEBHOOK_URL", receiver.url("/hook"))
    monkeypatch.setenv("HANDOFF_SLACK_WEBHOOK_URL", f"http://127.0.0.1:{closed_port()}/slack")
    assert run_alert("--db", str(db), "--as-of", AT_NOON) == 1
    store = database(db)
    model = Model(store.con, Policy(), pd.Timestamp(AT_NOON).to_pydatetime())
    sent = views.alerts_sent(model)
    assert set(zip(sent["lead_id"], sent["stage"], sent["destination"], strict=True)) == {
        ("A", "warning", "webhook"), ("B", "breached", "webhook"), ("C", "escalated", "webhook"),
        ("E", "warning", "webhook"),
    }  # fmt: skip
    failed = views.alert_failures(model)
    assert failed[["destination", "error", "pending"]].values.tolist() == [
        ["slack", "connection refused after 3 tries", 4]
    ]


def test_the_data_page_lists_alerts_and_failures(db, receiver, monkeypatch):
    monkeypatch.setenv("HANDOFF_ALERT_WEBHOOK_URL", receiver.url("/hook"))
    monkeypatch.setenv("HANDOFF_SLACK_WEBHOOK_URL", f"http://127.0.0.1:{closed_port()}/slack")
    run_alert("--db", str(db), "--as-of", AT_NOON)
    monkeypatch.setenv("HANDOFF_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("pages/7_data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Alerts" in [h.value for h in at.subheader]
    frames = [d.value for d in at.dataframe]
    sent = next(f for f in frames if "destination" in f.columns and "stage" in f.columns)
    assert sorted(sent["lead_id"]) == ["A", "B", "C", "E"]
    failed = next(f for f in frames if "error" in f.columns)
    assert failed["pending"].tolist() == [4]
