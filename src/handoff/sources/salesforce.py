"""Salesforce connector: `handoff sync salesforce`, on the connector contract.

    creds = CONNECTOR.credentials(".streamlit/secrets.toml", os.environ)
    summary = sync(Store("handoff.duckdb"), {"mql_statuses": ["MQL"]}, creds, progress=cb)

Reads User, Lead (+ LeadHistory), Task, Event and Opportunity into the canonical tables, and
the Lead Owner field history (LeadHistory rows of Field Owner) into owner_changes (the field
maps are in `salesforce_mapping`, the mapping in words in docs/salesforce.md). Each object is
read by SystemModstamp (history rows: CreatedDate) since its cursor, ordered by it and Id,
through queryAll so deleted records arrive with IsDeleted; above `bulk_threshold` records
through Bulk API 2.0. The cursor, transactions, deletes, reconciliation, rejects and the
summary are the runner's (`handoff.sources.runner`). Each sync also records the org's address
(meta `salesforce_instance_url`) so record links can be built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from handoff.policy import DEFAULT_CODES
from handoff.sources import salesforce_mapping as m
from handoff.sources.connector import (
    ApiLimitReached,
    Batch,
    Connector,
    ConnectorSettings,
    Context,
    Count,
    MissingCredentials,
    Number,
    ObjectSpec,
    Plan,
    Progress,
    RetryPolicy,
    Seconds,
    Session,
    SyncError,
    build_credentials,
    env_values,
    secrets_table,
    text_values,
)
from handoff.sources.convert import disposition_mapper, to_bool, to_ts
from handoff.sources.runner import run
from handoff.sources.salesforce_client import Connection, SalesforceUnavailable
from handoff.store import LoadSummary, Store

__all__ = [
    "CONNECTOR",
    "SalesforceConfig",
    "SalesforceCredentials",
    "credentials_from",
    "sync",
    "SyncError",
    "ApiLimitReached",
    "MissingCredentials",
    "SalesforceUnavailable",
    "DEFAULT_CODES",
    "instance_url",
]

SOURCE = "salesforce"
INSTANCE_URL_KEY = "salesforce_instance_url"
"""Store meta: the org's address, `https://host[:port]`, for links to its records."""
SALESFORCE_DOMAINS = (".salesforce.com", ".force.com", ".salesforce.mil", ".cloudforce.com")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
LOCAL_ORGS = False
"""Whether a loopback address counts as an org's address: only the tests' local fake org."""
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")


def instance_url(url: str, allow_local: bool | None = None) -> str:
    """The org's address as record links start (`https://host[:port]`), from the URL the client
    used. Only https and a Salesforce host (ending in .salesforce.com, .force.com,
    .salesforce.mil or .cloudforce.com; a loopback host only for the local test org) pass:
    anything else is a ValueError whose message never repeats the URL."""
    local = LOCAL_ORGS if allow_local is None else allow_local
    wanted = (
        "a Salesforce instance URL must be https:// and a host ending in "
        + ", ".join(SALESFORCE_DOMAINS[:-1])
        + f" or {SALESFORCE_DOMAINS[-1]}"
    )
    try:
        parts = urlsplit(str(url).strip())
        port = parts.port
    except ValueError:
        raise ValueError(f"The instance URL is not a URL: {wanted}.") from None
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() != "https":
        raise ValueError(f"The instance URL does not use https: {wanted}.")
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise ValueError(f"The instance URL carries more than an address: {wanted}.")
    if parts.path not in ("", "/"):
        raise ValueError(f"The instance URL has a path: {wanted}.")
    loopback = host in LOOPBACK
    if not (loopback and local) and (_HOST.fullmatch(host) is None or not host.endswith(SALESFORCE_DOMAINS)):
        raise ValueError(f"The instance URL's host is not a Salesforce host: {wanted}.")
    shown = f"[{host}]" if ":" in host else host
    return f"https://{shown}" + (f":{port}" if port is not None else "")


