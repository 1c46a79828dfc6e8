"""Salesforce records -> canonical rows, in one place (see docs/salesforce.md).

Each `map_*` function takes a DataFrame of raw Salesforce field values (REST JSON values
or Bulk CSV strings; field names as in the SOQL) and returns canonical columns plus any
user-mapped extra columns, which the store keeps as JSON in `extra`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Iterable

import numpy as np
import pandas as pd

LEAD_PREFIX = "00Q"
CONTACT_PREFIX = "003"
QUEUE_PREFIX = "00G"
ID_PREFIX = {"User": "005", "Lead": "00Q", "Task": "00T", "Event": "00U", "Opportunity": "006"}

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


# -- value conversion -----------------------------------------------------------------------
def _missing(v) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v))


def omap(values: pd.Series, fn) -> pd.Series:
    """Element-wise map into an object Series; `fn` sees None for every missing value."""
    return pd.Series([fn(None if _missing(v) else v) for v in values], index=values.index, dtype=object)


def owhere(cond: pd.Series, a: pd.Series, b) -> pd.Series:
    """a where cond else b (b a Series or a scalar), as an object Series."""
    bs = b if isinstance(b, pd.Series) else [b] * len(a)
    return pd.Series(
        [None if _missing(x) else x for x in (x if c else y for c, x, y in zip(cond, a, bs))],
        index=a.index, dtype=object,
    )


def _col(frame: pd.DataFrame, name: str | None) -> pd.Series:
    if name and name in frame.columns:
        return omap(frame[name], lambda v: v)
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def to_ts(values: pd.Series) -> pd.Series:
    """REST (`...+0000`), Bulk (ISO `Z` or epoch milliseconds) and date values -> UTC instants."""
    s = pd.Series(values, dtype=object)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us, UTC]")
    if s.empty:
        return out
    def as_text(v):
        if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, datetime):
            return v.isoformat()
        return str(v).strip() or None

    text = omap(s, as_text)
    epoch = text.map(lambda v: isinstance(v, str) and bool(re.fullmatch(r"-?\d{10,}", v))).astype(bool)
    if epoch.any():
        out[epoch] = pd.to_datetime(text[epoch].astype("int64"), unit="ms", utc=True)
    iso = text.map(lambda v: isinstance(v, str)).astype(bool) & ~epoch
    if iso.any():
        out[iso] = pd.to_datetime(text[iso], utc=True, format="ISO8601", errors="coerce")
    return out


def to_bool(values: pd.Series) -> pd.Series:
    def conv(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, bool):
            return v
        t = str(v).strip().lower()
        if t in ("true", "1", "yes"):
            return True
        if t in ("false", "0", "no"):
            return False
        return None

    return pd.Series([conv(v) for v in values], index=getattr(values, "index", None), dtype="boolean")


def to_num(values: pd.Series) -> pd.Series:
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype("float64")


def to_text(values: pd.Series) -> pd.Series:
    s = pd.Series(values, dtype=object)
    return omap(s, lambda v: None if v is None else str(v))


def norm_code(value: str) -> str:
    return re.sub(r"[\s_]+", "", str(value)).lower()


def disposition_mapper(codes: Iterable[str], custom: dict[str, str] | None):
    """CRM value -> disposition code: the custom map first, then equality with a code
    ignoring case, spaces and underscores; anything else is no disposition."""
    by_norm = {norm_code(c): c for c in codes}
    custom_norm = {norm_code(k): v for k, v in (custom or {}).items()}

    def mapped(value):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        key = norm_code(value)
        if key in custom_norm:
            target = custom_norm[key]
            return by_norm.get(norm_code(target), target) if target else None
        return by_norm.get(key)

    return mapped


def segment_of(employees: pd.Series) -> pd.Series:
    n = to_num(employees)
    seg = pd.Series(None, index=n.index, dtype=object)
    seg[n.notna() & (n < 200)] = "SMB"
    seg[n.notna() & (n >= 200) & (n < 1000)] = "Mid-market"
    seg[n.notna() & (n >= 1000)] = "Enterprise"
    return seg


def is_deleted(frame: pd.DataFrame) -> pd.Series:
    return to_bool(_col(frame, "IsDeleted")).fillna(False).astype(bool)


def _apply_extra_fields(out: pd.DataFrame, frame: pd.DataFrame, fields: dict[str, str]) -> None:
    """User field maps: canonical column or extra name -> Salesforce field."""
    for column, sf_field in fields.items():
        if sf_field in frame.columns:
            out[column] = to_text(frame[sf_field]).values


def country_code(value) -> str | None:
    """A country name or code -> ISO 3166 alpha-2 (the holiday calendar needs it); None if unknown."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        import pycountry

        return pycountry.countries.lookup(text).alpha_2
    except (LookupError, ImportError):
        return text.upper() if len(text) == 2 and text.isalpha() else None


