"""Salesforce connector: `handoff sync salesforce`, incremental and safe.

    creds = credentials_from(".streamlit/secrets.toml", os.environ)
    summary = sync(Store("handoff.duckdb"), {"mql_statuses": ["MQL"]}, creds, progress=cb)

Reads User, Lead (+ LeadHistory), Task, Event and Opportunity into the canonical tables
(the mapping is in `salesforce_mapping` and docs/salesforce.md). Each object is read by
SystemModstamp since its saved cursor minus a lookback, ordered by SystemModstamp, Id
(`>=`, so records sharing the cursor's instant are read again, never missed), through
queryAll so deleted records arrive with IsDeleted and are deleted here. Every page is
written in one transaction together with the cursor it justifies, so a killed sync
resumes where it stopped and a rerun equals a clean run. `full=True` re-reads every
record and deletes the ones Salesforce no longer has.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from handoff.sources import salesforce_mapping as m
from handoff.sources.salesforce_client import (
    ApiLimitReached,
    Connection,
    MissingCredentials,
    SalesforceUnavailable,
    SyncError,
)
from handoff.store import LoadSummary, Store

__all__ = [
    "SalesforceConfig",
    "SalesforceCredentials",
    "credentials_from",
    "sync",
    "SyncError",
    "ApiLimitReached",
    "MissingCredentials",
    "SalesforceUnavailable",
]

SOURCE = "salesforce"
DEFAULT_CODES = ["Qualified", "Wrong Persona", "Wrong Timing", "Bad Fit", "Unresponsive"]
Progress = Callable[[int, "int | None", str], None]


# -- configuration ------------------------------------------------------------------------------
class SalesforceConfig(BaseModel):
    """The `[salesforce]` table of handoff.toml (every key optional)."""

    model_config = ConfigDict(extra="allow")

    mql_field: str | None = None
    mql_statuses: list[str] = Field(default_factory=list)
    disposition_field: str = "Status"
    disposition_map: dict[str, str] = Field(default_factory=dict)
    disposition_codes: list[str] = Field(default_factory=lambda: list(DEFAULT_CODES))
    automated_field: str | None = None
    user_fields: dict[str, str] = Field(default_factory=dict)
    lead_fields: dict[str, str] = Field(default_factory=dict)
    task_fields: dict[str, str] = Field(default_factory=dict)
    event_fields: dict[str, str] = Field(default_factory=dict)
    opportunity_fields: dict[str, str] = Field(default_factory=dict)
    lookback_seconds: int = Field(300, ge=0)
    bulk_threshold: int = Field(5000, ge=0)
    api_limit_stop: float = Field(0.9, gt=0, le=1)
    retries: int = Field(4, ge=0, le=10)
    backoff_seconds: float = Field(0.5, ge=0)
    bulk_poll_seconds: float = Field(1.0, ge=0)
    api_version: str = "59.0"

    @field_validator("mql_statuses", mode="before")
    @classmethod
    def _one_or_many(cls, v):
        return [v] if isinstance(v, str) else v

    @classmethod
    def parse(cls, raw: "SalesforceConfig | Mapping[str, Any] | None") -> "SalesforceConfig":
        if isinstance(raw, SalesforceConfig):
            return raw
        try:
            return cls.model_validate(dict(raw or {}))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            raise SyncError(f"handoff.toml [salesforce] is invalid: {problems}") from None


# -- credentials ----------------------------------------------------------------------------------
class SalesforceCredentials(BaseModel):
    """Either instance_url + access_token, or username + password + security_token (+ domain).
    Secret values are SecretStr: they never show in a repr, a log or an error (and a
    validation error of this model leaves its input out)."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    instance_url: str | None = None
    access_token: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    security_token: SecretStr | None = None
    domain: str = "login"

    @property
    def kind(self) -> str:
        return "token" if self.access_token is not None else "password"


_ENV = {
    "instance_url": "SALESFORCE_INSTANCE_URL",
    "access_token": "SALESFORCE_ACCESS_TOKEN",
    "username": "SALESFORCE_USERNAME",
    "password": "SALESFORCE_PASSWORD",
    "security_token": "SALESFORCE_SECURITY_TOKEN",
    "domain": "SALESFORCE_DOMAIN",
}
SECRETS_SOURCE = "secrets.toml [salesforce]"


