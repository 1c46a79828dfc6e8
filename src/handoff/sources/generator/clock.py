"""The simulation's business clock: business time per rep timezone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from handoff.sources.generator.reference import TIMEZONES
from handoff.sources.generator.sampling import DAY, HOUR

BUSINESS_START = 9 * HOUR
BUSINESS_DAY = 8 * HOUR  # 09:00-17:00, in seconds


class Clock:
    """Business-hours arithmetic per timezone (Mon-Fri 09:00-17:00 local, no holidays).

    UTC offsets come from a day-by-day table built once with pandas, so DST is honoured
    to the day; that is precise enough for simulated behaviour.
    """

    def __init__(self, first_day: int, n_days: int):
        self.first_day = first_day
        noons = pd.date_range(
            pd.Timestamp(first_day * DAY + 12 * HOUR, unit="s", tz="UTC"), periods=n_days, freq="D"
        )
        naive = noons.tz_localize(None)
        self.offsets = np.stack(
            [((noons.tz_convert(tz).tz_localize(None) - naive).total_seconds()).to_numpy()
             for tz in TIMEZONES]
        ).astype(np.int64)

    def offset(self, t: np.ndarray, tz: np.ndarray) -> np.ndarray:
        day = (t // DAY - self.first_day).clip(0, self.offsets.shape[1] - 1)
        return self.offsets[tz, day]

    def to_local(self, t: np.ndarray, tz: np.ndarray) -> np.ndarray:
        return t + self.offset(t, tz)

    def from_local(self, local: np.ndarray, tz: np.ndarray) -> np.ndarray:
        return local - self.offset(local, tz)

    def add_business(self, t: np.ndarray, seconds: np.ndarray, tz: np.ndarray) -> np.ndarray:
        """t plus the given business seconds; a start outside hours rolls to the next opening."""
        local = self.to_local(t, tz)
        day = local // DAY
        monday_day = day + 3  # 1970-01-01 was a Thursday
        weekday = monday_day % 7
        into_day = np.where(weekday < 5, (local - day * DAY - BUSINESS_START).clip(0, BUSINESS_DAY), 0)
        position = ((monday_day // 7) * 5 + np.minimum(weekday, 5)) * BUSINESS_DAY + into_day
        target = position + np.asarray(seconds, dtype=np.int64)
        k, rest = np.divmod(target, BUSINESS_DAY)
        new_day = (k // 5) * 7 + k % 5 - 3
        result = self.from_local(new_day * DAY + BUSINESS_START + rest, tz)
        return np.maximum(result, t)
