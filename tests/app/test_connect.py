"""Connecting a CRM from the Data page: the form has the fields each connector's credentials
need (secrets as passwords); "Test connection" makes one authenticated call through the real
client (Salesforce against a local fake org over HTTPS, HubSpot against a local fake portal)
and says what worked or failed without echoing a secret; "Test and save" writes the
credentials to .streamlit/secrets.toml only (merged, mode 0600), never to the database, the
logs or the session."""

from __future__ import annotations

import logging
import stat
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import APP
import streamlit as st
from streamlit.testing.v1 import AppTest

from handoff.sources import connect
from handoff.sources.connector import SyncError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from fake_hubspot import FakeHubSpot  # noqa: E402
from fake_salesforce import FakeSalesforce  # noqa: E402

CRM_ENV = (
    "SALESFORCE_INSTANCE_URL",
    "SALESFORCE_ACCESS_TOKEN",
    "SALESFORCE_USERNAME",
    "SALESFORCE_PASSWORD",
    "SALESFORCE_SECURITY_TOKEN",
    "HUBSPOT_ACCESS_TOKEN",
    "HUBSPOT_BASE_URL",
)
EXISTING = """# kept: a comment of the owner's
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"

[salesforce]
mql_statuses = "MQL"   # not a credential: kept
username = "old@example.com"
password = "old-password"
security_token = "old-token"
"""


@pytest.fixture(autouse=True)
def forget_saved_secrets():
    """Streamlit keeps the secrets it read for the whole process: a file saved here must not
    reach the tests that run after this module (they would see a CRM already connected)."""
    yield
    st.secrets._reset()


@pytest.fixture
def salesforce(tmp_path, monkeypatch):
    fake = FakeSalesforce().start(tmp_path)
    fake.clock = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    rep = fake.add("User", Name="Ann Rep", TimeZoneSidKey="America/New_York", CountryCode="US", IsActive=True)
    fake.add("Lead", OwnerId=rep, LeadSource="Demo request", Company="Acme", Status="Open")
    monkeypatch.chdir(tmp_path)
    for name in CRM_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake.ca_file)
    yield fake
    fake.stop()


def data_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/7_data.py")
    at.run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, name: str, values: dict[str, str]) -> None:
    for key, value in values.items():
        at.text_input(key=f"connect_{name}_{key}").set_value(value)


def everything_shown(at: AppTest) -> str:
    kinds = (at.markdown, at.caption, at.success, at.error, at.warning, at.info, at.exception)
    return "\n".join(str(getattr(e, "value", e)) for kind in kinds for e in kind)


