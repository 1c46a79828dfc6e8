"""Coverage and staffing, asked of the model: what the SLA needs in SDRs, hour by hour.

The model gives the arrivals per hour of the week (arrivals_by_hour.sql), the SDRs on
the roster (staffing_roster.sql) and the observed SLA compliance of the same handoffs
(the metric registry's `sla_compliance`, never recomputed here); the pure functions of
`handoff.staffing` turn them into needed vs on duty, the gap, the predicted compliance,
the calibrated availability and what-if rosters. The `handoff staffing` command and the
Coverage and staffing page both call `plan` and `what_if`, so their numbers agree.
Definitions: DESIGN.md "Coverage and staffing"; choices: docs/staffing.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from handoff import leak, staffing
from handoff.model import Filters, Model
from handoff.schema import SPEED_BUCKETS

ARRIVALS_SQL = "arrivals_by_hour.sql"
ROSTER_SQL = "staffing_roster.sql"
SDR_ROLE = "SDR"
WEEKS_PER_MONTH = 365.25 / 12 / 7
TIER_WORDS = {"high": "high-intent", "medium": "medium-intent", "low": "low-intent"}
JSON_HOUR_KEYS = ("hour", "arrivals_per_week", "on_duty", "needed_on_duty", "gap", "predicted")

__all__ = [
    "Plan",
    "WhatIf",
    "plan",
    "what_if",
    "to_json",
    "leak_inputs",
    "parse_changes",
    "parse_change",
    "describe",
    "moved",
    "hour_label",
    "heat",
    "predicted_words",
    "uncovered_words",
    "coverage_words",
    "calibration_words",
    "TIER_WORDS",
    "JSON_HOUR_KEYS",
    "STATUSES",
]

parse_change = staffing.parse_change
describe = staffing.describe
moved = staffing.moved
hour_label = staffing.hour_label


@dataclass
class Plan:
    """The staffing model of one tier as of one moment (see DESIGN.md)."""

    tier: str
    as_of: datetime
    company_tz: str
    weeks: int
    date_from: date  # the first day of the weeks looked at (a Monday, company-local)
    date_to: date  # their last day (the Sunday before the week of as_of)
    week_start: date  # the Monday of the week of as_of, whose roster is laid out
    settings: staffing.Settings
    hours: pd.DataFrame  # staffing.HOUR_COLUMNS, 168 rows
    roster: pd.DataFrame  # rep_id, name, team, role, timezone
    shifts: list[staffing.Shift]
    business_days: tuple[int, ...]
    handoffs: int
    met: int
    breached: int
    observed_compliance: float | None
    fit: staffing.Fit
    cost_per_rep_month: float
    currency: str
    notes: list[str] = field(default_factory=list)

    @property
    def predicted_compliance(self) -> float | None:
        return staffing.predicted_compliance(self.hours)

    @property
    def uncovered_share(self) -> float | None:
        return staffing.uncovered_share(self.hours)

    @property
    def hours_short(self) -> int:
        return staffing.hours_short(self.hours)

    @property
    def arrivals_per_week(self) -> float:
        return float(self.hours["arrivals_per_week"].sum())

    @property
    def who(self) -> str:
        """What the tier's handoffs are called in words: `high-intent MQLs`."""
        return f"{TIER_WORDS[self.tier]} MQLs"

    @property
    def who_capital(self) -> str:
        """The same words, starting a sentence: `High-intent MQLs`."""
        return self.who[:1].upper() + self.who[1:]

    @property
    def roster_is_sdrs(self) -> bool:
        return bool(self.roster["role"].notna().any())

    @property
    def starting_availability(self) -> float:
        """Where a what-if starts: the calibrated availability when it fits (rounded up to a
        thousandth, which stays on the same step of the prediction), else the policy's."""
        if self.fit.status == "fit" and self.fit.availability is not None:
            return min(math.ceil(self.fit.availability * 1000 - 1e-6) / 1000, 1.0)
        return self.settings.availability

    def shift_table(self) -> pd.DataFrame:
        """The roster as shifts: timezone, SDRs, local hours."""
        return pd.DataFrame(
            [(s.timezone, s.reps, s.hours_text) for s in self.shifts], columns=["timezone", "sdrs", "hours"]
        )


