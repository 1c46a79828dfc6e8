"""The simulation's clocks: business time in each rep's calendar, and local wall-clock time.

Business time comes from `handoff.calendar`, the clock the model measures with: each rep
works the business hours of the default policy (Monday-Friday, 09:00-17:00) in their own
timezone, and not on the public holidays of their country, so the simulated delays and
the model's measurement of them count the same days.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd

from handoff import calendar
from handoff.policy import Policy
from handoff.sources.generator.reference import TIMEZONES

POLICY = Policy()
BUSINESS_DAY = round(POLICY.business_hours.day_minutes * 60)
"""The length of a business day, in seconds."""
AHEAD_BUSINESS_DAYS = 60
"""Business days tabulated after `end`: the longest delay the simulation adds (later
events are dropped anyway, so past the table business time runs on as wall-clock time)."""


class Clock:
    """Business-time arithmetic in a few calendars (timezone, holiday country), vectorised.

    Each calendar is the `business_days` table of `handoff.calendar` as arrays of UTC
    seconds: opening, closing and the business time accumulated before each day.
    """

    def __init__(self, calendars: list[tuple[str, str | None]], start: int, end: int, policy: Policy = POLICY):
        first, last = (datetime.fromtimestamp(s, UTC) for s in (start, end))
        days_from, days_to = calendar.span_for(first, last)
        ahead = AHEAD_BUSINESS_DAYS * policy.business_hours.day_minutes
        self.days = []
        for tz, country in calendars:
            frame = calendar.business_days(policy, tz, country, days_from, days_to, ahead_minutes=ahead)
            opens = frame["open_us"].to_numpy() // 1_000_000
            closes = frame["close_us"].to_numpy() // 1_000_000
            before = frame["cum_before_us"].to_numpy() // 1_000_000
            self.days.append((opens, closes, before, before + (closes - opens)))

    def add_business(self, t: np.ndarray, seconds: np.ndarray, cal: np.ndarray) -> np.ndarray:
        """t plus the given business seconds in calendar `cal` (an index per item). A start
        outside business hours rolls to the next opening, and so does a sum that lands
        exactly on a closing time; never earlier than t."""
        t = np.asarray(t, dtype=np.int64)
        seconds = np.broadcast_to(np.asarray(seconds, dtype=np.int64), t.shape)
        cal = np.broadcast_to(np.asarray(cal), t.shape)
        out = np.empty_like(t)
        for c, (opens, closes, before, after) in enumerate(self.days):
            idx = np.flatnonzero(cal == c)
            if not idx.size:
                continue
            at = np.clip(t[idx], opens[0], None)
            day = np.searchsorted(opens, at, side="right") - 1
            elapsed = before[day] + np.minimum(at - opens[day], closes[day] - opens[day])
            target = elapsed + seconds[idx]
            lands = np.searchsorted(after, target, side="right")
            inside = lands < len(opens)
            safe = np.where(inside, lands, 0)
            out[idx] = np.where(inside, opens[safe] + (target - before[safe]), closes[-1] + (target - after[-1]))
        return np.maximum(out, t)


def local_to_utc(local: np.ndarray, tz: np.ndarray) -> np.ndarray:
    """Local wall-clock seconds in TIMEZONES[tz] as UTC seconds. A time a DST change skips
    moves forward; a time it repeats is read as standard time."""
    local = np.asarray(local, dtype=np.int64)
    out = np.empty_like(local)
    for i, name in enumerate(TIMEZONES):
        idx = np.flatnonzero(tz == i)
        if idx.size:
            naive = pd.DatetimeIndex(local[idx].astype("datetime64[s]"))
            aware = naive.tz_localize(name, ambiguous=np.zeros(idx.size, dtype=bool), nonexistent="shift_forward")
            out[idx] = aware.as_unit("s").asi8
    return out
