"""The connector contract: what a CRM connector declares, and what it hands the runner.

A connector is a client plus a declared map of objects and fields (STYLE.md, "Connectors
as data"). It says:

- `name`, `label`, `docs` and its settings model (the `[name]` table of handoff.toml);
- how to read its credentials (`credentials(secrets, environ)`; secrets never leave a
  `SecretStr`, and no message ever shows one);
- the objects it pulls (`objects(settings)`: one `ObjectSpec` per CRM object, each
  written to one canonical table);
- how to read an object since a cursor (`Session.plan` and `Session.batches`) and how to
  list what was deleted (`Session.deletions`).

Everything every connector must get right lives once, in `handoff.sources.runner`: the
cursor with its lookback and id tie-break, the transaction that commits a page's rows with
its cursor, reconciliation on `--full`, rejects, the retry policy (`RetryPolicy`), the clean
stop at an API limit, progress callbacks and the summary.
"""

from __future__ import annotations

import os
import tomllib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from urllib3.util.retry import Retry

from handoff.schema import BY_NAME

Progress = Callable[[int, "int | None", str], None]


# -- errors -----------------------------------------------------------------------------------------
class SyncError(Exception):
    """A problem the user must see; the message never contains a secret."""


class MissingCredentials(SyncError):
    pass


class ApiLimitReached(SyncError):
    """The CRM's API allowance is used up (or nearly): the sync stopped, state kept (exit 3)."""


class Unavailable(SyncError):
    """The CRM could not be reached, or kept failing after the bounded retries."""


# -- what a connector declares ----------------------------------------------------------------------
@dataclass(frozen=True)
class ObjectSpec:
    """One CRM object read into one canonical table.

    Stored rows belong to the object when their id starts with `id_prefix` (Salesforce ids
    say their object) or when their `extra.crm_object` is `tag` (the runner sets it on every
    row it writes for the object). `keep_deleted` keeps rows the CRM deleted (owners: old
    owner ids must still resolve); `incremental` objects are read since a cursor, the others
    in full on every run.
    """

    name: str
    table: str
    fields: tuple[str, ...] = ()
    id_prefix: str | None = None
    tag: str | None = None
    keep_deleted: bool = False
    incremental: bool = True

    @property
    def key(self) -> str:
        return BY_NAME[self.table].key


@dataclass
class Plan:
    """What a session will read of one object in this run.

    `since`: records modified at or after it (None: every record, and then the runner
    reconciles); `total`: records expected (sizes the progress bar; None when unknown);
    `ordered`: pages arrive in modification order, so the cursor may move page by page
    (else only with the last page); `state`: the connector's own state for this object,
    saved in the same transaction as the object's last page.
    """

    since: datetime | None
    total: int | None = None
    ordered: bool = True
    state: dict[str, str] = field(default_factory=dict)
    label: str = ""


@dataclass
class Batch:
    """One page of an object, mapped: canonical rows of live records (plus extra columns,
    and `_modified`, the record's modification instant, which orders duplicates), the ids
    the CRM deleted or that are no longer about a lead, how many records were read, and the
    newest modification instant among them (the cursor this page justifies)."""

    rows: pd.DataFrame
    deleted: list[str] = field(default_factory=list)
    fetched: int = 0
    newest: datetime | None = None


class Context:
    """What the runner lends a session: the store to look things up in, notes for the
    summary, the connector's saved state and the moment the sync started."""

    def __init__(self, store, source: str, started: datetime, notes: list[str]):
        self.store = store
        self.source = source
        self.started = started
        self._notes = notes

    def note(self, text: str) -> None:
        if text not in self._notes:
            self._notes.append(text)

    def state(self, key: str) -> str | None:
        return self.store.get_meta(f"{self.source}:{key}")