def _weeks(model: Model, weeks: int) -> tuple[date, date, date]:
    assert model.as_of is not None  # a built model always has its as_of
    monday = staffing.week_start(model.as_of, model.policy.timezone)
    return monday - timedelta(weeks=weeks), monday - timedelta(days=1), monday


def _arrivals(model: Model, filters: Filters, weeks: int) -> np.ndarray:
    rows = model.ask(ARRIVALS_SQL, filters, weeks=float(weeks))
    out = np.zeros(staffing.HOURS)
    for hour, per_week in zip(rows["hour_of_week"], rows["arrivals_per_week"], strict=True):
        out[int(hour)] = float(per_week)
    return out


def roster(model: Model) -> pd.DataFrame:
    """The reps who answer new leads (see staffing_roster.sql)."""
    return model.ask(ROSTER_SQL, None, role=SDR_ROLE)


def base_shifts(model: Model, reps: pd.DataFrame) -> list[staffing.Shift]:
    """The roster as shifts: per timezone, its reps working the policy's business hours."""
    hours = model.policy.business_hours
    days = tuple(hours.weekdays)
    counts = reps.groupby("timezone").size() if not reps.empty else pd.Series(dtype=int)
    return [staffing.Shift(int(n), str(tz), hours.start, hours.end, days) for tz, n in counts.items()]


def settings_for(model: Model, tier: str, availability: float | None = None) -> staffing.Settings:
    s = model.policy.staffing
    return staffing.Settings(
        minutes_per_first_touch=float(s.minutes_per_first_touch),
        target_minutes=float(model.policy.sla_for(tier)),
        service_level=float(s.service_level),
        availability=float(s.availability if availability is None else availability),
    )


def plan(model: Model, tier: str | None = None) -> Plan:
    """The staffing model for `tier` (default: the policy's `staffing.tier`)."""
    policy = model.policy
    tier = (tier or policy.staffing.tier).strip().lower()
    if tier not in TIER_WORDS:
        raise ValueError(f"unknown tier {tier!r} (use high, medium or low)")
    weeks = int(policy.staffing.weeks)
    date_from, date_to, monday = _weeks(model, weeks)
    filters = Filters(date_from=date_from, date_to=date_to, tiers=(tier,))
    arrivals = _arrivals(model, filters, weeks)
    reps = roster(model)
    shifts = base_shifts(model, reps)
    duty = staffing.on_duty(shifts, monday, policy.timezone)
    settings = settings_for(model, tier)
    hours = staffing.hour_plan(arrivals, duty, settings)
    overall = model.metrics("all", filters)
    met = int(overall["met"].iloc[0]) if not overall.empty else 0
    breached = int(overall["breached"].iloc[0]) if not overall.empty else 0
    handoffs = int(overall["handoffs"].iloc[0]) if not overall.empty else 0
    observed = overall["sla_compliance"].iloc[0] if not overall.empty else None
    observed = None if observed is None or pd.isna(observed) else float(observed)
    notes = []
    if handoffs == 0:
        notes.append(f"No {TIER_WORDS[tier]} MQLs arrived from {date_from} to {date_to}: nothing to staff for.")
    if reps.empty:
        notes.append("No active rep is on the roster: nobody is on duty in any hour.")
    assert model.as_of is not None  # a built model always has its as_of
    return Plan(
        tier=tier,
        as_of=model.as_of,
        company_tz=policy.timezone,
        weeks=weeks,
        date_from=date_from,
        date_to=date_to,
        week_start=monday,
        settings=settings,
        hours=hours,
        roster=reps,
        shifts=shifts,
        business_days=tuple(policy.business_hours.weekdays),
        handoffs=handoffs,
        met=met,
        breached=breached,
        observed_compliance=observed,
        fit=staffing.calibrate_availability(arrivals, duty, settings, observed),
        cost_per_rep_month=float(policy.staffing.cost_per_rep_month),
        currency=str(getattr(policy, "currency", None) or "USD"),
        notes=notes,
    )


