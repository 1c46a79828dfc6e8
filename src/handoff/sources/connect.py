"""Connecting a CRM from the app: the credential form each connector needs, a cheap
authenticated call through the connector's own client to test a set of credentials, and
saving them to `.streamlit/secrets.toml` (only there: never the database, a log or a cache).

    forms("salesforce")                       # the ways to sign in, with their fields
    check("hubspot", {"access_token": ...})   # "Connected to HubSpot: ..." or a SyncError
    save("hubspot", {"access_token": ...})    # merged into the secrets file, mode 0600

No message here ever contains a value that was typed: errors name the setting only.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, SecretStr

from handoff.sources import registry
from handoff.sources.connector import RetryPolicy, SyncError

SECRETS_FILE = Path(".streamlit/secrets.toml")
TEST_RETRY = RetryPolicy(retries=1, connection_retries=1, backoff=0.2, backoff_max=2, retry_after_max=5)
TEST_TIMEOUT = 20.0


@dataclass(frozen=True)
class Field:
    """One credential: its key in the secrets table, a label for people, whether it is a
    secret (typed as a password, never shown again), required, a default and a hint."""

    key: str
    label: str
    secret: bool = False
    required: bool = True
    default: str = ""
    help: str = ""


@dataclass(frozen=True)
class Form:
    """One way to sign in to a CRM (Salesforce has two)."""

    label: str
    fields: tuple[Field, ...]


def _salesforce_forms() -> list[Form]:
    return [
        Form(
            "Instance address and access token",
            (
                Field("instance_url", "Instance address", help="For example https://yourcompany.my.salesforce.com"),
                Field(
                    "access_token",
                    "Access token",
                    help="An OAuth access token, or the one `sf org display` prints (it expires).",
                ),
            ),
        ),
        Form(
            "Username, password and security token",
            (
                Field("username", "Username", help="The integration user's login, e.g. integration@yourcompany.com"),
                Field("password", "Password"),
                Field("security_token", "Security token", help="Emailed by Salesforce when the password is reset."),
                Field(
                    "domain",
                    "Login domain",
                    required=False,
                    default="login",
                    help='"login" for production, "test" for a sandbox, or "yourcompany.my" for My Domain.',
                ),
            ),
        ),
    ]


def _hubspot_forms() -> list[Form]:
    return [
        Form(
            "Private app token",
            (
                Field("access_token", "Private app access token", help="Settings > Integrations > Private apps."),
                Field(
                    "base_url",
                    "API address",
                    required=False,
                    default="https://api.hubapi.com",
                    help="Leave as it is unless you go through a proxy.",
                ),
            ),
        )
    ]


FORMS = {"salesforce": _salesforce_forms, "hubspot": _hubspot_forms}


def credentials_model(name: str) -> type[BaseModel]:
    """The connector's credentials model (its fields are the keys of its secrets table)."""
    if name == "salesforce":
        from handoff.sources.salesforce import SalesforceCredentials

        return SalesforceCredentials
    if name == "hubspot":
        from handoff.sources.hubspot import HubSpotCredentials

        return HubSpotCredentials
    raise KeyError(name)


def _is_secret(model: type[BaseModel], key: str) -> bool:
    annotation = model.model_fields[key].annotation
    return annotation is SecretStr or SecretStr in get_args(annotation)


def forms(name: str) -> list[Form]:
    """The ways to sign in to the connector `name`; a field is secret when its credentials
    model keeps it in a SecretStr."""
    model = credentials_model(name)
    out = []
    for form in FORMS[name]():
        fields = tuple(
            Field(f.key, f.label, _is_secret(model, f.key), f.required, f.default, f.help) for f in form.fields
        )
        out.append(Form(form.label, fields))
    return out


def keys(name: str) -> list[str]:
    """Every credential key of the connector's secrets table."""
    return list(credentials_model(name).model_fields)


def _filled(values: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(v).strip() for k, v in values.items() if v is not None and str(v).strip() != ""}


def _credentials(name: str, values: Mapping[str, Any]) -> Any:
    connector = registry.get(name)
    creds = connector.credentials({name: _filled(values)}, environ={})
    if creds is None:
        raise SyncError(f"Fill in the {connector.label} fields first.")
    return creds


