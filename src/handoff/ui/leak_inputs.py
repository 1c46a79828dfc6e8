"""The revenue-leak calculator's input widgets: prefilled, adjustable, validated by the model."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from handoff import leak

STEPS = {"mqls_per_month": 10.0, "cost_per_lead": 10.0, "contract_value": 500.0}  # shares step by 0.01
# A target worth aiming for: most leads answered within the hour.
TARGET_SHARES = {"0-5m": 0.5, "5-30m": 0.25, "30-60m": 0.1, "1-4h": 0.1, "4-24h": 0.05, "1-3d": 0.0, "3d+": 0.0}


def _normalised(column: pd.Series) -> dict[str, float]:
    """Shares as typed, rescaled to sum to 1 (the model requires it); all zero stays zero."""
    values = column.fillna(0).clip(lower=0).astype(float)
    total = values.sum()
    return {b: (float(v) / total if total else 0.0) for b, v in values.items()}


def edit(start: leak.LeakInputs, key: str) -> leak.LeakInputs:
    """Draw the inputs prefilled from `start`; return the inputs the user set (with a target)."""
    values = {}
    cols = st.columns(3)
    for i, name in enumerate(leak.SCALARS):
        share = name in leak.FRACTIONS
        with cols[i % 3]:
            values[name] = st.number_input(
                leak.LABELS[name],
                min_value=0.0,
                max_value=1.0 if share else None,
                value=float(getattr(start, name)),
                step=STEPS.get(name, 0.01),
                format="%.3f" if share else "%.0f",
                key=f"{key}_{name}",
            )
    target_never = st.slider("Target never-contacted share", 0.0, 1.0, 0.05, 0.01, key=f"{key}_target_never")
    table = pd.DataFrame(
        {
            "share": pd.Series(start.bucket_shares),
            "target_share": pd.Series(TARGET_SHARES),
            "conversion_multipliers": pd.Series(start.conversion_multipliers),
            "win_multipliers": pd.Series(start.win_multipliers),
            "value_multipliers": pd.Series(start.value_multipliers),
        }
    ).rename_axis("bucket")
    st.caption("Per speed bucket (contacted leads). Shares are rescaled to sum to 100%.")
    edited = st.data_editor(
        table,
        key=f"{key}_buckets",
        width="stretch",
        disabled=["bucket"],
        column_config={
            "share": st.column_config.NumberColumn("Share now", format="percent", min_value=0.0),
            "target_share": st.column_config.NumberColumn("Target share", format="percent", min_value=0.0),
            **{
                name: st.column_config.NumberColumn(leak.LABELS[name], format="%.3f", min_value=0.0)
                for name in leak.FAMILIES
            },
        },
    )
    return replace(
        start,
        **values,
        bucket_shares=_normalised(edited["share"]),
        conversion_multipliers=edited["conversion_multipliers"].fillna(1.0).astype(float).to_dict(),
        win_multipliers=edited["win_multipliers"].fillna(1.0).astype(float).to_dict(),
        value_multipliers=edited["value_multipliers"].fillna(1.0).astype(float).to_dict(),
        scenario=leak.Scenario(never_contacted_share=target_never, bucket_shares=_normalised(edited["target_share"])),
    )
