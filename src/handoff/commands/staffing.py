"""`handoff staffing`: how many SDRs, at which hours, the SLA needs (DESIGN.md "Coverage and
staffing"). Prints a summary and the hours that need or have someone; with --json, the
contract's object: {"hours": [...168 hours...], "predicted_compliance",
"observed_compliance", "uncovered_share"}."""

from __future__ import annotations

import json

from handoff.commands.common import add_data_options, model_from_args
from handoff.model import staffing
from handoff.schema import TIERS


def register(sub) -> None:
    p = sub.add_parser("staffing", help="coverage and staffing: SDRs needed vs on duty per hour of the week")
    add_data_options(p)
    p.add_argument("--tier", choices=TIERS, help="the tier to staff for (default: the policy's staffing.tier, high)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    model = model_from_args(args)
    plan = staffing.plan(model, args.tier)
    if args.json:
        print(json.dumps(staffing.to_json(plan), indent=2))
        return 0
    print("\n".join(summary(plan)))
    return 0


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def summary(plan: staffing.Plan) -> list[str]:
    """The plan in lines for people: the headline numbers, then the hours that matter."""
    s = plan.settings
    lines = [
        f"as of {plan.as_of:%Y-%m-%d %H:%M} UTC; {plan.tier} tier; {plan.weeks} weeks "
        f"{plan.date_from} to {plan.date_to}; hours of the week in {plan.company_tz}",
        f"SLA target {s.target_minutes:g} minutes for {s.service_level:.0%} of leads; "
        f"{s.minutes_per_first_touch:g} minutes per first touch; availability {s.availability:.0%}",
        f"SDRs on the roster: {sum(x.reps for x in plan.shifts)}"
        + ("" if plan.roster_is_sdrs else " (no rep has a role: every active rep counts)"),
        *(f"  {row.timezone:<28} {row.sdrs:>3}  {row.hours} local" for row in plan.shift_table().itertuples()),
        f"{plan.who_capital} a week: {plan.arrivals_per_week:.1f}",
        staffing.uncovered_words(plan),
        f"hours short: {plan.hours_short} SDR-hours a week (sum of the positive gaps)",
        f"predicted compliance: {_pct(plan.predicted_compliance)}; observed: {_pct(plan.observed_compliance)} "
        f"({plan.met} met, {plan.breached} breached)",
        staffing.calibration_words(plan),
        *plan.notes,
        "",
    ]
    busy = plan.hours[(plan.hours["arrivals_per_week"] > 0) | (plan.hours["on_duty"] > 0)]
    lines.append(f"{'hour of the week':<20}{'MQLs/week':>10}{'on duty':>9}{'needed':>8}{'gap':>6}{'predicted':>11}")
    for r in busy.itertuples(index=False):
        lines.append(
            f"{staffing.hour_label(r.hour):<20}{r.arrivals_per_week:>10.2f}{r.on_duty:>9}{r.needed_on_duty:>8}"
            f"{r.gap:>+6}{r.predicted:>11.1%}"
        )
    return lines