def to_json(p: Plan) -> dict[str, Any]:
    """The `handoff staffing --json` object: exactly DESIGN.md's keys."""
    hours = [
        {
            "hour": int(r.hour),
            "arrivals_per_week": float(r.arrivals_per_week),
            "on_duty": int(r.on_duty),
            "needed_on_duty": int(r.needed_on_duty),
            "gap": int(r.gap),
            "predicted": float(r.predicted),
        }
        for r in p.hours.itertuples(index=False)
    ]
    return {
        "hours": hours,
        "predicted_compliance": p.predicted_compliance,
        "observed_compliance": p.observed_compliance,
        "uncovered_share": p.uncovered_share,
    }


# -- words ---------------------------------------------------------------------------------
def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def uncovered_words(p: Plan) -> str:
    """`22% of high-intent MQLs arrive when no SDR is working.`"""
    if p.uncovered_share is None:
        return f"No {p.who} arrived in the {p.weeks} weeks looked at."
    return f"{_pct(p.uncovered_share)} of {p.who} arrive when no SDR is working."


def coverage_words(p: Plan) -> str:
    """The pack's one line on staffing: the SDR-hours a week short and the uncovered share."""
    return (
        f"Coverage: {p.hours_short:,} SDR-hours a week short of what the {p.tier}-tier SLA needs "
        f"(an average week of the last {p.weeks} full weeks). {uncovered_words(p)}"
    )


def calibration_words(p: Plan) -> str:
    fit = p.fit
    if fit.status == "none":
        return "No SLA outcome was observed in these weeks, so the availability cannot be calibrated."
    if fit.status == "above":
        return (
            f"Even with every minute of their hour free, the model predicts {_pct(fit.predicted)} answered in "
            f"time, less than the {_pct(fit.observed)} observed: leads are answered in hours the roster "
            "leaves empty, or a first touch takes less than the model's minutes."
        )
    if fit.status == "below":
        return f"Your SDRs answer new leads as if at most {_pct(fit.availability)} of their hour were free for them."
    words = f"Your SDRs answer new leads as if {fit.availability:.0%} of their hour were free for them."
    if fit.predicted is not None and fit.observed is not None and abs(fit.predicted - fit.observed) >= 0.005:
        words += (
            f" The model then predicts {_pct(fit.predicted)} against {_pct(fit.observed)} observed: its "
            "prediction moves in steps of whole SDRs, and this is the first step that reaches what was observed."
        )
    return words


def predicted_words(p: Plan) -> tuple[str, str]:
    """Predicted and observed compliance, each in a sentence a manager reads."""
    s = p.settings
    predicted = (
        f"The model predicts {_pct(p.predicted_compliance)} of {p.who} touched within {s.target_minutes:g} minutes, "
        f"with {s.availability:.0%} of each SDR's hour free for new leads and {s.minutes_per_first_touch:g} "
        "minutes per first touch."
        if p.predicted_compliance is not None
        else f"No {p.who} arrived: nothing to predict."
    )
    decided = p.met + p.breached
    observed = (
        f"{_pct(p.observed_compliance)} of the same MQLs were touched within {s.target_minutes:g} business "
        f"minutes ({p.met:,} of {decided:,} whose SLA is decided)."
        if p.observed_compliance is not None
        else "No SLA outcome has been decided for these MQLs yet."
    )
    return predicted, observed


STATUSES = ("over", "covered", "short")


def heat(hours: pd.DataFrame) -> pd.DataFrame:
    """The hours as the heatmaps draw them: day, clock, its label, arrivals, on duty,
    needed on duty, gap and its status (short: gap > 0, covered: 0, over: < 0)."""
    out = hours[["hour", "day", "clock", "arrivals_per_week", "on_duty", "needed_on_duty", "gap"]].copy()
    out["label"] = [staffing.hour_label(h) for h in out["hour"]]
    out["status"] = np.select([out["gap"] > 0, out["gap"] < 0], ["short", "over"], "covered")
    return out


# -- what-if ---------------------------------------------------------------------------------
def parse_changes(texts: list[str]) -> list[staffing.Change]:
    return [staffing.parse_change(t) for t in texts]


