"""HubSpot connector: `handoff sync hubspot`, on the connector contract.

    creds = CONNECTOR.credentials(".streamlit/secrets.toml", os.environ)
    summary = runner.run(CONNECTOR, Store("handoff.duckdb"), {"tier_property": "..."}, creds)

Reads owners (archived ones too: old owner ids still resolve), contacts (with lifecycle
stage and lead status history from batch reads), the contacts' owner history
(`hubspot_owner_id` history, into owner_changes), calls, emails, meetings and deals (with
their contacts through the v4 associations API) into the canonical tables. Each object but
owners is read by its modification date since its cursor (contacts and their owner history:
lastmodifieddate, the others: hs_lastmodifieddate) through the search API, windows capped at
the sync's start and re-windowed past the 10,000-result cap (`hubspot_client.Client.pages`);
archived records are listed and deleted. The field maps are in `hubspot_mapping`, the mapping
in words in docs/hubspot.md; the cursor, transactions, rejects, reconciliation and summary are
the runner's (`handoff.sources.runner`). Each sync also records the portal id and its UI
domain (meta `hubspot_portal_id`, `hubspot_ui_domain`) so record links can be built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from handoff.policy import DEFAULT_CODES
from handoff.schema import BY_NAME, TIERS
from handoff.sources import hubspot_mapping as m
from handoff.sources.connector import (
    ApiLimitReached,
    Batch,
    Connector,
    ConnectorSettings,
    Context,
    Count,
    ObjectSpec,
    Plan,
    RetryPolicy,
    Seconds,
    Session,
    SyncError,
    build_credentials,
    env_values,
    secrets_table,
    text_values,
)
from handoff.sources.convert import to_ts
from handoff.sources.hubspot_client import Client, HubSpotUnavailable, Search, ms

__all__ = ["CONNECTOR", "HubSpotSettings", "HubSpotCredentials", "credentials_from", "HubSpotUnavailable"]

SOURCE = "hubspot"
DEFAULT_BASE_URL = "https://api.hubapi.com"
PORTAL_ID_KEY = "hubspot_portal_id"
"""Store meta: the portal (hub) id, digits, for links to its records."""
UI_DOMAIN_KEY = "hubspot_ui_domain"
"""Store meta: the portal's app domain (app.hubspot.com, app-eu1.hubspot.com, ...)."""
PORTAL_ID = re.compile(r"[0-9]{1,20}")
UI_DOMAIN = re.compile(r"app(?:-[a-z0-9]{1,20})?\.hubspot\.com")
OWNER_CACHE_MAX = 200_000  # contacts whose owner history is kept from their contacts read
PROPERTY = re.compile(r"^[A-Za-z0-9_]{1,100}$")


