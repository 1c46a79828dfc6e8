"""Numbers for people, and the table helper every page uses (with a CSV download).

The first half is pure: `money`, `count`, `rate`, `points`, `duration` turn a number into
the text a person reads (money in the policy's currency, compact in headlines and full in
tables; thousands separators; one decimal for rates; durations in the unit a person reads
with the clock named). Missing values (None, NaN, NA) read as an em dash.

The second half formats tables: a metric's column (header, number format, help) comes from
the metric registry; `COLUMNS` holds the other columns the views return. `header` is the
one mapping from a column name to what a person reads, shared by the tables and their CSV
downloads (which keep machine-friendly numbers, rounded).
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

import pandas as pd
import streamlit as st

from handoff.model import definitions as registry
from handoff.output import to_csv
from handoff.policy import Policy
from handoff.ui import state

MISSING = "\u2014"  # an em dash: no value
SYMBOLS = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3", "JPY": "\u00a5", "INR": "\u20b9"}
"""Currencies shown by their symbol; any other is shown by its ISO 4217 code."""
COMPACT = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
Clock = Literal["business", "wall-clock"]
DAY_MINUTES = 480.0
"""A business day's length in minutes by default (the policy's business hours set it)."""


def missing(value: Any) -> bool:
    """Whether a value is absent: None, NaN, pandas NA or NaT."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def symbol(currency: str = "USD") -> str:
    """The symbol of a currency ($, \u20ac, \u00a3, \u00a5), else its ISO code."""
    code = (currency or "USD").upper()
    return SYMBOLS.get(code, code)


def _with_currency(digits: str, currency: str, negative: bool) -> str:
    mark = symbol(currency)
    sign = "-" if negative else ""
    return f"{sign}{mark}{digits}" if len(mark) == 1 else f"{sign}{mark} {digits}"


def _compact(size: float) -> str:
    """A non-negative number as 950, 205.8K, 73.7M, 1.2B, 2,400.0T (one decimal from a
    thousand; 999,960 reads as 1.0M, not 1000.0K)."""
    if round(size) < 1000:
        return f"{round(size):.0f}"
    for step, letter in reversed(COMPACT):  # K, M, B, T
        value = round(size / step, 1)
        if value < 1000 or letter == "T":
            return f"{value:,.1f}{letter}"
    raise AssertionError("unreachable")


def money(value: Any, currency: str = "USD", compact: bool = False) -> str:
    """An amount in a currency: $73,726,334 in full (whole units), $73.7M compact."""
    if missing(value):
        return MISSING
    amount = float(value)
    if round(abs(amount)) == 0:
        amount = 0.0
    digits = _compact(abs(amount)) if compact else f"{round(abs(amount)):,.0f}"
    return _with_currency(digits, currency, amount < 0 and digits.strip("0.,") != "")


def count(value: Any) -> str:
    """A count with thousands separators: 1,234 (a fraction is rounded)."""
    if missing(value):
        return MISSING
    n = round(float(value))
    return f"{n:,.0f}" if n else "0"


def rate(value: Any, digits: int = 1) -> str:
    """A share or rate (a fraction) as a percentage with one decimal: 0.598 -> 59.8%."""
    if missing(value):
        return MISSING
    text = f"{float(value) * 100:,.{digits}f}"
    return ("0" if digits == 0 else f"{0:.{digits}f}") + "%" if text.lstrip("-").strip("0.") == "" else f"{text}%"


def points(value: Any, digits: int = 1) -> str:
    """A change between two rates in percentage points, signed: 0.032 -> +3.2 pp."""
    if missing(value):
        return MISSING
    return f"{float(value) * 100:+.{digits}f} pp"


def number(value: Any, digits: int = 1) -> str:
    """A plain number with thousands separators and fixed decimals: 1,234.5."""
    if missing(value):
        return MISSING
    return f"{float(value):,.{digits}f}"


def duration(minutes: Any, clock: Clock = "business", day_minutes: float = DAY_MINUTES) -> str:
    """A duration in the unit a person reads, its clock named.

    Under an hour in minutes ("42 business min", one decimal under 10: "4.5 business min"),
    then hours ("5.3 business h"), then days past a week ("9.2 business days"). A business
    day is `day_minutes` (the policy's business hours, 480 by default) and a business week
    five of them; a wall-clock day is 24 h and its week 7 days.
    """
    if missing(minutes):
        return MISSING
    if clock not in ("business", "wall-clock"):
        raise ValueError(f"clock must be 'business' or 'wall-clock', got {clock!r}")
    value = float(minutes)
    sign = "-" if value < 0 else ""
    size = abs(value)
    day = day_minutes if clock == "business" else 1440.0
    week = day * (5 if clock == "business" else 7)
    if round(size, 1) < 10:
        text, unit = f"{round(size, 1):.1f}".removesuffix(".0"), "min"
    elif round(size) < 60:
        text, unit = f"{round(size):.0f}", "min"
    elif size <= week:
        text, unit = f"{size / 60:,.1f}", "h"
    else:
        text, unit = f"{size / day:,.1f}", "days"
    if text.strip("0.") == "":
        sign = ""
    return f"{sign}{text} {clock} {unit}"


