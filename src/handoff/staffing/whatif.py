"""What-if rosters: SDRs added, removed or moved, and what the change is worth.

A change is a signed number of SDRs working given local hours in one timezone, on the
policy's business days: `+2@Asia/Kolkata@09:00-17:00` adds two, `-1@America/New_York@09:00-17:00`
removes one of the New York SDRs working those hours. Moving reps to other hours is a
removal at the old hours and an addition at the new ones (`moved`), and costs nothing.
This text form is what the page keeps in its URL.

The worth of a change goes through the revenue-leak model (`handoff.leak`): the share of
leads answered within each speed bucket's bound, before and after, comes from the Erlang C
waiting-time distribution of each hour (`plan.answered_shares`), and the recovery is the
leak of the current roster minus the leak of the changed one, both as the model predicts
them (so a change that changes nothing recovers nothing, whatever the model's fit). The
never-contacted share, conversion, win rates and contract values are the calibrated
inputs' own: faster answers move leads between buckets, not what a bucket is worth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import time

from handoff import leak
from handoff.staffing.roster import Shift

__all__ = ["Change", "parse_change", "moved", "apply_changes", "Payback", "payback", "describe"]

PATTERN = re.compile(r"^\s*([+-]?\d{1,4})@([A-Za-z0-9_+\-/]+)@(\d{2}:\d{2})-(\d{2}:\d{2})\s*$")
MAX_REPS = 1000


@dataclass(frozen=True)
class Change:
    """`reps` SDRs (negative: removed) working `start`-`end` local time in `timezone`."""

    reps: int
    timezone: str
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.reps == 0 or abs(self.reps) > MAX_REPS:
            raise ValueError(f"a change adds or removes 1 to {MAX_REPS} SDRs, got {self.reps}")
        Shift(1, self.timezone, self.start, self.end)  # checks the zone and the hours

    @property
    def text(self) -> str:
        """The URL form, which `parse_change` reads back."""
        return f"{self.reps:+d}@{self.timezone}@{self.start:%H:%M}-{self.end:%H:%M}"


def _clock(text: str) -> time:
    """A local time `HH:MM`; `24:00` (the end of the day) is read as 23:59."""
    hours, minutes = (int(x) for x in text.split(":"))
    if (hours, minutes) == (24, 0):
        return time(23, 59)
    return time(hours, minutes)


def parse_change(text: str) -> Change:
    """A change from its URL form; ValueError naming what is wrong."""
    match = PATTERN.match(str(text))
    if not match:
        raise ValueError(f"not a staffing change: {text!r} (expected e.g. +2@Asia/Kolkata@09:00-17:00)")
    reps, zone, start, end = match.groups()
    try:
        return Change(int(reps), zone, _clock(start), _clock(end))
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc}") from None


def moved(reps: int, timezone: str, start: time, end: time, new_start: time, new_end: time) -> list[Change]:
    """Move `reps` SDRs of a timezone from one set of hours to another."""
    return [Change(-abs(reps), timezone, start, end), Change(abs(reps), timezone, new_start, new_end)]


def apply_changes(shifts: list[Shift], changes: list[Change], days: tuple[int, ...]) -> list[Shift]:
    """The roster after the changes, in order. A removal takes SDRs who work exactly those
    hours in that timezone (on the roster or added before it), never more than there are."""
    out = list(shifts)
    for change in changes:
        if change.reps < 0:
            present = sum(
                s.reps for s in out if (s.timezone, s.start, s.end) == (change.timezone, change.start, change.end)
            )
            if -change.reps > present:
                raise ValueError(
                    f"cannot remove {-change.reps} SDR(s) in {change.timezone} working "
                    f"{change.start:%H:%M}-{change.end:%H:%M}: there are {present}"
                )
        out.append(Shift(change.reps, change.timezone, change.start, change.end, days))
    return out


def describe(change: Change) -> str:
    """A change in words: `2 more SDRs in Asia/Kolkata, 09:00-17:00 their time`."""
    n = abs(change.reps)
    verb = "more" if change.reps > 0 else "fewer"
    reps = f"{n} {verb} SDR{'s' if n != 1 else ''}"
    return f"{reps} in {change.timezone}, {change.start:%H:%M}-{change.end:%H:%M} their time"


@dataclass(frozen=True)
class Payback:
    """What a roster change costs and recovers per month, in the inputs' currency."""

    added_reps: int
    monthly_cost: float
    monthly_recovery: float
    shares_now: dict[str, float]
    shares_then: dict[str, float]

    @property
    def ratio(self) -> float | None:
        """Revenue recovered per unit of cost (None when the change costs nothing)."""
        return self.monthly_recovery / self.monthly_cost if self.monthly_cost > 0 else None

    def sentence(self, currency: str) -> str:
        """The payback line, in words an executive can take to a budget meeting."""
        recovered = f"{self.monthly_recovery:,.0f} {currency}"
        if self.added_reps > 0:
            reps = f"{self.added_reps} more SDR{'s' if self.added_reps != 1 else ''}"
            head = f"{reps} cost {self.monthly_cost:,.0f} {currency} a month"
            if self.monthly_recovery <= 0:
                return f"{head} and recover no revenue the model can see: they do not pay for themselves."
            verdict = "pays for itself" if self.monthly_recovery >= self.monthly_cost else "does not pay for itself"
            ratio = self.ratio
            if ratio is None:  # SDRs that cost nothing (staffing.cost_per_rep_month = 0)
                return (
                    f"{head} and recover an estimated {recovered} of revenue a month through faster first "
                    f"touches, so the change {verdict}."
                )
            times = f"{ratio:.1f}" if ratio >= 0.95 else f"{ratio:.2g}"
            return (
                f"{head} and recover an estimated {recovered} of revenue a month through faster first "
                f"touches: {times} times the cost, so the change {verdict}."
            )
        if self.added_reps < 0:
            n = -self.added_reps
            lost = f"{-self.monthly_recovery:,.0f} {currency}"
            return (
                f"{n} fewer SDR{'s' if n != 1 else ''} save {-self.monthly_cost:,.0f} {currency} a month and "
                f"lose an estimated {lost} of revenue a month through slower first touches."
            )
        if self.monthly_recovery >= 0:
            return f"Moving SDRs costs nothing and recovers an estimated {recovered} of revenue a month."
        lost = f"{-self.monthly_recovery:,.0f} {currency}"
        return f"Moving SDRs costs nothing but loses an estimated {lost} of revenue a month."


def payback(
    inputs: leak.LeakInputs,
    mqls_per_month: float,
    shares_now: dict[str, float],
    shares_then: dict[str, float],
    added_reps: int,
    cost_per_rep_month: float,
) -> Payback:
    """The monthly revenue the change recovers (current leak minus the changed roster's,
    through `leak.compute`) beside its monthly cost (added SDRs x cost per SDR-month)."""
    scenario = replace(
        inputs,
        mqls_per_month=mqls_per_month,
        bucket_shares=_normal(shares_now),
        scenario=leak.Scenario(bucket_shares=_normal(shares_then)),
    )
    recovery = leak.compute(scenario)["recovery"]["revenue_gap"]
    return Payback(added_reps, added_reps * cost_per_rep_month, recovery, shares_now, shares_then)


def _normal(shares: dict[str, float]) -> dict[str, float]:
    """Shares clipped at 0 and rescaled to sum to exactly 1, in bucket order."""
    clipped = {b: max(float(shares.get(b, 0.0)), 0.0) for b in leak.BUCKETS}
    total = sum(clipped.values())
    return {b: v / total for b, v in clipped.items()}
