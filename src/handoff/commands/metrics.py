"""`handoff metrics`: the aggregates, overall, by tier, by rep and by week."""

from __future__ import annotations

import json

import pandas as pd

from handoff.commands.common import add_data_options, model_from_args
from handoff.model import Model
from handoff.model.report import metrics_report


def register(sub) -> None:
    p = sub.add_parser("metrics", help="aggregate handoff metrics")
    add_data_options(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    model: Model = model_from_args(args)
    report = metrics_report(model)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    overall = report["overall"]
    for key, value in overall.items():
        print(f"{key:<36} {value}")
    print()
    print(pd.DataFrame(report["by_tier"]).to_string(index=False))
    return 0