def credentials_from(
    secrets: Mapping[str, Any] | str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> SalesforceCredentials | None:
    """Credentials from `.streamlit/secrets.toml` `[salesforce]` (a path, the parsed file, or
    its `[salesforce]` table), else from the environment. None when nothing is configured;
    SyncError when a set is incomplete or a value is not text. No message ever shows a
    configured value: only setting names."""
    values = _text_values(_secrets_table(secrets), SECRETS_SOURCE)
    source = SECRETS_SOURCE
    if not (values.get("access_token") or values.get("username")):
        env = environ if environ is not None else os.environ
        values = {k: env.get(name) for k, name in _ENV.items() if env.get(name)}
        source = "environment"
    if not values.get("domain"):
        values.pop("domain", None)
    if values.get("access_token"):
        if not values.get("instance_url"):
            raise SyncError(
                f"Salesforce access token found in the {source} but no instance URL "
                "(instance_url / SALESFORCE_INSTANCE_URL)."
            )
        return _credentials(source, instance_url=values["instance_url"], access_token=values["access_token"])
    if values.get("username"):
        missing = [k for k in ("password", "security_token") if not values.get(k)]
        if missing:
            raise SyncError(
                f"Salesforce username found in the {source} but {' and '.join(missing)} missing."
            )
        return _credentials(
            source,
            username=values["username"],
            password=values["password"],
            security_token=values["security_token"],
            domain=values.get("domain", "login"),
        )
    return None


def _secrets_table(secrets: Mapping[str, Any] | str | Path | None) -> Mapping[str, Any]:
    """The `[salesforce]` table of a secrets file, parsed file or table ({} when absent)."""
    table: Any = {}
    if isinstance(secrets, (str, Path)):
        path = Path(secrets)
        if path.exists():
            try:
                with path.open("rb") as fh:
                    parsed = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise SyncError(f"{path} is not valid TOML: {exc}") from None
            table = parsed.get("salesforce", {}) or {}
    elif hasattr(secrets, "get"):
        table = secrets.get("salesforce", secrets)
    if not hasattr(table, "get"):
        raise SyncError(f"{SECRETS_SOURCE} must be a table of settings")
    return table


def _text_values(table: Mapping[str, Any], source: str) -> dict[str, str]:
    """The credential settings a table sets. Each must be text: a number or a list is
    refused by name (TOML reads an unquoted 123456789 as a number), never echoed."""
    values = {}
    for key in _ENV:
        value = table.get(key)
        if value is None or (isinstance(value, str) and value == ""):
            continue
        if not isinstance(value, str):
            raise SyncError(f"{source}: {key} must be text (in quotes)")
        values[key] = value
    return values


def _credentials(source: str, **values: str) -> SalesforceCredentials:
    """The credentials model; a problem is told by field name and kind, never by value."""
    try:
        return SalesforceCredentials(**values)
    except ValidationError as exc:
        problems = ", ".join(f"{'.'.join(map(str, e['loc']))} ({e['type']})" for e in exc.errors())
    raise SyncError(f"{source}: invalid Salesforce credentials: {problems}")


# -- objects ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ObjectSpec:
    name: str
    table: str
    key: str
    base_fields: tuple[str, ...]


USER = ObjectSpec("User", "reps", "rep_id", (
    "Id", "Name", "Email", "Department", "Title", "TimeZoneSidKey", "CountryCode", "Country",
    "IsActive", "SystemModstamp"))
LEAD = ObjectSpec("Lead", "leads", "lead_id", (
    "Id", "CreatedDate", "LastModifiedDate", "OwnerId", "LeadSource", "Company", "Title",
    "Country", "Status", "NumberOfEmployees", "ConvertedDate", "ConvertedContactId",
    "ConvertedOpportunityId", "IsDeleted", "SystemModstamp"))
TASK = ObjectSpec("Task", "activities", "activity_id", (
    "Id", "WhoId", "OwnerId", "TaskSubtype", "Type", "CallType", "CompletedDateTime",
    "CreatedDate", "CallDisposition", "Subject", "IsDeleted", "SystemModstamp"))
EVENT = ObjectSpec("Event", "meetings", "meeting_id", (
    "Id", "WhoId", "OwnerId", "CreatedDate", "StartDateTime", "IsDeleted", "SystemModstamp"))
OPPORTUNITY = ObjectSpec("Opportunity", "opportunities", "opportunity_id", (
    "Id", "CreatedDate", "Amount", "StageName", "IsClosed", "IsWon", "CloseDate", "IsDeleted",
    "SystemModstamp"))
OBJECTS = (USER, LEAD, TASK, EVENT, OPPORTUNITY)
REQUIRED = {
    "reps": ["rep_id"],
    "leads": ["lead_id", "created_at"],
    "activities": ["activity_id", "lead_id", "occurred_at"],
    "meetings": ["meeting_id", "lead_id", "booked_at"],
    "opportunities": ["opportunity_id", "created_at"],
}
HISTORY_CHUNK = 200  # lead ids per LeadHistory query (keeps the URL short)


def soql_datetime(ts: datetime) -> str:
    return ts.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def soql_quote(value: str) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def lookahead(items: Iterable) -> Iterator[tuple[Any, bool]]:
    it = iter(items)
    try:
        prev = next(it)
    except StopIteration:
        return
    for item in it:
        yield prev, False
        prev = item
    yield prev, True


@dataclass
class Plan:
    spec: ObjectSpec
    select: list[str]
    where: str
    total: int
    cursor: datetime | None
    bulk: bool


class _Run:
    def __init__(self, store: Store, cfg: SalesforceConfig, conn: Connection, full: bool,
                 progress: Progress | None, started: datetime, summary: LoadSummary, load_id: int):
        self.store, self.cfg, self.conn, self.full = store, cfg, conn, full
        self.progress_cb = progress
        self.started = started
        self.summary = summary
        self.load_id = load_id
        self.done = 0
        self.total: int | None = None
        self.disposition = m.disposition_mapper(cfg.disposition_codes, cfg.disposition_map)
        self.history_all: pd.DataFrame | None = None

    # -- helpers --------------------------------------------------------------------------
    def progress(self, message: str) -> None:
        if self.progress_cb is not None:
            self.progress_cb(self.done, self.total, message)

    def note(self, text: str) -> None:
        if text not in self.summary.notes:
            self.summary.notes.append(text)

    def count_deleted(self, table: str, ids: list[str]) -> None:
        n = self.store.delete(table, ids)
        if n:
            self.summary.count("deleted", table, n)

    def extra_fields(self, spec: ObjectSpec) -> dict[str, str]:
        return {
            "User": self.cfg.user_fields, "Lead": self.cfg.lead_fields, "Task": self.cfg.task_fields,
            "Event": self.cfg.event_fields, "Opportunity": self.cfg.opportunity_fields,
        }[spec.name]

    def wanted_fields(self, spec: ObjectSpec) -> list[str]:
        fields = list(spec.base_fields)
        if spec is LEAD:
            fields += [f for f in (self.cfg.mql_field, self.cfg.disposition_field) if f]
        if spec is TASK and self.cfg.automated_field:
            fields.append(self.cfg.automated_field)
        fields += list(self.extra_fields(spec).values())
        return list(dict.fromkeys(fields))

    # -- planning -------------------------------------------------------------------------
    def plan(self, spec: ObjectSpec) -> Plan:
        described = self.conn.describe_fields(spec.name)
        wanted = self.wanted_fields(spec)
        select = [f for f in wanted if f in described]
        configured = set(wanted) - set(spec.base_fields)
        for f in sorted(configured - set(select)):
            self.note(f"{spec.name}.{f} (named in handoff.toml) does not exist in this org; ignored.")
        if spec is LEAD and self.cfg.mql_field and self.cfg.mql_field not in described:
            self.note("The MQL field is missing, so no lead has an mql_at from it.")
        cursor = None if self.full else self.store.get_cursor(SOURCE, spec.name)
        previous = self.store.get_meta(f"{SOURCE}:fields:{spec.name}")
        if cursor is not None and previous is not None:
            added = set(select) - set(previous.split(","))
            if added:
                self.note(f"{spec.name}: new field(s) {', '.join(sorted(added))}; every record is read again.")
                cursor = None
        where = ""
        if cursor is not None:
            since = cursor - timedelta(seconds=self.cfg.lookback_seconds)
            where = f" WHERE SystemModstamp >= {soql_datetime(since)}"
        total = self.conn.count(f"FROM {spec.name}{where}")
        return Plan(spec, select, where, total, cursor, total > self.cfg.bulk_threshold)

    # -- execution ------------------------------------------------------------------------
    def execute(self) -> None:
        self.progress("Connecting to Salesforce")
        plans = []
        for spec in OBJECTS:
            self.progress(f"Counting {spec.name} records")
            plans.append(self.plan(spec))
        self.total = sum(p.total for p in plans)
        if not self.cfg.mql_field and not self.cfg.mql_statuses:
            self.note(
                "No salesforce.mql_field or salesforce.mql_statuses is set: every lead counts as "
                "handed off at its CreatedDate."
            )
        for plan in plans:
            self.sync_object(plan)
        self.sync_linked_opportunities()
        self.progress("Done")

    def pages(self, plan: Plan) -> Iterator[pd.DataFrame]:
        fields = ", ".join(plan.select)
        soql = f"SELECT {fields} FROM {plan.spec.name}{plan.where}"
        if plan.bulk:
            return self.conn.bulk_pages(plan.spec.name, soql, include_deleted=True)
        return self.conn.rest_pages(soql + " ORDER BY SystemModstamp, Id", include_deleted=True)

    def sync_object(self, plan: Plan) -> None:
        spec = plan.spec
        self.progress(f"Reading {spec.name} ({'Bulk API 2.0' if plan.bulk else 'REST'})")
        if spec is LEAD and plan.total > self.cfg.bulk_threshold:
            self.history_all = self.fetch_history(None)
        seen: set[str] = set()
        fetched = 0
        newest: datetime | None = None
        finished = False
        for page, last in lookahead(self.pages(plan)):
            fetched += len(page)
            stamps = m.to_ts(page["SystemModstamp"]) if "SystemModstamp" in page else pd.Series(dtype="datetime64[us, UTC]")
            if len(page):
                order = pd.DataFrame({"s": stamps.array, "i": page["Id"].astype(str).values})
                page = page.iloc[order.sort_values(["s", "i"], kind="stable").index].reset_index(drop=True)
                page_max = stamps.max()
                if pd.notna(page_max):
                    newest = page_max.to_pydatetime() if newest is None else max(newest, page_max.to_pydatetime())
            history = self.history_for(page) if spec is LEAD else None
            with self.store.transaction():
                seen |= self.write_page(spec, page, history)
                if last:
                    self.finish_object(plan, newest, seen, fetched)
                    finished = True
                elif not plan.bulk and newest is not None:
                    # REST pages arrive ordered by SystemModstamp: everything up to this
                    # page's newest stamp is written, so the cursor may move with it.
                    self.store.set_cursor(SOURCE, spec.name, min(newest, self.started))
            self.done += len(page)
            self.progress(f"{spec.name}: {fetched:,} of {plan.total:,} read")
        if not finished:
            with self.store.transaction():
                self.finish_object(plan, newest, seen, fetched)

    def finish_object(self, plan: Plan, newest: datetime | None, seen: set[str], fetched: int) -> None:
        spec = plan.spec
        if newest is not None:
            self.store.set_cursor(SOURCE, spec.name, min(newest, self.started))
        self.store.set_meta(f"{SOURCE}:fields:{spec.name}", ",".join(plan.select))
        if plan.where == "":
            if fetched != plan.total:
                self.note(f"{spec.name}: {fetched:,} records read, Salesforce counted {plan.total:,}.")
            self.reconcile(spec, seen)

    def reconcile(self, spec: ObjectSpec, seen: set[str]) -> None:
        """After reading every record of an object: delete stored ones Salesforce no longer has."""
        prefix = m.ID_PREFIX[spec.name]
        table, key = spec.table, spec.key
        stored = [
            r[0] for r in self.store.con.execute(
                f'SELECT "{key}" FROM {table} WHERE "{key}" LIKE ?', [prefix + "%"]
            ).fetchall()
        ]
        gone = [i for i in stored if i not in seen]
        if gone and spec is not USER:
            self.count_deleted(table, gone)

    def write_page(self, spec: ObjectSpec, page: pd.DataFrame, history: pd.DataFrame | None) -> set[str]:
        if page.empty:
            return set()
        deleted = m.is_deleted(page)
        dead = page.loc[deleted, "Id"].astype(str).tolist()
        live = page[~deleted].reset_index(drop=True)
        if dead and spec is not USER:
            self.count_deleted(spec.table, dead)
        extra = self.extra_fields(spec)
        if spec is USER:
            rows = m.map_users(live, extra)
        elif spec is LEAD:
            rows = m.map_leads(
                live, history if history is not None else pd.DataFrame(),
                mql_field=self.cfg.mql_field, mql_statuses=self.cfg.mql_statuses,
                disposition_field=self.cfg.disposition_field, disposition=self.disposition,
                fields=extra,
            )
        elif spec is TASK:
            rows = m.map_tasks(live, self.contact_map(), self.cfg.automated_field, extra)
        elif spec is EVENT:
            rows = m.map_events(live, self.contact_map(), self.started, extra)
        else:
            rows = m.map_opportunities(live, self.opportunity_map(), extra)
        if spec in (TASK, EVENT, OPPORTUNITY):
            # Not about a lead (or a contact made from one): not ours; drop any stored copy.
            unrelated = rows["lead_id"].isna()
            gone = rows.loc[unrelated, spec.key].tolist()
            if gone:
                self.count_deleted(spec.table, gone)
            rows = rows[~unrelated]
        good, rejects = m.split_rejects(rows, spec.table, REQUIRED[spec.table], spec.key, f"salesforce:{spec.name}")
        if not rejects.empty:
            self.store.add_rejects(self.load_id, rejects)
            self.summary.count("rejected", spec.table, len(rejects))
        if not good.empty:
            result = self.store.upsert(spec.table, good.reset_index(drop=True))
            if result.added:
                self.summary.count("added", spec.table, result.added)
            if result.changed:
                self.summary.count("changed", spec.table, result.changed)
        return set(good[spec.key].astype(str))

    # -- lead history ---------------------------------------------------------------------
    def history_fields(self) -> list[str]:
        fields = [self.cfg.disposition_field]
        if self.cfg.mql_statuses and not self.cfg.mql_field:
            fields.append("Status")
        return list(dict.fromkeys(fields))

    def fetch_history(self, lead_ids: list[str] | None) -> pd.DataFrame:
        fields = ", ".join(soql_quote(f) for f in self.history_fields())
        base = f"SELECT LeadId, Field, NewValue, CreatedDate FROM LeadHistory WHERE Field IN ({fields})"
        frames = []
        try:
            if lead_ids is None:
                frames.extend(self.conn.rest_pages(base, include_deleted=False))
            else:
                for i in range(0, len(lead_ids), HISTORY_CHUNK):
                    chunk = ", ".join(soql_quote(x) for x in lead_ids[i : i + HISTORY_CHUNK])
                    frames.extend(self.conn.rest_pages(f"{base} AND LeadId IN ({chunk})", include_deleted=False))
        except ApiLimitReached:
            raise
        except SalesforceUnavailable:
            raise
        except SyncError:
            self.note("LeadHistory could not be read: disposition_at falls back to LastModifiedDate.")
            return pd.DataFrame(columns=["LeadId", "Field", "NewValue", "CreatedDate"])
        frames = [f for f in frames if not f.empty]
        if not frames:
            return pd.DataFrame(columns=["LeadId", "Field", "NewValue", "CreatedDate"])
        return pd.concat(frames, ignore_index=True)

    def history_for(self, page: pd.DataFrame) -> pd.DataFrame:
        if page.empty:
            return pd.DataFrame(columns=["LeadId", "Field", "NewValue", "CreatedDate"])
        if self.history_all is not None:
            ids = set(page["Id"].astype(str))
            return self.history_all[self.history_all["LeadId"].astype(str).isin(ids)]
        live = page.loc[~m.is_deleted(page), "Id"].astype(str).tolist()
        return self.fetch_history(live) if live else pd.DataFrame(columns=["LeadId", "Field", "NewValue", "CreatedDate"])

    # -- links between objects -------------------------------------------------------------
    def _lead_links(self, key: str) -> dict[str, str]:
        rows = self.store.con.execute(
            f"SELECT json_extract_string(extra, '$.{key}') AS linked, lead_id FROM leads "
            f"WHERE json_extract_string(extra, '$.{key}') IS NOT NULL"
        ).fetchall()
        links = {}
        for linked, lead in rows:
            links[linked] = lead
            links[linked[:15]] = lead
        return links

    def contact_map(self) -> dict[str, str]:
        if not hasattr(self, "_contacts"):
            self._contacts = self._lead_links("converted_contact_id")
        return self._contacts

    def opportunity_map(self) -> dict[str, str]:
        if not hasattr(self, "_opps"):
            self._opps = self._lead_links("converted_opportunity_id")
        return self._opps

    def sync_linked_opportunities(self) -> None:
        """Opportunities a lead converted into that the store lacks (for instance because the
        lead converted after its opportunity was last read)."""
        rows = self.store.con.execute(
            "SELECT DISTINCT json_extract_string(l.extra, '$.converted_opportunity_id') AS o FROM leads l "
            "WHERE o IS NOT NULL AND o NOT IN (SELECT opportunity_id FROM opportunities)"
        ).fetchall()
        missing = [r[0] for r in rows]
        if not missing:
            return
        fields = self.store.get_meta(f"{SOURCE}:fields:Opportunity") or ",".join(OPPORTUNITY.base_fields)
        for i in range(0, len(missing), HISTORY_CHUNK):
            chunk = ", ".join(soql_quote(x) for x in missing[i : i + HISTORY_CHUNK])
            soql = f"SELECT {fields} FROM Opportunity WHERE Id IN ({chunk})"
            for page in self.conn.rest_pages(soql, include_deleted=False):
                with self.store.transaction():
                    self.write_page(OPPORTUNITY, page, None)


# -- entry point ----------------------------------------------------------------------------------
def sync(
    store: Store,
    config: SalesforceConfig | Mapping[str, Any] | None,
    credentials: SalesforceCredentials | None,
    full: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> LoadSummary:
    """Pull the org into `store`. Returns what was added, changed, deleted and rejected.

    Raises a SyncError (ApiLimitReached, SalesforceUnavailable, MissingCredentials, ...)
    with a message fit for the user; work committed before the error is kept, and so is
    the cursor that covers it.
    """
    cfg = SalesforceConfig.parse(config)
    if credentials is None:
        raise MissingCredentials(
            "No Salesforce credentials: set [salesforce] instance_url + access_token (or username, "
            "password, security_token) in .streamlit/secrets.toml, or SALESFORCE_INSTANCE_URL + "
            "SALESFORCE_ACCESS_TOKEN in the environment."
        )
    started = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    summary = LoadSummary()
    unknown = sorted(set(cfg.model_extra or {}))
    if unknown:
        summary.notes.append(f"Unknown [salesforce] setting(s) ignored: {', '.join(unknown)}.")
    load_id = store.begin_load("sync", SOURCE)
    status = "failed"
    try:
        conn = Connection(
            credentials,
            limit_stop=cfg.api_limit_stop,
            retries=cfg.retries,
            backoff=cfg.backoff_seconds,
            bulk_wait=cfg.bulk_poll_seconds,
            api_version=cfg.api_version,
        )
        run = _Run(store, cfg, conn, full, progress, started, summary, load_id)
        try:
            run.execute()
        finally:
            usage = conn.usage
            if usage.total:
                summary.notes.append(
                    f"{conn.requests} Salesforce API request(s); org usage {usage.used:,} of {usage.total:,} today."
                )
        status = "ok"
    except ApiLimitReached:
        status = "stopped"
        raise
    finally:
        try:
            store.finish_load(load_id, status, summary)
        except Exception:  # the store may be mid-failure; the original error matters more
            pass
    return summary
