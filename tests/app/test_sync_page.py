"""The Data page's "Sync now" runs the Salesforce sync (against a local fake org over HTTPS)
with a progress bar, then shows the synced data."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from streamlit.testing.v1 import AppTest

from handoff.ui import state

from conftest import APP

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from fake_salesforce import FakeSalesforce  # noqa: E402


def test_sync_now_loads_the_org_and_shows_it(tmp_path, monkeypatch):
    fake = FakeSalesforce().start(tmp_path)
    try:
        fake.clock = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
        rep = fake.add("User", Name="Ann Rep", TimeZoneSidKey="America/New_York", CountryCode="US", IsActive=True)
        for company in ("Acme", "Beta", "Gamma"):
            fake.add("Lead", OwnerId=rep, LeadSource="Demo request", Company=company, Status="Open")
        monkeypatch.chdir(tmp_path)  # the sync writes ./handoff.duckdb here
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake.ca_file)
        monkeypatch.setenv("SALESFORCE_INSTANCE_URL", fake.instance_url)
        monkeypatch.setenv("SALESFORCE_ACCESS_TOKEN", fake.token)

        at = AppTest.from_file(APP, default_timeout=90)
        at.switch_page("pages/7_data.py")
        at.run()
        assert not at.exception, at.exception
        assert state.current().origin == "sample"
        next(b for b in at.button if b.label == "Sync now").click()
        at.run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert any("Sync finished" in s.value for s in at.success)
        at.run()
        data = state.current()
        assert data.origin == "database"
        assert data.store.counts()["leads"] == 3
        assert data.model.metrics("all").iloc[0]["handoffs"] == 3  # no MQL setting: every lead
    finally:
        fake.stop()