# -- objects ----------------------------------------------------------------------------------
def map_users(frame: pd.DataFrame, fields: dict[str, str] | None = None) -> pd.DataFrame:
    country = _col(frame, "CountryCode")
    country = owhere(country.notna(), country, _col(frame, "Country"))
    out = pd.DataFrame(
        {
            "rep_id": to_text(_col(frame, "Id")),
            "name": to_text(_col(frame, "Name")),
            "email": to_text(_col(frame, "Email")),
            "team": to_text(_col(frame, "Department")),
            "role": to_text(_col(frame, "Title")),
            "timezone": to_text(_col(frame, "TimeZoneSidKey")),
            "country": omap(country, country_code),
            "active": to_bool(_col(frame, "IsActive")).fillna(True),
        }
    )
    _apply_extra_fields(out, frame, fields or {})
    return out


def first_history(history: pd.DataFrame, field: str, values: set[str] | None = None) -> pd.Series:
    """LeadId -> CreatedDate of the first history row of `field` (with NewValue in `values`)."""
    if history.empty:
        return pd.Series(dtype="datetime64[us, UTC]")
    h = history[history["Field"].astype(str).str.lower() == field.lower()]
    if values is not None:
        wanted = {v.strip().lower() for v in values}
        h = h[omap(h["NewValue"], lambda v: v is not None and str(v).strip().lower() in wanted).astype(bool)]
    if h.empty:
        return pd.Series(dtype="datetime64[us, UTC]")
    at = to_ts(h["CreatedDate"])
    return at.groupby(h["LeadId"].values).min()


def last_setting_history(history: pd.DataFrame, field: str, current: pd.Series, lead_ids: pd.Series) -> pd.Series:
    """Per lead (aligned with lead_ids): CreatedDate of the latest history row of `field`
    whose NewValue is the lead's current value."""
    result = pd.Series(pd.NaT, index=lead_ids.index, dtype="datetime64[us, UTC]")
    if history.empty:
        return result
    h = history[history["Field"].astype(str).str.lower() == field.lower()]
    if h.empty:
        return result
    h = pd.DataFrame(
        {"LeadId": h["LeadId"].values, "value": to_text(h["NewValue"]).values, "at": to_ts(h["CreatedDate"]).array}
    )
    latest = h.groupby(["LeadId", "value"])["at"].max()
    keys = list(zip(lead_ids.values, to_text(current).values))
    found = [latest.get(k, pd.NaT) if k[1] is not None else pd.NaT for k in keys]
    return pd.Series(pd.to_datetime(pd.Series(found, dtype=object), utc=True).array, index=lead_ids.index)


def map_leads(
    frame: pd.DataFrame,
    history: pd.DataFrame,
    *,
    mql_field: str | None,
    mql_statuses: list[str] | None,
    disposition_field: str,
    disposition: "callable",
    fields: dict[str, str] | None = None,
) -> pd.DataFrame:
    ids = to_text(_col(frame, "Id"))
    created = to_ts(_col(frame, "CreatedDate"))
    status = to_text(_col(frame, "Status"))
    if mql_field:
        mql_at = to_ts(_col(frame, mql_field))
    elif mql_statuses:
        first = first_history(history, "Status", set(mql_statuses))
        mql_at = to_ts(omap(ids, lambda i: first.get(i) if i is not None else None))
        wanted = {v.strip().lower() for v in mql_statuses}
        born_mql = mql_at.isna() & omap(status, lambda v: v is not None and v.strip().lower() in wanted).astype(bool)
        mql_at = mql_at.where(~born_mql, created)
    else:
        mql_at = created
    owner = to_text(_col(frame, "OwnerId"))
    queue = omap(owner, lambda v: v is not None and v.startswith(QUEUE_PREFIX)).astype(bool)
    raw_disp = _col(frame, disposition_field)
    disp = omap(raw_disp, disposition)
    disp_at = last_setting_history(history, disposition_field, raw_disp, ids)
    disp_at = disp_at.where(disp_at.notna(), to_ts(_col(frame, "LastModifiedDate")))
    disp_at = disp_at.where(disp.notna(), pd.NaT)
    out = pd.DataFrame(
        {
            "lead_id": ids,
            "created_at": created,
            "mql_at": mql_at,
            "owner_id": owhere(~queue, owner, None),
            "source": to_text(_col(frame, "LeadSource")),
            "company": to_text(_col(frame, "Company")),
            "title": to_text(_col(frame, "Title")),
            "country": to_text(_col(frame, "Country")),
            "segment": segment_of(_col(frame, "NumberOfEmployees")),
            "disposition": disp,
            "disposition_at": disp_at,
            "sql_at": to_ts(_col(frame, "ConvertedDate")),
            "status": status,
            "owner_queue_id": owhere(queue, owner, None),
            "converted_contact_id": to_text(_col(frame, "ConvertedContactId")),
            "converted_opportunity_id": to_text(_col(frame, "ConvertedOpportunityId")),
        }
    )
    _apply_extra_fields(out, frame, fields or {})
    for col in ("score",):
        if col in out.columns:
            out[col] = to_num(out[col])
    for col in ("mql_at", "created_at", "assigned_at", "disposition_at", "sql_at"):
        if col in out.columns and out[col].dtype == object:
            out[col] = to_ts(out[col])
    return out


