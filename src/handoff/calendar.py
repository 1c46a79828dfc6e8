"""The business-hours clock.

A *calendar* is a timezone plus a public-holiday country, numbered `cal_no`. For each
calendar we build two tables:

- `business_days`: one row per business day, its UTC open and close instants (epoch µs) and
  the business time accumulated before it.
- `business_day_buckets`: the business days again, one row per day and hour of accumulated
  business time the day spans. The inverse lookup (the instant at which N business minutes
  have elapsed, window_end) is an equality join on (cal_no, the hour of N) that meets at most
  two days, of which it keeps the one whose span holds N: several times faster than an ASOF
  join on the accumulated column, and the same on every engine.
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

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
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


# A calendar that finds no business day in this many days in a row gives up: no real
# policy gets near it (the longest public-holiday runs are about two weeks).
MAX_CLOSED_DAYS = 366


def open_days(policy: Policy, country: str | None, subdivision: str | None, start: date) -> Iterator[date]:
    """The business dates of one calendar from `start` on, without end (the caller stops).

    Holidays are read a year ahead of the day reached, so a holiday observed across New
    Year is known, however far the caller goes."""
    weekdays = set(policy.business_hours.weekdays)
    closed = holiday_dates(country, subdivision, range(start.year - 1, start.year + 2))
    next_year = start.year + 2
    day, shut = start, 0
    while True:
        if day.year + 1 >= next_year:
            closed |= holiday_dates(country, subdivision, range(next_year, next_year + 1))
            next_year += 1
        if day.weekday() in weekdays and day not in closed:
            shut = 0
            yield day
        else:
            shut += 1
            if shut > MAX_CLOSED_DAYS:
                raise ValueError(
                    f"no business day in {MAX_CLOSED_DAYS} days from {start}: business_hours.days "
                    f"({', '.join(policy.business_hours.days)}) and the public holidays of "
                    f"{country or 'no country'} leave none"
                )
        day += timedelta(days=1)


def business_days(
    policy: Policy, tz: str, country: str | None, start: date, end: date, ahead_minutes: float = 0.0
) -> pd.DataFrame:
    """One row per business day of one calendar: open/close in epoch µs.

    Every business day in [start, end], then as many more as it takes to hold
    `ahead_minutes` of business time after `end` (the longest inverse lookup, window_end,
    from the last instant looked up), however few business days a week the policy has and
    however long the holidays."""
    zone = ZoneInfo(tz)
    hours = policy.business_hours
    subdivision = policy.holiday_subdivision if country == policy.holiday_country else None
    ahead_us = round(ahead_minutes * 60_000_000)
    rows, after_end_us = [], 0
    for day in open_days(policy, country, subdivision, start):
        if day > end and after_end_us >= ahead_us:
            break
        opens = _epoch_us(datetime.combine(day, hours.start, zone).astimezone(UTC))
        closes = _epoch_us(datetime.combine(day, hours.end, zone).astimezone(UTC))
        rows.append((day, opens, closes))
        if day > end:
            after_end_us += closes - opens
    frame = pd.DataFrame(rows, columns=["day", "open_us", "close_us"])
    frame["length_us"] = frame["close_us"] - frame["open_us"]
    frame["cum_before_us"] = frame["length_us"].cumsum() - frame["length_us"]
    frame.insert(0, "calendar_id", calendar_id(tz, country))
    return frame.astype({"open_us": "int64", "close_us": "int64", "length_us": "int64", "cum_before_us": "int64"})


def _epoch_us(t: datetime) -> int:
    return int(t.timestamp()) * 1_000_000 + t.microsecond


def span_for(first: datetime, last: datetime) -> tuple[date, date]:
    """The dates whose business days hold every instant in [first, last], in any timezone
    (local dates are within a day of the UTC date). `business_days` adds the days after."""
    return (first - timedelta(days=2)).date(), (last + timedelta(days=2)).date()


def lookahead_minutes(policy: Policy) -> float:
    """The most business time any inverse lookup asks for after an instant: the meeting
    window, or an SLA target if one is longer."""
    sla = policy.sla_minutes
    return max(policy.window_business_minutes, sla.high, sla.medium, sla.low)


def business_hours(days: pd.DataFrame, first: datetime | None = None, last: datetime | None = None) -> pd.DataFrame:
    """One row per UTC hour covering one calendar's business days and the instants
    [first, last] (see the module doc). An hour before the first business day has no
    business time before it.

    Business days never overlap, so an hour meets at most two of them: the last that opened
    before the hour ends, and the one before it.
    """
    opens = days["open_us"].to_numpy()
    closes = days["close_us"].to_numpy()
    cum = days["cum_before_us"].to_numpy()
    if len(opens) == 0:
        return pd.DataFrame(columns=["hour_no", "cum_us", "lo1", "hi1", "lo2", "hi2"], dtype="int64")
    lowest = min([int(opens[0])] + ([_epoch_us(first)] if first is not None else []))
    highest = max([int(closes[-1])] + ([_epoch_us(last)] if last is not None else []))
    first_hour, last_hour = lowest // US_PER_HOUR - 24, highest // US_PER_HOUR + 24
    starts = np.arange(first_hour, last_hour + 1, dtype="int64") * US_PER_HOUR
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
    return pd.DataFrame(
        {
            "hour_no": starts // US_PER_HOUR,
            "cum_us": np.where(before >= 0, at_start, 0),
            "lo1": lo1,
            "hi1": hi1,
            "lo2": lo2,
            "hi2": hi2,
        }
    )


def day_buckets(days: pd.DataFrame) -> pd.DataFrame:
    """One row per business day (of `days`, with its cal_no) and hour of accumulated business
    time it spans: the hours from that of its first µs, cum_before_us, to that of its last,
    cum_before_us + length_us - 1."""
    cum = days["cum_before_us"].to_numpy()
    first = cum // US_PER_HOUR
    spans = np.maximum((cum + days["length_us"].to_numpy() - 1) // US_PER_HOUR - first + 1, 0)
    rows = np.repeat(np.arange(len(days)), spans)
    starts = np.repeat(np.cumsum(spans) - spans, spans)
    frame = days.iloc[rows][["cal_no", "open_us", "cum_before_us", "length_us"]].reset_index(drop=True)
    frame.insert(1, "bucket_no", (first[rows] + np.arange(len(rows)) - starts).astype("int64"))
    return frame


def install(con, policy: Policy, calendars: list[tuple[str, str | None]], first: datetime, last: datetime) -> None:
    """Create (or replace) `calendars`, `business_days`, `business_day_buckets` and
    `business_hours` in this connection, covering every instant in [first, last] and the
    inverse lookups from them."""
    start, end = span_for(first, last)
    ahead = lookahead_minutes(policy)
    unique = sorted({(tz, country or None) for tz, country in calendars}, key=str)
    days, hours = [], []
    for cal_no, (tz, country) in enumerate(unique):
        frame = business_days(policy, tz, country, start, end, ahead_minutes=ahead)
        frame.insert(0, "cal_no", cal_no)
        days.append(frame)
        per_hour = business_hours(frame, first, last)
        per_hour.insert(0, "cal_no", cal_no)
        hours.append(per_hour)
    names = pd.DataFrame({"calendar_id": [calendar_id(tz, c) for tz, c in unique], "cal_no": range(len(unique))})
    all_days = pd.concat(days, ignore_index=True)
    for table, frame in (
        ("calendars", names),
        ("business_days", all_days),
        ("business_day_buckets", day_buckets(all_days)),
        ("business_hours", pd.concat(hours, ignore_index=True)),
    ):
        con.register("_calendar_in", frame)
        try:
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _calendar_in")
        finally:
            con.unregister("_calendar_in")
