"""`handoff calls`: the call list (the breach queue at as_of) a sales manager works from.

CSV on stdout (formula-guarded, timestamps in UTC ISO 8601), in calling order, or grouped by
rep with --by-rep; --json prints `{"as_of", "warn_minutes", "escalation_minutes", "counts",
"calls": [...]}` (with --by-rep, `"reps": [{"owner_id", "owner_name", "counts", "calls"}]`
instead of "calls"). The rows are `handoff.model.views.call_list`, as on the SLA compliance
page and in `handoff alert`.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import pandas as pd

from handoff.commands.common import add_data_options, model_from_args
from handoff.commands.leads import utc_iso
from handoff.model import Filters, views
from handoff.output import to_csv


def register(sub) -> None:
    p = sub.add_parser("calls", help="the call list: untouched leads near or past their SLA target (CSV or --json)")
    add_data_options(p)
    p.add_argument(
        "--warn-minutes",
        type=float,
        help="list leads from this many business minutes before their target (default the policy's "
        "alerts.warn_minutes, 30)",
    )
    p.add_argument("--by-rep", action="store_true", help="group the list by rep, the rep with the most leads first")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = utc_iso(frame).to_dict(orient="records")
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def run(args) -> int:
    model = model_from_args(args)
    frame = views.call_list(model, Filters(), warn_minutes=args.warn_minutes)
    groups = views.call_list_by_rep(frame) if args.by_rep else []
    if args.json:
        warn = model.policy.alerts.warn_minutes if args.warn_minutes is None else args.warn_minutes
        out: dict[str, Any] = {
            "as_of": pd.Timestamp(model.as_of).tz_convert("UTC").isoformat().replace("+00:00", "Z"),
            "warn_minutes": float(warn),
            "escalation_minutes": float(model.policy.escalation_minutes),
            "counts": views.call_list_counts(frame),
        }
        if args.by_rep:
            out["reps"] = [
                {
                    "owner_id": owner_id,
                    "owner_name": owner_name,
                    "counts": views.call_list_counts(rows),
                    "calls": _records(rows),
                }
                for owner_id, owner_name, rows in groups
            ]
        else:
            out["calls"] = _records(frame)
        print(json.dumps(out, indent=2))
        return 0
    if args.by_rep:
        frame = pd.concat([rows for _, _, rows in groups], ignore_index=True) if groups else frame
    to_csv(utc_iso(frame), sys.stdout)
    return 0