def who_to_lead(who: pd.Series, contact_to_lead: dict[str, str]) -> pd.Series:
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


def map_tasks(
    frame: pd.DataFrame,
    contact_to_lead: dict[str, str],
    automated_field: str | None = None,
    fields: dict[str, str] | None = None,
) -> pd.DataFrame:
    subtype = omap(_col(frame, "TaskSubtype"), lambda v: None if v is None else str(v).lower())
    ttype = omap(_col(frame, "Type"), lambda v: None if v is None else str(v).strip().lower())
    kind = omap(subtype, lambda v: TASK_SUBTYPES.get(v) if v else None)
    fallback = omap(ttype, lambda v: TASK_TYPES.get(v, "other") if v else "other")
    kind = owhere(kind.notna() & (kind != "other"), kind, fallback)
    direction = omap(_col(frame, "CallType"),
        lambda v: "inbound" if v is not None and str(v).strip().lower() == "inbound" else "outbound"
    )
    occurred = to_ts(_col(frame, "CompletedDateTime"))
    occurred = occurred.where(occurred.notna(), to_ts(_col(frame, "CreatedDate")))
    automated = subtype.isin(list(AUTOMATED_SUBTYPES))
    if automated_field:
        automated = automated | to_bool(_col(frame, automated_field)).fillna(False).astype(bool)
    out = pd.DataFrame(
        {
            "activity_id": to_text(_col(frame, "Id")),
            "lead_id": who_to_lead(_col(frame, "WhoId"), contact_to_lead),
            "rep_id": to_text(_col(frame, "OwnerId")),
            "type": kind,
            "direction": direction,
            "occurred_at": occurred,
            "is_automated": automated.astype(bool),
            "outcome": to_text(_col(frame, "CallDisposition")),
            "subject": to_text(_col(frame, "Subject")),
        }
    )
    _apply_extra_fields(out, frame, fields or {})
    return out


def map_events(
    frame: pd.DataFrame, contact_to_lead: dict[str, str], now: datetime, fields: dict[str, str] | None = None
) -> pd.DataFrame:
    start = to_ts(_col(frame, "StartDateTime"))
    status = pd.Series("scheduled", index=frame.index, dtype=object)
    status[start.notna() & (start < pd.Timestamp(now))] = "held"
    out = pd.DataFrame(
        {
            "meeting_id": to_text(_col(frame, "Id")),
            "lead_id": who_to_lead(_col(frame, "WhoId"), contact_to_lead),
            "rep_id": to_text(_col(frame, "OwnerId")),
            "booked_at": to_ts(_col(frame, "CreatedDate")),
            "scheduled_for": start,
            "status": status,
        }
    )
    _apply_extra_fields(out, frame, fields or {})
    return out


def map_opportunities(
    frame: pd.DataFrame, opp_to_lead: dict[str, str], fields: dict[str, str] | None = None
) -> pd.DataFrame:
    ids = to_text(_col(frame, "Id"))
    closed = to_bool(_col(frame, "IsClosed")).fillna(False).astype(bool)
    close_date = to_ts(_col(frame, "CloseDate"))
    out = pd.DataFrame(
        {
            "opportunity_id": ids,
            "lead_id": omap(ids, lambda v: opp_to_lead.get(v) if v else None),
            "created_at": to_ts(_col(frame, "CreatedDate")),
            "amount": to_num(_col(frame, "Amount")),
            "stage": to_text(_col(frame, "StageName")),
            "is_closed": closed,
            "is_won": to_bool(_col(frame, "IsWon")).fillna(False).astype(bool),
            "closed_at": close_date.where(closed, pd.NaT),
        }
    )
    _apply_extra_fields(out, frame, fields or {})
    return out


def split_rejects(out: pd.DataFrame, table: str, required: list[str], key: str, origin: str):
    """Rows missing a required value -> (good rows, rejects frame for Store.add_rejects)."""
    bad = pd.Series(False, index=out.index)
    rejects = []
    for col in required:
        missing = out[col].isna() & ~bad
        for rid in out.loc[missing, key]:
            rejects.append(
                {"table": table, "file": origin, "line": None, "column": col,
                 "reason": f"missing or unreadable {col}", "value": None, "record_id": rid}
            )
        bad |= out[col].isna()
    rej = pd.DataFrame(
        rejects, columns=["table", "file", "line", "column", "reason", "value", "record_id"]
    ).astype({"line": "Int64", "value": object})
    return out[~bad], rej