class Session(ABC):
    """An open connection to one CRM for one sync."""

    @abstractmethod
    def plan(self, spec: ObjectSpec, since: datetime | None) -> Plan:
        """What to read of `spec`: records modified since `since` (already less the lookback;
        None: everything). A session may widen it to None (for instance when new fields
        were named)."""

    @abstractmethod
    def batches(self, spec: ObjectSpec, plan: Plan) -> Iterator[Batch]:
        """The object's pages, mapped, in the plan's order."""

    def deletions(self, spec: ObjectSpec, since: datetime | None) -> Iterable[list[str]]:
        """Ids the CRM deleted (archived), in groups; the default: they arrive in the pages."""
        return ()

    def follow_ups(self) -> Iterator[tuple[ObjectSpec, Batch]]:
        """Records other records point to that the store lacks, read after every object."""
        return iter(())

    def close(self) -> list[str]:
        """Ends the session; returns notes for the summary (API requests used, ...)."""
        return []


Count = Annotated[int, Field(strict=True)]
"""A whole-number setting: `true`, `1.5` or `"5"` are refused (give each its bounds too)."""
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
"""A number setting: finite; `true` or `"0.5"` are refused (give each its bounds too)."""
Seconds = Number


class ConnectorSettings(BaseModel):
    """Settings every connector has (the `[name]` table of handoff.toml). Unknown keys are
    refused by name (a misspelt setting never silently does nothing); numbers are `Count` or
    `Seconds` with bounds, so `true`, inf, nan and 1e300 are refused by name."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)
    section: ClassVar[str] = "connector"

    @classmethod
    def parse(cls, raw: ConnectorSettings | Mapping[str, Any] | None):
        """The validated settings; a SyncError naming each bad setting, never its value."""
        if isinstance(raw, cls):
            return raw
        try:
            return cls.model_validate(dict(raw or {}))
        except ValidationError as exc:
            problems = "; ".join(f"{_where(e)}: {_problem(e)}" for e in exc.errors())
        raise SyncError(f"handoff.toml [{cls.section}] is invalid: {problems}")

    def unknown(self) -> list[str]:
        return sorted(self.model_extra or {})

    def rows(self) -> list[tuple[str, str, str]]:
        """(setting, value, meaning) for people to read: the Data page's settings table."""
        out = []
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            out.append((name, _shown(value), info.description or ""))
        return out


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k} -> {v}" for k, v in value.items()) or "(none)"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "(none)"
    return str(value)


PLAIN_ERRORS = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a table",
    "extra_forbidden": "unknown setting",
    "finite_number": "must be a finite number",
    "missing": "is required",
}


def _where(err: Any) -> str:
    return ".".join(str(p) for p in err["loc"]) or "(top level)"


def _problem(err: Any) -> str:
    """The problem in words built from the validator's own text, never from the input."""
    return PLAIN_ERRORS.get(err["type"]) or err["msg"].removeprefix("Value error, ")


class Connector(ABC):
    """A CRM connector: its name, settings, credentials, objects, and a way to open a session."""

    name: ClassVar[str]
    label: ClassVar[str]
    docs: ClassVar[str]
    settings_model: ClassVar[type[ConnectorSettings]]
    secrets_example: ClassVar[str]  # a `.streamlit/secrets.toml` snippet for people
    environment_hint: ClassVar[str]  # the environment variables, in words
    one_tier_hint: ClassVar[str] = ""  # shown when every synced lead has the same tier

    def settings(self, raw: Mapping[str, Any] | ConnectorSettings | None) -> ConnectorSettings:
        return self.settings_model.parse(raw)

    @abstractmethod
    def credentials(self, secrets: Any = None, environ: Mapping[str, str] | None = None) -> Any:
        """Credentials from secrets.toml `[name]` (a path, the parsed file or the table), else
        the environment; None when nothing is configured; a SyncError naming the setting
        (never its value) when a set is incomplete or malformed."""

    @abstractmethod
    def objects(self, settings: ConnectorSettings) -> tuple[ObjectSpec, ...]:
        """The objects to read, in order (leads before what refers to them)."""

    @abstractmethod
    def open(self, credentials: Any, settings: Any, context: Context) -> Session:
        """An authenticated session; raises a SyncError (without secrets) when it cannot."""

    def missing_credentials(self) -> MissingCredentials:
        return MissingCredentials(
            f"No {self.label} credentials: set [{self.name}] in .streamlit/secrets.toml or "
            f"{self.environment_hint} in the environment; see {self.docs}."
        )


