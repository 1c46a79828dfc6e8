"""Salesforce records -> canonical rows, declared in one place (see docs/salesforce.md).

One field map per object (`MAPS`): a canonical column is either a `Field` (Salesforce
field(s) and a converter) or a `Derived` column computed by the few functions below (the
exceptions: the handoff moment, queues, dispositions, task types, lead links). Raw values
are REST JSON values or Bulk CSV strings; field names are as in the SOQL. The user's extra
field maps (`lead_fields`, ...) are applied by `rows`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from handoff.sources.convert import (
    Derived,
    Field,
    FieldMap,
    apply_map,
    col,
    flag,
    omap,
    owhere,
    segment_of,
    to_bool,
    to_country,
    to_num,
    to_text,
    to_ts,
)

LEAD_PREFIX = "00Q"
CONTACT_PREFIX = "003"
QUEUE_PREFIX = "00G"
ID_PREFIX = {
    "User": "005",
    "Lead": "00Q",
    "LeadHistory": "017",
    "Task": "00T",
    "Event": "00U",
    "Opportunity": "006",
}
# The field each object's cursor follows: history rows are never modified, so they have no
# SystemModstamp and are read by CreatedDate.
CURSOR_FIELD = {"LeadHistory": "CreatedDate"}
# Conditions every read of an object has (constants of the code, never data).
BASE_FILTER = {"LeadHistory": "Field = 'Owner'"}
# An owner id: a user (005) or a queue (00G), 15 or 18 characters.
OWNER_ID = re.compile(r"(?:005|00G)[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?")

TASK_SUBTYPES = {
    "call": "call",
    "email": "email",
    "linkedin": "linkedin",
    "listemail": "email",
    "cadence": "email",
    "task": "other",
}
TASK_TYPES = {"call": "call", "email": "email", "linkedin": "linkedin", "meeting": "meeting"}
AUTOMATED_SUBTYPES = {"listemail", "cadence"}
HISTORY_COLUMNS = ["LeadId", "Field", "NewValue", "CreatedDate"]


@dataclass
class Context:
    """What the derived columns need beyond the record: settings, lead history, links."""

    mql_field: str | None = None
    mql_statuses: list[str] | None = None
    disposition_field: str = "Status"
    disposition: Callable = lambda v: None
    automated_field: str | None = None
    history: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=HISTORY_COLUMNS))
    contacts: Mapping[str, str] = field(default_factory=dict)  # converted contact id -> lead id
    opportunities: Mapping[str, str] = field(default_factory=dict)  # converted opportunity id -> lead id
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


# -- lead history -----------------------------------------------------------------------------------
def first_history(history: pd.DataFrame, name: str, values: set[str] | None = None) -> pd.Series:
    """LeadId -> CreatedDate of the first history row of field `name` (with NewValue in `values`)."""
    if history.empty:
        return pd.Series(dtype="datetime64[us, UTC]")
    h = history[history["Field"].astype(str).str.lower() == name.lower()]
    if values is not None:
        wanted = {v.strip().lower() for v in values}
        h = h[omap(h["NewValue"], lambda v: v is not None and str(v).strip().lower() in wanted).astype(bool)]
    if h.empty:
        return pd.Series(dtype="datetime64[us, UTC]")
    at = to_ts(h["CreatedDate"])
    return at.groupby(h["LeadId"].values).min()


def last_setting_history(history: pd.DataFrame, name: str, current: pd.Series, lead_ids: pd.Series) -> pd.Series:
    """Per lead (aligned with lead_ids): CreatedDate of the latest history row of field `name`
    whose NewValue is the lead's current value."""
    result = pd.Series(pd.NaT, index=lead_ids.index, dtype="datetime64[us, UTC]")
    if history.empty:
        return result
    h = history[history["Field"].astype(str).str.lower() == name.lower()]
    if h.empty:
        return result
    h = pd.DataFrame(
        {"LeadId": h["LeadId"].values, "value": to_text(h["NewValue"]).values, "at": to_ts(h["CreatedDate"]).array}
    )
    latest = h.groupby(["LeadId", "value"])["at"].max()
    keys = list(zip(lead_ids.values, to_text(current).values, strict=True))
    found = [latest.get(k, pd.NaT) if k[1] is not None else pd.NaT for k in keys]
    return pd.Series(pd.to_datetime(pd.Series(found, dtype=object), utc=True).array, index=lead_ids.index)


