"""`handoff metrics`: the aggregates, overall, by tier, by rep and by week."""

from __future__ import annotations

import json
import sys

import pandas as pd

from handoff.commands.common import add_data_options, model_from_args
from handoff.model import Model
from handoff.model.report import metrics_report, no_handoffs


def register(sub) -> None:
    p = sub.add_parser("metrics", help="aggregate handoff metrics")
    add_data_options(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    model: Model = model_from_args(args)
    report = metrics_report(model)
    empty = no_handoffs(model)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        if empty:
            print(f"handoff: {empty}", file=sys.stderr)
        return 0
    print(f"as of {report['as_of']}")
    if empty:
        print(empty)
        return 0
    for key, value in report["overall"].items():
        print(f"{key:<36} {readable(key, value)}")
    print()
    tiers = pd.DataFrame(report["by_tier"])[list(BY_TIER)]
    for key in BY_TIER:
        tiers[key] = [readable(key, v) for v in tiers[key]]
    print(tiers.rename(columns=BY_TIER).to_string(index=False))
    return 0


BY_TIER = {
    "tier": "tier", "handoffs": "handoffs", "sla_compliance": "SLA compliance",
    "median_response_business_minutes": "median bus. min", "p90_response_business_minutes": "p90 bus. min",
    "never_contacted_rate": "never contacted", "handoff_to_meeting_rate": "to meeting",
}


def readable(key: str, value) -> str:
    """A metric for people: rates as percentages, minutes and money with sensible decimals."""
    if value is None:
        return "-"
    if isinstance(value, float):
        if key.endswith(("_rate", "_compliance", "_gap")):
            return f"{value:.1%}"
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)
