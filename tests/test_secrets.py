"""Secrets are never echoed: not by a credentials error (command line or Data page), not by
a policy error, and handoff.toml refuses to hold them."""

from __future__ import annotations

from pathlib import Path

import pytest
from secrets_harness import everything_said, secret_check, write_secrets

from handoff.cli import main
from handoff.policy import load_policy, policy_from_dict
from handoff.sources import salesforce as sf

# Values a careless secrets.toml may hold unquoted or as a list.
PASSWORD, TOKEN, SECURITY = 123456789, ["abc-7f3kq", "def-9x2mw"], 424242
SECRET_TEXTS = ["123456789", "abc-7f3kq", "def-9x2mw", "424242"]
assert_no_secret = secret_check(SECRET_TEXTS)


def secrets_file(tmp_path: Path, body: str) -> Path:
    return write_secrets(tmp_path, "salesforce", body)


PASSWORD_SET = f'username = "ann@example.com"\npassword = {PASSWORD}\nsecurity_token = {SECURITY}\n'
TOKEN_SET = f'instance_url = "https://acme.my.salesforce.com"\naccess_token = {TOKEN!r}\n'.replace("'", '"')


@pytest.mark.parametrize(
    "body,field",
    [(PASSWORD_SET, "password"), (TOKEN_SET, "access_token"),
     (f'username = "ann@example.com"\npassword = "pw"\nsecurity_token = {SECURITY}\n', "security_token")],
    ids=["numeric-password", "list-token", "numeric-security-token"],
)
def test_non_text_credentials_are_named_not_echoed(tmp_path, body, field):
    with pytest.raises(sf.SyncError, match=rf"secrets.toml \[salesforce\]: {field} must be text") as err:
        sf.credentials_from(secrets_file(tmp_path, body), {})
    assert_no_secret(everything_said(err.value))


def test_parsed_secrets_are_checked_too():
    table = {"salesforce": {"username": "ann@example.com", "password": PASSWORD, "security_token": SECURITY}}
    with pytest.raises(sf.SyncError) as err:
        sf.credentials_from(table, {})
    assert_no_secret(everything_said(err.value))


def test_sync_command_names_the_setting_only(tmp_path, capsys):
    code = main(["sync", "salesforce", "--db", str(tmp_path / "h.duckdb"),
                 "--secrets", str(secrets_file(tmp_path, PASSWORD_SET))])
    out = capsys.readouterr()
    assert code == 2 and "password must be text" in out.err
    assert_no_secret(out.out + out.err)


def test_data_page_message_names_the_setting_only(monkeypatch):
    from handoff.ui import loading

    table = {"salesforce": {"instance_url": "https://acme.my.salesforce.com", "access_token": TOKEN}}
    monkeypatch.setattr(loading, "_secrets", lambda: table)
    with pytest.raises(ValueError, match="access_token must be text") as err:
        loading.credentials(sf.CONNECTOR)
    assert_no_secret(everything_said(err.value))


def test_credentials_keep_secrets_secret():
    creds = sf.credentials_from(
        {"username": "ann@example.com", "password": "123456789", "security_token": "424242"}, {}
    )
    assert creds.password.get_secret_value() == "123456789"
    assert_no_secret(repr(creds) + str(creds) + str(creds.model_dump()))
    with pytest.raises(ValueError) as err:  # even the model's own validation error hides its input
        sf.SalesforceCredentials(password=PASSWORD)
    assert_no_secret(everything_said(err.value))


@pytest.mark.parametrize("crm", ["salesforce", "hubspot"])
@pytest.mark.parametrize("key", ["password", "access_token", "token", "security_token", "client_secret"])
def test_policy_refuses_secrets_without_echoing_them(crm, key):
    with pytest.raises(ValueError, match="secrets belong in .streamlit/secrets.toml or the environment") as err:
        policy_from_dict({crm: {"mql_statuses": ["MQL"], key: "abc-7f3kq"}})
    said = everything_said(err.value)
    assert key in said and crm in said
    assert_no_secret(said)


def test_policy_file_with_a_numeric_secret(tmp_path):
    path = tmp_path / "handoff.toml"
    path.write_text(f"[salesforce]\nmql_statuses = [\"MQL\"]\npassword = {PASSWORD}\n")
    with pytest.raises(ValueError, match="secrets belong") as err:
        load_policy(path)
    assert_no_secret(everything_said(err.value))


def test_policy_model_error_hides_its_input():
    from handoff.policy import Policy

    with pytest.raises(ValueError) as err:
        Policy(salesforce={"client_secret": "abc-7f3kq"}, hubspot={"private_app_token": 123456789})
    assert_no_secret(everything_said(err.value))
