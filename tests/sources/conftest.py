"""The fake CRMs as fixtures, written once: a Salesforce org over HTTPS that the client trusts,
a HubSpot portal, and the files `handoff sync hubspot` reads."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_hubspot import FakeHubSpot  # noqa: E402
from fake_salesforce import FakeSalesforce  # noqa: E402

from handoff.sources import salesforce as sfc  # noqa: E402


@pytest.fixture
def salesforce_org(tmp_path, monkeypatch):
    """A fake org serving pages of three records."""
    f = FakeSalesforce(page_size=3).start(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", f.ca_file)
    monkeypatch.setattr(sfc, "LOCAL_ORGS", True)  # the fake org's address is a loopback one
    yield f
    f.stop()


@pytest.fixture
def hubspot_portal():
    with FakeHubSpot() as f:
        yield f


@pytest.fixture
def hubspot_files(tmp_path, hubspot_portal, monkeypatch):
    """secrets.toml and handoff.toml for `handoff sync hubspot` against the portal, and the database path."""
    for name in ("HUBSPOT_ACCESS_TOKEN", "HUBSPOT_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[hubspot]\naccess_token = "{hubspot_portal.token}"\nbase_url = "{hubspot_portal.base_url}"\n')
    config = tmp_path / "handoff.toml"
    config.write_text("[hubspot]\nbackoff_seconds = 0.0\n")
    return {"secrets": str(secrets), "config": str(config), "db": str(tmp_path / "h.duckdb")}
