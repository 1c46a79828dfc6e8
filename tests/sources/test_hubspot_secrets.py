"""The HubSpot token is never echoed: not by a credentials error (command line or Data page),
not by the credentials model, and handoff.toml refuses to hold it (as tests/test_secrets.py
checks for Salesforce)."""

from __future__ import annotations

from pathlib import Path

import pytest
from secrets_harness import everything_said, secret_check, write_secrets

from handoff.cli import main
from handoff.policy import policy_from_dict
from handoff.sources import hubspot as hs
from handoff.sources.connector import SyncError

# Values a careless secrets.toml may hold unquoted or as a list.
NUMERIC, LISTED = 123456789, ["abc-7f3kq", "def-9x2mw"]
SECRET_TEXTS = ["123456789", "abc-7f3kq", "def-9x2mw", "pat-na1-s3cr3t"]
assert_no_secret = secret_check(SECRET_TEXTS)


def secrets_file(tmp_path: Path, body: str) -> Path:
    return write_secrets(tmp_path, "hubspot", body)


@pytest.mark.parametrize(
    "body",
    [
        f"access_token = {NUMERIC}\n",
        f"access_token = {LISTED!r}\n".replace("'", '"'),
        'access_token = "pat-na1-s3cr3t"\nbase_url = 42\n',
    ],
    ids=["numeric-token", "list-token", "numeric-url"],
)
def test_non_text_credentials_are_named_not_echoed(tmp_path, body):
    with pytest.raises(SyncError, match=r"secrets.toml \[hubspot\]: (access_token|base_url) must be text") as err:
        hs.credentials_from(secrets_file(tmp_path, body), {})
    assert_no_secret(everything_said(err.value))


def test_credentials_from_secrets_then_environment(tmp_path):
    c = hs.credentials_from(secrets_file(tmp_path, 'access_token = "pat-na1-s3cr3t"\n'), {})
    assert c.access_token.get_secret_value() == "pat-na1-s3cr3t" and c.base_url == "https://api.hubapi.com"
    assert_no_secret(repr(c) + str(c) + str(c.model_dump()))
    env = {"HUBSPOT_ACCESS_TOKEN": "pat-na1-s3cr3t", "HUBSPOT_BASE_URL": "http://127.0.0.1:9"}
    c = hs.credentials_from(tmp_path / "missing.toml", env)
    assert c.base_url == "http://127.0.0.1:9"
    assert hs.credentials_from({"hubspot": {}}, {}) is None
    assert hs.credentials_from({"salesforce": {"access_token": "x"}}, {}) is None  # another CRM's table


def test_a_bad_base_url_is_named_not_echoed(tmp_path):
    with pytest.raises(SyncError, match="base_url") as err:
        hs.credentials_from({"access_token": "pat-na1-s3cr3t", "base_url": "ftp://abc-7f3kq"}, {})
    assert_no_secret(everything_said(err.value))


def test_the_model_hides_its_input():
    with pytest.raises(ValueError) as err:
        hs.HubSpotCredentials(access_token=NUMERIC, base_url="abc-7f3kq")
    assert_no_secret(everything_said(err.value))


def test_sync_command_names_the_setting_only(tmp_path, capsys):
    code = main(
        [
            "sync",
            "hubspot",
            "--db",
            str(tmp_path / "h.duckdb"),
            "--secrets",
            str(secrets_file(tmp_path, f"access_token = {NUMERIC}\n")),
        ]
    )
    out = capsys.readouterr()
    assert code == 2 and "access_token must be text" in out.err
    assert_no_secret(out.out + out.err)


def test_data_page_message_names_the_setting_only(monkeypatch):
    from handoff.ui import loading

    monkeypatch.setattr(loading, "_secrets", lambda: {"hubspot": {"access_token": LISTED}})
    with pytest.raises(ValueError, match="access_token must be text") as err:
        loading.credentials(hs.CONNECTOR)
    assert_no_secret(everything_said(err.value))


@pytest.mark.parametrize("key", ["access_token", "private_app_token", "api_key", "client_secret"])
def test_handoff_toml_refuses_a_token(key):
    with pytest.raises(ValueError, match="secrets belong in .streamlit/secrets.toml or the environment") as err:
        policy_from_dict({"hubspot": {"tier_property": "form", key: "abc-7f3kq"}})
    assert_no_secret(everything_said(err.value))
