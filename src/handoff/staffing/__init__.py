"""Coverage and staffing: how many SDRs, at which hours, the SLA needs (DESIGN.md).

Pure functions over numbers: nothing here reads a database or draws. The model
(`handoff.model.staffing`) feeds them the arrivals per hour of the week and the roster,
and the CLI and the page show what comes back, so their numbers agree. The modules:

- `erlang`: Erlang B and C, the waiting-time distribution, servers needed (M/M/c);
- `roster`: hours of the week in the company timezone and who is on duty in each;
- `plan`: per hour, needed vs on duty, the gap and the predicted compliance;
- `calibration`: the availability that makes the prediction match what was observed;
- `whatif`: roster changes, and what they cost and recover through the revenue-leak model.
"""

from handoff.staffing.calibration import Fit, calibrate_availability
from handoff.staffing.erlang import answered_within, erlang_b, servers_needed, wait_probability
from handoff.staffing.plan import (
    HOUR_COLUMNS,
    Settings,
    answered_shares,
    hour_plan,
    hours_short,
    predicted_by_hour,
    predicted_compliance,
    servers,
    uncovered_share,
    weighted_mean,
)
from handoff.staffing.roster import DAY_NAMES, HOURS, Shift, hour_label, hour_middles, on_duty, week_start
from handoff.staffing.whatif import Change, Payback, apply_changes, describe, moved, parse_change, payback

__all__ = [
    "DAY_NAMES",
    "HOURS",
    "HOUR_COLUMNS",
    "Change",
    "Fit",
    "Payback",
    "Settings",
    "Shift",
    "answered_shares",
    "answered_within",
    "apply_changes",
    "calibrate_availability",
    "describe",
    "erlang_b",
    "hour_label",
    "hour_middles",
    "hour_plan",
    "hours_short",
    "moved",
    "on_duty",
    "parse_change",
    "payback",
    "predicted_by_hour",
    "predicted_compliance",
    "servers",
    "servers_needed",
    "uncovered_share",
    "wait_probability",
    "week_start",
    "weighted_mean",
]
