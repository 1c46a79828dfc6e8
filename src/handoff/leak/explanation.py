"""The model's assumptions for given inputs, in plain words (the page lists them)."""

from __future__ import annotations

from collections.abc import Callable

from handoff.leak.formulas import ideal_revenue, revenue, scenario_inputs
from handoff.leak.inputs import LeakInputs


def _money(x: float) -> str:
    return f"-${-x:,.0f}" if x < 0 else f"${x:,.0f}"


def _pct(x: float) -> str:
    return f"{100 * x:.3g}%"


def assumptions(inputs: LeakInputs, money: Callable[[float], str] = _money) -> list[str]:
    """The model's assumptions for these inputs, in plain words; `money` writes an amount
    (the page passes one in the policy's currency; dollars by default)."""
    m, u = inputs.mqls_per_month, inputs.never_contacted_share
    shares = ", ".join(f"{b} {_pct(s)}" for b, s in inputs.bucket_shares.items() if s > 0)
    out = [
        f"{m:,.4g} leads are handed to sales each month at {money(inputs.cost_per_lead)} a lead.",
        f"{_pct(u)} of them are never contacted: they convert at 0, and their cost "
        f"({money(m * u * inputs.cost_per_lead)} a month) is marketing waste, "
        "shown beside the revenue gap, not in it.",
        f"Contacted leads are answered at these speeds: {shares}.",
        f"At the best speed {_pct(inputs.best_conversion)} of leads convert; a slower bucket converts at "
        "its conversion multiplier times that.",
        f"Converted leads win {_pct(inputs.win_rate)} of the time at the best speed; slower buckets win at their "
        "win multiplier times that (competitive displacement).",
        f"A won deal is worth {money(inputs.contract_value)} at the best speed; slower buckets close at their "
        "value multiplier times that (deal value compression).",
        f"The ideal contacts every lead at the best speed: {money(ideal_revenue(inputs))} a month; the revenue "
        f"gap is the ideal minus the current {money(revenue(inputs))} a month.",
        "A year is 12 times a month; volumes, rates and values are taken as steady.",
        "Multipliers describe buckets, not causes: faster contact is assumed to earn the faster bucket's rates.",
    ]
    target = scenario_inputs(inputs)
    if target is not None:
        out.append(
            f"The target scenario contacts all but {_pct(target.never_contacted_share)} of leads, at these speeds: "
            + ", ".join(f"{b} {_pct(v)}" for b, v in target.bucket_shares.items() if v > 0)
            + "; rates, values and multipliers stay as they are."
        )
    return out
