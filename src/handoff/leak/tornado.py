"""Sensitivity: the tornado table of how the annual leak moves with each input."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from handoff.leak.formulas import compute
from handoff.leak.inputs import FAMILIES, FRACTIONS, LABELS, SCALARS, LeakInputs


def _moved(inputs: LeakInputs, name: str, factor: float) -> LeakInputs:
    """The inputs with one input scaled by `factor`. Shares and rates are capped at 1; a
    multiplier family moves its penalty (1 - m) rather than m, so the reference bucket's
    1.0 stays put and "10% steeper decay" means what it says."""
    if name in FAMILIES:
        moved = {b: max(0.0, 1.0 - (1.0 - m) * factor) for b, m in getattr(inputs, name).items()}
        changes: dict[str, Any] = {name: moved}
        return replace(inputs, **changes)
    value = getattr(inputs, name) * factor
    if name in FRACTIONS:
        value = min(value, 1.0)
    changes = {name: value}
    return replace(inputs, **changes)


def _label(name: str) -> str:
    return f"{LABELS[name]} decay (1 - m)" if name in FAMILIES else LABELS[name]


def sensitivity(inputs: LeakInputs, step: float = 0.1) -> pd.DataFrame:
    """A tornado table: how the annual revenue gap and annual marketing waste change when
    one input moves by -step and +step (relative), all else held. Sorted by `impact`, the
    largest absolute change of gap + waste, largest first."""
    base = compute(inputs)["annual"]
    rows = []
    for name in (*SCALARS, *FAMILIES):
        low = compute(_moved(inputs, name, 1.0 - step))["annual"]
        high = compute(_moved(inputs, name, 1.0 + step))["annual"]
        change: dict[str, float] = {}
        for side, result in (("low", low), ("high", high)):
            change[f"gap_change_{side}"] = result["revenue_gap"] - base["revenue_gap"]
            change[f"waste_change_{side}"] = result["marketing_waste"] - base["marketing_waste"]
        impact = max(
            abs(change["gap_change_low"] + change["waste_change_low"]),
            abs(change["gap_change_high"] + change["waste_change_high"]),
        )
        rows.append({"input": name, "label": _label(name), **change, "impact": impact})
    table = pd.DataFrame(rows)
    return table.sort_values("impact", ascending=False, kind="stable").reset_index(drop=True)