PEOPLE_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bmql_at -> first touch", "from the MQL time to the first touch"),
    (r"\bmql_at -> assigned_at", "from the MQL time to the assignment time"),
    (r"\[mql_at, min\(window_end, as_of\)\]", "from the MQL time to the end of the meeting window (or the as-of time)"),
    (r"disposition_at - mql_at <= (\S+) hours", r"disposition came at most \1 hours after the MQL time"),
    (r"\b(an|latest) mql_at\b", r"\1 MQL time"),
    (r"\bmql_at\b", "the MQL time"),
    (r"\ban assigned_at\b", "an assignment time"),
    (r"\bassigned_at\b", "the assignment time"),
    (r"\bbreach_at\b", "the breach time"),
    (r"\blatest window_end\b", "latest meeting-window end"),
    (r"\bwindow_end\b", "the end of the meeting window"),
    (r"\(sql_at set\)", "(with an SQL date)"),
    (r"\bsql_at\b", "the SQL date"),
    (r"\bdisposition_at\b", "the disposition time"),
    (r"\bresponse_business_minutes\b", "business minutes to the first touch"),
    (r"\bresponse_minutes\b", "wall-clock minutes to the first touch"),
    (r"\bowner_id\b", "owner"),
    (r"\bas_of\b", "the as-of time"),
)
"""Column names in the registry's definitions (exact for analysts and docs/metrics.md), and
the words a person reads instead, in the order they are replaced."""


def words(text: str) -> str:
    """A definition for people: column names replaced by what they mean."""
    for pattern, replacement in PEOPLE_WORDS:
        text = re.sub(pattern, replacement, text)
    return text


col = st.column_config
STREAMLIT_CURRENCY = {"USD": "dollar", "EUR": "euro", "JPY": "yen"}
"""Currencies Streamlit's tables format themselves (with thousands separators)."""


def rate_column(label: str, help: str | None = None):
    """A share or rate column: 59.8% (one decimal)."""
    return col.NumberColumn(label, format="percent", step=0.001, help=help)


def minutes_column(label: str, help: str | None = None, clock: Clock = "business"):
    """A column of minutes on a named clock; the header names the unit when it does not."""
    named = label if "min" in label else f"{label} ({clock} min)"
    return col.NumberColumn(named, format="%.1f", help=help)


def count_column(label: str, help: str | None = None):
    """A count with thousands separators."""
    return col.NumberColumn(label, format="localized", step=1, help=help)


def money_column(label: str, currency: str = "USD", help: str | None = None):
    """An amount in whole units of the currency: $73,726,334; a currency Streamlit does
    not format itself is named in the header (CHF) with separators in the cells."""
    code = (currency or "USD").upper()
    if code in STREAMLIT_CURRENCY:
        return col.NumberColumn(label, format=STREAMLIT_CURRENCY[code], step=1, help=help)
    return col.NumberColumn(f"{label} ({symbol(code)})", format="localized", step=1, help=help)


def number_column(label: str, digits: int = 2, help: str | None = None):
    return col.NumberColumn(label, format=f"%.{digits}f", help=help)


def when(label: str):
    return col.DatetimeColumn(label, format="YYYY-MM-DD HH:mm z")


def text(label: str):
    return col.TextColumn(label)


def metric_column(name: str, policy: Policy | None = None):
    """A metric's column: the registry's header, its unit's format, its definition as help."""
    policy = policy or Policy()
    m = registry.get(name)
    label, help = words(registry.header(name, policy)), words(registry.help_text(name, policy))
    if m.unit == "money":
        return money_column(label, policy.currency, help)
    if m.unit == "share":
        return rate_column(label, help)
    if m.unit == "count":
        return count_column(label, help)
    return col.NumberColumn(label, format=registry.UNITS[m.unit].column, help=help)


