"""The Data page's "Sync now" runs a connector's sync (Salesforce against a local fake org over
HTTPS, HubSpot against a local fake portal over HTTP) with a progress bar, then shows the
synced data."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from conftest import APP
from streamlit.testing.v1 import AppTest

from handoff.ui import state

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from fake_salesforce import FakeSalesforce  # noqa: E402


def unescaped(text: str) -> str:
    """Markdown text as people read it (data text is drawn with its punctuation escaped)."""
    return text.replace("\\", "")


def test_sync_now_loads_the_org_and_shows_it(tmp_path, monkeypatch):
    fake = FakeSalesforce().start(tmp_path)
    try:
        fake.clock = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
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


def test_hubspot_sync_now_shows_progress_summary_and_the_one_tier_warning(tmp_path, monkeypatch):
    """The same page, looping over the registered connectors: HubSpot's "Sync now" (against a
    local fake portal over HTTP) fills the database; the summary and the last-sync status say
    that every handoff landed in one tier (channels are not intents) and how to fix it."""
    from fake_hubspot import FakeHubSpot

    fake = FakeHubSpot().start()
    try:
        fake.clock = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
        owner = fake.add_owner("Ann", "Rep", "ann@x.test", "SDR East")
        for company in ("Acme", "Beta"):
            fake.add(
                "contacts",
                hubspot_owner_id=owner,
                hs_analytics_source="ORGANIC_SEARCH",
                company=company,
                hs_v2_date_entered_marketingqualifiedlead=fake.clock,
            )
        monkeypatch.chdir(tmp_path)
        for name in ("SALESFORCE_INSTANCE_URL", "SALESFORCE_ACCESS_TOKEN", "SALESFORCE_USERNAME"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", fake.token)
        monkeypatch.setenv("HUBSPOT_BASE_URL", fake.base_url)

        at = AppTest.from_file(APP, default_timeout=90)
        at.switch_page("pages/7_data.py")
        at.run()
        assert not at.exception, at.exception
        assert [s.value for s in at.subheader if s.value in ("Salesforce", "HubSpot")] == ["Salesforce", "HubSpot"]
        assert [b.key for b in at.button if b.label == "Sync now"] == ["sync_hubspot"]
        at.button(key="sync_hubspot").click()
        at.run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert any("Sync finished" in s.value for s in at.success)
        assert any(
            "Every one of the 2 HubSpot handoffs is tier low" in unescaped(w.value)
            and "tier_property" in unescaped(w.value)
            for w in at.warning
        )
        assert fake.token not in str([e.value for e in at.markdown])
        at.run()
        data = state.current()
        assert data.origin == "database" and data.store.counts()["leads"] == 2
        assert any("Last sync: **finished**" in m.value for m in at.markdown)
        assert any("Every one of the 2 HubSpot handoffs" in unescaped(w.value) for w in at.warning)  # the stored load
        log = [unescaped(m.value) for m in at.markdown if "HubSpot sync" in unescaped(m.value)]
        assert log and "leads: 2 rows added" in log[0], log
    finally:
        fake.stop()