def check(name: str, values: Mapping[str, Any]) -> str:
    """Try the credentials with one cheap authenticated call; what worked, in words. Raises a
    SyncError saying what failed (never a typed value)."""
    creds = _credentials(name, values)
    try:
        return CHECKS[name](creds)
    except SyncError:
        raise
    except Exception as exc:  # the client's own failure: its kind only (a message may carry a URL)
        label = registry.get(name).label
        raise SyncError(f"{label} could not be reached ({type(exc).__name__}).") from None


def _check_salesforce(creds: Any) -> str:
    from handoff.sources.salesforce_client import Connection

    conn = Connection(creds, retry=TEST_RETRY, timeout=TEST_TIMEOUT)
    fields = conn.describe_fields("Lead")
    text = f"Connected to Salesforce: signed in, and the Lead object can be read ({len(fields)} fields)."
    usage = conn.usage
    if usage.used is not None and usage.total:
        text += f" {usage.used:,} of the org's {usage.total:,} daily API requests are used."
    return text


def _check_hubspot(creds: Any) -> str:
    from handoff.sources.hubspot_client import Client

    client = Client(creds, TEST_RETRY, timeout=TEST_TIMEOUT)
    client.call(client.owners_api.get_page, limit=1, archived="false")
    client.call(client.objects.get_page, "contacts", limit=1, properties=["hs_object_id"])
    text = "Connected to HubSpot: the token works and can read owners and contacts."
    if client.daily_remaining is not None:
        text += f" {client.daily_remaining:,} API requests are left in the portal's daily allowance."
    return text


CHECKS = {"salesforce": _check_salesforce, "hubspot": _check_hubspot}


# -- the secrets file ---------------------------------------------------------------------------
def _toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's; DEL must be escaped too)."""
    return json.dumps(value).replace("\x7f", "\\u007f")


def merged_text(text: str, name: str, values: Mapping[str, str], drop: list[str]) -> str:
    """The secrets file's text with the `[name]` table's credential keys (`drop`) replaced by
    `values`; every other line, comment and table kept as it was."""
    lines = text.splitlines()
    header = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]\s*(#.*)?$")
    any_header = re.compile(r"^\s*\[")
    assignment = re.compile(r"^\s*(" + "|".join(re.escape(k) for k in drop) + r")\s*=")
    new = [f"{k} = {_toml_string(v)}" for k, v in values.items()]
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join([*lines, *([""] if lines else []), f"[{name}]", *new]) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if any_header.match(lines[i])), len(lines))
    body = [line for line in lines[start + 1 : end] if not assignment.match(line)]
    last = max((i for i, line in enumerate(body) if line.strip()), default=-1)
    body = [*body[: last + 1], *new, *body[last + 1 :]]
    return "\n".join([*lines[: start + 1], *body, *lines[end:]]) + "\n"


def save(name: str, values: Mapping[str, Any], path: str | Path = SECRETS_FILE) -> Path:
    """Write the credentials to the secrets file's `[name]` table: other tables, keys and
    comments are kept, the table's other credential keys (another way to sign in) removed.
    Written beside the file and renamed into place, readable by its owner only (0600).
    Raises SyncError (naming no value) when the file cannot be updated safely."""
    values = _filled(values)
    _credentials(name, values)  # a set the connector accepts, or a SyncError naming the problem
    path = Path(path)
    drop = keys(name)
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        before = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise SyncError(f"{path} is not a readable TOML file; fix or remove it, then save again.") from None
    table = before.get(name, {})
    if not isinstance(table, dict):
        raise SyncError(f"{path}: {name} is not a table; edit the file by hand (see the docs).")
    expected = {**before, name: {**{k: v for k, v in table.items() if k not in drop}, **values}}
    result = merged_text(text, name, values, drop)
    try:
        ok = tomllib.loads(result) == expected
    except tomllib.TOMLDecodeError:
        ok = False
    if not ok:
        raise SyncError(
            f"The [{name}] table of {path} is written in a form this page cannot update safely "
            "(dotted keys or multi-line values); edit the file by hand."
        )
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".secrets-", suffix=".tmp")  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(result)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise SyncError(f"Could not write {path}: {exc.strerror or type(exc).__name__}.") from None
    return path