# -- configuration ------------------------------------------------------------------------------
class SalesforceConfig(ConnectorSettings):
    """The `[salesforce]` table of handoff.toml (every key optional)."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)
    section = "salesforce"

    mql_field: str | None = Field(None, description="a date/datetime Lead field holding the MQL moment")
    mql_statuses: list[str] = Field(default_factory=list, description="Status values meaning MQL (from LeadHistory)")
    disposition_field: str = Field("Status", description="the Lead field holding the disposition")
    disposition_map: dict[str, str] = Field(default_factory=dict, description="CRM value -> disposition code")
    disposition_codes: list[str] = Field(default_factory=lambda: list(DEFAULT_CODES), description="the policy's codes")
    automated_field: str | None = Field(None, description="a Task checkbox marking automated touches")
    user_fields: dict[str, str] = Field(default_factory=dict, description="column -> User field")
    lead_fields: dict[str, str] = Field(default_factory=dict, description="column -> Lead field")
    task_fields: dict[str, str] = Field(default_factory=dict, description="column -> Task field")
    event_fields: dict[str, str] = Field(default_factory=dict, description="column -> Event field")
    opportunity_fields: dict[str, str] = Field(default_factory=dict, description="column -> Opportunity field")
    lookback_seconds: Count = Field(
        300, ge=0, le=7 * 86400, description="each incremental read starts this long before the cursor"
    )
    bulk_threshold: Count = Field(
        5000, ge=0, le=100_000_000, description="above this many changed records: Bulk API 2.0"
    )
    api_limit_stop: Number = Field(0.9, gt=0, le=1, description="stop at this share of the daily API allowance")
    retries: Count = Field(4, ge=0, le=10, description="retries of 429 / 5xx answers")
    backoff_seconds: Seconds = Field(0.5, ge=0, le=60, description="backoff factor between retries")
    bulk_poll_seconds: Seconds = Field(1.0, ge=0, le=60, description="first wait before polling a Bulk job")
    api_version: str = Field("59.0", description="REST API version")

    @field_validator("mql_statuses", mode="before")
    @classmethod
    def _one_or_many(cls, v):
        return [v] if isinstance(v, str) else v

    def extra_fields(self, obj: str) -> dict[str, str]:
        return {
            "User": self.user_fields,
            "Lead": self.lead_fields,
            "Task": self.task_fields,
            "Event": self.event_fields,
            "Opportunity": self.opportunity_fields,
        }.get(obj, {})


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


def credentials_from(secrets: Any = None, environ: Mapping[str, str] | None = None) -> SalesforceCredentials | None:
    """Credentials from `.streamlit/secrets.toml` `[salesforce]` (a path, the parsed file, or
    its `[salesforce]` table), else from the environment. None when nothing is configured;
    SyncError when a set is incomplete or a value is not text. No message ever shows a
    configured value: only setting names."""
    values = text_values(secrets_table(secrets, SOURCE), _ENV, SECRETS_SOURCE)
    source = SECRETS_SOURCE
    if not (values.get("access_token") or values.get("username")):
        values, source = env_values(environ, _ENV), "environment"
    if not values.get("domain"):
        values.pop("domain", None)
    if values.get("access_token"):
        if not values.get("instance_url"):
            raise SyncError(
                f"Salesforce access token found in the {source} but no instance URL "
                "(instance_url / SALESFORCE_INSTANCE_URL)."
            )
        return build_credentials(
            SalesforceCredentials,
            source,
            "Salesforce",
            instance_url=values["instance_url"],
            access_token=values["access_token"],
        )
    if values.get("username"):
        missing = [k for k in ("password", "security_token") if not values.get(k)]
        if missing:
            raise SyncError(f"Salesforce username found in the {source} but {' and '.join(missing)} missing.")
        return build_credentials(
            SalesforceCredentials,
            source,
            "Salesforce",
            username=values["username"],
            password=values["password"],
            security_token=values["security_token"],
            domain=values.get("domain", "login"),
        )
    return None


# -- objects ------------------------------------------------------------------------------------
def _spec(name: str, fields: tuple[str, ...], **kw) -> ObjectSpec:
    return ObjectSpec(name, m.MAPS[name][0], fields, id_prefix=m.ID_PREFIX[name], **kw)


USER = _spec(
    "User",
    (
        "Id",
        "Name",
        "Email",
        "Department",
        "Title",
        "TimeZoneSidKey",
        "CountryCode",
        "Country",
        "IsActive",
        "SystemModstamp",
    ),
    keep_deleted=True,
)
LEAD = _spec(
    "Lead",
    (
        "Id",
        "CreatedDate",
        "LastModifiedDate",
        "OwnerId",
        "LeadSource",
        "Company",
        "Title",
        "Country",
        "Status",
        "NumberOfEmployees",
        "ConvertedDate",
        "ConvertedContactId",
        "ConvertedOpportunityId",
        "IsDeleted",
        "SystemModstamp",
    ),
)
LEAD_HISTORY = _spec("LeadHistory", ("Id", "LeadId", "Field", "OldValue", "NewValue", "CreatedDate", "IsDeleted"))
"""The Lead Owner field history (Field Owner), into owner_changes."""
TASK = _spec(
    "Task",
    (
        "Id",
        "WhoId",
        "OwnerId",
        "TaskSubtype",
        "Type",
        "CallType",
        "CompletedDateTime",
        "CreatedDate",
        "CallDisposition",
        "Subject",
        "IsDeleted",
        "SystemModstamp",
    ),
)
EVENT = _spec("Event", ("Id", "WhoId", "OwnerId", "CreatedDate", "StartDateTime", "IsDeleted", "SystemModstamp"))
OPPORTUNITY = _spec(
    "Opportunity",
    ("Id", "CreatedDate", "Amount", "StageName", "IsClosed", "IsWon", "CloseDate", "IsDeleted", "SystemModstamp"),
)
OBJECTS = (USER, LEAD, LEAD_HISTORY, TASK, EVENT, OPPORTUNITY)
HISTORY_CHUNK = 200  # lead ids per LeadHistory query (keeps the URL short)
NO_HISTORY = pd.DataFrame(columns=m.HISTORY_COLUMNS)
OWNER_TRACKED = (
    "SELECT IsFieldHistoryTracked FROM FieldDefinition "
    "WHERE EntityDefinitionId = 'Lead' AND QualifiedApiName = 'OwnerId'"
)


def cursor_field(spec: ObjectSpec) -> str:
    return m.CURSOR_FIELD.get(spec.name, "SystemModstamp")


def soql_datetime(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def soql_quote(value: str) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


class SalesforceSession(Session):
    def __init__(self, conn: Connection, cfg: SalesforceConfig, ctx: Context):
        self.conn, self.cfg, self.ctx = conn, cfg, ctx
        self.disposition = disposition_mapper(cfg.disposition_codes, cfg.disposition_map)
        self.history_all: pd.DataFrame | None = None
        self.selects: dict[str, list[str]] = {}
        self.wheres: dict[str, str] = {}
        self._links: dict[str, dict[str, str]] = {}
        self.unreadable: set[str] = set()
        self.owner_tracked: bool | None = None
        self.record_links()
        if not cfg.mql_field and not cfg.mql_statuses:
            ctx.note(
                "No salesforce.mql_field or salesforce.mql_statuses is set: every lead counts as "
                "handed off at its CreatedDate."
            )

    def record_links(self) -> None:
        """Stores the org's address for links to its records (a note when it is not one)."""
        try:
            url = instance_url(self.conn.instance_url)
        except ValueError as exc:
            self.ctx.note(f"{exc} Links to Salesforce records are not stored.")
            return
        self.ctx.store.set_meta(INSTANCE_URL_KEY, url)

    # -- planning -------------------------------------------------------------------------
    def wanted_fields(self, spec: ObjectSpec) -> list[str]:
        fields = list(spec.fields)
        if spec is LEAD:
            fields += [f for f in (self.cfg.mql_field, self.cfg.disposition_field) if f]
        if spec is TASK and self.cfg.automated_field:
            fields.append(self.cfg.automated_field)
        fields += list(self.cfg.extra_fields(spec.name).values())
        return list(dict.fromkeys(fields))

    def plan(self, spec: ObjectSpec, since: datetime | None) -> Plan:
        if spec is LEAD_HISTORY:
            try:
                described = self.conn.describe_fields(spec.name)
            except (ApiLimitReached, SalesforceUnavailable):
                raise
            except SyncError:
                self.unreadable.add(spec.name)
                self.ctx.note(
                    "LeadHistory could not be read: owner_changes is not updated (the integration "
                    "user needs read access to Lead and its history; see docs/salesforce.md)."
                )
                # Nothing read: no cursor moves, and nothing stored is reconciled away.
                return Plan(self.ctx.started, 0, label="not readable")
            self.check_owner_tracking()
        else:
            described = self.conn.describe_fields(spec.name)
        wanted = self.wanted_fields(spec)
        select = [f for f in wanted if f in described]
        for f in sorted(set(wanted) - set(spec.fields) - set(select)):
            self.ctx.note(f"{spec.name}.{f} (named in handoff.toml) does not exist in this org; ignored.")
        if spec is LEAD and self.cfg.mql_field and self.cfg.mql_field not in described:
            self.ctx.note("The MQL field is missing, so no lead has an mql_at from it.")
        previous = self.ctx.state(f"fields:{spec.name}")
        if since is not None and previous is not None:
            added = set(select) - set(previous.split(","))
            if added:
                self.ctx.note(f"{spec.name}: new field(s) {', '.join(sorted(added))}; every record is read again.")
                since = None
        conditions = [m.BASE_FILTER[spec.name]] if spec.name in m.BASE_FILTER else []
        if since is not None:
            conditions.append(f"{cursor_field(spec)} >= {soql_datetime(since)}")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        total = self.conn.count(f"FROM {spec.name}{where}")
        bulk = total > self.cfg.bulk_threshold
        self.selects[spec.name], self.wheres[spec.name] = select, where
        return Plan(
            since,
            total,
            ordered=not bulk,
            state={f"fields:{spec.name}": ",".join(select)},
            label="Bulk API 2.0" if bulk else "REST",
        )

    def check_owner_tracking(self) -> None:
        """Notes when the org does not track Lead Owner history (FieldDefinition says so; when
        it cannot be asked, the read alone tells)."""
        try:
            frames = [f for f in self.conn.rest_pages(OWNER_TRACKED, include_deleted=False) if not f.empty]
        except (ApiLimitReached, SalesforceUnavailable):
            raise
        except SyncError:
            return
        if frames:
            tracked = to_bool(frames[0]["IsFieldHistoryTracked"]).iloc[0]
            self.owner_tracked = None if pd.isna(tracked) else bool(tracked)
        if self.owner_tracked is False:
            self.ctx.note(
                "Lead Owner field history is not tracked in this org, so no owner changes are read and "
                "owner_changes stays as it was: turn on history tracking for Lead Owner (see docs/salesforce.md)."
            )

    def deletions(self, spec: ObjectSpec, since: datetime | None) -> Iterable[list[str]]:
        """The stored owner changes of leads that are gone (deleted with their lead: history rows
        keep their CreatedDate, so an incremental read never sees them deleted)."""
        if spec is not LEAD_HISTORY:
            return ()
        rows = self.ctx.store.con.execute(
            "SELECT change_id FROM owner_changes WHERE change_id LIKE ? AND lead_id NOT IN (SELECT lead_id FROM leads)",
            [(spec.id_prefix or "") + "%"],
        ).fetchall()
        return [[r[0] for r in rows]] if rows else []

    # -- reading --------------------------------------------------------------------------
    def pages(self, spec: ObjectSpec, bulk: bool) -> Iterator[pd.DataFrame]:
        soql = f"SELECT {', '.join(self.selects[spec.name])} FROM {spec.name}{self.wheres[spec.name]}"
        if bulk:
            return self.conn.bulk_pages(spec.name, soql, include_deleted=True)
        return self.conn.rest_pages(soql + f" ORDER BY {cursor_field(spec)}, Id", include_deleted=True)

    def batches(self, spec: ObjectSpec, plan: Plan) -> Iterator[Batch]:
        if spec.name in self.unreadable:
            return
        if spec is LEAD and not plan.ordered:
            self.history_all = self.fetch_history(None)
        kept = 0
        for page in self.pages(spec, bulk=not plan.ordered):
            batch = self.batch(spec, page)
            kept += len(batch.rows)
            yield batch
        if spec is LEAD_HISTORY and plan.since is None and not kept and self.owner_tracked is None:
            self.ctx.note(
                "LeadHistory holds no Lead Owner changes: if owners do change in this org, turn on "
                "history tracking for Lead Owner (see docs/salesforce.md)."
            )

    def batch(self, spec: ObjectSpec, page: pd.DataFrame) -> Batch:
        if page.empty:
            return Batch(pd.DataFrame())
        stamp_field = cursor_field(spec)
        stamps = to_ts(page[stamp_field]) if stamp_field in page else pd.Series(pd.NaT, index=page.index)
        newest = stamps.max()
        deleted = m.is_deleted(page)
        keep = ~deleted
        if spec is LEAD_HISTORY:
            keep &= m.owner_id_rows(page)  # the row of ids, not the row of names
        live = page[keep].reset_index(drop=True)
        history = self.history_for(live) if spec is LEAD else NO_HISTORY
        rows = m.rows(spec.name, live, self.context(spec, history), self.cfg.extra_fields(spec.name))
        rows["_modified"] = stamps[keep].array
        gone = page.loc[deleted, "Id"].astype(str).tolist()
        if spec in (TASK, EVENT, OPPORTUNITY):
            # Not about a lead (or a contact made from one): not ours; drop any stored copy.
            unrelated = rows["lead_id"].isna()
            gone += rows.loc[unrelated, spec.key].tolist()
            rows = rows[~unrelated]
        return Batch(rows, gone, len(page), None if pd.isna(newest) else newest.to_pydatetime())

    def context(self, spec: ObjectSpec, history: pd.DataFrame) -> m.Context:
        """The mapping context; lead links are read from the store once the leads are written
        (the first task or event page, the first opportunity page)."""
        return m.Context(
            mql_field=self.cfg.mql_field,
            mql_statuses=self.cfg.mql_statuses,
            disposition_field=self.cfg.disposition_field,
            disposition=self.disposition,
            automated_field=self.cfg.automated_field,
            history=history,
            contacts=self.links("converted_contact_id") if spec in (TASK, EVENT) else {},
            opportunities=self.links("converted_opportunity_id") if spec is OPPORTUNITY else {},
            now=self.ctx.started,
        )

    # -- lead history ---------------------------------------------------------------------
    def history_fields(self) -> list[str]:
        fields = [self.cfg.disposition_field]
        if self.cfg.mql_statuses and not self.cfg.mql_field:
            fields.append("Status")
        return list(dict.fromkeys(fields))

    def fetch_history(self, lead_ids: list[str] | None) -> pd.DataFrame:
        fields = ", ".join(soql_quote(f) for f in self.history_fields())
        base = f"SELECT LeadId, Field, NewValue, CreatedDate FROM LeadHistory WHERE Field IN ({fields})"
        frames: list[pd.DataFrame] = []
        try:
            if lead_ids is None:
                frames.extend(self.conn.rest_pages(base, include_deleted=False))
            else:
                for i in range(0, len(lead_ids), HISTORY_CHUNK):
                    chunk = ", ".join(soql_quote(x) for x in lead_ids[i : i + HISTORY_CHUNK])
                    frames.extend(self.conn.rest_pages(f"{base} AND LeadId IN ({chunk})", include_deleted=False))
        except (ApiLimitReached, SalesforceUnavailable):
            raise
        except SyncError:
            self.ctx.note("LeadHistory could not be read: disposition_at falls back to LastModifiedDate.")
            return NO_HISTORY
        frames = [f for f in frames if not f.empty]
        return pd.concat(frames, ignore_index=True) if frames else NO_HISTORY

    def history_for(self, live: pd.DataFrame) -> pd.DataFrame:
        if live.empty:
            return NO_HISTORY
        if self.history_all is not None:
            ids = set(live["Id"].astype(str))
            return self.history_all[self.history_all["LeadId"].astype(str).isin(ids)]
        return self.fetch_history(live["Id"].astype(str).tolist())

    # -- links between objects ------------------------------------------------------------
    def links(self, key: str) -> dict[str, str]:
        """converted contact / opportunity id (18 and 15 characters) -> lead id, from the store."""
        if key not in self._links:
            rows = self.ctx.store.con.execute(
                f"SELECT json_extract_string(extra, '$.{key}') AS linked, lead_id FROM leads "
                f"WHERE json_extract_string(extra, '$.{key}') IS NOT NULL"
            ).fetchall()
            links = {}
            for linked, lead in rows:
                links[linked] = lead
                links[linked[:15]] = lead
            self._links[key] = links
        return self._links[key]

    def follow_ups(self) -> Iterator[tuple[ObjectSpec, Batch]]:
        """Opportunities a lead converted into that the store lacks (for instance because the
        lead converted after its opportunity was last read)."""
        rows = self.ctx.store.con.execute(
            "SELECT DISTINCT json_extract_string(l.extra, '$.converted_opportunity_id') AS o FROM leads l "
            "WHERE o IS NOT NULL AND o NOT IN (SELECT opportunity_id FROM opportunities)"
        ).fetchall()
        missing = [r[0] for r in rows]
        if not missing:
            return
        fields = self.ctx.state("fields:Opportunity") or ",".join(OPPORTUNITY.fields)
        self._links.pop("converted_opportunity_id", None)
        for i in range(0, len(missing), HISTORY_CHUNK):
            chunk = ", ".join(soql_quote(x) for x in missing[i : i + HISTORY_CHUNK])
            soql = f"SELECT {fields} FROM Opportunity WHERE Id IN ({chunk})"
            for page in self.conn.rest_pages(soql, include_deleted=False):
                yield OPPORTUNITY, self.batch(OPPORTUNITY, page)

    def close(self) -> list[str]:
        usage = self.conn.usage
        if usage.total:
            return [
                f"{self.conn.requests} Salesforce API request(s); org usage {usage.used:,} of {usage.total:,} today."
            ]
        return []


