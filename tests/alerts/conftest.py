"""The alert tests' fixtures live in alert_fixtures.py (imported by the tests as a module)."""

from alert_fixtures import db, no_alert_environment, receiver, smtp_server  # noqa: F401
