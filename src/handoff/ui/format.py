"""Column formats for tables, and the table helper every page uses (with a CSV download)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from handoff.output import to_csv

col = st.column_config

PERCENT = dict(format="percent")
MINUTES = dict(format="%.1f")


def percent(label: str, help: str | None = None):
    return col.NumberColumn(label, format="percent", help=help)


def minutes(label: str, help: str | None = None):
    return col.NumberColumn(label, format="%.1f", help=help)


def count(label: str, help: str | None = None):
    return col.NumberColumn(label, format="localized", help=help)


def money(label: str, help: str | None = None):
    return col.NumberColumn(label, format="localized", help=help)


def when(label: str):
    return col.DatetimeColumn(label, format="YYYY-MM-DD HH:mm z")


def text(label: str):
    return col.TextColumn(label)


# Formats for the columns the views return, by column name.
COLUMNS = {
    "lead_id": text("Lead"), "owner_id": text("Owner id"), "owner_name": text("Owner"),
    "team": text("Team"), "team_name": text("Team"), "tier": text("Tier"), "source": text("Source"),
    "campaign": text("Campaign"), "company": text("Company"), "group": text("Group"),
    "reason": text("Reason"), "example_leads": text("Example leads"),
    "example_companies": text("Example companies"), "disposition": text("Disposition"),
    "speed_bucket": text("Speed bucket"), "sla_status": text("SLA status"),
    "meeting_band": text("Band"),
    "mql_at": when("MQL at"), "first_touch_at": when("First touch"),
    "handoffs": count("Handoffs"), "never_contacted": count("Never contacted"),
    "met": count("Met"), "breached": count("Breached"), "pending": count("Pending"),
    "meeting_decided": count("Decided"), "meetings_in_window": count("Meetings"),
    "dispositioned": count("Dispositioned"), "accepted": count("Accepted"),
    "touches_in_window": count("Touches (10 bd)"),
    "sla_compliance": percent("SLA compliance"), "never_contacted_rate": percent("Never contacted"),
    "cadence_rate": percent("Cadence rate"), "disposition_on_time_rate": percent("Disposition on time"),
    "handoff_to_meeting_rate": percent("Handoff-to-meeting"), "acceptance_rate": percent("Acceptance"),
    "share_of_rejections": percent("Share"), "share": percent("Share"),
    "median_response_business_minutes": minutes("Median (bus. min)"),
    "p90_response_business_minutes": minutes("p90 (bus. min)"),
    "response_business_minutes": minutes("Response (bus. min)"),
    "sla_target_business_minutes": minutes("Target (bus. min)"),
    "age_business_minutes": minutes("Age (bus. min)"),
    "sla_minutes_left": minutes("SLA minutes left"),
    "avg_touches_in_window": minutes("Touches in 10 bd (avg)"),
    "hours_since_mql": minutes("Hours since MQL"),
    "median_routing_business_minutes": minutes("Routing delay (median)"),
    "median_rep_business_minutes": minutes("Rep delay (median)"),
    "pipeline_amount": money("Pipeline"),
    "week": col.DateColumn("MQL week", format="YYYY-MM-DD"),
    "sqls": count("SQLs"), "won": count("Won"), "avg_won_amount": money("Avg won amount"),
    "meeting_rate": percent("Meeting rate"), "sql_rate": percent("SQL rate"),
    "meeting_rate_low": percent("Meeting rate, low"), "meeting_rate_high": percent("Meeting rate, high"),
    "sql_rate_low": percent("SQL rate, low"), "sql_rate_high": percent("SQL rate, high"),
}


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV of a table; text cells that a spreadsheet would run as a formula get a leading '."""
    return to_csv(frame).encode("utf-8")


MAX_ROWS = 5000


def table(frame: pd.DataFrame, file_name: str, key: str | None = None, height: int | None = None,
          **dataframe_args) -> None:
    """A formatted, sortable table with a CSV download of all its rows (the browser shows
    the first MAX_ROWS, so a million-row answer does not stall the page)."""
    config = {c: COLUMNS[c] for c in frame.columns if c in COLUMNS}
    if len(frame) > MAX_ROWS:
        st.caption(f"Showing the first {MAX_ROWS:,} of {len(frame):,} rows; the CSV has them all.")
    st.dataframe(frame.head(MAX_ROWS), column_config=config, hide_index=True, width="stretch",
                 height=height or "auto", **dataframe_args)
    st.download_button("Download CSV", csv_bytes(frame), file_name=file_name, mime="text/csv",
                       key=key or f"dl_{file_name}", icon=":material/download:")
