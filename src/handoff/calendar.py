"""The business-hours clock.

A *calendar* is a timezone plus a public-holiday country, numbered `cal_no`. For each
calendar we build two tables:

- `business_days`: one row per business day, its UTC open and close instants (epoch µs) and
  the business time accumulated before it. The inverse lookup (the instant at which N
  business minutes have elapsed, window_end) is an ASOF join on the accumulated column.
- `business_hours`: one row per UTC hour: the business time accumulated at the hour's start
  and the (at most two) business intervals inside the hour, clipped to it. Business time at
  any instant is then an equality join on (cal_no, hour) plus a clip, which is several
  times faster than an ASOF join, and business minutes between two instants is a difference
  of two such lookups.

All arithmetic is in integer microseconds, so a response exactly at its target compares
equal. The SQL that reads the tables is `model/sql/business_time.sql` (the lookup formula)
and `model/sql/handoff_clock.sql`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import pandas as pd

from handoff.policy import Policy

US_PER_HOUR = 3_600_000_000


def calendar_id(tz: str, country: str | None) -> str:
    return f"{tz}|{country or ''}"


def holiday_dates(country: str | None, subdivision: str | None, years: range) -> set[date]:
    if not country:
        return set()
    try:
        days = holidays.country_holidays(country, subdiv=subdivision, years=years)
    except NotImplementedError:
        return set()
    return set(days.keys())


def business_days(policy: Policy, tz: str, country: str | None, start: date, end: date) -> pd.DataFrame:
    """One row per business day of one calendar in [start, end]: open/close in epoch µs."""
    zone = ZoneInfo(tz)
    hours = policy.business_hours
    subdivision = policy.holiday_subdivision if country == policy.holiday_country else None
    closed = holiday_dates(country, subdivision, range(start.year, end.year + 1))
    weekdays = set(hours.weekdays)
    rows = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and day not in closed:
            opens = datetime.combine(day, hours.start, zone).astimezone(timezone.utc)
            closes = datetime.combine(day, hours.end, zone).astimezone(timezone.utc)
            rows.append((day, _epoch_us(opens), _epoch_us(closes)))
        day += timedelta(days=1)
    frame = pd.DataFrame(rows, columns=["day", "open_us", "close_us"])
    frame["length_us"] = frame["close_us"] - frame["open_us"]
    frame["cum_before_us"] = frame["length_us"].cumsum() - frame["length_us"]
    frame.insert(0, "calendar_id", calendar_id(tz, country))
    return frame.astype({"open_us": "int64", "close_us": "int64", "length_us": "int64", "cum_before_us": "int64"})


def _epoch_us(t: datetime) -> int:
    return int(t.timestamp()) * 1_000_000 + t.microsecond


def span_for(policy: Policy, first: datetime, last: datetime) -> tuple[date, date]:
    """Calendar dates that cover [first, last] in every timezone plus the meeting window."""
    slack = int(policy.meeting_window_days * 7 / max(len(policy.business_hours.days), 1)) + 45
    return (first - timedelta(days=2)).date(), (last + timedelta(days=slack)).date()


def business_hours(days: pd.DataFrame) -> pd.DataFrame:
    """One row per UTC hour covering one calendar's business days (see the module doc).

    Business days never overlap, so an hour meets at most two of them: the last that opened
    before the hour ends, and the one before it.
    """
    opens = days["open_us"].to_numpy()
    closes = days["close_us"].to_numpy()
    cum = days["cum_before_us"].to_numpy()
    if len(opens) == 0:
        return pd.DataFrame(columns=["hour_no", "cum_us", "lo1", "hi1", "lo2", "hi2"], dtype="int64")
    first, last = opens[0] // US_PER_HOUR - 24, closes[-1] // US_PER_HOUR + 24
    starts = np.arange(first, last + 1, dtype="int64") * US_PER_HOUR
    ends = starts + US_PER_HOUR

    def clipped(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        valid = idx >= 0
        safe = np.where(valid, idx, 0)
        lo = np.where(valid, np.clip(opens[safe], starts, ends), starts)
        hi = np.where(valid, np.clip(closes[safe], starts, ends), starts)
        return lo, np.maximum(hi, lo)

    latest = np.searchsorted(opens, ends, side="left") - 1
    lo2, hi2 = clipped(latest)
    lo1, hi1 = clipped(latest - 1)
    before = np.searchsorted(opens, starts, side="right") - 1
    safe = np.where(before >= 0, before, 0)
    at_start = cum[safe] + np.clip(starts - opens[safe], 0, closes[safe] - opens[safe])
    return pd.DataFrame({
        "hour_no": starts // US_PER_HOUR,
        "cum_us": np.where(before >= 0, at_start, 0),
        "lo1": lo1, "hi1": hi1, "lo2": lo2, "hi2": hi2,
    })


def install(con, policy: Policy, calendars: list[tuple[str, str | None]], first: datetime, last: datetime) -> None:
    """Create (or replace) `calendars`, `business_days` and `business_hours` in this connection."""
    start, end = span_for(policy, first, last)
    unique = sorted({(tz, country or None) for tz, country in calendars}, key=str)
    days, hours = [], []
    for cal_no, (tz, country) in enumerate(unique):
        frame = business_days(policy, tz, country, start, end)
        frame.insert(0, "cal_no", cal_no)
        days.append(frame)
        per_hour = business_hours(frame)
        per_hour.insert(0, "cal_no", cal_no)
        hours.append(per_hour)
    names = pd.DataFrame({"calendar_id": [calendar_id(tz, c) for tz, c in unique], "cal_no": range(len(unique))})
    for table, frame in (("calendars", names), ("business_days", pd.concat(days, ignore_index=True)),
                         ("business_hours", pd.concat(hours, ignore_index=True))):
        con.register("_calendar_in", frame)
        try:
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _calendar_in")
        finally:
            con.unregister("_calendar_in")