def test_the_form_asks_for_each_connectors_credentials_with_secrets_as_passwords(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in CRM_ENV:
        monkeypatch.delenv(name, raising=False)
    at = data_page()
    kinds = {t.key: t.proto.type for t in at.text_input if t.key and t.key.startswith("connect_")}
    password, plain = at.text_input[0].proto.PASSWORD, at.text_input[0].proto.DEFAULT
    assert kinds["connect_salesforce_access_token"] == password
    assert kinds["connect_salesforce_instance_url"] == plain
    assert kinds["connect_hubspot_access_token"] == password
    at.radio(key="connect_way_salesforce").set_value("Username, password and security token")
    at.run()
    for key in ("password", "security_token"):
        field = at.text_input(key=f"connect_salesforce_{key}")
        assert field.proto.type == field.proto.PASSWORD, key
    assert at.text_input(key="connect_salesforce_username").proto.type == plain
    shown = everything_shown(at)
    assert "No CRM sync yet" not in shown
    assert "No CRM is connected to this data yet" in shown and "Test connection" in shown


def test_test_connection_against_the_fake_org_says_what_worked(salesforce):
    at = data_page()
    fill(at, "salesforce", {"instance_url": salesforce.instance_url, "access_token": salesforce.token})
    at.button(key="connect_test_salesforce").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    ok = [s.value for s in at.success]
    assert any("Connected to Salesforce" in s and "Lead object can be read" in s for s in ok), ok
    assert any(method == "GET" and "/sobjects/Lead/describe" in route for method, route, _ in salesforce.log)
    assert not Path(".streamlit/secrets.toml").exists()  # testing saves nothing
    assert salesforce.token not in everything_shown(at)
    assert at.text_input(key="connect_salesforce_access_token").value == ""  # cleared after the try


def test_a_wrong_token_fails_plainly_without_echoing_it(salesforce):
    wrong = "00Dxx!WrongSecretValue-7c1b9f"
    at = data_page()
    fill(at, "salesforce", {"instance_url": salesforce.instance_url, "access_token": wrong})
    at.button(key="connect_save_salesforce").click()
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("Not connected" in e and "access token is expired or wrong" in e for e in errors), errors
    assert wrong not in everything_shown(at)
    assert not Path(".streamlit/secrets.toml").exists()  # a failed test saves nothing


def test_save_writes_only_the_secrets_file_merged_and_owner_only(salesforce, monkeypatch, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    Path(".streamlit").mkdir()
    Path(".streamlit/secrets.toml").write_text(EXISTING, encoding="utf-8")
    Path(".streamlit/secrets.toml").chmod(0o644)
    at = data_page()
    fill(at, "salesforce", {"instance_url": salesforce.instance_url, "access_token": salesforce.token})
    at.button(key="connect_save_salesforce").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("Saved to" in s.value for s in at.success)

    path = Path(".streamlit/secrets.toml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    saved = tomllib.loads(text)
    assert saved["salesforce"] == {
        "mql_statuses": "MQL",
        "instance_url": salesforce.instance_url,
        "access_token": salesforce.token,
    }
    assert saved["auth"] == {"redirect_uri": "http://localhost:8501/oauth2callback"}
    assert "# kept: a comment of the owner's" in text and "# not a credential: kept" in text
    assert [p.name for p in path.parent.iterdir()] == ["secrets.toml"]  # no temporary file left
    assert salesforce.token not in everything_shown(at)
    assert at.text_input(key="connect_salesforce_access_token").value == ""

    # The saved credentials sync; the token reaches neither the database nor any log.
    monkeypatch.setenv("SALESFORCE_INSTANCE_URL", salesforce.instance_url)
    monkeypatch.setenv("SALESFORCE_ACCESS_TOKEN", salesforce.token)
    at = data_page()
    at.button(key="sync_salesforce").click()
    at.run()
    assert any("Sync finished" in s.value for s in at.success), [e.value for e in at.error]
    database = Path("handoff.duckdb").read_bytes()
    assert salesforce.token.encode() not in database
    assert salesforce.token.split("!")[-1].encode() not in database
    logged = caplog.text + "".join(capfd.readouterr())
    assert salesforce.token not in logged


def test_hubspot_test_connection_and_a_wrong_token(tmp_path, monkeypatch):
    fake = FakeHubSpot().start()
    try:
        fake.add_owner("Ann", "Rep", "ann@x.test", "SDR East")
        monkeypatch.chdir(tmp_path)
        for name in CRM_ENV:
            monkeypatch.delenv(name, raising=False)
        at = data_page()
        fill(at, "hubspot", {"access_token": fake.token, "base_url": fake.base_url})
        at.button(key="connect_test_hubspot").click()
        at.run()
        ok = [s.value for s in at.success]
        assert any("Connected to HubSpot" in s and "owners and contacts" in s for s in ok), ok
        wrong = "pat-na1-00000000-wrong-SecretValue"
        fill(at, "hubspot", {"access_token": wrong, "base_url": fake.base_url})
        at.button(key="connect_test_hubspot").click()
        at.run()
        errors = [e.value for e in at.error]
        assert any("Not connected" in e and "rejected the access token" in e for e in errors), errors
        assert wrong not in everything_shown(at) and fake.token not in everything_shown(at)
    finally:
        fake.stop()


def test_a_missing_field_is_named_and_nothing_is_tried(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in CRM_ENV:
        monkeypatch.delenv(name, raising=False)
    at = data_page()
    fill(at, "salesforce", {"access_token": "secret-without-an-address"})
    at.button(key="connect_test_salesforce").click()
    at.run()
    assert any("Fill in Instance address" in e.value for e in at.error)
    assert "secret-without-an-address" not in everything_shown(at)


# -- the secrets file, directly --------------------------------------------------------------------
def test_switching_sign_in_removes_the_other_ways_keys(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text(EXISTING, encoding="utf-8")
    connect.save("salesforce", {"instance_url": "https://x.my.salesforce.com", "access_token": "t"}, path)
    table = tomllib.loads(path.read_text())["salesforce"]
    assert set(table) == {"mql_statuses", "instance_url", "access_token"}


def test_hard_values_round_trip_and_an_unsafe_file_is_left_alone(tmp_path):
    path = tmp_path / "secrets.toml"
    hard = 'a"b\\c\x7f\u00e9\n'
    connect.save("hubspot", {"access_token": hard}, path)
    assert tomllib.loads(path.read_text())["hubspot"]["access_token"] == hard.strip()
    dotted = tmp_path / "dotted.toml"
    dotted.write_text('hubspot.access_token = "old"\n', encoding="utf-8")
    with pytest.raises(SyncError, match="cannot update safely") as info:
        connect.save("hubspot", {"access_token": "new-secret"}, dotted)
    assert "new-secret" not in str(info.value)
    assert dotted.read_text() == 'hubspot.access_token = "old"\n'
    broken = tmp_path / "broken.toml"
    broken.write_text("[hubspot\n", encoding="utf-8")
    with pytest.raises(SyncError, match="not a readable TOML file"):
        connect.save("hubspot", {"access_token": "x"}, broken)
