"""The aggregates as plain JSON-ready data: what `handoff metrics --json` prints.

Every group (overall, per tier, rep, week and speed bucket) carries its young-cohort fields
beside its metrics: `mature`, `booked_so_far`, `matures_at` and `projected` (see DESIGN "Young
cohorts"); a group that is not mature has no `handoff_to_meeting_rate` and no `meeting_band`.
(The weekly alignment pack, `handoff report`, is `handoff.pack`.)"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from handoff.model import Filters, Model


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp) and value.tzinfo is None and value == value.normalize():
        return value.date().isoformat()  # a DATE column (weeks, days)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def metrics_summary(model: Model, filters: Filters | None = None) -> dict[str, Any]:
    overall = records(model.metrics("all", filters).drop(columns=["group", "owner_name", "team"]))
    return {
        "as_of": _clean(model.as_of),
        "overall": overall[0] if overall else {},
        "by_tier": records(
            model.metrics("tier", filters).drop(columns=["owner_name", "team"]).rename(columns={"group": "tier"})
        ),
        "by_rep": records(model.metrics("rep", filters).rename(columns={"group": "owner_id"})),
        "by_week": records(
            model.metrics("week", filters).drop(columns=["owner_name", "team"]).rename(columns={"group": "week"})
        ),
        "by_speed_bucket": records(model.speed_conversion(filters)),
        # conversion by speed as the dashboard shows it: over the mature MQL weeks only
        "by_speed_bucket_mature_weeks": records(
            model.speed_conversion(filters, mature_weeks_only=True).drop(columns=["mature", "projected", "matures_at"])
        ),
    }


def no_handoffs(model: Model) -> str | None:
    """Why there is nothing to measure, when no lead was handed off (else None)."""
    if model.con.execute("SELECT count(*) FROM lead_handoff").fetchall()[0][0]:
        return None
    leads, mqls = model.con.execute("SELECT count(*), count(mql_at) FROM leads").fetchall()[0]
    if not leads:
        return "no handoffs: there are no leads"
    if not mqls:
        return "no handoffs: no lead has an MQL date (mql_at)"
    return f"no handoffs: no lead has an MQL date (mql_at) on or before {_clean(model.as_of)}"
