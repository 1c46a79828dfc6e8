"""The registered CRM connectors. The `handoff sync` command and the Data page loop over
these; adding a connector is one line here (its module exposes `CONNECTOR`)."""

from __future__ import annotations

import importlib

from handoff.sources.connector import Connector

MODULES = {
    "salesforce": "handoff.sources.salesforce",
    "hubspot": "handoff.sources.hubspot",
}


def names() -> list[str]:
    return list(MODULES)


def get(name: str) -> Connector:
    """The connector registered as `name` (KeyError when none is)."""
    return importlib.import_module(MODULES[name]).CONNECTOR


def available() -> list[Connector]:
    """Every registered connector."""
    return [get(name) for name in MODULES]
