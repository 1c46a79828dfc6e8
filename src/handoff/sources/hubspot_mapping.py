"""HubSpot records -> canonical rows, declared in one place (see docs/hubspot.md).

One field map per object (`MAPS`): a canonical column is a `Field` (HubSpot propert(ies)
and a converter) or a `Derived` column (the exceptions below: the handoff moment from the
lifecycle dates or history, the disposition and when it was set, the tier, the lead an
engagement or deal belongs to, the automated flag). Raw records are flat: `id` plus each
property as HubSpot returns it (text; datetimes as ISO 8601 or epoch milliseconds). Owner
changes come from a contact's `hubspot_owner_id` history (`owner_history_frame`).
"""

from __future__ import annotations

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
    to_num,
    to_text,
    to_ts,
    value_mapper,
)

MQL_STAGE = "marketingqualifiedlead"
# DESIGN, "Connectors": HubSpot's standard lead statuses that name a disposition.
STANDARD_DISPOSITIONS = {"OPEN_DEAL": "Qualified", "UNQUALIFIED": "Bad Fit", "BAD_TIMING": "Wrong Timing"}
MEETING_OUTCOMES = {
    "scheduled": "scheduled",
    "rescheduled": "scheduled",
    "completed": "held",
    "no_show": "no_show",
    "noshow": "no_show",
    "canceled": "canceled",
    "cancelled": "canceled",
}
EMAIL_DIRECTIONS = {"EMAIL": "outbound", "INCOMING_EMAIL": "inbound", "FORWARDED_EMAIL": "outbound"}
HISTORY_COLUMNS = ["id", "property", "value", "timestamp"]
OWNER_PROPERTY = "hubspot_owner_id"
OWNER_HISTORY_COLUMNS = ["change_id", "contact_id", "timestamp", "from_owner", "to_owner"]
# The cursor property of each object (contacts have their own name for it).
MODIFIED = {
    "contacts": "lastmodifieddate",
    "calls": "hs_lastmodifieddate",
    "emails": "hs_lastmodifieddate",
    "meetings": "hs_lastmodifieddate",
    "deals": "hs_lastmodifieddate",
}


@dataclass
class Context:
    """What the derived columns need beyond the record: settings, history, associations."""

    mql_property: str | None = None
    tier_property: str | None = None
    tier: Callable = lambda v: None  # tier_property value -> high / medium / low
    disposition_property: str = "hs_lead_status"
    disposition: Callable = lambda v: None
    automated_property: str | None = None
    history: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=HISTORY_COLUMNS))
    contact_of: Mapping[str, str] = field(default_factory=dict)  # engagement / deal id -> contact id
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


# -- history ------------------------------------------------------------------------------------------
def _history(ctx: Context, prop: str) -> pd.DataFrame:
    h = ctx.history
    if h.empty:
        return pd.DataFrame({"id": [], "value": [], "at": pd.Series([], dtype="datetime64[us, UTC]")})
    h = h[h["property"] == prop]
    return pd.DataFrame(
        {"id": h["id"].astype(str).values, "value": to_text(h["value"]).values, "at": to_ts(h["timestamp"]).array}
    )


def first_entered(ctx: Context, ids: pd.Series, prop: str, value: str) -> pd.Series:
    """Per record: the earliest history entry of `prop` with `value` (aligned with ids)."""
    h = _history(ctx, prop)
    h = h[h["value"].str.lower() == value.lower()] if not h.empty else h
    first = h.groupby("id")["at"].min().to_dict() if not h.empty else {}
    return pd.Series([first.get(i, pd.NaT) for i in ids], index=ids.index, dtype="datetime64[us, UTC]")


def set_current(ctx: Context, ids: pd.Series, prop: str, current: pd.Series) -> pd.Series:
    """Per record: the latest history entry of `prop` whose value is the current value."""
    h = _history(ctx, prop)
    latest = h.groupby(["id", "value"])["at"].max().to_dict() if not h.empty else {}
    found = [latest.get((i, v), pd.NaT) for i, v in zip(ids, to_text(current), strict=True)]
    return pd.Series(found, index=ids.index, dtype="datetime64[us, UTC]")