# -- settings -----------------------------------------------------------------------------------------
class HubSpotSettings(ConnectorSettings):
    """The `[hubspot]` table of handoff.toml: every key optional, every key checked."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)
    section = "hubspot"

    source_property: str = Field("hs_analytics_source", description="contact property -> leads.source")
    tier_property: str | None = Field(
        None,
        description="contact property whose values give the tier "
        "(through tier_map); none: every contact's tier comes "
        "from its source through the policy's tier_map",
    )
    tier_map: dict[str, str] = Field(default_factory=dict, description="tier_property value -> high, medium or low")
    mql_property: str | None = Field(
        None, description="a date property holding the MQL moment (before the lifecycle-stage dates)"
    )
    disposition_property: str = Field("hs_lead_status", description="contact property holding the disposition")
    disposition_map: dict[str, str] = Field(
        default_factory=dict, description="value -> disposition code (added to OPEN_DEAL, UNQUALIFIED, BAD_TIMING)"
    )
    disposition_codes: list[str] = Field(default_factory=lambda: list(DEFAULT_CODES), description="the policy's codes")
    automated_property: str | None = Field(None, description="an email/call property marking automated sends")
    owner_properties: dict[str, str] = Field(default_factory=dict, description="column -> owner field")
    contact_properties: dict[str, str] = Field(default_factory=dict, description="column -> contact property")
    call_properties: dict[str, str] = Field(default_factory=dict, description="column -> call property")
    email_properties: dict[str, str] = Field(default_factory=dict, description="column -> email property")
    meeting_properties: dict[str, str] = Field(default_factory=dict, description="column -> meeting property")
    deal_properties: dict[str, str] = Field(default_factory=dict, description="column -> deal property")
    lookback_seconds: Count = Field(
        300,
        ge=0,
        le=7 * 86400,
        description="each incremental read starts this long before the cursor (search index lag)",
    )
    page_size: Count = Field(100, ge=1, le=200, description="records per search page")
    batch_size: Count = Field(
        5000,
        ge=1,
        le=10_000,
        description="records written per transaction (with their cursor); search pages are grouped",
    )
    retries: Count = Field(5, ge=0, le=10, description="retries of 429 / 5xx answers")
    backoff_seconds: Seconds = Field(1.0, ge=0, le=60, description="backoff factor between retries")
    retry_after_max_seconds: Count = Field(60, ge=0, le=3600, description="longest Retry-After honoured")

    @field_validator("source_property", "tier_property", "mql_property", "disposition_property", "automated_property")
    @classmethod
    def _property_name(cls, v: str | None) -> str | None:
        if v is not None and not PROPERTY.match(v):
            raise ValueError("must be a HubSpot property's internal name (letters, digits, underscores)")
        return v

    @field_validator(
        "owner_properties",
        "contact_properties",
        "call_properties",
        "email_properties",
        "meeting_properties",
        "deal_properties",
    )
    @classmethod
    def _property_map(cls, v: dict[str, str]) -> dict[str, str]:
        for column, prop in v.items():
            if not PROPERTY.match(str(column)):
                raise ValueError("a column name must be letters, digits and underscores")
            if not isinstance(prop, str) or not PROPERTY.match(prop):
                raise ValueError(f"{column}: must name a HubSpot property's internal name")
        return v

    @field_validator("tier_map")
    @classmethod
    def _tiers(cls, v: dict[str, str]) -> dict[str, str]:
        out = {}
        for value, tier in v.items():
            t = str(tier).strip().lower()
            if t not in TIERS:
                raise ValueError("tiers are high, medium or low")
            out[value] = t
        return out

    @model_validator(mode="after")
    def _tier_map_needs_property(self) -> HubSpotSettings:
        if self.tier_map and not self.tier_property:
            raise ValueError("tier_map is set but tier_property is not: name the contact property it maps")
        return self

    def extra_fields(self, obj: str) -> dict[str, str]:
        return {
            "owners": self.owner_properties,
            "contacts": self.contact_properties,
            "calls": self.call_properties,
            "emails": self.email_properties,
            "meetings": self.meeting_properties,
            "deals": self.deal_properties,
        }.get(obj, {})


# -- credentials ----------------------------------------------------------------------------------------
class HubSpotCredentials(BaseModel):
    """A private app's access token (a SecretStr: never in a repr, a log or an error; a
    validation error of this model leaves its input out) and the API's base URL."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    access_token: SecretStr
    base_url: str = DEFAULT_BASE_URL

    @field_validator("base_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", v):
            raise ValueError("base_url must be an http(s) URL")
        return v


_ENV = {"access_token": "HUBSPOT_ACCESS_TOKEN", "base_url": "HUBSPOT_BASE_URL"}
SECRETS_SOURCE = "secrets.toml [hubspot]"


def credentials_from(secrets: Any = None, environ: Mapping[str, str] | None = None) -> HubSpotCredentials | None:
    """Credentials from `.streamlit/secrets.toml` `[hubspot]` (a path, the parsed file or the
    table), else HUBSPOT_ACCESS_TOKEN (+ HUBSPOT_BASE_URL) from the environment. None when no
    token is configured; SyncError naming the setting (never its value) when one is malformed."""
    values = text_values(secrets_table(secrets, SOURCE), _ENV, SECRETS_SOURCE)
    source = SECRETS_SOURCE
    if not values.get("access_token"):
        env = env_values(environ, _ENV)
        if env.get("access_token"):
            values, source = env, "environment"
        else:
            return None
    return build_credentials(HubSpotCredentials, source, "HubSpot", **values)