class Salesforce(Connector):
    name = "salesforce"
    label = "Salesforce"
    docs = "docs/salesforce.md"
    settings_model = SalesforceConfig
    secrets_example = (
        '[salesforce]\ninstance_url = "https://yourorg.my.salesforce.com"\naccess_token = "..."\n'
        '# or: username = "...", password = "...", security_token = "..."'
    )
    environment_hint = (
        "SALESFORCE_INSTANCE_URL + SALESFORCE_ACCESS_TOKEN (or SALESFORCE_USERNAME, "
        "SALESFORCE_PASSWORD, SALESFORCE_SECURITY_TOKEN)"
    )
    one_tier_hint = "Map LeadSource values in the policy's tier_map, or a tier field with salesforce.lead_fields."

    def credentials(self, secrets: Any = None, environ: Mapping[str, str] | None = None):
        return credentials_from(secrets, environ)

    def objects(self, settings: ConnectorSettings) -> tuple[ObjectSpec, ...]:
        return OBJECTS

    def open(self, credentials: SalesforceCredentials, settings: SalesforceConfig, context: Context) -> Session:
        retry = RetryPolicy(retries=settings.retries, backoff=settings.backoff_seconds)
        conn = Connection(
            credentials,
            limit_stop=settings.api_limit_stop,
            retry=retry,
            bulk_wait=settings.bulk_poll_seconds,
            api_version=settings.api_version,
        )
        return SalesforceSession(conn, settings, context)


CONNECTOR = Salesforce()


def sync(
    store: Store,
    config: SalesforceConfig | Mapping[str, Any] | None,
    credentials: SalesforceCredentials | None,
    full: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> LoadSummary:
    """Pull the org into `store` (the runner with this connector); see `runner.run`."""
    return run(CONNECTOR, store, config, credentials, full=full, progress=progress, now=now)