# -- the exceptions -------------------------------------------------------------------------------------
def mql_at(frame, out, ctx: Context) -> pd.Series:
    """`hubspot.mql_property` if set; else hs_v2_date_entered_marketingqualifiedlead, else
    hs_lifecyclestage_marketingqualifiedlead_date, else the earliest lifecyclestage history
    entry `marketingqualifiedlead`; else empty (not handed off)."""
    sources = ([ctx.mql_property] if ctx.mql_property else []) + [
        "hs_v2_date_entered_marketingqualifiedlead",
        "hs_lifecyclestage_marketingqualifiedlead_date",
    ]
    at = Field(tuple(sources), to_ts)(frame, out, ctx)
    return at.where(at.notna(), first_entered(ctx, out["lead_id"], "lifecyclestage", MQL_STAGE))


def tier(frame, out, ctx: Context) -> pd.Series:
    """`hubspot.tier_property` through `hubspot.tier_map`; empty otherwise (the policy then
    derives the tier from the source: by default every contact is low)."""
    if not ctx.tier_property:
        return pd.Series(None, index=frame.index, dtype=object)
    return omap(col(frame, ctx.tier_property), ctx.tier)


def disposition(frame, out, ctx: Context) -> pd.Series:
    return omap(col(frame, ctx.disposition_property), ctx.disposition)


def disposition_at(frame, out, ctx: Context) -> pd.Series:
    """When the history set the current lead status; empty without a disposition."""
    at = set_current(ctx, out["lead_id"], ctx.disposition_property, col(frame, ctx.disposition_property))
    return at.where(out["disposition"].notna(), pd.NaT)


def contact(frame, out, ctx: Context) -> pd.Series:
    """The contact (lead) an engagement or deal is associated with (the lowest id of several)."""
    return omap(to_text(col(frame, "id")), lambda i: ctx.contact_of.get(i) if i is not None else None)


def call_direction(values: pd.Series) -> pd.Series:
    """hs_call_direction: INBOUND is inbound; OUTBOUND or empty is outbound."""
    return omap(values, lambda v: "inbound" if v is not None and str(v).strip().upper() == "INBOUND" else "outbound")


def email_direction(values: pd.Series) -> pd.Series:
    return omap(
        values, lambda v: EMAIL_DIRECTIONS.get(str(v).strip().upper(), "outbound") if v is not None else "outbound"
    )


def email_automated(frame, out, ctx: Context) -> pd.Series:
    """Sent by a sequence (hs_sequence_id set) or `hubspot.automated_property` set (and not false)."""
    automated = to_text(col(frame, "hs_sequence_id")).notna()
    if ctx.automated_property:
        flagged = to_text(col(frame, ctx.automated_property))
        automated |= omap(
            flagged, lambda v: v is not None and v.strip().lower() not in ("", "false", "0", "no")
        ).astype(bool)
    return automated.astype(bool)


def call_automated(frame, out, ctx: Context) -> pd.Series:
    if not ctx.automated_property:
        return pd.Series(False, index=frame.index, dtype=bool)
    return email_automated(frame.drop(columns=["hs_sequence_id"], errors="ignore"), out, ctx)


def meeting_status(values: pd.Series) -> pd.Series:
    """hs_meeting_outcome: SCHEDULED, COMPLETED, NO_SHOW, CANCELED (RESCHEDULED: scheduled)."""
    return omap(
        values, lambda v: MEETING_OUTCOMES.get(str(v).strip().lower(), "scheduled") if v is not None else "scheduled"
    )


def constant(value) -> Derived:
    return Derived(lambda frame, out, ctx: pd.Series(value, index=frame.index, dtype=object))


def closed_at(frame, out, ctx) -> pd.Series:
    """closedate only when the deal is closed (an open deal's closedate is a forecast)."""
    return to_ts(col(frame, "closedate")).where(out["is_closed"], pd.NaT)


def owner_name(frame, out, ctx) -> pd.Series:
    first, last = to_text(col(frame, "firstName")), to_text(col(frame, "lastName"))
    return pd.Series(
        [" ".join(p for p in (f, la) if p) or None for f, la in zip(first, last, strict=True)],
        index=frame.index,
        dtype=object,
    )