# -- objects ---------------------------------------------------------------------------------------------
def _spec(name: str, **kw) -> ObjectSpec:
    return ObjectSpec(name, m.MAPS[name][0], tuple(m.PROPERTIES.get(name, ())), tag=f"{SOURCE}:{name}", **kw)


OWNERS = _spec("owners", keep_deleted=True, incremental=False)
CONTACTS = _spec("contacts")
OWNER_HISTORY = _spec("owner_history")
"""The contacts' hubspot_owner_id history, into owner_changes (read after the contacts, by
their lastmodifieddate, with its own cursor)."""
CALLS = _spec("calls")
EMAILS = _spec("emails")
MEETINGS = _spec("meetings")
DEALS = _spec("deals")
OBJECTS = (OWNERS, CONTACTS, OWNER_HISTORY, CALLS, EMAILS, MEETINGS, DEALS)


class HubSpotSession(Session):
    def __init__(self, client: Client, cfg: HubSpotSettings, ctx: Context):
        self.client, self.cfg, self.ctx = client, cfg, ctx
        self.disposition = m.disposition_mapper(cfg.disposition_codes, cfg.disposition_map)
        self.tier = m.tier_mapper(cfg.tier_map)
        self.searches: dict[str, Search] = {}
        # contact id -> (lastmodifieddate in epoch ms, its hubspot_owner_id history entries) as the
        # contacts read saw them: the owner history read takes them from here when unchanged.
        self.owner_entries: dict[str, tuple[int, list[tuple[str, Any, Any]]]] = {}
        self.record_links()

    def record_links(self) -> None:
        """Stores the portal id (and its UI domain) for links to its records; a note when the
        account details cannot be read or are not what they should be."""
        try:
            details = self.client.account_details()
        except ApiLimitReached:
            raise
        except SyncError as exc:
            self.ctx.note(
                f"HubSpot's account details could not be read ({exc}): links to HubSpot records are not stored."
            )
            return
        portal = details.get("portalId") if isinstance(details, dict) else None
        if isinstance(portal, bool) or not isinstance(portal, (int, str)) or not PORTAL_ID.fullmatch(str(portal)):
            self.ctx.note("HubSpot's account details carry no portal id: links to HubSpot records are not stored.")
            return
        self.ctx.store.set_meta(PORTAL_ID_KEY, str(portal))
        domain = details.get("uiDomain")
        if isinstance(domain, str) and UI_DOMAIN.fullmatch(domain.strip().lower()):
            self.ctx.store.set_meta(UI_DOMAIN_KEY, domain.strip().lower())
        elif domain is not None:
            self.ctx.note("HubSpot's account details name an app domain that is not HubSpot's: it is not stored.")

    def properties(self, spec: ObjectSpec) -> list[str]:
        props = list(spec.fields)
        if spec is CONTACTS:
            props += [
                p
                for p in (
                    self.cfg.source_property,
                    self.cfg.tier_property,
                    self.cfg.mql_property,
                    self.cfg.disposition_property,
                )
                if p
            ]
        if spec in (CALLS, EMAILS) and self.cfg.automated_property:
            props.append(self.cfg.automated_property)
        props += list(self.cfg.extra_fields(spec.name).values())
        return list(dict.fromkeys(props))

    def plan(self, spec: ObjectSpec, since: datetime | None) -> Plan:
        if spec is OWNERS:
            return Plan(None, None, label="owners API")
        if spec is OWNER_HISTORY:  # contacts again, their ids and modification instants only
            search = Search(
                CONTACTS.name,
                m.MODIFIED[CONTACTS.name],
                [m.MODIFIED[CONTACTS.name]],
                None if since is None else ms(since),
                ms(self.ctx.started),
                self.cfg.page_size,
            )
            self.searches[spec.name] = search
            return Plan(since, self.client.count(search), label="search API, owner history")
        search = Search(
            spec.name,
            m.MODIFIED[spec.name],
            self.properties(spec),
            None if since is None else ms(since),
            ms(self.ctx.started),
            self.cfg.page_size,
        )
        self.searches[spec.name] = search
        return Plan(since, self.client.count(search), label="search API")

    def deletions(self, spec: ObjectSpec, since: datetime | None) -> Iterable[list[str]]:
        """Archived records (all of them: the list has no date filter; deleting one that is
        gone already changes nothing)."""
        if spec is OWNERS:
            return ()
        if spec is OWNER_HISTORY:
            # The changes of contacts that are gone (archived: the contacts read deleted them).
            rows = self.ctx.store.con.execute(
                "SELECT change_id FROM owner_changes WHERE json_extract_string(extra, '$.crm_object') = ? "
                "AND lead_id NOT IN (SELECT lead_id FROM leads)",
                [spec.tag],
            ).fetchall()
            return [[r[0] for r in rows]] if rows else []
        return self.client.archived(spec.name)

    def batches(self, spec: ObjectSpec, plan: Plan) -> Iterator[Batch]:
        if spec is OWNERS:
            for archived in (False, True):
                for page in self.client.owners(archived):
                    frame = pd.DataFrame([{**r, "id": str(r.get("id"))} for r in page]) if page else pd.DataFrame()
                    rows = m.rows("owners", frame, m.Context(), self.cfg.extra_fields("owners"))
                    yield Batch(rows, fetched=len(page))
            return
        search = self.searches[spec.name]
        make = self.owner_batch if spec is OWNER_HISTORY else self.batch
        group: list[dict] = []
        for page in self.client.pages(search):
            group.extend(page)
            if len(group) >= self.cfg.batch_size:
                yield make(spec, search, group)
                group = []
        if group:
            yield make(spec, search, group)

    def owner_batch(self, spec: ObjectSpec, search: Search, page: list[dict]) -> Batch:
        """The owner changes of a page of contacts, from the history their contacts read kept
        (same lastmodifieddate), else from a batch read of hubspot_owner_id history."""
        if not page:
            return Batch(pd.DataFrame())
        stamps = {str(r["id"]): int(r.get("_ms") or self.client.stamp(r, search.prop)) for r in page}
        entries: list[tuple[str, Any, Any]] = []
        missing = []
        for cid, stamp in stamps.items():
            cached = self.owner_entries.get(cid)
            if cached is not None and cached[0] == stamp:
                entries.extend(cached[1])
            else:
                missing.append(cid)
        for record in self.client.history(CONTACTS.name, missing, [m.OWNER_PROPERTY]) if missing else []:
            rid = str(record.get("id"))
            for e in (record.get("propertiesWithHistory") or {}).get(m.OWNER_PROPERTY) or []:
                entries.append((rid, e.get("value"), e.get("timestamp")))
        history = pd.DataFrame(
            [(cid, m.OWNER_PROPERTY, value, ts) for cid, value, ts in entries], columns=m.HISTORY_COLUMNS
        )
        rows = m.rows(spec.name, m.owner_history_frame(history))
        modified = pd.Series([stamps.get(str(c), 0) for c in rows["lead_id"]], dtype="int64")
        rows["_modified"] = to_ts(modified.astype(str)).array
        newest = pd.Timestamp(max(stamps.values()), unit="ms", tz="UTC").to_pydatetime()
        return Batch(rows, [], len(page), newest)

    def batch(self, spec: ObjectSpec, search: Search, page: list[dict]) -> Batch:
        if not page:
            return Batch(pd.DataFrame())
        frame = pd.DataFrame([{**(r.get("properties") or {}), "id": str(r["id"])} for r in page])
        stamps = pd.Series([r.get("_ms") or self.client.stamp(r, search.prop) for r in page], dtype="int64")
        context = m.Context(
            mql_property=self.cfg.mql_property,
            tier_property=self.cfg.tier_property,
            tier=self.tier,
            disposition_property=self.cfg.disposition_property,
            disposition=self.disposition,
            automated_property=self.cfg.automated_property,
            now=self.ctx.started,
        )
        ids = frame["id"].tolist()
        if spec is CONTACTS:
            frame["_source"] = frame[self.cfg.source_property] if self.cfg.source_property in frame else None
            context.history = self.history(ids, dict(zip(ids, stamps.tolist(), strict=True)))
        else:
            context.contact_of = self.contacts_of(spec, ids)
        rows = m.rows(spec.name, frame, context, self.cfg.extra_fields(spec.name))
        rows["_modified"] = to_ts(stamps.astype(str)).array
        gone = []
        if spec is not CONTACTS:
            # Not associated with a contact: not about a lead; drop any stored copy.
            unrelated = rows["lead_id"].isna()
            gone = rows.loc[unrelated, BY_NAME[spec.table].key].tolist()
            rows = rows[~unrelated]
        newest = pd.Timestamp(int(stamps.max()), unit="ms", tz="UTC").to_pydatetime()
        return Batch(rows, gone, len(page), newest)

    def history(self, ids: list[str], stamps: Mapping[str, int] | None = None) -> pd.DataFrame:
        """(id, property, value, timestamp) of the lifecycle stage and lead status history. The
        same read brings the owner history, kept for the owner history read (by the contact's
        lastmodifieddate in `stamps`) up to OWNER_CACHE_MAX contacts."""
        props = list(dict.fromkeys([*m.HISTORY_PROPERTIES, self.cfg.disposition_property, m.OWNER_PROPERTY]))
        out = []
        for record in self.client.history("contacts", ids, props):
            rid = str(record.get("id"))
            for prop, entries in (record.get("propertiesWithHistory") or {}).items():
                for e in entries or []:
                    out.append((rid, prop, e.get("value"), e.get("timestamp")))
            if stamps is not None and rid in stamps and len(self.owner_entries) < OWNER_CACHE_MAX:
                owner = (record.get("propertiesWithHistory") or {}).get(m.OWNER_PROPERTY) or []
                self.owner_entries[rid] = (stamps[rid], [(rid, e.get("value"), e.get("timestamp")) for e in owner])
        return pd.DataFrame(out, columns=m.HISTORY_COLUMNS)

    def contacts_of(self, spec: ObjectSpec, ids: list[str]) -> dict[str, str]:
        """record id -> the contact it is about (the lowest contact id when several)."""
        found = self.client.associated(spec.name, "contacts", ids)
        return {rid: min(cs, key=lambda c: (len(c), c)) for rid, cs in found.items() if cs}

    def close(self) -> list[str]:
        left = self.client.daily_remaining
        return [
            f"{self.client.requests:,} HubSpot API request(s)"
            + (f"; {left:,} left in the portal's daily allowance." if left is not None else ".")
        ]


