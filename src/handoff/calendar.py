"""The business-hours clock.

A *calendar* is a timezone plus a public-holiday country. For each calendar we build one row
per business day: the day's UTC open and close instants (epoch microseconds) and the business
time accumulated before that day. Business time up to an instant is then one ASOF lookup plus
the clipped part of that day, and business minutes between two instants is the difference of
two lookups. The inverse lookup (the instant at which N business minutes have elapsed) uses
the accumulated column. All arithmetic is in integer microseconds, so a response exactly at its
target compares equal. The SQL that does the lookups is `model/sql/business_time.sql` and
`model/sql/handoff_clock.sql`; this module builds the table they read.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pandas as pd

from handoff.policy import Policy

US_PER_MINUTE = 60_000_000


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


def install(con, policy: Policy, calendars: list[tuple[str, str | None]], first: datetime, last: datetime) -> None:
    """Create (or replace) the `business_days` table for these calendars in this connection."""
    start, end = span_for(policy, first, last)
    frames = [business_days(policy, tz, country, start, end) for tz, country in sorted(set(calendars), key=str)]
    frame = pd.concat(frames, ignore_index=True) if frames else business_days(policy, "UTC", None, start, start)
    con.register("_business_days_in", frame)
    try:
        con.execute(
            "CREATE OR REPLACE TABLE business_days AS "
            "SELECT calendar_id, day, open_us, close_us, length_us, cum_before_us "
            "FROM _business_days_in ORDER BY calendar_id, open_us"
        )
    finally:
        con.unregister("_business_days_in")
