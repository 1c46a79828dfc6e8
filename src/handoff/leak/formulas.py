"""The leak model's formulas (DESIGN.md): revenue per bucket, the exact three-way split of
the revenue gap, marketing waste, and the recovery a target scenario would bring."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from handoff.leak.inputs import NEVER, LeakInputs

DIMENSIONS = ("conversion_decline", "competitive_displacement", "deal_value_compression")
KEYS = (*DIMENSIONS, "revenue_gap", "marketing_waste")
RESULT_LABELS = {
    "conversion_decline": "Conversion decline",
    "competitive_displacement": "Competitive displacement",
    "deal_value_compression": "Deal value compression",
    "revenue_gap": "Revenue gap",
    "marketing_waste": "Marketing waste",
}
"""What the page, its charts and the command line call each key of the result."""
RESULT_NOTES = {"revenue_gap": "the sum of the three", "marketing_waste": "spend, beside the gap"}
"""How a total relates to the dimensions, where a table lists them together."""


def lead_shares(inputs: LeakInputs) -> dict[str, float]:
    """Share of all handed-off leads per bucket, `never` included: (1 - u) x s_b and u."""
    u = inputs.never_contacted_share
    shares = {b: (1.0 - u) * s for b, s in inputs.bucket_shares.items()}
    shares[NEVER] = u
    return shares


def bucket_rates(inputs: LeakInputs) -> pd.DataFrame:
    """Per bucket (never included): share of leads, conversion, win rate and contract value."""
    rows = []
    for bucket, share in lead_shares(inputs).items():
        if bucket == NEVER:
            rows.append((bucket, share, 0.0, inputs.win_rate, inputs.contract_value))
            continue
        rows.append(
            (
                bucket,
                share,
                inputs.best_conversion * inputs.conversion_multipliers[bucket],
                inputs.win_rate * inputs.win_multipliers[bucket],
                inputs.contract_value * inputs.value_multipliers[bucket],
            )
        )
    table = pd.DataFrame(rows, columns=["bucket", "share", "conversion", "win_rate", "contract_value"])
    return table.set_index("bucket")


def ideal_revenue(inputs: LeakInputs) -> float:
    """Monthly revenue if every lead converted at c*, won at w* and closed at A*."""
    return inputs.mqls_per_month * inputs.best_conversion * inputs.win_rate * inputs.contract_value


def revenue(inputs: LeakInputs) -> float:
    """Monthly revenue of the current inputs: M x sum share_b x c_b x w_b x A_b."""
    r = bucket_rates(inputs)
    return inputs.mqls_per_month * float((r.share * r.conversion * r.win_rate * r.contract_value).sum())


def breakdown(inputs: LeakInputs) -> pd.DataFrame:
    """Monthly leak per bucket (never included), one column per dimension, plus revenue."""
    r = bucket_rates(inputs)
    m, c, w, a = inputs.mqls_per_month, inputs.best_conversion, inputs.win_rate, inputs.contract_value
    out = pd.DataFrame(index=r.index)
    out["leads"] = m * r.share
    out["revenue"] = m * r.share * r.conversion * r.win_rate * r.contract_value
    out["conversion_decline"] = m * r.share * (c - r.conversion) * w * a
    out["competitive_displacement"] = m * r.share * r.conversion * (w - r.win_rate) * a
    out["deal_value_compression"] = m * r.share * r.conversion * r.win_rate * (a - r.contract_value)
    out["revenue_gap"] = out[list(DIMENSIONS)].sum(axis=1)
    out["marketing_waste"] = 0.0
    out.loc[NEVER, "marketing_waste"] = m * inputs.never_contacted_share * inputs.cost_per_lead
    return out


def monthly_leak(inputs: LeakInputs) -> dict[str, float]:
    """The monthly leak: the three dimensions, their sum (the revenue gap) and marketing waste."""
    parts = breakdown(inputs)
    leak = {key: float(math.fsum(parts[key])) for key in DIMENSIONS}
    leak["revenue_gap"] = math.fsum(leak[key] for key in DIMENSIONS)
    leak["marketing_waste"] = inputs.mqls_per_month * inputs.never_contacted_share * inputs.cost_per_lead
    return leak


def scenario_inputs(inputs: LeakInputs) -> LeakInputs | None:
    """The inputs of the target scenario (None without one)."""
    s = inputs.scenario
    if s is None:
        return None
    never_contacted = inputs.never_contacted_share if s.never_contacted_share is None else s.never_contacted_share
    return replace(
        inputs,
        never_contacted_share=never_contacted,
        bucket_shares=inputs.bucket_shares if s.bucket_shares is None else s.bucket_shares,
        scenario=None,
    )


def compute(inputs: LeakInputs) -> dict[str, dict[str, float]]:
    """`{"monthly": {...}, "annual": {...}, "recovery": {...}}`, money unrounded.

    Recovery (only with a scenario) is per month, like the model itself: the current
    monthly leak minus the scenario's, per key, so it sums exactly like the leak (12x it
    for a year, as `annual_recovery` gives).
    """
    monthly = monthly_leak(inputs)
    out = {"monthly": monthly, "annual": {k: 12.0 * v for k, v in monthly.items()}}
    target = scenario_inputs(inputs)
    if target is not None:
        target_monthly = monthly_leak(target)
        out["recovery"] = {k: monthly[k] - target_monthly[k] for k in KEYS}
    return out


def annual_recovery(result: dict[str, dict[str, float]]) -> dict[str, float] | None:
    """The recovery of a `compute` result over a year (None without a scenario)."""
    recovery = result.get("recovery")
    return None if recovery is None else {k: 12.0 * v for k, v in recovery.items()}