class HubSpotConnector(Connector):
    name = "hubspot"
    label = "HubSpot"
    docs = "docs/hubspot.md"
    settings_model = HubSpotSettings
    secrets_example = (
        '[hubspot]\naccess_token = "pat-..."   # a private app token\n# base_url = "https://api.hubapi.com"'
    )
    environment_hint = "HUBSPOT_ACCESS_TOKEN (and optionally HUBSPOT_BASE_URL)"
    one_tier_hint = (
        "HubSpot's analytics source is a channel, not an intent: set hubspot.tier_property "
        "(for instance recent_conversion_event_name) with its tier_map to get real SLA tiers; "
        "see docs/hubspot.md."
    )

    def credentials(self, secrets: Any = None, environ: Mapping[str, str] | None = None):
        return credentials_from(secrets, environ)

    def objects(self, settings: ConnectorSettings) -> tuple[ObjectSpec, ...]:
        return OBJECTS

    def open(self, credentials: HubSpotCredentials, settings: HubSpotSettings, context: Context) -> Session:
        retry = RetryPolicy(
            retries=settings.retries, backoff=settings.backoff_seconds, retry_after_max=settings.retry_after_max_seconds
        )
        try:
            client = Client(credentials, retry)
        except SyncError:
            raise
        except Exception as exc:
            raise SyncError(f"HubSpot client could not be set up: {type(exc).__name__}") from None
        return HubSpotSession(client, settings, context)


CONNECTOR = HubSpotConnector()
