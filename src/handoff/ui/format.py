"""Column formats for tables, and the table helper every page uses (with a CSV download).

A metric's column (header, number format, help) comes from the metric registry; `COLUMNS`
holds the other columns the views return.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from handoff.model import definitions as registry
from handoff.output import to_csv
from handoff.policy import Policy
from handoff.ui import state

col = st.column_config


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


def metric_column(name: str, policy: Policy | None = None):
    """A metric's column: the registry's header, its unit's format, its definition as help."""
    m = registry.get(name)
    return col.NumberColumn(
        registry.header(name, policy), format=registry.UNITS[m.unit].column, help=registry.help_text(name, policy)
    )


# Formats for the other columns the views return, by column name.
COLUMNS = {
    "lead_id": text("Lead"),
    "owner_id": text("Owner id"),
    "owner_name": text("Owner"),
    "team": text("Team"),
    "team_name": text("Team"),
    "tier": text("Tier"),
    "source": text("Source"),
    "campaign": text("Campaign"),
    "company": text("Company"),
    "group": text("Group"),
    "reason": text("Reason"),
    "example_leads": text("Example leads"),
    "example_companies": text("Example companies"),
    "disposition": text("Disposition"),
    "speed_bucket": text("Speed bucket"),
    "sla_status": text("SLA status"),
    "meeting_band": text("Band"),
    "mature": col.CheckboxColumn("Mature"),
    "dispositions_final": col.CheckboxColumn(
        "Dispositions final",
        help="Unticked: handoffs of the last 48 h may still get a disposition, so the disposition rates are so far.",
    ),
    "matures_at": col.DatetimeColumn("Matures on", format="YYYY-MM-DD"),
    "mql_at": when("MQL at"),
    "first_touch_at": when("First touch"),
    "touches_in_window": count("Touches in window"),
    "share_of_rejections": percent("Share"),
    "share": percent("Share"),
    "response_business_minutes": minutes("Response (bus. min)"),
    "sla_target_business_minutes": minutes("Target (bus. min)"),
    "age_business_minutes": minutes("Age (bus. min)"),
    "sla_minutes_left": minutes("SLA minutes left"),
    "hours_since_mql": minutes("Hours since MQL"),
    "week": col.DateColumn("MQL week", format="YYYY-MM-DD"),
    "meeting_rate": percent("Meeting rate"),
    "meeting_rate_low": percent("Meeting rate, low"),
    "meeting_rate_high": percent("Meeting rate, high"),
    "sql_rate_low": percent("SQL rate, low"),
    "sql_rate_high": percent("SQL rate, high"),
}


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV of a table; text cells that a spreadsheet would run as a formula get a leading '."""
    return str(to_csv(frame)).encode("utf-8")


MAX_ROWS = 5000


def column_config(frame: pd.DataFrame, policy: Policy | None = None) -> dict:
    """The format of each column of a table: a metric's from the registry (a number column
    named like a metric; a per-lead flag such as `disposition_on_time` is not one), else
    COLUMNS."""
    policy = policy or state.policy()
    metrics = set(registry.names())
    config = {}
    for c in frame.columns:
        series = frame[c]
        if c in metrics and pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            config[c] = metric_column(c, policy)
        elif c in COLUMNS:
            config[c] = COLUMNS[c]
    return config


def table(
    frame: pd.DataFrame, file_name: str, key: str | None = None, height: int | None = None, **dataframe_args
) -> None:
    """A formatted, sortable table with a CSV download of all its rows (the browser shows
    the first MAX_ROWS, so a million-row answer does not stall the page)."""
    config = column_config(frame)
    if len(frame) > MAX_ROWS:
        st.caption(f"Showing the first {MAX_ROWS:,} of {len(frame):,} rows; the CSV has them all.")
    st.dataframe(
        frame.head(MAX_ROWS),
        column_config=config,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        **dataframe_args,
    )
    st.download_button(
        "Download CSV",
        csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key or f"dl_{file_name}",
        icon=":material/download:",
    )