# -- the exceptions ---------------------------------------------------------------------------------
def mql_at(frame: pd.DataFrame, out: pd.DataFrame, ctx: Context) -> pd.Series:
    """`mql_field` if set; else the first Status change into `mql_statuses` (a lead created in
    such a status: its CreatedDate); else CreatedDate (every lead is a handoff)."""
    if ctx.mql_field:
        return to_ts(col(frame, ctx.mql_field))
    if ctx.mql_statuses:
        first = first_history(ctx.history, "Status", set(ctx.mql_statuses))
        at = to_ts(omap(out["lead_id"], lambda i: first.get(i) if i is not None else None))
        wanted = {v.strip().lower() for v in ctx.mql_statuses}
        status = to_text(col(frame, "Status"))
        born_mql = at.isna() & omap(status, lambda v: v is not None and v.strip().lower() in wanted).astype(bool)
        return at.where(~born_mql, out["created_at"])
    return out["created_at"]


def _queue(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    owner = to_text(col(frame, "OwnerId"))
    return owner, omap(owner, lambda v: v is not None and v.startswith(QUEUE_PREFIX)).astype(bool)


def owner_id(frame, out, ctx) -> pd.Series:
    """A queue (id 00G...) is unassigned."""
    owner, queue = _queue(frame)
    return owhere(~queue, owner, None)


def owner_queue_id(frame, out, ctx) -> pd.Series:
    owner, queue = _queue(frame)
    return owhere(queue, owner, None)


def disposition(frame, out, ctx: Context) -> pd.Series:
    return omap(col(frame, ctx.disposition_field), ctx.disposition)


def disposition_at(frame, out, ctx: Context) -> pd.Series:
    """When the history set the current value, else LastModifiedDate; empty without a disposition."""
    at = last_setting_history(ctx.history, ctx.disposition_field, col(frame, ctx.disposition_field), out["lead_id"])
    at = at.where(at.notna(), to_ts(col(frame, "LastModifiedDate")))
    return at.where(out["disposition"].notna(), pd.NaT)


def who_to_lead(who: pd.Series, contact_to_lead: Mapping[str, str]) -> pd.Series:
    """A WhoId naming a lead, or the contact a lead was converted into -> lead id."""

    def resolve(v):
        if v is None:
            return None
        v = str(v)
        if v.startswith(LEAD_PREFIX):
            return v
        if v.startswith(CONTACT_PREFIX):
            return contact_to_lead.get(v) or contact_to_lead.get(v[:15])
        return None

    return omap(to_text(who), resolve)


def who_lead(frame, out, ctx: Context) -> pd.Series:
    return who_to_lead(col(frame, "WhoId"), ctx.contacts)


def _subtype(frame: pd.DataFrame) -> pd.Series:
    return omap(col(frame, "TaskSubtype"), lambda v: None if v is None else str(v).lower())


def task_type(frame, out, ctx) -> pd.Series:
    """TaskSubtype; a generic task (or none) falls back to the Type picklist."""
    kind = omap(_subtype(frame), lambda v: TASK_SUBTYPES.get(v) if v else None)
    ttype = omap(col(frame, "Type"), lambda v: None if v is None else str(v).strip().lower())
    fallback = omap(ttype, lambda v: TASK_TYPES.get(v, "other") if v else "other")
    return owhere(kind.notna() & (kind != "other"), kind, fallback)


def call_direction(values: pd.Series) -> pd.Series:
    return omap(values, lambda v: "inbound" if v is not None and str(v).strip().lower() == "inbound" else "outbound")


def task_automated(frame, out, ctx: Context) -> pd.Series:
    """ListEmail and Cadence subtypes, or a true `automated_field`."""
    automated = _subtype(frame).isin(list(AUTOMATED_SUBTYPES))
    if ctx.automated_field:
        automated = automated | to_bool(col(frame, ctx.automated_field)).fillna(False).astype(bool)
    return automated.astype(bool)


def event_status(frame, out, ctx: Context) -> pd.Series:
    """`held` once StartDateTime is before the sync, else `scheduled`."""
    status = pd.Series("scheduled", index=frame.index, dtype=object)
    start = out["scheduled_for"]
    status[start.notna() & (start < pd.Timestamp(ctx.now))] = "held"
    return status


def opportunity_lead(frame, out, ctx: Context) -> pd.Series:
    return omap(out["opportunity_id"], lambda v: ctx.opportunities.get(v) if v else None)


def closed_at(frame, out, ctx) -> pd.Series:
    """CloseDate only when IsClosed (an open deal's CloseDate is a forecast)."""
    return to_ts(col(frame, "CloseDate")).where(out["is_closed"], pd.NaT)


# -- owner history ----------------------------------------------------------------------------------
def is_owner_id(value) -> bool:
    return isinstance(value, str) and OWNER_ID.fullmatch(value) is not None


def owner_id_rows(frame: pd.DataFrame) -> pd.Series:
    """The LeadHistory Owner rows whose values are ids. Salesforce writes two rows per owner
    change, one with the ids (DataType EntityId) and one with the names (Text): a row is the
    ids one when NewValue is a user or queue id and OldValue is one too, or empty (none)."""
    new, old = to_text(col(frame, "NewValue")), to_text(col(frame, "OldValue"))
    keep = [is_owner_id(n) and (o is None or is_owner_id(o)) for n, o in zip(new, old, strict=True)]
    return pd.Series(keep, index=frame.index, dtype=bool)


def owner_value(values: pd.Series) -> pd.Series:
    """An owner id as given (a queue's too); empty means none."""
    return omap(to_text(values), lambda v: v.strip() or None if v is not None else None)


# -- the maps -----------------------------------------------------------------------------------------
USER: FieldMap = {
    "rep_id": Field("Id"),
    "name": Field("Name"),
    "email": Field("Email"),
    "team": Field("Department"),
    "role": Field("Title"),
    "timezone": Field("TimeZoneSidKey"),
    "country": Field(("CountryCode", "Country"), to_country),
    "active": Field("IsActive", lambda v: to_bool(v).fillna(True)),
}
LEAD: FieldMap = {
    "lead_id": Field("Id"),
    "created_at": Field("CreatedDate", to_ts),
    "mql_at": Derived(mql_at),
    "owner_id": Derived(owner_id),
    "source": Field("LeadSource"),
    "company": Field("Company"),
    "title": Field("Title"),
    "country": Field("Country"),
    "segment": Field("NumberOfEmployees", segment_of),
    "disposition": Derived(disposition),
    "disposition_at": Derived(disposition_at),
    "sql_at": Field("ConvertedDate", to_ts),
    "status": Field("Status"),
    "owner_queue_id": Derived(owner_queue_id),
    "converted_contact_id": Field("ConvertedContactId"),
    "converted_opportunity_id": Field("ConvertedOpportunityId"),
}
TASK: FieldMap = {
    "activity_id": Field("Id"),
    "lead_id": Derived(who_lead),
    "rep_id": Field("OwnerId"),
    "type": Derived(task_type),
    "direction": Field("CallType", call_direction),
    "occurred_at": Field(("CompletedDateTime", "CreatedDate"), to_ts),
    "is_automated": Derived(task_automated),
    "outcome": Field("CallDisposition"),
    "subject": Field("Subject"),
}
EVENT: FieldMap = {
    "meeting_id": Field("Id"),
    "lead_id": Derived(who_lead),
    "rep_id": Field("OwnerId"),
    "booked_at": Field("CreatedDate", to_ts),
    "scheduled_for": Field("StartDateTime", to_ts),
    "status": Derived(event_status),
}
OPPORTUNITY: FieldMap = {
    "opportunity_id": Field("Id"),
    "lead_id": Derived(opportunity_lead),
    "created_at": Field("CreatedDate", to_ts),
    "amount": Field("Amount", to_num),
    "stage": Field("StageName"),
    "is_closed": Field("IsClosed", flag(False)),
    "is_won": Field("IsWon", flag(False)),
    "closed_at": Derived(closed_at),
}
OWNER_HISTORY: FieldMap = {
    "change_id": Field("Id"),
    "lead_id": Field("LeadId"),
    "changed_at": Field("CreatedDate", to_ts),
    "from_owner_id": Field("OldValue", owner_value),
    "to_owner_id": Field("NewValue", owner_value),
}
MAPS: dict[str, tuple[str, FieldMap]] = {
    "User": ("reps", USER),
    "Lead": ("leads", LEAD),
    "LeadHistory": ("owner_changes", OWNER_HISTORY),
    "Task": ("activities", TASK),
    "Event": ("meetings", EVENT),
    "Opportunity": ("opportunities", OPPORTUNITY),
}


def rows(
    obj: str, frame: pd.DataFrame, context: Context | None = None, fields: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Canonical rows of Salesforce object `obj` (User, Lead, LeadHistory, Task, Event,
    Opportunity) from raw records, with the user's extra field map (column -> Salesforce field)."""
    table, fmap = MAPS[obj]
    return apply_map(fmap, table, frame, context or Context(), fields)


def is_deleted(frame: pd.DataFrame) -> pd.Series:
    return to_bool(col(frame, "IsDeleted")).fillna(False).astype(bool)
