"""`handoff metrics`: the aggregates, overall, by tier, by rep and by week."""

from __future__ import annotations

import json
import sys

import pandas as pd

from handoff.commands.common import add_data_options
from handoff.commands.engine import add_engine_options, model_for
from handoff.model import Model
from handoff.model import definitions as registry
from handoff.model.summary import metrics_summary as metrics_report  # the name tests patch
from handoff.model.summary import no_handoffs


def register(sub) -> None:
    p = sub.add_parser("metrics", help="aggregate handoff metrics")
    add_data_options(p)
    add_engine_options(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    model: Model = model_for(args)
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
    overall = report["overall"]
    if not overall.get("mature"):
        print(
            f"\nNot mature until {overall.get('matures_at')}: handoffs are still inside their meeting window, "
            "so there is no handoff-to-meeting rate yet, only booked so far (a floor) and the projection."
        )
    print()
    tiers = pd.DataFrame(report["by_tier"])[["tier", *BY_TIER]]
    for key in BY_TIER:
        tiers[key] = [readable(key, v) for v in tiers[key]]
    print(tiers.rename(columns={k: registry.header(k, model.policy) for k in BY_TIER}).to_string(index=False))
    return 0


# The metrics of the per-tier table (headers and formats from the registry).
BY_TIER = (
    "handoffs",
    "sla_compliance",
    "median_response_business_minutes",
    "p90_response_business_minutes",
    "never_contacted_rate",
    "handoff_to_meeting_rate",
    "booked_so_far",
    "projected",
)


def readable(key: str, value) -> str:
    """A value for people, in its metric's unit (every share as a percentage); a value that
    is not a metric (the meeting band) as it is."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in registry.names() and isinstance(value, (int, float)) and not isinstance(value, bool):
        return registry.show(value, registry.get(key).unit, suffix=False)
    return str(value)