# -- the retry policy -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetryPolicy:
    """How every connector retries, in one place: 429 and 5xx answers up to `retries` times,
    dropped or refused connections up to `connection_retries` times, with exponential backoff
    (`backoff` x 2^n seconds, at most `backoff_max`), honouring a Retry-After header up to
    `retry_after_max` seconds. Every method is retried (CRM reads go through POST too: query
    jobs, searches, batch reads). `stop(response)` marks answers never to retry (a daily
    limit: waiting seconds cannot help)."""

    retries: int = 4
    connection_retries: int = 2
    backoff: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: int = 60
    statuses: tuple[int, ...] = (429, 500, 502, 503, 504)

    def urllib3(self, stop: Callable[[Any], bool] | None = None) -> Retry:
        return _Retry(
            total=self.retries + self.connection_retries,
            connect=self.connection_retries,
            read=self.connection_retries,
            status=self.retries,
            other=0,
            status_forcelist=self.statuses,
            allowed_methods=None,
            backoff_factor=self.backoff,
            backoff_max=self.backoff_max,
            respect_retry_after_header=True,
            retry_after_max=self.retry_after_max,
            raise_on_status=False,  # the last answer goes to the client, which raises
            stop=stop,
        )


class _Retry(Retry):
    """urllib3's Retry with a `stop` test on answers that must not be retried."""

    def __init__(self, *args, stop: Callable[[Any], bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stop = stop

    def new(self, **kw: Any) -> _Retry:
        kw.setdefault("stop", self.stop)
        return super().new(**kw)

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if response is not None and self.stop is not None and self.stop(response):
            from urllib3.exceptions import MaxRetryError

            raise MaxRetryError(_pool, url, None)
        return super().increment(method, url, response, error, _pool, _stacktrace)


# -- credentials ------------------------------------------------------------------------------------
def secrets_table(secrets: Mapping[str, Any] | str | Path | None, name: str) -> Mapping[str, Any]:
    """The `[name]` table of a secrets file (a path), a parsed file, or the table itself
    ({} when absent)."""
    table: Any = {}
    if isinstance(secrets, (str, Path)):
        path = Path(secrets)
        if path.exists():
            try:
                with path.open("rb") as fh:
                    parsed = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise SyncError(f"{path} is not valid TOML: {exc}") from None
            table = parsed.get(name, {}) or {}
    elif secrets is not None and hasattr(secrets, "get"):
        table = secrets.get(name, secrets)
    if not hasattr(table, "get"):
        raise SyncError(f"secrets.toml [{name}] must be a table of settings")
    return table


def text_values(table: Mapping[str, Any], keys: Iterable[str], source: str) -> dict[str, str]:
    """The settings among `keys` a table sets. Each must be text: a number or a list is
    refused by name (TOML reads an unquoted 123456789 as a number), never echoed."""
    values = {}
    for key in keys:
        value = table.get(key)
        if value is None or (isinstance(value, str) and value == ""):
            continue
        if not isinstance(value, str):
            raise SyncError(f"{source}: {key} must be text (in quotes)")
        values[key] = value
    return values


def env_values(environ: Mapping[str, str] | None, names: Mapping[str, str]) -> dict[str, str]:
    env = environ if environ is not None else os.environ
    return {k: env[name] for k, name in names.items() if env.get(name)}


def build_credentials(model: type[BaseModel], source: str, label: str, **values: str):
    """The credentials model; a problem is told by field name and kind, never by value."""
    try:
        return model(**values)
    except ValidationError as exc:
        problems = ", ".join(f"{'.'.join(map(str, e['loc']))} ({e['type']})" for e in exc.errors())
    raise SyncError(f"{source}: invalid {label} credentials: {problems}")


def lookahead(items: Iterable) -> Iterator[tuple[Any, bool]]:
    """(item, is_last) for each item."""
    it = iter(items)
    try:
        prev = next(it)
    except StopIteration:
        return
    for item in it:
        yield prev, False
        prev = item
    yield prev, True
