"""Where alerts go: the destinations whose secret or settings exist.

Secrets (the webhook URLs, the SMTP password) come from `.streamlit/secrets.toml` `[alerts]`
(`webhook_url`, `slack_webhook_url`, `smtp_password`) or the environment
(`HANDOFF_ALERT_WEBHOOK_URL`, `HANDOFF_SLACK_WEBHOOK_URL`, `HANDOFF_SMTP_PASSWORD`); the file
wins when both set a key, as for the connectors. They are held as `SecretStr`, so no repr,
message or log line shows them; a malformed one is named by its key, never by its value.
The SMTP server, port, user and addresses are settings, from `handoff.toml` `[alerts]`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from handoff.policy import AlertSettings
from handoff.sources.connector import SyncError, env_values, secrets_table, text_values

DEFAULT_SECRETS = Path(".streamlit/secrets.toml")
SECRETS_SOURCE = "secrets.toml [alerts]"
ENVIRONMENT = {
    "webhook_url": "HANDOFF_ALERT_WEBHOOK_URL",
    "slack_webhook_url": "HANDOFF_SLACK_WEBHOOK_URL",
    "smtp_password": "HANDOFF_SMTP_PASSWORD",
}
_URL = re.compile(r"https?://[^\s/?#@]+(?:[/?#]\S*)?", re.IGNORECASE)


class ConfigError(ValueError):
    """A destination is configured wrongly; the message names settings, never secret values."""


@dataclass(frozen=True)
class Email:
    host: str
    port: int
    sender: str
    to: tuple[str, ...]
    user: str | None = None
    password: SecretStr | None = field(default=None, repr=False)
    starttls: bool = True


@dataclass(frozen=True)
class Destinations:
    """The configured destinations (None: not configured)."""

    webhook: SecretStr | None = field(default=None, repr=False)
    slack: SecretStr | None = field(default=None, repr=False)
    email: Email | None = None

    def names(self) -> list[str]:
        return [name for name in ("webhook", "slack", "email") if getattr(self, name) is not None]

    def secrets(self) -> list[str]:
        """Every secret value held (for callers that must prove none leaked)."""
        values = [self.webhook, self.slack, self.email.password if self.email else None]
        return [v.get_secret_value() for v in values if v is not None]


def read_secrets(secrets: Any = DEFAULT_SECRETS, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The alert secrets that are set: secrets.toml `[alerts]` first, then the environment."""
    try:
        values = text_values(secrets_table(secrets, "alerts"), ENVIRONMENT, SECRETS_SOURCE)
    except SyncError as exc:
        raise ConfigError(str(exc)) from None
    env = env_values(environ, ENVIRONMENT)
    return {key: values.get(key) or env[key] for key in ENVIRONMENT if values.get(key) or env.get(key)}


def _url(key: str, value: str) -> SecretStr:
    if not _URL.fullmatch(value.strip()):
        raise ConfigError(f"{key} ({ENVIRONMENT[key]}) is not an http(s) URL")
    return SecretStr(value.strip())


def email_from(settings: AlertSettings, password: str | None) -> Email | None:
    """The email destination of the policy's `[alerts]` settings (None without smtp_host)."""
    if not settings.smtp_host:
        return None
    if not settings.email_to:
        raise ConfigError("alerts.smtp_host is set but alerts.email_to names no recipient")
    sender = settings.email_from or (settings.smtp_user if settings.smtp_user and "@" in settings.smtp_user else None)
    if not sender:
        raise ConfigError("alerts.email_from is not set (the address alerts are sent from)")
    if settings.smtp_user and not password:
        raise ConfigError(
            "alerts.smtp_user is set but no SMTP password: set HANDOFF_SMTP_PASSWORD or "
            "smtp_password in .streamlit/secrets.toml [alerts]"
        )
    implicit_tls = settings.smtp_port == 465
    if settings.smtp_user and not (settings.smtp_starttls or implicit_tls):
        raise ConfigError(
            "alerts.smtp_starttls is false: the SMTP password would cross the network unencrypted; "
            "turn STARTTLS on (or use port 465)"
        )
    return Email(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=sender,
        to=tuple(settings.email_to),
        user=settings.smtp_user,
        password=SecretStr(password) if password else None,
        starttls=settings.smtp_starttls,
    )


def destinations(
    settings: AlertSettings, secrets: Any = DEFAULT_SECRETS, environ: Mapping[str, str] | None = None
) -> Destinations:
    """The configured destinations; a ConfigError when one is set but unusable."""
    values = read_secrets(secrets, environ)
    return Destinations(
        webhook=_url("webhook_url", values["webhook_url"]) if "webhook_url" in values else None,
        slack=_url("slack_webhook_url", values["slack_webhook_url"]) if "slack_webhook_url" in values else None,
        email=email_from(settings, values.get("smtp_password")),
    )


NONE_CONFIGURED = (
    "no alert destination is configured: set HANDOFF_ALERT_WEBHOOK_URL or HANDOFF_SLACK_WEBHOOK_URL "
    "(or webhook_url / slack_webhook_url in .streamlit/secrets.toml [alerts]), or alerts.smtp_host "
    "and alerts.email_to in handoff.toml; see docs/alerts.md"
)