def columns(policy: Policy | None = None) -> dict[str, Any]:
    """Formats for the other columns the views return, by column name; help filled from
    the policy."""
    policy = policy or Policy()
    hours = f"{policy.disposition_sla_hours:g}"
    return {
        "lead_id": text("Lead"),
        "owner_id": text("Owner (CRM id)"),
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
            help=f"Unticked: handoffs of the last {hours} h may still get a disposition, so the "
            "disposition rates are so far.",
        ),
        "matures_at": col.DatetimeColumn("Matures on", format="YYYY-MM-DD"),
        "mql_at": when("MQL at"),
        "first_touch_at": when("First touch"),
        "touches_in_window": count_column("Touches in window"),
        "share_of_rejections": rate_column("Share"),
        "share": rate_column("Share"),
        "response_business_minutes": minutes_column("Response (business min)"),
        "sla_target_business_minutes": minutes_column("Target (business min)"),
        "age_business_minutes": minutes_column("Age (business min)"),
        "sla_minutes_left": minutes_column("SLA time left (business min)"),
        "hours_since_mql": number_column("Since MQL (wall-clock h)", 1),
        "contacted": col.CheckboxColumn("Contacted", help="Touched or booked a meeting since the MQL time."),
        "week": col.DateColumn("MQL week", format="YYYY-MM-DD"),
        "meeting_rate": rate_column("Meeting rate"),
        "meeting_rate_low": rate_column("Meeting rate, low"),
        "meeting_rate_high": rate_column("Meeting rate, high"),
        "sql_rate_low": rate_column("SQL rate, low"),
        "sql_rate_high": rate_column("SQL rate, high"),
    }


COLUMNS = columns()
"""The formats of `columns` under the default policy."""
MONEY_FORMATS = {*STREAMLIT_CURRENCY.values()}


def config_label(config: Any, name: str) -> str:
    """The header a column config gives, else the column name in words."""
    label = config.get("label") if isinstance(config, dict) else None
    return str(label) if label else name.replace("_", " ").capitalize()


def header(name: str, policy: Policy | None = None) -> str:
    """What a person reads above a column: a metric's header, else the column's label."""
    policy = policy or Policy()
    if name in set(registry.names()):
        return config_label(metric_column(name, policy), name)
    return config_label(columns(policy).get(name), name)


def _digits(config: Any) -> int:
    """Decimals a CSV keeps for a number column: cents for money (a whole-unit column), four
    for the rest."""
    number = config.get("type_config", {}) if isinstance(config, dict) else {}
    return 2 if number.get("format") in MONEY_FORMATS or number.get("step") == 1 else 4


def for_people(frame: pd.DataFrame, config: dict[str, Any]) -> pd.DataFrame:
    """A table for a CSV download: human headers (those of the table's column configs) and
    numbers rounded to a sensible precision (no 16-digit floats), still machine-readable."""
    out = frame.copy()
    for name in out.columns:
        series = out[name]
        if pd.api.types.is_float_dtype(series):
            out[name] = series.round(_digits(config.get(name)))
    return out.rename(columns={name: config_label(config.get(name), str(name)) for name in out.columns})


def csv_bytes(frame: pd.DataFrame, config: dict[str, Any] | None = None) -> bytes:
    """CSV of a table with human headers and rounded numbers; text cells that a spreadsheet
    would run as a formula get a leading '."""
    return str(to_csv(for_people(frame, config or {}))).encode("utf-8")


MAX_ROWS = 5000


def column_config(
    frame: pd.DataFrame, policy: Policy | None = None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The format of each column of a table: `extra` first, then a metric's from the
    registry (a number column named like a metric; a per-lead flag such as
    `disposition_on_time` is not one), else `columns`."""
    policy = policy or state.policy()
    metrics = set(registry.names())
    known = columns(policy)
    extra = extra or {}
    config: dict[str, Any] = {}
    for c in frame.columns:
        series = frame[c]
        if c in extra:
            config[c] = extra[c]
        elif c in metrics and pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            config[c] = metric_column(c, policy)
        elif c in known:
            config[c] = known[c]
        else:  # a column a page named itself: its name in words as the header
            config[c] = col.Column(config_label(None, str(c)))
    return config


def table(
    frame: pd.DataFrame,
    file_name: str,
    key: str | None = None,
    height: int | None = None,
    columns: dict[str, Any] | None = None,
    **dataframe_args,
) -> None:
    """A formatted, sortable table with a CSV download of all its rows (the browser shows
    the first MAX_ROWS, so a million-row answer does not stall the page). `columns` formats
    columns the registry and `COLUMNS` do not know; the CSV has the same headers."""
    config = column_config(frame, extra=columns)
    if len(frame) > MAX_ROWS:
        st.caption(f"Showing {MAX_ROWS:,} of {len(frame):,} rows (download the CSV for all).")
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
        csv_bytes(frame, config),
        file_name=file_name,
        mime="text/csv",
        key=key or f"dl_{file_name}",
        icon=":material/download:",
    )


MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&^=\"'")


def plain(text: Any) -> str:
    """Text from data made safe inside Markdown: every punctuation character that Markdown
    or Streamlit's directives (`:red[...]`, `$...$`, `<...>`) could read is escaped."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in str(text)).replace("\n", " ")
