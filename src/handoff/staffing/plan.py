"""The staffing model of one week: per hour, what the SLA needs and what the roster gives.

Inputs per hour of the week h: arrivals_per_week[h] (handoffs of the tier arriving in that
hour, averaged over the weeks looked at) and on_duty[h] (reps on duty). With
lambda = arrivals_per_week[h] / 60 per minute, S minutes per first touch, load
A = lambda x S and T the tier's SLA target in minutes:

- needed[h] = the least c with P(W <= T) >= the service level (0 without arrivals);
- needed_on_duty[h] = ceil(needed[h] / availability) (availability: the share of an
  SDR's hour free for new leads);
- gap[h] = needed_on_duty[h] - on_duty[h] (positive: short, 0: covered, negative: over);
- predicted[h] = P(W <= T) with floor(on_duty[h] x availability) servers;
- predicted compliance = the arrivals-weighted mean of predicted[h];
- uncovered share = arrivals in hours with nobody on duty / all arrivals;
- hours short = the sum of the positive gaps (rep-hours a week).

Products and quotients with the availability are rounded within 1e-9 of a whole number
first, so 3 / 0.6 needs 5 reps (not 6) and 100 x 0.29 gives 29 servers (not 28).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from handoff.staffing.erlang import answered_within, servers_needed
from handoff.staffing.roster import DAY_NAMES, HOURS

EPSILON = 1e-9
MINUTES_PER_HOUR = 60.0

__all__ = [
    "Settings",
    "HOUR_COLUMNS",
    "hour_plan",
    "servers",
    "predicted_compliance",
    "uncovered_share",
    "hours_short",
    "answered_shares",
    "predicted_by_hour",
    "weighted_mean",
]

HOUR_COLUMNS = [
    "hour",
    "day",
    "clock",
    "arrivals_per_week",
    "on_duty",
    "load",
    "needed",
    "needed_on_duty",
    "gap",
    "predicted",
]


@dataclass(frozen=True)
class Settings:
    """The numbers of the staffing model: S, T, the service level and the availability."""

    minutes_per_first_touch: float
    target_minutes: float
    service_level: float
    availability: float

    def __post_init__(self) -> None:
        if not self.minutes_per_first_touch > 0:
            raise ValueError("minutes per first touch must be positive")
        if not self.target_minutes > 0:
            raise ValueError("the SLA target must be positive")
        if not 0 < self.service_level < 1:
            raise ValueError("the service level must lie between 0 and 1")
        if not 0 < self.availability <= 1:
            raise ValueError("the availability must lie in (0, 1]")


def _ceil(x: float) -> int:
    return int(math.ceil(x - EPSILON))


def _floor(x: float) -> int:
    return int(math.floor(x + EPSILON))


def servers(on_duty: np.ndarray, availability: float) -> np.ndarray:
    """floor(on_duty x availability) per hour: the reps' worth of time free for new leads."""
    return np.array([_floor(max(int(n), 0) * availability) for n in on_duty], dtype=int)


def _as_hours(values, name: str, dtype) -> np.ndarray:
    array = np.asarray(values, dtype=dtype)
    if array.shape != (HOURS,):
        raise ValueError(f"{name} must have one value per hour of the week ({HOURS}), got shape {array.shape}")
    if (array < 0).any() or not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite and not negative")
    return array


def hour_plan(arrivals_per_week, on_duty, settings: Settings) -> pd.DataFrame:
    """One row per hour of the week: HOUR_COLUMNS (see the module docstring)."""
    arrivals = _as_hours(arrivals_per_week, "arrivals_per_week", float)
    duty = _as_hours(on_duty, "on_duty", int)
    s, t = settings.minutes_per_first_touch, settings.target_minutes
    load = arrivals / MINUTES_PER_HOUR * s
    needed = np.array([servers_needed(a, t, s, settings.service_level) for a in load], dtype=int)
    needed_on_duty = np.array([_ceil(n / settings.availability) for n in needed], dtype=int)
    predicted = predicted_by_hour(arrivals, duty, settings)
    hours = np.arange(HOURS)
    return pd.DataFrame(
        {
            "hour": hours,
            "day": [DAY_NAMES[h // 24] for h in hours],
            "clock": [f"{h % 24:02d}:00" for h in hours],
            "arrivals_per_week": arrivals,
            "on_duty": duty,
            "load": load,
            "needed": needed,
            "needed_on_duty": needed_on_duty,
            "gap": needed_on_duty - duty,
            "predicted": predicted,
        }
    )


def predicted_by_hour(arrivals_per_week, on_duty, settings: Settings) -> np.ndarray:
    """predicted[h] = P(W <= T) with floor(on_duty[h] x availability) servers."""
    arrivals = _as_hours(arrivals_per_week, "arrivals_per_week", float)
    free = servers(_as_hours(on_duty, "on_duty", int), settings.availability)
    s, t = settings.minutes_per_first_touch, settings.target_minutes
    load = arrivals / MINUTES_PER_HOUR * s
    return np.array([answered_within(int(c), float(a), t, s) for c, a in zip(free, load, strict=True)])


def weighted_mean(arrivals_per_week, values) -> float | None:
    """The arrivals-weighted mean of per-hour values (None without arrivals)."""
    weights = np.asarray(arrivals_per_week, dtype=float)
    total = float(weights.sum())
    if total <= 0:
        return None
    return float((weights * np.asarray(values, dtype=float)).sum() / total)


def predicted_compliance(plan: pd.DataFrame) -> float | None:
    """The arrivals-weighted mean of predicted[h] (None without arrivals)."""
    return weighted_mean(plan["arrivals_per_week"], plan["predicted"])


def uncovered_share(plan: pd.DataFrame) -> float | None:
    """Arrivals in hours with nobody on duty / all arrivals (None without arrivals)."""
    total = float(plan["arrivals_per_week"].sum())
    if total <= 0:
        return None
    return float(plan.loc[plan["on_duty"] <= 0, "arrivals_per_week"].sum() / total)


def hours_short(plan: pd.DataFrame) -> int:
    """Rep-hours a week short of what the SLA needs: the sum of the positive gaps."""
    return int(plan["gap"].clip(lower=0).sum())


def answered_shares(
    arrivals_per_week, on_duty, settings: Settings, bounds: list[tuple[str, float | None]]
) -> dict[str, float] | None:
    """The share of arrivals answered within each bucket (bounds are inclusive upper limits
    in minutes, None: unbounded), from the Erlang C waiting-time distribution of each hour
    with floor(on_duty x availability) servers, weighted by arrivals. An hour whose queue
    is unstable (servers <= load, nobody on duty included) answers nobody within any
    bound: its arrivals fall in the unbounded bucket. None without arrivals."""
    arrivals = _as_hours(arrivals_per_week, "arrivals_per_week", float)
    total = arrivals.sum()
    if total <= 0:
        return None
    s = settings.minutes_per_first_touch
    free = servers(_as_hours(on_duty, "on_duty", int), settings.availability)
    load = arrivals / MINUTES_PER_HOUR * s
    shares = dict.fromkeys((name for name, _ in bounds), 0.0)
    for weight, c, a in zip(arrivals, free, load, strict=True):
        if weight <= 0:
            continue
        below = 0.0
        for name, bound in bounds:
            within = 1.0 if bound is None else answered_within(int(c), float(a), float(bound), s)
            within = max(within, below)  # cumulative, never decreasing
            shares[name] += float(weight / total * (within - below))
            below = within
    return shares