def owner_team(frame, out, ctx) -> pd.Series:
    """The owner's primary team, else its first team."""

    def team(teams):
        if not isinstance(teams, list) or not teams:
            return None
        primary = [t for t in teams if isinstance(t, dict) and t.get("primary")]
        chosen = (primary or teams)[0]
        return chosen.get("name") if isinstance(chosen, dict) else None

    return omap(col(frame, "teams"), team)


# -- owner history ------------------------------------------------------------------------------------
def owner_history_frame(history: pd.DataFrame) -> pd.DataFrame:
    """A contact's `hubspot_owner_id` history (HISTORY_COLUMNS rows, in HubSpot's order: newest
    first) -> one raw change per entry whose value differs from the previous entry's, oldest
    first: from the previous value (none for the first) to the value (empty: unassigned).
    Entries are ordered by timestamp whatever order they arrive in (of entries at the same
    instant, the one HubSpot lists later is the older). The change id is
    `{contact}:{epoch ms}:{n}`, n counting the changes at that instant: the same history gives
    the same ids, so a rerun adds nothing."""
    h = history[history["property"] == OWNER_PROPERTY] if not history.empty else history
    if h.empty:
        return pd.DataFrame(columns=OWNER_HISTORY_COLUMNS)
    values = [None if v is None else str(v).strip() or None for v in to_text(h["value"])]
    h = pd.DataFrame(
        {
            "id": pd.Series(h["id"].astype(str).tolist(), dtype=object),
            "value": pd.Series(values, dtype=object),
            "at": to_ts(h["timestamp"]).array,
            "listed": range(len(h)),
        }
    )
    h = h[h["at"].notna()]
    # Oldest first: by instant, then (HubSpot lists newest first) by the reverse of the listing.
    h = h.sort_values(["id", "at", "listed"], ascending=[True, True, False], kind="stable")
    out = []
    contact, previous, last_ms, n = None, None, None, 0
    for cid, value, at in zip(h["id"], h["value"], h["at"], strict=True):
        if cid != contact:
            contact, previous, last_ms = cid, None, None
        if value == previous:
            continue
        stamp = int(at.value // 1_000_000)  # epoch ms (a Timestamp's value is in nanoseconds)
        n = n + 1 if stamp == last_ms else 0
        out.append((f"{cid}:{stamp}:{n}", cid, at, previous, value))
        previous, last_ms = value, stamp
    return pd.DataFrame(out, columns=OWNER_HISTORY_COLUMNS, dtype=object)


# -- the maps -----------------------------------------------------------------------------------------
OWNERS: FieldMap = {
    "rep_id": Field("id"),
    "name": Derived(owner_name),
    "email": Field("email"),
    "team": Derived(owner_team),
    "active": Field("archived", lambda v: ~flag(False)(v)),
    "user_id": Field("userId"),
}
CONTACTS: FieldMap = {
    "lead_id": Field("id"),
    "created_at": Field("createdate", to_ts),
    "mql_at": Derived(mql_at),
    "owner_id": Field("hubspot_owner_id"),
    "assigned_at": Field("hubspot_owner_assigneddate", to_ts),
    "source": Field("_source"),
    "tier": Derived(tier),
    "company": Field("company"),
    "title": Field("jobtitle"),
    "country": Field("country"),
    "disposition": Derived(disposition),
    "disposition_at": Derived(disposition_at),
    "sql_at": Field(("hs_v2_date_entered_salesqualifiedlead", "hs_lifecyclestage_salesqualifiedlead_date"), to_ts),
    "lifecyclestage": Field("lifecyclestage"),
    "lead_status": Field("hs_lead_status"),
}
CALLS: FieldMap = {
    "activity_id": Field("id"),
    "lead_id": Derived(contact),
    "rep_id": Field("hubspot_owner_id"),
    "type": constant("call"),
    "direction": Field("hs_call_direction", call_direction),
    "occurred_at": Field("hs_timestamp", to_ts),
    "is_automated": Derived(call_automated),
    "outcome": Field("hs_call_disposition"),
    "subject": Field("hs_call_title"),
}
EMAILS: FieldMap = {
    "activity_id": Field("id"),
    "lead_id": Derived(contact),
    "rep_id": Field("hubspot_owner_id"),
    "type": constant("email"),
    "direction": Field("hs_email_direction", email_direction),
    "occurred_at": Field("hs_timestamp", to_ts),
    "is_automated": Derived(email_automated),
    "outcome": Field("hs_email_status"),
    "subject": Field("hs_email_subject"),
}
MEETINGS: FieldMap = {
    "meeting_id": Field("id"),
    "lead_id": Derived(contact),
    "rep_id": Field("hubspot_owner_id"),
    "booked_at": Field(("hs_createdate", "createdate"), to_ts),
    "scheduled_for": Field("hs_meeting_start_time", to_ts),
    "status": Field("hs_meeting_outcome", meeting_status),
}
DEALS: FieldMap = {
    "opportunity_id": Field("id"),
    "lead_id": Derived(contact),
    "created_at": Field("createdate", to_ts),
    "amount": Field("amount", to_num),
    "stage": Field("dealstage"),
    "is_closed": Field("hs_is_closed", flag(False)),
    "is_won": Field("hs_is_closed_won", flag(False)),
    "closed_at": Derived(closed_at),
}
OWNER_HISTORY: FieldMap = {
    "change_id": Field("change_id"),
    "lead_id": Field("contact_id"),
    "changed_at": Field("timestamp", to_ts),
    "from_owner_id": Field("from_owner"),
    "to_owner_id": Field("to_owner"),
}
MAPS: dict[str, tuple[str, FieldMap]] = {
    "owners": ("reps", OWNERS),
    "contacts": ("leads", CONTACTS),
    "owner_history": ("owner_changes", OWNER_HISTORY),
    "calls": ("activities", CALLS),
    "emails": ("activities", EMAILS),
    "meetings": ("meetings", MEETINGS),
    "deals": ("opportunities", DEALS),
}
# The properties each object's search asks for (besides the configured ones).
PROPERTIES: dict[str, list[str]] = {
    "contacts": [
        "createdate",
        "lastmodifieddate",
        "hubspot_owner_id",
        "hubspot_owner_assigneddate",
        "company",
        "jobtitle",
        "country",
        "lifecyclestage",
        "hs_lead_status",
        "hs_v2_date_entered_marketingqualifiedlead",
        "hs_lifecyclestage_marketingqualifiedlead_date",
        "hs_v2_date_entered_salesqualifiedlead",
        "hs_lifecyclestage_salesqualifiedlead_date",
    ],
    "calls": [
        "hs_lastmodifieddate",
        "hubspot_owner_id",
        "hs_call_direction",
        "hs_timestamp",
        "hs_call_disposition",
        "hs_call_title",
    ],
    "emails": [
        "hs_lastmodifieddate",
        "hubspot_owner_id",
        "hs_email_direction",
        "hs_timestamp",
        "hs_email_status",
        "hs_email_subject",
        "hs_sequence_id",
    ],
    "meetings": [
        "hs_lastmodifieddate",
        "hubspot_owner_id",
        "hs_createdate",
        "hs_meeting_start_time",
        "hs_meeting_outcome",
    ],
    "deals": [
        "hs_lastmodifieddate",
        "createdate",
        "amount",
        "dealstage",
        "closedate",
        "hs_is_closed",
        "hs_is_closed_won",
    ],
}
HISTORY_PROPERTIES = ["lifecyclestage", "hs_lead_status"]


def disposition_mapper(codes, custom: Mapping[str, str] | None):
    """hs_lead_status -> code: the custom map, then HubSpot's standard statuses, then a value
    equal to a code ignoring case, spaces and underscores; anything else: no disposition."""
    from handoff.sources.convert import disposition_mapper as generic

    return generic(codes, {**STANDARD_DISPOSITIONS, **(custom or {})})


def tier_mapper(mapping: Mapping[str, str]) -> Callable:
    return value_mapper(mapping)


def rows(
    obj: str, frame: pd.DataFrame, context: Context | None = None, fields: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Canonical rows of HubSpot object `obj` (owners, contacts, owner_history, calls, emails,
    meetings, deals) from flat raw records, with the user's extra property map (column -> property)."""
    table, fmap = MAPS[obj]
    return apply_map(fmap, table, frame, context or Context(), fields)
