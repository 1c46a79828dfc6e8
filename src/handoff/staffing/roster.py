"""Who is on duty in each hour of the week: shifts of reps, laid over the company's week.

Hours of the week h = 0..167 count from Monday 00:00 in the company timezone. A shift is a
number of reps who work the same local hours on the same weekdays in one timezone. A rep
of a shift is on duty in hour h when the middle of that hour (h:30, company wall clock, in
the week that holds as_of) falls, in the rep's own timezone, on one of the shift's days,
at or after its start and before its end (half-open, so an 8-hour day covers 8 whole
hours even in a half-hour timezone such as Asia/Kolkata). Public holidays are ignored:
this is the roster of a normal week.

The offsets are those of that very week, so daylight saving time moves a New York rep's
hours in a London-based company's week of March when one has switched and the other not.
A company wall-clock time that does not exist (the hour skipped when clocks go forward)
is read with the offset before the change, as Python's `zoneinfo` does with fold=0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from handoff.policy import valid_timezone

HOURS = 168
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

__all__ = ["HOURS", "DAY_NAMES", "Shift", "week_start", "hour_middles", "on_duty", "hour_label"]


@dataclass(frozen=True)
class Shift:
    """`reps` reps working `start`-`end` local time on `days` (0 = Monday) in `timezone`."""

    reps: int
    timezone: str
    start: time
    end: time
    days: tuple[int, ...] = (0, 1, 2, 3, 4)

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"a shift ends after it starts: {self.start:%H:%M}-{self.end:%H:%M}")
        valid_timezone(self.timezone)  # an unknown zone is refused here, not in the middle of a sum
        if self.reps != int(self.reps):
            raise ValueError(f"a shift has a whole number of reps, got {self.reps!r}")
        if not self.days or any(d not in range(7) for d in self.days):
            raise ValueError(f"a shift's days are 0 (Monday) to 6 (Sunday), got {self.days!r}")

    @property
    def hours_text(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def covers(self, instants: list[datetime]) -> np.ndarray:
        """Per instant, whether it lies inside this shift (a boolean array)."""
        zone = ZoneInfo(self.timezone)
        out = np.zeros(len(instants), dtype=bool)
        for i, instant in enumerate(instants):
            local = instant.astimezone(zone)
            clock = local.time()
            out[i] = local.weekday() in self.days and self.start <= clock < self.end
        return out


def week_start(as_of: datetime, company_tz: str) -> date:
    """The Monday (company-local date) of the week that holds `as_of`."""
    local = as_of.astimezone(ZoneInfo(company_tz)).date()
    return local - timedelta(days=local.weekday())


def hour_middles(monday: date, company_tz: str) -> list[datetime]:
    """The middle of each hour of the week that starts on `monday`, as aware instants."""
    zone = ZoneInfo(company_tz)
    start = datetime.combine(monday, time(0, 30), tzinfo=zone)
    # Aware + timedelta moves the wall clock (tzinfo kept): h:30 local on every day.
    return [start + timedelta(hours=h) for h in range(HOURS)]


def on_duty(shifts: list[Shift], monday: date, company_tz: str) -> np.ndarray:
    """Reps on duty per hour of the week (168 integers; negative counts are kept as
    given, so a removal can be checked against what it removes)."""
    middles = hour_middles(monday, company_tz)
    total = np.zeros(HOURS, dtype=int)
    for shift in shifts:
        total += shift.reps * shift.covers(middles).astype(int)
    return total


def hour_label(hour: int) -> str:
    """`Tue 14:00-15:00` for hour 38."""
    day, clock = divmod(int(hour), 24)
    return f"{DAY_NAMES[day]} {clock:02d}:00-{(clock + 1) % 24:02d}:00"