@dataclass
class WhatIf:
    """A roster change against the current roster, both at one availability."""

    availability: float
    changes: list[staffing.Change]
    now: pd.DataFrame  # hour plan of the current roster at this availability
    then: pd.DataFrame  # hour plan of the changed roster
    sdrs_now: int
    sdrs_then: int
    payback: staffing.Payback | None
    currency: str
    notes: list[str] = field(default_factory=list)

    @property
    def predicted_now(self) -> float | None:
        return staffing.predicted_compliance(self.now)

    @property
    def predicted_then(self) -> float | None:
        return staffing.predicted_compliance(self.then)

    @property
    def hours_short_now(self) -> int:
        return staffing.hours_short(self.now)

    @property
    def hours_short_then(self) -> int:
        return staffing.hours_short(self.then)

    @property
    def uncovered_now(self) -> float | None:
        return staffing.uncovered_share(self.now)

    @property
    def uncovered_then(self) -> float | None:
        return staffing.uncovered_share(self.then)

    def comparison(self) -> pd.DataFrame:
        """Now vs with the change, one row per headline: name, now, then, change, unit
        (`share` or `count`); a share's change is in points of a share."""
        rows = [
            ("sdrs", self.sdrs_now, self.sdrs_then, "count"),
            ("predicted_compliance", self.predicted_now, self.predicted_then, "share"),
            ("hours_short", self.hours_short_now, self.hours_short_then, "count"),
            ("uncovered_share", self.uncovered_now, self.uncovered_then, "share"),
        ]
        return pd.DataFrame(
            [
                (name, now, then, None if now is None or then is None else then - now, unit)
                for name, now, then, unit in rows
            ],
            columns=["name", "now", "then", "change", "unit"],
        )

    @property
    def pays(self) -> bool:
        """Whether the change recovers at least what it costs a month."""
        return self.payback is not None and self.payback.monthly_recovery >= self.payback.monthly_cost

    def payback_words(self) -> str:
        if self.payback is None:
            return "No MQLs arrived in these weeks, so the change recovers nothing the model can see."
        return self.payback.sentence(self.currency)


BUCKET_BOUNDS = [(name, None if bound is None else float(bound)) for name, bound in SPEED_BUCKETS]


def leak_inputs(model: Model, tier: str) -> tuple[leak.LeakInputs, list[str]]:
    """Leak inputs calibrated from every handoff of the tier (as the Revenue leak page does
    from its selection); the defaults, with a note, when the data cannot calibrate them."""
    facts = model.lead_handoff(Filters(tiers=(tier,)), columns=list(leak.FACT_COLUMNS))
    try:
        return leak.calibrate(facts).inputs, []
    except ValueError as exc:
        return leak.default_inputs(), [f"The revenue-leak inputs are the defaults: {exc}."]


def what_if(
    p: Plan,
    changes: list[staffing.Change],
    availability: float | None = None,
    inputs: leak.LeakInputs | None = None,
) -> WhatIf:
    """The plan of the roster after `changes`, beside the current roster's, both at
    `availability` (default: the plan's starting availability), and what the change
    recovers through the revenue-leak model (`inputs`: calibrated leak inputs) against
    its monthly cost."""
    a = p.starting_availability if availability is None else float(availability)
    settings = replace(p.settings, availability=a)
    arrivals = p.hours["arrivals_per_week"].to_numpy()
    duty_now = p.hours["on_duty"].to_numpy()
    shifts_then = staffing.apply_changes(p.shifts, changes, p.business_days)
    duty_then = staffing.on_duty(shifts_then, p.week_start, p.company_tz)
    now = staffing.hour_plan(arrivals, duty_now, settings)
    then = staffing.hour_plan(arrivals, duty_then, settings)
    added = sum(c.reps for c in changes)
    result = None
    if inputs is not None:
        shares_now = staffing.answered_shares(arrivals, duty_now, settings, BUCKET_BOUNDS)
        shares_then = staffing.answered_shares(arrivals, duty_then, settings, BUCKET_BOUNDS)
        if shares_now is not None and shares_then is not None:
            result = staffing.payback(
                inputs,
                p.arrivals_per_week * WEEKS_PER_MONTH,
                shares_now,
                shares_then,
                added,
                p.cost_per_rep_month,
            )
    sdrs_now = sum(s.reps for s in p.shifts)
    return WhatIf(a, list(changes), now, then, sdrs_now, sdrs_now + added, result, p.currency)
