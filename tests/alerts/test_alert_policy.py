"""`[alerts]` in handoff.toml holds settings only: a secret put there is refused by its key."""

from __future__ import annotations

import pytest

from handoff.policy import policy_from_dict


@pytest.mark.parametrize("key", ["smtp_password", "slack_webhook_url", "webhook_url", "api_token"])
def test_a_secret_in_the_alerts_table_is_refused_without_showing_it(key):
    with pytest.raises(ValueError) as err:
        policy_from_dict({"alerts": {key: "https://hooks.example.com/SECRET-VALUE-42"}})
    message = str(err.value)
    assert repr(key) in message and "secrets.toml [alerts]" in message
    assert "SECRET-VALUE-42" not in message
    assert "SECRET-VALUE-42" not in repr(err.value.__cause__) + repr(err.value.__context__)


def test_the_alert_settings_still_validate():
    policy = policy_from_dict({"alerts": {"smtp_host": "smtp.example.com", "smtp_user": "handoff", "warn_minutes": 10}})
    assert policy.alerts.smtp_user == "handoff" and policy.alerts.warn_minutes == 10
